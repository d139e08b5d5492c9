"""HSDS import runs (admin upload), where imported records came from, probable duplicates

Revision ID: 5d8e1a3c7b20
Revises: 5e7a1c3b9d20
Create Date: 2026-12-06 14:00:00.000000

"""

from alembic import op
import sqlalchemy as sa

import app.common


revision = "5d8e1a3c7b20"
down_revision = "5e7a1c3b9d20"
branch_labels = None
depends_on = None


def _status(name, values):
    return sa.Enum(*values, name=name, native_enum=False, length=40)


def upgrade():
    op.create_table(
        "import_run",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("uploaded_by_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", app.common.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", app.common.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", app.common.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "status",
            _status("import_run_status", ("queued", "running", "done", "failed")),
            nullable=False,
        ),
        sa.Column("phase", sa.String(length=100), nullable=False),
        sa.Column("version", sa.String(length=20), nullable=False),
        sa.Column("progress", sa.JSON(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["user.id"],
            name=op.f("fk_import_run_uploaded_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_run")),
    )
    with op.batch_alter_table("import_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_run_created_at"), ["created_at"], unique=False)

    op.create_table(
        "source_record",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("source_id", sa.String(length=36), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("source", sa.String(length=255), nullable=False),
        sa.Column("imported_at", app.common.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", "source_id", name=op.f("pk_source_record")),
    )
    with op.batch_alter_table("source_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_source_record_record_id"), ["record_id"], unique=False)

    op.create_table(
        "duplicate_candidate",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("first_id", sa.String(length=36), nullable=False),
        sa.Column("second_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.String(length=100), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column(
            "status",
            _status("duplicate_status", ("open", "merged", "kept_apart")),
            nullable=False,
        ),
        sa.Column("created_at", app.common.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", app.common.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.String(length=36), nullable=True),
        sa.Column("kept_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user.id"],
            name=op.f("fk_duplicate_candidate_decided_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duplicate_candidate")),
        sa.UniqueConstraint("kind", "first_id", "second_id", name="uq_duplicate_pair"),
    )
    with op.batch_alter_table("duplicate_candidate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_duplicate_candidate_status"), ["status"], unique=False
        )


def downgrade():
    op.drop_table("duplicate_candidate")
    op.drop_table("source_record")
    op.drop_table("import_run")
