"""使用规则: create or edit one use rule of an institution.

Caps (daily / monthly / total), time windows, merchants, merchant categories and a validity
window; any condition this form does not edit is kept as it is. With an ``institution_id`` OK
sends the rule to Alipay; without one the dialog only collects a draft (the rules of a new
institution travel with its creation)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDateTimeEdit, QHBoxLayout, QLineEdit, QWidget

from workstation.institutions.service import (
    InstitutionService,
    RuleDraft,
    RuleView,
    rule_draft,
    validate_rule,
)
from workstation.money import format_money
from workstation.ui.dialogs.institution_form import ActionFormDialog, date_edit, edited_time
from workstation.ui.tasks import TaskRunner

__all__ = ["ExpenseRuleDialog"]


def _money_text(value: Any) -> str:
    return format_money(value, symbol=False) if value not in (None, "") else ""


class ExpenseRuleDialog(ActionFormDialog):
    def __init__(
        self,
        parent: QWidget | None,
        runner: TaskRunner,
        *,
        service: InstitutionService | None = None,
        institution_id: str | None = None,
        rule: RuleView | None = None,
        draft: RuleDraft | None = None,
    ) -> None:
        title = self.tr("编辑使用规则") if rule is not None else self.tr("新建使用规则")
        operation = self.tr("保存使用规则")
        super().__init__(parent, title, operation, runner)
        self.service = service
        self.institution_id = institution_id
        self.rule = rule
        # One idempotency key per dialog: OK pressed again after a lost answer creates one rule.
        self.outer_source_id = uuid.uuid4().hex
        start = draft or (rule_draft(rule) if rule is not None else RuleDraft(name=""))
        self.other = start.other

        self.name = QLineEdit(start.name, self)
        self.description = QLineEdit(start.description or "", self)
        self.daily_cap = self._amount(start.daily_cap)
        self.monthly_cap = self._amount(start.monthly_cap)
        self.total_cap = self._amount(start.total_cap)
        self.time_windows = QLineEdit(self._joined(start.time_windows), self)
        self.time_windows.setPlaceholderText(self.tr("如 11:00-14:00，多个用逗号分隔"))
        self.merchant_ids = QLineEdit(self._joined(start.merchant_ids), self)
        self.merchant_ids.setPlaceholderText(self.tr("商户编号（PID），多个用逗号分隔"))
        self.mcc_codes = QLineEdit(self._joined(start.mcc_codes), self)
        self.mcc_codes.setPlaceholderText(self.tr("4位商户类别码，如 5812（餐馆）"))
        self.validity = QCheckBox(self.tr("限定有效期(&V)"), self)
        today = dt.datetime.now().replace(hour=0, minute=0, second=0, microsecond=0)
        self.valid_from = self._date(start.valid_from or today)
        self.valid_to = self._date(
            start.valid_to or today + dt.timedelta(days=365) - dt.timedelta(seconds=1)
        )
        self.validity.setChecked(start.valid_from is not None)
        validity_row = QWidget(self)
        row = QHBoxLayout(validity_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.validity)
        row.addWidget(self.valid_from, 1)
        row.addWidget(self.valid_to, 1)

        self.add_field("rule_name", self.tr("规则名称(&N)"), self.name)
        self.add_field("rule_description", self.tr("说明(&D)"), self.description)
        self.add_field("daily_cap", self.tr("每日限额(&Y)"), self.daily_cap)
        self.add_field("monthly_cap", self.tr("每月限额(&M)"), self.monthly_cap)
        self.add_field("total_cap", self.tr("累计限额(&L)"), self.total_cap)
        self.add_field("time_windows", self.tr("可用时段(&W)"), self.time_windows)
        self.add_field("merchant_ids", self.tr("限定商户(&S)"), self.merchant_ids)
        self.add_field("mcc_codes", self.tr("商户类别(&C)"), self.mcc_codes)
        self.add_field("validity", self.tr("有效期"), validity_row)
        self.fields["valid_from"] = self.valid_from
        self.fields["valid_to"] = self.valid_to
        self.alias("conditions", "daily_cap")
        self.validity.toggled.connect(self.on_validity_toggled)
        self.on_validity_toggled(self.validity.isChecked())
        self.name.setFocus()

    def _amount(self, value: Any) -> QLineEdit:
        edit = QLineEdit(_money_text(value), self)
        edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        edit.setPlaceholderText(self.tr("不限"))
        return edit

    def _date(self, value: dt.datetime) -> QDateTimeEdit:
        return date_edit(self, value)

    @staticmethod
    def _joined(value: tuple[str, ...] | str) -> str:
        return value if isinstance(value, str) else ", ".join(value)

    def on_validity_toggled(self, checked: bool) -> None:
        self.valid_from.setEnabled(checked and not self.busy)
        self.valid_to.setEnabled(checked and not self.busy)

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        self.validity.setEnabled(not busy)
        self.on_validity_toggled(self.validity.isChecked())

    def draft(self) -> RuleDraft:
        dated = self.validity.isChecked()
        return RuleDraft(
            name=self.name.text(),
            description=self.description.text(),
            daily_cap=self.daily_cap.text(),
            monthly_cap=self.monthly_cap.text(),
            total_cap=self.total_cap.text(),
            merchant_ids=self.merchant_ids.text(),
            mcc_codes=self.mcc_codes.text(),
            time_windows=self.time_windows.text(),
            valid_from=edited_time(self.valid_from) if dated else None,
            valid_to=edited_time(self.valid_to) if dated else None,
            other=self.other,
        )

    def prepare(self) -> Callable[[], Any]:
        draft = self.draft()
        validate_rule(draft)
        service, institution_id, key = self.service, self.institution_id, self.outer_source_id
        if service is None or institution_id is None:
            return lambda: draft  # collecting the rules of a new institution
        if self.rule is not None:
            rule_id = self.rule.rule_id
            return lambda: service.modify_rule(institution_id, rule_id, draft)
        return lambda: service.create_rule(institution_id, draft, outer_source_id=key)
