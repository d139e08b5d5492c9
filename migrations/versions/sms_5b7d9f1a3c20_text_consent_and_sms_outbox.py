"""text messages: the person's consent to texts and the SMS outbox

Revision ID: 5b7d9f1a3c20
Revises: 9c2d4e6f8a10
Create Date: 2026-12-06 13:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

import app.common

revision = "5b7d9f1a3c20"
down_revision = "9c2d4e6f8a10"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "text_consent",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("given_at", app.common.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.String(length=36), nullable=True),
        sa.Column("revoked_at", app.common.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.String(length=36), nullable=True),
        sa.Column("stopped_at", app.common.UTCDateTime(timezone=True), nullable=True),
        sa.Column("stopped_by", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["revoked_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("text_consent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_text_consent_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_text_consent_phone"), ["phone"], unique=False)

    op.create_table(
        "sms_message",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("consent_id", sa.String(length=36), nullable=False),
        sa.Column("to_number", sa.String(length=20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("once_key", sa.String(length=120), nullable=True),
        sa.Column("queued_by_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", app.common.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", app.common.UTCDateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", app.common.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("failed", sa.Boolean(), nullable=False),
        sa.Column("claimed_until", app.common.UTCDateTime(timezone=True), nullable=True),
        sa.Column("provider_sid", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_at", app.common.UTCDateTime(timezone=True), nullable=True),
        sa.Column("error_code", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"]),
        sa.ForeignKeyConstraint(["consent_id"], ["text_consent.id"]),
        sa.ForeignKeyConstraint(["queued_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("once_key"),
        sa.UniqueConstraint("provider_sid"),
    )
    with op.batch_alter_table("sms_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sms_message_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sms_message_consent_id"), ["consent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sms_message_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_sms_message_sent_at"), ["sent_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_sms_message_next_attempt_at"), ["next_attempt_at"], unique=False
        )


def downgrade():
    op.drop_table("sms_message")
    op.drop_table("text_consent")
