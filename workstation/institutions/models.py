"""Expense institutions (费控制度), their usage rules (使用规则) and members (适用范围)."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workstation.db.base import AuditMixin, Base, validate_enum, validate_money
from workstation.db.types import EnumText


class InstitutionStatus(enum.Enum):
    ACTIVE = "active"  # 启用
    INACTIVE = "inactive"  # 停用
    DELETED = "deleted"  # 已删除


class AdapterType(enum.Enum):
    """Who an institution applies to (Alipay's adapter_type)."""

    EMPLOYEE_ALL = "EMPLOYEE_ALL"
    EMPLOYEE_SELECT = "EMPLOYEE_SELECT"
    EMPLOYEE_DEPARTMENT = "EMPLOYEE_DEPARTMENT"


class ExpenseInstitution(AuditMixin, Base):
    __tablename__ = "t_expense_institution"
    __table_args__ = {"comment": "费控制度表"}

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[str] = mapped_column(String(64), unique=True, comment="制度ID")
    enterprise_id: Mapped[str] = mapped_column(String(64), index=True, comment="所属企业ID")
    name: Mapped[str] = mapped_column(String(128), comment="制度名称")
    description: Mapped[str | None] = mapped_column(String(512), comment="制度描述")
    expense_type: Mapped[str] = mapped_column(String(32), default="DEFAULT", comment="费用类型")
    expense_sub_type: Mapped[str] = mapped_column(
        String(32), default="DEFAULT", comment="费用类型子类"
    )
    status: Mapped[InstitutionStatus] = mapped_column(
        EnumText(InstitutionStatus), default=InstitutionStatus.ACTIVE, comment="状态"
    )
    adapter_type: Mapped[AdapterType] = mapped_column(
        EnumText(AdapterType), default=AdapterType.EMPLOYEE_SELECT, comment="适用范围类型"
    )
    currency: Mapped[str] = mapped_column(String(8), default="CNY", comment="币种")
    effective_start: Mapped[dt.datetime | None] = mapped_column(comment="生效起始时间")
    effective_end: Mapped[dt.datetime | None] = mapped_column(comment="生效结束时间")
    outer_source_id: Mapped[str | None] = mapped_column(
        String(64), unique=True, comment="外部唯一标识"
    )

    _check_status = validate_enum("status", InstitutionStatus)
    _check_adapter = validate_enum("adapter_type", AdapterType)


class MemberType(enum.Enum):
    EMPLOYEE = "employee"
    DEPARTMENT = "department"


class InstitutionMember(Base):
    """Link table: an institution applies to an employee or to a whole department."""

    __tablename__ = "t_institution_member"
    __table_args__ = (
        CheckConstraint(
            "(member_type = 'employee' AND employee_id IS NOT NULL AND department_id IS NULL)"
            " OR (member_type = 'department' AND department_id IS NOT NULL"
            " AND employee_id IS NULL)",
            name="one_member",
        ),
        UniqueConstraint("institution_id", "employee_id"),
        UniqueConstraint("institution_id", "department_id"),
        {"comment": "制度成员表"},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[str] = mapped_column(
        String(64),
        ForeignKey("t_expense_institution.institution_id", ondelete="CASCADE"),
        index=True,
        comment="制度ID",
    )
    member_type: Mapped[MemberType] = mapped_column(EnumText(MemberType, 16), comment="成员类型")
    employee_id: Mapped[str | None] = mapped_column(
        String(64), ForeignKey("t_employee.employee_id", ondelete="CASCADE"), index=True
    )
    department_id: Mapped[str | None] = mapped_column(
        String(64), ForeignKey("t_department.department_id", ondelete="CASCADE"), index=True
    )

    _check_type = validate_enum("member_type", MemberType)


class RuleFactor(enum.Enum):
    """Alipay's rule factors (standard_condition_info_list[].rule_factor)."""

    QUOTA_DAY = "QUOTA_DAY"
    QUOTA_WEEK = "QUOTA_WEEK"
    QUOTA_MONTH = "QUOTA_MONTH"
    QUOTA_TOTAL = "QUOTA_TOTAL"
    SINGLE_LIMIT = "SINGLE_LIMIT"
    MERCHANT = "MERCHANT"
    MEAL_MERCHANT = "MEAL_MERCHANT"
    MCC = "MCC"
    SHOP = "SHOP"
    TIME_WINDOW = "ALARM_CLOCK_TIME"
    EFFECTIVE_DATE = "EFFECTIVE_DATE"
    OTHER = "OTHER"


class ExpenseRule(AuditMixin, Base):
    """One usage rule (Alipay 'standard'): its main factor in columns, all conditions in JSON."""

    __tablename__ = "t_expense_rule"
    __table_args__ = (
        CheckConstraint("amount_cap IS NULL OR amount_cap >= 0", name="amount_cap_nonneg"),
        {"comment": "使用规则表"},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(64), unique=True, comment="规则ID(standard_id)")
    institution_id: Mapped[str] = mapped_column(
        String(64),
        ForeignKey("t_expense_institution.institution_id", ondelete="CASCADE"),
        index=True,
        comment="所属制度ID",
    )
    name: Mapped[str | None] = mapped_column(String(128), comment="规则名称")
    description: Mapped[str | None] = mapped_column(String(512), comment="规则描述")
    factor_type: Mapped[RuleFactor] = mapped_column(EnumText(RuleFactor), comment="主要条件类型")
    amount_cap: Mapped[Decimal | None] = mapped_column(comment="限额（分）")
    valid_from: Mapped[dt.datetime | None] = mapped_column(comment="有效期开始")
    valid_to: Mapped[dt.datetime | None] = mapped_column(comment="有效期结束")
    merchant_ids: Mapped[list[str] | None] = mapped_column(JSON, comment="限定商户")
    time_window: Mapped[str | None] = mapped_column(String(64), comment="时间段，如 11:00-14:00")
    conditions: Mapped[list[Any] | None] = mapped_column(JSON, comment="完整条件列表")

    _check_factor = validate_enum("factor_type", RuleFactor)
    _check_money = validate_money("amount_cap")
