"""选择成员: pick employees or departments from the cached org chart.

Employees: a department tree narrows a paged, searchable, checkable list (checks survive
searching). Departments: the tree itself is checkable. The dialog only chooses; the caller sends
the change to Alipay."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workstation.db.engine import Database
from workstation.institutions.models import MemberType
from workstation.institutions.service import DepartmentNode, subtree_ids
from workstation.ui.models.institution_paging import Fetch
from workstation.ui.models.institution_picker_model import EmployeePickerModel

__all__ = ["MemberPickerDialog"]

_KEY = Qt.ItemDataRole.UserRole


class MemberPickerDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        database: Database,
        departments: Sequence[DepartmentNode],
        kind: MemberType,
        *,
        fetch: Fetch | None = None,
        exclude: Sequence[str] = (),
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self.nodes = tuple(departments)
        self.exclude = set(exclude)
        employees = kind is MemberType.EMPLOYEE
        self.setWindowTitle(self.tr("选择员工") if employees else self.tr("选择部门"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(760, 520)

        self.tree = QTreeWidget(self)
        self.tree.setObjectName("institution_picker_departments")
        self.tree.setHeaderLabel(self.tr("部门"))
        items: dict[str, QTreeWidgetItem] = {}
        for node in self.nodes:
            parent_item = items.get(node.parent_id or "")
            item = QTreeWidgetItem([node.name])
            item.setData(0, _KEY, node.department_id)
            if not employees:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(0, Qt.CheckState.Unchecked)
                if node.department_id in self.exclude:
                    item.setDisabled(True)
                    item.setToolTip(0, self.tr("已是成员"))
            if parent_item is None:
                self.tree.addTopLevelItem(item)
            else:
                parent_item.addChild(item)
            items[node.department_id] = item
        self.tree.expandToDepth(1)
        self.department_items = items

        self.search = QLineEdit(self)
        self.search.setObjectName("picker_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("搜索姓名、工号或手机号"))
        self.model = EmployeePickerModel(database, fetch=fetch, parent=self)
        self.model.locked = set(self.exclude)
        self.table = QTableView(self)
        self.table.setObjectName("institution_picker_employees")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().resizeSection(0, 160)
        self.check_page = QPushButton(self.tr("全选当前结果(&L)"), self)
        self.clear_checks = QPushButton(self.tr("清除选择"), self)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("picker_count")

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        search_row = QHBoxLayout()
        caption = QLabel(self.tr("查找(&F)"), self)
        caption.setBuddy(self.search)
        search_row.addWidget(caption)
        search_row.addWidget(self.search, 1)
        right_layout.addLayout(search_row)
        right_layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addWidget(self.check_page)
        row.addWidget(self.clear_checks)
        row.addStretch(1)
        right_layout.addLayout(row)

        splitter = QSplitter(self)
        splitter.setObjectName("institution_picker_splitter")
        splitter.addWidget(self.tree)
        if employees:
            splitter.addWidget(right)
            splitter.setStretchFactor(1, 2)
        else:
            right.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok is not None
        ok.setText(self.tr("确定"))
        ok.setObjectName("ok_button")
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        assert cancel is not None
        cancel.setText(self.tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.on_narrowed)
        self.search.textEdited.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self.on_narrowed)
        self.tree.currentItemChanged.connect(lambda *_: self.on_narrowed())
        self.tree.itemChanged.connect(lambda *_: self._update_count())
        self.model.checked_changed.connect(lambda _n: self._update_count())
        self.check_page.clicked.connect(lambda: self.model.check_loaded(True))
        self.clear_checks.clicked.connect(self.on_clear_clicked)
        self._update_count()
        if employees:
            self.model.refresh()
            self.search.setFocus()
        else:
            self.tree.setFocus()

    def on_narrowed(self) -> None:
        self._debounce.stop()
        item = self.tree.currentItem()
        department = item.data(0, _KEY) if item is not None else None
        ids = subtree_ids(self.nodes, str(department)) if department else None
        self.model.narrow(self.search.text().strip(), ids)

    def on_clear_clicked(self) -> None:
        self.model.checked.clear()
        self.model.check_loaded(False)

    def _update_count(self) -> None:
        n = len(self.chosen_ids())
        if self.kind is MemberType.EMPLOYEE:
            self.count_label.setText(self.tr("已选 %1 人").replace("%1", str(n)))
        else:
            self.count_label.setText(self.tr("已选 %1 个部门").replace("%1", str(n)))

    def check_department(self, department_id: str, checked: bool = True) -> None:
        item = self.department_items[department_id]
        item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def chosen_ids(self) -> list[str]:
        if self.kind is MemberType.EMPLOYEE:
            return [e for e in self.model.checked if e not in self.exclude]
        return [
            str(item.data(0, _KEY))
            for item in self.department_items.values()
            if item.checkState(0) == Qt.CheckState.Checked and not item.isDisabled()
        ]
