"""payee record day and voids

Revision ID: 0011
Revises: 0010

``bank_accounts.recorded_on``: the service's day an account was recorded (the account-change
check uses it, not the typed ``valid_from``); rows recorded before take the day of ``created_at``.
Voids of payments and batches: the reason and who voided.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("bank_accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recorded_on", sa.Date(), nullable=True))
    accounts = sa.table("bank_accounts", sa.column("recorded_on", sa.Date()), sa.column("created_at", sa.DateTime()))
    op.execute(accounts.update().values(recorded_on=sa.func.date(accounts.c.created_at)))
    with op.batch_alter_table("bank_accounts", schema=None) as batch_op:
        batch_op.alter_column("recorded_on", existing_type=sa.Date(), nullable=False)
    for table in ("payment_batches", "payments"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("void_reason", sa.String(length=500), nullable=True))
            batch_op.add_column(sa.Column("voided_by", sa.Integer(), nullable=True))
            batch_op.create_foreign_key(batch_op.f(f"fk_{table}_voided_by_users"), "users", ["voided_by"], ["id"])


def downgrade() -> None:
    for table in ("payments", "payment_batches"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"fk_{table}_voided_by_users"), type_="foreignkey")
            batch_op.drop_column("voided_by")
            batch_op.drop_column("void_reason")
    with op.batch_alter_table("bank_accounts", schema=None) as batch_op:
        batch_op.drop_column("recorded_on")
