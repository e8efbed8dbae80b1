"""Every table's constraints, against a real migrated SQLite file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from workstation.audit.models import AuditLog, AuditLogImmutable
from workstation.bills.models import Bill, BillStatus
from workstation.db.engine import Database
from workstation.enterprise.models import Enterprise, EnterpriseStatus
from workstation.errors import ValidationError
from workstation.institutions.models import (
    ExpenseInstitution,
    ExpenseRule,
    InstitutionMember,
    MemberType,
    RuleFactor,
)
from workstation.notifications.models import InboxMessage
from workstation.org.models import Department, Employee, EmployeeStatus
from workstation.payments.models import PaymentOrder, PaymentStatus
from workstation.quotas.models import Quota, QuotaStatus
from workstation.sync.models import SyncCursor
from workstation.vouchers.models import Voucher

NOW = dt.datetime(2026, 11, 1, 12, 0, 0)


def bill(pay_no: str = "P1", **kw: Any) -> Bill:
    values: dict[str, Any] = {
        "pay_no": pay_no,
        "enterprise_id": "E1",
        "employee_id": "EMP1",
        "total_amount": Decimal("100.00"),
        "enterprise_pay_amount": Decimal("80.00"),
        "personal_pay_amount": Decimal("20.00"),
        "trade_time": NOW,
    }
    values.update(kw)
    return Bill(**values)


def payment(request_id: str = "REQ-1", code: str = "PAY1", **kw: Any) -> PaymentOrder:
    values: dict[str, Any] = {
        "code": code,
        "request_id": request_id,
        "company_id": 1001,
        "bank": "中国银行",
        "bank_account": "1234567890123456",
        "amount": Decimal("10000.00"),
        "business_type": 1,
        "business_code": "PO20240001",
        "business_subject_type": 1,
        "business_subject_code": "V001",
        "link_codes": ["LINK001", "LINK002"],
    }
    values.update(kw)
    return PaymentOrder(**values)


def quota(quota_id: str = "Q1", outer: str | None = "OUT-1", **kw: Any) -> Quota:
    values: dict[str, Any] = {
        "quota_id": quota_id,
        "employee_id": "EMP1",
        "institution_id": "INST1",
        "outer_source_id": outer,
        "total_amount": Decimal("500.00"),
        "available_amount": Decimal("500.00"),
    }
    values.update(kw)
    return Quota(**values)


def test_money_is_stored_as_integer_fen(database: Database) -> None:
    with database.session() as s:
        s.add(bill(total_amount=Decimal("1234.56"), discount_amount=Decimal("0.01")))
    with database.engine.connect() as conn:
        row = conn.execute(
            text("SELECT total_amount, typeof(total_amount), discount_amount FROM t_bill")
        ).one()
    assert tuple(row) == (123456, "integer", 1)
    with database.read_session() as s:
        loaded = s.scalars(select(Bill)).one()
    assert loaded.total_amount == Decimal("1234.56")
    assert isinstance(loaded.total_amount, Decimal)


@pytest.mark.parametrize("bad", [Decimal("-1.00"), Decimal("1.005"), "1.234", 1.5, "abc"])
def test_bad_money_is_rejected_at_assignment_with_the_field_named(bad: object) -> None:
    with pytest.raises(ValidationError) as info:
        bill(total_amount=bad)
    assert info.value.field == "total_amount"
    assert info.value.message_zh and info.value.message_en


def test_money_strings_are_parsed_on_assignment() -> None:
    assert bill(total_amount="¥1,234.50").total_amount == Decimal("1234.50")


def test_database_rejects_negative_money_even_bypassing_the_orm(database: Database) -> None:
    with pytest.raises(IntegrityError), database.session() as s:
        s.execute(
            text(
                "INSERT INTO t_bill (pay_no, enterprise_id, consume_type, total_amount,"
                " enterprise_pay_amount, personal_pay_amount, discount_amount, refund_amount,"
                " status, synced_at) VALUES ('X', 'E', 'CONSUME', -1, 0, 0, 0, 0, 'paid', :now)"
            ),
            {"now": NOW},
        )


@pytest.mark.parametrize(
    ("factory", "field"),
    [
        (lambda: bill(status="lost"), "status"),
        (
            lambda: Employee(employee_id="E", enterprise_id="X", name="张三", status="gone"),
            "status",
        ),
        (lambda: quota(status="melted"), "status"),
        (lambda: payment(status="teleported"), "status"),
        (lambda: Enterprise(enterprise_id="E", name="N", status="bankrupt"), "status"),
    ],
)
def test_unknown_status_is_a_clear_error(factory: Any, field: str) -> None:
    with pytest.raises(ValidationError) as info:
        factory()
    assert info.value.field == field
    assert "allowed" in info.value.message_en
    assert "可选" in info.value.message_zh


def test_status_accepts_its_string_value() -> None:
    assert bill(status="refunded").status is BillStatus.REFUNDED
    assert quota(status="frozen").status is QuotaStatus.FROZEN


@pytest.mark.parametrize(
    "make_pair",
    [
        lambda: (bill("SAME"), bill("SAME")),
        lambda: (
            Enterprise(enterprise_id="E1", name="甲"),
            Enterprise(enterprise_id="E1", name="乙"),
        ),
        lambda: (
            Department(department_id="D1", enterprise_id="E1", name="财务部"),
            Department(department_id="D1", enterprise_id="E1", name="人事部"),
        ),
        lambda: (
            Employee(employee_id="U1", enterprise_id="E1", name="张三"),
            Employee(employee_id="U1", enterprise_id="E1", name="李四"),
        ),
        lambda: (quota("Q1", "O1"), quota("Q1", "O2")),
        lambda: (quota("Q1", "SAME-OUTER"), quota("Q2", "SAME-OUTER")),
        lambda: (payment("SAME-REQ", "PAY1"), payment("SAME-REQ", "PAY2")),
        lambda: (payment("R1", "SAME-CODE"), payment("R2", "SAME-CODE")),
        lambda: (Voucher(voucher_id="V1"), Voucher(voucher_id="V1")),
        lambda: (
            InboxMessage(notify_id="N1", msg_method="m", payload={}),
            InboxMessage(notify_id="N1", msg_method="m", payload={}),
        ),
    ],
    ids=[
        "bill-pay_no",
        "enterprise_id",
        "department_id",
        "employee_id",
        "quota_id",
        "quota-outer_source_id",
        "payment-request_id",
        "payment-code",
        "voucher_id",
        "notify_id",
    ],
)
def test_unique_identities(database: Database, make_pair: Any) -> None:
    first, second = make_pair()
    with database.session() as s:
        s.add(first)
    with pytest.raises(IntegrityError), database.session() as s:
        s.add(second)


def test_quotas_without_outer_source_id_may_coexist(database: Database) -> None:
    # Quotas issued outside the app carry no outer_source_id; NULLs are not duplicates.
    with database.session() as s:
        s.add_all([quota("Q1", None), quota("Q2", None)])
    with database.read_session() as s:
        assert len(s.scalars(select(Quota)).all()) == 2


def test_payment_order_version_increments_and_detects_conflicts(database: Database) -> None:
    with database.session() as s:
        s.add(payment())
    with database.session() as s:
        order = s.scalars(select(PaymentOrder)).one()
        assert order.version == 1
        order.status = PaymentStatus.PENDING
    with database.session() as s:
        order = s.scalars(select(PaymentOrder)).one()
        assert order.version == 2
        assert order.link_codes == ["LINK001", "LINK002"]

    # Two clerks load version 2; the first save wins, the second is refused.
    with database.read_session() as s:
        stale = s.scalars(select(PaymentOrder)).one()
    with database.session() as s:
        fresh = s.scalars(select(PaymentOrder)).one()
        fresh.remark = "first"
    with pytest.raises(StaleDataError), database.session() as s:
        stale = s.merge(stale, load=False)
        stale.remark = "second"
    with database.read_session() as s:
        final = s.scalars(select(PaymentOrder)).one()
    assert (final.remark, final.version) == ("first", 3)


def test_payment_order_domain_checks(database: Database) -> None:
    with pytest.raises(IntegrityError), database.session() as s:
        s.add(payment(business_type=9))
    with pytest.raises(ValidationError):
        payment(amount=Decimal("-5"))
    with pytest.raises(IntegrityError), database.session() as s:
        s.add(payment(amount=Decimal("0")))


def test_audit_log_is_append_only(database: Database) -> None:
    with database.session() as s:
        s.add(
            AuditLog(
                actor="clerk",
                entity="payment_order",
                entity_id="1",
                action="create",
                before=None,
                after={"amount": "10.00"},
            )
        )
    with pytest.raises(AuditLogImmutable), database.session() as s:
        s.scalars(select(AuditLog)).one().action = "tampered"
    with pytest.raises(AuditLogImmutable), database.session() as s:
        s.delete(s.scalars(select(AuditLog)).one())
    # Below the ORM, the database's own triggers refuse too.
    with pytest.raises(IntegrityError), database.session() as s:
        s.execute(update(AuditLog).values(action="tampered"))
    with pytest.raises(IntegrityError), database.session() as s:
        s.execute(text("DELETE FROM t_audit_log"))
    with database.read_session() as s:
        assert s.scalars(select(AuditLog.action)).all() == ["create"]


def test_institution_members_link_employees_and_departments(database: Database) -> None:
    with database.session() as s:
        s.add_all(
            [
                Department(department_id="D1", enterprise_id="E1", name="财务部"),
                Employee(employee_id="U1", enterprise_id="E1", name="张三", department_id="D1"),
                ExpenseInstitution(institution_id="I1", enterprise_id="E1", name="工作餐"),
            ]
        )
    with database.session() as s:
        s.add_all(
            [
                InstitutionMember(institution_id="I1", member_type="employee", employee_id="U1"),
                InstitutionMember(
                    institution_id="I1", member_type=MemberType.DEPARTMENT, department_id="D1"
                ),
                ExpenseRule(
                    rule_id="R1",
                    institution_id="I1",
                    name="每日餐补",
                    factor_type=RuleFactor.QUOTA_DAY,
                    amount_cap=Decimal("30.00"),
                    time_window="11:00-14:00",
                    conditions=[{"rule_factor": "QUOTA_DAY", "rule_value": "30.00"}],
                ),
            ]
        )
    # A member must exist (foreign keys are on).
    with pytest.raises(IntegrityError), database.session() as s:
        s.add(InstitutionMember(institution_id="I1", member_type="employee", employee_id="NOPE"))
    # A member is an employee or a department, not both, not neither.
    with pytest.raises(IntegrityError), database.session() as s:
        s.add(
            InstitutionMember(
                institution_id="I1", member_type="employee", employee_id="U1", department_id="D1"
            )
        )
    # The same employee twice is one membership.
    with pytest.raises(IntegrityError), database.session() as s:
        s.add(InstitutionMember(institution_id="I1", member_type="employee", employee_id="U1"))
    # Deleting the institution removes its rules and members.
    with database.session() as s:
        s.execute(text("DELETE FROM t_expense_institution WHERE institution_id = 'I1'"))
    with database.read_session() as s:
        assert s.scalars(select(InstitutionMember)).all() == []
        assert s.scalars(select(ExpenseRule)).all() == []


def test_department_depth_is_bounded(database: Database) -> None:
    with database.session() as s:
        s.add(Department(department_id="D20", enterprise_id="E", name="深", depth=20))
    with pytest.raises(IntegrityError), database.session() as s:
        s.add(Department(department_id="D21", enterprise_id="E", name="太深", depth=21))


def test_audit_fields_are_filled(database: Database) -> None:
    with database.session() as s:
        s.add(Employee(employee_id="U1", enterprise_id="E1", name="张三", creator="clerk"))
    with database.read_session() as s:
        emp = s.scalars(select(Employee)).one()
    assert emp.creator == "clerk"
    assert emp.create_time is not None and emp.update_time is not None
    assert emp.deleted is False
    assert emp.status is EmployeeStatus.PENDING


def test_enterprise_and_cursor_round_trip(database: Database) -> None:
    with database.session() as s:
        s.add(Enterprise(enterprise_id="E1", name="杭州示例科技有限公司", status="signed"))
        s.add(SyncCursor(entity="bills", cursor="2026-11-01 00:00:00"))
    with database.read_session() as s:
        assert s.scalars(select(Enterprise)).one().status is EnterpriseStatus.SIGNED
        assert s.get(SyncCursor, "bills") is not None


def test_voucher_content_is_json(database: Database) -> None:
    content = {"invoice_no": "12345678", "items": [{"name": "餐饮服务", "amount": "88.00"}]}
    with database.session() as s:
        s.add(Voucher(voucher_id="V1", bill_id="P1", content=content, invoice_amount="88.00"))
    with database.read_session() as s:
        v = s.scalars(select(Voucher)).one()
    assert v.content == content
    assert v.invoice_amount == Decimal("88.00")
