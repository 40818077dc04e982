"""delivery documents

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "delivery_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("form", sa.String(length=20), nullable=False),
        sa.Column("measure_id", sa.String(length=64), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name=op.f("fk_delivery_documents_application_id_applications")
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name=op.f("fk_delivery_documents_subject_id_subjects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_documents")),
        sa.UniqueConstraint("application_id", "form", name=op.f("uq_delivery_documents_application_id_form")),
        sa.UniqueConstraint("number", name=op.f("uq_delivery_documents_number")),
    )
    with op.batch_alter_table("delivery_documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_delivery_documents_form"), ["form"], unique=False)
        batch_op.create_index(batch_op.f("ix_delivery_documents_region"), ["region"], unique=False)
        batch_op.create_index(batch_op.f("ix_delivery_documents_subject_id"), ["subject_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("delivery_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delivery_documents_subject_id"))
        batch_op.drop_index(batch_op.f("ix_delivery_documents_region"))
        batch_op.drop_index(batch_op.f("ix_delivery_documents_form"))
    op.drop_table("delivery_documents")
