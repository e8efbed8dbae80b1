"""额度: quotas by employee and institution, with every clerk action on them.

Issue (one employee, or a whole department after a preview), adjust, delete; filters for
exhausted and soon-expiring quotas; a usage bar per quota. Issues whose outcome is unknown
(Alipay never answered) or that Alipay refused stay listed above the table until retried or
dismissed. Every action runs off the GUI thread; reads of the list are paged by SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workstation.institutions.service import (
    DepartmentNode,
    EmployeeChoice,
    InstitutionSummary,
    department_nodes,
    employee_page,
    institution_summaries,
)
from workstation.money import format_money
from workstation.quotas.service import (
    IssueAction,
    QuotaFilter,
    QuotaService,
    QuotaTotals,
    QuotaView,
    issue_actions,
    quota_totals,
)
from workstation.ui.context import TabContext
from workstation.ui.dialogs.quota_batch_dialog import BatchIssueDialog
from workstation.ui.dialogs.quota_issue_dialog import IssueQuotaDialog, employee_text
from workstation.ui.dialogs.quota_modify_dialog import ModifyQuotaDialog
from workstation.ui.errors import show_error
from workstation.ui.models.quota_action_model import IssueActionModel
from workstation.ui.models.quota_table_model import (
    ROW_ROLE,
    USAGE_ROLE,
    QuotaColumn,
    QuotaTableModel,
)
from workstation.ui.widgets.quota_usage_delegate import QuotaUsageDelegate

__all__ = ["QuotasTab"]

DEFAULT_EXPIRING_DAYS = 7
_MAX_CHOICES = 100_000


class QuotasTab(QWidget):
    ENTITIES = ("quotas", "org", "institutions")

    def __init__(self, ctx: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = QuotaService(ctx.database, ctx.gateway, ctx.enterprise_id)
        self.employees: tuple[EmployeeChoice, ...] = ()
        self.institutions: tuple[InstitutionSummary, ...] = ()
        self.departments: tuple[DepartmentNode, ...] = ()
        self.dialog: QWidget | None = None  # the open action dialog (tests drive it)

        # -- actions --------------------------------------------------------------------------
        self.issue_button = QPushButton(self.tr("发放额度(&N)…"), self)
        self.batch_button = QPushButton(self.tr("按部门批量发放(&B)…"), self)
        self.modify_button = QPushButton(self.tr("调整(&M)…"), self)
        self.delete_button = QPushButton(self.tr("删除(&D)"), self)
        for name, button in (
            ("issue_button", self.issue_button),
            ("batch_button", self.batch_button),
            ("modify_button", self.modify_button),
            ("delete_button", self.delete_button),
        ):
            button.setObjectName(name)
        self.issue_button.clicked.connect(self.on_issue_clicked)
        self.batch_button.clicked.connect(self.on_batch_clicked)
        self.modify_button.clicked.connect(self.on_modify_clicked)
        self.delete_button.clicked.connect(self.on_delete_clicked)

        # -- filters --------------------------------------------------------------------------
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("搜索员工、部门、制度或额度ID (Ctrl+F)"))
        self.employee_filter = QComboBox(self)
        self.employee_filter.setObjectName("employee_filter")
        self.employee_filter.setEditable(True)
        self.employee_filter.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.employee_filter.setMinimumContentsLength(12)
        completer = self.employee_filter.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.institution_filter = QComboBox(self)
        self.institution_filter.setObjectName("institution_filter")
        self.institution_filter.setMinimumContentsLength(10)
        self.exhausted = QCheckBox(self.tr("已用尽(&X)"), self)
        self.exhausted.setObjectName("exhausted_filter")
        self.expiring = QCheckBox(self.tr("即将到期(&S)"), self)
        self.expiring.setObjectName("expiring_filter")
        self.expiring_days = QSpinBox(self)
        self.expiring_days.setObjectName("expiring_days")
        self.expiring_days.setRange(1, 365)
        self.expiring_days.setValue(DEFAULT_EXPIRING_DAYS)
        self.expiring_days.setSuffix(self.tr(" 天内"))
        self._fill_filters()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textEdited.connect(lambda _text: self._debounce.start())
        self.search.returnPressed.connect(self.apply_filter)
        self.employee_filter.currentIndexChanged.connect(self.apply_filter)
        self.institution_filter.currentIndexChanged.connect(self.apply_filter)
        self.exhausted.toggled.connect(self.apply_filter)
        self.expiring.toggled.connect(self.apply_filter)
        self.expiring_days.valueChanged.connect(self.apply_filter)

        # -- pending issues -------------------------------------------------------------------
        self.pending_model = IssueActionModel(self)
        self.pending_view = QTableView(self)
        self.pending_view.setObjectName("quota_pending_table")
        self.pending_view.setModel(self.pending_model)
        self._setup_view(self.pending_view)
        self.pending_view.setMaximumHeight(120)
        self.pending_label = QLabel(self)
        self.pending_label.setObjectName("pending_label")
        self.retry_button = QPushButton(self.tr("重试所选(&R)"), self)
        self.retry_button.setObjectName("retry_button")
        self.retry_all_button = QPushButton(self.tr("全部重试(&A)"), self)
        self.retry_all_button.setObjectName("retry_all_button")
        self.dismiss_button = QPushButton(self.tr("清除失败记录(&L)"), self)
        self.dismiss_button.setObjectName("dismiss_button")
        self.retry_button.clicked.connect(self.on_retry_clicked)
        self.retry_all_button.clicked.connect(self.on_retry_all_clicked)
        self.dismiss_button.clicked.connect(self.on_dismiss_clicked)
        self.pending_panel = QFrame(self)
        self.pending_panel.setObjectName("quota_pending_panel")
        self.pending_panel.setFrameShape(QFrame.Shape.StyledPanel)
        pending_buttons = QHBoxLayout()
        pending_buttons.addWidget(self.pending_label, 1)
        pending_buttons.addWidget(self.retry_button)
        pending_buttons.addWidget(self.retry_all_button)
        pending_buttons.addWidget(self.dismiss_button)
        pending_layout = QVBoxLayout(self.pending_panel)
        pending_layout.setContentsMargins(6, 6, 6, 6)
        pending_layout.addLayout(pending_buttons)
        pending_layout.addWidget(self.pending_view)
        self.pending_panel.hide()

        # -- the quota list -------------------------------------------------------------------
        self.model = QuotaTableModel(
            ctx.database,
            enterprise_id=ctx.enterprise_id,
            fetch=ctx.runner.run,
            now=self.service.now,
            parent=self,
        )
        self.view = QTableView(self)
        self.view.setObjectName("quotas_table")
        self.view.setModel(self.model)
        self._setup_view(self.view)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(
            QuotaColumn.EMPLOYEE, Qt.SortOrder.AscendingOrder
        )
        self.usage_delegate = QuotaUsageDelegate(USAGE_ROLE, self.view)
        self.view.setItemDelegateForColumn(QuotaColumn.USAGE, self.usage_delegate)
        self.view.horizontalHeader().resizeSection(QuotaColumn.USAGE, 200)
        self.view.doubleClicked.connect(lambda _index: self.on_modify_clicked())
        self.view.selectionModel().selectionChanged.connect(self.on_selection_changed)
        self.model.refreshed.connect(self.on_model_refreshed)
        self.model.load_failed.connect(lambda exc: show_error(self, self.tr("读取额度"), exc))
        self.totals_label = QLabel(self)
        self.totals_label.setObjectName("totals_label")

        top = QHBoxLayout()
        top.addWidget(self.issue_button)
        top.addWidget(self.batch_button)
        top.addWidget(self.modify_button)
        top.addWidget(self.delete_button)
        top.addStretch(1)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self._buddy(self.tr("员工(&E)"), self.employee_filter))
        filters.addWidget(self.employee_filter, 1)
        filters.addWidget(self._buddy(self.tr("制度(&I)"), self.institution_filter))
        filters.addWidget(self.institution_filter, 1)
        filters.addWidget(self.exhausted)
        filters.addWidget(self.expiring)
        filters.addWidget(self.expiring_days)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.pending_panel)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.totals_label)

        QShortcut(QKeySequence.StandardKey.Delete, self.view, self.on_delete_clicked)
        self._apply_online_state()
        self.on_selection_changed()
        ctx.events.changed.connect(self.on_cache_changed)
        self.load_choices()
        self.apply_filter()
        self.reload_pending()

    # -- building helpers -------------------------------------------------------------------

    def _buddy(self, text: str, widget: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(widget)
        return label

    @staticmethod
    def _setup_view(view: QTableView) -> None:
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setAlternatingRowColors(True)
        view.verticalHeader().setDefaultSectionSize(26)
        view.verticalHeader().hide()
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultSectionSize(120)
        header.setStretchLastSection(True)

    def _apply_online_state(self) -> None:
        online = self.ctx.online_actions
        tip = "" if online else self.tr("尚未配置支付宝应用：请先在“设置”中填写应用ID和密钥")
        for button in (
            self.issue_button,
            self.batch_button,
            self.modify_button,
            self.delete_button,
            self.retry_button,
            self.retry_all_button,
        ):
            button.setToolTip(tip)
        self.issue_button.setEnabled(online)
        self.batch_button.setEnabled(online)
        self.retry_all_button.setEnabled(online)

    def _fill_filters(self) -> None:
        employee = self.employee_filter.currentData()
        institution = self.institution_filter.currentData()
        self.employee_filter.blockSignals(True)
        self.employee_filter.clear()
        self.employee_filter.addItem(self.tr("全部员工"), None)
        for e in self.employees:
            self.employee_filter.addItem(employee_text(e), e.employee_id)
        index = self.employee_filter.findData(employee)
        self.employee_filter.setCurrentIndex(max(index, 0))
        self.employee_filter.blockSignals(False)
        self.institution_filter.blockSignals(True)
        self.institution_filter.clear()
        self.institution_filter.addItem(self.tr("全部制度"), None)
        for i in self.institutions:
            self.institution_filter.addItem(i.name, i.institution_id)
        index = self.institution_filter.findData(institution)
        self.institution_filter.setCurrentIndex(max(index, 0))
        self.institution_filter.blockSignals(False)

    # -- Ctrl+F / Ctrl+E ------------------------------------------------------------------------

    def search_widget(self) -> QWidget:
        return self.search

    def export_title(self) -> str:
        parts = [self.tr("额度")]
        for combo in (self.employee_filter, self.institution_filter):
            if combo.currentData():
                parts.append(combo.currentText().strip())
        if self.exhausted.isChecked():
            parts.append(self.tr("已用尽"))
        if self.expiring.isChecked():
            parts.append(self.tr("%1 天内到期").replace("%1", str(self.expiring_days.value())))
        if self.search.text().strip():
            parts.append(f"“{self.search.text().strip()}”")
        return " · ".join(parts)

    def _totals(self) -> QuotaTotals:
        return self.model.totals or quota_totals(
            self.ctx.database,
            self.model.quota_filter,
            enterprise_id=self.ctx.enterprise_id,
            now=self.service.now(),
        )

    def export_summary(self) -> list[tuple[str, object]]:
        totals = self._totals()
        return [
            (self.tr("笔数"), totals.count),
            (self.tr("总额度合计"), totals.total),
            (self.tr("已用合计"), totals.total - totals.available),
            (self.tr("可用合计"), totals.available),
        ]

    def export_row_count(self) -> int:
        return self._totals().count

    def export_table(self) -> tuple[list[str], Iterable[list[object]]]:
        """The current filter and sort, every row, read page by page as it is iterated."""
        headers = [str(self.model.headerData(c, Qt.Orientation.Horizontal)) for c in QuotaColumn]
        return headers, self.model.export_rows()

    # -- loading ----------------------------------------------------------------------------

    def current_filter(self) -> QuotaFilter:
        employee = self.employee_filter.currentData()
        institution = self.institution_filter.currentData()
        return QuotaFilter(
            text=self.search.text().strip(),
            employee_id=str(employee) if employee else None,
            institution_id=str(institution) if institution else None,
            exhausted=self.exhausted.isChecked(),
            expiring_days=self.expiring_days.value() if self.expiring.isChecked() else None,
        )

    def apply_filter(self) -> None:
        self._debounce.stop()
        self.model.set_filter(self.current_filter())

    def load_choices(self) -> None:
        database, eid = self.ctx.database, self.ctx.enterprise_id

        def read() -> tuple[Any, Any, Any]:
            return (
                employee_page(database, 0, _MAX_CHOICES),
                institution_summaries(database, eid),
                department_nodes(database, eid),
            )

        self.ctx.runner.run(read, self.on_choices_loaded)

    def on_choices_loaded(self, choices: tuple[Any, Any, Any]) -> None:
        self.employees, self.institutions, self.departments = choices
        self._fill_filters()

    def reload_pending(self) -> None:
        database = self.ctx.database
        self.ctx.runner.run(lambda: issue_actions(database), self.on_pending_loaded)

    def on_pending_loaded(self, actions: Sequence[IssueAction]) -> None:
        self.pending_model.set_rows(actions)
        self.pending_view.resizeColumnsToContents()
        pending = sum(1 for a in actions if a.state.value == "pending")
        failed = len(actions) - pending
        self.pending_label.setText(
            self.tr("%1 笔发放待确认（支付宝未答复，重试不会重复发放），%2 笔失败")
            .replace("%1", str(pending))
            .replace("%2", str(failed))
        )
        self.dismiss_button.setEnabled(failed > 0)
        self.retry_button.setEnabled(self.ctx.online_actions)
        self.pending_panel.setVisible(bool(actions))

    def on_model_refreshed(self) -> None:
        totals = self.model.totals
        if totals is not None:
            self.totals_label.setText(
                self.tr("共 %1 笔　总额度 %2　已用 %3　可用 %4")
                .replace("%1", f"{totals.count:,}")
                .replace("%2", format_money(totals.total))
                .replace("%3", format_money(totals.total - totals.available))
                .replace("%4", format_money(totals.available))
            )
        self.on_selection_changed()

    def on_cache_changed(self, entity: str) -> None:
        if entity not in self.ENTITIES:
            return
        self.model.refresh()
        self.reload_pending()
        if entity in ("org", "institutions"):
            self.load_choices()

    # -- selection --------------------------------------------------------------------------

    def selected_quota(self) -> QuotaView | None:
        index = self.view.currentIndex()
        if not index.isValid() or not self.view.selectionModel().isSelected(index):
            return None
        row = self.model.index(index.row(), 0).data(ROW_ROLE)
        return row if isinstance(row, QuotaView) else None

    def on_selection_changed(self, *_: Any) -> None:
        chosen = self.selected_quota() is not None and self.ctx.online_actions
        self.modify_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def select_row(self, row: int) -> None:
        self.view.selectRow(row)
        self.view.setCurrentIndex(self.model.index(row, 0))

    # -- actions ----------------------------------------------------------------------------

    def _open(self, dialog: QWidget) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda *_: setattr(self, "dialog", None))
        dialog.open()  # type: ignore[attr-defined]

    def on_issue_clicked(self) -> None:
        if not self.ctx.online_actions:
            return
        selected = self.selected_quota()
        f = self.current_filter()
        dialog = IssueQuotaDialog(
            self,
            self.service,
            self.ctx.runner,
            employees=self.employees,
            institutions=self.institutions,
            employee_id=f.employee_id or (selected.employee_id if selected else None),
            institution_id=f.institution_id or (selected.institution_id if selected else None),
        )
        dialog.succeeded.connect(lambda _quota: self.ctx.events.changed.emit("quotas"))
        dialog.failed.connect(lambda _exc: self.reload_pending())
        self._open(dialog)

    def on_batch_clicked(self) -> None:
        if not self.ctx.online_actions:
            return
        dialog = BatchIssueDialog(
            self,
            self.service,
            self.ctx.runner,
            departments=self.departments,
            institutions=self.institutions,
            institution_id=self.current_filter().institution_id,
        )
        dialog.issued.connect(lambda _counts: self.ctx.events.changed.emit("quotas"))
        self._open(dialog)

    def on_modify_clicked(self) -> None:
        quota = self.selected_quota()
        if quota is None or not self.ctx.online_actions:
            return
        dialog = ModifyQuotaDialog(self, self.service, self.ctx.runner, quota)
        dialog.succeeded.connect(lambda _quota: self.ctx.events.changed.emit("quotas"))
        self._open(dialog)

    def on_delete_clicked(self) -> None:
        quota = self.selected_quota()
        if quota is None or not self.ctx.online_actions:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("删除额度"),
            self.tr("删除 %1 在“%2”下的额度（可用 %3）？删除后员工不能再使用这笔额度。")
            .replace("%1", quota.employee_name or quota.employee_id)
            .replace("%2", quota.institution_name or quota.institution_id)
            .replace("%3", format_money(quota.available)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("confirm_box")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(button: Any) -> None:
            if box.standardButton(button) == QMessageBox.StandardButton.Yes:
                self.delete_quota(quota.quota_id)

        box.buttonClicked.connect(answered)
        box.open()

    def delete_quota(self, quota_id: str) -> None:
        service = self.service
        self.delete_button.setEnabled(False)
        self.ctx.runner.run(
            lambda: service.delete(quota_id),
            lambda _none: self.ctx.events.changed.emit("quotas"),
            lambda exc: self._failed(self.tr("删除额度"), exc),
        )

    def _selected_action(self) -> IssueAction | None:
        index = self.pending_view.currentIndex()
        return self.pending_model.row_at(index.row()) if index.isValid() else None

    def on_retry_clicked(self) -> None:
        action = self._selected_action()
        if action is None or not self.ctx.online_actions:
            return
        self._retry([action.outer_source_id])

    def on_retry_all_clicked(self) -> None:
        keys = [a.outer_source_id for a in self.pending_model.rows()]
        if keys and self.ctx.online_actions:
            self._retry(keys)

    def _retry(self, keys: list[str]) -> None:
        service = self.service
        self.retry_button.setEnabled(False)
        self.retry_all_button.setEnabled(False)

        def done(outcomes: Sequence[Any]) -> None:
            self.retry_all_button.setEnabled(self.ctx.online_actions)
            self.ctx.events.changed.emit("quotas")
            errors = [o.error for o in outcomes if o.error is not None]
            if errors:
                show_error(self, self.tr("重试发放额度"), errors[0])

        def failed(exc: BaseException) -> None:
            self.retry_all_button.setEnabled(self.ctx.online_actions)
            self._failed(self.tr("重试发放额度"), exc)

        self.ctx.runner.run(lambda: service.retry_many(keys), done, failed)

    def on_dismiss_clicked(self) -> None:
        keys = [a.outer_source_id for a in self.pending_model.rows() if a.state.value == "failed"]
        if not keys:
            return
        service = self.service
        self.ctx.runner.run(
            lambda: service.dismiss(keys),
            lambda _n: self.reload_pending(),
            lambda exc: self._failed(self.tr("清除失败记录"), exc),
        )

    def _failed(self, operation: str, exc: BaseException) -> None:
        self.on_selection_changed()
        self.reload_pending()
        show_error(self, operation, exc)
