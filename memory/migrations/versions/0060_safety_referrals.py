"""safety: crisis referrals counted per day (no content, no person)

Revision ID: 0060
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0060"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "safety_referrals",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("via", sa.String(8), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_table("safety_referrals")
