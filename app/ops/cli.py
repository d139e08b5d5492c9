"""`flask backup sqlite PATH`: an online copy of the SQLite database (app.ops.backup)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

backup = AppGroup("backup", help="Backups of the database.")


@backup.command("sqlite")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--overwrite", is_flag=True, help="Replace PATH if it exists.")
def backup_sqlite_command(path: Path, overwrite: bool) -> None:
    """Copy the SQLite database to PATH while the app keeps running (SQLite's backup API)."""
    from app.ops.backup import BackupError, backup_sqlite, sqlite_path

    try:
        source = sqlite_path(current_app.config["SQLALCHEMY_DATABASE_URI"])
        result = backup_sqlite(source, path, overwrite=overwrite)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    rows = sum(result.tables.values())
    click.echo(
        f"backed up {source} to {result.path}: {result.bytes} bytes, "
        f"{len(result.tables)} tables, {rows} rows; integrity check ok"
    )
