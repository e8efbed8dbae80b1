"""The main window: the tabs from the registry, a per-entity sync status bar, and F5."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QWidget

from workstation.alipay.gateway import AlipayGateway
from workstation.config import Settings
from workstation.db.engine import Database
from workstation.sync.events import SyncFailed, SyncFinished
from workstation.sync.scheduler import SyncScheduler
from workstation.sync.service import ENTITIES, EntityState, SyncService
from workstation.ui.bridge import SyncBridge
from workstation.ui.context import CacheEvents, TabContext
from workstation.ui.tabs import TABS, TabSpec
from workstation.ui.tasks import TaskRunner

__all__ = ["APPLICATION", "ENTITY_TITLES", "ORGANIZATION", "MainWindow"]

ORGANIZATION = "FinanceWorkstation"
APPLICATION = "Finance Workstation"

ENTITY_TITLES = {
    "enterprise": "企业",
    "org": "组织架构",
    "institutions": "费控制度",
    "quotas": "额度",
    "bills": "账单",
    "vouchers": "凭证",
}


def _clock(at: dt.datetime) -> str:
    """Sync times are naive UTC; clerks read local wall-clock time."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone().strftime("%H:%M")


class MainWindow(QMainWindow):
    def __init__(
        self,
        database: Database,
        *,
        service: SyncService | None = None,
        scheduler: SyncScheduler | None = None,
        bridge: SyncBridge | None = None,
        settings: Settings | None = None,
        qsettings: QSettings | None = None,
        runner: TaskRunner | None = None,
        gateway: AlipayGateway | None = None,
        enterprise_id: str = "",
        tabs: tuple[TabSpec, ...] = TABS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.service = service
        self.scheduler = scheduler
        self.settings = settings or Settings()
        self.qsettings = qsettings or QSettings(ORGANIZATION, APPLICATION)
        self.runner = runner or TaskRunner(self)
        self.events = CacheEvents(self)
        self.ctx = TabContext(
            database=database,
            runner=self.runner,
            qsettings=self.qsettings,
            settings=self.settings,
            events=self.events,
            gateway=gateway,
            enterprise_id=enterprise_id,
        )
        self.setWindowTitle("财务工作台 · 支付宝企业码")
        self.resize(1280, 800)

        self.tab_widget = QTabWidget(self)
        self.tab_widget.setDocumentMode(True)
        self.tab_specs = tabs
        self.tabs: dict[str, QWidget] = {}
        for spec in tabs:
            widget = spec.factory(self.ctx)
            widget.setObjectName(f"{spec.key}_tab")
            self.tabs[spec.key] = widget
            self.tab_widget.addTab(widget, spec.title)
        self.setCentralWidget(self.tab_widget)

        self.sync_action = QAction("立即同步", self)
        self.sync_action.setShortcut(QKeySequence("F5"))
        self.sync_action.setEnabled(scheduler is not None)
        self.sync_action.triggered.connect(self.on_sync_requested)
        self.addAction(self.sync_action)
        menu = self.menuBar().addMenu("同步")
        menu.addAction(self.sync_action)

        self.status_labels: dict[str, QLabel] = {}
        for entity in ENTITIES:
            label = QLabel(self)
            label.setObjectName(f"{entity}_status")
            label.setContentsMargins(8, 0, 8, 0)
            self.status_labels[entity] = label
            self.statusBar().addPermanentWidget(label)
        self._show_initial_states()
        self.runner.busy_changed.connect(self.on_busy_changed)

        if bridge is not None:
            bridge.sync_started.connect(self.on_sync_started)
            bridge.sync_progress.connect(self.on_sync_progress)
            bridge.sync_finished.connect(self.on_sync_finished)
            bridge.sync_failed.connect(self.on_sync_failed)
        self._restore_state()

    # -- status bar ------------------------------------------------------------------------
    def _show_initial_states(self) -> None:
        states: list[EntityState] = self.service.states() if self.service else []
        by_entity = {s.entity: s for s in states}
        for entity in ENTITIES:
            state = by_entity.get(entity)
            if state is not None and state.offline_since is not None:
                self._set_status(entity, f"离线 自 {_clock(state.offline_since)}")
            elif state is not None and state.last_success is not None:
                self._set_status(entity, f"已同步 {_clock(state.last_success)}")
            else:
                self._set_status(entity, "未同步")

    def _set_status(self, entity: str, text: str, tooltip: str = "") -> None:
        label = self.status_labels.get(entity)
        if label is not None:
            label.setText(f"{ENTITY_TITLES.get(entity, entity)} {text}")
            label.setToolTip(tooltip)

    def status_text(self, entity: str) -> str:
        return self.status_labels[entity].text()

    def on_sync_started(self, entity: str) -> None:
        self._set_status(entity, "同步中…")

    def on_sync_progress(self, entity: str, done: int, total: int) -> None:
        self._set_status(entity, f"同步中 {done}/{total}" if total else f"同步中 {done}")

    def on_sync_finished(self, event: SyncFinished) -> None:
        self._set_status(
            event.entity,
            f"已同步 {_clock(event.at)}",
            f"新增 {event.inserted}，更新 {event.updated}，删除 {event.deleted}，"
            f"用时 {event.duration_s:.1f} 秒",
        )
        self.events.changed.emit(event.entity)

    def on_sync_failed(self, event: SyncFailed) -> None:
        if event.offline:
            since = None
            if self.service is not None:
                since = self.service.state(event.entity).offline_since
            self._set_status(event.entity, f"离线 自 {_clock(since or event.at)}", event.message_zh)
        else:
            self._set_status(event.entity, "同步失败", event.message_zh)

    def on_busy_changed(self, busy: bool) -> None:
        if busy:
            self.statusBar().showMessage("正在处理…")
        else:
            self.statusBar().clearMessage()

    def show_message(self, text: str) -> None:
        """A lasting message in the status bar (e.g. "not configured")."""
        self.statusBar().showMessage(text)

    # -- actions ---------------------------------------------------------------------------
    def on_sync_requested(self) -> None:
        scheduler = self.scheduler
        if scheduler is None:
            return
        # Rescheduling APScheduler jobs takes its lock; keep even that off the GUI thread.
        self.runner.run(
            scheduler.sync_now,
            on_failure=lambda exc: self.show_message(f"无法开始同步：{exc}"),
        )

    # -- persistence -----------------------------------------------------------------------
    def current_tab_key(self) -> str:
        return self.tab_specs[self.tab_widget.currentIndex()].key

    def _restore_state(self) -> None:
        geometry: Any = self.qsettings.value("main_window/geometry")
        if isinstance(geometry, QByteArray | bytes) and geometry:
            self.restoreGeometry(QByteArray(geometry))
        key = self.qsettings.value("main_window/current_tab")
        for index, spec in enumerate(self.tab_specs):
            if spec.key == key:
                self.tab_widget.setCurrentIndex(index)

    def save_state(self) -> None:
        self.qsettings.setValue("main_window/geometry", self.saveGeometry())
        self.qsettings.setValue("main_window/current_tab", self.current_tab_key())
        self.qsettings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        self.runner.wait(5000)
        super().closeEvent(event)
