"""check-ins decided, not guessed: follow-ups, topics, snooze and model usage

Revision ID: 0070
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0070"
down_revision = "0006"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "followups",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("person_id", ID, sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("concept", sa.String(32), nullable=False),
        sa.Column("what", sa.String(200), nullable=False),
        sa.Column("said", sa.Text(), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("event_at", sa.DateTime(), nullable=False),
        sa.Column("precision", sa.String(8), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("turn_id", ID),
        sa.Column("said_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_followups_person_status", "followups", ["person_id", "status"])
    with op.batch_alter_table("checkin_state") as batch:
        batch.add_column(sa.Column("snoozed_until", sa.DateTime()))
        batch.add_column(sa.Column("usage_day", sa.String(10)))
        batch.add_column(sa.Column("usage_calls", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(
            sa.Column("usage_tokens", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("topic", sa.String(120)))
    op.create_index("ix_deliveries_topic", "deliveries", ["person_id", "topic"])


def downgrade() -> None:
    op.drop_index("ix_deliveries_topic", table_name="deliveries")
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("topic")
    with op.batch_alter_table("checkin_state") as batch:
        batch.drop_column("usage_tokens")
        batch.drop_column("usage_calls")
        batch.drop_column("usage_day")
        batch.drop_column("snoozed_until")
    op.drop_index("ix_followups_person_status", table_name="followups")
    op.drop_table("followups")
