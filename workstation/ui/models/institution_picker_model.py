"""Employees to pick from (checkable), narrowed by department and text, read page by page."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from workstation.db.engine import Database
from workstation.institutions.service import EmployeeChoice, employee_count, employee_page
from workstation.ui.marks import QT_TRANSLATE_NOOP
from workstation.ui.models.institution_paging import SORT_ROLE, Fetch, PagedTableModel
from workstation.ui.models.list_model import HeaderedTableModel

__all__ = ["EmployeePickerModel", "PickerColumn"]

_CONTEXT = "EmployeePickerModel"
_Index = QModelIndex | QPersistentModelIndex


class PickerColumn(enum.IntEnum):
    NAME = 0
    EMPLOYEE_NO = 1
    DEPARTMENT = 2


_HEADERS = {
    PickerColumn.NAME: QT_TRANSLATE_NOOP("EmployeePickerModel", "姓名"),
    PickerColumn.EMPLOYEE_NO: QT_TRANSLATE_NOOP("EmployeePickerModel", "工号"),
    PickerColumn.DEPARTMENT: QT_TRANSLATE_NOOP("EmployeePickerModel", "部门"),
}


class EmployeePickerModel(HeaderedTableModel, PagedTableModel[EmployeeChoice]):
    """Checked employees are kept by id, so a check survives filtering and paging. ``locked``
    ones (already members) show checked and cannot be unchecked."""

    context = _CONTEXT
    headers = _HEADERS

    checked_changed = Signal(int)  # how many are checked

    def __init__(
        self,
        database: Database,
        *,
        fetch: Fetch | None = None,
        page_size: int = 200,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(fetch=fetch, page_size=page_size, parent=parent)
        self.database = database
        self.text = ""
        self.department_ids: tuple[str, ...] | None = None
        self.checked: dict[str, EmployeeChoice] = {}
        self.locked: set[str] = set()

    def narrow(self, text: str, department_ids: Sequence[str] | None) -> None:
        self.text = text
        self.department_ids = tuple(department_ids) if department_ids is not None else None
        self.refresh()

    def count_rows(self) -> int:
        return employee_count(self.database, self.text, self.department_ids)

    def read_page(self, offset: int, limit: int) -> Sequence[EmployeeChoice]:
        return employee_page(self.database, offset, limit, self.text, self.department_ids)

    def set_checked(self, row: int, checked: bool) -> None:
        employee = self.row_at(row)
        if employee is None or employee.employee_id in self.locked:
            return
        if checked:
            self.checked[employee.employee_id] = employee
        else:
            self.checked.pop(employee.employee_id, None)
        cell = self.index(row, PickerColumn.NAME)
        self.dataChanged.emit(cell, cell, [Qt.ItemDataRole.CheckStateRole])
        self.checked_changed.emit(len(self.checked))

    def check_loaded(self, checked: bool) -> None:
        """(Un)check every row read so far: "select all on this page"."""
        for row in range(self.rowCount()):
            employee = self.row_at(row)
            if employee is None or employee.employee_id in self.locked:
                continue
            if checked:
                self.checked[employee.employee_id] = employee
            else:
                self.checked.pop(employee.employee_id, None)
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(self.rowCount() - 1, 0),
                [Qt.ItemDataRole.CheckStateRole],
            )
        self.checked_changed.emit(len(self.checked))

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        row = self.row_at(index.row()) if index.isValid() else None
        if row is not None and row.employee_id in self.locked:
            return base & ~Qt.ItemFlag.ItemIsEnabled
        if index.isValid() and index.column() == PickerColumn.NAME:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def cell(self, row: EmployeeChoice, column: int, role: int) -> Any:
        col = PickerColumn(column)
        if role == Qt.ItemDataRole.CheckStateRole and col is PickerColumn.NAME:
            chosen = row.employee_id in self.checked or row.employee_id in self.locked
            return Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole and row.employee_id in self.locked:
            return QCoreApplication.translate("EmployeePickerModel", "已是成员")
        values = {
            PickerColumn.NAME: row.name,
            PickerColumn.EMPLOYEE_NO: row.employee_no or "",
            PickerColumn.DEPARTMENT: row.department_name or "",
        }
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return values[col]
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != PickerColumn.NAME:
            return False
        state = value.value if isinstance(value, Qt.CheckState) else int(value)
        self.set_checked(index.row(), state == Qt.CheckState.Checked.value)
        return True
