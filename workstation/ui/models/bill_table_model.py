"""The bills table: a lazy model over :class:`BillQuery` that never holds all rows.

``rowCount`` is the filter's count; rows arrive page by page (one indexed query each) into a
small LRU cache, so a million-row cache costs a few thousand rows of memory.
"""

from __future__ import annotations

import enum
from collections import OrderedDict
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from workstation.bills.models import BillStatus
from workstation.bills.query import (
    BillFilter,
    BillQuery,
    BillRow,
    BillSort,
    BillTotals,
)
from workstation.money import format_money

__all__ = ["ROW_ROLE", "SORT_ROLE", "BillColumn", "BillTableModel"]

SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # native value: Decimal, datetime, str
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # the BillRow

PAGE_SIZE = 256
MAX_PAGES = 40

_T = QCoreApplication.translate


class BillColumn(enum.IntEnum):
    TRADE_TIME = 0
    EMPLOYEE = 1
    DEPARTMENT = 2
    MERCHANT = 3
    CATEGORY = 4
    AMOUNT = 5
    ENTERPRISE_PAID = 6
    PERSONAL_PAID = 7
    REFUND = 8
    STATUS = 9
    PAY_NO = 10


# column → (header zh, header en tooltip, BillRow attribute, sort column name)
_COLUMNS: dict[BillColumn, tuple[str, str, str, str]] = {
    BillColumn.TRADE_TIME: ("交易时间", "Trade time", "trade_time", "trade_time"),
    BillColumn.EMPLOYEE: ("员工", "Employee", "employee_name", "employee_name"),
    BillColumn.DEPARTMENT: ("部门", "Department", "department_name", "department_name"),
    BillColumn.MERCHANT: ("商户", "Merchant", "merchant_name", "merchant_name"),
    BillColumn.CATEGORY: ("消费分类", "Category", "category", "category"),
    BillColumn.AMOUNT: ("账单金额", "Amount", "total_amount", "total_amount"),
    BillColumn.ENTERPRISE_PAID: (
        "企业付",
        "Enterprise paid",
        "enterprise_pay_amount",
        "enterprise_pay_amount",
    ),
    BillColumn.PERSONAL_PAID: (
        "个人付",
        "Personal paid",
        "personal_pay_amount",
        "personal_pay_amount",
    ),
    BillColumn.REFUND: ("退款金额", "Refund", "refund_amount", "refund_amount"),
    BillColumn.STATUS: ("状态", "Status", "status", "status"),
    BillColumn.PAY_NO: ("账单号", "Pay no.", "pay_no", "pay_no"),
}

_STATUS_TEXT = {
    BillStatus.PAID: "已支付",
    BillStatus.REFUNDED: "已退款",
    BillStatus.CLOSED: "已关闭",
}

_MONEY_ALIGN = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_TEXT_ALIGN = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

_AnyIndex = QModelIndex | QPersistentModelIndex


class BillTableModel(QAbstractTableModel):
    """Bills for one filter and sort. Page fetches are synchronous indexed reads."""

    totals_changed = Signal(object)  # BillTotals

    def __init__(
        self,
        query: BillQuery,
        bill_filter: BillFilter | None = None,
        sort: BillSort | None = None,
        *,
        page_size: int = PAGE_SIZE,
        max_pages: int = MAX_PAGES,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._query = query
        self._filter = bill_filter or BillFilter()
        self._sort = sort or BillSort()
        self.page_size = page_size
        self.max_pages = max_pages
        self._pages: OrderedDict[int, list[BillRow]] = OrderedDict()
        self._totals = query.totals(self._filter)

    # -- state ------------------------------------------------------------------------------

    @property
    def totals(self) -> BillTotals:
        return self._totals

    @property
    def bill_filter(self) -> BillFilter:
        return self._filter

    @property
    def bill_sort(self) -> BillSort:
        return self._sort

    @property
    def cached_pages(self) -> int:
        return len(self._pages)

    def set_filter(self, bill_filter: BillFilter) -> None:
        self._filter = bill_filter
        self.refresh()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        try:
            key = _COLUMNS[BillColumn(column)][3]
        except ValueError:
            return
        self._sort = BillSort(key, descending=order == Qt.SortOrder.DescendingOrder)
        # Sorting keeps the same rows: reset the pages but skip re-counting a million rows.
        self.beginResetModel()
        self._pages.clear()
        self.endResetModel()

    def refresh(self) -> None:
        """Re-read totals and drop cached rows (after a filter change or a sync)."""
        self.beginResetModel()
        self._pages.clear()
        self._totals = self._query.totals(self._filter)
        self.endResetModel()
        self.totals_changed.emit(self._totals)

    def row_at(self, row: int) -> BillRow | None:
        if not 0 <= row < self._totals.count:
            return None
        number, within = divmod(row, self.page_size)
        page = self._pages.get(number)
        if page is None:
            page = self._query.page(
                self._filter,
                self._sort,
                number * self.page_size,
                self.page_size,
                total=self._totals.count,
            )
            self._pages[number] = page
            while len(self._pages) > self.max_pages:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        # The cache may have changed since totals were read: a short page yields empty cells.
        return page[within] if within < len(page) else None

    # -- Qt model API -----------------------------------------------------------------------

    def rowCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._totals.count

    def columnCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(BillColumn)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(BillColumn):
            return super().headerData(section, orientation, role)
        zh, en, _, _ = _COLUMNS[BillColumn(section)]
        if role == Qt.ItemDataRole.DisplayRole:
            return _T("BillTableModel", zh)
        if role == Qt.ItemDataRole.ToolTipRole:
            return en
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _MONEY_ALIGN if _is_money(section) else _TEXT_ALIGN
        return None

    def data(self, index: _AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.column() >= len(BillColumn):
            return None
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.TextAlignmentRole,
            SORT_ROLE,
            ROW_ROLE,
        ):
            return None
        column = BillColumn(index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _MONEY_ALIGN if _is_money(column) else _TEXT_ALIGN
        row = self.row_at(index.row())
        if row is None:
            return None
        if role == ROW_ROLE:
            return row
        value = getattr(row, _COLUMNS[column][2])
        if role == SORT_ROLE:
            return value.value if isinstance(value, BillStatus) else value
        return _display(value)


def _is_money(column: int) -> bool:
    return BillColumn.AMOUNT <= column <= BillColumn.REFUND


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_money(value)
    if isinstance(value, BillStatus):
        return _T("BillTableModel", _STATUS_TEXT[value])
    if hasattr(value, "strftime"):
        return str(value.strftime("%Y-%m-%d %H:%M:%S"))
    return str(value)
