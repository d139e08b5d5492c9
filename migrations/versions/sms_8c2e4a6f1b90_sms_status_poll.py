"""sms status poll: when to ask Twilio for a text's delivery status

Revision ID: 8c2e4a6f1b90
Revises: 5d7e9f1a2b3c
Create Date: 2026-12-06 17:30:00.000000

"""

from alembic import op
import sqlalchemy as sa

import app.common


# revision identifiers, used by Alembic.
revision = "8c2e4a6f1b90"
down_revision = "5d7e9f1a2b3c"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("sms_message", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("next_poll_at", app.common.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(
            batch_op.f("ix_sms_message_next_poll_at"), ["next_poll_at"], unique=False
        )
    # Texts already handed over without a final report are asked about on the next poll
    # (the poll itself skips those sent before its horizon).
    op.execute(
        "UPDATE sms_message SET next_poll_at = sent_at WHERE provider_sid IS NOT NULL "
        "AND status NOT IN ('delivered', 'undelivered', 'failed', 'cancelled')"
    )


def downgrade():
    with op.batch_alter_table("sms_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sms_message_next_poll_at"))
        batch_op.drop_column("next_poll_at")
