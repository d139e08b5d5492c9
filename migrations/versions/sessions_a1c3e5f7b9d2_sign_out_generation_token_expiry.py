"""user.session_generation (server-side sign-out) and api_token.expires_at

Revision ID: a1c3e5f7b9d2
Revises: 99807bb810c7
Create Date: 2026-12-06 03:40:00.000000

"""

from datetime import UTC, datetime, timedelta

from alembic import op
import sqlalchemy as sa

import app.common


# revision identifiers, used by Alembic.
revision = "a1c3e5f7b9d2"
down_revision = "99807bb810c7"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False)
        )

    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", app.common.UTCDateTime(), nullable=True))
    # Tokens made before expiry existed get the default 90 days from now, so programs
    # using them keep working while their owners learn that tokens expire.
    api_token = sa.table("api_token", sa.column("expires_at", app.common.UTCDateTime()))
    op.execute(
        api_token.update()
        .where(api_token.c.expires_at.is_(None))
        .values(expires_at=datetime.now(UTC) + timedelta(days=90))
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.alter_column(
            "expires_at", existing_type=app.common.UTCDateTime(), nullable=False
        )


def downgrade():
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_column("expires_at")

    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("session_generation")
