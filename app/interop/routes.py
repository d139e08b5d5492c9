"""Admin pages of the import: upload a file, watch its run, past runs; probable duplicates with
"Merge" and "Keep apart", one pair or many selected at once. Thin views: the rules are in
app.interop.runs, .duplicates and .duplicates_bulk."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import SelectChoice, SelectField

from app.extensions import db
from app.interop import duplicates as dup
from app.interop.duplicates_bulk import decide_many
from app.interop.models import DuplicateCandidate, DuplicateStatus, ImportRun
from app.interop.runs import KINDS, max_upload_bytes, start_run
from app.pagination import page_number, paginate
from app.permissions import requires
from app.unit_of_work import flash_and_redirect, form_renderer, on_domain_error

bp = Blueprint("interop", __name__, url_prefix="/admin/hsds")
PER_PAGE = 30
REFRESH_SECONDS = 3
FORM_SLACK = 64 * 1024  # the multipart envelope around the file


class UploadForm(FlaskForm):
    file = FileField("Datapackage (.zip) or HSDS JSON file (.json)")


class DuplicateFilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = SelectField("Show", default="open", validate_choice=True, choices=[
        SelectChoice(s.value, s.label) for s in DuplicateStatus])  # fmt: skip


@bp.url_value_preprocessor
def _upload_size(endpoint: str | None, values: dict | None) -> None:
    """Runs before any before_request (CSRF reads the form): the upload may be larger than
    the MAX_CONTENT_LENGTH every other form has."""
    if endpoint == "interop.upload":
        request.max_content_length = max_upload_bytes() + FORM_SLACK


def _runs_page(form: UploadForm):  # noqa: ANN202
    page = paginate(select(ImportRun).order_by(ImportRun.created_at.desc()), page_number(),
                    PER_PAGE)  # fmt: skip
    return render_template("interop/imports.html", form=form, page=page, kinds=KINDS,
                           limit_mb=max_upload_bytes() // (1024 * 1024))  # fmt: skip


@bp.get("/imports")
@requires("hsds.import")
def imports():  # noqa: ANN201
    return _runs_page(UploadForm())


@bp.post("/imports")
@requires("hsds.import")
def upload():  # noqa: ANN201
    form = UploadForm()
    on_domain_error(form_renderer(form, lambda: _runs_page(form), fallback="file"))
    if not form.validate_on_submit():
        return _runs_page(form), 422
    upload = form.file.data
    if upload is None or not getattr(upload, "filename", ""):
        form.file.errors = ["Choose a file to upload."]
        return _runs_page(form), 422
    with upload.stream:  # a large upload is spooled to a temporary file: let it go at once
        data = upload.read()
    run = start_run(upload.filename, data, current_user)
    return redirect(url_for("interop.import_run", run_id=run.id), code=303)


@bp.get("/imports/<run_id>")
@requires("hsds.import")
def import_run(run_id: str):  # noqa: ANN201
    run = db.session.get(ImportRun, run_id)
    if run is None:
        abort(404)
    return render_template("interop/import_run.html", run=run, refresh=REFRESH_SECONDS)


@bp.get("/duplicates")
@requires("duplicate.review")
def duplicates():  # noqa: ANN201
    form = DuplicateFilterForm(formdata=request.args)
    if request.args and not form.validate():
        abort(400)
    status = DuplicateStatus(form.status.data or "open")
    query = (select(DuplicateCandidate).where(DuplicateCandidate.status == status)
             .order_by(DuplicateCandidate.created_at.desc(), DuplicateCandidate.id))  # fmt: skip
    page = paginate(query, page_number(), PER_PAGE)
    pairs = [(c, _side(c.kind, c.first_id), _side(c.kind, c.second_id)) for c in page.items]
    return render_template("interop/duplicates.html", form=form, page=page, pairs=pairs,
                           status=status)  # fmt: skip


def _side(kind: str, id_: str) -> dict:
    return {"id": id_, "record": dup.record(kind, id_), "sources": dup.sources(kind, id_)}


@bp.post("/duplicates/decide")
@requires("duplicate.review")
def decide():  # noqa: ANN201
    """Merge or keep apart every selected pair in one go (all or nothing)."""
    on_domain_error(flash_and_redirect(url_for("interop.duplicates"), code=303))
    action = request.form.get("action", "")
    result = decide_many(request.form.getlist("pair"), action, current_user)
    done = "Merged" if action == "merge" else "Kept apart"
    more = "pair was" if result.settled == 1 else "pairs were"
    settled = (f" {result.settled} more {more} already one record after those merges."
               if result.settled else "")  # fmt: skip
    flash(f"{done}: {result.decided} pair{'s' if result.decided != 1 else ''}.{settled}",
          "success")  # fmt: skip
    return redirect(url_for("interop.duplicates"), code=303)


def _candidate(candidate_id: str) -> DuplicateCandidate:
    candidate = db.session.get(DuplicateCandidate, candidate_id)
    if candidate is None:
        abort(404)
    on_domain_error(flash_and_redirect(url_for("interop.duplicates"), code=303))
    return candidate


@bp.post("/duplicates/<candidate_id>/merge")
@requires("duplicate.review")
def merge(candidate_id: str):  # noqa: ANN201
    candidate = _candidate(candidate_id)
    dup.merge(candidate, current_user)
    flash(f"Merged: the {candidate.kind} now holds the richer details of both, and a "
          "re-import of either source updates it.", "success")  # fmt: skip
    return redirect(url_for("interop.duplicates"), code=303)


@bp.post("/duplicates/<candidate_id>/keep-apart")
@requires("duplicate.review")
def keep_apart(candidate_id: str):  # noqa: ANN201
    candidate = _candidate(candidate_id)
    dup.keep_apart(candidate, current_user)
    flash(f"Kept apart: these two {candidate.kind}s will not be flagged again.", "success")
    return redirect(url_for("interop.duplicates"), code=303)
