"""audit_entry: the database refuses UPDATE and DELETE (append-only trigger)

Revision ID: acce55a0d170
Revises: a1c3e5f7b9d2
Create Date: 2026-12-06 03:40:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "acce55a0d170"
down_revision = "a1c3e5f7b9d2"
branch_labels = None
depends_on = None

# Frozen copies of app.audit.models' statements, so this migration keeps meaning what it meant.
MESSAGE = "the audit trail is append-only"
SQLITE = {
    "audit_entry_no_update": "BEFORE UPDATE",
    "audit_entry_no_delete": "BEFORE DELETE",
}


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name, when in SQLITE.items():
            op.execute(
                f"CREATE TRIGGER {name} {when} ON audit_entry "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry "
            "FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()"
        )


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in SQLITE:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry")
        op.execute("DROP FUNCTION IF EXISTS audit_entry_append_only()")
