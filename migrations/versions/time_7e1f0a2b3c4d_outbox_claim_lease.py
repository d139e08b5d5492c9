"""outbox claim lease: a sender claims a message before sending it

Revision ID: 7e1f0a2b3c4d
Revises: acce55a0d170
Create Date: 2026-12-06 03:40:00.000000

"""

from alembic import op
import sqlalchemy as sa

import app.common


# revision identifiers, used by Alembic.
revision = "7e1f0a2b3c4d"
down_revision = "acce55a0d170"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("claimed_until", app.common.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade():
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_column("claimed_until")
