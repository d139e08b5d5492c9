"""The dashboard's tables: figures turned into labelled, suppressed rows for the page and the CSV.

Both the page and the download are built from `dashboard_sections`, so a count the page shows as
"fewer than 5" can never appear as a number in the CSV.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from app import safe_csv
from app.common import utcnow
from app.referrals.vocabulary import DeclineReason, NotEnrolledReason
from app.reports.charts import Chart, bar_chart
from app.reports.measures import Filters, Measures, compute, trend
from app.reports.suppression import show_count, show_hours, show_rate
from app.reports.unmet import UNKNOWN, UnmetNeed, compute_unmet, full_or_stale_services


@dataclass(frozen=True)
class Section:
    title: str
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    chart: Chart | None = None


def _label(enum_cls: type, code: str) -> str:
    try:
        return enum_cls(code).label
    except ValueError:
        return code.replace("_", " ").capitalize()


def referral_section(m: Measures) -> Section:
    r = m.reached
    rows = [
        ("Referrals sent", show_count(m.sent)),
        ("Accepted", show_count(r.get("accepted", 0))),
        ("Put on a waitlist", show_count(r.get("waitlisted", 0))),
        ("Declined", show_count(r.get("declined", 0))),
    ]
    rows += [
        (f"Declined: {_label(DeclineReason, code)}", show_count(n))
        for code, n in sorted(m.declined_by_reason.items())
    ]
    rows += [
        ("Enrolled", show_count(r.get("enrolled", 0))),
        ("Completed", show_count(r.get("completed", 0))),
        ("Did not enroll", show_count(r.get("not_enrolled", 0))),
    ]
    rows += [
        (f"Did not enroll: {_label(NotEnrolledReason, code)}", show_count(n))
        for code, n in sorted(m.not_enrolled_by_reason.items())
    ]
    rows += [
        ("Cancelled", show_count(r.get("cancelled", 0))),
        ("Acceptance rate (accepted of accepted or declined)", show_rate(m.accepted, m.decided)),
        ("Median time to first answer", show_hours(m.median_response_seconds, m.responded)),
        ("90th percentile time to first answer", show_hours(m.p90_response_seconds, m.responded)),
        ("Answered within the deadline", show_rate(m.answered_in_time, m.deadline_base)),
        ("Waiting past the deadline now (any send date)", show_count(m.overdue_now)),
        ("People released with a discharge card", show_count(m.released_with_card)),
        (
            "… of them with a referral accepted before release",
            show_count(m.released_with_card_and_accepted),
        ),
    ]
    return Section("Referrals", ("Measure", "Value"), rows)


def unmet_sections(u: UnmetNeed, names: dict[str, str]) -> list[Section]:
    reasons = [c.value for c in (DeclineReason.NO_CAPACITY, DeclineReason.NOT_ELIGIBLE)]
    headers = ("Searches with no result", "Declined: no room", "Declined: not eligible")
    by_need = [
        (
            names.get(code, code),
            show_count(u.searches_by_need.get(code, 0)),
            *(show_count(u.declines_by_need.get((code, r), 0)) for r in reasons),
        )
        for code in [*u.searches_by_need, UNKNOWN]
        if code != UNKNOWN or any((UNKNOWN, r) in u.declines_by_need for r in reasons)
    ]
    towns = sorted(set(u.searches_by_town) | {t for t, _ in u.declines_by_town})
    by_town = [
        (
            town,
            show_count(u.searches_by_town.get(town, 0)),
            *(show_count(u.declines_by_town.get((town, r), 0)) for r in reasons),
        )
        for town in towns
    ]
    return [
        Section("Unmet need by need area", ("Need area", *headers), by_need),
        Section("Unmet need by town", ("Town", *headers), by_town),
    ]


def trend_section(filters: Filters) -> Section:
    figures = trend(filters)
    weekly = filters.trend_by == "week"
    unit, column = ("week", "Week starting (Monday)") if weekly else ("month", "Month")
    rows = [(period, show_count(s), show_count(a)) for period, s, a in figures]
    chart = bar_chart(
        f"Referrals sent and accepted by {unit}",
        ("Sent", "Accepted"),
        [(period, [s, a]) for period, s, a in figures],
    )
    return Section(f"Referrals by {unit} sent", (column, "Sent", "Accepted"), rows, chart)


def capacity_section(names: dict[str, str]) -> Section:
    """Services, not people: these counts are not suppressed."""
    figures = full_or_stale_services(list(names), utcnow())
    rows = [
        (names[code], str(figures.get(code, (0, 0))[0]), str(figures.get(code, (0, 0))[1]))
        for code in names
    ]
    return Section(
        "Services full or with an old capacity figure, now",
        ("Need area", "Full", "Capacity figure too old"),
        rows,
    )


def dashboard_sections(filters: Filters, need_area_names: dict[str, str]) -> list[Section]:
    measures = compute(filters)
    unmet = compute_unmet(filters, list(need_area_names))
    return [
        referral_section(measures),
        trend_section(filters),
        *unmet_sections(unmet, names=need_area_names),
        capacity_section(need_area_names),
    ]


def sections_csv(sections: list[Section], filters: Filters) -> str:
    """One CSV: a header block naming the period, then each table under its title."""
    out = io.StringIO()
    writer = safe_csv.writer(out)
    writer.writerow(["Partners network measures", f"{filters.start} to {filters.end}"])
    writer.writerow(["Counts from 1 to 4 are shown as 'fewer than 5' to protect people."])
    for section in sections:
        writer.writerow([])
        writer.writerow([section.title])
        writer.writerow(section.headers)
        writer.writerows(section.rows)
    return out.getvalue()
