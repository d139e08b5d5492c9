"""PostgreSQL search rows carry the place of a service at exactly one place (lat, lon, unit
vector, location id, and a btree on (lat, lon)); search_point marks the points of services at
several places (`multi`, with a partial index). A search with a place then narrows the rows by
the text's index and the place's index at once. The search rows are derived data: the tables
are made anew and filled from the catalog right here (SQL, seconds at 50,000 services); earlier
search revisions only make the tables, since today's fill reads what later revisions add.
PostgreSQL only.

Revision ID: 6a1d3f5b7c92
Revises: 3f8b6d2e1a47
Create Date: 2026-12-06 21:40:00
"""

from alembic import op

revision = "6a1d3f5b7c92"
down_revision = "3f8b6d2e1a47"
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from app.search import pg_rebuild, pg_schema

    pg_schema.remake(bind)  # the previous revision's tables, if any, made anew
    pg_rebuild.rebuild_on(bind)  # filled from the catalog


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from sqlalchemy import text

    # Empty tables: `flask search rebuild` on the previous version fills them again.
    for table in ("search_point", "search_hours", "search_rule", "search_document"):
        bind.execute(text(f"TRUNCATE {table} CASCADE"))
    bind.execute(text("DROP INDEX IF EXISTS search_document_lat_lon"))
    bind.execute(text("DROP INDEX IF EXISTS search_point_multi"))
    for column in ("lat", "lon", "x", "y", "z", "location_id"):
        bind.execute(text(f"ALTER TABLE search_document DROP COLUMN {column}"))
    bind.execute(text("ALTER TABLE search_point DROP COLUMN multi"))
