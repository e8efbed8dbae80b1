"""Quota issues not settled yet: 待确认 (Alipay's answer never arrived) and 失败 (refused)."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from workstation.money import format_money
from workstation.quotas.models import IssueState
from workstation.quotas.service import IssueAction
from workstation.ui.marks import QT_TRANSLATE_NOOP
from workstation.ui.models.institution_paging import ROW_ROLE, SORT_ROLE
from workstation.ui.models.list_model import ListTableModel

__all__ = ["STATE_TEXT", "IssueActionColumn", "IssueActionModel"]

_CONTEXT = "IssueActionModel"
_Index = QModelIndex | QPersistentModelIndex


class IssueActionColumn(enum.IntEnum):
    STATE = 0
    EMPLOYEE = 1
    INSTITUTION = 2
    AMOUNT = 3
    VALID_TO = 4
    ATTEMPTS = 5
    CREATED = 6
    REASON = 7


_HEADERS = {
    IssueActionColumn.STATE: QT_TRANSLATE_NOOP("IssueActionModel", "状态"),
    IssueActionColumn.EMPLOYEE: QT_TRANSLATE_NOOP("IssueActionModel", "员工"),
    IssueActionColumn.INSTITUTION: QT_TRANSLATE_NOOP("IssueActionModel", "费控制度"),
    IssueActionColumn.AMOUNT: QT_TRANSLATE_NOOP("IssueActionModel", "金额"),
    IssueActionColumn.VALID_TO: QT_TRANSLATE_NOOP("IssueActionModel", "失效时间"),
    IssueActionColumn.ATTEMPTS: QT_TRANSLATE_NOOP("IssueActionModel", "已尝试"),
    IssueActionColumn.CREATED: QT_TRANSLATE_NOOP("IssueActionModel", "发起时间"),
    IssueActionColumn.REASON: QT_TRANSLATE_NOOP("IssueActionModel", "原因"),
}
STATE_TEXT = {
    IssueState.PENDING: QT_TRANSLATE_NOOP("IssueActionModel", "待确认"),
    IssueState.FAILED: QT_TRANSLATE_NOOP("IssueActionModel", "失败"),
    IssueState.DONE: QT_TRANSLATE_NOOP("IssueActionModel", "已发放"),
}
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


class IssueActionModel(ListTableModel[IssueAction]):
    context = _CONTEXT
    headers = _HEADERS

    """A short list (what is left over from failures), replaced as a whole."""

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not self.checkIndex(index):
            return None
        a = self._rows[index.row()]
        column = IssueActionColumn(index.column())
        if role == ROW_ROLE:
            return a
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return (
                _RIGHT
                if column in (IssueActionColumn.AMOUNT, IssueActionColumn.ATTEMPTS)
                else _LEFT
            )
        values: dict[IssueActionColumn, Any] = {
            IssueActionColumn.STATE: a.state.value,
            IssueActionColumn.EMPLOYEE: a.employee_name or a.employee_id,
            IssueActionColumn.INSTITUTION: a.institution_name or a.institution_id,
            IssueActionColumn.AMOUNT: a.amount,
            IssueActionColumn.VALID_TO: a.valid_to,
            IssueActionColumn.ATTEMPTS: a.attempts,
            IssueActionColumn.CREATED: a.created_at,
            IssueActionColumn.REASON: a.error_zh or "",
        }
        value = values[column]
        if role == SORT_ROLE:
            return value
        if role == Qt.ItemDataRole.ToolTipRole and column is IssueActionColumn.REASON:
            return "\n".join(t for t in (a.error_zh, a.error_en) if t) or None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column is IssueActionColumn.STATE:
            return _tr(STATE_TEXT[a.state])
        if isinstance(value, Decimal):
            return format_money(value)
        if column is IssueActionColumn.CREATED:  # stored in UTC; clerks read local time
            return value.replace(tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M")
        if hasattr(value, "strftime"):
            return value.strftime("%Y-%m-%d %H:%M")
        return str(value)
