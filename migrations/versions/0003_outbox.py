"""the notifier's outbox: messages and their recipients' natural keys

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from obligations.db import guard_data_loss

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbox_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("state_code", sa.String(length=3), nullable=True),
        sa.Column("report_number", sa.Integer(), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("to_addresses", sa.Text(), nullable=False),
        sa.Column("cc_addresses", sa.Text(), nullable=False),
        sa.Column("subject", sa.String(length=400), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("attachment_name", sa.String(length=120), nullable=True),
        sa.Column("attachment_text", sa.Text(), nullable=True),
        sa.Column("message_id", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("claimed_until", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'sent', 'failed')", name="ck_outbox_status"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id"),
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_due_for_delivery", ["status", "next_attempt_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_outbox_messages_state_code"), ["state_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_outbox_messages_created_at"), ["created_at"], unique=False
        )
    op.create_table(
        "outbox_recipients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("natural_key", sa.String(length=400), nullable=False),
        sa.Column("address", sa.String(length=254), nullable=False),
        sa.Column("field", sa.String(length=2), nullable=False),
        sa.ForeignKeyConstraint(["message_id"], ["outbox_messages.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("natural_key"),
    )
    with op.batch_alter_table("outbox_recipients", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_recipients_message_id"), ["message_id"], unique=False
        )


def downgrade() -> None:
    guard_data_loss(
        ("outbox_messages", "outbox_recipients"),
        "the outbox (without it the next sweep sends every reminder again)",
    )
    with op.batch_alter_table("outbox_recipients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_recipients_message_id"))
    op.drop_table("outbox_recipients")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_messages_created_at"))
        batch_op.drop_index(batch_op.f("ix_outbox_messages_state_code"))
        batch_op.drop_index("ix_outbox_due_for_delivery")
    op.drop_table("outbox_messages")
    # The scheduler's job store lives in the same database; it goes with the outbox.
    op.execute("DROP TABLE IF EXISTS apscheduler_jobs")
