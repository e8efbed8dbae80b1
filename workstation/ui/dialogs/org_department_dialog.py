"""Create or rename a department; choose where to move one."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTreeView, QWidget

from workstation.org.service import DepartmentInfo, DepartmentTree
from workstation.ui.dialogs.org_form_dialog import OrgFormDialog
from workstation.ui.models.org_department_tree_model import OrgDepartmentTreeModel

__all__ = ["DepartmentForm", "OrgDepartmentDialog", "OrgMoveDepartmentDialog"]


@dataclass(frozen=True)
class DepartmentForm:
    name: str
    code: str


class OrgDepartmentDialog(OrgFormDialog):
    """Name and code of a new department (under ``parent_path``) or of an existing one."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        parent_path: str,
        department: DepartmentInfo | None = None,
    ) -> None:
        super().__init__(parent, title)
        where = QLabel(parent_path, self)
        where.setObjectName("parent_path")
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form.addRow(self.tr("上级部门："), where)
        self.name_edit = self.add_line(
            "name", self.tr("部门名称(&N)："), department.name if department else ""
        )
        self.name_edit.setMaxLength(64)
        self.code_edit = self.add_line(
            "code",
            self.tr("部门编码(&C)："),
            (department.code or "") if department else "",
            self.tr("可选，不同部门的编码不能相同"),
        )
        self.code_edit.setMaxLength(64)
        self.name_edit.setFocus()

    def value(self) -> DepartmentForm:
        return DepartmentForm(self.name_edit.text(), self.code_edit.text())


class OrgMoveDepartmentDialog(OrgFormDialog):
    """Pick the new parent in the tree; the department itself and its subtree are greyed out
    (it cannot move under itself)."""

    def __init__(self, parent: QWidget | None, tree: DepartmentTree, department_id: str) -> None:
        info = tree.get(department_id)
        name = info.name if info else department_id
        title = QCoreApplication.translate("OrgMoveDepartmentDialog", "移动部门“%1”")
        super().__init__(parent, title.replace("%1", name))
        self.department_id = department_id
        self.model = OrgDepartmentTreeModel(self, with_counts=False)
        self.model.set_tree(tree)
        self.model.set_disabled({department_id, *tree.descendants(department_id)})
        self.view = QTreeView(self)
        self.view.setObjectName("org_move_target_tree")
        self.view.setModel(self.model)
        self.view.setHeaderHidden(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.expandAll()
        self.view.setMinimumHeight(320)
        self.add_field("parent_id", self.tr("移动到(&T)："), self.view)
        current = info.parent_id if info else None
        if current is not None:
            index = self.model.index_of(current)
            self.view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            self.view.scrollTo(index)
        self.view.setFocus()

    def select(self, department_id: str) -> None:
        index = self.model.index_of(department_id)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )

    def value(self) -> str | None:
        index = self.view.selectionModel().currentIndex()
        info = self.model.department_at(index)
        return info.department_id if info else None
