"""The shared shape of a tab that shows cached rows read-only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QVBoxLayout, QWidget

from workstation.ui.context import TabContext
from workstation.ui.tabs.sql_table_model import AnySelect, SqlColumn, SqlTableModel

__all__ = ["CachedTableTab"]


class CachedTableTab(QWidget):
    """A :class:`QTableView` over one paged SQL query. Subclasses name the query and columns,
    and the sync entities whose completion should refresh them."""

    ENTITIES: ClassVar[tuple[str, ...]] = ()

    def __init__(self, ctx: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.database = ctx.database
        self.model = SqlTableModel(ctx.database, self.statement(), self.columns(), parent=self)
        self.view = QTableView(self)
        self.view.setObjectName("table")
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setDefaultSectionSize(24)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultSectionSize(140)
        header.setStretchLastSection(True)
        # Size columns from the first rows only: sampling deeper would read more SQL pages.
        header.setResizeContentsPrecision(50)
        header.setMaximumSectionSize(360)
        self.model.modelReset.connect(self.view.resizeColumnsToContents)
        self.view.resizeColumnsToContents()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        ctx.events.changed.connect(self.on_cache_changed)

    def on_cache_changed(self, entity: str) -> None:
        if entity in self.ENTITIES:
            self.refresh()

    def statement(self) -> AnySelect:
        raise NotImplementedError

    def columns(self) -> Sequence[SqlColumn]:
        raise NotImplementedError

    def refresh(self) -> None:
        self.model.refresh()
