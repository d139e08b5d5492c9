"""`flask jobs worker | scheduler | run NAME | status`."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from app.jobs.tasks import JOBS

jobs_cli = AppGroup("jobs", help="Background jobs (RQ on Redis, or inline from cron).")


def _need_queue() -> None:
    from app.jobs.runner import enabled

    if not enabled(current_app):
        raise click.ClickException(
            "REDIS_URL is not set: there is no job queue. Run jobs inline from cron with "
            "`flask jobs run NAME` (see `flask jobs run --help`)."
        )


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@click.option("--name", default=None, help="Worker name (default: host and process id).")
def worker(burst: bool, name: str | None) -> None:
    """Run jobs from the queue until stopped (one job at a time, in this process)."""
    from rq import SimpleWorker

    from app.jobs import runner

    _need_queue()
    # SimpleWorker runs each job in this process (no fork): the app and its database pool are
    # made once, and a job is stopped by RQ's timeout. Run several workers for more at once.
    queue = runner.queue(current_app)
    SimpleWorker([queue], connection=queue.connection, name=name).work(
        burst=burst, logging_level="INFO"
    )


@jobs_cli.command("scheduler")
def scheduler() -> None:
    """Put the periodic jobs on the queue on time (run exactly one of these)."""
    from app.jobs.schedule import build_scheduler, periodic_jobs, use_network_zone

    _need_queue()
    use_network_zone(current_app)
    for periodic in periodic_jobs(current_app):
        click.echo(f"{periodic.job}: {periodic.when}")
    build_scheduler(current_app).start()


_RUN_HELP = "Run one job now, here (for cron, or without Redis).\n\n\b\n" + "\n".join(
    f"{name}: {spec.help}" for name, spec in sorted(JOBS.items())
)


@jobs_cli.command("run", help=_RUN_HELP)
@click.argument("name", type=click.Choice(sorted(JOBS)))
@click.option("--queue", "on_queue", is_flag=True, help="Put it on the queue instead.")
def run(name: str, on_queue: bool) -> None:
    from app.jobs import runner
    from app.jobs.tasks import execute

    if on_queue:
        _need_queue()
        if not runner.enqueue(current_app, name):
            raise click.ClickException("Redis did not answer; nothing was queued.")
        click.echo(f"{name}: queued")
        return
    click.echo(f"{name}: {execute(name)}")


@jobs_cli.command("status")
def status() -> None:
    """Each job's last run; with a queue: its length, failed jobs, workers and next runs."""
    from app.jobs.status import report

    for line in report(current_app):
        click.echo(line)
