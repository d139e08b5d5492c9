"""`flask` commands: seed, users, outbox, referrals."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup


def register_cli(app: Flask) -> None:
    from app.accounts.cli import users
    from app.interop.cli import hsds
    from app.jobs.cli import jobs_cli
    from app.ops.cli import backup
    from app.referrals.cli import referrals
    from app.reports.cli import directory
    from app.residency.cli import residency_cli
    from app.search.cli import search_cli
    from app.seeding.cli import seed

    app.cli.add_command(users)
    app.cli.add_command(hsds)
    app.cli.add_command(seed)
    app.cli.add_command(search_cli)
    app.cli.add_command(referrals)
    app.cli.add_command(directory)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(backup)
    app.cli.add_command(residency_cli)

    outbox = AppGroup("outbox", help="Outgoing e-mail.")

    @outbox.command("send")
    @click.option("--limit", default=500, show_default=True)
    def outbox_send(limit: int) -> None:
        """Deliver pending e-mail from the outbox (run from cron)."""
        from app.notify.services import send_pending

        sent, failed = send_pending(limit=limit)
        click.echo(f"{sent} sent, {failed} failed")

    app.cli.add_command(outbox)
