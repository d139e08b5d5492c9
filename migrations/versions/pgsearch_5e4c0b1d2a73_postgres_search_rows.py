"""PostgreSQL search rows: search_document, search_point, search_word, text configurations.

PostgreSQL only (SQLite keeps the Whoosh index and gets nothing here). The objects are made by
app.search.pg_schema, the same code the test suite uses, so both always agree.

Revision ID: 5e4c0b1d2a73
Revises: b7c1d2e3f4a5
Create Date: 2026-03-20 10:00:00
"""

from alembic import op

revision = "5e4c0b1d2a73"
down_revision = "b7c1d2e3f4a5"
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from app.search import pg_schema

    pg_schema.create(bind)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from app.search import pg_schema

    pg_schema.drop(bind)
