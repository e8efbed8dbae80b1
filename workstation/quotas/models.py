"""Employee quotas (额度) issued under an institution, and the clerk's quota issue actions."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import CheckConstraint, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from workstation.db.base import AuditMixin, Base, validate_enum, validate_money
from workstation.db.types import EnumText


class QuotaStatus(enum.Enum):
    ACTIVE = "active"  # 正常
    FROZEN = "frozen"  # 冻结
    EXHAUSTED = "exhausted"  # 已用完
    EXPIRED = "expired"  # 已过期


class Quota(AuditMixin, Base):
    __tablename__ = "t_quota"
    __table_args__ = (
        CheckConstraint("total_amount >= 0", name="total_nonneg"),
        CheckConstraint("available_amount >= 0", name="available_nonneg"),
        Index("ix_t_quota_employee_institution", "employee_id", "institution_id"),
        {"comment": "额度表"},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quota_id: Mapped[str] = mapped_column(String(64), unique=True, comment="额度ID")
    enterprise_id: Mapped[str | None] = mapped_column(String(64), comment="企业ID")
    employee_id: Mapped[str] = mapped_column(String(64), comment="员工ID")
    institution_id: Mapped[str] = mapped_column(String(64), index=True, comment="制度ID")
    # Nullable: quotas issued outside this app carry none; ours always carry one (idempotency).
    outer_source_id: Mapped[str | None] = mapped_column(
        String(64), unique=True, comment="外部来源ID(幂等)"
    )
    quota_type: Mapped[str | None] = mapped_column(String(32), comment="额度类型")
    issue_batch_id: Mapped[str | None] = mapped_column(String(64), comment="发放批次ID")
    total_amount: Mapped[Decimal] = mapped_column(comment="总金额（分）")
    available_amount: Mapped[Decimal] = mapped_column(comment="可用金额（分）")
    valid_from: Mapped[dt.datetime | None] = mapped_column(comment="有效期开始")
    valid_to: Mapped[dt.datetime | None] = mapped_column(index=True, comment="有效期结束")
    status: Mapped[QuotaStatus] = mapped_column(
        EnumText(QuotaStatus), default=QuotaStatus.ACTIVE, comment="状态"
    )

    _check_status = validate_enum("status", QuotaStatus)
    _check_money = validate_money("total_amount", "available_amount", nullable=False)


class IssueState(enum.Enum):
    """Where a clerk's "issue this quota" stands.

    ``PENDING``: written before Alipay was called, outcome unknown (not called yet, timed out, or
    the app stopped); retrying reuses its ``outer_source_id``, so Alipay issues at most once.
    ``DONE``: Alipay created the quota (``quota_id``). ``FAILED``: Alipay refused it."""

    PENDING = "pending"  # 待确认
    DONE = "done"  # 已发放
    FAILED = "failed"  # 失败


class QuotaIssueAction(AuditMixin, Base):
    """One intent to issue a quota, persisted before the call so a retry or a restart reuses
    its idempotency key. ``batch_id`` groups the rows of one department batch."""

    __tablename__ = "t_quota_issue_action"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        {"comment": "额度发放操作表"},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    outer_source_id: Mapped[str] = mapped_column(
        String(64), unique=True, comment="外部来源ID(幂等)"
    )
    enterprise_id: Mapped[str] = mapped_column(String(64), comment="企业ID")
    employee_id: Mapped[str] = mapped_column(String(64), comment="员工ID")
    institution_id: Mapped[str] = mapped_column(String(64), comment="制度ID")
    amount: Mapped[Decimal] = mapped_column(comment="发放金额（分）")
    valid_from: Mapped[dt.datetime] = mapped_column(comment="有效期开始")
    valid_to: Mapped[dt.datetime] = mapped_column(comment="有效期结束")
    batch_id: Mapped[str | None] = mapped_column(String(64), index=True, comment="批量发放ID")
    state: Mapped[IssueState] = mapped_column(
        EnumText(IssueState), default=IssueState.PENDING, index=True, comment="状态"
    )
    quota_id: Mapped[str | None] = mapped_column(String(64), comment="发放成功的额度ID")
    attempts: Mapped[int] = mapped_column(default=0, comment="调用次数")
    error_zh: Mapped[str | None] = mapped_column(String(512), comment="最近错误（中文）")
    error_en: Mapped[str | None] = mapped_column(String(512), comment="最近错误（英文）")

    _check_state = validate_enum("state", IssueState)
    _check_money = validate_money("amount", nullable=False)
