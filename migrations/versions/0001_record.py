"""the record: states, depositary actions, reports, reviews, decisions

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from obligations.db import guard_data_loss

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "states",
        sa.Column("code", sa.String(length=3), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("regional_group", sa.String(length=8), nullable=True),
        sa.Column("membership", sa.String(length=10), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "committee_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state_code", sa.String(length=3), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("report_number", sa.Integer(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("decided", sa.Date(), nullable=False),
        sa.Column("symbol", sa.String(length=64), nullable=True),
        sa.Column(
            "recorded_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["state_code"],
            ["states.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("committee_decisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_committee_decisions_state_code"), ["state_code"], unique=False
        )

    op.create_table(
        "depositary_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state_code", sa.String(length=3), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("articles", sa.String(length=16), nullable=False),
        sa.Column("effective", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("notification", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column(
            "recorded_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["state_code"],
            ["states.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("state_code", "action", "date", "articles", name="uq_action"),
    )
    with op.batch_alter_table("depositary_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_depositary_actions_state_code"), ["state_code"], unique=False
        )

    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state_code", sa.String(length=3), nullable=False),
        sa.Column("first_number", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.Column("received", sa.Date(), nullable=False),
        sa.Column("symbol", sa.String(length=64), nullable=True),
        sa.Column("procedure", sa.String(length=16), nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint("first_number >= 1 AND last_number >= first_number", name="ck_numbers"),
        sa.ForeignKeyConstraint(
            ["state_code"],
            ["states.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reports_state_code"), ["state_code"], unique=False)

    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state_code", sa.String(length=3), nullable=False),
        sa.Column("first_number", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.Column("session", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("symbol", sa.String(length=64), nullable=True),
        sa.Column(
            "recorded_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint("first_number >= 1 AND last_number >= first_number", name="ck_numbers"),
        sa.ForeignKeyConstraint(
            ["state_code"],
            ["states.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reviews_state_code"), ["state_code"], unique=False)

    op.create_table(
        "state_names",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state_code", sa.String(length=3), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("used_until", sa.Date(), nullable=False),
        sa.Column("precision", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["state_code"],
            ["states.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("state_code", "name", "used_until"),
    )
    with op.batch_alter_table("state_names", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_state_names_state_code"), ["state_code"], unique=False)


def downgrade() -> None:
    guard_data_loss(
        ("depositary_actions", "reports", "reviews", "committee_decisions"),
        "the recorded facts (depositary actions, reports, reviews, decisions)",
    )
    with op.batch_alter_table("state_names", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_state_names_state_code"))

    op.drop_table("state_names")
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reviews_state_code"))

    op.drop_table("reviews")
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reports_state_code"))

    op.drop_table("reports")
    with op.batch_alter_table("depositary_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_depositary_actions_state_code"))

    op.drop_table("depositary_actions")
    with op.batch_alter_table("committee_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_decisions_state_code"))

    op.drop_table("committee_decisions")
    op.drop_table("states")
