"""The org chart: departments (a tree by parent id, depth ≤ 20) and employees."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from workstation.db.base import AuditMixin, Base, validate_enum
from workstation.db.types import EnumText

MAX_DEPARTMENT_DEPTH = 20  # Alipay's limit for the Enterprise Code department tree
ROOT_PARENT_ID = "-1"  # Alipay's parent id of the root department


class Department(AuditMixin, Base):
    __tablename__ = "t_department"
    __table_args__ = (
        CheckConstraint(f"depth BETWEEN 1 AND {MAX_DEPARTMENT_DEPTH}", name="depth_range"),
        {"comment": "部门表"},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[str] = mapped_column(String(64), unique=True, comment="部门ID")
    enterprise_id: Mapped[str] = mapped_column(String(64), index=True, comment="所属企业ID")
    name: Mapped[str] = mapped_column(String(128), comment="部门名称")
    code: Mapped[str | None] = mapped_column(String(64), comment="部门编码")
    parent_id: Mapped[str | None] = mapped_column(String(64), index=True, comment="上级部门ID")
    depth: Mapped[int] = mapped_column(default=1, comment="层级（根为1）")
    gmt_modified: Mapped[dt.datetime | None] = mapped_column(comment="支付宝侧更新时间")


class EmployeeStatus(enum.Enum):
    PENDING = "pending"  # 待激活
    ACTIVE = "active"  # 已激活
    DELETED = "deleted"  # 已删除


class Employee(AuditMixin, Base):
    __tablename__ = "t_employee"
    __table_args__ = (
        Index("ix_t_employee_department_name", "department_id", "name"),
        {"comment": "员工表"},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[str] = mapped_column(String(64), unique=True, comment="员工ID")
    enterprise_id: Mapped[str] = mapped_column(String(64), index=True, comment="所属企业ID")
    alipay_user_id: Mapped[str | None] = mapped_column(String(64), comment="支付宝用户ID")
    name: Mapped[str] = mapped_column(String(64), comment="员工姓名")
    employee_no: Mapped[str | None] = mapped_column(String(64), comment="工号")
    phone: Mapped[str | None] = mapped_column(String(32), index=True, comment="手机号")
    email: Mapped[str | None] = mapped_column(String(128), comment="邮箱")
    department_id: Mapped[str | None] = mapped_column(String(64), comment="主部门ID")
    status: Mapped[EmployeeStatus] = mapped_column(
        EnumText(EmployeeStatus), default=EmployeeStatus.PENDING, comment="状态"
    )
    bind_time: Mapped[dt.datetime | None] = mapped_column(comment="绑定时间")
    invite_url: Mapped[str | None] = mapped_column(String(1024), comment="签约激活链接")
    share_code: Mapped[str | None] = mapped_column(String(256), comment="签约吱口令")
    gmt_modified: Mapped[dt.datetime | None] = mapped_column(comment="支付宝侧更新时间")

    _check_status = validate_enum("status", EmployeeStatus)
