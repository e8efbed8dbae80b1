"""Modify the enterprise; confirm unsigning or deleting it (with what actually happens next)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from workstation.enterprise.service import EnterpriseInfo
from workstation.ui.dialogs.org_form_dialog import OrgFormDialog

__all__ = ["EnterpriseConfirmDialog", "EnterpriseForm", "EnterpriseModifyDialog"]


@dataclass(frozen=True)
class EnterpriseForm:
    name: str
    alias: str


class EnterpriseModifyDialog(OrgFormDialog):
    def __init__(self, parent: QWidget | None, title: str, info: EnterpriseInfo) -> None:
        super().__init__(parent, title)
        self.name_edit = self.add_line("name", self.tr("企业名称(&N)："), info.name)
        self.name_edit.setMaxLength(100)
        self.alias_edit = self.add_line(
            "alias",
            self.tr("企业简称(&A)："),
            info.alias or "",
            self.tr("员工付款时看到的简称，修改后需支付宝审核"),
        )
        self.alias_edit.setMaxLength(64)
        self.name_edit.setFocus()

    def value(self) -> EnterpriseForm:
        return EnterpriseForm(self.name_edit.text(), self.alias_edit.text())


class EnterpriseConfirmDialog(QDialog):
    """A serious question: lists the consequences, and optionally asks the clerk to type the
    enterprise's name before the destructive button becomes available."""

    confirmed = Signal()

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        question: str,
        *,
        consequences: list[str],
        action_text: str,
        type_to_confirm: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(520)
        self._expected = type_to_confirm
        heading = QLabel(question, self)
        heading.setObjectName("confirm_question")
        heading.setWordWrap(True)
        font = heading.font()
        font.setBold(True)
        font.setPointSize(font.pointSize() + 1)
        heading.setFont(font)
        self.consequences = QLabel(
            "<ul>" + "".join(f"<li>{c}</li>" for c in consequences) + "</ul>", self
        )
        self.consequences.setObjectName("confirm_consequences")
        self.consequences.setTextFormat(Qt.TextFormat.RichText)
        self.consequences.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.consequences)
        self.name_edit: QLineEdit | None = None
        if type_to_confirm:
            prompt = QLabel(
                self.tr("请输入企业名称“%1”以确认(&C)：").replace("%1", type_to_confirm), self
            )
            prompt.setWordWrap(True)
            self.name_edit = QLineEdit(self)
            self.name_edit.setObjectName("confirm_name")
            prompt.setBuddy(self.name_edit)
            self.name_edit.textChanged.connect(self._update)
            layout.addWidget(prompt)
            layout.addWidget(self.name_edit)
        self.buttons = QDialogButtonBox(self)
        self.action_button = self.buttons.addButton(
            action_text, QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.action_button.setObjectName("confirm_action")
        cancel = self.buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setDefault(True)
        self.action_button.setAutoDefault(False)
        self.action_button.clicked.connect(self.on_action_clicked)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._update()
        (self.name_edit or cancel).setFocus()

    def _update(self) -> None:
        ok = self.name_edit is None or self.name_edit.text().strip() == self._expected
        self.action_button.setEnabled(ok)

    def on_action_clicked(self) -> None:
        if self.action_button.isEnabled():
            self.confirmed.emit()
            self.accept()
