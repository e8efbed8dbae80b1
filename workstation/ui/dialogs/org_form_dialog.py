"""A small form dialog that stays open while its action runs, so a refused input can be fixed.

The tab connects ``submitted`` to an off-thread action; on success it calls ``accept()``; on a
:class:`~workstation.errors.ValidationError` the dialog shows the reason under the form and puts
the cursor in the named field (``show_field_error``). Shared by the org and enterprise dialogs."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from workstation.errors import ValidationError

__all__ = ["OrgFormDialog"]


class OrgFormDialog(QDialog):
    submitted = Signal(object)

    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(420)
        self.fields: dict[str, QWidget] = {}
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("form_error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b42318;")
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("确定"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.on_ok_clicked)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def add_line(self, key: str, label: str, text: str = "", placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(text, self)
        edit.setObjectName(key)
        edit.setPlaceholderText(placeholder)
        self.add_field(key, label, edit)
        return edit

    def add_field(self, key: str, label: str, widget: QWidget) -> None:
        self.fields[key] = widget
        caption = QLabel(label, self)
        caption.setBuddy(widget)
        self.form.addRow(caption, widget)

    def value(self) -> Any:
        """What the form holds (subclasses)."""
        raise NotImplementedError

    def on_ok_clicked(self) -> None:
        self.error_label.hide()
        self.submitted.emit(self.value())

    def set_busy(self, busy: bool) -> None:
        self.ok_button.setEnabled(not busy)
        for widget in self.fields.values():
            widget.setEnabled(not busy)
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)

    def show_field_error(self, exc: BaseException) -> bool:
        """Show a validation error next to the form; True if it named one of our fields."""
        if not isinstance(exc, ValidationError) or exc.field not in self.fields:
            return False
        self.error_label.setText(f"{exc.message_zh}\n{exc.message_en}")
        self.error_label.show()
        widget = self.fields[exc.field]
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(widget, QLineEdit):
            widget.selectAll()
        return True
