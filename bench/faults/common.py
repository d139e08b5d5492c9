"""What every fault script shares: a scratch PostgreSQL deployment with the demo data."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from stack import ROOT, base_env, flask, scratch_postgres  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/partners_faults"


def prepared_postgres(url: str, workdir: Path, **extra: str) -> dict[str, str]:
    """A fresh scratch database with the schema and demo data; returns the server's settings."""
    workdir.mkdir(parents=True, exist_ok=True)
    scratch_postgres(url)
    env = base_env(url, workdir, **extra)
    flask(env, "db", "upgrade")
    flask(env, "seed", "demo")
    flask(env, "search", "rebuild")
    return env


def scratch_database(url: str | None, workdir: Path) -> str:
    """An empty database for one run: the scratch PostgreSQL database `url` names (dropped and
    made again), or a fresh SQLite file in `workdir` when `url` is None."""
    workdir.mkdir(parents=True, exist_ok=True)
    if url:
        scratch_postgres(url)
        return url
    (workdir / "partners.db").unlink(missing_ok=True)
    return f"sqlite:///{workdir / 'partners.db'}"


def app_for(env: dict[str, str]):  # noqa: ANN201
    """The app in this process, on the same database (to look up ids and check what was kept)."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    from app import create_app

    return create_app()


def api_token(env: dict[str, str], email: str) -> str:
    return flask(env, "users", "token", email).strip().splitlines()[-1]
