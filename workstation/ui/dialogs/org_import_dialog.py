"""Bulk import of employees: choose a CSV/XLSX file, see what would change, apply, read the report.

Reading and planning, and applying, run on the task runner; progress of the apply comes back as
a queued signal. Only the preview's valid rows are sent; the report lists every row with its
result, and the rows needing attention can be saved as a CSV to fix and import again."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workstation.org.importer import (
    Action,
    ImportPreview,
    ImportReport,
    Outcome,
    apply_import,
    parse_file,
    plan_import,
    write_failure_report,
)
from workstation.org.service import OrgService, load_employees, load_tree
from workstation.ui.context import TabContext
from workstation.ui.errors import show_error
from workstation.ui.models.org_import_model import OrgImportModel

__all__ = ["OrgImportDialog"]


class _Progress(QObject):
    """Carries progress from the worker thread to the GUI thread (a queued signal)."""

    advanced = Signal(int, int)


class OrgImportDialog(QDialog):
    """``applied(report)`` fires once an import ran (whatever its outcome), so the tab refreshes."""

    applied = Signal(object)
    preview_ready = Signal(object)

    def __init__(self, ctx: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("批量导入员工"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(1000, 600)
        self.preview: ImportPreview | None = None
        self.report: ImportReport | None = None
        self.path: Path | None = None
        self._cancel = threading.Event()
        self._progress = _Progress(self)
        self._progress.advanced.connect(self.on_progress)

        self.file_label = QLabel(
            self.tr("请选择 CSV 或 Excel（XLSX）文件。表头：姓名、手机、邮箱、工号、部门"), self
        )
        self.file_label.setObjectName("import_file")
        self.file_label.setWordWrap(True)
        self.open_button = QPushButton(self.tr("选择文件(&O)…"), self)
        self.open_button.setObjectName("import_open")
        self.open_button.clicked.connect(self.on_open_clicked)
        self.summary = QLabel(self)
        self.summary.setObjectName("import_summary")
        self.summary.setWordWrap(True)
        self.model = OrgImportModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("org_import_table")
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setMaximumSectionSize(320)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("import_progress")
        self.progress.hide()
        self.apply_button = QPushButton(self.tr("应用导入(&A)"), self)
        self.apply_button.setObjectName("import_apply")
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.apply)
        self.save_button = QPushButton(self.tr("保存问题行(&S)…"), self)
        self.save_button.setObjectName("import_save_report")
        self.save_button.setToolTip(
            self.tr("把有误、失败或未发送的行连同原因保存为 CSV，改正后可再次导入")
        )
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.on_save_clicked)
        self.close_button = QPushButton(self.tr("关闭(&C)"), self)
        self.close_button.clicked.connect(self.reject)
        if ctx.gateway is None:
            self.apply_button.setToolTip(self.tr("未配置支付宝应用，无法导入"))

        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(self.open_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.progress, 1)
        bottom.addStretch()
        bottom.addWidget(self.apply_button)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)

    # -- choose and preview ----------------------------------------------------------------
    def on_open_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("选择员工名单"),
            "",
            self.tr("员工名单 (*.csv *.xlsx);;所有文件 (*)"),
        )
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> None:
        """Read and plan off the GUI thread (a big XLSX takes a while)."""
        database, enterprise_id = self.ctx.database, self.ctx.enterprise_id
        self.path = path
        self.file_label.setText(str(path))
        self.summary.setText(self.tr("正在读取…"))
        self.apply_button.setEnabled(False)
        self.save_button.setEnabled(False)
        self.open_button.setEnabled(False)

        def work() -> tuple[ImportPreview, dict[str, str]]:
            table = parse_file(path)
            tree = load_tree(database, enterprise_id)
            preview = plan_import(table, tree, load_employees(database, enterprise_id))
            return preview, {d: tree.path(d) for d in tree.departments}

        self.ctx.runner.run(work, self.on_preview_ready, self.on_preview_failed)

    def on_preview_ready(self, result: tuple[ImportPreview, dict[str, str]]) -> None:
        preview, paths = result
        self.preview = preview
        self.report = None
        self.open_button.setEnabled(True)
        self.model.set_preview(preview, paths)
        self.view.resizeColumnsToContents()
        count = preview.count
        self.summary.setText(
            self.tr("共 %1 行：新增 %2，更新 %3，无变化 %4，有误 %5（有误的行不会导入）")
            .replace("%1", str(len(preview.rows)))
            .replace("%2", str(count(Action.NEW)))
            .replace("%3", str(count(Action.UPDATE)))
            .replace("%4", str(count(Action.UNCHANGED)))
            .replace("%5", str(count(Action.INVALID)))
        )
        self.apply_button.setEnabled(self.ctx.gateway is not None and bool(preview.applicable))
        self.save_button.setEnabled(count(Action.INVALID) > 0)
        self.preview_ready.emit(preview)

    def on_preview_failed(self, exc: BaseException) -> None:
        self.open_button.setEnabled(True)
        self.summary.setText("")
        show_error(self, self.tr("读取员工名单"), exc)

    # -- apply -----------------------------------------------------------------------------
    def apply(self) -> None:
        preview = self.preview
        if preview is None or not preview.applicable or self.ctx.gateway is None:
            return
        service = OrgService(self.ctx.database, self.ctx.gateway, self.ctx.enterprise_id)
        progress = self._progress
        cancel = self._cancel
        self.apply_button.setEnabled(False)
        self.open_button.setEnabled(False)
        self.progress.setRange(0, len(preview.applicable))
        self.progress.setValue(0)
        self.progress.show()
        self.summary.setText(self.tr("正在导入…"))

        def work() -> ImportReport:
            return apply_import(
                service,
                preview,
                progress=progress.advanced.emit,
                cancelled=cancel.is_set,
            )

        self.ctx.runner.run(work, self.on_applied, self.on_apply_failed)

    def on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def on_applied(self, report: ImportReport) -> None:
        self.report = report
        self.open_button.setEnabled(True)
        self.model.set_report(report)
        self.view.resizeColumnsToContents()
        text = (
            self.tr("导入完成：成功 %1，失败 %2，未发送 %3，结果未知 %4")
            .replace("%1", str(report.count(Outcome.APPLIED)))
            .replace("%2", str(report.count(Outcome.FAILED)))
            .replace("%3", str(report.count(Outcome.SKIPPED) + report.count(Outcome.NOT_ATTEMPTED)))
            .replace("%4", str(report.count(Outcome.UNKNOWN)))
        )
        if report.stopped:
            text += self.tr("。导入中途停止：之前已成功的行保持有效")
        self.summary.setText(text)
        self.save_button.setEnabled(bool(report.problems))
        self.applied.emit(report)

    def on_apply_failed(self, exc: BaseException) -> None:
        self.open_button.setEnabled(True)
        self.summary.setText("")
        show_error(self, self.tr("批量导入员工"), exc)
        self.applied.emit(None)

    # -- report ----------------------------------------------------------------------------
    def on_save_clicked(self) -> None:
        default = str(self.path.with_name(self.path.stem + "_问题行.csv")) if self.path else ""
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("保存问题行"), default, self.tr("CSV 文件 (*.csv)")
        )
        if path:
            self.save_report(Path(path))

    def save_report(self, path: Path) -> int:
        """Write the rows needing attention (after apply: the report; before: invalid rows)."""
        report = self.report
        if report is None and self.preview is not None:
            report = apply_preview_problems(self.preview)
        if report is None:
            return 0
        try:
            return write_failure_report(report, path)
        except OSError as exc:
            show_error(self, self.tr("保存问题行"), exc)
            return 0

    def done(self, result: int) -> None:
        self._cancel.set()  # an import still running stops after its current chunk
        super().done(result)


def apply_preview_problems(preview: ImportPreview) -> ImportReport:
    """The invalid rows of a preview as a report (nothing sent), for saving before applying."""
    from workstation.org.importer import RowResult

    results = tuple(
        RowResult(
            row,
            Outcome.SKIPPED,
            None,
            "；".join(r.zh for r in row.reasons),
            "; ".join(r.en for r in row.reasons),
        )
        for row in preview.rows
        if row.action is Action.INVALID
    )
    return ImportReport(results)
