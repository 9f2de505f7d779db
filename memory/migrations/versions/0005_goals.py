"""goals and progress entries

Revision ID: 0005
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0001"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "goals",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("person_id", ID, sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("why", sa.Text()),
        sa.Column("cadence", sa.String(16), nullable=False),
        sa.Column("times_per_period", sa.Integer(), nullable=False),
        sa.Column("target_date", sa.Date()),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("completed_at", sa.DateTime()),
    )
    op.create_index("ix_goals_person_status", "goals", ["person_id", "status"])
    op.create_table(
        "goal_progress",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("goal_id", ID, sa.ForeignKey("goals.id", ondelete="CASCADE"), nullable=False),
        sa.Column("person_id", ID, sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("amount", sa.Float()),
        sa.Column("note", sa.Text()),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("source_turn_id", ID),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_goal_progress_goal_time", "goal_progress", ["goal_id", "at"])
    op.create_index("ix_goal_progress_person_id", "goal_progress", ["person_id"])


def downgrade() -> None:
    op.drop_index("ix_goal_progress_person_id", "goal_progress")
    op.drop_index("ix_goal_progress_goal_time", "goal_progress")
    op.drop_table("goal_progress")
    op.drop_index("ix_goals_person_status", "goals")
    op.drop_table("goals")
