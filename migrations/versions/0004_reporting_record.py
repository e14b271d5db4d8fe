"""the Committee's reporting practice: LOIPRs, lists of issues, concluding observations,
follow-up; sources and date precision on reports, reviews and decisions; natural keys

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from obligations.db import guard_data_loss

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PRECISION = sa.String(length=5)


def _precision(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, PRECISION, nullable=False, server_default="day")


def _fact_table(name: str, *columns: sa.Column, unique: tuple[str, ...]) -> None:  # type: ignore[type-arg]
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state_code", sa.String(length=3), nullable=False),
        *columns,
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["state_code"], ["states.code"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(*unique, name=f"uq_{name}"),
    )
    op.create_index(f"ix_{name}_state_code", name, ["state_code"])


def upgrade() -> None:
    with op.batch_alter_table("states") as batch:
        batch.add_column(sa.Column("history_researched_until", sa.Date(), nullable=True))
        batch.add_column(sa.Column("history_note", sa.Text(), nullable=True))
    with op.batch_alter_table("depositary_actions") as batch:
        batch.add_column(_precision("date_precision"))
    with op.batch_alter_table("reports") as batch:
        batch.add_column(_precision("received_precision"))
        batch.add_column(sa.Column("source", sa.String(length=500), nullable=True))
        batch.create_unique_constraint("uq_report_first", ["state_code", "first_number"])
        batch.create_unique_constraint("uq_report_last", ["state_code", "last_number"])
    with op.batch_alter_table("reviews") as batch:
        # Some reviews are known by their dates, not their session.
        batch.alter_column("session", existing_type=sa.Integer(), nullable=True)
        batch.add_column(
            sa.Column("without_report", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("source", sa.String(length=500), nullable=True))
        batch.create_unique_constraint(
            "uq_review", ["state_code", "first_number", "last_number", "date"]
        )
    with op.batch_alter_table("committee_decisions") as batch:
        batch.add_column(_precision("due_precision"))
        batch.add_column(_precision("decided_precision"))
        batch.add_column(sa.Column("source", sa.String(length=500), nullable=True))
        batch.create_unique_constraint(
            "uq_decision", ["state_code", "report_number", "decided", "kind"]
        )
    _fact_table(
        "loiprs",
        sa.Column("report_number", sa.Integer(), nullable=False),
        sa.Column("symbol", sa.String(length=64), nullable=False),
        sa.Column("transmitted", sa.Date(), nullable=False),
        _precision("transmitted_precision"),
        sa.Column("deadline", sa.Date(), nullable=True),
        _precision("deadline_precision"),
        unique=("state_code", "report_number"),
    )
    _fact_table(
        "lists_of_issues",
        sa.Column("report_number", sa.Integer(), nullable=False),
        sa.Column("symbol", sa.String(length=64), nullable=False),
        sa.Column("issued", sa.Date(), nullable=False),
        _precision("issued_precision"),
        sa.Column("replies_received", sa.Date(), nullable=True),
        _precision("replies_precision"),
        sa.Column("replies_symbol", sa.String(length=64), nullable=True),
        unique=("state_code", "symbol"),
    )
    _fact_table(
        "concluding_observations",
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("symbol", sa.String(length=64), nullable=False),
        sa.Column("adopted", sa.Date(), nullable=False),
        _precision("adopted_precision"),
        sa.Column("session", sa.Integer(), nullable=True),
        sa.Column("next_first", sa.Integer(), nullable=True),
        sa.Column("next_last", sa.Integer(), nullable=True),
        sa.Column("next_due", sa.Date(), nullable=True),
        _precision("next_due_precision"),
        sa.Column("next_due_mode", sa.String(length=16), nullable=False),
        sa.Column("follow_up_due", sa.Date(), nullable=True),
        _precision("follow_up_precision"),
        sa.Column("follow_up_paragraphs", sa.String(length=64), nullable=True),
        unique=("state_code", "number"),
    )
    _fact_table(
        "follow_up_received",
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("symbol", sa.String(length=64), nullable=True),
        sa.Column("received", sa.Date(), nullable=False),
        _precision("received_precision"),
        unique=("state_code", "number"),
    )


def downgrade() -> None:
    guard_data_loss(
        ("follow_up_received", "concluding_observations", "lists_of_issues", "loiprs"),
        "the Committee's reporting record (lists of issues, concluding observations, follow-up)",
    )
    for table in ("follow_up_received", "concluding_observations", "lists_of_issues", "loiprs"):
        op.drop_index(f"ix_{table}_state_code", table_name=table)
        op.drop_table(table)
    with op.batch_alter_table("committee_decisions") as batch:
        batch.drop_constraint("uq_decision", type_="unique")
        batch.drop_column("source")
        batch.drop_column("decided_precision")
        batch.drop_column("due_precision")
    with op.batch_alter_table("reviews") as batch:
        batch.drop_constraint("uq_review", type_="unique")
        batch.drop_column("source")
        batch.drop_column("without_report")
        # `session` stays nullable: reviews known only by their dates cannot take a session.
    with op.batch_alter_table("reports") as batch:
        batch.drop_constraint("uq_report_last", type_="unique")
        batch.drop_constraint("uq_report_first", type_="unique")
        batch.drop_column("source")
        batch.drop_column("received_precision")
    with op.batch_alter_table("depositary_actions") as batch:
        batch.drop_column("date_precision")
    # Not a batch: rebuilding `states` on SQLite would break every foreign key to it.
    op.execute("ALTER TABLE states DROP COLUMN history_note")
    op.execute("ALTER TABLE states DROP COLUMN history_researched_until")
