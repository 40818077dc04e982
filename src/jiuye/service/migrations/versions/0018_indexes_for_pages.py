"""indexes the pages read by: a case's history in the audit trail, the queue's date filter

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain CREATE INDEX (no batch copy): the audit table's triggers refuse the copy's DELETE.
    op.create_index("ix_audit_events_entity", "audit_events", ["entity", "entity_id"], unique=False)
    op.create_index("ix_applications_as_of_submitted", "applications", ["as_of_submitted"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_applications_as_of_submitted", table_name="applications")
    op.drop_index("ix_audit_events_entity", table_name="audit_events")
