"""Reports pages: network dashboard (+ a CSV per table, or a ZIP of them), provider scorecard,
data freshness, confirm link."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from app.accounts.models import Facility, Role
from app.clock import local_today
from app.common import utcnow
from app.directory.models import Organization
from app.directory.taxonomy import need_areas
from app.extensions import db
from app.permissions import PUBLIC, authorize, requires
from app.reports.dashboard import dashboard_sections
from app.reports.downloads import file_stem, find_table, table_csv, table_file_name, tables_zip
from app.reports.forms import DashboardFilterForm
from app.reports.measures import Filters

bp = Blueprint("reports", __name__, url_prefix="/reports")


def _top_need_areas() -> dict[str, str]:
    return {t.code: t.name for t in need_areas() if t.parent_id is None}


def _filter_form() -> tuple[DashboardFilterForm, Filters | None]:
    form = DashboardFilterForm(formdata=request.args)
    form.need_area.choices = [SelectChoice("", "All need areas")] + [
        SelectChoice(t.code, t.name) for t in need_areas()
    ]
    form.facility.choices = [SelectChoice("", "All facilities")] + [
        SelectChoice(f.id, f.name)
        for f in db.session.scalars(select(Facility).order_by(Facility.name))
    ]
    form.organization.choices = [SelectChoice("", "All providers")] + [
        SelectChoice(o.id, o.name)
        for o in db.session.scalars(select(Organization).order_by(Organization.name))
    ]
    for select_field in (form.need_area, form.facility, form.organization):
        select_field.data = select_field.data or ""
    if not form.validate():
        return form, None
    start, end = form.period(local_today())
    return form, Filters(
        start=start,
        end=end,
        need_area=form.need_area.data or None,
        facility_id=form.facility.data or None,
        organization_id=form.organization.data or None,
        town=(form.town.data or "").strip() or None,
        trend_by=form.trend_by.data or "month",
    )


@bp.get("/")
@requires("reports.view")
def dashboard():  # noqa: ANN201
    form, filters = _filter_form()
    if filters is None:
        return render_template("reports/dashboard.html", form=form, sections=[]), 422
    sections = dashboard_sections(filters, _top_need_areas())
    # The downloads carry the same filters (only those: nothing else in the address is copied).
    query = {f.name: request.args[f.name] for f in form if request.args.get(f.name)}
    return render_template(
        "reports/dashboard.html", form=form, sections=sections, filters=filters, query=query
    )


def _chosen(form: DashboardFilterForm) -> list[tuple[str, str]]:
    """The filters in words, as the form shows them (names, never ids)."""
    out = []
    for select_field in (form.need_area, form.facility, form.organization):
        if select_field.data:
            names = {c.value: c.label for c in select_field.choices}
            out.append((select_field.label.text, names.get(select_field.data, select_field.data)))
    if (form.town.data or "").strip():
        out.append((form.town.label.text, form.town.data.strip()))
    return out


@bp.get("/network/<table>.csv")
@requires("reports.view")
def dashboard_csv(table: str):  # noqa: ANN201
    """One table of the page as a CSV file."""
    form, filters = _filter_form()
    if filters is None:
        return Response("Invalid filters\n", status=422, mimetype="text/plain")
    section = find_table(dashboard_sections(filters, _top_need_areas()), table)
    if section is None:
        abort(404)
    name = table_file_name(section, filters)
    return Response(
        table_csv(section),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/network.zip")
@requires("reports.view")
def dashboard_zip():  # noqa: ANN201
    """Every table of the page, one CSV each, with a README, in one ZIP file."""
    form, filters = _filter_form()
    if filters is None:
        return Response("Invalid filters\n", status=422, mimetype="text/plain")
    body = tables_zip(dashboard_sections(filters, _top_need_areas()), filters, _chosen(form))
    return Response(
        body,
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{file_stem(filters)}.zip"'},
    )


@bp.get("/scorecard")
@requires("capacity.update")
def scorecard():  # noqa: ANN201
    from app.reports.scorecard import scorecard_for

    organization_id = request.args.get("organization") or None
    if current_user.role == Role.ADMIN:
        organization = db.session.get(Organization, organization_id) if organization_id else None
        if organization_id and organization is None:
            abort(404)
    else:
        own = sorted(current_user.organizations, key=lambda o: o.name)
        organization = next((o for o in own if o.id == organization_id), None)
        if organization_id and organization is None:
            abort(404)
        organization = organization or own[0]
    if organization is not None:
        authorize("capacity.update", organization)
    card = scorecard_for(organization, utcnow()) if organization is not None else None
    return render_template("reports/scorecard.html", organization=organization, card=card)


@bp.get("/freshness")
@requires("user.manage")
def freshness():  # noqa: ANN201
    from app.reports.freshness import freshness_rows

    return render_template("reports/freshness.html", rows=freshness_rows(utcnow()))


@bp.route("/confirm/<token>", methods=["GET", "POST"])
@requires(PUBLIC)
def confirm_listing(token: str):  # noqa: ANN201
    from app.reports.reminders import LinkError, confirm_listings, read_link

    try:
        link = read_link(token)
    except LinkError as error:
        return render_template("reports/confirm_invalid.html", message=str(error)), 404
    if request.method == "POST":
        count = confirm_listings(link, utcnow())
        flash(f"Thank you. {count} listing(s) marked as checked and still accurate.", "success")
        return redirect(url_for("reports.confirm_listing", token=token))
    return render_template("reports/confirm.html", link=link, token=token)
