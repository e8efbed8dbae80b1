"""The quota list: filtered and sorted by SQL, read page by page off the GUI thread."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from workstation.db.engine import Database
from workstation.money import format_money
from workstation.quotas.models import QuotaStatus
from workstation.quotas.service import (
    QuotaFilter,
    QuotaSort,
    QuotaTotals,
    QuotaView,
    quota_page,
    quota_totals,
)
from workstation.sync.context import china_now
from workstation.ui.marks import QT_TRANSLATE_NOOP
from workstation.ui.models.institution_paging import (
    ROW_ROLE,
    SORT_ROLE,
    Fetch,
    PagedTableModel,
)

__all__ = [
    "QUOTA_TYPE_TEXT",
    "ROW_ROLE",
    "SORT_ROLE",
    "STATUS_TEXT",
    "USAGE_ROLE",
    "QuotaColumn",
    "QuotaTableModel",
    "quota_cells",
]

USAGE_ROLE = Qt.ItemDataRole.UserRole + 3  # (total, available) for the usage bar
_CONTEXT = "QuotaTableModel"
_Index = QModelIndex | QPersistentModelIndex
EXPORT_PAGE = 2000


class QuotaColumn(enum.IntEnum):
    EMPLOYEE = 0
    DEPARTMENT = 1
    INSTITUTION = 2
    TYPE = 3
    TOTAL = 4
    AVAILABLE = 5
    USAGE = 6
    VALID_FROM = 7
    VALID_TO = 8
    STATUS = 9
    QUOTA_ID = 10


# column → (header, sort key of QuotaSort)
_COLUMNS: dict[QuotaColumn, tuple[str, str]] = {
    QuotaColumn.EMPLOYEE: (QT_TRANSLATE_NOOP("QuotaTableModel", "员工"), "employee_name"),
    QuotaColumn.DEPARTMENT: (QT_TRANSLATE_NOOP("QuotaTableModel", "部门"), "department_name"),
    QuotaColumn.INSTITUTION: (QT_TRANSLATE_NOOP("QuotaTableModel", "费控制度"), "institution_name"),
    QuotaColumn.TYPE: (QT_TRANSLATE_NOOP("QuotaTableModel", "类型"), "quota_type"),
    QuotaColumn.TOTAL: (QT_TRANSLATE_NOOP("QuotaTableModel", "总额度"), "total"),
    QuotaColumn.AVAILABLE: (QT_TRANSLATE_NOOP("QuotaTableModel", "可用额度"), "available"),
    QuotaColumn.USAGE: (QT_TRANSLATE_NOOP("QuotaTableModel", "使用情况"), "usage"),
    QuotaColumn.VALID_FROM: (QT_TRANSLATE_NOOP("QuotaTableModel", "生效时间"), "valid_from"),
    QuotaColumn.VALID_TO: (QT_TRANSLATE_NOOP("QuotaTableModel", "失效时间"), "valid_to"),
    QuotaColumn.STATUS: (QT_TRANSLATE_NOOP("QuotaTableModel", "状态"), "status"),
    QuotaColumn.QUOTA_ID: (QT_TRANSLATE_NOOP("QuotaTableModel", "额度ID"), "quota_id"),
}

STATUS_TEXT: dict[QuotaStatus, str] = {
    QuotaStatus.ACTIVE: QT_TRANSLATE_NOOP("QuotaTableModel", "正常"),
    QuotaStatus.FROZEN: QT_TRANSLATE_NOOP("QuotaTableModel", "冻结"),
    QuotaStatus.EXHAUSTED: QT_TRANSLATE_NOOP("QuotaTableModel", "已用尽"),
    QuotaStatus.EXPIRED: QT_TRANSLATE_NOOP("QuotaTableModel", "已过期"),
}
QUOTA_TYPE_TEXT: dict[str, str] = {
    "CAP": QT_TRANSLATE_NOOP("QuotaTableModel", "余额"),
    "COUPON": QT_TRANSLATE_NOOP("QuotaTableModel", "点券"),
    "COUNT": QT_TRANSLATE_NOOP("QuotaTableModel", "次卡"),
}
_MONEY = {QuotaColumn.TOTAL, QuotaColumn.AVAILABLE}
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else ""


def usage_text(total: Decimal, available: Decimal) -> str:
    if total <= 0:
        return QCoreApplication.translate("QuotaTableModel", "未使用")
    used = max(total - available, Decimal(0))
    percent = int((used * 100 / total).to_integral_value())
    return QCoreApplication.translate("QuotaTableModel", "已用 %1%").replace("%1", str(percent))


def quota_cells(q: QuotaView) -> list[object]:
    """Display values of one row in column order (Decimal for money), for exports."""
    return [
        q.employee_name or q.employee_id,
        q.department_name or "",
        q.institution_name or q.institution_id,
        _tr(QUOTA_TYPE_TEXT[q.quota_type]) if q.quota_type in QUOTA_TYPE_TEXT else q.quota_type,
        q.total,
        q.available,
        usage_text(q.total, q.available),
        _when(q.valid_from),
        _when(q.valid_to),
        _tr(STATUS_TEXT[q.status]),
        q.quota_id,
    ]


class QuotaTableModel(PagedTableModel[QuotaView]):
    """Quotas for one :class:`QuotaFilter` and :class:`QuotaSort`; :attr:`summary` holds the
    filtered set's :class:`QuotaTotals` after each refresh."""

    def __init__(
        self,
        database: Database,
        *,
        enterprise_id: str = "",
        fetch: Fetch | None = None,
        now: Callable[[], dt.datetime] = china_now,
        page_size: int = 200,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(fetch=fetch, page_size=page_size, parent=parent)
        self.database = database
        self.enterprise_id = enterprise_id
        self.now = now
        self.quota_filter = QuotaFilter()
        self.quota_sort = QuotaSort()

    @property
    def totals(self) -> QuotaTotals | None:
        return self.summary if isinstance(self.summary, QuotaTotals) else None

    def set_filter(self, quota_filter: QuotaFilter) -> None:
        self.quota_filter = quota_filter
        self.refresh()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(QuotaColumn):
            return
        key = _COLUMNS[QuotaColumn(column)][1]
        sort = QuotaSort(key, descending=order == Qt.SortOrder.DescendingOrder)
        if sort != self.quota_sort:
            self.quota_sort = sort
            self.refresh()

    # -- reads (worker thread) -----------------------------------------------------------------

    def read_count(self) -> tuple[int, Any]:
        totals = quota_totals(
            self.database, self.quota_filter, enterprise_id=self.enterprise_id, now=self.now()
        )
        return totals.count, totals

    def count_rows(self) -> int:
        return self.read_count()[0]

    def read_page(self, offset: int, limit: int) -> tuple[QuotaView, ...]:
        return quota_page(
            self.database,
            self.quota_filter,
            self.quota_sort,
            offset,
            limit,
            enterprise_id=self.enterprise_id,
            now=self.now(),
        )

    def export_rows(self) -> Iterator[list[object]]:
        """Every row of the current filter and sort, a page at a time (any thread)."""
        database, f, sort, eid, now = (
            self.database,
            self.quota_filter,
            self.quota_sort,
            self.enterprise_id,
            self.now(),
        )
        offset = 0
        while True:
            page = quota_page(database, f, sort, offset, EXPORT_PAGE, enterprise_id=eid, now=now)
            for q in page:
                yield quota_cells(q)
            if len(page) < EXPORT_PAGE:
                return
            offset += EXPORT_PAGE

    # -- Qt --------------------------------------------------------------------------------

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(QuotaColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(QuotaColumn):
            return super().headerData(section, orientation, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return _tr(_COLUMNS[QuotaColumn(section)][0])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if section in _MONEY else _LEFT)
        return None

    def cell(self, row: QuotaView, column: int, role: int) -> Any:
        col = QuotaColumn(column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if col in _MONEY else _LEFT)
        if role == USAGE_ROLE:
            return (row.total, row.available) if col is QuotaColumn.USAGE else None
        if role == Qt.ItemDataRole.ToolTipRole and col is QuotaColumn.USAGE:
            return (
                QCoreApplication.translate("QuotaTableModel", "总额度 %1，已用 %2，可用 %3")
                .replace("%1", format_money(row.total))
                .replace("%2", format_money(row.used))
                .replace("%3", format_money(row.available))
            )
        if role == SORT_ROLE:
            return _sort_value(row, col)
        if role == Qt.ItemDataRole.DisplayRole:
            value = quota_cells(row)[column]
            return format_money(value) if isinstance(value, Decimal) else value
        return None


def _sort_value(row: QuotaView, col: QuotaColumn) -> Any:
    if col is QuotaColumn.USAGE:
        return row.used / row.total if row.total else Decimal(0)
    values: dict[QuotaColumn, Any] = {
        QuotaColumn.EMPLOYEE: row.employee_name,
        QuotaColumn.DEPARTMENT: row.department_name,
        QuotaColumn.INSTITUTION: row.institution_name,
        QuotaColumn.TYPE: row.quota_type,
        QuotaColumn.TOTAL: row.total,
        QuotaColumn.AVAILABLE: row.available,
        QuotaColumn.VALID_FROM: row.valid_from,
        QuotaColumn.VALID_TO: row.valid_to,
        QuotaColumn.STATUS: row.status.value,
        QuotaColumn.QUOTA_ID: row.quota_id,
    }
    return values[col]
