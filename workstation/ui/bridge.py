"""The one adapter between the Qt-free sync core and the GUI: bus events become Qt signals."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal, Slot

from workstation.sync.events import (
    EventBus,
    SyncEvent,
    SyncFailed,
    SyncFinished,
    SyncProgress,
    SyncStarted,
)

__all__ = ["SyncBridge"]


class SyncBridge(QObject):
    """Subscribes to an :class:`EventBus` and re-emits its events on the GUI thread.

    Bus listeners run on the publishing (worker) thread. The listener only emits a private
    signal; its queued connection to a slot of this object (which lives on the GUI thread)
    hops the event over, so the public signals always fire on the GUI thread."""

    sync_started = Signal(str)
    sync_progress = Signal(str, int, int)  # entity, done, total (0 when unknown)
    sync_finished = Signal(object)  # SyncFinished
    sync_failed = Signal(object)  # SyncFailed

    _event_posted = Signal(object)

    def __init__(self, bus: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._event_posted.connect(self._on_event_posted, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe = bus.subscribe(self._event_posted.emit)

    def close(self) -> None:
        """Stop listening; call before the bridge is destroyed so no worker emits into it."""
        self._unsubscribe()

    @Slot(object)
    def _on_event_posted(self, event: SyncEvent) -> None:
        if isinstance(event, SyncStarted):
            self.sync_started.emit(event.entity)
        elif isinstance(event, SyncProgress):
            self.sync_progress.emit(event.entity, event.done, event.total or 0)
        elif isinstance(event, SyncFinished):
            self.sync_finished.emit(event)
        elif isinstance(event, SyncFailed):
            self.sync_failed.emit(event)
