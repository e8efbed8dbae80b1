"""The institution list (an enterprise has tens of institutions: held whole, replaced whole)."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from workstation.institutions.models import AdapterType, InstitutionStatus
from workstation.institutions.service import InstitutionSummary
from workstation.ui.marks import QT_TRANSLATE_NOOP
from workstation.ui.models.institution_paging import ROW_ROLE, SORT_ROLE
from workstation.ui.models.list_model import ListTableModel

__all__ = [
    "EXPENSE_TYPE_TEXT",
    "SCOPE_TEXT",
    "STATUS_TEXT",
    "InstitutionColumn",
    "InstitutionTableModel",
    "institution_cells",
]

_CONTEXT = "InstitutionTableModel"
_Index = QModelIndex | QPersistentModelIndex


class InstitutionColumn(enum.IntEnum):
    NAME = 0
    EXPENSE_TYPE = 1
    STATUS = 2
    SCOPE = 3
    MEMBERS = 4
    RULES = 5
    EFFECTIVE_START = 6
    EFFECTIVE_END = 7
    INSTITUTION_ID = 8


_HEADERS = {
    InstitutionColumn.NAME: QT_TRANSLATE_NOOP("InstitutionTableModel", "制度名称"),
    InstitutionColumn.EXPENSE_TYPE: QT_TRANSLATE_NOOP("InstitutionTableModel", "费用类型"),
    InstitutionColumn.STATUS: QT_TRANSLATE_NOOP("InstitutionTableModel", "状态"),
    InstitutionColumn.SCOPE: QT_TRANSLATE_NOOP("InstitutionTableModel", "适用范围"),
    InstitutionColumn.MEMBERS: QT_TRANSLATE_NOOP("InstitutionTableModel", "成员数"),
    InstitutionColumn.RULES: QT_TRANSLATE_NOOP("InstitutionTableModel", "规则数"),
    InstitutionColumn.EFFECTIVE_START: QT_TRANSLATE_NOOP("InstitutionTableModel", "生效开始"),
    InstitutionColumn.EFFECTIVE_END: QT_TRANSLATE_NOOP("InstitutionTableModel", "生效结束"),
    InstitutionColumn.INSTITUTION_ID: QT_TRANSLATE_NOOP("InstitutionTableModel", "制度ID"),
}
STATUS_TEXT = {
    InstitutionStatus.ACTIVE: QT_TRANSLATE_NOOP("InstitutionTableModel", "启用"),
    InstitutionStatus.INACTIVE: QT_TRANSLATE_NOOP("InstitutionTableModel", "停用"),
    InstitutionStatus.DELETED: QT_TRANSLATE_NOOP("InstitutionTableModel", "已删除"),
}
SCOPE_TEXT = {
    AdapterType.EMPLOYEE_ALL: QT_TRANSLATE_NOOP("InstitutionTableModel", "全体员工"),
    AdapterType.EMPLOYEE_SELECT: QT_TRANSLATE_NOOP("InstitutionTableModel", "指定员工"),
    AdapterType.EMPLOYEE_DEPARTMENT: QT_TRANSLATE_NOOP("InstitutionTableModel", "指定部门"),
}
EXPENSE_TYPE_TEXT = {
    "DEFAULT": QT_TRANSLATE_NOOP("InstitutionTableModel", "通用"),
    "MEAL": QT_TRANSLATE_NOOP("InstitutionTableModel", "工作餐"),
}
_NUMBERS = (InstitutionColumn.MEMBERS, InstitutionColumn.RULES)


def tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else ""


def institution_cells(i: InstitutionSummary) -> list[object]:
    """Display values in column order (for the view and exports)."""
    return [
        i.name,
        tr(EXPENSE_TYPE_TEXT[i.expense_type])
        if i.expense_type in EXPENSE_TYPE_TEXT
        else i.expense_type,
        tr(STATUS_TEXT[i.status]),
        tr(SCOPE_TEXT[i.adapter_type]),
        i.member_count,
        i.rule_count,
        _when(i.effective_start),
        _when(i.effective_end),
        i.institution_id,
    ]


class InstitutionTableModel(ListTableModel[InstitutionSummary]):
    context = _CONTEXT
    headers = _HEADERS

    def row_of(self, institution_id: str) -> int:
        for n, r in enumerate(self._rows):
            if r.institution_id == institution_id:
                return n
        return -1

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not self.checkIndex(index):
            return None
        row = self._rows[index.row()]
        column = InstitutionColumn(index.column())
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole:
            align = (
                Qt.AlignmentFlag.AlignRight if column in _NUMBERS else Qt.AlignmentFlag.AlignLeft
            )
            return int(align | Qt.AlignmentFlag.AlignVCenter)
        if role == SORT_ROLE:
            native: dict[InstitutionColumn, Any] = {
                InstitutionColumn.NAME: row.name,
                InstitutionColumn.EXPENSE_TYPE: row.expense_type,
                InstitutionColumn.STATUS: row.status.value,
                InstitutionColumn.SCOPE: row.adapter_type.value,
                InstitutionColumn.MEMBERS: row.member_count,
                InstitutionColumn.RULES: row.rule_count,
                InstitutionColumn.EFFECTIVE_START: row.effective_start,
                InstitutionColumn.EFFECTIVE_END: row.effective_end,
                InstitutionColumn.INSTITUTION_ID: row.institution_id,
            }
            return native[column]
        if role == Qt.ItemDataRole.ToolTipRole and column is InstitutionColumn.NAME:
            return row.description or None
        if role == Qt.ItemDataRole.DisplayRole:
            value = institution_cells(row)[column]
            return f"{value:,}" if isinstance(value, int) else value
        return None
