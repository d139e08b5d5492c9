"""`flask search ...`: rebuild the index from the database, apply queued updates, show status."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import AppGroup

search_cli = AppGroup("search", help="The search index.")


@search_cli.command("rebuild")
def rebuild() -> None:
    """Rebuild the index from scratch (then apply updates queued while it ran)."""
    click.echo(rebuild_now())


def rebuild_now() -> str:
    """Rebuild the search data of the configured backend from the database, here and now (a
    command, never a request); the line to print. Commits what the session holds first."""
    from app.search.index import index_size_bytes, rebuild_index
    from app.search.sync import backend_name

    if backend_name(current_app) == "postgres":
        from app.search.pg_backend import PostgresBackend

        started = time.perf_counter()
        count = PostgresBackend().rebuild()
        seconds = time.perf_counter() - started
        return f"Indexed {_services(count)} in PostgreSQL in {seconds:.1f} s."
    started = time.perf_counter()
    count = rebuild_index()
    seconds = time.perf_counter() - started
    size = index_size_bytes() / 1e6
    return f"Indexed {_services(count)} in {seconds:.1f} s ({size:.1f} MB)."


def _services(count: int) -> str:
    return f"{count:,} service" + ("" if count == 1 else "s")


@search_cli.command("apply-queue")
def apply_queue_command() -> None:
    """Apply queued index updates now (waits for the writer lock)."""
    from app.search import queue as wqueue
    from app.search.index import apply_queue, index_dir_from_config

    with wqueue.writer_lock(index_dir_from_config()):
        done = apply_queue()
    click.echo(f"Applied updates for {done} services.")


@search_cli.command("status")
def status() -> None:
    """Where the index is, its segments and deleted copies, and how many updates are queued."""
    from app.search import queue as wqueue
    from app.search.index import index_dir_from_config, index_exists, segment_counts
    from app.search.sync import backend_name

    click.echo(f"backend: {backend_name(current_app)}")
    if backend_name(current_app) == "postgres":
        from sqlalchemy import text

        from app.extensions import db

        rows = db.session.execute(text("SELECT count(*) FROM search_document")).scalar_one()
        click.echo(f"search rows: {rows} (written in each change's own transaction)")
        return
    path = index_dir_from_config()
    click.echo(f"index: {path} ({'present' if index_exists(path) else 'missing'})")
    counts = segment_counts(path)
    if counts:
        total, deleted = sum(n for n, _ in counts), sum(d for _, d in counts)
        click.echo(
            f"segments: {len(counts)}; live documents: {total - deleted}; old copies: {deleted} "
            f"({100 * deleted / max(1, total):.0f}%; `flask search rebuild` drops them)"
        )
    click.echo(f"queued updates: {len(wqueue.pending(path))}")
    click.echo(f"sync mode: {current_app.extensions.get('partners_search', {}).get('mode')}")
