"""What every tab is built from: the cache, the action runner, the gateway and a change hub."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Signal

from workstation.config import Settings
from workstation.db.engine import Database
from workstation.errors import WorkstationError
from workstation.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from workstation.alipay.gateway import AlipayGateway

__all__ = ["CacheEvents", "NotConfiguredError", "TabContext"]


class CacheEvents(QObject):
    """The window-wide hub that says "the cache of this entity changed".

    ``changed`` carries an entity key (``enterprise``, ``org``, ``institutions``, ``quotas``,
    ``bills``, ``vouchers``, ``notifications``). The main window emits it after each sync and
    each applied notification; a clerk action emits it after it wrote the cache. Tabs listen and
    refresh what they show. Always emitted on the GUI thread."""

    changed = Signal(str)


class NotConfiguredError(WorkstationError):
    def __init__(self) -> None:
        super().__init__(
            "尚未配置支付宝应用，请在“设置”中填写应用ID和密钥",
            "no Alipay app is configured yet: fill in the app id and keys under Settings",
        )


@dataclass
class TabContext:
    database: Database
    runner: TaskRunner
    qsettings: QSettings
    settings: Settings = field(default_factory=Settings)
    events: CacheEvents = field(default_factory=CacheEvents)
    gateway: AlipayGateway | None = None
    enterprise_id: str = ""

    @property
    def online_actions(self) -> bool:
        """Whether actions that call Alipay can run (a gateway is configured)."""
        return self.gateway is not None

    def require_gateway(self) -> AlipayGateway:
        if self.gateway is None:
            raise NotConfiguredError()
        return self.gateway
