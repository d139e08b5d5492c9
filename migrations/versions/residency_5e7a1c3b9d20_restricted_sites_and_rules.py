"""residency restrictions: restricted_site and residency_rule

Revision ID: 5e7a1c3b9d20
Revises: 5b7d9f1a3c20
Create Date: 2026-12-06 13:30:00.000000

"""

from alembic import op
import sqlalchemy as sa

import app.common


revision = "5e7a1c3b9d20"
down_revision = "5b7d9f1a3c20"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "restricted_site",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "school", "child_care", "park", "playground", "other",
                name="site_kind", native_enum=False, length=40,
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=250), nullable=False),
        sa.Column("town", sa.String(length=100), nullable=True),
        sa.Column("geometry", sa.Text(), nullable=False),
        sa.Column("min_lat", sa.Float(), nullable=False),
        sa.Column("min_lon", sa.Float(), nullable=False),
        sa.Column("max_lat", sa.Float(), nullable=False),
        sa.Column("max_lon", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=250), nullable=True),
        sa.Column("loaded_at", app.common.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("restricted_site", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_restricted_site_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_restricted_site_town"), ["town"], unique=False)
    op.create_table(
        "residency_rule",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "level",
            sa.Enum("state", "county", "town", name="residency_level", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("jurisdiction", sa.String(length=100), nullable=False),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("distance_ft", sa.Integer(), nullable=False),
        sa.Column(
            "applies_to",
            sa.Enum("registry", name="residency_applies_to", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", app.common.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade():
    op.drop_table("residency_rule")
    with op.batch_alter_table("restricted_site", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_restricted_site_town"))
        batch_op.drop_index(batch_op.f("ix_restricted_site_kind"))
    op.drop_table("restricted_site")
