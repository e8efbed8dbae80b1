"""The preview of a department batch: every employee with the amount, then each one's result."""

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
)

from workstation.money import format_money
from workstation.quotas.models import IssueState
from workstation.quotas.service import BatchLine, IssueOutcome
from workstation.ui.errors import error_lines
from workstation.ui.marks import QT_TRANSLATE_NOOP
from workstation.ui.models.institution_paging import ROW_ROLE, SORT_ROLE
from workstation.ui.models.list_model import ListTableModel

__all__ = ["BatchPreviewColumn", "BatchPreviewModel"]

_CONTEXT = "BatchPreviewModel"
_Index = QModelIndex | QPersistentModelIndex


class BatchPreviewColumn(enum.IntEnum):
    EMPLOYEE = 0
    EMPLOYEE_NO = 1
    DEPARTMENT = 2
    AMOUNT = 3
    IN_SCOPE = 4
    RESULT = 5


_HEADERS = {
    BatchPreviewColumn.EMPLOYEE: QT_TRANSLATE_NOOP("BatchPreviewModel", "员工"),
    BatchPreviewColumn.EMPLOYEE_NO: QT_TRANSLATE_NOOP("BatchPreviewModel", "工号"),
    BatchPreviewColumn.DEPARTMENT: QT_TRANSLATE_NOOP("BatchPreviewModel", "部门"),
    BatchPreviewColumn.AMOUNT: QT_TRANSLATE_NOOP("BatchPreviewModel", "金额"),
    BatchPreviewColumn.IN_SCOPE: QT_TRANSLATE_NOOP("BatchPreviewModel", "制度范围"),
    BatchPreviewColumn.RESULT: QT_TRANSLATE_NOOP("BatchPreviewModel", "结果"),
}
_RESULT_TEXT = {
    IssueState.DONE: QT_TRANSLATE_NOOP("BatchPreviewModel", "已发放"),
    IssueState.FAILED: QT_TRANSLATE_NOOP("BatchPreviewModel", "失败"),
    IssueState.PENDING: QT_TRANSLATE_NOOP("BatchPreviewModel", "待确认"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


class BatchPreviewModel(ListTableModel[BatchLine]):
    context = _CONTEXT
    headers = _HEADERS

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._outcomes: dict[str, IssueOutcome] = {}  # by employee id
        self._row_of: dict[str, int] = {}

    def set_rows(self, rows: Sequence[BatchLine]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._outcomes = {}
        self._row_of = {line.employee_id: n for n, line in enumerate(self._rows)}
        self.endResetModel()

    def outcome(self, employee_id: str) -> IssueOutcome | None:
        return self._outcomes.get(employee_id)

    def set_outcomes(self, outcomes: Sequence[IssueOutcome]) -> None:
        """Show each employee's result: only their cell changes (the rest keeps its place)."""
        column = BatchPreviewColumn.RESULT
        for outcome in outcomes:
            self._outcomes[outcome.employee_id] = outcome
            row = self._row_of.get(outcome.employee_id)
            if row is not None:
                cell = self.index(row, column)
                self.dataChanged.emit(cell, cell)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not self.checkIndex(index):
            return None
        line = self._rows[index.row()]
        column = BatchPreviewColumn(index.column())
        outcome = self._outcomes.get(line.employee_id)
        if role == ROW_ROLE:
            return line
        if role == Qt.ItemDataRole.TextAlignmentRole:
            flags = (
                Qt.AlignmentFlag.AlignRight
                if column is BatchPreviewColumn.AMOUNT
                else (Qt.AlignmentFlag.AlignLeft)
            )
            return int(flags | Qt.AlignmentFlag.AlignVCenter)
        if role == SORT_ROLE:
            native: dict[BatchPreviewColumn, Any] = {
                BatchPreviewColumn.EMPLOYEE: line.name,
                BatchPreviewColumn.EMPLOYEE_NO: line.employee_no,
                BatchPreviewColumn.DEPARTMENT: line.department_name,
                BatchPreviewColumn.AMOUNT: line.amount,
                BatchPreviewColumn.IN_SCOPE: line.in_scope,
                BatchPreviewColumn.RESULT: outcome.state.value if outcome else None,
            }
            return native[column]
        if role == Qt.ItemDataRole.ToolTipRole and column is BatchPreviewColumn.RESULT:
            if outcome is not None and outcome.error is not None:
                return "\n".join(error_lines(outcome.error))
            return None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column is BatchPreviewColumn.EMPLOYEE:
            return line.name
        if column is BatchPreviewColumn.EMPLOYEE_NO:
            return line.employee_no or ""
        if column is BatchPreviewColumn.DEPARTMENT:
            return line.department_name or ""
        if column is BatchPreviewColumn.AMOUNT:
            return format_money(line.amount)
        if column is BatchPreviewColumn.IN_SCOPE:
            return (
                QCoreApplication.translate("BatchPreviewModel", "在范围内")
                if line.in_scope
                else QCoreApplication.translate("BatchPreviewModel", "不在范围内")
            )
        if outcome is None:
            return ""
        text = _tr(_RESULT_TEXT[outcome.state])
        if outcome.error is not None:
            text += "：" + error_lines(outcome.error)[0]
        return text
