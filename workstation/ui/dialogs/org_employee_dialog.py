"""Add or edit one employee."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget

from workstation.org.service import DepartmentTree, EmployeeInfo, EmployeeInput
from workstation.ui.dialogs.org_form_dialog import OrgFormDialog

__all__ = ["OrgEmployeeDialog"]


def department_choices(tree: DepartmentTree) -> list[tuple[str, str]]:
    """(indented name, id) in tree order, for a combo box."""
    out: list[tuple[str, str]] = []
    stack = [(d, 0) for d in reversed(tree.roots)]
    while stack:
        department_id, level = stack.pop()
        out.append(("\u3000" * level + tree.departments[department_id].name, department_id))
        stack.extend((c, level + 1) for c in reversed(tree.child_ids(department_id)))
    return out


class OrgEmployeeDialog(OrgFormDialog):
    """Name, phone, email, 工号 and department. Phone, email or 工号: at least one."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        tree: DepartmentTree,
        employee: EmployeeInfo | None = None,
        department_id: str | None = None,
    ) -> None:
        super().__init__(parent, title)
        self.name_edit = self.add_line(
            "name", self.tr("姓名(&N)："), employee.name if employee else ""
        )
        self.name_edit.setMaxLength(64)
        self.mobile_edit = self.add_line(
            "mobile",
            self.tr("手机(&M)："),
            (employee.phone or "") if employee else "",
            self.tr("11位手机号，例如 13800138000"),
        )
        self.email_edit = self.add_line(
            "email", self.tr("邮箱(&E)："), (employee.email or "") if employee else ""
        )
        self.no_edit = self.add_line(
            "employee_no", self.tr("工号(&O)："), (employee.employee_no or "") if employee else ""
        )
        self.department_box = QComboBox(self)
        self.department_box.setObjectName("department_ids")
        for label, value in department_choices(tree):
            self.department_box.addItem(label, value)
            self.department_box.setItemData(
                self.department_box.count() - 1, tree.path(value), Qt.ItemDataRole.ToolTipRole
            )
        wanted = (employee.department_id if employee else None) or department_id
        if wanted is not None:
            found = self.department_box.findData(wanted)
            if found >= 0:
                self.department_box.setCurrentIndex(found)
        self.add_field("department_ids", self.tr("部门(&D)："), self.department_box)
        self.name_edit.setFocus()

    def value(self) -> EmployeeInput:
        department = self.department_box.currentData()
        return EmployeeInput(
            name=self.name_edit.text(),
            mobile=self.mobile_edit.text(),
            email=self.email_edit.text(),
            employee_no=self.no_edit.text(),
            department_ids=(department,) if department else (),
        )
