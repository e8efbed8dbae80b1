"""Payment orders (付款单) with approval — the company's own records (seed 004's PaymentSaveDTO).

Unlike the Alipay mirrors these live only in our database, so they carry an optimistic-lock
``version`` and every change is written to the append-only audit log.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from workstation.db.base import AuditMixin, Base, validate_enum, validate_money
from workstation.db.types import EnumText


class PaymentStatus(enum.Enum):
    """Seed 004's state machine.

    草稿 → 待审批 → 审批中 → 审批通过/审批拒绝 → 已支付 → 已完成; any → 已作废.
    """

    DRAFT = "draft"  # 草稿
    PENDING = "pending"  # 待审批
    IN_APPROVAL = "in_approval"  # 审批中
    APPROVED = "approved"  # 审批通过
    REJECTED = "rejected"  # 审批拒绝
    PAID = "paid"  # 已支付
    COMPLETED = "completed"  # 已完成
    VOIDED = "voided"  # 已作废


class AuditStatus(enum.Enum):
    """Approval result as the workflow reports it (seed 004's auditStatus)."""

    NONE = "none"  # 未提交
    IN_PROGRESS = "in_progress"  # 审批中
    APPROVED = "approved"  # 通过
    REJECTED = "rejected"  # 拒绝
    CANCELLED = "cancelled"  # 撤销


class BusinessType(enum.IntEnum):
    PURCHASE_CONTRACT = 1  # 采购合同
    SALES_CONTRACT = 2  # 销售合同
    OTHER = 3  # 其他


class SubjectType(enum.IntEnum):
    SUPPLIER = 1  # 供应商
    CUSTOMER = 2  # 客户


class PaymentMethod(enum.IntEnum):
    WIRE = 1  # 电汇
    CHEQUE = 2  # 支票
    CASH = 3  # 现金
    ACCEPTANCE_BILL = 4  # 承兑汇票


class PaymentOrder(AuditMixin, Base):
    __tablename__ = "t_payment_order"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("business_type IN (1, 2, 3)", name="business_type"),
        CheckConstraint("business_subject_type IN (1, 2)", name="subject_type"),
        CheckConstraint(
            "payment_method IS NULL OR payment_method IN (1, 2, 3, 4)", name="payment_method"
        ),
        CheckConstraint("version >= 1", name="version_positive"),
        Index("ix_t_payment_order_business", "business_type", "business_code"),
        Index("ix_t_payment_order_status_date", "status", "apply_payment_date"),
        {"comment": "付款单表"},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True, comment="付款单编号")
    request_id: Mapped[str] = mapped_column(String(64), unique=True, comment="请求ID(幂等)")
    company_id: Mapped[int] = mapped_column(comment="内部法人单位ID")
    bank: Mapped[str] = mapped_column(String(100), comment="开户行名称")
    bank_account: Mapped[str] = mapped_column(String(64), comment="银行账号")
    bank_address: Mapped[str | None] = mapped_column(String(256), comment="开户行地址")
    bank_poc: Mapped[str | None] = mapped_column(String(64), comment="开户行联系人")
    bank_code: Mapped[str | None] = mapped_column(String(32), comment="银行行号")
    amount: Mapped[Decimal] = mapped_column(comment="支付金额（分）")
    currency: Mapped[str] = mapped_column(String(8), default="CNY", comment="币种")
    pay_date: Mapped[dt.datetime | None] = mapped_column(comment="支付日期")
    cashier_id: Mapped[int | None] = mapped_column(comment="出纳员ID")
    remark: Mapped[str | None] = mapped_column(String(512), comment="备注")
    business_type: Mapped[int] = mapped_column(comment="业务类型 1采购合同 2销售合同 3其他")
    business_code: Mapped[str] = mapped_column(String(64), comment="业务编号")
    business_subject_type: Mapped[int] = mapped_column(comment="支付对象类型 1供应商 2客户")
    business_subject_code: Mapped[str] = mapped_column(String(64), comment="支付对象编号")
    applicant_id: Mapped[int | None] = mapped_column(comment="申请人ID")
    applicant_name: Mapped[str | None] = mapped_column(String(64), comment="申请人姓名")
    applicant_dept_id: Mapped[int | None] = mapped_column(comment="申请人部门ID")
    payment_method: Mapped[int | None] = mapped_column(
        comment="支付方式 1电汇 2支票 3现金 4承兑汇票"
    )
    apply_payment_date: Mapped[dt.datetime | None] = mapped_column(comment="申请付款日期")
    apply_code: Mapped[str | None] = mapped_column(String(64), index=True, comment="申请单编号")
    target_bank: Mapped[str | None] = mapped_column(String(100), comment="对方银行")
    target_bank_account: Mapped[str | None] = mapped_column(String(64), comment="对方账户")
    target_bank_poc: Mapped[str | None] = mapped_column(String(64), comment="对方联系人")
    link_codes: Mapped[list[Any] | None] = mapped_column(JSON, comment="链路编号列表")
    status: Mapped[PaymentStatus] = mapped_column(
        EnumText(PaymentStatus), default=PaymentStatus.DRAFT, comment="状态"
    )
    audit_status: Mapped[AuditStatus] = mapped_column(
        EnumText(AuditStatus), default=AuditStatus.NONE, comment="审批状态"
    )
    process_instance_id: Mapped[str | None] = mapped_column(String(64), comment="流程实例ID")
    reject_reason: Mapped[str | None] = mapped_column(String(512), comment="驳回原因")
    void_reason: Mapped[str | None] = mapped_column(String(512), comment="作废原因")
    version: Mapped[int] = mapped_column(default=1, comment="乐观锁版本号")

    __mapper_args__ = {"version_id_col": version}

    _check_status = validate_enum("status", PaymentStatus)
    _check_audit = validate_enum("audit_status", AuditStatus)
    _check_money = validate_money("amount", nullable=False)
