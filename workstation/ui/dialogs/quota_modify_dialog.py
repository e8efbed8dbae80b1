"""调整额度: add to, deduct from or set the balance of one quota; freeze or unfreeze it.

Like issuing, the change carries an ``outer_source_id`` kept while the form is unchanged, so
OK pressed again after a timeout applies the change once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from workstation.alipay.types import QuotaAction
from workstation.money import format_money
from workstation.quotas.service import QuotaService, QuotaView, validate_modify
from workstation.ui.dialogs.institution_form import ActionFormDialog
from workstation.ui.marks import QT_TRANSLATE_NOOP
from workstation.ui.tasks import TaskRunner

__all__ = ["ACTION_TEXT", "ModifyQuotaDialog"]

ACTION_TEXT: dict[QuotaAction, str] = {
    QuotaAction.ADD: QT_TRANSLATE_NOOP("ModifyQuotaDialog", "增加额度"),
    QuotaAction.DEDUCT: QT_TRANSLATE_NOOP("ModifyQuotaDialog", "扣减额度"),
    QuotaAction.UPDATE_BALANCE: QT_TRANSLATE_NOOP("ModifyQuotaDialog", "设置可用余额"),
    QuotaAction.DISABLE: QT_TRANSLATE_NOOP("ModifyQuotaDialog", "冻结"),
    QuotaAction.ENABLE: QT_TRANSLATE_NOOP("ModifyQuotaDialog", "解冻"),
}
_WITH_AMOUNT = (QuotaAction.ADD, QuotaAction.DEDUCT, QuotaAction.UPDATE_BALANCE)


class ModifyQuotaDialog(ActionFormDialog):
    def __init__(
        self,
        parent: QWidget | None,
        service: QuotaService,
        runner: TaskRunner,
        quota: QuotaView,
    ) -> None:
        super().__init__(parent, self.tr("调整额度"), self.tr("调整额度"), runner)
        self.service = service
        self.quota = quota
        self.outer_source_id = service.new_outer_source_id()
        summary = QLabel(
            self.tr("%1 · %2\n总额度 %3，可用 %4")
            .replace("%1", quota.employee_name or quota.employee_id)
            .replace("%2", quota.institution_name or quota.institution_id)
            .replace("%3", format_money(quota.total))
            .replace("%4", format_money(quota.available)),
            self,
        )
        summary.setObjectName("quota_summary")
        self.body.insertWidget(0, summary)
        self.action = QComboBox(self)
        for action, text in ACTION_TEXT.items():
            self.action.addItem(QCoreApplication.translate("ModifyQuotaDialog", text), action.value)
        self.amount = QLineEdit(self)
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.amount.setPlaceholderText(self.tr("金额（元）"))
        self.add_field("action", self.tr("调整方式(&M)"), self.action)
        self.add_field("amount", self.tr("金额(&A)"), self.amount)
        self.action.currentIndexChanged.connect(self.on_action_changed)
        self.action.currentIndexChanged.connect(self.on_intent_changed)
        self.amount.textEdited.connect(self.on_intent_changed)
        self.on_action_changed()
        self.amount.setFocus()

    def selected_action(self) -> QuotaAction:
        return QuotaAction(str(self.action.currentData()))

    def on_action_changed(self, *_: Any) -> None:
        self.amount.setEnabled(self.selected_action() in _WITH_AMOUNT and not self.busy)

    def on_intent_changed(self, *_: Any) -> None:
        self.outer_source_id = self.service.new_outer_source_id()

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        if not busy:
            self.on_action_changed()

    def prepare(self) -> Callable[[], Any]:
        action = self.selected_action()
        amount = self.amount.text() if action in _WITH_AMOUNT else None
        validate_modify(action, amount, self.quota.available)
        service, quota_id, key = self.service, self.quota.quota_id, self.outer_source_id
        return lambda: service.modify(quota_id, action, amount, key)
