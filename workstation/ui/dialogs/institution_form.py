"""A form dialog whose OK runs one clerk action off the GUI thread (shared by the institution
and quota dialogs).

OK validates on the spot (pure checks, no I/O) and names the field; then the action runs on
the window's :class:`~workstation.ui.tasks.TaskRunner` with OK disabled, so a double click
submits once. Success closes the dialog; a failure keeps it open with the reason, so the clerk
can fix the input or press OK again (the same intent: services make that retry idempotent).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from workstation.errors import ValidationError
from workstation.ui.errors import error_lines, show_error
from workstation.ui.tasks import TaskRunner

__all__ = ["ERROR_COLOR", "ActionFormDialog", "date_edit", "edited_time"]

ERROR_COLOR = "#b42318"
_MNEMONIC = re.compile(r"\(&\w\)|&")


def date_edit(parent: QWidget, value: dt.datetime) -> QDateTimeEdit:
    """A date-time field with a calendar, to the minute (Alipay's times are naive China time)."""
    edit = QDateTimeEdit(
        QDateTime(
            QDate(value.year, value.month, value.day),
            QTime(value.hour, value.minute, value.second),
        ),
        parent,
    )
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    return edit


def edited_time(edit: QDateTimeEdit) -> dt.datetime:
    value = edit.dateTime().toPython()
    assert isinstance(value, dt.datetime)
    return value


class ActionFormDialog(QDialog):
    """Subclasses add fields with :meth:`add_field` and implement :meth:`prepare`, which
    validates and returns the callable to run off-thread."""

    succeeded = Signal(object)  # the action's result
    failed = Signal(object)  # the exception

    def __init__(
        self, parent: QWidget | None, title: str, operation: str, runner: TaskRunner
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(460)
        self.operation = operation
        self.runner = runner
        self.busy = False
        self.result_value: Any = None
        self.fields: dict[str, QWidget] = {}
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("form_error")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet(f"color: {ERROR_COLOR};")
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok is not None
        self.ok_button: QAbstractButton = ok
        self.ok_button.setText(self.tr("确定"))
        self.ok_button.setObjectName("ok_button")
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        assert cancel is not None
        cancel.setText(self.tr("取消"))
        self.buttons.accepted.connect(self.on_ok_clicked)
        self.buttons.rejected.connect(self.reject)
        self.body = QVBoxLayout(self)
        self.body.addLayout(self.form)
        self.body.addWidget(self.error_label)
        self.body.addWidget(self.buttons)

    # -- building ------------------------------------------------------------------------------

    def add_field(self, key: str, label: str, widget: QWidget) -> QWidget:
        """A row ``label`` (with its mnemonic) → ``widget``; ``key`` is the service's field
        name, so a :class:`ValidationError` lands on the right widget."""
        widget.setObjectName(key)
        self.fields[key] = widget
        caption = QLabel(label, self)
        caption.setBuddy(widget)
        self.form.addRow(caption, widget)
        return widget

    def alias(self, field_name: str, key: str) -> None:
        """Errors about ``field_name`` are shown at the widget of ``key``."""
        self.fields[field_name] = self.fields[key]

    # -- running ------------------------------------------------------------------------------

    def prepare(self) -> Callable[[], Any]:
        """Validate the form (raise :class:`ValidationError` naming the field) and return the
        action to run off the GUI thread."""
        raise NotImplementedError

    def on_ok_clicked(self) -> None:
        if self.busy:
            return  # a second click while the first runs submits nothing
        self.error_label.hide()
        try:
            work = self.prepare()
        except ValidationError as exc:
            self.show_failure(exc)
            return
        self.set_busy(True)
        self.runner.run(work, self.on_succeeded, self.on_failed)

    def on_succeeded(self, result: Any) -> None:
        self.set_busy(False)
        self.result_value = result
        self.succeeded.emit(result)
        self.accept()

    def on_failed(self, exc: BaseException) -> None:
        self.set_busy(False)
        self.failed.emit(exc)
        self.show_failure(exc)

    def show_failure(self, exc: BaseException) -> None:
        """Invalid input: the reason under the form and the cursor in the field. Anything
        else: also a message box naming the operation."""
        zh, en = error_lines(exc)
        widget = self.fields.get(exc.field) if isinstance(exc, ValidationError) else None
        if isinstance(exc, ValidationError) and widget is not None:
            label = self.form.labelForField(widget)
            caption = label.text() if isinstance(label, QLabel) else ""
            caption = _MNEMONIC.sub("", caption).strip()
            if caption and zh.startswith(f"{exc.field}："):  # the label the clerk sees
                zh = caption + zh[len(exc.field) :]
        self.error_label.setText(f"{zh}\n{en}")
        self.error_label.show()
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            if isinstance(widget, QLineEdit):
                widget.selectAll()
        else:
            show_error(self, self.operation, exc)

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.ok_button.setEnabled(not busy)
        for widget in self.fields.values():
            widget.setEnabled(not busy)
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()

    def reject(self) -> None:
        if not self.busy:  # closing while the action runs would hide its outcome
            super().reject()
