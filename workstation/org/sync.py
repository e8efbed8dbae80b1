"""Mirror the org chart: the department tree and every employee.

Alipay offers no "changed since" query for the org, so each run reads a full snapshot (the org is
small next to bills), upserts it, and marks what disappeared as deleted. Detail queries run on a
few worker threads because each department and employee is one call.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from workstation.alipay.types import Department as AlipayDepartment
from workstation.alipay.types import Employee as AlipayEmployee
from workstation.alipay.types import EmployeeStatus as AlipayEmployeeStatus
from workstation.db.base import utcnow
from workstation.org.models import (
    MAX_DEPARTMENT_DEPTH,
    ROOT_PARENT_ID,
    Department,
    Employee,
    EmployeeStatus,
)
from workstation.sync.context import SyncContext
from workstation.sync.upsert import mark_missing, upsert

__all__ = ["ENTITY", "sync_org"]

ENTITY = "org"


def _walk_departments(ctx: SyncContext) -> list[tuple[AlipayDepartment, int]]:
    """Breadth-first from the root: each department with its depth (root = 1)."""
    gateway = ctx.gateway
    result: list[tuple[AlipayDepartment, int]] = []
    level = gateway.list_sub_departments(ROOT_PARENT_ID)
    depth = 1
    seen: set[str] = set()
    while level and depth <= MAX_DEPARTMENT_DEPTH:
        level = [d for d in dict.fromkeys(level) if d not in seen]
        seen.update(level)
        details = ctx.map(gateway.query_department, level)
        children = ctx.map(gateway.list_sub_departments, level)
        result.extend((d, depth) for d in details)
        level = [c for sub in children for c in sub]
        depth += 1
    return result


def _department_row(
    d: AlipayDepartment, depth: int, enterprise_id: str, now: dt.datetime
) -> dict[str, Any]:
    parent = d.parent_id if d.parent_id not in (None, "", ROOT_PARENT_ID) else None
    return {
        "department_id": d.department_id,
        "enterprise_id": enterprise_id,
        "name": d.name or d.department_id,
        "code": d.code,
        "parent_id": parent,
        "depth": depth,
        "gmt_modified": d.gmt_modified,
        "deleted": False,
        "update_time": now,
        "create_time": now,
    }


def _employee_row(e: AlipayEmployee, enterprise_id: str, now: dt.datetime) -> dict[str, Any]:
    active = e.status is AlipayEmployeeStatus.ACTIVATED
    return {
        "employee_id": e.employee_id,
        "enterprise_id": enterprise_id,
        "alipay_user_id": e.user_id or e.open_id,
        "name": e.name or e.employee_id,
        "employee_no": e.employee_no,
        "phone": e.mobile,
        "email": e.email,
        "department_id": e.department_ids[0] if e.department_ids else None,
        "status": (EmployeeStatus.ACTIVE if active else EmployeeStatus.PENDING).value,
        "gmt_modified": e.gmt_modified,
        "deleted": False,
        "update_time": now,
        "create_time": now,
    }


def sync_org(ctx: SyncContext) -> None:
    gateway = ctx.gateway
    departments = _walk_departments(ctx)
    ctx.progress(1, 3)
    # Employee ids per department (the API lists one department at a time); an employee in
    # several departments is read once.
    per_department = ctx.map(
        lambda d: list(gateway.iter_employee_ids(d.department_id)), [d for d, _ in departments]
    )
    employee_ids = list(dict.fromkeys(e for ids in per_department for e in ids))
    employees = ctx.map(gateway.query_employee, employee_ids)
    ctx.progress(2, 3)

    now = utcnow()
    dept_rows = [_department_row(d, depth, ctx.enterprise_id, now) for d, depth in departments]
    known_departments = {r["department_id"] for r in dept_rows}
    emp_rows = [_employee_row(e, ctx.enterprise_id, now) for e in employees]
    for row in emp_rows:  # an employee in a department we could not read keeps no dangling link
        if row["department_id"] not in known_departments:
            row["department_id"] = None

    with ctx.db.session() as session:
        conn = session.connection()
        d = upsert(conn, Department, dept_rows, ["department_id"])
        e = upsert(conn, Employee, emp_rows, ["employee_id"])
        gone_depts = mark_missing(
            conn,
            Department,
            "department_id",
            known_departments,
            {"deleted": True, "update_time": now},
        )
        gone_emps = mark_missing(
            conn,
            Employee,
            "employee_id",
            (r["employee_id"] for r in emp_rows),
            {"deleted": True, "status": EmployeeStatus.DELETED.value, "update_time": now},
        )
    ctx.counts.add(d.inserted + e.inserted, d.updated + e.updated, gone_depts + gone_emps)
    ctx.progress(3, 3)
