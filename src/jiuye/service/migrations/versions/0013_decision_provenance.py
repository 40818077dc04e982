"""the engine's provenance of each decision on an application (at submission and at approval)

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("provenance_submitted", sa.Text(), nullable=True))
        batch.add_column(sa.Column("provenance_approved", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("provenance_approved")
        batch.drop_column("provenance_submitted")
