"""付款码: pick an employee and an institution, get the 因公付 pay code — shown large, copied,
saved as PNG, printed, or presented full-screen for scanning off the monitor.

Everything comes from the cache and the configuration (no Alipay call); the link is built by
:mod:`workstation.payments.paylink`, and one QR painter (:mod:`workstation.ui.qr`) draws it on
screen, into the PNG and on paper."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import (
    QGuiApplication,
    QKeySequence,
    QPainter,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
    QTextOption,
)
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workstation.payments.paylink import PayCode, PayCodeNote, build_pay_code, institution_options
from workstation.ui.context import TabContext
from workstation.ui.errors import error_lines, show_error
from workstation.ui.qr import QrWidget, qr_image, qr_matrix
from workstation.ui.widgets.paycode_employee_picker import PayCodeEmployeePicker
from workstation.ui.widgets.paycode_page import paint_pay_code_page
from workstation.ui.widgets.paycode_presenter import PayCodePresenter

__all__ = ["PNG_PIXELS", "PayCodeTab"]

PNG_PIXELS = 1200  # ≥ 6 px per module even for the largest code: sharp when printed or zoomed
_LAST_DIR_KEY = "paycode/last_directory"
_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\s]+')


class PayCodeTab(QWidget):
    ENTITIES: tuple[str, ...] = ("org", "institutions", "enterprise")

    def __init__(self, ctx: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.code: PayCode | None = None
        self.presenter: PayCodePresenter | None = None

        self.employee_picker = PayCodeEmployeePicker(ctx.database, self)
        self.institution_combo = QComboBox(self)
        self.institution_combo.setObjectName("paycode_institution")
        self.institution_combo.setMinimumContentsLength(16)
        self.scope_note = QLabel(self)
        self.scope_note.setObjectName("paycode_scope_note")
        self.scope_note.setWordWrap(True)
        self.scope_note.setStyleSheet("color: #8a6d00;")
        self.error_label = QLabel(self)
        self.error_label.setObjectName("paycode_error")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet("color: #c0392b;")

        form = QFormLayout()
        employee_label = QLabel(self.tr("员工(&E)"), self)
        employee_label.setBuddy(self.employee_picker)
        institution_label = QLabel(self.tr("费控制度(&I)"), self)
        institution_label.setBuddy(self.institution_combo)
        form.addRow(employee_label, self.employee_picker)
        form.addRow(institution_label, self.institution_combo)
        form.addRow(self.scope_note)
        form.addRow(self.error_label)

        self.params_model = QStandardItemModel(0, 2, self)
        self.params_model.setHorizontalHeaderLabels([self.tr("参数"), self.tr("值")])
        self.params_view = QTableView(self)
        self.params_view.setObjectName("paycode_params")
        self.params_view.setModel(self.params_model)
        self.params_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.params_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.params_view.setAlternatingRowColors(True)
        self.params_view.setWordWrap(False)
        self.params_view.verticalHeader().hide()
        self.params_view.verticalHeader().setDefaultSectionSize(22)
        header = self.params_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        params_box = QGroupBox(self.tr("扫码参数"), self)
        QVBoxLayout(params_box).addWidget(self.params_view)

        self.link_edit = QPlainTextEdit(self)
        self.link_edit.setObjectName("paycode_link")
        self.link_edit.setReadOnly(True)
        self.link_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.link_edit.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)
        self.link_edit.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.link_edit.setPlaceholderText(self.tr("选择员工和费控制度后在此显示付款码链接"))
        self.link_edit.setMaximumHeight(110)
        link_box = QGroupBox(self.tr("付款码链接"), self)
        QVBoxLayout(link_box).addWidget(self.link_edit)

        self.copy_button = QPushButton(self.tr("复制链接(&C)"), self)
        self.copy_button.setToolTip(self.tr("复制付款码链接（Ctrl+Shift+C）"))
        self.save_button = QPushButton(self.tr("保存图片(&S)…"), self)
        self.print_button = QPushButton(self.tr("打印(&P)…"), self)
        self.present_button = QPushButton(self.tr("全屏展示(&F)"), self)
        self.present_button.setToolTip(self.tr("全屏显示二维码供员工扫码，按 Esc 退出"))
        self.copy_button.clicked.connect(self.on_copy_requested)
        self.save_button.clicked.connect(self.on_save_requested)
        self.print_button.clicked.connect(self.on_print_requested)
        self.present_button.clicked.connect(self.on_present_requested)
        self.copy_shortcut = QShortcut(QKeySequence("Ctrl+Shift+C"), self)
        self.copy_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.copy_shortcut.activated.connect(self.on_copy_requested)
        buttons = QHBoxLayout()
        for button in (self.copy_button, self.save_button, self.print_button, self.present_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("paycode_status")
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(params_box, 1)
        left.addWidget(link_box)
        left.addLayout(buttons)
        left.addWidget(self.status_label)

        self.qr = QrWidget(self)
        self.qr.setObjectName("paycode_qr")
        self.qr.setMinimumSize(360, 360)
        self.caption = QLabel(self)
        self.caption.setObjectName("paycode_caption")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        caption_font = self.caption.font()
        caption_font.setPointSize(caption_font.pointSize() + 3)
        caption_font.setBold(True)
        self.caption.setFont(caption_font)
        right = QVBoxLayout()
        right.addWidget(self.qr, 1)
        right.addWidget(self.caption)

        layout = QHBoxLayout(self)
        layout.addLayout(left, 2)
        layout.addLayout(right, 3)
        self.setTabOrder(self.employee_picker, self.institution_combo)
        self.setTabOrder(self.institution_combo, self.copy_button)
        self.setTabOrder(self.copy_button, self.save_button)
        self.setTabOrder(self.save_button, self.print_button)
        self.setTabOrder(self.print_button, self.present_button)
        self.setTabOrder(self.present_button, self.params_view)
        self.setTabOrder(self.params_view, self.link_edit)

        self.employee_picker.employee_chosen.connect(self.on_employee_chosen)
        self.institution_combo.currentIndexChanged.connect(self.on_institution_changed)
        ctx.events.changed.connect(self.on_cache_changed)
        self._show(None)

    # --- what the main window asks of every tab -----------------------------------------------

    def search_widget(self) -> QWidget | None:
        return self.employee_picker

    def export_table(self) -> tuple[list[str], Iterable[list[object]]]:
        headers = [self.tr("参数"), self.tr("值")]
        params = self.code.params if self.code is not None else ()
        return headers, ([name, value] for name, value in params)

    def refresh(self) -> None:
        self.employee_picker.reload()
        self.reload_institutions()

    def on_cache_changed(self, entity: str) -> None:
        if entity in self.ENTITIES:
            self.refresh()

    # --- choosing -----------------------------------------------------------------------------

    def isv_app_id(self) -> str:
        """Our Alipay app id: the live gateway's (demo mode has no stored settings), else the
        configured one."""
        gateway = self.ctx.gateway
        if gateway is not None:
            return gateway.config.app_id
        return self.ctx.settings.app_id

    def select(self, employee_id: str, institution_id: str = "") -> None:
        """Choose from code (tests, other tabs' "show pay code")."""
        self.employee_picker.set_employee(employee_id)
        if institution_id:
            index = self.institution_combo.findData(institution_id)
            if index >= 0:
                self.institution_combo.setCurrentIndex(index)

    def institution_id(self) -> str:
        """The chosen institution's id, "" when the list is empty (never ``None``)."""
        index = self.institution_combo.currentIndex()
        return str(self.institution_combo.itemData(index)) if index >= 0 else ""

    def on_employee_chosen(self, employee_id: str) -> None:
        self.reload_institutions()

    def reload_institutions(self) -> None:
        """Fill the institution list for the chosen employee, keeping the choice if it stays."""
        employee_id = self.employee_picker.employee_id()
        previous = self.institution_id()
        options = []
        if employee_id:
            with self.ctx.database.read_session() as session:
                options = institution_options(session, employee_id)
        self.institution_combo.blockSignals(True)
        try:
            self.institution_combo.clear()
            for option in options:
                label = option.name
                if not option.scope_known:
                    label += self.tr("（成员未知）")
                self.institution_combo.addItem(label, option.institution_id)
            index = self.institution_combo.findData(previous) if previous else -1
            self.institution_combo.setCurrentIndex(index if index >= 0 else 0 if options else -1)
        finally:
            self.institution_combo.blockSignals(False)
        if any(not o.scope_known for o in options):
            self.scope_note.setText(
                self.tr(
                    "标“成员未知”的制度在本地缓存中没有成员记录（尚未同步或未设置），"
                    "无法确认员工是否适用，已一并列出。"
                )
            )
        elif employee_id and not options:
            self.scope_note.setText(self.tr("该员工不在任何启用中的费控制度适用范围内。"))
        else:
            self.scope_note.clear()
        self.scope_note.setVisible(bool(self.scope_note.text()))
        self.rebuild()

    def on_institution_changed(self, _index: int) -> None:
        self.rebuild()

    def rebuild(self) -> None:
        """Build the code for the current choice (a few indexed reads and one QR encoding)."""
        employee = self.employee_picker.employee()
        institution_id = self.institution_id()
        if employee is None:
            self._show(None, self.tr("请选择员工：输入姓名、工号或手机号搜索。"))
            return
        try:
            with self.ctx.database.read_session() as session:
                code = build_pay_code(
                    session,
                    employee_id=employee.employee_id,
                    institution_id=institution_id,
                    isv_app_id=self.isv_app_id(),
                )
            self._show(code)
        except Exception as exc:
            zh, en = error_lines(exc)
            self._show(None, f"{zh}\n{en}", error=True)

    def _show(self, code: PayCode | None, message: str = "", *, error: bool = False) -> None:
        if code is not None and code == self.code:
            return  # a cache refresh that changed nothing: no need to encode the QR again
        if code is not None:
            try:
                self.qr.set_text(code.url)
            except Exception as exc:
                zh, en = error_lines(exc)
                code, message, error = None, f"{zh}\n{en}", True
        self.code = code
        if code is None:
            self.qr.set_text("")
        self.error_label.setStyleSheet("color: #c0392b;" if error else "color: #8a6d00;")
        self.error_label.setText(message if message else self._notes_text(code))
        self.error_label.setVisible(bool(self.error_label.text()))
        self.params_model.removeRows(0, self.params_model.rowCount())
        for name, value in code.params if code is not None else ():
            key = QStandardItem(name)
            shown = QStandardItem(value)
            shown.setToolTip(value)
            self.params_model.appendRow([key, shown])
        if code is not None:
            self.params_view.resizeColumnToContents(0)
        self.link_edit.setPlainText(code.url if code is not None else "")
        self.caption.setText(
            f"{code.employee.name} · {code.institution.name}" if code is not None else ""
        )
        for button in (self.copy_button, self.save_button, self.print_button, self.present_button):
            button.setEnabled(code is not None)
        self.copy_shortcut.setEnabled(code is not None)
        self.status_label.clear()

    def _notes_text(self, code: PayCode | None) -> str:
        # SCOPE_UNKNOWN needs no line here: the institution reads "（成员未知）" in the list and
        # the note under the list explains it.
        if code is None or PayCodeNote.ACCOUNT_IS_ENTERPRISE_ID not in code.notes:
            return ""
        return self.tr("注意：缓存中没有企业的共同账户ID，链接中使用企业ID代替。")

    # --- actions ------------------------------------------------------------------------------

    def on_copy_requested(self) -> None:
        if self.code is None:
            return
        QGuiApplication.clipboard().setText(self.code.url)
        self.status_label.setText(self.tr("已复制付款码链接"))

    def default_file_name(self) -> str:
        code = self.code
        if code is None:
            return self.tr("付款码") + ".png"
        parts = [self.tr("付款码"), code.employee.name, code.institution.name]
        return "-".join(_UNSAFE_FILENAME.sub("_", p).strip("_") or "_" for p in parts) + ".png"

    def on_save_requested(self) -> QFileDialog | None:
        """Ask where (non-blocking dialog), then write the PNG."""
        if self.code is None:
            return None
        folder = str(self.ctx.qsettings.value(_LAST_DIR_KEY, "") or "") or (
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
        )
        dialog = QFileDialog(self, self.tr("保存付款码图片"))
        dialog.setObjectName("paycode_save_dialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setNameFilter(self.tr("PNG 图片 (*.png)"))
        dialog.setDefaultSuffix("png")
        dialog.setDirectory(folder)
        dialog.selectFile(self.default_file_name())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.save_png)
        dialog.open()
        return dialog

    def save_png(self, path: str) -> bool:
        if self.code is None or not path:
            return False
        if not path.lower().endswith(".png"):
            path += ".png"  # Qt picks the format from the suffix
        try:
            # qr_image is the shared painter. Not save_qr_png: it passes the format as bytes,
            # which PySide6 6.12 rejects at run time (its stubs still ask for bytes).
            if not qr_image(self.code.url, PNG_PIXELS).save(path):
                raise OSError(f"could not write {path}")
        except OSError as exc:
            show_error(self, self.tr("保存付款码图片"), exc)
            return False
        self.ctx.qsettings.setValue(_LAST_DIR_KEY, str(Path(path).parent))
        self.status_label.setText(self.tr("已保存：%1").replace("%1", path))
        return True

    def on_print_requested(self) -> QPrintPreviewDialog | None:
        if self.code is None:
            return None
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.default_file_name().removesuffix(".png"))
        dialog = QPrintPreviewDialog(printer, self)
        dialog.setObjectName("paycode_print_preview")
        dialog.setWindowTitle(self.tr("打印付款码"))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.paintRequested.connect(self.print_to)
        dialog.open()
        return dialog

    def print_to(self, printer: QPrinter) -> None:
        """One page: title, employee, institution, the code as large as fits, the link small."""
        code = self.code
        if code is None:
            return
        painter = QPainter()
        if not painter.begin(printer):
            show_error(self, self.tr("打印付款码"), OSError("could not start printing"))
            return
        try:
            page = printer.pageLayout().paintRectPixels(printer.resolution())
            page.moveTo(0, 0)
            paint_pay_code_page(painter, page.toRectF(), code, qr_matrix(code.url))
        finally:
            painter.end()

    def on_present_requested(self) -> PayCodePresenter | None:
        if self.code is None:
            return None
        if self.presenter is not None:
            self.presenter.close()
        presenter = PayCodePresenter(self.code, self)
        presenter.destroyed.connect(lambda: self.on_presenter_destroyed(presenter))
        self.presenter = presenter
        presenter.present(self.screen())
        return presenter

    def on_presenter_destroyed(self, presenter: PayCodePresenter) -> None:
        if self.presenter is presenter:
            self.presenter = None
