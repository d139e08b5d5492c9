"""`flask hsds export DIR` and `flask hsds import PATH`. Each command commits once; an import
then rebuilds the search data."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from app.extensions import db

hsds = AppGroup(
    "hsds",
    help="Open Referral HSDS datapackage export and import (3.x; 1.1, 2.0 in).",
)
MAX_LINES = 200


@hsds.command("export")
@click.argument("directory", type=click.Path(file_okay=False))
def hsds_export(directory: str) -> None:
    """Write every HSDS table we hold as CSV, with datapackage.json, into DIRECTORY."""
    from app.interop.csv_export import export_to_dir

    started = time.perf_counter()
    counts = export_to_dir(directory)
    rows = sum(counts.values())
    click.echo(f"{rows} rows in {len(counts)} files written to {directory} "
               f"in {time.perf_counter() - started:.1f} s.")  # fmt: skip


@hsds.command("import")
@click.argument("path", type=click.Path(exists=True))
@click.option("--strict", is_flag=True, help="Treat warnings as errors (import nothing).")
def hsds_import(path: str, strict: bool) -> None:
    """Import a datapackage folder or zip, or an HSDS JSON file: everything or nothing."""
    from app.interop.csv_import import import_path
    from app.interop.sources import SourceError

    started = time.perf_counter()
    try:
        report = import_path(path, strict=strict)
    except SourceError as exc:
        raise click.ClickException(str(exc)) from exc
    if report.version:
        click.echo(f"Read as HSDS {report.version}.")
    from app.interop.legacy.report import grouped_problems

    if report.conversion is not None:  # HSDS 1.1 / 2.0: by file and kind, counted
        for line in report.conversion.lines():
            click.echo(line)
        click.echo(report.conversion.summary())
    if report.conversion is not None or len(report.problems) > MAX_LINES:
        # many problems: each kind once, counted, with its first rows (never cut off)
        for line in grouped_problems(report.problems):
            click.echo(line, err=True)
    else:
        for problem in report.problems:
            click.echo(str(problem), err=True)
    if not report.ok:
        db.session.rollback()
        raise click.ClickException(report.summary())
    db.session.commit()
    click.echo(report.summary() + f" ({time.perf_counter() - started:.1f} s)")
    # The import writes rows in bulk, past the search sync: rebuild the search data now, so
    # what was imported is found (the admin upload page queues the same rebuild).
    from app.search.cli import rebuild_now

    try:
        click.echo(rebuild_now())
    except Exception as exc:  # noqa: BLE001 - the import is committed; say what is left to do
        raise click.ClickException(
            f"Imported, but the search data could not be rebuilt ({type(exc).__name__}): run "
            "`flask search rebuild` once the search is available."
        ) from exc
