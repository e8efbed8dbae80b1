"""Bulk upsert against a real migrated SQLite file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from workstation.bills.models import Bill
from workstation.db.engine import Database
from workstation.org.models import Employee
from workstation.sync.upsert import fen, mark_missing, upsert

T0 = dt.datetime(2026, 11, 1, 9, 30)


def row(pay_no: str, amount_fen: int = 1000, **kw: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "pay_no": pay_no,
        "enterprise_id": "E1",
        "employee_id": "U1",
        "consume_type": "CONSUME",
        "total_amount": amount_fen,
        "enterprise_pay_amount": amount_fen,
        "personal_pay_amount": 0,
        "discount_amount": 0,
        "refund_amount": 0,
        "trade_time": T0,
        "status": "paid",
        "synced_at": T0,
    }
    values.update(kw)
    return values


def test_insert_then_update_then_noop(database: Database) -> None:
    with database.session() as s:
        counts = upsert(s.connection(), Bill, [row("A"), row("B")], ["pay_no"])
    assert (counts.inserted, counts.updated) == (2, 0)

    with database.session() as s:
        counts = upsert(
            s.connection(),
            Bill,
            [row("A"), row("B", 2500, status="refunded"), row("C")],
            ["pay_no"],
        )
    assert (counts.inserted, counts.updated) == (1, 1)

    # Same content, a later synced_at only: nothing is rewritten.
    with database.session() as s:
        counts = upsert(
            s.connection(), Bill, [row("A", synced_at=T0 + dt.timedelta(hours=1))], ["pay_no"]
        )
    assert (counts.inserted, counts.updated) == (0, 0)

    with database.read_session() as s:
        bills = {b.pay_no: b for b in s.scalars(select(Bill))}
    assert bills["B"].total_amount == Decimal("25.00")
    assert bills["B"].status.value == "refunded"
    assert len(bills) == 3


def test_large_batches_cross_chunk_boundaries(database: Database) -> None:
    rows = [row(f"P{i:06d}", i) for i in range(4500)]
    with database.session() as s:
        counts = upsert(s.connection(), Bill, rows, ["pay_no"])
    assert counts.inserted == 4500
    with database.engine.connect() as conn:
        total = conn.execute(text("SELECT sum(total_amount), count(*) FROM t_bill")).one()
    assert tuple(total) == (sum(range(4500)), 4500)


def test_mark_missing_soft_deletes_only_live_rows(database: Database) -> None:
    with database.session() as s:
        s.add_all(
            [Employee(employee_id=f"U{i}", enterprise_id="E", name=f"员工{i}") for i in range(5)]
        )
    with database.session() as s:
        gone = mark_missing(
            s.connection(), Employee, "employee_id", ["U0", "U2"], {"deleted": True}
        )
    assert gone == 3
    with database.session() as s:  # already deleted rows are not counted again
        assert (
            mark_missing(s.connection(), Employee, "employee_id", ["U0", "U2"], {"deleted": True})
            == 0
        )
    with database.read_session() as s:
        live = sorted(s.scalars(select(Employee.employee_id).where(Employee.deleted.is_(False))))
    assert live == ["U0", "U2"]


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from("ABCDEFGH"), st.integers(min_value=0, max_value=10**9)),
        min_size=1,
        max_size=30,
    )
)
def test_upsert_is_last_write_wins_and_counts_add_up(
    tmp_path_factory: Any, batches: list[tuple[str, int]]
) -> None:
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('u') / 'x.db'}")
    db.upgrade()
    try:
        expected: dict[str, int] = {}
        inserted = updated = 0
        for key, amount in batches:
            with db.session() as s:
                c = upsert(s.connection(), Bill, [row(key, amount)], ["pay_no"])
            inserted += c.inserted
            updated += c.updated
            if key not in expected:
                assert (c.inserted, c.updated) == (1, 0)
            elif expected[key] == amount:
                assert (c.inserted, c.updated) == (0, 0)
            else:
                assert (c.inserted, c.updated) == (0, 1)
            expected[key] = amount
        with db.read_session() as s:
            actual = {b.pay_no: fen(b.total_amount) for b in s.scalars(select(Bill))}
        assert actual == expected
        assert inserted == len(expected)
    finally:
        db.dispose()
