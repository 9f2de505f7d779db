"""channel cursors: per direct-message chat, the last message taken into the inbox

Revision ID: 0030
Revises: 0001
"""

import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "channel_cursors",
        sa.Column("platform", sa.String(16), primary_key=True),
        sa.Column("channel_id", sa.String(64), primary_key=True),
        sa.Column("user_key", sa.String(64), nullable=True),
        sa.Column("last_message_id", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_channel_cursors_user_key", "channel_cursors", ["user_key"])
    _seed_from_the_inbox()


def _seed_from_the_inbox() -> None:
    """Direct-message chats the bot already answered in (their ids are in the inbox's
    Discord entries) are caught up after an outage too, not only new ones."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT payload, user_key FROM inbox WHERE platform = 'discord'")
    ).fetchall()
    latest: dict[str, tuple[int, str | None]] = {}
    for payload, user_key in rows:
        try:
            data = json.loads(payload)
            if data.get("kind") != "message" or not data.get("private"):
                continue
            channel, message = str(int(data["channel_id"])), int(data["message_id"])
        except (ValueError, TypeError, KeyError, AttributeError):
            continue
        if channel not in latest or latest[channel][0] < message:
            latest[channel] = (message, user_key)
    now = datetime.now(UTC).replace(tzinfo=None)
    table = sa.table(
        "channel_cursors",
        sa.column("platform", sa.String),
        sa.column("channel_id", sa.String),
        sa.column("user_key", sa.String),
        sa.column("last_message_id", sa.BigInteger),
        sa.column("updated_at", sa.DateTime),
    )
    if latest:
        op.bulk_insert(
            table,
            [
                {
                    "platform": "discord",
                    "channel_id": channel,
                    "user_key": user_key,
                    "last_message_id": message,
                    "updated_at": now,
                }
                for channel, (message, user_key) in latest.items()
            ],
        )


def downgrade() -> None:
    op.drop_index("ix_channel_cursors_user_key", "channel_cursors")
    op.drop_table("channel_cursors")
