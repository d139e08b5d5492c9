"""job_run: each background job's last run and its single-flight lease

Revision ID: 9b4d6f8a1c3e
Revises: 5e4c0b1d2a73
Create Date: 2026-12-20 10:00:00.000000

"""

from alembic import op
import sqlalchemy as sa

import app.common


# revision identifiers, used by Alembic.
revision = "9b4d6f8a1c3e"
down_revision = "5e4c0b1d2a73"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "job_run",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("lease_until", app.common.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_started_at", app.common.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_finished_at", app.common.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_status", sa.String(length=20), nullable=True),
        sa.Column("last_summary", sa.String(length=300), nullable=True),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade():
    op.drop_table("job_run")
