"""bill: voucher_checked_at (which bills the voucher sync has already asked about)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 03:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("t_bill", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("voucher_checked_at", sa.DateTime(), nullable=True, comment="凭证查询时间(UTC)")
        )


def downgrade() -> None:
    with op.batch_alter_table("t_bill", schema=None) as batch_op:
        batch_op.drop_column("voucher_checked_at")
