"""发放额度: issue one quota to one employee under an institution.

The dialog holds the intent's ``outer_source_id``: pressing OK again after a failure, with the
form unchanged, resends the same intent (Alipay issues it once); editing any field makes a new
intent. The action row is written before Alipay is called, so an unanswered attempt shows up in
the quotas tab as 待确认 with a retry button.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QLabel,
    QLineEdit,
    QWidget,
)

from workstation.alipay.errors import AlipayError
from workstation.errors import ValidationError
from workstation.institutions.service import EmployeeChoice, InstitutionSummary
from workstation.money import format_money
from workstation.quotas.service import IssueRequest, QuotaService, validate_issue
from workstation.ui.dialogs.institution_form import ActionFormDialog, date_edit, edited_time
from workstation.ui.tasks import TaskRunner

__all__ = ["IssueQuotaDialog", "combo_key", "default_validity", "employee_text", "fill_combo"]


def employee_text(e: EmployeeChoice) -> str:
    parts = [e.name]
    if e.employee_no:
        parts.append(f"（{e.employee_no}）")
    if e.department_name:
        parts.append(f" · {e.department_name}")
    return "".join(parts)


def fill_combo(
    combo: QComboBox,
    items: Sequence[tuple[str, str]],
    selected: str | None,
    *,
    default_first: bool = False,
) -> None:
    """(key, text) items; the one whose key is ``selected`` becomes current (else the first
    item if ``default_first``, else none: the clerk must choose)."""
    combo.blockSignals(True)
    combo.clear()
    for key, text in items:
        combo.addItem(text, key)
    index = combo.findData(selected) if selected is not None else -1
    if index < 0 and default_first and combo.count():
        index = 0
    combo.setCurrentIndex(index)
    combo.blockSignals(False)


def default_validity(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """From now to the last second of this month (quotas are usually monthly)."""
    start = now.replace(second=0, microsecond=0)
    first_next = (start.replace(day=1) + dt.timedelta(days=32)).replace(day=1, hour=0, minute=0)
    return start, first_next - dt.timedelta(seconds=1)


def combo_key(combo: QComboBox) -> str:
    """The key of the item whose text is shown (an editable combo may show typed text)."""
    index = combo.currentIndex()
    if index >= 0 and combo.itemText(index) == combo.currentText():
        return str(combo.itemData(index) or "")
    found = combo.findText(combo.currentText(), Qt.MatchFlag.MatchFixedString)
    return str(combo.itemData(found) or "") if found >= 0 else ""


class IssueQuotaDialog(ActionFormDialog):
    def __init__(
        self,
        parent: QWidget | None,
        service: QuotaService,
        runner: TaskRunner,
        *,
        employees: Sequence[EmployeeChoice],
        institutions: Sequence[InstitutionSummary],
        employee_id: str | None = None,
        institution_id: str | None = None,
    ) -> None:
        super().__init__(parent, self.tr("发放额度"), self.tr("发放额度"), runner)
        self.service = service
        self.outer_source_id = service.new_outer_source_id()

        self.employee = QComboBox(self)
        self.employee.setEditable(True)
        self.employee.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        fill_combo(
            self.employee, [(e.employee_id, employee_text(e)) for e in employees], employee_id
        )
        completer = self.employee.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        line = self.employee.lineEdit()
        if line is not None:
            line.setPlaceholderText(self.tr("输入姓名或工号查找"))
        self.institution = QComboBox(self)
        fill_combo(
            self.institution,
            [(i.institution_id, i.name) for i in institutions],
            institution_id,
            default_first=True,
        )
        self.amount = QLineEdit(self)
        self.amount.setPlaceholderText(self.tr("如 500.00（元）"))
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        start, end = default_validity(service.now())
        self.valid_from = date_edit(self, start)
        self.valid_to = date_edit(self, end)

        self.add_field("employee", self.tr("员工(&E)"), self.employee)
        self.add_field("institution", self.tr("费控制度(&I)"), self.institution)
        self.add_field("amount", self.tr("金额(&A)"), self.amount)
        self.add_field("valid_from", self.tr("生效时间(&F)"), self.valid_from)
        self.add_field("valid_to", self.tr("失效时间(&T)"), self.valid_to)
        note = QLabel(
            self.tr("重复点击确定或失败后重试都只会发放一次。"),
            self,
        )
        note.setWordWrap(True)
        note.setEnabled(False)
        self.body.insertWidget(1, note)

        # Any edit is a new intent; OK again with nothing changed retries the same one.
        self.employee.currentIndexChanged.connect(self.on_intent_changed)
        self.employee.editTextChanged.connect(self.on_intent_changed)
        self.institution.currentIndexChanged.connect(self.on_intent_changed)
        self.amount.textEdited.connect(self.on_intent_changed)
        self.valid_from.dateTimeChanged.connect(self.on_intent_changed)
        self.valid_to.dateTimeChanged.connect(self.on_intent_changed)
        self.amount.setFocus()

    def on_intent_changed(self, *_: Any) -> None:
        self.outer_source_id = self.service.new_outer_source_id()

    def request(self) -> IssueRequest:
        return IssueRequest(
            employee_id=combo_key(self.employee),
            institution_id=combo_key(self.institution),
            amount=self.amount.text(),
            valid_from=edited_time(self.valid_from),
            valid_to=edited_time(self.valid_to),
        )

    def prepare(self) -> Callable[[], Any]:
        request = self.request()
        valid = validate_issue(request, now=self.service.now())
        self.amount.setText(format_money(valid.amount, symbol=False))
        service, key = self.service, self.outer_source_id
        return lambda: service.issue(request, key)

    def on_failed(self, exc: BaseException) -> None:
        super().on_failed(exc)
        refused = isinstance(exc, ValidationError) or (
            isinstance(exc, AlipayError) and exc.is_business
        )
        if not refused:
            self.error_label.setText(
                self.error_label.text()
                + "\n"
                + self.tr(
                    "这笔发放已记为“待确认”：可再次点击确定，或稍后在额度页重试，都不会重复发放。"
                )
            )
