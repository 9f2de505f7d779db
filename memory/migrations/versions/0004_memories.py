"""memories: long-term memory rows (provenance, status, history)

Revision ID: 0004
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "memories",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("person_id", ID, sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("said_at", sa.DateTime(), nullable=False),
        sa.Column("refers_to", sa.DateTime()),
        sa.Column("source_turn_ids", sa.JSON(), nullable=False),
        sa.Column("platform", sa.String(32)),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_memories_person_status", "memories", ["person_id", "status"])


def downgrade() -> None:
    op.drop_index("ix_memories_person_status", "memories")
    op.drop_table("memories")
