from __future__ import annotations

import threading

from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from workstation.sync.events import EventBus, SyncFailed, SyncFinished, SyncProgress, SyncStarted
from workstation.ui.bridge import SyncBridge


def publish_from_worker(bus: EventBus, *events: object) -> None:
    def work() -> None:
        for event in events:
            bus.publish(event)  # type: ignore[arg-type]

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()


def test_events_from_a_worker_thread_arrive_on_the_gui_thread(qtbot: QtBot) -> None:
    bus = EventBus()
    bridge = SyncBridge(bus)
    seen: list[tuple[str, object, bool]] = []

    def record(name: str):
        def slot(*args: object) -> None:
            on_gui = QThread.currentThread() is bridge.thread()
            seen.append((name, args, on_gui))

        return slot

    bridge.sync_started.connect(record("started"))
    bridge.sync_progress.connect(record("progress"))
    bridge.sync_failed.connect(record("failed"))
    finished = SyncFinished("bills", 3, 1, 0, 0.5)
    failed = SyncFailed("org", "网络不可用", "offline", offline=True)
    with qtbot.waitSignal(bridge.sync_finished, timeout=5000) as blocker:
        publish_from_worker(
            bus,
            SyncStarted("bills", False),
            SyncProgress("bills", 5, None),
            SyncProgress("bills", 10, 20),
            failed,
            finished,
        )
    assert blocker.args == [finished]
    assert seen == [
        ("started", ("bills",), True),
        ("progress", ("bills", 5, 0), True),
        ("progress", ("bills", 10, 20), True),
        ("failed", (failed,), True),
    ]
    bridge.close()


def test_close_unsubscribes(qtbot: QtBot) -> None:
    bus = EventBus()
    bridge = SyncBridge(bus)
    bridge.close()
    with qtbot.assertNotEmitted(bridge.sync_started, wait=100):
        publish_from_worker(bus, SyncStarted("bills", False))
