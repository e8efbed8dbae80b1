"""Consumption bills (消费账单). Millions of rows: every view query must hit an index."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import CheckConstraint, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from workstation.db.base import Base, utcnow, validate_enum, validate_money
from workstation.db.types import EnumText


class BillStatus(enum.Enum):
    PAID = "paid"  # 已支付
    REFUNDED = "refunded"  # 已退款（全额或部分）
    CLOSED = "closed"  # 已关闭


class Bill(Base):
    """One Alipay bill. Seed 000's ``bill_id`` is Alipay's ``pay_no`` here; ``trade_no`` is the
    merchant-side number (``biz_out_no``). No ORM audit mixin: bills are Alipay's records, written
    only by sync in bulk; ``synced_at`` says when."""

    __tablename__ = "t_bill"
    __table_args__ = (
        CheckConstraint("total_amount >= 0", name="total_nonneg"),
        CheckConstraint("enterprise_pay_amount >= 0", name="enterprise_nonneg"),
        CheckConstraint("personal_pay_amount >= 0", name="personal_nonneg"),
        CheckConstraint("discount_amount >= 0", name="discount_nonneg"),
        CheckConstraint("refund_amount >= 0", name="refund_nonneg"),
        # The bills view filters by one of these and orders by time: each has a (key, time) index.
        Index("ix_t_bill_trade_time", "trade_time"),
        Index("ix_t_bill_employee_time", "employee_id", "trade_time"),
        Index("ix_t_bill_department_time", "department_id", "trade_time"),
        Index("ix_t_bill_institution_time", "institution_id", "trade_time"),
        Index("ix_t_bill_status_time", "status", "trade_time"),
        Index("ix_t_bill_merchant", "merchant_name"),
        # Sorting a million bills by amount walks this index instead of sorting them all.
        Index("ix_t_bill_total_amount", "total_amount"),
        {"comment": "账单表"},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pay_no: Mapped[str] = mapped_column(String(64), unique=True, comment="支付宝账单号(pay_no)")
    trade_no: Mapped[str | None] = mapped_column(String(64), comment="外部交易流水号")
    enterprise_id: Mapped[str] = mapped_column(String(64), comment="企业ID")
    employee_id: Mapped[str | None] = mapped_column(String(64), comment="员工ID")
    department_id: Mapped[str | None] = mapped_column(String(64), comment="部门ID")
    institution_id: Mapped[str | None] = mapped_column(String(64), comment="制度ID/使用规则组")
    quota_id: Mapped[str | None] = mapped_column(String(64), comment="额度ID")
    consume_type: Mapped[str] = mapped_column(String(16), default="CONSUME", comment="账单类型")
    related_pay_no: Mapped[str | None] = mapped_column(String(64), comment="退款关联原账单")
    total_amount: Mapped[Decimal] = mapped_column(comment="账单金额（分）")
    enterprise_pay_amount: Mapped[Decimal] = mapped_column(default=Decimal(0), comment="企业付")
    personal_pay_amount: Mapped[Decimal] = mapped_column(default=Decimal(0), comment="个人付")
    discount_amount: Mapped[Decimal] = mapped_column(default=Decimal(0), comment="优惠金额")
    refund_amount: Mapped[Decimal] = mapped_column(default=Decimal(0), comment="退款金额")
    trade_time: Mapped[dt.datetime | None] = mapped_column(comment="交易时间")
    merchant_id: Mapped[str | None] = mapped_column(String(64), comment="商户ID")
    merchant_name: Mapped[str | None] = mapped_column(String(256), comment="商户名称")
    category: Mapped[str | None] = mapped_column(String(32), comment="消费分类")
    expense_type: Mapped[str | None] = mapped_column(String(32), comment="费用类型")
    status: Mapped[BillStatus] = mapped_column(
        EnumText(BillStatus), default=BillStatus.PAID, comment="状态"
    )
    voucher_id: Mapped[str | None] = mapped_column(String(64), comment="凭证ID")
    # Set once the voucher sync has asked Alipay for this bill's own vouchers (so each bill is
    # asked once); written only by the voucher sync, never by the bill sync.
    voucher_checked_at: Mapped[dt.datetime | None] = mapped_column(comment="凭证查询时间(UTC)")
    summary_id: Mapped[str | None] = mapped_column(String(64), comment="汇总批次ID")
    gmt_modified: Mapped[dt.datetime | None] = mapped_column(comment="支付宝侧更新时间")
    synced_at: Mapped[dt.datetime] = mapped_column(default=utcnow, comment="同步时间(UTC)")

    _check_status = validate_enum("status", BillStatus)
    _check_money = validate_money(
        "total_amount",
        "enterprise_pay_amount",
        "personal_pay_amount",
        "discount_amount",
        "refund_amount",
        nullable=False,
    )
