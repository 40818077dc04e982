"""claimant identity status and who filed

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Subjects registered so far were all registered by staff: verified.
    with op.batch_alter_table("subjects", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("identity_status", sa.String(length=16), nullable=False, server_default="verified")
        )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("filed_as", sa.String(length=16), nullable=True))
    # Who filed existing claims, in what capacity: staff for caseworker and proactive cases, else the subject.
    op.execute(
        "UPDATE applications SET filed_as = CASE WHEN source IN ('caseworker', 'proactive') THEN 'caseworker' "
        "ELSE (SELECT CASE WHEN subjects.kind = 'person' THEN 'individual' ELSE 'enterprise' END "
        "FROM subjects WHERE subjects.id = applications.subject_id) END"
    )


def downgrade() -> None:
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_column("filed_as")
    with op.batch_alter_table("subjects", schema=None) as batch_op:
        batch_op.drop_column("identity_status")
