"""组织架构: the department tree beside the employees of the selected department (and everything
below it), the selected employee's invite QR code, and every clerk action on the org chart.

Reads come from the cache on the GUI thread (indexed, paged); every action goes through
:class:`~workstation.org.service.OrgService` on the task runner — validate, call Alipay, write the
cache from Alipay's answer — and then says ``changed("org")`` so every view refreshes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from workstation.errors import ValidationError
from workstation.org.service import (
    DepartmentInfo,
    EmployeeInfo,
    EmployeeInvite,
    OrgService,
    pending_employees,
)
from workstation.ui.context import TabContext
from workstation.ui.dialogs.org_department_dialog import (
    DepartmentForm,
    OrgDepartmentDialog,
    OrgMoveDepartmentDialog,
)
from workstation.ui.dialogs.org_employee_dialog import OrgEmployeeDialog
from workstation.ui.dialogs.org_form_dialog import OrgFormDialog
from workstation.ui.dialogs.org_import_dialog import OrgImportDialog
from workstation.ui.errors import show_error
from workstation.ui.models.org_department_tree_model import OrgDepartmentTreeModel
from workstation.ui.models.org_employee_table_model import OrgEmployeeTableModel
from workstation.ui.tabs.actions import run_service_action
from workstation.ui.widgets.org_invite_panel import OrgInvitePanel
from workstation.ui.widgets.org_invite_sheet import OrgInviteSheet

__all__ = ["OrgTab"]

SEARCH_DELAY_MS = 250


class OrgTab(QWidget):
    ENTITIES = ("org",)

    def __init__(self, ctx: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.database = ctx.database
        self.confirm_box: QMessageBox | None = None
        self.dialog: QWidget | None = None
        self.invite_sheet: OrgInviteSheet | None = None
        self.preview_dialog: QPrintPreviewDialog | None = None
        self._invite_generation = 0
        self._reloading = False
        self._printer: QPrinter | None = None

        # -- department side ---------------------------------------------------------------
        self.tree_model = OrgDepartmentTreeModel(self)
        self.tree_view = QTreeView(self)
        self.tree_view.setObjectName("org_department_tree")
        self.tree_view.setModel(self.tree_model)
        self.tree_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree_view.setUniformRowHeights(True)
        self.tree_view.header().setStretchLastSection(False)
        self.tree_view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree_view.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.new_department_button = self._button("new_department", self.on_new_department)
        self.rename_department_button = self._button("rename_department", self.on_rename_department)
        self.move_department_button = self._button("move_department", self.on_move_department)
        self.delete_department_button = self._button("delete_department", self.on_delete_department)
        department_buttons = QHBoxLayout()
        for button in (
            self.new_department_button,
            self.rename_department_button,
            self.move_department_button,
            self.delete_department_button,
        ):
            department_buttons.addWidget(button)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(department_buttons)
        left_layout.addWidget(self.tree_view)

        # -- employees ---------------------------------------------------------------------
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("org_search")
        self.search_edit.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        self.search_edit.returnPressed.connect(self.apply_filter)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("org_employee_count")
        self.employee_model = OrgEmployeeTableModel(ctx.database, ctx.enterprise_id, self)
        self.employee_view = QTableView(self)
        self.employee_view.setObjectName("org_employee_table")
        self.employee_view.setModel(self.employee_model)
        self.employee_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.employee_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.employee_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.employee_view.setAlternatingRowColors(True)
        self.employee_view.verticalHeader().setDefaultSectionSize(24)
        header = self.employee_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultSectionSize(120)
        header.setStretchLastSection(True)
        header.setResizeContentsPrecision(50)
        header.setMaximumSectionSize(280)
        self.employee_view.doubleClicked.connect(lambda _index: self.on_edit_employee())
        self.add_employee_button = self._button("add_employee", self.on_add_employee)
        self.edit_employee_button = self._button("edit_employee", self.on_edit_employee)
        self.delete_employee_button = self._button("delete_employee", self.on_delete_employee)
        self.import_button = self._button("import_employees", self.on_import)
        self.print_button = self._button("print_invites", self.on_print_invites)
        employee_buttons = QHBoxLayout()
        for button in (
            self.add_employee_button,
            self.edit_employee_button,
            self.delete_employee_button,
        ):
            employee_buttons.addWidget(button)
        employee_buttons.addStretch()
        employee_buttons.addWidget(self.import_button)
        employee_buttons.addWidget(self.print_button)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.count_label)
        middle = QWidget(self)
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addLayout(employee_buttons)
        middle_layout.addLayout(search_row)
        middle_layout.addWidget(self.employee_view)

        # -- invite ------------------------------------------------------------------------
        self.invite_panel = OrgInvitePanel(self)
        self.invite_panel.refresh_requested.connect(self.on_fetch_invite)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("org_splitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.invite_panel)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([280, 640, 320])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.splitter)

        self.tree_view.selectionModel().currentChanged.connect(self.on_department_changed)
        self.employee_view.selectionModel().currentChanged.connect(self.on_employee_changed)
        self.employee_model.modelReset.connect(self._update_count)
        self.employee_model.modelReset.connect(self._fit_columns)
        ctx.events.changed.connect(self.on_cache_changed)
        self.setTabOrder(self.tree_view, self.search_edit)
        self.setTabOrder(self.search_edit, self.employee_view)
        self.retranslate()
        self.reload()

    def _button(self, name: str, handler: Callable[[], None]) -> QPushButton:
        button = QPushButton(self)
        button.setObjectName(name)
        button.clicked.connect(handler)
        return button

    # -- texts -----------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.new_department_button.setText(self.tr("新建部门(&N)"))
        self.rename_department_button.setText(self.tr("重命名(&R)"))
        self.move_department_button.setText(self.tr("移动(&V)"))
        self.delete_department_button.setText(self.tr("删除部门(&T)"))
        self.add_employee_button.setText(self.tr("添加员工(&A)"))
        self.edit_employee_button.setText(self.tr("编辑员工(&E)"))
        self.delete_employee_button.setText(self.tr("删除员工(&D)"))
        self.import_button.setText(self.tr("批量导入(&I)…"))
        self.print_button.setText(self.tr("打印邀请单(&P)…"))
        self.search_edit.setPlaceholderText(self.tr("搜索姓名、手机、邮箱或工号（Ctrl+F）"))
        self.invite_panel.retranslate()
        self._update_count()
        self._update_actions()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def not_configured_text(self) -> str:
        return self.tr("未配置支付宝应用：请先在“设置”中填写应用ID和密钥")

    # -- what the main window asks of a tab ------------------------------------------------
    def search_widget(self) -> QWidget | None:
        return self.search_edit

    def export_table(self) -> tuple[list[str], Iterable[list[object]]]:
        return self.employee_model.headers(), self.employee_model.export_rows()

    # -- reading ---------------------------------------------------------------------------
    def current_department(self) -> DepartmentInfo | None:
        return self.tree_model.department_at(self.tree_view.selectionModel().currentIndex())

    def current_employee(self) -> EmployeeInfo | None:
        index = self.employee_view.selectionModel().currentIndex()
        return self.employee_model.employee_at(index.row()) if index.isValid() else None

    def select_department(self, department_id: str) -> None:
        index = self.tree_model.index_of(department_id)
        if index.isValid():
            self.tree_view.scrollTo(index)
            self.tree_view.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    def select_employee(self, employee_id: str) -> bool:
        row = self.employee_model.row_of(employee_id)
        if row < 0:
            return False
        index = self.employee_model.index(row, 0)
        self.employee_view.scrollTo(index)
        self.employee_view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        return True

    def reload(
        self, select_department: str | None = None, select_employee: str | None = None
    ) -> None:
        """Re-read tree and employees, keeping what was expanded and selected."""
        current = self.current_department()
        employee = self.current_employee()
        expanded = self._expanded_ids()
        self.tree_model.reload(self.database, self.ctx.enterprise_id)
        tree = self.tree_model.tree
        for department_id in expanded:
            if department_id in tree:
                self.tree_view.expand(self.tree_model.index_of(department_id))
        root = tree.root
        if root is not None and not expanded:
            self.tree_view.expand(self.tree_model.index_of(root.department_id))
        wanted = select_department or (current.department_id if current else None)
        if wanted not in tree:
            wanted = root.department_id if root else None
        if wanted is not None:
            parent = tree.get(wanted)
            while parent is not None and parent.parent_id is not None:
                self.tree_view.expand(self.tree_model.index_of(parent.parent_id))
                parent = tree.get(parent.parent_id)
            self._reloading = True
            try:
                self.select_department(wanted)
            finally:
                self._reloading = False
        self.apply_filter()
        target = select_employee or (employee.employee_id if employee else None)
        if target is None or not self.select_employee(target):
            self.invite_panel.show_employee(None)
        self._update_actions()

    def _expanded_ids(self) -> list[str]:
        out: list[str] = []
        stack = [QModelIndex()]
        while stack:
            parent = stack.pop()
            for row in range(self.tree_model.rowCount(parent)):
                index = self.tree_model.index(row, 0, parent)
                if self.tree_view.isExpanded(index):
                    info = self.tree_model.department_at(index)
                    if info is not None:
                        out.append(info.department_id)
                    stack.append(index)
        return out

    def apply_filter(self) -> None:
        """Show the current department's subtree, narrowed by the search text."""
        self._search_timer.stop()
        department = self.current_department()
        root = self.tree_model.tree.root
        self.employee_model.set_filter(
            department.department_id if department else None,
            self.search_edit.text().strip(),
            root.department_id if root else None,
        )
        self.invite_panel.show_employee(None)
        self._update_actions()

    def _fit_columns(self) -> None:
        # Sized from the first rows only (setResizeContentsPrecision), once per filter.
        self.employee_view.resizeColumnsToContents()

    def _update_count(self) -> None:
        self.count_label.setText(
            self.tr("%1 人").replace("%1", str(self.employee_model.rowCount()))
        )

    def _update_actions(self) -> None:
        online = self.ctx.gateway is not None
        department = self.current_department()
        employee = self.current_employee()
        is_root = department is not None and department.parent_id is None
        reason = "" if online else self.not_configured_text()
        states = {
            self.new_department_button: (department is not None, self.tr("在所选部门下新建子部门")),
            self.rename_department_button: (
                department is not None,
                self.tr("修改所选部门的名称或编码"),
            ),
            self.move_department_button: (
                department is not None and not is_root,
                self.tr("把所选部门（连同子部门）移动到另一个上级部门下"),
            ),
            self.delete_department_button: (
                department is not None and not is_root,
                self.tr("删除所选部门（部门下不能有子部门或员工）"),
            ),
            self.add_employee_button: (
                True,
                self.tr("在所选部门添加员工，添加后员工需扫码签约激活"),
            ),
            self.edit_employee_button: (employee is not None, self.tr("修改所选员工的信息")),
            self.delete_employee_button: (employee is not None, self.tr("删除所选员工")),
            self.import_button: (True, self.tr("从 CSV 或 Excel 文件批量添加、更新员工")),
            self.print_button: (
                department is not None,
                self.tr("打印所选部门（含子部门）全部待激活员工的签约二维码"),
            ),
        }
        for button, (enabled, tip) in states.items():
            button.setEnabled(online and enabled)
            button.setToolTip(reason or tip)
        self.invite_panel.set_online(online, reason)

    # -- events ----------------------------------------------------------------------------
    def on_cache_changed(self, entity: str) -> None:
        if entity in self.ENTITIES:
            self.reload()

    def on_department_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if not self._reloading:
            self.apply_filter()

    def on_employee_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        employee = self.employee_model.employee_at(current.row()) if current.isValid() else None
        self._invite_generation += 1
        self.invite_panel.show_employee(employee)
        self._update_actions()
        if (
            employee is not None
            and employee.pending
            and not employee.invite_url
            and self.ctx.gateway is not None
        ):
            self.on_fetch_invite()

    # -- running actions -------------------------------------------------------------------
    def service(self) -> OrgService:
        return OrgService(self.database, self.ctx.require_gateway(), self.ctx.enterprise_id)

    def run_action(
        self,
        operation: str,
        work: Callable[[OrgService], Any],
        on_done: Callable[[Any], object] | None = None,
        dialog: OrgFormDialog | None = None,
    ) -> None:
        """Run ``work(service)`` off the GUI thread; on success refresh every org view."""
        run_service_action(
            self,
            self.ctx,
            operation,
            self.service,
            work,
            entity="org",
            on_done=on_done,
            dialog=dialog,
        )

    def _open_form(
        self,
        dialog: OrgFormDialog,
        operation: str,
        work: Callable[[OrgService, Any], Any],
        on_done: Callable[[Any], object] | None = None,
    ) -> None:
        dialog.submitted.connect(
            lambda value: self.run_action(
                operation, lambda service: work(service, value), on_done, dialog
            )
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()

    def _confirm(self, title: str, text: str, details: str, on_yes: Callable[[], None]) -> None:
        box = QMessageBox(self)
        box.setObjectName("confirm_box")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(title)
        box.setText(text)
        box.setInformativeText(details)
        yes = box.addButton(self.tr("删除"), QMessageBox.ButtonRole.DestructiveRole)
        yes.setObjectName("confirm_yes")
        no = box.addButton(self.tr("取消"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(no)
        box.setEscapeButton(no)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def clicked(button: Any) -> None:
            if button is yes:
                on_yes()

        box.buttonClicked.connect(clicked)
        self.confirm_box = box
        box.open()

    # -- department actions ----------------------------------------------------------------
    def on_new_department(self) -> None:
        parent = self.current_department()
        if parent is None:
            return
        dialog = OrgDepartmentDialog(
            self, self.tr("新建部门"), self.tree_model.tree.path(parent.department_id)
        )

        def work(service: OrgService, form: DepartmentForm) -> DepartmentInfo:
            return service.create_department(parent.department_id, form.name, form.code)

        self._open_form(
            dialog,
            self.tr("新建部门"),
            work,
            lambda info: self.reload(select_department=info.department_id),
        )

    def on_rename_department(self) -> None:
        department = self.current_department()
        if department is None:
            return
        tree = self.tree_model.tree
        parent_path = tree.path(department.parent_id) if department.parent_id else "—"
        dialog = OrgDepartmentDialog(self, self.tr("修改部门"), parent_path, department)

        def work(service: OrgService, form: DepartmentForm) -> DepartmentInfo:
            return service.rename_department(department.department_id, form.name, form.code)

        self._open_form(dialog, self.tr("修改部门"), work)

    def on_move_department(self) -> None:
        department = self.current_department()
        if department is None:
            return
        dialog = OrgMoveDepartmentDialog(self, self.tree_model.tree, department.department_id)

        def work(service: OrgService, parent_id: str | None) -> DepartmentInfo:
            if parent_id is None:
                raise ValidationError(
                    "parent_id", "请选择新的上级部门", "choose the new parent department"
                )
            return service.move_department(department.department_id, parent_id)

        self._open_form(
            dialog,
            self.tr("移动部门"),
            work,
            lambda info: self.reload(select_department=info.department_id),
        )

    def on_delete_department(self) -> None:
        department = self.current_department()
        if department is None:
            return
        path = self.tree_model.tree.path(department.department_id)
        self._confirm(
            self.tr("删除部门"),
            self.tr("删除部门“%1”？").replace("%1", path),
            self.tr(
                "部门将从支付宝企业码中删除，不可恢复。"
                "部门下不能有子部门或员工；适用于该部门的费控制度范围也会移除该部门。"
            ),
            lambda: self.run_action(
                self.tr("删除部门"),
                lambda service: service.delete_department(department.department_id),
                lambda _id: self.reload(select_department=department.parent_id),
            ),
        )

    # -- employee actions ------------------------------------------------------------------
    def on_add_employee(self) -> None:
        department = self.current_department()
        dialog = OrgEmployeeDialog(
            self,
            self.tr("添加员工"),
            self.tree_model.tree,
            department_id=department.department_id if department else None,
        )
        self._open_form(
            dialog,
            self.tr("添加员工"),
            lambda service, data: service.add_employee(data),
            lambda info: self.select_employee(info.employee_id),
        )

    def on_edit_employee(self) -> None:
        employee = self.current_employee()
        if employee is None or self.ctx.gateway is None:
            return
        dialog = OrgEmployeeDialog(self, self.tr("编辑员工"), self.tree_model.tree, employee)
        self._open_form(
            dialog,
            self.tr("编辑员工"),
            lambda service, data: service.modify_employee(employee.employee_id, data),
            lambda info: self.select_employee(info.employee_id),
        )

    def on_delete_employee(self) -> None:
        employee = self.current_employee()
        if employee is None:
            return
        self._confirm(
            self.tr("删除员工"),
            self.tr("删除员工“%1”？").replace("%1", employee.name),
            self.tr(
                "员工将从支付宝企业码中删除并解除因公付：之后不能再用企业码付款，"
                "其名下未用完的额度也不能再使用。本地已同步的账单仍保留，可供对账。"
            ),
            lambda: self.run_action(
                self.tr("删除员工"), lambda service: service.delete_employee(employee.employee_id)
            ),
        )

    def on_import(self) -> None:
        dialog = OrgImportDialog(self.ctx, self)
        dialog.applied.connect(lambda _report: self.ctx.events.changed.emit("org"))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()

    # -- invites ---------------------------------------------------------------------------
    def on_fetch_invite(self) -> None:
        employee = self.current_employee()
        if employee is None or self.ctx.gateway is None:
            return
        self._invite_generation += 1
        generation = self._invite_generation
        self.invite_panel.show_message(self.tr("正在获取签约链接…"))
        service = self.service()

        def shown(invite: EmployeeInvite) -> None:
            if generation == self._invite_generation:  # the clerk has not moved on meanwhile
                self.invite_panel.show_link(invite.sign_url)
                # The link is now cached: other views (and this row, once re-read) know it.
                self.ctx.events.changed.emit("org")

        def failed(exc: BaseException) -> None:
            if generation == self._invite_generation:
                self.invite_panel.show_message(self.tr("获取失败"))
                show_error(self, self.tr("获取邀请二维码"), exc)

        self.ctx.runner.run(lambda: service.fetch_invite(employee.employee_id), shown, failed)

    def on_print_invites(self) -> None:
        department = self.current_department()
        if department is None:
            return
        tree = self.tree_model.tree
        if not pending_employees(self.database, department.department_id, self.ctx.enterprise_id):
            box = QMessageBox(self)
            box.setObjectName("no_pending_box")
            box.setIcon(QMessageBox.Icon.Information)
            box.setWindowTitle(self.tr("打印邀请单"))
            box.setText(self.tr("“%1”及其子部门没有待激活的员工。").replace("%1", department.name))
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.confirm_box = box
            box.open()
            return
        title = self.tr("%1 · 企业码签约邀请").replace("%1", tree.path(department.department_id))
        names = {d: tree.path(d) for d in tree.departments}
        if department.parent_id is not None:
            # Inside one department, the path above it is the same for everyone: drop it.
            prefix = tree.path(department.parent_id) + "/"
            names = {d: p.removeprefix(prefix) for d, p in names.items()}

        def ready(invites: list[EmployeeInvite]) -> None:
            self.invite_sheet = OrgInviteSheet(title, invites, names)
            self.show_print_preview(self.invite_sheet)

        self.run_action(
            self.tr("打印邀请单"),
            lambda service: service.fetch_invites(department.department_id),
            ready,
        )

    def show_print_preview(self, sheet: OrgInviteSheet) -> None:
        # The dialog keeps only a pointer to the printer: the tab must keep the printer alive.
        self._printer = printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        OrgInviteSheet.prepare(printer)
        preview = QPrintPreviewDialog(printer, self)
        preview.setObjectName("invite_print_preview")
        preview.setWindowTitle(self.tr("打印邀请单"))
        preview.paintRequested.connect(sheet.print_to)
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview_dialog = preview
        preview.open()
