"""费控制度: expense institutions with their use rules and members, and every clerk action on them.

The list on the left; the selected institution's details, rules (in plain words) and members
(paged by SQL: an institution may hold 100 000 people) on the right. Every change runs off the
GUI thread through :class:`~workstation.institutions.service.InstitutionService` (Alipay first,
then the cache from Alipay's answer) and announces ``institutions`` on the change hub.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workstation.institutions.models import AdapterType, MemberType
from workstation.institutions.service import (
    DepartmentNode,
    InstitutionService,
    InstitutionSummary,
    MemberView,
    RuleView,
    department_nodes,
    institution_summaries,
    rules_of,
)
from workstation.ui.context import TabContext
from workstation.ui.dialogs.institution_dialog import InstitutionDialog
from workstation.ui.dialogs.institution_member_dialog import MemberPickerDialog
from workstation.ui.dialogs.institution_rule_dialog import ExpenseRuleDialog
from workstation.ui.errors import show_error
from workstation.ui.models.institution_member_model import InstitutionMemberModel
from workstation.ui.models.institution_paging import ROW_ROLE
from workstation.ui.models.institution_rule_model import ExpenseRuleModel
from workstation.ui.models.institution_table_model import (
    SCOPE_TEXT,
    STATUS_TEXT,
    InstitutionColumn,
    InstitutionTableModel,
    institution_cells,
    tr,
)

__all__ = ["InstitutionsTab"]


def _setup_view(view: QTableView, *, multi: bool = False) -> None:
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection
        if multi
        else QAbstractItemView.SelectionMode.SingleSelection
    )
    view.setAlternatingRowColors(True)
    view.verticalHeader().setDefaultSectionSize(24)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    header.setDefaultSectionSize(110)


class InstitutionsTab(QWidget):
    ENTITIES = ("institutions", "org")

    def __init__(self, ctx: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = InstitutionService(ctx.database, ctx.gateway, ctx.enterprise_id)
        self.departments: tuple[DepartmentNode, ...] = ()
        self.dialog: QWidget | None = None  # the open dialog (tests drive it)
        self.running = 0  # actions in flight: their buttons stay disabled

        # -- the list -------------------------------------------------------------------------
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("搜索制度名称或ID (Ctrl+F)"))
        self.new_button = QPushButton(self.tr("新建制度(&N)…"), self)
        self.new_button.setObjectName("new_institution_button")
        self.model = InstitutionTableModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("institutions_table")
        self.view.setModel(self.model)
        _setup_view(self.view)
        for column in (
            InstitutionColumn.EFFECTIVE_START,
            InstitutionColumn.EFFECTIVE_END,
            InstitutionColumn.INSTITUTION_ID,
        ):
            self.view.setColumnHidden(column, True)  # shown in the detail pane
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.reload)
        self.search.textEdited.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self.reload)

        # -- the detail pane ------------------------------------------------------------------
        self.title = QLabel(self)
        self.title.setObjectName("institution_title")
        font = self.title.font()
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        self.title.setFont(font)
        self.facts = QLabel(self)
        self.facts.setObjectName("institution_facts")
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.edit_button = QPushButton(self.tr("编辑(&E)…"), self)
        self.edit_button.setObjectName("edit_institution_button")
        self.delete_button = QPushButton(self.tr("删除制度"), self)
        self.delete_button.setObjectName("delete_institution_button")

        self.rule_model = ExpenseRuleModel(self)
        self.rule_view = QTableView(self)
        self.rule_view.setObjectName("institution_rules_table")
        self.rule_view.setModel(self.rule_model)
        _setup_view(self.rule_view)
        self.rule_view.horizontalHeader().resizeSection(0, 140)
        self.rule_view.horizontalHeader().resizeSection(1, 420)
        self.rule_view.setWordWrap(True)
        self.new_rule_button = QPushButton(self.tr("新建规则(&R)…"), self)
        self.new_rule_button.setObjectName("new_rule_button")
        self.edit_rule_button = QPushButton(self.tr("编辑规则(&U)…"), self)
        self.edit_rule_button.setObjectName("edit_rule_button")
        self.delete_rule_button = QPushButton(self.tr("删除规则"), self)
        self.delete_rule_button.setObjectName("delete_rule_button")

        self.member_model = InstitutionMemberModel(ctx.database, fetch=ctx.runner.run, parent=self)
        self.member_view = QTableView(self)
        self.member_view.setObjectName("institution_members_table")
        self.member_view.setModel(self.member_model)
        _setup_view(self.member_view, multi=True)
        self.member_search = QLineEdit(self)
        self.member_search.setObjectName("member_search")
        self.member_search.setClearButtonEnabled(True)
        self.member_search.setPlaceholderText(self.tr("在成员中查找"))
        self.member_count = QLabel(self)
        self.member_count.setObjectName("member_count")
        self.add_employees_button = QPushButton(self.tr("添加员工(&A)…"), self)
        self.add_employees_button.setObjectName("add_employees_button")
        self.add_departments_button = QPushButton(self.tr("添加部门(&P)…"), self)
        self.add_departments_button.setObjectName("add_departments_button")
        self.remove_members_button = QPushButton(self.tr("移除所选(&V)"), self)
        self.remove_members_button.setObjectName("remove_members_button")
        self.everyone_button = QPushButton(self.tr("设为全体员工"), self)
        self.everyone_button.setObjectName("everyone_button")
        self._member_debounce = QTimer(self)
        self._member_debounce.setSingleShot(True)
        self._member_debounce.setInterval(250)
        self._member_debounce.timeout.connect(self.reload_members)
        self.member_search.textEdited.connect(lambda _t: self._member_debounce.start())

        # -- layout ---------------------------------------------------------------------------
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        left_layout.addLayout(top)
        left_layout.addWidget(self.view, 1)

        header_row = QHBoxLayout()
        header_row.addWidget(self.title, 1)
        header_row.addWidget(self.edit_button)
        header_row.addWidget(self.delete_button)
        rules_box = QGroupBox(self.tr("使用规则"), self)
        rules_layout = QVBoxLayout(rules_box)
        rules_layout.addWidget(self.rule_view, 1)
        rule_buttons = QHBoxLayout()
        rule_buttons.addWidget(self.new_rule_button)
        rule_buttons.addWidget(self.edit_rule_button)
        rule_buttons.addWidget(self.delete_rule_button)
        rule_buttons.addStretch(1)
        rules_layout.addLayout(rule_buttons)
        members_box = QGroupBox(self.tr("适用成员"), self)
        members_layout = QVBoxLayout(members_box)
        member_top = QHBoxLayout()
        member_top.addWidget(self.member_search, 1)
        member_top.addWidget(self.member_count)
        members_layout.addLayout(member_top)
        members_layout.addWidget(self.member_view, 1)
        member_buttons = QHBoxLayout()
        member_buttons.addWidget(self.add_employees_button)
        member_buttons.addWidget(self.add_departments_button)
        member_buttons.addWidget(self.remove_members_button)
        member_buttons.addWidget(self.everyone_button)
        member_buttons.addStretch(1)
        members_layout.addLayout(member_buttons)
        detail = QWidget(self)
        detail.setObjectName("institution_detail")
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(6, 0, 0, 0)
        detail_layout.addLayout(header_row)
        detail_layout.addWidget(self.facts)
        detail_layout.addWidget(rules_box, 2)
        detail_layout.addWidget(members_box, 3)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("institutions_splitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(detail)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([460, 800])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.splitter)

        # -- wiring ---------------------------------------------------------------------------
        self.new_button.clicked.connect(self.on_new_clicked)
        self.edit_button.clicked.connect(self.on_edit_clicked)
        self.delete_button.clicked.connect(self.on_delete_clicked)
        self.new_rule_button.clicked.connect(self.on_new_rule_clicked)
        self.edit_rule_button.clicked.connect(self.on_edit_rule_clicked)
        self.delete_rule_button.clicked.connect(self.on_delete_rule_clicked)
        self.add_employees_button.clicked.connect(
            lambda: self.on_add_members_clicked(MemberType.EMPLOYEE)
        )
        self.add_departments_button.clicked.connect(
            lambda: self.on_add_members_clicked(MemberType.DEPARTMENT)
        )
        self.remove_members_button.clicked.connect(self.on_remove_members_clicked)
        self.everyone_button.clicked.connect(self.on_everyone_clicked)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self.show_current())
        self.rule_view.selectionModel().selectionChanged.connect(lambda *_: self.update_actions())
        self.rule_view.doubleClicked.connect(lambda _i: self.on_edit_rule_clicked())
        self.member_view.selectionModel().selectionChanged.connect(lambda *_: self.update_actions())
        self.member_model.refreshed.connect(self.on_members_refreshed)
        self.member_model.load_failed.connect(
            lambda exc: show_error(self, self.tr("读取制度成员"), exc)
        )
        QShortcut(QKeySequence.StandardKey.Delete, self.member_view, self.on_remove_members_clicked)
        QShortcut(QKeySequence.StandardKey.Delete, self.rule_view, self.on_delete_rule_clicked)
        ctx.events.changed.connect(self.on_cache_changed)

        self._offline_tip = (
            ""
            if ctx.online_actions
            else self.tr("尚未配置支付宝应用：请先在“设置”中填写应用ID和密钥")
        )
        for button in self._action_buttons():
            button.setToolTip(self._offline_tip)
        self.reload()
        self.load_departments()

    # -- Ctrl+F / Ctrl+E ------------------------------------------------------------------------

    def search_widget(self) -> QWidget:
        return self.search

    def export_title(self) -> str:
        text = self.search.text().strip()
        return self.tr("费控制度") + (f" · “{text}”" if text else "")

    def export_summary(self) -> list[tuple[str, object]]:
        return [(self.tr("制度数"), self.model.rowCount())]

    def export_table(self) -> tuple[list[str], Iterable[list[object]]]:
        headers = [
            str(self.model.headerData(c, Qt.Orientation.Horizontal)) for c in InstitutionColumn
        ]
        rows = self.model.rows()

        def lines() -> Iterator[list[object]]:
            for row in rows:
                yield institution_cells(row)

        return headers, lines()

    # -- reading ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read the (short) institution list, keeping the selection."""
        self._debounce.stop()
        current = self.current_institution()
        keep = current.institution_id if current is not None else None
        self.model.set_rows(
            institution_summaries(self.ctx.database, self.ctx.enterprise_id, self.search.text())
        )
        self.view.resizeColumnsToContents()
        row = self.model.row_of(keep) if keep is not None else -1
        self.select_row(row if row >= 0 else 0)
        self.show_current()

    def load_departments(self) -> None:
        database, eid = self.ctx.database, self.ctx.enterprise_id
        self.ctx.runner.run(
            lambda: department_nodes(database, eid),
            lambda nodes: setattr(self, "departments", tuple(nodes)),
        )

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.view.selectRow(row)
            self.view.setCurrentIndex(self.model.index(row, 0))

    def select_institution(self, institution_id: str) -> None:
        self.select_row(self.model.row_of(institution_id))

    def current_institution(self) -> InstitutionSummary | None:
        index = self.view.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def show_current(self) -> None:
        institution = self.current_institution()
        if institution is None:
            self.title.setText(self.tr("没有费控制度") if not self.model.rowCount() else "")
            self.facts.setText("")
            self.rule_model.set_rows(())
            self.member_model.show(None)
        else:
            self.title.setText(institution.name)
            self.facts.setText(self._facts(institution))
            self.rule_model.set_rows(rules_of(self.ctx.database, institution.institution_id))
            self.rule_view.resizeRowsToContents()
            self.reload_members()
        self.update_actions()

    def _facts(self, i: InstitutionSummary) -> str:
        start = i.effective_start.strftime("%Y-%m-%d") if i.effective_start else "—"
        end = i.effective_end.strftime("%Y-%m-%d") if i.effective_end else "—"
        cells = institution_cells(i)
        text = (
            self.tr("%1 · %2 · 适用于%3 · 生效 %4 至 %5 · 制度ID %6")
            .replace("%1", str(cells[InstitutionColumn.EXPENSE_TYPE]))
            .replace("%2", tr(STATUS_TEXT[i.status]))
            .replace("%3", tr(SCOPE_TEXT[i.adapter_type]))
            .replace("%4", start)
            .replace("%5", end)
            .replace("%6", i.institution_id)
        )
        return f"{text}\n{i.description}" if i.description else text

    def reload_members(self) -> None:
        self._member_debounce.stop()
        institution = self.current_institution()
        self.member_model.show(
            institution.institution_id if institution else None, self.member_search.text().strip()
        )

    def on_members_refreshed(self) -> None:
        institution = self.current_institution()
        if institution is not None and institution.adapter_type is AdapterType.EMPLOYEE_ALL:
            self.member_count.setText(self.tr("适用于全体员工"))
        else:
            self.member_count.setText(
                self.tr("共 %1 个成员").replace("%1", f"{self.member_model.rowCount():,}")
            )
        self.update_actions()

    def on_cache_changed(self, entity: str) -> None:
        if entity in self.ENTITIES:
            self.reload()
            if entity == "org":
                self.load_departments()

    # -- enabling ---------------------------------------------------------------------------

    def _action_buttons(self) -> list[QPushButton]:
        return [
            self.new_button,
            self.edit_button,
            self.delete_button,
            self.new_rule_button,
            self.edit_rule_button,
            self.delete_rule_button,
            self.add_employees_button,
            self.add_departments_button,
            self.remove_members_button,
            self.everyone_button,
        ]

    def selected_rule(self) -> RuleView | None:
        rows = self.rule_view.selectionModel().selectedRows()
        return self.rule_model.row_at(rows[0].row()) if rows else None

    def selected_members(self) -> list[MemberView]:
        rows = sorted(i.row() for i in self.member_view.selectionModel().selectedRows())
        members = [self.member_model.index(r, 0).data(ROW_ROLE) for r in rows]
        return [m for m in members if isinstance(m, MemberView)]

    def update_actions(self) -> None:
        ready = self.ctx.online_actions and not self.running
        chosen = ready and self.current_institution() is not None
        everyone = (
            i := self.current_institution()
        ) is not None and i.adapter_type is AdapterType.EMPLOYEE_ALL
        self.new_button.setEnabled(ready)
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)
        self.new_rule_button.setEnabled(chosen)
        self.edit_rule_button.setEnabled(chosen and self.selected_rule() is not None)
        self.delete_rule_button.setEnabled(chosen and self.selected_rule() is not None)
        self.add_employees_button.setEnabled(chosen)
        self.add_departments_button.setEnabled(chosen)
        self.remove_members_button.setEnabled(chosen and bool(self.selected_members()))
        self.everyone_button.setEnabled(chosen and not everyone)

    # -- running actions ----------------------------------------------------------------------

    def run_action(
        self,
        operation: str,
        work: Callable[[], Any],
        done: Callable[[Any], None] | None = None,
    ) -> None:
        """Run ``work`` off the GUI thread with the actions disabled; announce the change."""
        self.running += 1
        self.update_actions()

        def succeeded(result: Any) -> None:
            self.running -= 1
            if done is not None:
                done(result)
            self.ctx.events.changed.emit("institutions")

        def failed(exc: BaseException) -> None:
            self.running -= 1
            self.update_actions()
            show_error(self, operation, exc)

        self.ctx.runner.run(work, succeeded, failed)

    def _open(self, dialog: QWidget) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda *_: setattr(self, "dialog", None))
        dialog.open()  # type: ignore[attr-defined]

    def _confirm(self, title: str, text: str, on_yes: Callable[[], None]) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("confirm_box")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(
            lambda button: (
                on_yes() if box.standardButton(button) == QMessageBox.StandardButton.Yes else None
            )
        )
        box.open()
        return box

    # -- institutions -----------------------------------------------------------------------

    def on_new_clicked(self) -> None:
        if not self.ctx.online_actions:
            return
        dialog = InstitutionDialog(
            self,
            self.service,
            self.ctx.runner,
            database=self.ctx.database,
            departments=self.departments,
        )
        dialog.succeeded.connect(self.on_institution_saved)
        self._open(dialog)

    def on_edit_clicked(self) -> None:
        institution = self.current_institution()
        if institution is None or not self.ctx.online_actions:
            return
        dialog = InstitutionDialog(
            self,
            self.service,
            self.ctx.runner,
            database=self.ctx.database,
            departments=self.departments,
            institution=institution,
        )
        dialog.succeeded.connect(self.on_institution_saved)
        self._open(dialog)

    def on_institution_saved(self, summary: InstitutionSummary) -> None:
        self.ctx.events.changed.emit("institutions")
        self.select_institution(summary.institution_id)

    def on_delete_clicked(self) -> None:
        institution = self.current_institution()
        if institution is None or not self.ctx.online_actions:
            return
        service, institution_id = self.service, institution.institution_id
        self._confirm(
            self.tr("删除费控制度"),
            self.tr(
                "删除“%1”？支付宝将一并删除它的使用规则、适用成员和在该制度下发放的额度。"
            ).replace("%1", institution.name),
            lambda: self.run_action(
                self.tr("删除费控制度"), lambda: service.delete_institution(institution_id)
            ),
        )

    # -- rules ----------------------------------------------------------------------------

    def on_new_rule_clicked(self) -> None:
        institution = self.current_institution()
        if institution is None or not self.ctx.online_actions:
            return
        dialog = ExpenseRuleDialog(
            self, self.ctx.runner, service=self.service, institution_id=institution.institution_id
        )
        dialog.succeeded.connect(lambda _rule: self.ctx.events.changed.emit("institutions"))
        self._open(dialog)

    def on_edit_rule_clicked(self) -> None:
        institution, rule = self.current_institution(), self.selected_rule()
        if institution is None or rule is None or not self.ctx.online_actions:
            return
        dialog = ExpenseRuleDialog(
            self,
            self.ctx.runner,
            service=self.service,
            institution_id=institution.institution_id,
            rule=rule,
        )
        dialog.succeeded.connect(lambda _rule: self.ctx.events.changed.emit("institutions"))
        self._open(dialog)

    def on_delete_rule_clicked(self) -> None:
        institution, rule = self.current_institution(), self.selected_rule()
        if institution is None or rule is None or not self.ctx.online_actions:
            return
        service, institution_id, rule_id = self.service, institution.institution_id, rule.rule_id
        self._confirm(
            self.tr("删除使用规则"),
            self.tr("删除使用规则“%1”？").replace("%1", rule.name or rule.rule_id),
            lambda: self.run_action(
                self.tr("删除使用规则"), lambda: service.delete_rules(institution_id, [rule_id])
            ),
        )

    # -- members --------------------------------------------------------------------------

    def on_add_members_clicked(self, kind: MemberType) -> None:
        institution = self.current_institution()
        if institution is None or not self.ctx.online_actions:
            return
        current = [m.member_id for m in self.member_model.loaded_rows() if m.member_type is kind]
        picker = MemberPickerDialog(
            self,
            self.ctx.database,
            self.departments,
            kind,
            fetch=self.ctx.runner.run,
            exclude=current,
        )
        picker.accepted.connect(lambda: self.add_members(institution, kind, picker.chosen_ids()))
        self._open(picker)

    def add_members(
        self, institution: InstitutionSummary, kind: MemberType, ids: Sequence[str]
    ) -> None:
        if not ids:
            return
        service, institution_id = self.service, institution.institution_id
        operation = self.tr("添加制度成员")

        def run() -> None:
            self.run_action(
                operation, lambda: service.change_members(institution_id, kind, add=ids)
            )

        other = (
            AdapterType.EMPLOYEE_DEPARTMENT
            if kind is MemberType.EMPLOYEE
            else AdapterType.EMPLOYEE_SELECT
        )
        if institution.adapter_type is other and institution.member_count:
            # Alipay keeps one kind of member list per institution: switching drops the other.
            self._confirm(
                operation,
                self.tr("“%1”目前适用于%2（%3 个）。改为按%4适用后，原有成员将被移除。继续？")
                .replace("%1", institution.name)
                .replace("%2", tr(SCOPE_TEXT[institution.adapter_type]))
                .replace("%3", str(institution.member_count))
                .replace("%4", self.tr("员工") if kind is MemberType.EMPLOYEE else self.tr("部门")),
                run,
            )
        else:
            run()

    def on_remove_members_clicked(self) -> None:
        institution = self.current_institution()
        members = self.selected_members()
        if institution is None or not members or not self.ctx.online_actions:
            return
        service, institution_id = self.service, institution.institution_id
        kinds = {m.member_type for m in members}
        names = "、".join(m.name for m in members[:5]) + ("…" if len(members) > 5 else "")

        def remove() -> None:
            def work() -> None:
                for kind in kinds:
                    ids = [m.member_id for m in members if m.member_type is kind]
                    service.change_members(institution_id, kind, remove=ids)

            self.run_action(self.tr("移除制度成员"), work)

        self._confirm(
            self.tr("移除制度成员"),
            self.tr("从“%1”移除 %2 个成员：%3？")
            .replace("%1", institution.name)
            .replace("%2", str(len(members)))
            .replace("%3", names),
            remove,
        )

    def on_everyone_clicked(self) -> None:
        institution = self.current_institution()
        if institution is None or not self.ctx.online_actions:
            return
        service, institution_id = self.service, institution.institution_id
        self._confirm(
            self.tr("设为全体员工"),
            self.tr("让“%1”适用于全体员工？现有的成员名单将被清空。").replace(
                "%1", institution.name
            ),
            lambda: self.run_action(
                self.tr("设为全体员工"), lambda: service.apply_to_everyone(institution_id)
            ),
        )
