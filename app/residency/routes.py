"""Administrators load restricted sites and manage residency rules (permission
"residency.manage"). Thin views: parse, call loading.py / rules.py, render or redirect."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from sqlalchemy import func, select

from app.extensions import db
from app.permissions import requires
from app.residency.forms import RuleForm, SitesUploadForm
from app.residency.loading import LoadError, load_file
from app.residency.models import ResidencyRule, RestrictedSite
from app.residency.rules import all_rules, save_rule
from app.residency.vocabulary import SiteKind
from app.unit_of_work import form_renderer, on_domain_error

bp = Blueprint("residency", __name__, url_prefix="/residency")


def _overview(upload: SitesUploadForm, problems: list | None = None) -> str:
    counts = dict(
        db.session.execute(
            select(RestrictedSite.kind, func.count()).group_by(RestrictedSite.kind)
        ).all()
    )
    last = db.session.scalar(select(func.max(RestrictedSite.loaded_at)))
    return render_template(
        "residency/admin.html",
        upload=upload,
        problems=problems or [],
        counts=[(k, counts.get(k, 0)) for k in SiteKind],
        total=sum(counts.values()),
        last_loaded=last,
        rules=all_rules(),
    )


@bp.get("/")
@requires("residency.manage")
def admin():  # noqa: ANN201
    return _overview(SitesUploadForm())


@bp.post("/sites")
@requires("residency.manage")
def sites_upload():  # noqa: ANN201
    form = SitesUploadForm()
    if not form.validate_on_submit():
        return _overview(form), 422
    upload = form.file.data
    if not upload or not upload.filename:
        form.file.errors = ["Choose a .csv, .geojson or .json file."]
        return _overview(form), 422
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        form.file.errors = ["The file is not UTF-8 text."]
        return _overview(form), 422
    try:
        summary = load_file(text, upload.filename, replace=bool(form.replace.data))
    except LoadError as error:
        form.file.errors = [
            f"Nothing was loaded: {len(error.problems)} problem(s) in {upload.filename}."
        ]
        return _overview(form, error.problems), 422
    flash(f"{upload.filename}: {summary}.", "success")
    return redirect(url_for("residency.admin"))


def _rule_page(form: RuleForm, rule: ResidencyRule | None) -> str:
    return render_template("residency/rule_form.html", form=form, rule=rule)


@bp.route("/rules/new", methods=["GET", "POST"])
@requires("residency.manage")
def rule_new():  # noqa: ANN201
    return _rule_form(None)


@bp.route("/rules/<rule_id>", methods=["GET", "POST"])
@requires("residency.manage")
def rule_edit(rule_id: str):  # noqa: ANN201
    rule = db.session.get(ResidencyRule, rule_id)
    if rule is None:
        abort(404)
    return _rule_form(rule)


def _rule_form(rule: ResidencyRule | None):  # noqa: ANN202
    form = RuleForm(obj=rule) if rule is not None else RuleForm()
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return _rule_page(form, rule), status
    on_domain_error(form_renderer(form, lambda: _rule_page(form, rule), fallback="name"))
    saved = save_rule(form.data_for_rule(), rule)
    flash(f"Rule “{saved.name}” saved.", "success")
    return redirect(url_for("residency.admin"))
