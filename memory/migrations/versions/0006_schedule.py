"""schedule: reminders, check-in state, delivery log

Revision ID: 0006
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0001"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "reminders",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("person_id", ID, sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("next_at", sa.DateTime()),
        sa.Column("recurrence", sa.String(200)),
        sa.Column("local_start", sa.String(32)),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_reminders_person_id", "reminders", ["person_id"])
    op.create_index("ix_reminders_due", "reminders", ["status", "next_at"])
    op.create_table(
        "checkin_state",
        sa.Column(
            "person_id", ID, sa.ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("next_at", sa.DateTime()),
        sa.Column("unanswered", sa.Integer(), nullable=False),
        sa.Column("last_sent_at", sa.DateTime()),
        sa.Column("last_activity_at", sa.DateTime()),
    )
    op.create_index("ix_checkin_state_next_at", "checkin_state", ["next_at"])
    op.create_table(
        "deliveries",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(120), nullable=False),
        sa.Column("person_id", ID, sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("ref_id", ID),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("platform", sa.String(32)),
        sa.Column("text", sa.Text()),
        sa.Column("outcome", sa.String(16)),
        sa.Column("mentioned", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime()),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.UniqueConstraint("key", name="uq_delivery_key"),
    )
    op.create_index("ix_deliveries_person", "deliveries", ["person_id", "kind", "created_at"])
    # APScheduler's SQLAlchemyJobStore table (its own layout), created here so two
    # processes starting at once do not race to create it.
    op.create_table(
        "apscheduler_jobs",
        sa.Column("id", sa.Unicode(191), primary_key=True),
        sa.Column("next_run_time", sa.Float(25), index=True),
        sa.Column("job_state", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("apscheduler_jobs")
    op.drop_table("deliveries")
    op.drop_table("checkin_state")
    op.drop_table("reminders")
