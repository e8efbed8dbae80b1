"""quota issue actions: a clerk's quota issue, persisted before Alipay is called (idempotency)

Revision ID: 0005
Revises: 0003 (0004 once it lands: see down_revision)
Create Date: 2026-11-22 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
# The brief names 0004 as the parent; 0004 was not written yet when this landed, so this
# chains from 0003 for now. When 0004 arrives (down_revision "0003"), set this to "0004".
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "t_quota_issue_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outer_source_id", sa.String(length=64), nullable=False, comment="外部来源ID(幂等)"),
        sa.Column("enterprise_id", sa.String(length=64), nullable=False, comment="企业ID"),
        sa.Column("employee_id", sa.String(length=64), nullable=False, comment="员工ID"),
        sa.Column("institution_id", sa.String(length=64), nullable=False, comment="制度ID"),
        sa.Column("amount", MONEY, nullable=False, comment="发放金额（分）"),
        sa.Column("valid_from", sa.DateTime(), nullable=False, comment="有效期开始"),
        sa.Column("valid_to", sa.DateTime(), nullable=False, comment="有效期结束"),
        sa.Column("batch_id", sa.String(length=64), nullable=True, comment="批量发放ID"),
        sa.Column("state", sa.String(length=32), nullable=False, comment="状态"),
        sa.Column("quota_id", sa.String(length=64), nullable=True, comment="发放成功的额度ID"),
        sa.Column("attempts", sa.Integer(), nullable=False, comment="调用次数"),
        sa.Column("error_zh", sa.String(length=512), nullable=True, comment="最近错误（中文）"),
        sa.Column("error_en", sa.String(length=512), nullable=True, comment="最近错误（英文）"),
        sa.Column("creator", sa.String(length=64), nullable=True),
        sa.Column("create_time", sa.DateTime(), nullable=False),
        sa.Column("updater", sa.String(length=64), nullable=True),
        sa.Column("update_time", sa.DateTime(), nullable=False),
        sa.Column("deleted", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_t_quota_issue_action_amount_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_t_quota_issue_action")),
        sa.UniqueConstraint(
            "outer_source_id", name=op.f("uq_t_quota_issue_action_outer_source_id")
        ),
        comment="额度发放操作表",
    )
    with op.batch_alter_table("t_quota_issue_action", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_t_quota_issue_action_batch_id"), ["batch_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_t_quota_issue_action_state"), ["state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("t_quota_issue_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_t_quota_issue_action_state"))
        batch_op.drop_index(batch_op.f("ix_t_quota_issue_action_batch_id"))
    op.drop_table("t_quota_issue_action")
