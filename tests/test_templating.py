from datetime import UTC, datetime, timedelta

from app.templating import age_in_words, format_phone, tel_href

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def test_age_counts_calendar_days():
    assert age_in_words(NOW - timedelta(hours=2), NOW) == "today"
    assert age_in_words(datetime(2026, 11, 23, 23, 30, tzinfo=UTC), NOW) == "yesterday"
    assert age_in_words(NOW - timedelta(days=5), NOW) == "5 days ago"
    assert age_in_words(NOW - timedelta(days=21), NOW) == "3 weeks ago"
    assert age_in_words(NOW - timedelta(days=90), NOW) == "3 months ago"
    assert age_in_words(None, NOW) == "never"


def test_phone_is_shown_nationally_and_dialled_in_e164():
    assert format_phone("8605550104") == "(860) 555-0104"
    assert tel_href("(860) 555-0104") == "tel:+18605550104"


def test_moments_show_in_the_networks_time_zone_with_its_name(app) -> None:  # noqa: ANN001
    from app.templating import format_moment

    assert format_moment(datetime(2026, 1, 5, 14, 5, tzinfo=UTC)) == "Jan 5, 2026, 9:05 AM EST"
    assert format_moment(datetime(2026, 7, 4, 16, 30, tzinfo=UTC)) == "Jul 4, 2026, 12:30 PM EDT"
    assert format_moment(datetime(2026, 7, 5, 3, 0)) == "Jul 4, 2026, 11:00 PM EDT"  # naive = UTC
    assert format_moment(None) == ""
    app.config["TIMEZONE"] = "America/Los_Angeles"
    try:
        assert format_moment(datetime(2026, 1, 5, 14, 5, tzinfo=UTC)) == "Jan 5, 2026, 6:05 AM PST"
    finally:
        app.config["TIMEZONE"] = "America/New_York"
