"""plan_version: the database refuses UPDATE and DELETE (append-only trigger)

Revision ID: b7c1d2e3f4a5
Revises: e732e413ea61
Create Date: 2026-12-06 09:00:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "b7c1d2e3f4a5"
down_revision = "e732e413ea61"
branch_labels = None
depends_on = None

# Frozen copies of app.plans.models' statements, so this migration keeps meaning what it meant.
MESSAGE = "plan versions are append-only"
SQLITE = {
    "plan_version_no_update": "BEFORE UPDATE",
    "plan_version_no_delete": "BEFORE DELETE",
}


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name, when in SQLITE.items():
            op.execute(
                f"CREATE TRIGGER {name} {when} ON plan_version "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION plan_version_append_only() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER plan_version_append_only BEFORE UPDATE OR DELETE ON plan_version "
            "FOR EACH ROW EXECUTE FUNCTION plan_version_append_only()"
        )


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in SQLITE:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS plan_version_append_only ON plan_version")
        op.execute("DROP FUNCTION IF EXISTS plan_version_append_only()")
