"""The composition root: builds settings, database, gateway, sync and the window, then runs Qt."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from workstation.bootstrap import gateway_from_settings, open_database
from workstation.config import AppPaths, Settings, SettingsStore
from workstation.errors import WorkstationError
from workstation.secret_store import SecretStore
from workstation.sync.events import EventBus
from workstation.ui.bridge import SyncBridge
from workstation.ui.context import CacheEvents
from workstation.ui.i18n import install_language
from workstation.ui.main_window import APPLICATION, ORGANIZATION, MainWindow
from workstation.ui.notification_bridge import NotificationBridge
from workstation.ui.theme import apply_theme

if TYPE_CHECKING:
    # Loaded only when used: the demo's sandbox and relay servers (aiohttp) and the relay
    # client (websockets) are not needed to open the window on a clerk's own cache.
    from workstation.alipay.gateway import AlipayGateway
    from workstation.demo import DemoSession
    from workstation.notifications.client import RelayClient
    from workstation.sync.scheduler import SyncScheduler
    from workstation.sync.service import SyncService

__all__ = ["create_application", "main"]

log = logging.getLogger(__name__)

# Preferred UI fonts with full Chinese coverage, per platform; the first one installed wins.
_CJK_FAMILIES = (
    "Microsoft YaHei UI",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
)


def create_application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    families = set(QFontDatabase.families())
    for family in _CJK_FAMILIES:
        if family in families:
            font = QFont(family)
            font.setPointSize(max(app.font().pointSize(), 10))
            app.setFont(font)
            break
    return app


def main(
    args: argparse.Namespace,
    *,
    run_loop: Callable[[QApplication, MainWindow], int] | None = None,
) -> int:
    """Build everything, show the window and run the event loop (``run_loop`` lets tests drive
    the shown window instead of entering ``exec``), then shut down."""
    app = create_application()
    paths = AppPaths.default()
    session: DemoSession | None = None
    gateway: AlipayGateway | None = None
    service: SyncService | None = None
    scheduler: SyncScheduler | None = None
    message = ""
    enterprise_id = ""
    store = SettingsStore(paths, SecretStore(paths.secrets_dir))
    relay_url, relay_token = "", ""
    if getattr(args, "demo", False):
        # The demo uses its own sandbox and relay, but the clerk's language, theme and notice
        # preferences still apply.
        try:
            saved = store.load()
        except WorkstationError:
            saved = Settings()
        settings = Settings(
            language=saved.language,
            theme=saved.theme,
            notice_bill_amount=saved.notice_bill_amount,
            notice_quota_exhausted=saved.notice_quota_exhausted,
        )
        from workstation.demo import start_demo

        session = start_demo(paths)
        if session.relay is not None:
            relay_url, relay_token = session.relay.ws_url, session.relay_token
        database = session.database
        service, scheduler = session.service, session.scheduler
        gateway, enterprise_id = session.gateway, session.enterprise_id
        bus = session.bus
        message = f"演示模式：本地沙箱 {session.sandbox.url}"
    else:
        settings = store.load()
        relay_url, relay_token = settings.relay_url, settings.relay_token
        database = open_database(getattr(args, "database_url", None), paths)
        bus = EventBus()
        try:
            gateway, enterprise_id = gateway_from_settings(paths)
        except WorkstationError as exc:
            # Without an Alipay app the cache is still worth browsing.
            message = exc.message_zh
        else:
            from workstation.sync.scheduler import SyncScheduler
            from workstation.sync.service import SyncService

            service = SyncService(
                database, gateway, enterprise_id, bus=bus, backfill_days=settings.backfill_days
            )
            scheduler = SyncScheduler(service, settings.sync, first_run_delay_s=2.0)
    try:
        install_language(app, settings.language)
    except WorkstationError as exc:
        message = exc.message_zh
    apply_theme(app, settings.theme)
    bridge = SyncBridge(bus)
    notices = NotificationBridge(
        CacheEvents(),
        notice_bill_amount=settings.notice_bill_amount,
        notice_quota_exhausted=settings.notice_quota_exhausted,
    )
    relay_client: RelayClient | None = None
    window: MainWindow | None = None
    try:
        window = MainWindow(
            database,
            service=service,
            scheduler=scheduler,
            bridge=bridge,
            settings=settings,
            gateway=gateway,
            enterprise_id=enterprise_id,
            notifications=notices,
            settings_store=store,
        )
        if message:
            window.show_message(message)
        window.show()
        if scheduler is not None:
            scheduler.start()
        if gateway is not None and relay_url and relay_token:
            # Live notifications: a background thread; events reach the GUI through the bridge.
            from workstation.notifications.client import RelayClient

            relay_client = RelayClient(
                database, gateway, relay_url, relay_token, on_event=notices.post
            )
            relay_client.start()
        return run_loop(app, window) if run_loop is not None else int(app.exec())
    finally:
        if relay_client is not None:
            relay_client.stop()
        bridge.close()
        if window is not None:
            # Destroy the widgets now, not during interpreter finalisation.
            window.deleteLater()
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        # A running sync is cancelled and stops after at most one request; what it committed
        # stays (rows and cursor together), and the next start resumes from there.
        if session is not None:
            session.stop(wait=True)
        else:
            if scheduler is not None:
                scheduler.shutdown(wait=True)
            if gateway is not None:
                gateway.close()
            database.dispose()
