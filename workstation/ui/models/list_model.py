"""Table models' shared parts: translated column headers (:class:`HeaderedTableModel`) and a
short list of frozen rows shown as a table and replaced as a whole (:class:`ListTableModel`:
rules, pending actions, institutions, a batch preview)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

__all__ = ["HeaderedTableModel", "ListTableModel"]

T = TypeVar("T")
_Index = QModelIndex | QPersistentModelIndex


class HeaderedTableModel(QAbstractTableModel):
    """Columns and their headers from ``headers`` (column number → Chinese source text,
    translated in ``context``, the context of the class's own ``QT_TRANSLATE_NOOP`` marks)."""

    context: ClassVar[str]
    headers: ClassVar[Mapping[Any, str]]  # IntEnum column → text

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or section not in self.headers:
            return super().headerData(section, orientation, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate(self.context, self.headers[section])
        return None


class ListTableModel(HeaderedTableModel, Generic[T]):
    """Subclasses set ``context`` and ``headers`` and implement ``data``."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[T] = []

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[T]:
        return list(self._rows)

    def row_at(self, row: int) -> T | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)
