"""Handlers and the apply transaction, with real notifications from the sandbox, the real
gateway over HTTP and a real SQLite cache (no relay here: messages get their seq by hand)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from notify_helpers import World, form_message
from sqlalchemy import func, select

from workstation.alipay.errors import AlipayUnavailable
from workstation.alipay.gateway import AlipayGateway
from workstation.alipay.types import ExpenseRuleSpec, RuleCondition
from workstation.bills.models import Bill, BillStatus
from workstation.db.engine import Database
from workstation.enterprise.models import Enterprise
from workstation.notifications.handlers import (
    BILL_CHANGE,
    EMPLOYEE_CHANGE,
    HANDLER_MAP,
    INVOICE_CHANGE,
)
from workstation.notifications.inbox import (
    AppliedMessage,
    Prepared,
    apply_batch,
    inbox_count,
    inbox_page,
    prepare,
    read_seq,
)
from workstation.notifications.messages import RelayMessage
from workstation.notifications.models import InboxMessage, InboxStatus
from workstation.org.models import Department, Employee, EmployeeStatus
from workstation.quotas.models import Quota
from workstation.sandbox.testing import beijing_now
from workstation.vouchers.models import Voucher


def run(
    db: Database, gateway: AlipayGateway, messages: list[RelayMessage], enterprise_id: str
) -> list[Prepared]:
    prepared = [prepare(gateway, m, HANDLER_MAP, enterprise_id) for m in messages]
    apply_batch(db, prepared, enterprise_id)
    return prepared


def inbox(db: Database) -> list[InboxMessage]:
    with db.read_session() as s:
        return list(s.scalars(select(InboxMessage).order_by(InboxMessage.seq)))


def active_employee(db: Database) -> str:
    with db.read_session() as s:
        return s.scalars(
            select(Employee.employee_id)
            .where(Employee.status == EmployeeStatus.ACTIVE, Employee.deleted.is_(False))
            .order_by(Employee.employee_id)
        ).first() or pytest.fail("the synced cache has no active employee")


def test_bill_change_fetches_the_full_bill_and_records_inbox_and_seq_together(
    cache: Database, world: World
) -> None:
    sandbox, gateway, enterprise_id, capture = world.parts()
    employee = active_employee(cache)
    (form,) = capture(
        lambda: sandbox.emit_bill(employee_id=employee, amount="88.80", merchant=0), 1
    )
    assert form["msg_method"] == BILL_CHANGE
    pay_no = json.loads(form["biz_content"])["pay_no"]
    message = form_message(form, seq=41)

    prepared = prepare(gateway, message, HANDLER_MAP, enterprise_id)
    (result,) = apply_batch(cache, [prepared], enterprise_id)

    assert result.status is InboxStatus.APPLIED and not result.duplicate
    assert "bills" in result.entities
    notice = result.effect.bill if result.effect else None
    assert notice is not None
    assert (notice.pay_no, notice.amount, notice.employee_id) == (
        pay_no,
        Decimal("88.80"),
        employee,
    )
    assert notice.new and notice.consume_type == "CONSUME"
    with cache.read_session() as s:
        bill = s.scalars(select(Bill).where(Bill.pay_no == pay_no)).one()
        assert bill.total_amount == Decimal("88.80")
        assert bill.employee_id == employee and bill.status is BillStatus.PAID
        department = s.scalar(
            select(Employee.department_id).where(Employee.employee_id == employee)
        )
        assert bill.department_id == department
    (row,) = inbox(cache)
    assert (row.notify_id, row.seq, row.status, row.error) == (
        form["notify_id"],
        41,
        InboxStatus.APPLIED,
        None,
    )
    assert row.payload["pay_no"] == pay_no
    assert read_seq(cache) == 41


def test_refund_updates_the_original_bill_and_adds_the_refund(
    cache: Database, world: World
) -> None:
    sandbox, gateway, enterprise_id, capture = world.parts()
    employee = active_employee(cache)
    forms = capture(lambda: sandbox.emit_bill(employee_id=employee, amount="50.00"), 1)
    original = json.loads(forms[0]["biz_content"])["pay_no"]
    forms += capture(lambda: sandbox.refund_bill(original, amount_fen=2000), 2)
    run(cache, gateway, [form_message(f, i + 1) for i, f in enumerate(forms)], enterprise_id)
    with cache.read_session() as s:
        bill = s.scalars(select(Bill).where(Bill.pay_no == original)).one()
        assert bill.status is BillStatus.REFUNDED and bill.refund_amount == Decimal("20.00")
        refund = s.scalars(select(Bill).where(Bill.related_pay_no == original)).one()
        assert refund.consume_type == "REFUND" and refund.total_amount == Decimal("20.00")
    assert [m.status for m in inbox(cache)] == [InboxStatus.APPLIED] * 3
    assert read_seq(cache) == 3


@pytest.mark.parametrize("deliveries", range(1, 9))
def test_the_same_notification_delivered_n_times_is_applied_once(
    deliveries: int, cache: Database, world: World
) -> None:
    """Alipay redelivers a notify_id up to 8 times; the relay gives each delivery a seq."""
    sandbox, gateway, enterprise_id, capture = world.parts()
    (form,) = capture(lambda: sandbox.emit_bill(employee_id=active_employee(cache)), 1)
    pay_no = json.loads(form["biz_content"])["pay_no"]
    messages = [form_message(form, seq) for seq in range(10, 10 + deliveries)]
    # Some deliveries in one batch, the others one transaction each.
    half = (deliveries + 1) // 2
    batches = [messages[:half], *([m] for m in messages[half:])]
    outcomes = []
    for batch in batches:
        prepared = [prepare(gateway, m, HANDLER_MAP, enterprise_id) for m in batch]
        outcomes += apply_batch(cache, prepared, enterprise_id)
    assert [o.duplicate for o in outcomes] == [False] + [True] * (deliveries - 1)
    (row,) = inbox(cache)
    assert row.seq == 10 and row.status is InboxStatus.APPLIED
    with cache.read_session() as s:
        assert s.scalar(select(func.count()).where(Bill.pay_no == pay_no)) == 1
    assert read_seq(cache) == 10 + deliveries - 1


def test_employee_activation_delete_and_department_changes(cache: Database, world: World) -> None:
    sandbox, gateway, enterprise_id, capture = world.parts()
    with cache.read_session() as s:
        pending = s.scalars(
            select(Employee.employee_id).where(Employee.status == EmployeeStatus.PENDING)
        ).first()
        root_id = s.scalars(
            select(Department.department_id).where(Department.parent_id.is_(None))
        ).one()
    assert pending is not None, "the sandbox company has no pending employee"
    forms = capture(lambda: sandbox.activate_employee(pending), 1)
    assert forms[0]["msg_method"] == EMPLOYEE_CHANGE
    outcomes = apply_batch(
        cache,
        [prepare(gateway, form_message(forms[0], 1), HANDLER_MAP, enterprise_id)],
        enterprise_id,
    )
    assert outcomes[0].effect is not None and outcomes[0].effect.employee is not None
    assert outcomes[0].effect.employee.status == "active"
    assert outcomes[0].effect.employee.change_type == "EMPLOYEE_ACTIVATED"
    with cache.read_session() as s:
        assert s.scalar(select(Employee.status).where(Employee.employee_id == pending)) is (
            EmployeeStatus.ACTIVE
        )
    made: list[str] = []
    forms += capture(lambda: made.append(gateway.create_department("通知测试部", root_id)), 1)
    run(cache, gateway, [form_message(forms[1], 2)], enterprise_id)
    with cache.read_session() as s:
        assert s.scalar(select(Department.name).where(Department.department_id == made[0])) == (
            "通知测试部"
        )
    # Renamed, then the employee and the department deleted: by the time these are fetched
    # both are gone at Alipay, so they end marked deleted and nothing fails.
    forms += capture(lambda: gateway.modify_department(made[0], name="通知测试二部"), 1)
    forms += capture(lambda: gateway.delete_employee(pending), 1)
    forms += capture(lambda: gateway.delete_department(made[0]), 1)
    run(cache, gateway, [form_message(f, i + 3) for i, f in enumerate(forms[2:])], enterprise_id)
    with cache.read_session() as s:
        employee = s.scalars(select(Employee).where(Employee.employee_id == pending)).one()
        assert employee.deleted and employee.status is EmployeeStatus.DELETED
        department = s.scalars(select(Department).where(Department.department_id == made[0])).one()
        assert department.deleted and department.name == "通知测试部"
    assert read_seq(cache) == 5
    assert [m.status for m in inbox(cache)] == [InboxStatus.APPLIED] * 5


def test_new_department_gets_its_depth_under_the_parent(cache: Database, world: World) -> None:
    _sandbox, gateway, enterprise_id, capture = world.parts()
    with cache.read_session() as s:
        parent = s.scalars(
            select(Department).where(Department.depth == 2).order_by(Department.department_id)
        ).first()
    assert parent is not None
    created: list[str] = []
    (form,) = capture(
        lambda: created.append(gateway.create_department("通知新部门", parent.department_id)), 1
    )
    run(cache, gateway, [form_message(form, 1)], enterprise_id)
    with cache.read_session() as s:
        department = s.scalars(
            select(Department).where(Department.department_id == created[0])
        ).one()
        assert (department.name, department.parent_id, department.depth) == (
            "通知新部门",
            parent.department_id,
            3,
        )
    gateway.delete_department(created[0])


def test_enterprise_change_rereads_the_enterprise(cache: Database, world: World) -> None:
    _sandbox, gateway, enterprise_id, capture = world.parts()
    (form,) = capture(lambda: gateway.modify_enterprise(enterprise_alias="通知简称"), 1)
    (result,) = apply_batch(
        cache, [prepare(gateway, form_message(form, 1), HANDLER_MAP, enterprise_id)], enterprise_id
    )
    assert result.entities == {"enterprise"}
    with cache.read_session() as s:
        assert s.scalar(select(Enterprise.alias)) == "通知简称"


def test_voucher_notification_replaces_the_bills_vouchers(
    cache: Database, gateway: AlipayGateway, enterprise_id: str
) -> None:
    with cache.read_session() as s:
        pay_no, voucher_id = s.execute(
            select(Voucher.bill_id, Voucher.voucher_id).where(Voucher.bill_id.is_not(None))
        ).first() or pytest.fail("the synced cache has no bill voucher")
    with cache.session() as s:  # the cache lost the voucher (or never had it)
        s.execute(Voucher.__table__.delete().where(Voucher.voucher_id == voucher_id))
    message = RelayMessage(
        seq=5,
        notify_id="invoice-1",
        msg_method=INVOICE_CHANGE,
        biz_content=json.dumps({"pay_no": pay_no, "enterprise_id": enterprise_id}),
    )
    (result,) = apply_batch(
        cache, [prepare(gateway, message, HANDLER_MAP, enterprise_id)], enterprise_id
    )
    assert result.status is InboxStatus.APPLIED and "vouchers" in result.entities
    with cache.read_session() as s:
        assert s.scalar(select(Voucher.bill_id).where(Voucher.voucher_id == voucher_id)) == pay_no
        bill = s.scalars(select(Bill).where(Bill.pay_no == pay_no)).one()
        assert bill.voucher_id == voucher_id and bill.voucher_checked_at is not None


def test_unknown_methods_other_enterprises_and_bad_messages_are_recorded_not_lost(
    cache: Database, gateway: AlipayGateway, enterprise_id: str
) -> None:
    messages = [
        RelayMessage(1, "n-unknown", "alipay.commerce.ec.employee.msgstatistic.notify", "{}"),
        RelayMessage(
            2, "n-other", BILL_CHANGE, json.dumps({"pay_no": "X", "enterprise_id": "2088OTHER"})
        ),
        RelayMessage(3, "n-missing", BILL_CHANGE, json.dumps({"enterprise_id": enterprise_id})),
        RelayMessage(4, "n-nobill", BILL_CHANGE, json.dumps({"pay_no": "NO-SUCH-BILL"})),
        # Flat style: business fields are form fields, biz_content is empty.
        RelayMessage(5, "n-flat", BILL_CHANGE, "", {"pay_no": "NO-SUCH-BILL-2", "app_id": "x"}),
    ]
    run(cache, gateway, messages, enterprise_id)
    rows = {m.notify_id: m for m in inbox(cache)}
    assert rows["n-unknown"].status is InboxStatus.IGNORED and rows["n-unknown"].error is None
    assert rows["n-other"].status is InboxStatus.IGNORED and "2088OTHER" in (
        rows["n-other"].error or ""
    )
    assert rows["n-missing"].status is InboxStatus.FAILED
    assert rows["n-missing"].error == "通知缺少字段 pay_no\nthe notification has no pay_no"
    assert rows["n-nobill"].status is InboxStatus.FAILED
    assert "NO-SUCH-BILL" in (rows["n-nobill"].error or "")
    assert rows["n-flat"].payload == {"pay_no": "NO-SUCH-BILL-2"}
    assert rows["n-flat"].status is InboxStatus.FAILED
    assert read_seq(cache) == 5
    page = inbox_page(cache, 0, 10, status=InboxStatus.FAILED)
    assert {r.notify_id for r in page} == {"n-missing", "n-nobill", "n-flat"}
    assert all(r.error_zh and r.error_en and r.error_zh != r.error_en for r in page)
    assert [r.notify_id for r in inbox_page(cache, 0, 2)] == ["n-flat", "n-nobill"]  # newest first
    assert [r.notify_id for r in inbox_page(cache, 0, 10, search="flat")] == ["n-flat"]
    assert inbox_count(cache) == 5 and inbox_count(cache, status=InboxStatus.IGNORED) == 2


def test_gateway_outage_during_fetch_writes_nothing(cache: Database, world: World) -> None:
    sandbox, gateway, enterprise_id, capture = world.parts()
    (form,) = capture(lambda: sandbox.emit_bill(employee_id=active_employee(cache)), 1)
    sandbox.faults.update(http_500_next=gateway.config.max_attempts)
    with pytest.raises(AlipayUnavailable):
        prepare(gateway, form_message(form, 7), HANDLER_MAP, enterprise_id)
    assert inbox(cache) == [] and read_seq(cache) == 0


def test_bill_that_exhausts_its_quota_says_so(cache: Database, world: World) -> None:
    sandbox, gateway, enterprise_id, capture = world.parts()
    # A new employee: in no demo institution, so the bill is routed to ours alone.
    employee = gateway.add_employee("额度测试员", mobile="13900001111").employee_id
    sandbox.activate_employee(employee)
    start = beijing_now().replace(microsecond=0) - dt.timedelta(minutes=1)
    institution = gateway.create_institution(
        "通知测试采购制度",
        expense_type="DEFAULT",
        owner_ids=[employee],
        rules=[ExpenseRuleSpec("采购上限", (RuleCondition("QUOTA_TOTAL", "10000.00"),))],
    ).institution_id
    created = gateway.create_quota(
        employee, institution, Decimal("30.00"), start, start + dt.timedelta(days=3), "notify-q1"
    )

    def spend(amount: str, seq: int) -> AppliedMessage:
        (form,) = capture(
            lambda: sandbox.emit_bill(employee_id=employee, kind="purchase", amount=amount), 1
        )
        prepared = prepare(gateway, form_message(form, seq), HANDLER_MAP, enterprise_id)
        return apply_batch(cache, [prepared], enterprise_id)[0]

    try:
        first = spend("20.00", 1)
        second = spend("25.00", 2)
    finally:
        gateway.delete_institution(institution)
    assert first.effect is not None and second.effect is not None
    assert "quotas" in first.entities
    (q1,) = [q for q in first.effect.quotas if q.quota_id == created.quota_id]
    assert (q1.available, q1.total, q1.just_exhausted) == (
        Decimal("10.00"),
        Decimal("30.00"),
        False,
    )
    (q2,) = [q for q in second.effect.quotas if q.quota_id == created.quota_id]
    assert (q2.available, q2.just_exhausted) == (Decimal("0.00"), True)
    assert second.effect.bill is not None
    assert second.effect.bill.enterprise_paid == Decimal("10.00")
    with cache.read_session() as s:
        assert s.scalar(
            select(Quota.available_amount).where(Quota.quota_id == created.quota_id)
        ) == Decimal("0.00")


def test_invoice_for_a_bill_in_a_summary_batch_rereads_the_batch(
    cache: Database, gateway: AlipayGateway, enterprise_id: str
) -> None:
    with cache.read_session() as s:
        pay_no, summary_id = s.execute(
            select(Bill.pay_no, Bill.summary_id)
            .join(Voucher, Voucher.summary_id == Bill.summary_id)
            .where(Bill.summary_id.is_not(None))
        ).first() or pytest.fail("the synced cache has no summary invoice")
        batch = set(s.scalars(select(Voucher.voucher_id).where(Voucher.summary_id == summary_id)))
    with cache.session() as s:  # a stale invoice the batch no longer has, and none of the real
        s.execute(Voucher.__table__.delete().where(Voucher.summary_id == summary_id))
        s.add(Voucher(voucher_id="STALE-1", summary_id=summary_id))
    message = RelayMessage(
        seq=9,
        notify_id="invoice-2",
        msg_method=INVOICE_CHANGE,
        biz_content=json.dumps({"pay_no": pay_no}),
    )
    (result,) = apply_batch(
        cache, [prepare(gateway, message, HANDLER_MAP, enterprise_id)], enterprise_id
    )
    assert result.status is InboxStatus.APPLIED
    with cache.read_session() as s:
        assert (
            set(s.scalars(select(Voucher.voucher_id).where(Voucher.summary_id == summary_id)))
            == batch
        )
        unchecked = s.scalar(
            select(func.count()).where(
                Bill.summary_id == summary_id, Bill.voucher_checked_at.is_(None)
            )
        )
        assert unchecked == 0
