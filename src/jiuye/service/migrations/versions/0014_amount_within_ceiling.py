"""what the money is: the engine's ceiling at submission and the amount set within it

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ceiling_submitted_fen", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("amount_set_fen", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("amount_set_by", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_applications_amount_set_by_users"), "users", ["amount_set_by"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_applications_amount_set_by_users"), type_="foreignkey")
        batch_op.drop_column("amount_set_by")
        batch_op.drop_column("amount_set_fen")
        batch_op.drop_column("ceiling_submitted_fen")
