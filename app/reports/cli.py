"""`flask directory remind`: run from cron; asks provider contacts to check stale listings."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.extensions import db

directory = AppGroup("directory", help="Directory data freshness.")


@directory.command("remind")
def remind() -> None:
    """E-mail each provider contact (once per VERIFY_REMINDER_DAYS) about stale listings."""
    from app.reports.reminders import send_reminders

    count = send_reminders()
    db.session.commit()
    click.echo(f"{count} verification reminder{'s' if count != 1 else ''} queued")
