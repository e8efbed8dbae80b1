"""The main window: the tabs from the registry, a per-entity sync status bar, and F5."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QTabWidget,
    QWidget,
)

from workstation.alipay.gateway import AlipayGateway
from workstation.config import Settings
from workstation.db.engine import Database
from workstation.sync.events import SyncFailed, SyncFinished
from workstation.sync.scheduler import SyncScheduler
from workstation.sync.service import ENTITIES, EntityState, SyncService
from workstation.ui.bridge import SyncBridge
from workstation.ui.context import CacheEvents, TabContext
from workstation.ui.marks import QT_TRANSLATE_NOOP
from workstation.ui.sync_health import HealthRow, SyncHealthDialog, health_rows
from workstation.ui.tabs import TABS, TabSpec
from workstation.ui.tasks import TaskRunner

__all__ = ["APPLICATION", "ENTITY_TITLES", "ORGANIZATION", "MainWindow"]

ORGANIZATION = "FinanceWorkstation"
APPLICATION = "Finance Workstation"

ENTITY_TITLES = {
    "enterprise": QT_TRANSLATE_NOOP("tabs", "企业"),
    "org": QT_TRANSLATE_NOOP("tabs", "组织架构"),
    "institutions": QT_TRANSLATE_NOOP("tabs", "费控制度"),
    "quotas": QT_TRANSLATE_NOOP("tabs", "额度"),
    "bills": QT_TRANSLATE_NOOP("tabs", "账单"),
    "vouchers": QT_TRANSLATE_NOOP("tabs", "凭证"),
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
        self.setWindowTitle(self.tr("财务工作台 · 支付宝企业码"))
        self.resize(1280, 800)

        self.tab_widget = QTabWidget(self)
        self.tab_widget.setDocumentMode(True)
        self.tab_specs = tabs
        self.tabs: dict[str, QWidget] = {}
        for spec in tabs:
            widget = spec.factory(self.ctx)
            widget.setObjectName(f"{spec.key}_tab")
            self.tabs[spec.key] = widget
            self.tab_widget.addTab(widget, QCoreApplication.translate("tabs", spec.title))
        self.setCentralWidget(self.tab_widget)
        vouchers = self.tabs.get("vouchers")
        if vouchers is not None and hasattr(vouchers, "bill_requested"):
            vouchers.bill_requested.connect(self.show_bill)

        self._build_menus(scheduler is not None)

        self.status_labels: dict[str, QLabel] = {}
        for entity in ENTITIES:
            label = QLabel(self)
            label.setObjectName(f"{entity}_status")
            label.setContentsMargins(8, 0, 8, 0)
            self.status_labels[entity] = label
            self.statusBar().addPermanentWidget(label)
        self._show_initial_states()
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setObjectName("busy")
        self.busy_bar.setRange(0, 0)  # indeterminate
        self.busy_bar.setMaximumWidth(120)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.hide()
        self.statusBar().addWidget(self.busy_bar)
        self.runner.busy_changed.connect(self.on_busy_changed)
        self.health_dialog: SyncHealthDialog | None = None

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
                self._set_status(
                    entity, self.tr("离线 自 %1").replace("%1", _clock(state.offline_since))
                )
            elif state is not None and state.last_success is not None:
                self._set_status(
                    entity, self.tr("已同步 %1").replace("%1", _clock(state.last_success))
                )
            else:
                self._set_status(entity, self.tr("未同步"))

    def _set_status(self, entity: str, text: str, tooltip: str = "") -> None:
        label = self.status_labels.get(entity)
        if label is not None:
            title = ENTITY_TITLES.get(entity)
            name = QCoreApplication.translate("tabs", title) if title else entity
            label.setText(f"{name} {text}")
            label.setToolTip(tooltip)

    def status_text(self, entity: str) -> str:
        return self.status_labels[entity].text()

    def on_sync_started(self, entity: str) -> None:
        self._set_status(entity, self.tr("同步中…"))

    def on_sync_progress(self, entity: str, done: int, total: int) -> None:
        self._set_status(
            entity,
            (
                self.tr("同步中 %1/%2").replace("%1", str(done)).replace("%2", str(total))
                if total
                else self.tr("同步中 %1").replace("%1", str(done))
            ),
        )

    def on_sync_finished(self, event: SyncFinished) -> None:
        self._set_status(
            event.entity,
            self.tr("已同步 %1").replace("%1", _clock(event.at)),
            self.tr("新增 %1，更新 %2，删除 %3，用时 %4 秒")
            .replace("%1", str(event.inserted))
            .replace("%2", str(event.updated))
            .replace("%3", str(event.deleted))
            .replace("%4", f"{event.duration_s:.1f}"),
        )
        self.events.changed.emit(event.entity)

    def on_sync_failed(self, event: SyncFailed) -> None:
        if event.offline:
            since = None
            if self.service is not None:
                since = self.service.state(event.entity).offline_since
            self._set_status(
                event.entity,
                self.tr("离线 自 %1").replace("%1", _clock(since or event.at)),
                event.message_zh,
            )
        else:
            self._set_status(event.entity, self.tr("同步失败"), event.message_zh)

    def on_busy_changed(self, busy: bool) -> None:
        # Shown only once a task has run for TaskRunner.busy_delay_ms (~0.5 s).
        self.busy_bar.setVisible(busy)
        if busy:
            self.statusBar().showMessage(self.tr("正在处理…"))
        else:
            self.statusBar().clearMessage()

    def show_message(self, text: str) -> None:
        """A lasting message in the status bar (e.g. "not configured")."""
        self.statusBar().showMessage(text)

    # -- menus -----------------------------------------------------------------------------
    def _action(
        self, text: str, shortcut: str | QKeySequence.StandardKey | None, slot: Any
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_menus(self, can_sync: bool) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("文件(&F)"))
        self.export_action = self._action(self.tr("导出当前视图(&E)…"), "Ctrl+E", self.on_export)
        self.print_action = self._action(self.tr("打印当前视图(&P)…"), "Ctrl+P", self.on_print)
        self.settings_action = self._action(
            self.tr("设置(&S)…"), QKeySequence.StandardKey.Preferences, self.on_settings
        )
        if self.settings_action.shortcut().isEmpty():
            self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.quit_action = self._action(self.tr("退出(&Q)"), "Ctrl+Q", self.close)
        for action in (self.export_action, self.print_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        view_menu = bar.addMenu(self.tr("查看(&V)"))
        self.find_action = self._action(self.tr("查找(&F)"), "Ctrl+F", self.on_find)
        view_menu.addAction(self.find_action)
        self.tab_actions: list[QAction] = []
        for index, spec in enumerate(self.tab_specs):
            action = self._action(
                QCoreApplication.translate("tabs", spec.title),
                f"Ctrl+{index + 1}",
                lambda _checked=False, i=index: self.tab_widget.setCurrentIndex(i),
            )
            self.tab_actions.append(action)
            view_menu.addAction(action)

        sync_menu = bar.addMenu(self.tr("同步(&Y)"))
        self.sync_action = self._action(self.tr("立即同步"), "F5", self.on_sync_requested)
        self.sync_action.setEnabled(can_sync)
        self.health_action = self._action(
            self.tr("同步状态(&H)…"), "Ctrl+Shift+H", self.on_show_health
        )
        sync_menu.addAction(self.sync_action)
        sync_menu.addAction(self.health_action)

    def current_tab(self) -> QWidget:
        return self.tabs[self.current_tab_key()]

    def on_find(self) -> None:
        finder = getattr(self.current_tab(), "search_widget", None)
        widget = finder() if finder is not None else None
        if widget is not None:
            widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
            if isinstance(widget, QLineEdit):
                widget.selectAll()

    def show_bill(self, pay_no: str) -> None:
        bills = self.tabs.get("bills")
        if bills is None:
            return
        self.tab_widget.setCurrentWidget(bills)
        bills.show_bill(pay_no)  # type: ignore[attr-defined]

    def health_snapshot(self) -> list[HealthRow]:
        """Runs on a worker thread: the scheduler's job store takes a lock."""
        if self.service is None:
            return []
        states = self.service.states()
        scheduler = self.scheduler
        next_runs = {
            s.entity: scheduler.next_run(s.entity) if scheduler is not None else None
            for s in states
        }
        titles = {e: QCoreApplication.translate("tabs", t) for e, t in ENTITY_TITLES.items()}
        return health_rows(states, next_runs, titles)

    def on_show_health(self) -> None:
        if self.health_dialog is None:
            self.health_dialog = SyncHealthDialog(self.runner, self.health_snapshot, self)
        self.health_dialog.show()
        self.health_dialog.raise_()
        self.health_dialog.reload()

    def on_export(self) -> None:
        pass

    def on_print(self) -> None:
        pass

    def on_settings(self) -> None:
        pass

    # -- actions ---------------------------------------------------------------------------
    def on_sync_requested(self) -> None:
        scheduler = self.scheduler
        if scheduler is None:
            return
        # Rescheduling APScheduler jobs takes its lock; keep even that off the GUI thread.
        self.runner.run(
            scheduler.sync_now,
            on_failure=lambda exc: self.show_message(
                self.tr("无法开始同步：%1").replace("%1", str(exc))
            ),
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
