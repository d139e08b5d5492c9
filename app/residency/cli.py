"""`flask residency load-sites FILE` and `flask residency load-rules FILE`: all or nothing."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from app.domain_errors import FieldErrors
from app.extensions import db

residency_cli = AppGroup("residency", help="Residency restrictions: restricted sites and rules.")


@residency_cli.command("load-sites")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Remove the sites the file does not list.")
def load_sites(file: Path, replace: bool) -> None:
    """Load restricted sites from a CSV or GeoJSON file (nothing is saved if a row is wrong)."""
    from app.residency.loading import LoadError, load_file

    try:
        summary = load_file(file.read_text(encoding="utf-8-sig"), file.name, replace=replace)
    except LoadError as error:
        db.session.rollback()
        for problem in error.problems[:100]:
            click.echo(f"{file.name}: {problem}", err=True)
        raise click.ClickException(f"nothing loaded: {len(error.problems)} problem(s)") from None
    db.session.commit()
    click.echo(f"{file.name}: {summary}.")


@residency_cli.command("load-rules")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def load_rules(file: Path) -> None:
    """Add rules from a CSV: name, level, jurisdiction, kinds (a;b), distance_ft[, applies_to]."""
    from app.residency.rules import rules_from_csv

    try:
        saved = rules_from_csv(file.read_text(encoding="utf-8-sig"))
    except FieldErrors as error:
        db.session.rollback()
        for where, message in error.problems.items():
            click.echo(f"{file.name}: {where}: {message}", err=True)
        raise click.ClickException("nothing loaded") from None
    db.session.commit()
    click.echo(f"{file.name}: {len(saved)} rules added.")
