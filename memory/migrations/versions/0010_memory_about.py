"""memories.about: what a fact is about (home, job, partner...), to find the fact a
new one replaces by its subject, not by wording alone

Revision ID: 0010
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("memories", sa.Column("about", sa.String(64)))
    op.create_index("ix_memories_person_about", "memories", ["person_id", "about"])


def downgrade() -> None:
    op.drop_index("ix_memories_person_about", "memories")
    op.drop_column("memories", "about")
