"""Demo orchestration without Qt: the sandbox, the cache and the scheduler start and stop."""

from __future__ import annotations

import threading
from pathlib import Path

from workstation.config import AppPaths
from workstation.demo import DEMO_INTERVALS, start_demo
from workstation.sync.events import SyncEvent, SyncFinished


def test_demo_session_syncs_in_the_background_and_stops(tmp_path: Path) -> None:
    paths = AppPaths(config_dir=tmp_path / "config", data_dir=tmp_path / "data")
    session = start_demo(paths, employees=10, bills=30, simulate=False)
    finished: set[str] = set()
    all_done = threading.Event()

    def listen(event: SyncEvent) -> None:
        if isinstance(event, SyncFinished):
            finished.add(event.entity)
            if {"enterprise", "org", "bills"} <= finished:
                all_done.set()

    try:
        assert DEMO_INTERVALS.bills == 15
        assert session.scheduler.intervals.bills == 15
        assert session.sandbox.data_dir == paths.demo_dir / "sandbox"
        assert session.enterprise_id == session.sandbox.config["enterprise_id"]
        session.bus.subscribe(listen)
        session.scheduler.start()
        assert all_done.wait(30), finished
    finally:
        session.stop()
        session.stop()  # idempotent
    assert (paths.demo_dir / "workstation.db").exists()
    assert not session.scheduler.running
