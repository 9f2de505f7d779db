"""indexes for recall's catch-up reads: a person's turns and memories by id

Each recall asks for the person's turns and memories newer than the last it saw
("WHERE person_id = ? AND id > ?"); without these, the person's whole history is
scanned every time.

Revision ID: 0011
Revises: 0010
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_turns_person_id", "turns", ["person_id", "id"])
    op.create_index("ix_memories_person_id", "memories", ["person_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_memories_person_id", "memories")
    op.drop_index("ix_turns_person_id", "turns")
