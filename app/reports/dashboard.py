"""The dashboard's tables: figures turned into labelled, suppressed rows for the page and the CSV.

Both the page and the download are built from `dashboard_sections`, so a count the page hides
can never appear as a number in the CSV; and the tables are protected together (complementary
suppression, app.reports.suppression), so no hidden count follows from totals by subtraction.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from app.common import utcnow
from app.referrals.vocabulary import DeclineReason, NotEnrolledReason
from app.reports.charts import bar_chart, protect_chart
from app.reports.measures import Filters, Measures, compute, trend
from app.reports.plan_measures import PlanMeasures, compute_plans
from app.reports.plan_sections import plan_sections
from app.reports.sections import Section
from app.reports.suppression import Count, Linked, show_hours, show_rate
from app.reports.unmet import (
    UNKNOWN,
    UNMET_REASONS,
    UnmetNeed,
    compute_unmet,
    full_or_stale_services,
)
from app.templating import format_date


def _label(enum_cls: type, code: str) -> str:
    try:
        return enum_cls(code).label
    except ValueError:
        return code.replace("_", " ").capitalize()


def referral_section(m: Measures, linked: Linked) -> Section:
    r = m.reached

    def count(key: str, value: int) -> Count:
        return linked.count(("referrals", key), value)

    declined = [
        (code, count(f"declined:{code}", n)) for code, n in sorted(m.declined_by_reason.items())
    ]
    not_enrolled = [
        (code, count(f"not_enrolled:{code}", n))
        for code, n in sorted(m.not_enrolled_by_reason.items())
    ]
    rows: list[tuple] = [
        ("Referrals sent", count("sent", m.sent)),
        ("Accepted", count("accepted", r.get("accepted", 0))),
        ("Put on a waitlist", count("waitlisted", r.get("waitlisted", 0))),
        ("Declined", count("declined", r.get("declined", 0))),
    ]
    rows += [(f"Declined: {_label(DeclineReason, code)}", c) for code, c in declined]
    rows += [
        ("Enrolled", count("enrolled", r.get("enrolled", 0))),
        ("Completed", count("completed", r.get("completed", 0))),
        ("Did not enroll", count("not_enrolled", r.get("not_enrolled", 0))),
    ]
    rows += [(f"Did not enroll: {_label(NotEnrolledReason, code)}", c) for code, c in not_enrolled]
    rows += [
        ("Cancelled", count("cancelled", r.get("cancelled", 0))),
        ("Acceptance rate (accepted of accepted or declined)", show_rate(m.accepted, m.decided)),
        ("Median time to first answer", show_hours(m.median_response_seconds, m.responded)),
        ("90th percentile time to first answer", show_hours(m.p90_response_seconds, m.responded)),
        ("Answered within the deadline", show_rate(m.answered_in_time, m.deadline_base)),
        ("Waiting past the deadline now (any send date)", count("overdue", m.overdue_now)),
        ("People released with a discharge card", count("released", m.released_with_card)),
        (
            "… of them with a referral accepted before release",
            count("released_accepted", m.released_with_card_and_accepted),
        ),
    ]
    # A declined or not-enrolled referral stays so (closed), so each total is its reasons' sum.
    linked.total_of(("referrals", "declined"), [c.key for _, c in declined])
    linked.total_of(("referrals", "not_enrolled"), [c.key for _, c in not_enrolled])
    # Linked figures are turned into text only once the whole page is protected.
    return Section("Referrals", ("Measure", "Value"), rows)


def unmet_sections(u: UnmetNeed, names: dict[str, str], linked: Linked) -> list[Section]:
    headers = ("Searches with no result", "Declined: no room", "Declined: not eligible")
    needs = [
        code
        for code in [*u.searches_by_need, UNKNOWN]
        if code != UNKNOWN or any((UNKNOWN, r) in u.declines_by_need for r in UNMET_REASONS)
    ]
    by_need = [
        (
            names.get(code, code),
            linked.count(("need-search", code), u.searches_by_need.get(code, 0)),
            *(
                linked.count(("need", code, r), u.declines_by_need.get((code, r), 0))
                for r in UNMET_REASONS
            ),
        )
        for code in needs
    ]
    towns = sorted(set(u.searches_by_town) | {t for t, _ in u.declines_by_town})
    by_town = [
        (
            town,
            linked.count(("town-search", town), u.searches_by_town.get(town, 0)),
            *(
                linked.count(("town", town, r), u.declines_by_town.get((town, r), 0))
                for r in UNMET_REASONS
            ),
        )
        for town in towns
    ]
    # Every declined referral of these reasons is in one need-area row (else "unknown") and in
    # one town row, so each column adds up to the referral table's "Declined: <reason>".
    for r in UNMET_REASONS:
        if ("referrals", f"declined:{r}") not in linked.values:
            continue  # none declined for this reason: the columns are all 0
        linked.total_of(("referrals", f"declined:{r}"), [("need", c, r) for c in needs])
        linked.total_of(("referrals", f"declined:{r}"), [("town", t, r) for t in towns])
    return [
        Section("Unmet need by need area", ("Need area", *headers), by_need),
        Section("Unmet need by town", ("Town", *headers), by_town),
    ]


def period_name(period: str) -> str:
    """A trend period as people write it: a month "Sep 2026", a week by its Monday
    "Jan 19, 2026" (the figures are keyed by the ISO form, 2026-09 or 2026-01-19)."""
    if len(period) == len("2026-09"):
        month = date.fromisoformat(f"{period}-01")
        return f"{month:%b} {month.year}"
    return format_date(date.fromisoformat(period))


def trend_section(figures: list[tuple[str, int, int]], weekly: bool, linked: Linked) -> Section:
    unit, column = ("week", "Week starting (Monday)") if weekly else ("month", "Month")
    rows = [
        (
            period_name(period),
            linked.count(("sent", period), s),
            linked.count(("accepted", period), a),
        )
        for period, s, a in figures
    ]
    # The periods split the same referrals as the referral table: its totals are their sums.
    linked.total_of(("referrals", "sent"), [("sent", p) for p, _, _ in figures])
    linked.total_of(("referrals", "accepted"), [("accepted", p) for p, _, _ in figures])
    chart = bar_chart(
        f"Referrals sent and accepted by {unit}",
        ("Sent", "Accepted"),
        [(period_name(period), [s, a]) for period, s, a in figures],
        step=unit,
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
    protected = protected_sections(
        compute(filters),
        trend(filters),
        compute_unmet(filters, list(need_area_names)),
        need_area_names,
        weekly=filters.trend_by == "week",
        plans=compute_plans(filters),
    )
    return [*protected, capacity_section(need_area_names)]


def protected_sections(
    measures: Measures,
    figures: list[tuple[str, int, int]],
    unmet: UnmetNeed,
    need_area_names: dict[str, str],
    *,
    weekly: bool = False,
    plans: PlanMeasures | None = None,
) -> list[Section]:
    """The tables of people counts, protected together: no count hidden in one can be worked
    out from the figures shown in any of them (the page and the CSV show the same)."""
    linked = Linked()
    sections = [
        referral_section(measures, linked),
        trend_section(figures, weekly, linked),
        *unmet_sections(unmet, need_area_names, linked),
        *(plan_sections(plans, linked) if plans is not None else []),
    ]
    hidden = linked.hidden()
    return [
        replace(
            section,
            rows=linked.render(section.rows, hidden),
            chart=protect_chart(section.chart, section.rows, hidden) if section.chart else None,
        )
        for section in sections
    ]
