"""content versions: one token per scope, replaced in the transaction that changes the scope

Revision ID: 9c4e2a7b1f30
Revises: c4a8e2f61b39
Create Date: 2026-12-08 10:00:00.000000

"""

from alembic import op
import sqlalchemy as sa

import app.common


# revision identifiers, used by Alembic.
revision = "9c4e2a7b1f30"
down_revision = "c4a8e2f61b39"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "content_version",
        sa.Column("scope", sa.String(length=80), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("changed_at", app.common.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_content_version")),
    )


def downgrade():
    op.drop_table("content_version")
