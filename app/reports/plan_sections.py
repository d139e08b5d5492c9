"""The release-plan tables of the dashboard: labelled rows of counts registered with the page's
Linked counts, so they are protected together with the referral tables (page = CSV).

Each part and its complement are both shown ("plan started in time" and "later, or no plan"),
with the sum that ties them registered, so a small complement is hidden rather than left to be
worked out by subtraction. Shares and medians are Derived: hidden with any count they rest on.
"""

from __future__ import annotations

from app.plans.vocabulary import ItemKind
from app.reports.plan_measures import PLAN_LEAD_DAYS, PlanMeasures
from app.reports.sections import Section
from app.reports.suppression import Derived, Linked, show_days, show_rate

KEY = "plans"
PEOPLE_NOTE = (
    "People are counted by release date and, for a facility or town filter, by their facility and "
    "the town they are going to; the need area and provider filters do not apply. The checklist "
    "at release is the plan review recorded on return to the community. Essential items: "
    "discharge funds, transportation, clothing, ID, registration where it applies, housing, "
    "employment and treatment. Shares are of the people released; in line and not in line, of "
    "those released with a plan review."
)
GAPS_NOTE = (
    "People released in the period with a plan review, counted once per kind of item that was "
    "still to do, in progress or could not be arranged on release day."
)
DAYS_NOTE = (
    "Items that became arranged in the period (and are still arranged), whatever the release "
    "date: calendar days from the day the plan was started. The median is the middle value "
    "(the lower one for an even count)."
)


def plan_sections(m: PlanMeasures, linked: Linked) -> list[Section]:
    return [people_section(m, linked), gaps_section(m, linked), days_section(m, linked)]


def _share(linked: Linked, part: str, whole: str) -> Derived:
    keys = ((KEY, part), (KEY, whole))
    return Derived(keys, show_rate(linked.values[keys[0]], linked.values[keys[1]]))


def people_section(m: PlanMeasures, linked: Linked) -> Section:
    lead = PLAN_LEAD_DAYS
    lines = [
        ("released", "People released in the period", m.released, None),
        (
            "started_early",
            f"… plan started at least {lead} days before release",
            m.started_early,
            "released",
        ),
        ("started_late", "… plan started later than that, or no plan", m.started_late, "released"),
        (
            "reviewed",
            "… release recorded with a plan review (the checklist at release)",
            m.reviewed,
            "released",
        ),
        (
            "not_reviewed",
            "… released without a recorded plan review (not counted below)",
            m.not_reviewed,
            "released",
        ),
        (
            "in_line",
            "In line with the discharge plan: every essential item arranged or not needed",
            m.in_line,
            "reviewed",
        ),
        (
            "not_in_line",
            "Not in line: an essential item to do, in progress or could not arrange",
            m.not_in_line,
            "reviewed",
        ),
        (
            "need_help",
            "People who said “I need help with this” after release (answers in the period)",
            m.need_help,
            None,
        ),
    ]
    rows: list[tuple] = []
    for key, label, value, whole in lines:
        cell = linked.count((KEY, key), value)
        rows.append((label, cell, _share(linked, key, whole) if whole else ""))
    for total, parts in (
        ("released", ("started_early", "started_late")),
        ("released", ("reviewed", "not_reviewed")),
        ("reviewed", ("in_line", "not_in_line")),
    ):
        linked.total_of((KEY, total), [(KEY, p) for p in parts])
    return Section(
        "Release plans: people released",
        ("Measure", "People", "Share"),
        rows,
        note=PEOPLE_NOTE,
    )


def gaps_section(m: PlanMeasures, linked: Linked) -> Section:
    """Largest first; kinds with nobody left open stay in the table (0 points to nobody)."""
    order = {kind: i for i, kind in enumerate(ItemKind)}
    kinds = sorted(m.gaps, key=lambda k: (-m.gaps[k], order[k]))
    rows = []
    for kind in kinds:
        cell = linked.count((KEY, "gap", kind.value), m.gaps[kind])
        share = Derived(
            (cell.key, (KEY, "reviewed")), show_rate(m.gaps[kind], linked.values[(KEY, "reviewed")])
        )
        rows.append((kind.label, cell, share))
    return Section(
        "Items not arranged at release, by kind",
        ("Item", "People released with it not arranged", "Share of people released with a review"),
        rows,
        note=GAPS_NOTE,
    )


def days_section(m: PlanMeasures, linked: Linked) -> Section:
    rows = []
    for kind in ItemKind:
        figures = m.days.get(kind)
        if figures is None:
            continue
        cell = linked.count((KEY, "arranged", kind.value), figures.items)
        rows.append(
            (
                kind.label,
                cell,
                Derived((cell.key,), show_days(figures.median, figures.items)),
                Derived((cell.key,), show_days(figures.p90, figures.items)),
            )
        )
    return Section(
        "Days from plan start to arranged, by kind",
        ("Item", "Items arranged in the period", "Median", "90th percentile"),
        rows,
        note=DAYS_NOTE,
    )
