"""`flask seed ...`: reference, demo and synthetic scale data. Each command commits once."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db

seed = AppGroup("seed", help="Load reference, demo or synthetic data.")


@seed.command("taxonomy")
def seed_taxonomy() -> None:
    """Load the Open Eligibility taxonomy, need areas and capacity units (idempotent)."""
    from app.seeding.taxonomy import load_taxonomies

    counts = load_taxonomies()
    db.session.commit()
    click.echo(
        f"Taxonomies loaded: {counts['open_eligibility_terms']} Open Eligibility terms, "
        f"{counts['need_areas']} need areas."
    )


@seed.command("demo")
def seed_demo() -> None:
    """Load sample providers, facilities and demo users (idempotent; run on every start)."""
    from app.public.sample import ensure_sample_card, sample_card_code
    from app.seeding.demo import load_demo

    summary = load_demo()
    card = ensure_sample_card()
    db.session.commit()
    for line in summary.lines():
        click.echo(line)
    from app.search.index import index_exists, rebuild_index
    from app.search.sync import backend_name

    if backend_name(current_app) == "postgres":
        from app.search.pg_backend import PostgresBackend, has_rows

        if not has_rows(db.session):  # later changes write their own rows as they commit
            click.echo(f"Search rows built: {PostgresBackend().rebuild()} services.")
    elif not index_exists():  # so the first search after `make run` needs no background rebuild
        click.echo(f"Search index built: {rebuild_index()} services.")
    if card is not None:
        click.echo(f"Sample discharge card: code {sample_card_code()} — /card/{sample_card_code()}")
        # It belongs to no client, so only administrators may open or revoke it.
        click.echo(f"Sample card for administrators to manage: /cards/{card.id}")


@seed.command("synthetic")
@click.option("--services", "n", type=click.IntRange(min=1), required=True, help="How many.")
@click.option("--seed", "seed_value", type=int, default=1, show_default=True)
@click.option("--batch", type=click.IntRange(min=100), default=5000, show_default=True)
def seed_synthetic(n: int, seed_value: int, batch: int) -> None:
    """Generate N invented services for scale tests (same N and seed -> same data)."""
    from app.seeding.synthetic import SyntheticAlreadyPresent, generate_synthetic

    started = time.perf_counter()
    try:
        counts = generate_synthetic(n, seed=seed_value, batch=batch)
    except SyntheticAlreadyPresent as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    elapsed = time.perf_counter() - started
    click.echo(", ".join(f"{v} {k}" for k, v in counts.items()) + f" in {elapsed:.1f} s.")
