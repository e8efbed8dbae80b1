"""组织架构: employees with their departments."""

from __future__ import annotations

from sqlalchemy import and_, select

from workstation.org.models import Department, Employee
from workstation.ui.tabs.base import CachedTableTab
from workstation.ui.tabs.sql_table_model import AnySelect, SqlColumn

__all__ = ["OrgTab"]


class OrgTab(CachedTableTab):
    ENTITIES = ("org",)

    def statement(self) -> AnySelect:
        e, d = Employee, Department
        return (
            select(
                e.employee_id,
                e.name,
                e.employee_no,
                d.name.label("department"),
                e.phone,
                e.email,
                e.status,
                e.gmt_modified,
            )
            .outerjoin(
                d, and_(d.department_id == e.department_id, d.enterprise_id == e.enterprise_id)
            )
            .order_by(e.id)
        )

    def columns(self) -> list[SqlColumn]:
        return [
            SqlColumn("employee_id", "员工ID"),
            SqlColumn("name", "姓名"),
            SqlColumn("employee_no", "工号"),
            SqlColumn("department", "部门"),
            SqlColumn("phone", "手机"),
            SqlColumn("email", "邮箱"),
            SqlColumn("status", "状态"),
            SqlColumn("gmt_modified", "更新时间"),
        ]
