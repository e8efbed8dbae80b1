from __future__ import annotations

import datetime as dt

import pytest

from workstation.bills.sync import bill_windows
from workstation.sync.events import EventBus, SyncProgress, SyncStarted
from workstation.sync.scheduler import backoff_delay


def test_windows_cover_the_range_in_24_hour_steps() -> None:
    start = dt.datetime(2026, 8, 1, 10, 0)
    end = start + dt.timedelta(days=2, hours=5)
    windows = list(bill_windows(start, end))
    assert windows[0][0] == start and windows[-1][1] == end
    assert all(b - a <= dt.timedelta(hours=24) for a, b in windows)
    assert all(windows[i][1] == windows[i + 1][0] for i in range(len(windows) - 1))
    assert len(windows) == 3
    assert list(bill_windows(end, end)) == []


@pytest.mark.parametrize(
    ("failures", "interval", "low", "high"),
    [(1, 60, 12, 18), (2, 60, 24, 36), (3, 60, 48, 72), (10, 60, 48, 72), (10, 900, 720, 1080)],
)
def test_backoff_doubles_and_caps_at_the_interval(
    failures: int, interval: int, low: float, high: float
) -> None:
    assert backoff_delay(failures, interval, rand=lambda: 0.0) == pytest.approx(low)
    assert backoff_delay(failures, interval, rand=lambda: 1.0) == pytest.approx(high)


def test_event_bus_survives_a_failing_listener(caplog: pytest.LogCaptureFixture) -> None:
    bus = EventBus()
    seen: list[object] = []

    def broken(event: object) -> None:
        raise RuntimeError("listener bug")

    bus.subscribe(broken)
    unsubscribe = bus.subscribe(seen.append)
    bus.publish(SyncStarted("bills", False))
    unsubscribe()
    bus.publish(SyncProgress("bills", 1, 2))
    assert [type(e) for e in seen] == [SyncStarted]
    assert "listener failed" in caplog.text
