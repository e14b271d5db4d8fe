"""reports and reviews out of sequence stand only with the reason recorded

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from obligations.db import guard_data_loss

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("reports", "reviews")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("out_of_sequence", sa.String(length=500), nullable=True))


def downgrade() -> None:
    guard_data_loss(
        TABLES,
        "the reasons recorded for reports and reviews out of sequence",
        "out_of_sequence IS NOT NULL",
    )
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("out_of_sequence")
