"""PostgreSQL search rows know strictly required documents: search_rule gains `strict` and every
rule's key includes it, so "hide who would refuse" hides a place that strictly requires a
document the person lacks. The search rows are derived data, filled by 6a1d3f5b7c92 (today's
fill writes columns that revision adds). PostgreSQL only.

Revision ID: 3f8b6d2e1a47
Revises: 7b3e5a9c1d24
Create Date: 2026-12-06 17:20:00
"""

from alembic import op

revision = "3f8b6d2e1a47"
down_revision = "7b3e5a9c1d24"
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from app.search import pg_schema

    pg_schema.create(bind)  # whatever is missing
    # Filled by 6a1d3f5b7c92 (the search row carries its place), which every upgrade reaches:
    # today's fill writes columns that revision adds.


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from sqlalchemy import text

    # the previous revision's search_rule had no `strict`; its keys left the flag out. Empty
    # tables: `flask search rebuild` on that version fills them with its own keys.
    for table in ("search_point", "search_hours", "search_rule", "search_document"):
        bind.execute(text(f"TRUNCATE {table} CASCADE"))
    bind.execute(text("ALTER TABLE search_rule DROP COLUMN strict"))
