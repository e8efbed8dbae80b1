"""新建/编辑费控制度.

Creating sends the institution with its scope, first members and use rules in one Alipay call,
under one ``outer_source_id`` kept while the dialog is open (OK again after a lost answer finds
the institution already created). Editing changes name, description, effective window and
whether it is enabled; members and rules have their own actions in the tab."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workstation.db.engine import Database
from workstation.institutions.models import AdapterType, InstitutionStatus, MemberType
from workstation.institutions.service import (
    EXPENSE_TYPES,
    DepartmentNode,
    InstitutionDraft,
    InstitutionService,
    InstitutionSummary,
    RuleDraft,
    validate_institution,
)
from workstation.ui.dialogs.institution_form import ActionFormDialog, date_edit, edited_time
from workstation.ui.dialogs.institution_member_dialog import MemberPickerDialog
from workstation.ui.dialogs.institution_rule_dialog import ExpenseRuleDialog
from workstation.ui.marks import QT_TRANSLATE_NOOP
from workstation.ui.models.institution_table_model import EXPENSE_TYPE_TEXT
from workstation.ui.tasks import TaskRunner

__all__ = ["InstitutionDialog"]

_SCOPES = (
    (AdapterType.EMPLOYEE_SELECT, QT_TRANSLATE_NOOP("InstitutionDialog", "指定员工")),
    (AdapterType.EMPLOYEE_DEPARTMENT, QT_TRANSLATE_NOOP("InstitutionDialog", "指定部门")),
    (AdapterType.EMPLOYEE_ALL, QT_TRANSLATE_NOOP("InstitutionDialog", "全体员工")),
)


class InstitutionDialog(ActionFormDialog):
    def __init__(
        self,
        parent: QWidget | None,
        service: InstitutionService,
        runner: TaskRunner,
        *,
        database: Database,
        departments: Sequence[DepartmentNode],
        institution: InstitutionSummary | None = None,
    ) -> None:
        editing = institution is not None
        super().__init__(
            parent,
            self.tr("编辑费控制度") if editing else self.tr("新建费控制度"),
            self.tr("保存费控制度") if editing else self.tr("新建费控制度"),
            runner,
        )
        self.service = service
        self.database = database
        self.departments = tuple(departments)
        self.institution = institution
        self.outer_source_id = uuid.uuid4().hex
        self.rules: list[RuleDraft] = []
        self.member_ids: list[str] = []

        today = dt.datetime.now().replace(hour=0, minute=0, second=0, microsecond=0)
        self.name = QLineEdit(institution.name if institution else "", self)
        self.description = QLineEdit((institution.description or "") if institution else "", self)
        self.expense_type = QComboBox(self)
        for code in EXPENSE_TYPES:
            self.expense_type.addItem(
                QCoreApplication.translate("InstitutionTableModel", EXPENSE_TYPE_TEXT[code]),
                code,
            )
        if institution is not None:
            self.expense_type.setCurrentIndex(
                max(self.expense_type.findData(institution.expense_type), 0)
            )
            self.expense_type.setEnabled(False)  # Alipay does not change it after creation
        self.effective_start = date_edit(
            self, (institution.effective_start if institution else None) or today
        )
        end = institution.effective_end if institution else None
        self.has_end = QCheckBox(self.tr("设置结束时间"), self)
        self.has_end.setChecked(end is not None and end.year < 2099)
        self.effective_end = date_edit(
            self, end or today.replace(year=today.year + 1) - dt.timedelta(seconds=1)
        )
        end_row = QWidget(self)
        end_layout = QHBoxLayout(end_row)
        end_layout.setContentsMargins(0, 0, 0, 0)
        end_layout.addWidget(self.has_end)
        end_layout.addWidget(self.effective_end, 1)
        self.add_field("institution_name", self.tr("制度名称(&N)"), self.name)
        self.add_field("institution_description", self.tr("说明(&D)"), self.description)
        self.add_field("expense_type", self.tr("费用类型(&T)"), self.expense_type)
        self.add_field("effective_start", self.tr("生效开始(&S)"), self.effective_start)
        self.add_field("effective_end", self.tr("生效结束(&E)"), end_row)
        self.fields["effective_end"] = self.effective_end
        self.has_end.toggled.connect(lambda on: self.effective_end.setEnabled(on and not self.busy))
        self.effective_end.setEnabled(self.has_end.isChecked())

        self.enabled = QCheckBox(self.tr("启用(&A)"), self)
        self.enabled.setChecked(
            institution is None or institution.status is InstitutionStatus.ACTIVE
        )
        if editing:
            self.add_field("enabled", self.tr("状态"), self.enabled)
        else:
            self.enabled.hide()
            self._add_create_fields()
        self.name.setFocus()

    # -- creating: scope, members, rules -------------------------------------------------------

    def _add_create_fields(self) -> None:
        self.scope = QComboBox(self)
        for adapter, text in _SCOPES:
            self.scope.addItem(QCoreApplication.translate("InstitutionDialog", text), adapter.value)
        self.pick_button = QPushButton(self.tr("选择成员(&M)…"), self)
        self.pick_button.setObjectName("pick_members_button")
        self.members_label = QLabel(self)
        self.members_label.setObjectName("members_label")
        scope_row = QWidget(self)
        row = QHBoxLayout(scope_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.scope)
        row.addWidget(self.pick_button)
        row.addWidget(self.members_label, 1)
        self.add_field("scope", self.tr("适用范围(&R)"), scope_row)
        self.fields["scope"] = self.scope
        self.alias("member_ids", "scope")
        self.rule_list = QListWidget(self)
        self.rule_list.setObjectName("new_rules_list")
        self.rule_list.setMaximumHeight(110)
        self.add_rule_button = QPushButton(self.tr("添加规则(&U)…"), self)
        self.add_rule_button.setObjectName("add_rule_button")
        self.remove_rule_button = QPushButton(self.tr("移除规则"), self)
        rules = QWidget(self)
        rules_layout = QVBoxLayout(rules)
        rules_layout.setContentsMargins(0, 0, 0, 0)
        rules_layout.addWidget(self.rule_list)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_rule_button)
        buttons.addWidget(self.remove_rule_button)
        buttons.addStretch(1)
        rules_layout.addLayout(buttons)
        self.add_field("rules", self.tr("使用规则"), rules)
        self.alias("conditions", "rules")
        self.scope.currentIndexChanged.connect(self.on_scope_changed)
        self.pick_button.clicked.connect(self.on_pick_clicked)
        self.add_rule_button.clicked.connect(self.on_add_rule_clicked)
        self.remove_rule_button.clicked.connect(self.on_remove_rule_clicked)
        self.on_scope_changed()

    def selected_scope(self) -> AdapterType:
        return AdapterType(str(self.scope.currentData()))

    def on_scope_changed(self, *_: Any) -> None:
        self.member_ids = []
        self.pick_button.setEnabled(self.selected_scope() is not AdapterType.EMPLOYEE_ALL)
        self._show_members()

    def _show_members(self) -> None:
        scope = self.selected_scope()
        if scope is AdapterType.EMPLOYEE_ALL:
            text = self.tr("适用于全体员工")
        elif scope is AdapterType.EMPLOYEE_DEPARTMENT:
            text = self.tr("已选 %1 个部门").replace("%1", str(len(self.member_ids)))
        else:
            text = self.tr("已选 %1 人").replace("%1", str(len(self.member_ids)))
        self.members_label.setText(text)

    def on_pick_clicked(self) -> None:
        kind = (
            MemberType.DEPARTMENT
            if self.selected_scope() is AdapterType.EMPLOYEE_DEPARTMENT
            else MemberType.EMPLOYEE
        )
        picker = MemberPickerDialog(
            self, self.database, self.departments, kind, fetch=self.runner.run
        )
        self.picker = picker
        picker.accepted.connect(lambda: self.set_members(picker.chosen_ids()))
        picker.open()

    def set_members(self, ids: Sequence[str]) -> None:
        self.member_ids = list(ids)
        self._show_members()

    def on_add_rule_clicked(self) -> None:
        dialog = ExpenseRuleDialog(self, self.runner)
        self.rule_dialog = dialog
        dialog.succeeded.connect(self.add_rule)
        dialog.open()

    def add_rule(self, draft: RuleDraft) -> None:
        self.rules.append(draft)
        self.rule_list.addItem(draft.name.strip())

    def on_remove_rule_clicked(self) -> None:
        row = self.rule_list.currentRow()
        if 0 <= row < len(self.rules):
            del self.rules[row]
            self.rule_list.takeItem(row)

    # -- submitting ------------------------------------------------------------------------------

    def draft(self) -> InstitutionDraft:
        creating = self.institution is None
        return InstitutionDraft(
            name=self.name.text(),
            description=self.description.text(),
            expense_type=str(self.expense_type.currentData()),
            effective_start=edited_time(self.effective_start),
            effective_end=(edited_time(self.effective_end) if self.has_end.isChecked() else None),
            enabled=self.enabled.isChecked(),
            scope=self.selected_scope() if creating else AdapterType.EMPLOYEE_SELECT,
            member_ids=tuple(self.member_ids) if creating else (),
            rules=tuple(self.rules) if creating else (),
        )

    def prepare(self) -> Callable[[], Any]:
        draft = self.draft()
        validate_institution(draft)
        service, key = self.service, self.outer_source_id
        if self.institution is None:
            return lambda: service.create_institution(draft, outer_source_id=key)
        institution_id = self.institution.institution_id
        return lambda: service.modify_institution(institution_id, draft)
