"""The main window: the tabs from the registry, a per-entity sync status bar, and F5."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QCoreApplication, QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workstation.config import Settings, SettingsStore
from workstation.db.engine import Database
from workstation.errors import WorkstationError
from workstation.sync.events import ENTITY_NAMES, SyncFailed, SyncFinished
from workstation.ui.bridge import SyncBridge
from workstation.ui.context import CacheEvents, TabContext
from workstation.ui.i18n import install_language
from workstation.ui.marks import QT_TRANSLATE_NOOP
from workstation.ui.notification_bridge import NotificationBridge
from workstation.ui.tabs import TABS, TabSpec
from workstation.ui.tasks import TaskRunner
from workstation.ui.theme import apply_theme
from workstation.ui.view_tools import install_view_tools

if TYPE_CHECKING:
    # Dialogs, printing and the health panel are loaded when first used (start-up time).
    from workstation.alipay.gateway import AlipayGateway
    from workstation.sync.scheduler import SyncScheduler
    from workstation.sync.service import EntityState, SyncService
    from workstation.ui.sync_health import HealthRow, SyncHealthDialog

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


class _TabSlot(QWidget):
    """A tab's place in the tab widget; the tab itself is built the first time it is shown,
    so start-up builds (and reads the cache for) only the tab the clerk sees."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.tab: QWidget | None = None

    def put(self, tab: QWidget) -> QWidget | None:
        """Show ``tab`` here; returns the tab it replaces (the caller deletes it)."""
        old, self.tab = self.tab, tab
        if old is not None:
            self._layout.removeWidget(old)
            old.hide()
        self._layout.addWidget(tab)
        self.setFocusProxy(tab)
        return old


class _Tabs(Mapping[str, QWidget]):
    """``window.tabs[key]``: the tab, built on first use."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window

    def __getitem__(self, key: str) -> QWidget:
        return self._window.tab(key)

    def __iter__(self) -> Iterator[str]:
        return (spec.key for spec in self._window.tab_specs)

    def __len__(self) -> int:
        return len(self._window.tab_specs)


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
        notifications: NotificationBridge | None = None,
        settings_store: SettingsStore | None = None,
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
        self.events = notifications.events if notifications is not None else CacheEvents(self)
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

        self.settings_store = settings_store
        self.tab_widget = QTabWidget(self)
        self.tab_widget.setDocumentMode(True)
        self.tab_specs = tabs
        self.tabs: Mapping[str, QWidget] = _Tabs(self)
        self._slots: dict[str, _TabSlot] = {}
        for spec in tabs:
            slot = _TabSlot(self.tab_widget)
            slot.setObjectName(f"{spec.key}_slot")
            self._slots[spec.key] = slot
            self.tab_widget.addTab(slot, "")
        self._title_tabs()
        self.setCentralWidget(self.tab_widget)

        self._menu_actions: list[QAction] = []
        self._build_menus(scheduler is not None)
        # LanguageChange arrives once per translator removed or installed: rebuild once.
        self._retranslate_timer = QTimer(self)
        self._retranslate_timer.setSingleShot(True)
        self._retranslate_timer.setInterval(0)
        self._retranslate_timer.timeout.connect(self.retranslate)

        self.status_labels: dict[str, QLabel] = {}
        for entity in ENTITY_NAMES:
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
        self.relay_label = QLabel(self)
        self.relay_label.setObjectName("relay_status")
        self.relay_label.setContentsMargins(8, 0, 8, 0)
        self.statusBar().addPermanentWidget(self.relay_label)
        if notifications is not None:
            self.on_relay_status(notifications.status_text, True)
            notifications.status_changed.connect(self.on_relay_status)
            notifications.notice_shown.connect(self.on_notice)
        else:
            self.relay_label.hide()
        self.health_dialog: SyncHealthDialog | None = None

        if bridge is not None:
            bridge.sync_started.connect(self.on_sync_started)
            bridge.sync_progress.connect(self.on_sync_progress)
            bridge.sync_finished.connect(self.on_sync_finished)
            bridge.sync_failed.connect(self.on_sync_failed)
        self._restore_state()
        self.tab_widget.currentChanged.connect(self._on_current_changed)
        self._on_current_changed(self.tab_widget.currentIndex())

    # -- status bar ------------------------------------------------------------------------
    def _show_initial_states(self) -> None:
        states: list[EntityState] = self.service.states() if self.service else []
        by_entity = {s.entity: s for s in states}
        for entity in ENTITY_NAMES:
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

    def on_relay_status(self, text: str, ok: bool) -> None:
        self.relay_label.setText(text)
        self.relay_label.setStyleSheet("" if ok else "color: #c62828;")

    def on_notice(self, title: str, message: str) -> None:
        self.statusBar().showMessage(f"{title}：{message}", 15_000)

    def show_message(self, text: str) -> None:
        """A lasting message in the status bar (e.g. "not configured")."""
        self.statusBar().showMessage(text)

    # -- tabs ------------------------------------------------------------------------------
    def tab(self, key: str) -> QWidget:
        """The tab ``key`` (built now if it has not been shown yet)."""
        slot = self._slots[key]
        if slot.tab is None:
            spec = next(s for s in self.tab_specs if s.key == key)
            slot.put(self._build_tab(spec))
        assert slot.tab is not None
        return slot.tab

    def show_tab(self, key: str) -> QWidget:
        """Make ``key`` the current tab; returns it."""
        self.tab_widget.setCurrentWidget(self._slots[key])
        return self.tab(key)

    def built_tabs(self) -> dict[str, QWidget]:
        return {key: slot.tab for key, slot in self._slots.items() if slot.tab is not None}

    def _on_current_changed(self, index: int) -> None:
        if 0 <= index < len(self.tab_specs) and not self._closed:
            self.tab(self.tab_specs[index].key)

    def _build_tab(self, spec: TabSpec) -> QWidget:
        widget = spec.factory(self.ctx)
        widget.setObjectName(f"{spec.key}_tab")
        if spec.key == "vouchers" and hasattr(widget, "bill_requested"):
            widget.bill_requested.connect(self.show_bill)
        install_view_tools(widget, self.qsettings, spec.key)
        return widget

    def _title_tabs(self) -> None:
        for index, spec in enumerate(self.tab_specs):
            self.tab_widget.setTabText(index, QCoreApplication.translate("tabs", spec.title))

    def changeEvent(self, event: QEvent) -> None:
        if (
            event.type() == QEvent.Type.LanguageChange
            and hasattr(self, "_retranslate_timer")
            and not self._closed
        ):
            self._retranslate_timer.start()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Show everything in the newly installed language: the tabs are rebuilt from their
        context (cheap: they read the cache lazily), the menus and status texts re-made."""
        for spec in self.tab_specs:
            slot = self._slots[spec.key]
            if slot.tab is not None:  # the others are built in the new language when shown
                old = slot.put(self._build_tab(spec))
                if old is not None:
                    old.deleteLater()
        self._title_tabs()
        self.setWindowTitle(self.tr("财务工作台 · 支付宝企业码"))
        self._build_menus(self.scheduler is not None)
        self._show_initial_states()
        if self.health_dialog is not None:
            self.health_dialog.close()
            self.health_dialog.deleteLater()
            self.health_dialog = None

    # -- menus -----------------------------------------------------------------------------
    def _action(
        self, text: str, shortcut: str | QKeySequence.StandardKey | None, slot: Any
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        self._menu_actions.append(action)
        return action

    def _build_menus(self, can_sync: bool) -> None:
        bar = self.menuBar()
        bar.clear()
        for old in self._menu_actions:
            self.removeAction(old)
            old.deleteLater()
        self._menu_actions = []
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
        if "bills" not in self._slots:
            return
        bills = self.show_tab("bills")
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
        from workstation.ui.sync_health import health_rows

        titles = {e: QCoreApplication.translate("tabs", t) for e, t in ENTITY_TITLES.items()}
        return health_rows(states, next_runs, titles)

    def on_show_health(self) -> None:
        if self.health_dialog is None:
            from workstation.ui.sync_health import SyncHealthDialog

            self.health_dialog = SyncHealthDialog(self.runner, self.health_snapshot, self)
        self.health_dialog.show()
        self.health_dialog.raise_()
        self.health_dialog.reload()

    def on_export(self) -> None:
        tab = self.current_tab()
        if hasattr(tab, "export_table"):
            from workstation.ui.dialogs.export_dialog import export_view

            export_view(self, self.runner, tab, qsettings=self.qsettings)
        else:
            self.show_message(self.tr("此页没有可导出的表格"))

    def on_print(self) -> None:
        tab = self.current_tab()
        printer = getattr(tab, "print_current", None)
        if printer is not None:  # a tab with its own page (付款码)
            printer()
        elif hasattr(tab, "export_table"):
            from workstation.ui.printing import print_view

            print_view(self, tab, runner=self.runner)
        else:
            self.show_message(self.tr("此页没有可打印的内容"))

    def on_settings(self) -> None:
        if self.settings_store is None:
            self.show_message(self.tr("此模式下不能修改设置"))
            return
        from workstation.ui.dialogs.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings_store, self.settings, self.runner, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.settings_saved.connect(self.on_settings_saved)
        dialog.open()

    def on_settings_saved(self, saved: Settings) -> None:
        before = self.settings
        self.settings = saved
        self.ctx.settings = saved
        app = QApplication.instance()
        if isinstance(app, QApplication):
            if saved.theme != before.theme:
                apply_theme(app, saved.theme)
            if saved.language != before.language:
                try:
                    install_language(app, saved.language)
                except WorkstationError as exc:
                    self.show_message(exc.message_zh)
        restart = (
            saved.app_id != before.app_id
            or saved.gateway_url != before.gateway_url
            or saved.alipay_public_key != before.alipay_public_key
            or saved.enterprise_id != before.enterprise_id
            or saved.relay_url != before.relay_url
            or saved.sync != before.sync
        )
        if restart:
            self.show_message(self.tr("设置已保存；支付宝、同步和中继的更改在重新启动后生效"))
        else:
            self.show_message(self.tr("设置已保存"))

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

    _closed = False

    def closeEvent(self, event: QCloseEvent) -> None:
        # A closed window is on its way out: never rebuild its tabs (a language switch while
        # it waits for deletion would read a cache that may already be gone).
        self._closed = True
        self._retranslate_timer.stop()
        self.save_state()
        self.runner.wait(5000)
        super().closeEvent(event)
