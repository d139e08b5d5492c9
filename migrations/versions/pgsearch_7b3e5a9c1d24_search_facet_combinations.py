"""PostgreSQL search rows name their combination of facet values (search_facet), so a search
counts facets per combination instead of per row.

search_document gains facet_key; search_facet is new. The search rows are derived data, so the
tables are made anew here and filled by 6a1d3f5b7c92, which every upgrade reaches (today's fill
reads columns that later revisions add, eligibility_rule.strict among them). PostgreSQL only.

Revision ID: 7b3e5a9c1d24
Revises: 8c2e4a6f1b90
Create Date: 2026-12-06 17:40:00
"""

from alembic import op

revision = "7b3e5a9c1d24"
down_revision = "8c2e4a6f1b90"
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from app.search import pg_schema

    pg_schema.remake(bind)  # filled by 6a1d3f5b7c92


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from sqlalchemy import text

    bind.execute(text("DROP TABLE IF EXISTS search_facet"))
    bind.execute(text("ALTER TABLE search_document DROP COLUMN IF EXISTS facet_key"))
