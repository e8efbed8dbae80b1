"""Quota operations against the sandbox: idempotent issue, retries, refusals, modify, delete,
department batches and the list's filters."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any, TypeVar

import pytest
from quotas.live_company import Company
from sqlalchemy import select

from workstation.alipay.errors import AlipayError, AlipayUnavailable
from workstation.alipay.gateway import AlipayGateway
from workstation.alipay.types import QuotaAction
from workstation.errors import ValidationError
from workstation.quotas.models import IssueState, Quota, QuotaIssueAction
from workstation.quotas.service import (
    IssueRequest,
    QuotaFilter,
    QuotaService,
    QuotaSort,
    issue_actions,
    quota_page,
    quota_totals,
)
from workstation.sync.context import china_now

T = TypeVar("T")
CREATE = "alipay.ebpp.invoice.expensecontrol.quota.create"


def service(company: Company) -> QuotaService:
    return QuotaService(company.database, company.gateway, company.enterprise_id)


def request(company: Company, amount: str = "300.00", employee: int = 0) -> IssueRequest:
    now = china_now()
    return IssueRequest(
        employee_id=company.employee_ids()[employee],
        institution_id=company.institution_ids()[0],
        amount=amount,
        valid_from=now.replace(microsecond=0),
        valid_to=(now + dt.timedelta(days=30)).replace(microsecond=0),
    )


def alipay_quota_ids(company: Company, req: IssueRequest) -> set[str]:
    return {
        q.quota_id
        for q in company.gateway.iter_quotas(
            owner_id=req.employee_id, institution_id=req.institution_id, page_size=100
        )
    }


def wait_for(probe: Callable[[], T], timeout: float = 15.0) -> T:
    """Poll until ``probe`` returns something truthy (an event, not a duration, is tested)."""
    deadline = time.monotonic() + timeout
    while not (value := probe()):
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.05)
    return value


def cached_quotas(company: Company) -> list[tuple[Any, ...]]:
    with company.database.read_session() as s:
        return [tuple(r) for r in s.execute(select(Quota.__table__).order_by(Quota.id))]


def actions(company: Company) -> list[QuotaIssueAction]:
    with company.database.read_session() as s:
        return list(s.scalars(select(QuotaIssueAction).order_by(QuotaIssueAction.id)))


def test_issuing_twice_with_the_same_outer_source_id_gives_one_quota(company: Company) -> None:
    svc = service(company)
    req = request(company)
    before = alipay_quota_ids(company, req)
    key = svc.new_outer_source_id()

    first = svc.issue(req, key)
    second = svc.issue(req, key)

    assert first == second
    assert alipay_quota_ids(company, req) - before == {first.quota_id}
    assert first.total == first.available == Decimal("300.00")
    assert first.outer_source_id == key
    [action] = actions(company)
    assert (action.state, action.quota_id, action.attempts) == (IssueState.DONE, first.quota_id, 1)
    with company.database.read_session() as s:
        assert s.scalar(select(Quota.quota_id).where(Quota.outer_source_id == key)) == (
            first.quota_id
        )


def test_a_timeout_keeps_the_action_pending_and_a_retry_after_restart_issues_once(
    company: Company,
) -> None:
    # The sandbox creates the quota but answers too late: the clerk saw a failure.
    slow = AlipayGateway(replace(company.gateway.config, timeout=0.5, max_attempts=1))
    company.sandbox.faults.update(timeout_next=1, timeout_seconds=1.5, methods=[CREATE])
    req = request(company)
    before = alipay_quota_ids(company, req)
    cached_before = cached_quotas(company)
    key = QuotaService.new_outer_source_id()
    try:
        with pytest.raises(AlipayUnavailable):
            QuotaService(company.database, slow, company.enterprise_id).issue(req, key)
    finally:
        slow.close()
    [pending] = issue_actions(company.database)
    assert (pending.outer_source_id, pending.state) == (key, IssueState.PENDING)
    assert pending.error_zh and pending.error_en
    # The sandbox goes on to create the quota after the client gave up.
    created_unseen = wait_for(lambda: alipay_quota_ids(company, req) - before)
    assert len(created_unseen) == 1
    assert cached_quotas(company) == cached_before

    # "Restart": a new service finds the pending row and retries it with its own id.
    restarted = service(company)
    [again] = issue_actions(company.database)
    quota = restarted.retry(again.outer_source_id)

    assert {quota.quota_id} == created_unseen
    assert alipay_quota_ids(company, req) - before == created_unseen
    assert issue_actions(company.database) == ()
    [done] = actions(company)
    assert (done.state, done.attempts, done.error_zh) == (IssueState.DONE, 2, None)


def test_a_double_submit_from_two_threads_calls_alipay_once(company: Company) -> None:
    svc = service(company)
    req = request(company, "88.00")
    before = alipay_quota_ids(company, req)
    key = svc.new_outer_source_id()
    company.sandbox.faults.latency = 0.2  # keep the first call in flight while the second comes
    results: list[str] = []

    def submit() -> None:
        results.append(svc.issue(req, key).quota_id)

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert len(results) == 2 and results[0] == results[1]
    assert alipay_quota_ids(company, req) - before == {results[0]}
    [action] = actions(company)
    assert action.attempts == 1


def test_a_refusal_leaves_the_cache_unchanged_and_marks_the_action_failed(
    company: Company,
) -> None:
    svc = service(company)
    req = request(company, employee=3)
    # The employee left at Alipay after the last sync: the cache still lists them.
    company.gateway.delete_employee(req.employee_id)
    before = cached_quotas(company)

    with pytest.raises(AlipayError) as raised:
        svc.issue(req, svc.new_outer_source_id())

    assert raised.value.sub_code == "EMPLOYEE_NOT_EXIST"
    assert cached_quotas(company) == before
    [failed] = issue_actions(company.database)
    assert failed.state is IssueState.FAILED
    assert failed.error_zh is not None and "员工不存在" in failed.error_zh
    assert failed.error_en is not None and "EMPLOYEE_NOT_EXIST" in failed.error_en
    assert svc.dismiss([failed.outer_source_id]) == 1
    assert issue_actions(company.database) == ()


def test_an_injected_business_error_quotes_alipays_sub_msg(company: Company) -> None:
    svc = service(company)
    company.sandbox.faults.update(
        business_error_next=1,
        business_sub_code="QUOTA_LIMIT",
        business_sub_msg="本月发放次数已达上限",
        methods=[CREATE],
    )
    before = cached_quotas(company)
    with pytest.raises(AlipayError):
        svc.issue(request(company), svc.new_outer_source_id())
    assert cached_quotas(company) == before
    [failed] = issue_actions(company.database)
    assert failed.error_zh is not None and "本月发放次数已达上限" in failed.error_zh


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "abc"}, "amount"),
        ({"amount": "0"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"amount": "1.005"}, "amount"),
        ({"amount": "100000.01"}, "amount"),
        ({"amount": ""}, "amount"),
        ({"employee_id": ""}, "employee"),
        ({"employee_id": "no-such-employee"}, "employee"),
        ({"institution_id": "no-such-institution"}, "institution"),
        ({"valid_to": None}, "valid_to"),
        ({"valid_from": None}, "valid_from"),
        ({"valid_to": dt.datetime(2020, 1, 1)}, "valid_to"),
    ],
)
def test_bad_input_is_named_and_nothing_is_sent(
    company: Company, change: dict[str, Any], field: str
) -> None:
    svc = service(company)
    req = request(company)
    bad = IssueRequest(**{**req.__dict__, **change})
    before = alipay_quota_ids(company, req)
    with pytest.raises(ValidationError) as raised:
        svc.issue(bad, svc.new_outer_source_id())
    assert raised.value.field == field
    assert raised.value.message_zh and raised.value.message_en
    assert actions(company) == []
    assert alipay_quota_ids(company, req) == before


def test_modify_and_delete_write_the_cache_from_alipay(company: Company) -> None:
    svc = service(company)
    quota = svc.issue(request(company, "200.00"), svc.new_outer_source_id())

    added = svc.modify(quota.quota_id, QuotaAction.ADD, "50", svc.new_outer_source_id())
    assert (added.total, added.available) == (Decimal("250.00"), Decimal("250.00"))
    key = svc.new_outer_source_id()
    deducted = svc.modify(quota.quota_id, QuotaAction.DEDUCT, "¥30.00", key)
    assert deducted.total == Decimal("220.00")
    # The same change retried (same key) applies once.
    assert svc.modify(quota.quota_id, QuotaAction.DEDUCT, "¥30.00", key).total == Decimal("220.00")
    frozen = svc.modify(quota.quota_id, QuotaAction.DISABLE, None, svc.new_outer_source_id())
    assert frozen.status.value == "frozen"
    with pytest.raises(ValidationError) as raised:
        svc.modify(quota.quota_id, QuotaAction.DEDUCT, "1000", svc.new_outer_source_id())
    assert raised.value.field == "amount" and "¥220.00" in raised.value.message_zh

    svc.delete(quota.quota_id)
    assert all(q.quota_id != quota.quota_id for q in company.gateway.iter_quotas(page_size=200))
    assert quota_page(company.database, QuotaFilter(text=quota.quota_id), QuotaSort(), 0, 10) == ()


def test_department_batch_persists_every_action_first_and_reports_each_employee(
    company: Company,
) -> None:
    svc = service(company)
    now = china_now()
    root = company.department_ids()[0]
    institution = company.institution_ids()[1]
    preview = svc.preview_department(
        root, institution, "66.00", now, now + dt.timedelta(days=10), include_sub_departments=True
    )
    assert len(preview.lines) == len(company.employee_ids())  # the root holds everyone
    assert preview.total == Decimal("66.00") * len(preview.lines)
    assert any(line.in_scope for line in preview.lines)
    assert any(not line.in_scope for line in preview.lines)
    leaver = preview.lines[1].employee_id
    company.gateway.delete_employee(leaver)

    batch_id, keys = svc.start_batch(preview)
    assert len(keys) == len(set(keys)) == len(preview.lines)
    assert {a.state for a in issue_actions(company.database)} == {IssueState.PENDING}

    outcomes = [
        o for start in range(0, len(keys), 7) for o in svc.retry_many(keys[start : start + 7])
    ]
    by_employee = {o.employee_id: o for o in outcomes}
    assert by_employee[leaver].state is IssueState.FAILED
    assert isinstance(by_employee[leaver].error, AlipayError)
    done = [o for o in outcomes if o.state is IssueState.DONE]
    assert len(done) == len(preview.lines) - 1
    # Running the whole batch again issues nothing new.
    again = svc.retry_many(keys)
    assert {o.quota_id for o in again if o.state is IssueState.DONE} == {o.quota_id for o in done}
    issued = quota_page(
        company.database, QuotaFilter(institution_id=institution), QuotaSort(), 0, 1000
    )
    assert {q.quota_id for q in issued} >= {o.quota_id for o in done}
    [failed] = issue_actions(company.database)
    assert (failed.batch_id, failed.employee_id) == (batch_id, leaver)


def test_filters_sort_and_totals(company: Company) -> None:
    svc = service(company)
    now = china_now()
    soon = svc.issue(
        IssueRequest(
            company.employee_ids()[0],
            company.institution_ids()[0],
            "10",
            now,
            now + dt.timedelta(days=2),
        ),
        svc.new_outer_source_id(),
    )
    used_up = svc.issue(request(company, "20", employee=1), svc.new_outer_source_id())
    svc.modify(used_up.quota_id, QuotaAction.DEDUCT, "20", svc.new_outer_source_id())

    everything = quota_totals(company.database, QuotaFilter())
    rows = quota_page(company.database, QuotaFilter(), QuotaSort(), 0, 10_000)
    assert everything.count == len(rows) > 2
    assert everything.total == sum((r.total for r in rows), Decimal(0))
    assert everything.available == sum((r.available for r in rows), Decimal(0))

    expiring = quota_page(company.database, QuotaFilter(expiring_days=3), QuotaSort(), 0, 100)
    assert soon.quota_id in {q.quota_id for q in expiring}
    assert all(
        q.valid_to is not None and now <= q.valid_to <= now + dt.timedelta(days=3) for q in expiring
    )
    exhausted = quota_page(company.database, QuotaFilter(exhausted=True), QuotaSort(), 0, 100)
    assert used_up.quota_id in {q.quota_id for q in exhausted}
    assert all(q.available <= 0 for q in exhausted)

    by_available = quota_page(
        company.database, QuotaFilter(), QuotaSort("available", True), 0, 10_000
    )
    assert [q.available for q in by_available] == sorted((q.available for q in rows), reverse=True)
    by_usage = quota_page(company.database, QuotaFilter(), QuotaSort("usage"), 0, 10_000)
    ratios = [q.used / q.total if q.total else 0 for q in by_usage]
    assert ratios == sorted(ratios)
    name = rows[0].employee_name
    assert name is not None
    found = quota_page(company.database, QuotaFilter(text=name[1:]), QuotaSort(), 0, 10_000)
    assert found and all(
        name[1:]
        in (q.employee_name or "")
        + (q.institution_name or "")
        + (q.department_name or "")
        + q.quota_id
        + q.employee_id
        for q in found
    )
    pages = [
        q.quota_id
        for start in range(0, everything.count, 7)
        for q in quota_page(company.database, QuotaFilter(), QuotaSort("valid_to"), start, 7)
    ]
    assert len(pages) == len(set(pages)) == everything.count
