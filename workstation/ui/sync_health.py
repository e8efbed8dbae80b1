"""The sync health panel: every background job, its last run, next run and last error."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workstation.sync.service import EntityState
from workstation.ui.tasks import TaskRunner

__all__ = ["HealthRow", "SyncHealthDialog", "health_rows"]


@dataclass(frozen=True)
class HealthRow:
    job: str  # translated job name
    state: str  # translated state text
    ok: bool
    last_run: dt.datetime | None
    last_success: dt.datetime | None
    next_run: dt.datetime | None
    failures: int
    error: str


def _local(at: dt.datetime | None) -> str:
    if at is None:
        return "—"
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def health_rows(
    states: Sequence[EntityState],
    next_runs: dict[str, dt.datetime | None],
    titles: dict[str, str],
) -> list[HealthRow]:
    t = QCoreApplication.translate
    rows = []
    for s in states:
        if s.running:
            text, ok = t("SyncHealthDialog", "同步中"), True
        elif s.offline_since is not None:
            text, ok = t("SyncHealthDialog", "离线"), False
        elif s.last_error_zh and (
            s.last_success is None or (s.last_run or s.last_success) > s.last_success
        ):
            text, ok = t("SyncHealthDialog", "失败"), False
        elif s.last_success is not None:
            text, ok = t("SyncHealthDialog", "正常"), True
        else:
            text, ok = t("SyncHealthDialog", "未运行"), True
        error = ""
        if s.last_error_zh:
            error = f"{s.last_error_zh} / {s.last_error_en or ''}"
            if s.sub_code:
                error += f" ({s.sub_code})"
        rows.append(
            HealthRow(
                titles.get(s.entity, s.entity),
                text,
                ok,
                s.last_run,
                s.last_success,
                next_runs.get(s.entity),
                s.failures,
                error,
            )
        )
    return rows


class SyncHealthDialog(QDialog):
    """Lists the jobs; re-reads them every few seconds off the GUI thread while open."""

    def __init__(
        self,
        runner: TaskRunner,
        snapshot: Callable[[], list[HealthRow]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sync_health")
        self.setWindowTitle(self.tr("同步状态"))
        self.resize(980, 360)
        self._runner = runner
        self._snapshot = snapshot
        self.table = QTableWidget(0, 7, self)
        self.table.setObjectName("sync_health_table")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("任务"),
                self.tr("状态"),
                self.tr("上次运行"),
                self.tr("上次成功"),
                self.tr("下次运行"),
                self.tr("连续失败"),
                self.tr("错误"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.note = QLabel(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self._timer = QTimer(self)
        self._timer.setInterval(3000)
        self._timer.timeout.connect(self.reload)
        self._timer.start()
        self.reload()

    def reload(self) -> None:
        self._runner.run(self._snapshot, self.show_rows, self._on_failed)

    def _on_failed(self, exc: BaseException) -> None:
        self.note.setText(self.tr("无法读取同步状态：%1").replace("%1", str(exc)))

    def show_rows(self, rows: list[HealthRow]) -> None:
        self.table.setRowCount(len(rows))
        bad = QColor("#c62828")
        for r, row in enumerate(rows):
            values = [
                row.job,
                row.state,
                _local(row.last_run),
                _local(row.last_success),
                _local(row.next_run),
                str(row.failures),
                row.error,
            ]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if not row.ok and c in (1, 6):
                    item.setForeground(bad)
                self.table.setItem(r, c, item)
        failing = sum(1 for row in rows if not row.ok)
        self.note.setText(
            self.tr("全部正常")
            if not failing
            else self.tr("%1 项需要关注").replace("%1", str(failing))
        )
