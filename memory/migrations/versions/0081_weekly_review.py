"""weekly review: each person's next review time, swept like check-ins

Revision ID: 0081
Revises: 0070
"""

import sqlalchemy as sa
from alembic import op

revision = "0081"
down_revision = "0070"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("checkin_state") as batch:
        batch.add_column(sa.Column("review_at", sa.DateTime()))
    op.create_index("ix_checkin_state_review_at", "checkin_state", ["review_at"])


def downgrade() -> None:
    op.drop_index("ix_checkin_state_review_at", table_name="checkin_state")
    with op.batch_alter_table("checkin_state") as batch:
        batch.drop_column("review_at")
