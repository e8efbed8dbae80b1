"""Employees of one department and everything below it, paged by SQL (the subtree is a recursive
CTE, so a department with thousands of people never loads them all into Python)."""

from __future__ import annotations

from collections.abc import Iterator
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from sqlalchemy.orm import aliased

from workstation.db.engine import Database
from workstation.org.models import Department, Employee, EmployeeStatus
from workstation.org.service import EmployeeInfo, employee_statement
from workstation.ui.tabs.sql_table_model import AnySelect, SqlColumn, SqlTableModel

__all__ = ["OrgEmployeeTableModel"]

_Index = QModelIndex | QPersistentModelIndex


def status_text(value: object) -> str:
    if value is EmployeeStatus.PENDING:
        return QCoreApplication.translate("OrgEmployeeTableModel", "待激活")
    if value is EmployeeStatus.ACTIVE:
        return QCoreApplication.translate("OrgEmployeeTableModel", "已激活")
    if value is EmployeeStatus.DELETED:
        return QCoreApplication.translate("OrgEmployeeTableModel", "已删除")
    return "" if value is None else str(value)


class OrgEmployeeTableModel(SqlTableModel):
    class Column(IntEnum):
        NAME = 0
        EMPLOYEE_NO = 1
        PHONE = 2
        EMAIL = 3
        DEPARTMENT = 4
        STATUS = 5
        EMPLOYEE_ID = 6

    _KEYS = ("name", "employee_no", "phone", "email", "department", "status", "employee_id")

    def __init__(
        self, database: Database, enterprise_id: str = "", parent: Any = None, page_size: int = 200
    ) -> None:
        self._enterprise_id = enterprise_id
        self._department_id: str | None = None
        self._root_id: str | None = None
        self._search = ""
        columns = [SqlColumn(key, key) for key in self._KEYS]
        columns[self.Column.STATUS] = SqlColumn("status", "status", status_text)
        super().__init__(database, self._build(), columns, page_size=page_size, parent=parent)

    def _build(self) -> AnySelect:
        e = Employee
        d = aliased(Department)
        base = employee_statement(
            self._department_id,
            self._search,
            enterprise_id=self._enterprise_id,
            root_id=self._root_id,
        )
        return base.with_only_columns(
            e.name,
            e.employee_no,
            e.phone,
            e.email,
            d.name.label("department"),
            e.status,
            e.employee_id,
            e.department_id,
            e.invite_url,
        ).outerjoin(d, d.department_id == e.department_id)

    @property
    def department_id(self) -> str | None:
        return self._department_id

    @property
    def search(self) -> str:
        return self._search

    def set_filter(
        self, department_id: str | None, search: str = "", root_id: str | None = None
    ) -> None:
        """Show ``department_id`` and its sub-departments (None or the root: everyone)."""
        self._department_id = department_id
        self._search = search
        self._root_id = root_id
        self._statement = self._build()
        self.refresh()

    def employee_at(self, row: int) -> EmployeeInfo | None:
        found = self.row_at(row)
        if found is None:
            return None
        m = found._mapping
        return EmployeeInfo(
            employee_id=m["employee_id"],
            name=m["name"],
            employee_no=m["employee_no"],
            phone=m["phone"],
            email=m["email"],
            department_id=m["department_id"],
            status=m["status"],
            invite_url=m["invite_url"],
        )

    def row_of(self, employee_id: str) -> int:
        """The row showing ``employee_id``, or -1: pages already read first, then page by page
        (an org chart is a few thousand people at most, a handful of indexed page reads)."""
        for number, page in list(self._pages.items()):
            for offset, row in enumerate(page):
                if row._mapping["employee_id"] == employee_id:
                    return number * self._page_size + offset
        pages = -(-self.rowCount() // self._page_size)
        for number in range(pages):
            if number in self._pages:
                continue
            for offset, row in enumerate(self._page(number)):
                if row._mapping["employee_id"] == employee_id:
                    return number * self._page_size + offset
        return -1

    def headers(self) -> list[str]:
        return [
            self.tr("姓名"),
            self.tr("工号"),
            self.tr("手机"),
            self.tr("邮箱"),
            self.tr("部门"),
            self.tr("状态"),
            self.tr("员工ID"),
        ]

    def export_rows(self) -> Iterator[list[object]]:
        """Every row of the current view as display text, read page by page."""
        for row in range(self.rowCount()):
            yield [self.data(self.index(row, column)) or "" for column in range(self.columnCount())]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            headers = self.headers()
            return headers[section] if 0 <= section < len(headers) else None
        return super().headerData(section, orientation, role)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and index.isValid()
            and index.column() == self.Column.STATUS
        ):
            row = self.row_at(index.row())
            if row is not None and row._mapping["status"] is EmployeeStatus.PENDING:
                return QColor("#b45309")  # amber: someone still to invite
        return super().data(index, role)
