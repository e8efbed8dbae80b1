"""The shared shape of a tab that shows cached rows read-only: search, table, optional detail."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import or_
from sqlalchemy.engine import Row

from workstation.ui.context import TabContext
from workstation.ui.tabs.sql_table_model import AnySelect, SqlColumn, SqlTableModel, display_text

__all__ = ["CachedTableTab"]

EXPORT_PAGE = 2000


class CachedTableTab(QWidget):
    """A :class:`QTableView` over one paged SQL query. Subclasses name the query and columns,
    the sync entities whose completion should refresh them, optionally the columns a search
    matches (a search field appears) and a detail widget shown beside the table."""

    ENTITIES: ClassVar[tuple[str, ...]] = ()

    def __init__(self, ctx: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.database = ctx.database
        self._search_text = ""
        self.model = SqlTableModel(ctx.database, self._statement(), self.columns(), parent=self)
        self.view = QTableView(self)
        self.view.setObjectName(f"{self.objectName() or type(self).__name__}_table")
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setDefaultSectionSize(24)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultSectionSize(140)
        header.setStretchLastSection(True)
        # Size columns from the first rows only: sampling deeper would read more SQL pages.
        header.setResizeContentsPrecision(50)
        header.setMaximumSectionSize(360)
        self.model.modelReset.connect(self._on_model_reset)
        self.view.resizeColumnsToContents()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.search: QLineEdit | None = None
        if self.search_columns():
            self.search = QLineEdit(self)
            self.search.setObjectName("search")
            self.search.setClearButtonEnabled(True)
            self.search.setPlaceholderText(self.search_placeholder())
            self._debounce = QTimer(self)
            self._debounce.setSingleShot(True)
            self._debounce.setInterval(250)
            self._debounce.timeout.connect(self.apply_search)
            self.search.textEdited.connect(lambda _text: self._debounce.start())
            self.search.returnPressed.connect(self.apply_search)
            top = QWidget(self)
            top_layout = QVBoxLayout(top)
            top_layout.setContentsMargins(6, 6, 6, 0)
            top_layout.addWidget(self.search)
            layout.addWidget(top)
        detail = self.detail_widget()
        if detail is None:
            layout.addWidget(self.view)
            self.splitter: QSplitter | None = None
        else:
            self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
            self.splitter.setObjectName(f"{type(self).__name__}_splitter")
            self.splitter.addWidget(self.view)
            self.splitter.addWidget(detail)
            self.splitter.setStretchFactor(0, 3)
            self.splitter.setStretchFactor(1, 2)
            layout.addWidget(self.splitter, 1)
            self.view.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        ctx.events.changed.connect(self.on_cache_changed)

    # -- what subclasses describe ------------------------------------------------------------

    def statement(self) -> AnySelect:
        raise NotImplementedError

    def columns(self) -> Sequence[SqlColumn]:
        raise NotImplementedError

    def search_columns(self) -> Sequence[Any]:
        """Columns a search matches (case-insensitive substring); none → no search field."""
        return ()

    def search_placeholder(self) -> str:
        return self.tr("搜索… (Ctrl+F)")

    def detail_widget(self) -> QWidget | None:
        """A widget shown beside the table; :meth:`show_detail` fills it for the current row."""
        return None

    def show_detail(self, row: Row[Any] | None) -> None:
        """Called with the current row (``None`` when nothing is selected)."""

    # -- behaviour ------------------------------------------------------------------------------

    def _statement(self) -> AnySelect:
        stmt = self.statement()
        text = self._search_text
        if text:
            stmt = stmt.where(
                or_(*(c.icontains(text, autoescape=True) for c in self.search_columns()))
            )
        return stmt

    def apply_search(self) -> None:
        assert self.search is not None
        text = self.search.text().strip()
        if text != self._search_text:
            self._search_text = text
            self.model.set_statement(self._statement())

    def search_widget(self) -> QWidget | None:
        return self.search

    def _on_model_reset(self) -> None:
        if not self.view.property("headerStateRestored"):  # keep the clerk's own widths
            self.view.resizeColumnsToContents()
        self.show_detail(None)

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.show_detail(self.model.row_at(current.row()) if current.isValid() else None)

    def on_cache_changed(self, entity: str) -> None:
        if entity in self.ENTITIES:
            self.refresh()

    def refresh(self) -> None:
        self.model.refresh()

    def export_table(self) -> tuple[list[str], Iterable[list[object]]]:
        """The rows the table shows (search applied), read page by page when iterated."""
        columns = self.columns()
        headers = [c.header for c in columns]
        stmt = self._statement()
        database = self.database

        def cell(column: SqlColumn, value: Any) -> object:
            if column.format is not None:
                return column.format(value)
            if value is None or isinstance(value, int | str) or hasattr(value, "quantize"):
                return value
            if hasattr(value, "isoformat"):
                return value
            return display_text(value)

        def rows() -> Iterator[list[object]]:
            offset = 0
            while True:
                with database.read_session() as session:
                    page = session.execute(stmt.limit(EXPORT_PAGE).offset(offset)).all()
                for r in page:
                    yield [cell(c, r._mapping[c.key]) for c in columns]
                if len(page) < EXPORT_PAGE:
                    return
                offset += EXPORT_PAGE

        return headers, rows()
