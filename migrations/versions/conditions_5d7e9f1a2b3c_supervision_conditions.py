"""Supervision conditions on the client record; documents rules may be strictly required.

Revision ID: 5d7e9f1a2b3c
Revises: 5d8e1a3c7b20
Create Date: 2026-12-06 13:30:00
"""

import sqlalchemy as sa
from alembic import op

import app.common

revision = "5d7e9f1a2b3c"
down_revision = "5d8e1a3c7b20"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "supervision_conditions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("curfew_start", sa.Time(), nullable=True),
        sa.Column("curfew_end", sa.Time(), nullable=True),
        sa.Column("allowed_area", sa.JSON(), nullable=False),
        sa.Column("excluded_area", sa.JSON(), nullable=False),
        sa.Column("electronic_monitoring", sa.Boolean(), nullable=True),
        sa.Column("no_contact_places", sa.Text(), nullable=True),
        sa.Column("district", sa.String(length=40), nullable=True),
        sa.Column("updated_at", app.common.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_supervision_conditions_client_id_client")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user.id"],
            name=op.f("fk_supervision_conditions_updated_by_id_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_conditions")),
        sa.UniqueConstraint("client_id", name=op.f("uq_supervision_conditions_client_id")),
    )
    with op.batch_alter_table("eligibility_rule") as batch:
        batch.add_column(
            sa.Column("strict", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table("eligibility_rule") as batch:
        batch.drop_column("strict")
    op.drop_table("supervision_conditions")
