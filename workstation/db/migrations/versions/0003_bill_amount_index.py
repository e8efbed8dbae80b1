"""bill: index on total_amount (sort by amount without sorting every bill)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 09:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_t_bill_total_amount", "t_bill", ["total_amount"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_t_bill_total_amount", table_name="t_bill")
