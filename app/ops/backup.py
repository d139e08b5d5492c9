"""An online copy of a SQLite database (small installs), made with SQLite's own backup API.

The copy is consistent even while the app writes: SQLite copies pages in steps and starts over
if a writer changed the file meanwhile, so no lock is held for long. The copy is written beside
the target under a temporary name, checked (PRAGMA integrity_check) and only then renamed into
place, so a failed or interrupted backup never leaves a half file under the target's name.
PostgreSQL installs use pg_dump instead (README: Backups).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

PAGES_PER_STEP = 1024  # about 4 MB a step with 4 kB pages; writers wait at most one step


class BackupError(RuntimeError):
    """The backup could not be made; nothing was left at the target."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    bytes: int
    tables: dict[str, int]  # table -> rows in the copy


def sqlite_path(database_url: str) -> Path:
    """The file of a sqlite:/// URL; BackupError for any other database."""
    prefix = "sqlite:///"
    if not database_url.startswith(prefix) or database_url[len(prefix) :] in ("", ":memory:"):
        raise BackupError(
            "DATABASE_URL is not a SQLite file; back up PostgreSQL with pg_dump (README: Backups)"
        )
    return Path(database_url[len(prefix) :].split("?", 1)[0])


def row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}  # noqa: S608 - names from the catalog


def backup_sqlite(source: Path, target: Path, *, overwrite: bool = False) -> BackupResult:
    source, target = Path(source), Path(target)
    if not source.is_file():
        raise BackupError(f"no SQLite database at {source}")
    if target.exists() and not overwrite:
        raise BackupError(f"{target} exists; choose a new name or pass --overwrite")
    if target.resolve() == source.resolve():
        raise BackupError("the backup cannot replace the database itself")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst, pages=PAGES_PER_STEP)
        check = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"the copy failed its integrity check: {check}")
        tables = row_counts(dst)
    except (sqlite3.Error, BackupError):
        dst.close()
        partial.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    dst.close()
    os.replace(partial, target)
    return BackupResult(target, target.stat().st_size, tables)
