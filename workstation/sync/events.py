"""Plain-Python sync events. The UI's bridge re-emits them as Qt signals; the CLI prints them."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from workstation.db.base import utcnow

# The synced entities in dependency order (``sync.service.ENTITIES`` maps each to its job; this
# light module lets the window name them without loading the sync code).
ENTITY_NAMES: tuple[str, ...] = ("enterprise", "org", "institutions", "quotas", "bills", "vouchers")

__all__ = [
    "ENTITY_NAMES",
    "EntityCounts",
    "EventBus",
    "SyncEvent",
    "SyncFailed",
    "SyncFinished",
    "SyncProgress",
    "SyncStarted",
]

log = logging.getLogger(__name__)


@dataclass
class EntityCounts:
    inserted: int = 0
    updated: int = 0
    deleted: int = 0

    def add(self, inserted: int = 0, updated: int = 0, deleted: int = 0) -> None:
        self.inserted += inserted
        self.updated += updated
        self.deleted += deleted


@dataclass(frozen=True)
class SyncStarted:
    entity: str
    full: bool
    at: dt.datetime = field(default_factory=utcnow)


@dataclass(frozen=True)
class SyncProgress:
    entity: str
    done: int
    total: int | None
    at: dt.datetime = field(default_factory=utcnow)


@dataclass(frozen=True)
class SyncFinished:
    entity: str
    inserted: int
    updated: int
    deleted: int
    duration_s: float
    at: dt.datetime = field(default_factory=utcnow)


@dataclass(frozen=True)
class SyncFailed:
    entity: str
    message_zh: str
    message_en: str
    offline: bool  # the gateway could not be reached (as opposed to an error Alipay returned)
    sub_code: str | None = None
    retry_at: dt.datetime | None = None
    at: dt.datetime = field(default_factory=utcnow)


SyncEvent = SyncStarted | SyncProgress | SyncFinished | SyncFailed
Listener = Callable[[SyncEvent], None]


class EventBus:
    """Thread-safe fan-out. Listeners run on the publishing (worker) thread; a failing listener
    is logged and never breaks a sync."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def publish(self, event: SyncEvent) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event)
            except Exception:
                log.exception("sync event listener failed for %r", event)
