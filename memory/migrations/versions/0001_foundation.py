"""foundation: people, identities, turns, inbox

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("display_name", sa.String(200)),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("locale", sa.String(32)),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime()),
        sa.Column("conversation_since", sa.DateTime()),
        sa.Column("preferred_platform", sa.String(32)),
    )
    op.create_table(
        "identities",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column(
            "person_id",
            ID,
            sa.ForeignKey("people.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("platform_user_id", sa.String(64), nullable=False),
        sa.Column("chat_id", sa.String(64)),
        sa.Column("unreachable", sa.Boolean(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime()),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("platform", "platform_user_id", name="uq_identity"),
    )
    op.create_table(
        "turns",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("person_id", ID, sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("platform", sa.String(32)),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
    )
    op.create_index("ix_turns_person_time", "turns", ["person_id", "created_at"])
    op.create_table(
        "inbox",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("update_id", sa.String(64), nullable=False),
        sa.Column("user_key", sa.String(64)),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("done_at", sa.DateTime()),
        sa.Column("claimed_by", sa.String(64)),
        sa.Column("claimed_at", sa.DateTime()),
        sa.UniqueConstraint("platform", "update_id", name="uq_inbox_update"),
    )
    op.create_index("ix_inbox_status", "inbox", ["status", "id"])


def downgrade() -> None:
    op.drop_table("inbox")
    op.drop_index("ix_turns_person_time", "turns")
    op.drop_table("turns")
    op.drop_table("identities")
    op.drop_table("people")
