"""`flask referrals remind`: run from cron; reminds providers once about overdue referrals."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.extensions import db

referrals = AppGroup("referrals", help="Referral deadlines.")


@referrals.command("remind")
def remind() -> None:
    """Remind providers about unanswered referrals past their deadline (each only once)."""
    from app.referrals.services import remind_overdue

    count = remind_overdue()
    db.session.commit()
    click.echo(f"{count} overdue referral{'s' if count != 1 else ''} reminded")
