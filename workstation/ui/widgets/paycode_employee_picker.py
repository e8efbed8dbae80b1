"""A search field that finds a cached employee as the clerk types.

Each keystroke runs one short ``LIMIT`` query against the cache (a few milliseconds even for a
large company), so the list never holds every employee in memory."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QCompleter, QLineEdit, QWidget

from workstation.db.engine import Database
from workstation.org.models import EmployeeStatus
from workstation.payments.paylink import EmployeeOption, employee_option, search_employees

__all__ = ["EMPLOYEE_ID_ROLE", "PayCodeEmployeePicker"]

EMPLOYEE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
RESULT_LIMIT = 50


class PayCodeEmployeePicker(QLineEdit):
    """Type a name, number or phone; pick from the list (↓ and Enter, or the mouse).

    ``employee_chosen(employee_id)`` fires when a row is picked, and with ``""`` when the clerk
    edits the text away from a picked employee."""

    employee_chosen = Signal(str)

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self._employee: EmployeeOption | None = None
        self.setObjectName("paycode_employee")
        self.setPlaceholderText(self.tr("输入姓名、工号或手机号搜索，↓ 显示列表"))
        self.setClearButtonEnabled(True)
        self.results = QStandardItemModel(self)
        self.result_completer = QCompleter(self.results, self)
        self.result_completer.setWidget(self)
        self.result_completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.result_completer.setMaxVisibleItems(12)
        self.popup().setObjectName("paycode_employee_results")
        # The index overload: two employees may share a name, the text would not tell them apart.
        self.result_completer.activated[QModelIndex].connect(  # type: ignore[index]
            self.on_result_activated
        )
        self.textEdited.connect(self.on_text_edited)

    def popup(self) -> QAbstractItemView:
        popup = self.result_completer.popup()
        assert popup is not None  # QCompleter always creates one
        return popup

    def employee(self) -> EmployeeOption | None:
        return self._employee

    def employee_id(self) -> str:
        return self._employee.employee_id if self._employee else ""

    def set_employee(self, employee_id: str) -> bool:
        """Pick an employee by id (from code: tests, restoring a choice). False if unknown."""
        with self.database.read_session() as session:
            option = employee_option(session, employee_id) if employee_id else None
        self._set(option)
        return option is not None

    def reload(self) -> None:
        """Re-read the picked employee after the cache changed (renamed, deleted, activated)."""
        if self._employee is not None:
            self.set_employee(self._employee.employee_id)

    def search(self, text: str) -> list[EmployeeOption]:
        with self.database.read_session() as session:
            found = search_employees(session, text, limit=RESULT_LIMIT)
        self.results.clear()
        for option in found:
            item = QStandardItem(self.describe(option))
            item.setData(option.employee_id, EMPLOYEE_ID_ROLE)
            item.setEditable(False)
            self.results.appendRow(item)
        return found

    def describe(self, option: EmployeeOption) -> str:
        """``张三 · E00001 · 销售中心`` (plus the status when not active)."""
        parts = [option.name]
        if option.employee_no:
            parts.append(option.employee_no)
        if option.department_name:
            parts.append(option.department_name)
        text = " · ".join(parts)
        if option.status is EmployeeStatus.PENDING:
            text += self.tr("（待激活）")
        return text

    def show_results(self) -> None:
        self.search(self.text() if self._employee is None else "")
        if self.results.rowCount():
            self.result_completer.complete()

    def on_text_edited(self, text: str) -> None:
        if self._employee is not None:
            self._employee = None
            self.employee_chosen.emit("")
        self.search(text)
        if self.results.rowCount():
            self.result_completer.complete()
        else:
            self.popup().hide()

    def on_result_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        self.set_employee(str(index.data(EMPLOYEE_ID_ROLE) or ""))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down and not self.popup().isVisible():
            self.show_results()
            return
        super().keyPressEvent(event)

    def _set(self, option: EmployeeOption | None) -> None:
        changed = option != self._employee
        self._employee = option
        self.setText(self.describe(option) if option else "")
        self.popup().hide()
        if changed:
            self.employee_chosen.emit(self.employee_id())
