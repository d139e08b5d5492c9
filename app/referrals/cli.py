"""`flask referrals remind`: run from cron; reminds providers once about overdue referrals."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.extensions import db

referrals = AppGroup("referrals", help="Referral deadlines.")


@referrals.command("remind")
def remind() -> None:
    """Remind providers about overdue referrals and teams about consents ending soon (once each)."""
    from app.referrals.services import notify_expiring_consents, remind_overdue

    count = remind_overdue()
    consents = notify_expiring_consents()
    db.session.commit()
    click.echo(f"{count} overdue referral{'s' if count != 1 else ''} reminded")
    click.echo(f"{consents} care team{'s' if consents != 1 else ''} told of a consent ending soon")
