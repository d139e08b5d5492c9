"""service_translation.documents: "what to bring" in the service's other language

Revision ID: c4a8e2f61b39
Revises: 9b4d6f8a1c3e
Create Date: 2026-12-01 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "c4a8e2f61b39"
down_revision = "9b4d6f8a1c3e"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("service_translation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("documents", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("service_translation", schema=None) as batch_op:
        batch_op.drop_column("documents")
