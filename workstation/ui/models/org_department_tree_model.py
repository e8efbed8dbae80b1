"""The department tree of the cache as a Qt item model (built from one query; org charts here
are at most a few thousand departments, so the whole tree fits comfortably in memory)."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from workstation.db.engine import Database
from workstation.org.service import DepartmentInfo, DepartmentTree, employee_counts, load_tree

__all__ = ["DEPARTMENT_ID_ROLE", "ROW_ROLE", "SORT_ROLE", "OrgDepartmentTreeModel"]

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # the DepartmentInfo
DEPARTMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 3

_Index = QModelIndex | QPersistentModelIndex


class OrgDepartmentTreeModel(QAbstractItemModel):
    """Departments by parent, with the employees of each subtree counted.

    Each index carries its node number as ``internalId`` (ids, not Python pointers, so nothing
    dangles across resets). ``disabled`` ids (e.g. a department and its subtree while choosing
    where to move it) are shown but not selectable."""

    class Column(IntEnum):
        NAME = 0
        EMPLOYEES = 1

    def __init__(self, parent: Any = None, *, with_counts: bool = True) -> None:
        super().__init__(parent)
        self._with_counts = with_counts
        self._tree = DepartmentTree.build([])
        self._ids: list[str] = []
        self._number: dict[str, int] = {}
        self._parent: dict[str, str | None] = {}
        self._row: dict[str, int] = {}
        self._totals: dict[str, int] = {}
        self._disabled: set[str] = set()

    # -- loading ---------------------------------------------------------------------------
    def reload(self, database: Database, enterprise_id: str = "") -> None:
        """Re-read the tree and the counts (two indexed queries on the GUI thread)."""
        counts = employee_counts(database, enterprise_id) if self._with_counts else {}
        self.set_tree(load_tree(database, enterprise_id), counts)

    def set_tree(self, tree: DepartmentTree, counts: dict[str | None, int] | None = None) -> None:
        self.beginResetModel()
        self._tree = tree
        self._ids = []
        self._number = {}
        self._parent = {}
        self._row = {}
        for parent, children in tree.children.items():
            for row, child in enumerate(children):
                self._parent[child] = parent
                self._row[child] = row
        for department_id in tree.departments:
            self._number[department_id] = len(self._ids)
            self._ids.append(department_id)
        self._totals = self._subtree_totals(counts or {})
        self.endResetModel()

    def _subtree_totals(self, counts: dict[str | None, int]) -> dict[str, int]:
        totals: dict[str, int] = {}
        order: list[str] = []
        stack = list(self._tree.roots)
        while stack:  # pre-order, then summed in reverse (children before parents)
            current = stack.pop()
            order.append(current)
            stack.extend(self._tree.child_ids(current))
        for department_id in reversed(order):
            totals[department_id] = counts.get(department_id, 0) + sum(
                totals.get(c, 0) for c in self._tree.child_ids(department_id)
            )
        root = self._tree.root
        if root is not None:  # the root shows everyone, also those whose department is unknown
            totals[root.department_id] = sum(counts.values())
        return totals

    def set_disabled(self, department_ids: set[str]) -> None:
        self._disabled = set(department_ids)
        if self._ids:
            self.dataChanged.emit(
                self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1)
            )

    @property
    def tree(self) -> DepartmentTree:
        return self._tree

    def department_at(self, index: _Index) -> DepartmentInfo | None:
        department_id = self._id_of(index)
        return self._tree.get(department_id) if department_id is not None else None

    def index_of(self, department_id: str, column: int = 0) -> QModelIndex:
        if department_id not in self._number:
            return QModelIndex()
        return self.createIndex(self._row[department_id], column, self._number[department_id] + 1)

    def total(self, department_id: str) -> int:
        return self._totals.get(department_id, 0)

    def _id_of(self, index: _Index) -> str | None:
        if not index.isValid():
            return None
        number = int(index.internalId()) - 1
        return self._ids[number] if 0 <= number < len(self._ids) else None

    # -- Qt --------------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column >= self.columnCount() or row < 0:
            return QModelIndex()
        parent_id = self._id_of(parent) if parent.isValid() else None
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        children = self._tree.child_ids(parent_id)
        if row >= len(children):
            return QModelIndex()
        return self.createIndex(row, column, self._number[children[row]] + 1)

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        department_id = self._id_of(index)
        if department_id is None:
            return QModelIndex()
        parent_id = self._parent.get(department_id)
        if parent_id is None:
            return QModelIndex()
        return self.index_of(parent_id)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._tree.child_ids(self._id_of(parent) if parent.isValid() else None))

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 2 if self._with_counts else 1

    def hasChildren(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return self.rowCount(parent) > 0

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._id_of(index) in self._disabled:
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == self.Column.NAME:
            return self.tr("部门")
        if section == self.Column.EMPLOYEES and self._with_counts:
            return self.tr("人数")
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        department_id = self._id_of(index)
        if department_id is None:
            return None
        info = self._tree.departments[department_id]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.Column.NAME:
                return info.name
            return str(self._totals.get(department_id, 0))
        if role == SORT_ROLE:
            return info.name if column == self.Column.NAME else self._totals.get(department_id, 0)
        if role == ROW_ROLE:
            return info
        if role == DEPARTMENT_ID_ROLE:
            return department_id
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = self.tr("%1\n部门ID：%2").replace("%1", self._tree.path(department_id))
            tip = tip.replace("%2", department_id)
            if info.code:
                tip += "\n" + self.tr("部门编码：%1").replace("%1", info.code)
            return tip
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.Column.EMPLOYEES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
