"""Field parsing: money units (yuan vs fen), datetimes, derived fields; property-based."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workstation import money
from workstation.alipay import EmployeeStatus, Page
from workstation.alipay import parsing as p

cents = st.integers(min_value=0, max_value=10**12)
signed_cents = st.integers(min_value=-(10**12), max_value=10**12)
naive = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)).map(
    lambda d: d.replace(microsecond=0)
)


@given(signed_cents)
def test_yuan_strings_parse_exactly(n: int) -> None:
    value = money.from_fen(n)
    assert p.yuan({"a": money.yuan_str(value)}, "a") == value
    assert p.yuan({"a": Decimal(money.yuan_str(value))}, "a") == value  # JSON number → Decimal


@given(signed_cents)
def test_fen_strings_become_yuan(n: int) -> None:
    value = p.fen({"a": str(n)}, "a")
    assert value is not None
    assert money.to_fen(value) == n
    assert p.fen({"a": n}, "a") == value


@pytest.mark.parametrize("bad", ["12.5", "1e3", "abc", " ", "１２", "--1"])
def test_fen_rejects_non_integers(bad: str) -> None:
    with pytest.raises(ValueError):
        p.fen({"a": bad}, "a")
    assert p.fen({"a": ""}, "a") is None


@pytest.mark.parametrize("bad", [1.5, "1.234", "NaN", "x", True])
def test_yuan_rejects_floats_and_garbage(bad: object) -> None:
    with pytest.raises(ValueError):
        p.yuan({"a": bad}, "a")


def test_missing_amounts_default() -> None:
    assert p.yuan({}, "a") is None
    assert p.yuan({"a": ""}, "a", default=money.ZERO) == money.ZERO


@given(naive)
def test_datetimes_round_trip(d: datetime) -> None:
    text = p.format_datetime(d)
    assert len(text) == 19
    assert p.opt_datetime({"t": text}, "t") == d


@given(naive)
def test_aware_datetimes_are_sent_in_beijing_time(d: datetime) -> None:
    utc = d.replace(tzinfo=UTC)
    assert p.format_datetime(utc) == p.format_datetime(d + timedelta(hours=8))


def test_date_only_fields_parse() -> None:
    assert p.opt_datetime({"d": "2024-05-01"}, "d") == datetime(2024, 5, 1)
    with pytest.raises(ValueError):
        p.opt_datetime({"d": "01/05/2024"}, "d")


bill_amounts = st.tuples(cents, cents)


@given(bill_amounts)
def test_bill_split_never_negative(amounts: tuple[int, int]) -> None:
    total, enterprise = (money.from_fen(a) for a in amounts)
    bill = p.parse_bill(
        {
            "pay_no": "P1",
            "consume_amount": money.yuan_str(total),
            "peer_pay_amount": money.yuan_str(enterprise),
            "gmt_receive_pay": "2024-05-01 12:00:00",
        }
    )
    assert bill.amount == total
    assert bill.enterprise_paid == enterprise
    assert bill.personal_paid >= 0
    if enterprise <= total:
        assert bill.personal_paid + bill.enterprise_paid == total


def test_bill_fields() -> None:
    raw = {
        "pay_no": "2024050122001",
        "consume_type": "CONSUME",
        "employee_id": "EMP1",
        "enterprise_id": "E1",
        "consume_amount": "88.80",
        "peer_pay_amount": "50.00",
        "benefit_amount": "1.20",
        "refund_amount": "0.00",
        "refund_status": "INIT",
        "merchant_name": "食堂",
        "merchant_id": "M1",
        "category_name": "餐饮",
        "consume_category": "cater",
        "gmt_biz_create": "2024-05-01 11:59:58",
        "gmt_modified": "2024-05-01 12:10:00",
        "expense_rule_group_id": "R1",
        "expense_type": "MEAL",
        "summary_apply_id": "S1",
        "voucher_id": "V1",
        "something_new": "kept",
    }
    bill = p.parse_bill(raw)
    assert bill.amount == Decimal("88.80")
    assert bill.enterprise_paid == Decimal("50.00")
    assert bill.personal_paid == Decimal("38.80")
    assert bill.benefit == Decimal("1.20")
    assert bill.trade_time == datetime(2024, 5, 1, 11, 59, 58)  # falls back to gmt_biz_create
    assert bill.gmt_modified == datetime(2024, 5, 1, 12, 10)
    assert (bill.category, bill.consume_category) == ("餐饮", "cater")
    assert (bill.expense_rule_group_id, bill.summary_apply_id, bill.voucher_id) == (
        "R1",
        "S1",
        "V1",
    )
    assert bill.raw["something_new"] == "kept"
    with pytest.raises(TypeError):
        bill.raw["x"] = 1  # type: ignore[index]
    hash(bill)  # frozen and hashable despite raw


def test_bill_prefers_payment_time_and_p_pay_amount_alias() -> None:
    bill = p.parse_bill(
        {
            "pay_no": "P",
            "consume_amount": "10",
            "p_pay_amount": "4",
            "gmt_biz_create": "2024-05-01 10:00:00",
            "gmt_receive_pay": "2024-05-01 10:00:05",
        }
    )
    assert bill.trade_time == datetime(2024, 5, 1, 10, 0, 5)
    assert bill.enterprise_paid == Decimal("4.00")
    assert bill.personal_paid == Decimal("6.00")


def test_bill_without_amount_is_rejected() -> None:
    with pytest.raises(ValueError):
        p.parse_bill({"pay_no": "P"})


def test_quota_amounts_are_fen() -> None:
    quota = p.parse_quota(
        {
            "quota_id": "Q1",
            "quota_total": "10000",
            "quota_available": "2550",
            "quota_used": "7450",
            "freeze": False,
            "effective_start_date": "2024-05-01 00:00:00",
            "effective_end_date": "2024-05-31 23:59:59",
        }
    )
    assert (quota.total, quota.available, quota.used) == (
        Decimal("100.00"),
        Decimal("25.50"),
        Decimal("74.50"),
    )
    assert quota.locked is None and quota.frozen is False


@pytest.mark.parametrize(
    ("activate", "status"),
    [
        ("ACTIVATED", EmployeeStatus.ACTIVATED),
        ("UNACTIVATED", EmployeeStatus.UNACTIVATED),
        ("ACTIVATING", EmployeeStatus.ACTIVATING),
        ("true", EmployeeStatus.ACTIVATED),
        (None, EmployeeStatus.UNKNOWN),
        ("WEIRD", EmployeeStatus.UNKNOWN),
    ],
)
def test_employee_status_from_activate(activate: str | None, status: EmployeeStatus) -> None:
    info = {"employee_id": "EMP1", "activate": activate} if activate else {"employee_id": "EMP1"}
    assert p.parse_employee(info).status is status


def test_employee_departments() -> None:
    emp = p.parse_employee(
        {
            "employee_id": "EMP1",
            "employee_name": "张三",
            "department_list": [
                {"department_id": "D1", "department_name": "财务"},
                {"department_id": "D2"},
            ],
            "label_names": ["差旅员工"],
        }
    )
    assert emp.department_ids == ("D1", "D2")
    assert emp.departments[0].name == "财务"
    assert emp.label_names == ("差旅员工",)


@pytest.mark.parametrize(
    ("items", "page_num", "total_pages", "has_next"),
    [
        (3, 1, 2, True),
        (3, 2, 2, False),
        (0, 1, 5, False),
        (3, 1, None, True),  # full page, no totals: ask again
        (2, 1, None, False),  # short page: the last
    ],
)
def test_page_has_next(items: int, page_num: int, total_pages: int | None, has_next: bool) -> None:
    page = Page(tuple(range(items)), page_num, 3, total_pages)
    assert page.has_next is has_next
