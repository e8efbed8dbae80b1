"""Sync against the real sandbox over real HTTP with real RSA2 signatures."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sandbox_truth import (
    assert_bills_mirrored,
    assert_institutions_mirrored,
    assert_org_mirrored,
    assert_quotas_mirrored,
    assert_vouchers_mirrored,
    cache_bills,
    sandbox_bills,
)
from sqlalchemy import select

from workstation.alipay.gateway import AlipayGateway, GatewayConfig
from workstation.bills.models import Bill
from workstation.db.engine import Database
from workstation.enterprise.models import Enterprise
from workstation.institutions.models import InstitutionMember
from workstation.org.models import Employee, EmployeeStatus
from workstation.quotas.models import Quota, QuotaStatus
from workstation.sandbox.server import SandboxServer
from workstation.sandbox.testing import running_sandbox
from workstation.sync.events import SyncEvent, SyncFailed, SyncFinished, SyncProgress
from workstation.sync.models import SyncCursor
from workstation.sync.service import ENTITIES, SyncService


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    with running_sandbox(tmp_path, employees=30, bills=900) as server:
        yield server


def make_gateway(server: SandboxServer, **overrides: object) -> AlipayGateway:
    config = GatewayConfig.from_mapping(
        server.config,
        timeout=2,
        connect_timeout=1,
        backoff_base=0.01,
        backoff_max=0.05,
        **overrides,
    )
    return AlipayGateway(config)


@pytest.fixture
def service(sandbox: SandboxServer, database: Database) -> Iterator[SyncService]:
    gateway = make_gateway(sandbox)
    # One day more than the sandbox's 90 days of history, so its oldest bills never race the
    # backfill window's start.
    yield SyncService(database, gateway, sandbox.config["enterprise_id"], backfill_days=91)
    gateway.close()


def assert_everything_mirrored(server: SandboxServer, db: Database) -> None:
    assert_org_mirrored(server, db)
    assert_institutions_mirrored(server, db)
    assert_quotas_mirrored(server, db)
    assert_bills_mirrored(server, db)
    assert_vouchers_mirrored(server, db)


def test_full_sync_mirrors_the_sandbox_exactly(
    sandbox: SandboxServer, database: Database, service: SyncService
) -> None:
    events: list[SyncEvent] = []
    service.bus.subscribe(events.append)
    results = service.run_all()
    assert [type(r) for r in results] == [SyncFinished] * len(ENTITIES), results
    assert_everything_mirrored(sandbox, database)
    with database.read_session() as s:
        enterprise = s.scalars(select(Enterprise)).one()
    assert enterprise.enterprise_id == sandbox.config["enterprise_id"]
    bills = next(r for r in results if r.entity == "bills")
    assert isinstance(bills, SyncFinished) and bills.inserted == len(cache_bills(database))
    progress = [e for e in events if isinstance(e, SyncProgress) and e.entity == "bills"]
    assert progress[-1].done == progress[-1].total == 91  # one 24-hour window per day

    # A second run finds nothing new and rewrites nothing.
    again = service.run_all()
    assert all(isinstance(r, SyncFinished) for r in again)
    assert (
        sum(r.inserted + r.updated + r.deleted for r in again if isinstance(r, SyncFinished)) == 0
    )


def test_incremental_sync_picks_up_new_bills_refunds_and_org_changes(
    sandbox: SandboxServer, database: Database, service: SyncService
) -> None:
    service.run_all()
    with database.read_session() as s:
        cursor_before = s.get(SyncCursor, "bills").cursor  # type: ignore[union-attr]
        old_bill = s.scalars(
            select(Bill)
            .where(Bill.consume_type == "CONSUME", Bill.refund_amount == 0)
            .order_by(Bill.trade_time)
        ).first()
    assert old_bill is not None

    new = [sandbox.emit_bill() for _ in range(25)]
    refund = sandbox.refund_bill(old_bill.pay_no)  # an old bill, far behind the cursor
    assert refund is not None
    gateway = service.gateway
    added = gateway.add_employee("新同事", mobile="13900001111", department_ids=())
    leaving = sorted(_cache_employee_ids(database))[0]
    gateway.delete_employee(leaving)
    # A quota spent to zero, and a member removed from an institution.
    with database.read_session() as s:
        quota = s.scalars(
            select(Quota).where(Quota.available_amount > 0).order_by(Quota.quota_id)
        ).first()
        member = s.scalars(
            select(InstitutionMember)
            .where(
                InstitutionMember.employee_id.is_not(None), InstitutionMember.employee_id != leaving
            )
            .order_by(InstitutionMember.id)
        ).first()
    assert quota is not None and member is not None
    # The new bills may have spent part of it already: deduct what Alipay says is left.
    (live,) = gateway.query_quotas(quota_ids=[quota.quota_id]).items
    gateway.modify_quota(quota.quota_id, "DEDUCT", live.available, "test-spend-all")
    gateway.modify_institution_scope(member.institution_id, remove=[member.employee_id])  # type: ignore[list-item]

    results = {r.entity: r for r in service.run_all()}
    bills = results["bills"]
    assert isinstance(bills, SyncFinished)
    assert bills.inserted == len(new) + 1  # 25 new bills and the refund bill
    assert bills.updated >= 1  # the refunded original
    org = results["org"]
    assert isinstance(org, SyncFinished) and org.inserted == 1 and org.deleted == 1
    assert_everything_mirrored(sandbox, database)

    with database.read_session() as s:
        assert s.get(SyncCursor, "bills").cursor > cursor_before  # type: ignore[operator, union-attr]
        original = s.scalars(select(Bill).where(Bill.pay_no == old_bill.pay_no)).one()
        assert original.status.value == "refunded"
        spent = s.scalars(select(Quota).where(Quota.quota_id == quota.quota_id)).one()
        assert spent.status is QuotaStatus.EXHAUSTED and spent.available_amount == 0
        assert not s.scalars(
            select(InstitutionMember).where(
                InstitutionMember.institution_id == member.institution_id,
                InstitutionMember.employee_id == member.employee_id,
            )
        ).all()
        gone = s.scalars(select(Employee).where(Employee.employee_id == leaving)).one()
        assert gone.deleted and gone.status is EmployeeStatus.DELETED
        assert s.scalars(select(Employee).where(Employee.employee_id == added.employee_id)).one()


def _cache_employee_ids(db: Database) -> set[str]:
    with db.read_session() as s:
        return set(s.scalars(select(Employee.employee_id).where(Employee.deleted.is_(False))))


def test_faults_are_survived(sandbox: SandboxServer, database: Database) -> None:
    # Eight failures in a row (dropped connections, HTTP 500s, Alipay system errors) on the bill
    # query: the gateway retries through all of them and the sync still mirrors the sandbox.
    sandbox.faults.update(
        timeout_next=2,
        timeout_mode="drop",
        timeout_seconds=0,
        http_500_next=3,
        system_error_next=3,
        methods=["alipay.commerce.ec.consume.detail.batchquery"],
    )
    gateway = make_gateway(sandbox, max_attempts=10)
    service = SyncService(database, gateway, sandbox.config["enterprise_id"], backfill_days=91)
    results = service.run_all()
    gateway.close()
    assert sandbox.faults.snapshot()["system_error_next"] == 0  # every fault was really hit
    assert all(isinstance(r, SyncFinished) for r in results), results
    assert_everything_mirrored(sandbox, database)


def test_offline_backs_off_keeps_the_cache_and_recovers(tmp_path: Path, database: Database) -> None:
    data_dir = tmp_path / "sb"
    with running_sandbox(tmp_path, data_dir=data_dir, employees=20, bills=300) as first:
        config = dict(first.config)
        port = first.port
        gateway = make_gateway(first)
        service = SyncService(database, gateway, config["enterprise_id"], backfill_days=91)
        service.run_all()
        with database.read_session() as s:
            cursor = s.get(SyncCursor, "bills").cursor  # type: ignore[union-attr]
            count = len(s.scalars(select(Bill.pay_no)).all())

    # The gateway is gone: the job fails as "offline", the cursor does not move, the cache
    # stays fully readable.
    failed = service.run("bills")
    assert isinstance(failed, SyncFailed) and failed.offline
    state = service.state("bills")
    assert state.offline_since is not None and state.failures == 1
    assert service.offline_since is not None
    with database.read_session() as s:
        assert s.get(SyncCursor, "bills").cursor == cursor  # type: ignore[union-attr]
        assert len(s.scalars(select(Bill.pay_no)).all()) == count
        assert s.get(SyncCursor, "bills").last_error  # type: ignore[union-attr]

    with running_sandbox(tmp_path, data_dir=data_dir, port=port) as second:
        second.emit_bill()
        recovered = service.run("bills")
        assert isinstance(recovered, SyncFinished) and recovered.inserted == 1
        assert service.state("bills").offline_since is None
        assert_bills_mirrored(second, database)
    gateway.close()


def test_a_business_error_in_one_entity_does_not_stop_the_others(
    sandbox: SandboxServer, database: Database, service: SyncService
) -> None:
    sandbox.faults.update(
        business_error_next=1,
        business_sub_code="QUOTA_QUERY_FORBIDDEN",
        methods=["alipay.ebpp.invoice.expensecontrol.quota.query"],
    )
    results = {r.entity: r for r in service.run_all()}
    quotas = results["quotas"]
    assert isinstance(quotas, SyncFailed)
    assert not quotas.offline and quotas.sub_code == "QUOTA_QUERY_FORBIDDEN"
    assert all(isinstance(r, SyncFinished) for e, r in results.items() if e != "quotas")
    assert_bills_mirrored(sandbox, database)
    assert service.state("quotas").sub_code == "QUOTA_QUERY_FORBIDDEN"


def test_full_resync_rereads_the_whole_history(
    sandbox: SandboxServer, database: Database, service: SyncService
) -> None:
    service.run_all()
    with database.session() as s:  # damage the cache behind the cursor's back
        for bill in s.scalars(select(Bill).limit(10)):
            bill.merchant_name = "被改坏的商户"
    assert isinstance(service.run("bills"), SyncFinished)
    assert any(b["merchant_name"] == "被改坏的商户" for b in cache_bills(database).values())
    result = service.run("bills", full=True)
    assert isinstance(result, SyncFinished) and result.updated == 10
    assert_bills_mirrored(sandbox, database)


def test_an_entity_never_runs_twice_at_once(service: SyncService) -> None:
    lock = service._locks["bills"]  # what the scheduler's max_instances=1 relies on too
    with lock:
        assert service.run("bills") is None


def test_first_run_backfills_the_configured_history(
    sandbox: SandboxServer, database: Database
) -> None:
    gateway = make_gateway(sandbox)
    service = SyncService(database, gateway, sandbox.config["enterprise_id"], backfill_days=10)
    service.run("bills")
    gateway.close()
    with database.read_session() as s:
        modified = list(s.scalars(select(Bill.gmt_modified)))
    everything = sandbox_bills(sandbox)
    # The window walks Alipay's modification time: only the last 10 days (and the 2-minute
    # overlap) were read, far fewer than the sandbox's 90 days.
    assert modified and min(m for m in modified if m) >= max(
        m for m in modified if m
    ) - dt.timedelta(days=10, minutes=5)
    assert 0 < len(modified) < len(everything) / 3


def test_cancel_stops_a_running_sync_between_commits_and_nothing_is_lost(
    sandbox: SandboxServer, database: Database, service: SyncService
) -> None:
    service.run_all(["enterprise", "org", "institutions"])
    sandbox.faults.update(latency=0.02)  # slow enough to cancel in the middle
    events: list[SyncEvent] = []
    service.bus.subscribe(events.append)
    results: list[object] = []
    worker = threading.Thread(target=lambda: results.append(service.run("bills")))
    worker.start()
    deadline = time.monotonic() + 30
    while not any(isinstance(e, SyncProgress) and e.done >= 3 for e in events):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    service.cancel()
    worker.join(timeout=30)
    assert not worker.is_alive()
    assert results == [None]  # cancelled: neither finished nor failed
    assert not any(isinstance(e, SyncFinished | SyncFailed) for e in events)
    assert service.run("bills") is None  # a cancelled service starts nothing new
    assert not service.state("bills").running

    # Every window it committed came with its cursor; a new service resumes and completes.
    with database.read_session() as s:
        cursor = s.get(SyncCursor, "bills").cursor  # type: ignore[union-attr]
    assert cursor is not None
    sandbox.faults.update(latency=0)
    gateway = make_gateway(sandbox)
    fresh = SyncService(database, gateway, sandbox.config["enterprise_id"], backfill_days=91)
    assert isinstance(fresh.run("bills"), SyncFinished)
    gateway.close()
    assert_bills_mirrored(sandbox, database)
