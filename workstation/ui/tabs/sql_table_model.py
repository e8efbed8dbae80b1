"""A read-only table model over one SQL query that reads pages with LIMIT/OFFSET on demand."""

from __future__ import annotations

import datetime as dt
import enum
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeAlias

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from sqlalchemy import Select, func, select
from sqlalchemy.engine import Row

from workstation.db.engine import Database
from workstation.money import format_money
from workstation.ui.tabs.labels import enum_label

__all__ = ["ROW_ROLE", "SORT_ROLE", "AnySelect", "SqlColumn", "SqlTableModel"]

AnySelect: TypeAlias = Select[*tuple[Any, ...]]

SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # the native value (Decimal, datetime, …)
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # the whole row (an immutable SQLAlchemy Row)

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class SqlColumn:
    """One column: the key of a value in the query's rows, its header, optional formatter."""

    key: str
    header: str
    format: Callable[[Any], str] | None = None


def display_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_money(value)
    if isinstance(value, enum.Enum):
        return enum_label(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class SqlTableModel(QAbstractTableModel):
    """Counts rows once per refresh and keeps a few recently used pages; never the whole table.

    ``statement`` must select labelled columns whose names match the :class:`SqlColumn` keys and
    carry a stable ORDER BY (ending in a unique key) so pages do not overlap."""

    def __init__(
        self,
        database: Database,
        statement: AnySelect,
        columns: Sequence[SqlColumn],
        *,
        page_size: int = 200,
        max_pages: int = 20,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._database = database
        self._statement = statement
        self._columns = list(columns)
        self._page_size = page_size
        self._max_pages = max_pages
        self._pages: OrderedDict[int, list[Row[Any]]] = OrderedDict()
        self._count = self._query_count()

    # -- loading ---------------------------------------------------------------------------
    def _query_count(self) -> int:
        counted = select(func.count()).select_from(self._statement.order_by(None).subquery())
        with self._database.read_session() as session:
            return int(session.execute(counted).scalar_one())

    def _page(self, number: int) -> list[Row[Any]]:
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        query = self._statement.limit(self._page_size).offset(number * self._page_size)
        with self._database.read_session() as session:
            page = list(session.execute(query).all())
        self._pages[number] = page
        while len(self._pages) > self._max_pages:
            self._pages.popitem(last=False)
        return page

    def row_at(self, row: int) -> Row[Any] | None:
        if not 0 <= row < self._count:
            return None
        page = self._page(row // self._page_size)
        offset = row % self._page_size
        # The table may have shrunk since the count; an empty cell beats an IndexError.
        return page[offset] if offset < len(page) else None

    def set_statement(self, statement: AnySelect) -> None:
        """Show another query with the same columns (a search)."""
        self._statement = statement
        self.refresh()

    def refresh(self) -> None:
        """Re-read after a sync wrote new rows."""
        self.beginResetModel()
        self._pages.clear()
        self._count = self._query_count()
        self.endResetModel()

    # -- Qt --------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self._columns):
                return self._columns[section].header
            return None
        return section + 1

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called per visible cell and role on every paint and column fit: unsupported roles
        # (font, colours, decoration, size hints…) leave before any other work.
        if role not in _DATA_ROLES or not index.isValid():
            return None
        number = index.column()
        if not 0 <= number < len(self._columns):
            return None
        row = self.row_at(index.row())  # None outside the rows
        if row is None:
            return None
        column = self._columns[number]
        value = row._mapping[column.key]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.format(value) if column.format else display_text(value)
        if role == SORT_ROLE:
            return value
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, Decimal | int):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


_DATA_ROLES = frozenset(
    {
        int(Qt.ItemDataRole.DisplayRole),
        int(Qt.ItemDataRole.TextAlignmentRole),
        int(SORT_ROLE),
        int(ROW_ROLE),
    }
)
