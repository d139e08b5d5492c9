"""The one clock and the local calendar: evening hours in Hartford are still that day there."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from app.clock import days_between, local_date, local_day_bounds, local_today, utcnow
from app.templating import age_in_words

EVENING_8PM_EST = datetime(2026, 12, 6, 1, 0, tzinfo=UTC)  # Sat Dec 5, 8 pm in Hartford
SIX_PM_EST = datetime(2026, 12, 5, 23, 0, tzinfo=UTC)


def test_the_app_clock_is_the_frozen_one(app, time_machine):  # noqa: ANN001
    time_machine.move_to(EVENING_8PM_EST, tick=False)
    assert utcnow() == EVENING_8PM_EST
    assert local_today() == date(2026, 12, 5)  # the UTC date is already the 6th


def test_a_figure_set_at_6pm_reads_today_at_8pm_local(app, time_machine):  # noqa: ANN001
    time_machine.move_to(EVENING_8PM_EST, tick=False)
    assert age_in_words(SIX_PM_EST) == "today"
    assert age_in_words(SIX_PM_EST - timedelta(days=1)) == "yesterday"
    assert age_in_words(SIX_PM_EST - timedelta(days=2)) == "2 days ago"
    # Summer time: 6 pm EDT is 22:00 UTC, 8 pm EDT is 00:00 UTC the next day.
    july_8pm = datetime(2026, 7, 16, 0, 0, tzinfo=UTC)
    assert age_in_words(datetime(2026, 7, 15, 22, 0, tzinfo=UTC), july_8pm) == "today"


def test_just_after_local_midnight_last_evening_is_yesterday(app):  # noqa: ANN001
    after_midnight = datetime(2026, 12, 6, 5, 30, tzinfo=UTC)  # 00:30 in Hartford
    assert days_between(SIX_PM_EST, after_midnight) == 1
    assert age_in_words(datetime(2026, 12, 6, 4, 0, tzinfo=UTC), after_midnight) == "yesterday"


def test_local_days_are_23_and_25_hours_long_across_dst(app):  # noqa: ANN001
    spring_start, spring_end = local_day_bounds(date(2026, 3, 8), date(2026, 3, 8))
    assert spring_start == datetime(2026, 3, 8, 5, 0, tzinfo=UTC)
    assert spring_end - spring_start == timedelta(hours=23)
    fall_start, fall_end = local_day_bounds(date(2026, 11, 1), date(2026, 11, 1))
    assert fall_end - fall_start == timedelta(hours=25)
    assert local_date(fall_end - timedelta(seconds=1)) == date(2026, 11, 1)


def test_the_zone_is_the_configured_one(app):  # noqa: ANN001
    previous = app.config["TIMEZONE"]
    app.config["TIMEZONE"] = "America/Los_Angeles"
    try:
        # 06:30 UTC is still the evening before in Los Angeles, already morning in New York.
        assert local_date(datetime(2026, 12, 6, 6, 30, tzinfo=UTC)) == date(2026, 12, 5)
    finally:
        app.config["TIMEZONE"] = previous
    assert local_date(datetime(2026, 12, 6, 6, 30, tzinfo=UTC)) == date(2026, 12, 6)


def test_no_module_reads_the_wall_clock_or_a_utc_date_itself() -> None:
    """Every "now" comes from app.clock and every calendar day from its local helpers, so a
    frozen clock freezes the whole app and no rule counts UTC days by mistake."""
    import re
    from pathlib import Path

    import app as package

    forbidden = re.compile(
        r"date\.today\(|datetime\.now\(|datetime\.utcnow\(|utcnow\(\)\.date\(\)|\bnow\.date\(\)"
    )
    root = Path(package.__file__).parent
    offenders = [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for path in sorted(root.rglob("*.py"))
        if path.name != "clock.py"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if forbidden.search(line)
    ]
    assert offenders == [], "use app.clock (utcnow, local_today, local_date):\n" + "\n".join(
        offenders
    )
