"""link attempts counted by a keyed hash of the identity, kept apart from the person

Failed /link attempts were rows naming the platform user id, erased with the person:
/deleteme then reset the count and reopened guessing. Now a row holds only
HMAC(key, identity) and a time, survives erasure and lives an hour. The old rows are
at most an hour of counts: they are dropped with the old table.

Revision ID: 0040
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0040"
down_revision = "0003"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.drop_index("ix_link_attempts_who", "link_attempts")
    op.drop_table("link_attempts")
    op.create_table(
        "link_attempts",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("who", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_link_attempts_who_at", "link_attempts", ["who", "at"])
    op.create_table(
        "link_attempt_key",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("key", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("link_attempt_key")
    op.drop_index("ix_link_attempts_who_at", "link_attempts")
    op.drop_table("link_attempts")
    op.create_table(
        "link_attempts",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("platform_user_id", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_link_attempts_who", "link_attempts", ["platform", "platform_user_id", "at"])
