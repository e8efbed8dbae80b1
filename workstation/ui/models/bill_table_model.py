"""The bills table: a lazy model over :class:`BillQuery` that never holds all rows.

``rowCount`` is the filter's count; rows arrive page by page (one indexed query each) into a
small LRU cache, so a million-row cache costs a few thousand rows of memory.
"""

from __future__ import annotations

import enum
from collections import OrderedDict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
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
from workstation.ui.marks import QT_TRANSLATE_NOOP

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
    BillColumn.TRADE_TIME: (
        QT_TRANSLATE_NOOP("BillTableModel", "交易时间"),
        "Trade time",
        "trade_time",
        "trade_time",
    ),
    BillColumn.EMPLOYEE: (
        QT_TRANSLATE_NOOP("BillTableModel", "员工"),
        "Employee",
        "employee_name",
        "employee_name",
    ),
    BillColumn.DEPARTMENT: (
        QT_TRANSLATE_NOOP("BillTableModel", "部门"),
        "Department",
        "department_name",
        "department_name",
    ),
    BillColumn.MERCHANT: (
        QT_TRANSLATE_NOOP("BillTableModel", "商户"),
        "Merchant",
        "merchant_name",
        "merchant_name",
    ),
    BillColumn.CATEGORY: (
        QT_TRANSLATE_NOOP("BillTableModel", "消费分类"),
        "Category",
        "category",
        "category",
    ),
    BillColumn.AMOUNT: (
        QT_TRANSLATE_NOOP("BillTableModel", "账单金额"),
        "Amount",
        "total_amount",
        "total_amount",
    ),
    BillColumn.ENTERPRISE_PAID: (
        QT_TRANSLATE_NOOP("BillTableModel", "企业付"),
        "Enterprise paid",
        "enterprise_pay_amount",
        "enterprise_pay_amount",
    ),
    BillColumn.PERSONAL_PAID: (
        QT_TRANSLATE_NOOP("BillTableModel", "个人付"),
        "Personal paid",
        "personal_pay_amount",
        "personal_pay_amount",
    ),
    BillColumn.REFUND: (
        QT_TRANSLATE_NOOP("BillTableModel", "退款金额"),
        "Refund",
        "refund_amount",
        "refund_amount",
    ),
    BillColumn.STATUS: (QT_TRANSLATE_NOOP("BillTableModel", "状态"), "Status", "status", "status"),
    BillColumn.PAY_NO: (
        QT_TRANSLATE_NOOP("BillTableModel", "账单号"),
        "Pay no.",
        "pay_no",
        "pay_no",
    ),
}

_STATUS_TEXT = {
    BillStatus.PAID: QT_TRANSLATE_NOOP("BillTableModel", "已支付"),
    BillStatus.REFUNDED: QT_TRANSLATE_NOOP("BillTableModel", "已退款"),
    BillStatus.CLOSED: QT_TRANSLATE_NOOP("BillTableModel", "已关闭"),
}

_MONEY_ALIGN = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_TEXT_ALIGN = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

_AnyIndex = QModelIndex | QPersistentModelIndex


# Runs ``work`` off the GUI thread and calls ``done(result)`` back on it (TaskRunner-shaped).
Fetch = Callable[[Callable[[], Any], Callable[[Any], None]], None]


class BillTableModel(QAbstractTableModel):
    """Bills for one filter and sort.

    Without ``fetch`` every read is synchronous (tests, scripts). With ``fetch`` (the window's
    :class:`~workstation.ui.tasks.TaskRunner`) no read runs on the GUI thread: a new filter or
    sort keeps showing the old rows until the first page of the new result arrives; the count
    and sums arrive separately (the aggregate reads every matching row) and extend the rows;
    a page not yet loaded shows empty cells until its read returns. :meth:`refresh` after a sync
    keeps the scroll position and serves the previous pages until fresh ones replace them."""

    totals_changed = Signal(object)  # BillTotals, or None while they are being computed
    first_page_loaded = Signal()  # page 0 of the current result is shown

    def __init__(
        self,
        query: BillQuery,
        bill_filter: BillFilter | None = None,
        sort: BillSort | None = None,
        *,
        fetch: Fetch | None = None,
        page_size: int = PAGE_SIZE,
        max_pages: int = MAX_PAGES,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._query = query
        self._filter = bill_filter or BillFilter()
        self._sort = sort or BillSort()
        self._fetch = fetch
        self.page_size = page_size
        self.max_pages = max_pages
        self._pages: OrderedDict[int, list[BillRow]] = OrderedDict()
        self._stale: dict[int, list[BillRow]] = {}  # previous pages, shown while re-reading
        self._loading: set[int] = set()
        self._generation = 0  # bumps on every new filter or sort: older page reads are dropped
        self._totals_generation = 0  # bumps on every new filter: older totals are dropped
        self._reads_scheduled = False
        self._need_totals = False
        self._soft = True
        self._totals: BillTotals | None = None
        self._count = 0
        if fetch is None:
            self._totals = query.totals(self._filter)
            self._count = self._totals.count
        else:
            self._reload(keep_totals=False, soft=False)

    # -- state ------------------------------------------------------------------------------

    @property
    def totals(self) -> BillTotals | None:
        """The filtered set's count and sums; ``None`` while they are being computed."""
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

    @property
    def first_page_pending(self) -> bool:
        """A new result is being read and its first page is not shown yet."""
        return 0 in self._loading

    @property
    def loading(self) -> bool:
        return bool(self._loading) or (self._fetch is not None and self._totals is None)

    def set_filter(self, bill_filter: BillFilter) -> None:
        self._filter = bill_filter
        if self._fetch is None:
            self.beginResetModel()
            self._pages.clear()
            self._totals = self._query.totals(bill_filter)
            self._count = self._totals.count
            self.endResetModel()
            self.totals_changed.emit(self._totals)
        else:
            self._reload(keep_totals=False, soft=False)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        try:
            key = _COLUMNS[BillColumn(column)][3]
        except ValueError:
            return
        self.set_sort(BillSort(key, descending=order == Qt.SortOrder.DescendingOrder))

    @staticmethod
    def sort_key(column: int) -> str:
        """The :class:`BillSort` column name behind a view column."""
        return _COLUMNS[BillColumn(column)][3]

    def set_sort(self, sort: BillSort) -> None:
        if sort == self._sort:
            return
        self._sort = sort
        if self._fetch is None:
            # Sorting keeps the same rows: reset the pages but skip re-counting a million rows.
            self.beginResetModel()
            self._pages.clear()
            self.endResetModel()
        else:
            self._reload(keep_totals=True, soft=False)

    def refresh(self) -> None:
        """Re-read after the cache changed (a sync, a notification): same filter and sort,
        scroll position kept."""
        if self._fetch is None:
            self.beginResetModel()
            self._pages.clear()
            self._totals = self._query.totals(self._filter)
            self._count = self._totals.count
            self.endResetModel()
            self.totals_changed.emit(self._totals)
        else:
            self._reload(keep_totals=False, soft=True)

    # -- asynchronous loading ----------------------------------------------------------------

    def _reload(self, *, keep_totals: bool, soft: bool) -> None:
        """Start reading the current filter and sort. The reads are issued on the next turn of
        the event loop, so changes made together (a restored sort right after construction, a
        saved view setting several fields) cost one read, not one each."""
        assert self._fetch is not None
        self._generation += 1
        self._loading = {0}
        if not keep_totals:
            self._totals_generation += 1
            self._need_totals = True
            if not soft and self._totals is not None:
                self._totals = None
                self.totals_changed.emit(None)
        if not self._reads_scheduled:
            self._reads_scheduled = True
            self._soft = soft
            QTimer.singleShot(0, self, self._start_reads)
        else:
            self._soft = self._soft and soft

    def _start_reads(self) -> None:
        fetch = self._fetch
        assert fetch is not None
        self._reads_scheduled = False
        generation, totals_generation, soft = self._generation, self._totals_generation, self._soft
        bill_filter, sort, size = self._filter, self._sort, self.page_size
        query = self._query
        need_totals, self._need_totals = self._need_totals, False

        def read_totals() -> None:
            if totals_generation == self._totals_generation:  # still the filter they are for
                fetch(
                    lambda: query.totals(bill_filter),
                    lambda totals: self._on_totals(totals_generation, totals, soft),
                )

        def page_read(rows: list[BillRow]) -> None:
            self._on_first_page(generation, rows, soft)
            # The sums read every matching row: they start once the first screen is painted
            # (the paint is posted ahead of this timer). On two cores, reading both at once,
            # or summing while the view paints, delayed the first screen two- to three-fold.
            if need_totals:
                QTimer.singleShot(0, self, read_totals)

        fetch(lambda: query.page(bill_filter, sort, 0, size), page_read)

    def _on_first_page(self, generation: int, rows: list[BillRow], soft: bool) -> None:
        if generation != self._generation:
            return
        self._loading.discard(0)
        if soft:
            self._stale = dict(self._pages)
            self._pages.clear()
            self._pages[0] = rows
            self._set_count(self._totals.count if self._totals is not None else len(rows))
            if self._count:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(self._count - 1, len(BillColumn) - 1)
                )
        else:
            self.beginResetModel()
            self._pages.clear()
            self._stale.clear()
            self._pages[0] = rows
            if self._totals is not None:
                self._count = self._totals.count
            else:
                self._count = len(rows)
            self.endResetModel()
        self.first_page_loaded.emit()

    def _on_totals(self, generation: int, totals: BillTotals, soft: bool) -> None:
        if generation != self._totals_generation:
            return
        self._totals = totals
        if 0 not in self._loading:
            self._set_count(totals.count)
        self.totals_changed.emit(totals)

    def _set_count(self, count: int) -> None:
        """Grow or shrink the row count without a reset (the view keeps its scroll)."""
        if count > self._count:
            self.beginInsertRows(QModelIndex(), self._count, count - 1)
            self._count = count
            self.endInsertRows()
        elif count < self._count:
            self.beginRemoveRows(QModelIndex(), count, self._count - 1)
            self._count = count
            self.endRemoveRows()

    def _request_page(self, number: int) -> None:
        assert self._fetch is not None
        if number in self._loading:
            return
        self._loading.add(number)
        generation = self._generation
        bill_filter, sort, size = self._filter, self._sort, self.page_size
        total = self._totals.count if self._totals is not None else None
        query = self._query
        self._fetch(
            lambda: query.page(bill_filter, sort, number * size, size, total=total),
            lambda rows: self._on_page(generation, number, rows),
        )

    def _on_page(self, generation: int, number: int, rows: list[BillRow]) -> None:
        if generation != self._generation:
            return
        self._loading.discard(number)
        self._store(number, rows)
        self._stale.pop(number, None)
        first = number * self.page_size
        last = min(first + self.page_size, self._count) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(BillColumn) - 1))

    def _store(self, number: int, rows: list[BillRow]) -> None:
        self._pages[number] = rows
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)

    def row_at(self, row: int) -> BillRow | None:
        if not 0 <= row < self._count:
            return None
        number, within = divmod(row, self.page_size)
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
        elif self._fetch is not None:
            self._request_page(number)
            page = self._stale.get(number)
            if page is None:
                return None
        else:
            total = self._totals.count if self._totals is not None else None
            page = self._query.page(
                self._filter, self._sort, number * self.page_size, self.page_size, total=total
            )
            self._store(number, page)
        # The cache may have changed since totals were read: a short page yields empty cells.
        return page[within] if within < len(page) else None

    # -- Qt model API -----------------------------------------------------------------------

    def rowCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

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
            return _MONEY_ALIGN if section in _MONEY_COLUMNS else _TEXT_ALIGN
        return None

    def data(self, index: _AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every visible cell and role on each paint: plain ints and lists here,
        # no enum construction (it was a third of the first screen's GUI time).
        if role not in _ROLES or not index.isValid():
            return None
        column = index.column()
        if column >= _COLUMN_COUNT:
            return None
        if role == _ALIGN_ROLE:
            return _MONEY_ALIGN if column in _MONEY_COLUMNS else _TEXT_ALIGN
        row = self.row_at(index.row())
        if row is None:
            return None
        if role == ROW_ROLE:
            return row
        value = getattr(row, _ATTRS[column])
        if role == SORT_ROLE:
            return value.value if isinstance(value, BillStatus) else value
        return _display(value)


_COLUMN_COUNT = len(BillColumn)
_ATTRS = [_COLUMNS[c][2] for c in BillColumn]
_MONEY_COLUMNS = frozenset(
    int(c) for c in BillColumn if BillColumn.AMOUNT <= c <= BillColumn.REFUND
)
_ALIGN_ROLE = int(Qt.ItemDataRole.TextAlignmentRole)
_ROLES = frozenset({int(Qt.ItemDataRole.DisplayRole), _ALIGN_ROLE, int(SORT_ROLE), int(ROW_ROLE)})


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
