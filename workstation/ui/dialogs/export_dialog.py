"""Ctrl+E: export the current view (its filtered rows) to XLSX or CSV, off the GUI thread.

The tab is the ``source``: ``export_table()`` gives headers and a lazy iterable of rows, and the
optional ``export_title()`` / ``export_summary()`` a title and label/value totals.
``export_table()`` and ``export_title()`` are called on the GUI thread and must be quick (capture
the filter). ``export_summary()`` and the row iterable run on a pool thread (the summary may have
to sum a million rows when the view's totals are not in yet): they may only read cached values
and do SQL reads with their own short sessions (``database.read_session()``), never touch
widgets. A million rows stream through :mod:`workstation.reports.export` without being held.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QSettings,
    QStandardPaths,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from workstation.reports.export import ExportCancelled, export_file, format_for_path
from workstation.ui.errors import show_error
from workstation.ui.tasks import BUSY_DELAY_MS, TaskRunner

__all__ = [
    "LAST_DIR_KEY",
    "LAST_FORMAT_KEY",
    "ExportJob",
    "ExportProgressDialog",
    "ask_export_path",
    "default_file_name",
    "export_view",
]

LAST_DIR_KEY = "export/last_dir"
LAST_FORMAT_KEY = "export/last_format"
_POLL_MS = 200
# Characters Windows refuses in file names (and control characters).
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')


def default_file_name(title: str | None, suffix: str, today: dt.date | None = None) -> str:
    """``"账单 2026-11-01 ~ 2026-11-22 · 财务部 2026-11-22.xlsx"``: the view's title and the
    day, made safe for Windows and macOS file names."""
    day = (today or dt.date.today()).isoformat()
    base = _UNSAFE.sub("_", title or "").strip()
    base = re.sub(r"\s+", " ", base)[:120].rstrip(" .")
    if not base:
        base = QCoreApplication.translate("ExportJob", "导出")
    return f"{base} {day}.{suffix}"


def _filters() -> tuple[str, str]:
    xlsx = QCoreApplication.translate("ExportJob", "Excel 工作簿 (*.xlsx)")
    csv = QCoreApplication.translate("ExportJob", "CSV 文件（UTF-8，逗号分隔） (*.csv)")
    return xlsx, csv


def ask_export_path(
    parent: QWidget | None, title: str | None, qsettings: QSettings | None = None
) -> Path | None:
    """The save dialog: XLSX or CSV, named after the view, in the folder used last time."""
    xlsx_filter, csv_filter = _filters()
    last_format = str(qsettings.value(LAST_FORMAT_KEY, "xlsx")) if qsettings else "xlsx"
    suffix = "csv" if last_format == "csv" else "xlsx"
    folder: Any = qsettings.value(LAST_DIR_KEY) if qsettings else None
    if not folder or not Path(str(folder)).is_dir():
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    start = str(Path(str(folder)) / default_file_name(title, suffix))
    chosen, selected = QFileDialog.getSaveFileName(
        parent,
        QCoreApplication.translate("ExportJob", "导出当前视图"),
        start,
        f"{xlsx_filter};;{csv_filter}",
        csv_filter if suffix == "csv" else xlsx_filter,
    )
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() not in (".xlsx", ".csv"):
        # The clerk typed a bare name: the filter they picked says which format they meant.
        path = path.with_name(path.name + (".csv" if selected == csv_filter else ".xlsx"))
    return path


class ExportProgressDialog(QProgressDialog):
    """A busy bar (the row count is not known up front) with the rows written so far and a
    cancel button; it appears only when the export takes longer than a blink."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("export_progress")
        self.path = path
        self.setWindowTitle(self.tr("导出"))
        self.setCancelButtonText(self.tr("取消"))
        self.setRange(0, 0)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(420)
        # QProgressDialog times its own appearance from setValue() calls, which a busy bar
        # never gets: the job shows this dialog itself after BUSY_DELAY_MS.
        self.show_rows(0)

    def show_rows(self, rows: int) -> None:
        self.setLabelText(
            self.tr("正在导出到 %1 …\n已写入 %2 行")
            .replace("%1", self.path.name)
            .replace("%2", f"{rows:,}")
        )


class ExportJob(QObject):
    """One running export. ``finished(rows)`` after the file is in place; ``cancelled()`` when
    the clerk stopped it (nothing written); ``failed(exc)`` after the error was shown."""

    finished = Signal(int)
    cancelled = Signal()
    failed = Signal(object)

    def __init__(
        self,
        parent: QWidget | None,
        path: Path,
        qsettings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.path = path
        self.qsettings = qsettings
        self.cancel_event = threading.Event()
        # The window closing (and this job with it) stops the export at its next checkpoint.
        event = self.cancel_event
        self.destroyed.connect(lambda *_: event.set())
        self.rows_written = 0  # set by the worker thread, read by the poll timer
        self.result: int | None = None
        self.done_box: QMessageBox | None = None
        self.progress = ExportProgressDialog(path, parent)
        self.progress.canceled.connect(self.on_cancel_requested)
        self._poll = QTimer(self)
        self._poll.setInterval(_POLL_MS)
        self._poll.timeout.connect(self.on_poll)

    def start(
        self,
        runner: TaskRunner,
        work: Callable[[Callable[[int], None], threading.Event], int],
    ) -> None:
        def run() -> int:
            return work(self._on_progress, self.cancel_event)

        self._poll.start()
        QTimer.singleShot(BUSY_DELAY_MS, self, self.on_busy_delay)
        runner.run(run, self.on_succeeded, self.on_failed)

    def on_busy_delay(self) -> None:
        if self._poll.isActive():  # still running
            self.progress.show()

    def _on_progress(self, rows: int) -> None:  # worker thread: a plain int store only
        self.rows_written = rows

    def on_poll(self) -> None:
        self.progress.show_rows(self.rows_written)

    def on_cancel_requested(self) -> None:
        self.cancel_event.set()

    def _stop(self) -> None:
        self._poll.stop()
        self.progress.reset()
        self.progress.hide()
        self.progress.deleteLater()

    def on_succeeded(self, rows: int) -> None:
        if not shiboken6.isValid(self):  # the window closed while the file was being written
            return
        self._stop()
        self.result = rows
        if self.qsettings is not None:
            self.qsettings.setValue(LAST_DIR_KEY, str(self.path.parent))
            self.qsettings.setValue(LAST_FORMAT_KEY, self.path.suffix.lower().lstrip("."))
        self.done_box = self._done_box(rows)
        self.finished.emit(rows)

    def _done_box(self, rows: int) -> QMessageBox:
        box = QMessageBox(self.parent_widget)
        box.setObjectName("export_done_box")
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("导出完成"))
        box.setText(
            self.tr("已导出 %1 行到 %2。").replace("%1", f"{rows:,}").replace("%2", self.path.name)
        )
        box.setInformativeText(self.tr("位置：%1").replace("%1", str(self.path.parent)))
        open_file = box.addButton(self.tr("打开文件(&O)"), QMessageBox.ButtonRole.ActionRole)
        open_folder = box.addButton(
            self.tr("打开所在文件夹(&F)"), QMessageBox.ButtonRole.ActionRole
        )
        close = box.addButton(self.tr("关闭"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(close)
        box.setEscapeButton(close)
        path = self.path
        open_file.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))
        open_folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
        )
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def on_failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._stop()
        if isinstance(exc, ExportCancelled):
            self.cancelled.emit()
            return
        show_error(self.parent_widget, self.tr("导出"), exc)
        self.failed.emit(exc)


def _optional(source: object, name: str) -> Callable[[], Any] | None:
    method = getattr(source, name, None)
    return method if callable(method) else None


def export_view(
    parent: QWidget | None,
    runner: TaskRunner,
    source: object,
    *,
    path: str | Path | None = None,
    qsettings: QSettings | None = None,
) -> ExportJob | None:
    """Ctrl+E: ask where to save (unless ``path`` is given), then export ``source``'s current
    view on ``runner``'s pool. Returns the running job, or ``None`` when the clerk cancelled the
    file dialog or the view could not be read (the error is shown)."""
    operation = QCoreApplication.translate("ExportJob", "导出")
    try:
        title_fn = _optional(source, "export_title")
        title = title_fn() if title_fn else None
    except Exception as exc:
        show_error(parent, operation, exc)
        return None
    target = Path(path) if path is not None else ask_export_path(parent, title, qsettings)
    if target is None:
        return None
    try:
        format_for_path(target)
        headers, rows = source.export_table()  # type: ignore[attr-defined]
        summary_fn = _optional(source, "export_summary")
    except Exception as exc:
        show_error(parent, operation, exc)
        return None

    def work(progress: Callable[[int], None], cancel: threading.Event) -> int:
        summary = list(summary_fn()) if summary_fn else []
        return export_file(
            target, headers, rows, title=title, summary=summary, progress=progress, cancel=cancel
        )

    job = ExportJob(parent, target, qsettings)
    job.start(runner, work)
    return job
