"""Relay client events → the GUI thread: live refresh, relay status, and desktop notices.

The relay client calls :meth:`NotificationBridge.post` on its own threads; a queued signal hops
each event to the GUI thread, where it refreshes the tabs (through :class:`CacheEvents`),
updates the status text, and announces large new bills and exhausted quotas in the system tray
(or, where there is no tray, the status bar)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle, QSystemTrayIcon

from workstation.money import format_money
from workstation.notifications.events import (
    ApplyDelayed,
    ClientState,
    MessagesApplied,
    NotificationEvent,
    RelayConnected,
    RelayDisconnected,
    desktop_notices,
)
from workstation.notifications.messages import BillNotice, QuotaNotice
from workstation.ui.context import CacheEvents

__all__ = ["NotificationBridge"]


class NotificationBridge(QObject):
    status_changed = Signal(str, bool)  # text for the status bar, healthy?
    notice_shown = Signal(str, str)  # title, message (also when shown in the tray)

    _posted = Signal(object)

    def __init__(
        self,
        events: CacheEvents,
        *,
        notice_bill_amount: Decimal = Decimal("5000.00"),
        notice_quota_exhausted: bool = True,
        tray: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.events = events
        self.notice_bill_amount = notice_bill_amount
        self.notice_quota_exhausted = notice_quota_exhausted
        self.status_text = self.tr("实时通知：未连接")
        self.tray: QSystemTrayIcon | None = None
        if tray and QSystemTrayIcon.isSystemTrayAvailable():
            style = QApplication.style()
            icon = (
                style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
                if style
                else QIcon()
            )
            self.tray = QSystemTrayIcon(icon, self)
            self.tray.setToolTip(self.tr("财务工作台"))
            self.tray.show()
        self._posted.connect(self._on_posted, Qt.ConnectionType.QueuedConnection)

    def post(self, event: NotificationEvent) -> None:
        """Thread-safe: called by the relay client on its threads."""
        self._posted.emit(event)

    @Slot(object)
    def _on_posted(self, event: NotificationEvent) -> None:
        if isinstance(event, RelayConnected):
            self._status(self.tr("实时通知：已连接"), True)
        elif isinstance(event, RelayDisconnected):
            if event.state is ClientState.REFUSED:
                text = self.tr("实时通知：令牌被拒绝")
            else:
                text = self.tr("实时通知：离线")
            self._status(f"{text}（{event.message_zh} / {event.message_en}）", False)
        elif isinstance(event, ApplyDelayed):
            self._status(self.tr("实时通知：处理延迟（%1）").replace("%1", event.message_zh), False)
        elif isinstance(event, MessagesApplied):
            for entity in sorted(event.entities):
                self.events.changed.emit(entity)
            for notice in desktop_notices(event, self.notice_bill_amount):
                if isinstance(notice, BillNotice):
                    self._notify(
                        self.tr("新账单"),
                        self.tr("%1 在 %2 消费 %3")
                        .replace("%1", notice.employee_name or notice.employee_id or "")
                        .replace("%2", notice.merchant_name or "")
                        .replace("%3", format_money(notice.amount)),
                    )
                elif isinstance(notice, QuotaNotice) and self.notice_quota_exhausted:
                    self._notify(
                        self.tr("额度已用完"),
                        self.tr("%1 的额度（%2）已用完，总额 %3")
                        .replace("%1", notice.employee_name or notice.employee_id)
                        .replace("%2", notice.institution_name or notice.institution_id)
                        .replace("%3", format_money(notice.total)),
                    )
            if self.status_text != self.tr("实时通知：已连接"):
                self._status(self.tr("实时通知：已连接"), True)

    def _status(self, text: str, ok: bool) -> None:
        self.status_text = text
        self.status_changed.emit(text, ok)

    def _notify(self, title: str, message: str) -> None:
        if self.tray is not None:
            self.tray.showMessage(title, message, QSystemTrayIcon.MessageIcon.Information, 8000)
        self.notice_shown.emit(title, message)
