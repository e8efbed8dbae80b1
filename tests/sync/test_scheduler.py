"""The APScheduler wrapper: background jobs per entity, sync now, no overlap, offline backoff."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from workstation.alipay.gateway import AlipayGateway, GatewayConfig
from workstation.config import SyncIntervals
from workstation.db.engine import Database
from workstation.sandbox.server import SandboxServer
from workstation.sandbox.testing import running_sandbox
from workstation.sync.events import SyncEvent, SyncFailed, SyncFinished, SyncStarted
from workstation.sync.scheduler import SyncScheduler
from workstation.sync.service import ENTITIES, SyncService

SLOW = SyncIntervals(
    bills=3600, org=3600, institutions=3600, quotas=3600, vouchers=3600, enterprise=3600
)


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    with running_sandbox(tmp_path, employees=15, bills=200) as server:
        yield server


def wait_for(predicate: object, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.02)
    raise AssertionError("condition not reached in time")


def test_jobs_run_in_the_background_in_dependency_order_and_on_demand(
    sandbox: SandboxServer, database: Database
) -> None:
    gateway = AlipayGateway(GatewayConfig.from_mapping(sandbox.config))
    service = SyncService(database, gateway, sandbox.config["enterprise_id"], backfill_days=91)
    events: list[SyncEvent] = []
    threads: set[str] = set()

    def record(event: SyncEvent) -> None:
        threads.add(threading.current_thread().name)
        events.append(event)

    service.bus.subscribe(record)
    scheduler = SyncScheduler(service, SLOW)
    scheduler.start()
    try:
        wait_for(lambda: sum(isinstance(e, SyncFinished) for e in events) == len(ENTITIES))
        started = [e.entity for e in events if isinstance(e, SyncStarted)]
        assert started == list(ENTITIES)  # staggered first pass: org before bills
        assert threading.main_thread().name not in threads  # never on the calling thread

        # Nothing is due for an hour; "sync now" runs every job again right away.
        assert all(
            scheduler.next_run(e) > dt.datetime.now(dt.UTC) + dt.timedelta(minutes=50)  # type: ignore[operator]
            for e in ENTITIES
        )
        events.clear()
        scheduler.sync_now()
        wait_for(lambda: sum(isinstance(e, SyncFinished) for e in events) == len(ENTITIES))
    finally:
        scheduler.shutdown()
        gateway.close()
    assert not scheduler.running


def test_jobs_never_overlap_and_missed_runs_coalesce(
    sandbox: SandboxServer, database: Database
) -> None:
    gateway = AlipayGateway(GatewayConfig.from_mapping(sandbox.config))
    service = SyncService(database, gateway, sandbox.config["enterprise_id"], backfill_days=91)
    scheduler = SyncScheduler(service, SLOW)
    scheduler.start()
    try:
        for job in scheduler._scheduler.get_jobs():
            assert job.max_instances == 1
            assert job.coalesce is True
            assert job.misfire_grace_time is None  # late after sleep → still run, once
    finally:
        scheduler.shutdown()
        gateway.close()


def test_an_offline_job_backs_off(tmp_path: Path, database: Database) -> None:
    with running_sandbox(tmp_path, employees=5, bills=10) as server:
        config = GatewayConfig.from_mapping(
            server.config, max_attempts=1, connect_timeout=0.5, timeout=0.5
        )
    gateway = AlipayGateway(config)  # pointing at a port nobody listens on any more
    service = SyncService(database, gateway, server.config["enterprise_id"])
    failures: list[SyncFailed] = []
    service.bus.subscribe(lambda e: failures.append(e) if isinstance(e, SyncFailed) else None)
    scheduler = SyncScheduler(service, SyncIntervals(bills=600))
    scheduler.start()
    try:
        wait_for(lambda: any(f.entity == "bills" for f in failures))
        bills = next(f for f in failures if f.entity == "bills")
        assert bills.offline
        wait_for(lambda: not service.state("bills").running)
        # Rescheduled after a short backoff (first failure: ~15 s), not the 10-minute interval.
        delay = (scheduler.next_run("bills") - dt.datetime.now(dt.UTC)).total_seconds()  # type: ignore[operator]
        assert 5 < delay < 25, delay
        assert service.offline_since is not None
    finally:
        scheduler.shutdown()
        gateway.close()


def test_shutdown_during_a_sync_cancels_it_cleanly(
    sandbox: SandboxServer, database: Database
) -> None:
    gateway = AlipayGateway(GatewayConfig.from_mapping(sandbox.config))
    service = SyncService(database, gateway, sandbox.config["enterprise_id"], backfill_days=91)
    events: list[SyncEvent] = []
    service.bus.subscribe(events.append)
    sandbox.faults.update(latency=0.02)
    scheduler = SyncScheduler(service, SLOW)
    scheduler.start()
    try:
        wait_for(lambda: any(isinstance(e, SyncStarted) and e.entity == "bills" for e in events))
    finally:
        scheduler.shutdown(wait=True)  # returns once the job stopped at a checkpoint
        gateway.close()
    assert service.cancelled and not service.state("bills").running
    assert not any(isinstance(e, SyncFailed) for e in events)
    assert not any(isinstance(e, SyncFinished) and e.entity == "bills" for e in events)
