"""local parameter files uploaded by an administrator (text, checksum, who and when)

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "local_parameter_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.ForeignKeyConstraint(["uploaded_by"], ["users.id"], name=op.f("fk_local_parameter_files_uploaded_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_local_parameter_files")),
    )
    with op.batch_alter_table("local_parameter_files") as batch:
        batch.create_index(batch.f("ix_local_parameter_files_sha256"), ["sha256"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("local_parameter_files") as batch:
        batch.drop_index(batch.f("ix_local_parameter_files_sha256"))
    op.drop_table("local_parameter_files")
