"""inbox: the conversation key, an index for the retention purge; durable refusals

Revision ID: 0020
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbox") as batch:
        batch.add_column(sa.Column("chat_key", sa.String(64), nullable=True))
    op.create_index("ix_inbox_done_at", "inbox", ["done_at"])
    op.create_index("ix_inbox_chat", "inbox", ["platform", "chat_key", "id"])
    op.create_table(
        "refusals",
        sa.Column("platform", sa.String(32), primary_key=True),
        sa.Column("platform_user_id", sa.String(64), primary_key=True),
        sa.Column("refused_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("refusals")
    op.drop_index("ix_inbox_chat", "inbox")
    op.drop_index("ix_inbox_done_at", "inbox")
    with op.batch_alter_table("inbox") as batch:
        batch.drop_column("chat_key")
