"""A table model that reads its rows page by page, off the GUI thread.

Shared by the institution member list, the member picker and the quota list: each may hold
100 000 rows, so none holds them all. ``rowCount`` is a count read with the first page; other
pages are read when a view asks for their rows and arrive by ``dataChanged``.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

__all__ = ["ROW_ROLE", "SORT_ROLE", "Fetch", "PagedTableModel"]

SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # the native value: Decimal, datetime, str
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # the frozen row object

T = TypeVar("T")
_Index = QModelIndex | QPersistentModelIndex

# Runs ``work`` off the GUI thread and calls ``done(result)`` back on it; ``failed(exc)`` on
# failure (TaskRunner.run-shaped). None: read synchronously (tests, tiny tables).
Fetch = Callable[[Callable[[], Any], Callable[[Any], None], Callable[[BaseException], None]], Any]


class PagedTableModel(QAbstractTableModel, Generic[T]):
    """Subclasses give ``count_rows`` and ``read_page`` (both run on a worker thread: plain
    database reads returning frozen rows) and the cell values of a row."""

    refreshed = Signal()  # the count and first page of the latest refresh are in
    load_failed = Signal(object)  # an exception from a read

    def __init__(
        self,
        *,
        fetch: Fetch | None = None,
        page_size: int = 200,
        max_pages: int = 30,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self.page_size = page_size
        self.max_pages = max_pages
        self._pages: OrderedDict[int, Sequence[T]] = OrderedDict()
        self._loading: set[int] = set()
        self._generation = 0
        self._count = 0
        self.loaded = False
        self.summary: Any = None

    # -- what subclasses provide -------------------------------------------------------------

    def count_rows(self) -> int:
        raise NotImplementedError

    def read_count(self) -> tuple[int, Any]:
        """The row count and an optional summary kept as :attr:`summary` (e.g. sums)."""
        return self.count_rows(), None

    def read_page(self, offset: int, limit: int) -> Sequence[T]:
        raise NotImplementedError

    def cell(self, row: T, column: int, role: int) -> Any:
        """The value of ``row`` for ``column`` in ``role`` (Display, SORT_ROLE, alignment…)."""
        raise NotImplementedError

    # -- loading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the count and the first page; the old rows stay visible meanwhile."""
        self._generation += 1
        generation = self._generation
        size = self.page_size
        read_count, read_page = self.read_count, self.read_page

        def work() -> tuple[tuple[int, Any], Sequence[T]]:
            return read_count(), read_page(0, size)

        if self._fetch is None:
            self._on_refreshed(generation, work())
        else:
            self._loading = {0}
            self._fetch(
                work,
                lambda result: self._on_refreshed(generation, result),
                lambda exc: self._on_failed(generation, 0, exc),
            )

    def _on_refreshed(self, generation: int, result: tuple[tuple[int, Any], Sequence[T]]) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return  # deleted meanwhile (its dialog closed), or a newer refresh is on its way
        (count, summary), first = result
        self.summary = summary
        self.beginResetModel()
        self._pages.clear()
        self._loading.clear()
        self._pages[0] = first
        self._count = count
        self.endResetModel()
        self.loaded = True
        self.refreshed.emit()

    def _on_failed(self, generation: int, number: int, exc: BaseException) -> None:
        if shiboken6.isValid(self) and generation == self._generation:
            self._loading.discard(number)
            self.load_failed.emit(exc)

    def _request(self, number: int) -> None:
        assert self._fetch is not None
        if number in self._loading:
            return
        self._loading.add(number)
        generation = self._generation
        read_page, offset, size = self.read_page, number * self.page_size, self.page_size
        self._fetch(
            lambda: read_page(offset, size),
            lambda rows: self._on_page(generation, number, rows),
            lambda exc: self._on_failed(generation, number, exc),
        )

    def _on_page(self, generation: int, number: int, rows: Sequence[T]) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return
        self._loading.discard(number)
        self._store(number, rows)
        first = number * self.page_size
        last = min(first + self.page_size, self._count) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, self.columnCount() - 1))

    def _store(self, number: int, rows: Sequence[T]) -> None:
        self._pages[number] = rows
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)

    def row_at(self, row: int) -> T | None:
        """The row object, or None while its page is being read."""
        if not 0 <= row < self._count:
            return None
        number, within = divmod(row, self.page_size)
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
        elif self._fetch is not None:
            self._request(number)
            return None
        else:
            page = self.read_page(number * self.page_size, self.page_size)
            self._store(number, page)
        # The cache may have shrunk since the count: a short page yields empty cells.
        return page[within] if within < len(page) else None

    def loaded_rows(self) -> list[T]:
        """Rows already in memory, in order (for selections and tests)."""
        return [r for n in sorted(self._pages) for r in self._pages[n]]

    # -- Qt ------------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.column() < self.columnCount():
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        if role == ROW_ROLE:
            return row
        return self.cell(row, index.column(), role)
