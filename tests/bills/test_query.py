"""BillQuery against a Python ground truth over a few thousand seeded bills."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from bill_data import T0, Dataset, populate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workstation.bills.models import BillStatus
from workstation.bills.query import SORT_COLUMNS, BillFilter, BillQuery, BillSort
from workstation.db.engine import Database
from workstation.errors import ValidationError

BILLS = 3000


@pytest.fixture(scope="module")
def populated(
    tmp_path_factory: pytest.TempPathFactory, migrated_template: Path
) -> Iterator[tuple[BillQuery, Dataset]]:
    path = tmp_path_factory.mktemp("bills") / "bills.db"
    shutil.copyfile(migrated_template, path)
    db = Database(f"sqlite:///{path}")
    data = populate(db, BILLS)
    yield BillQuery(db), data
    db.dispose()


FILTERS = {
    "all": BillFilter(),
    "dates": BillFilter(date_from=T0 + dt.timedelta(days=10), date_to=T0 + dt.timedelta(days=40)),
    "date_from": BillFilter(date_from=T0 + dt.timedelta(days=80)),
    "subtree_root": BillFilter(department_id="D1"),
    "subtree_mid": BillFilter(department_id="D2.1"),
    "subtree_leaf": BillFilter(department_id="D0.0.2"),
    "department_only": BillFilter(department_id="D1", include_sub_departments=False),
    "unknown_department": BillFilter(department_id="NOPE"),
    "employee": BillFilter(employee_id="U007"),
    "gone_employee": BillFilter(employee_id="U_GONE"),
    "institution": BillFilter(institution_id="I2"),
    "status": BillFilter(status=BillStatus.REFUNDED),
    "amount_range": BillFilter(amount_min=Decimal("100.00"), amount_max=Decimal("500.00")),
    "amount_exact": BillFilter(amount_min=Decimal("50"), amount_max=Decimal("50")),
    "merchant_case": BillFilter(merchant_text="STARBUCKS"),
    "merchant_chinese": BillFilter(merchant_text="酒店"),
    "merchant_wildcards": BillFilter(merchant_text="%_"),
    "combined": BillFilter(
        date_from=T0 + dt.timedelta(days=5),
        date_to=T0 + dt.timedelta(days=70),
        department_id="D0",
        status=BillStatus.PAID,
        amount_min=Decimal("10"),
        merchant_text="a",
    ),
    "aware_dates": BillFilter(
        date_from=dt.datetime(2026, 1, 20, tzinfo=dt.UTC),
        date_to=dt.datetime(2026, 2, 1, 8, tzinfo=dt.timezone(dt.timedelta(hours=8))),
    ),
}


@pytest.mark.parametrize("name", FILTERS)
def test_totals_match_ground_truth(populated: tuple[BillQuery, Dataset], name: str) -> None:
    query, data = populated
    f = FILTERS[name]
    assert query.totals(f) == data.totals(f)


@pytest.mark.parametrize("name", FILTERS)
@pytest.mark.parametrize(
    "sort",
    [BillSort(), BillSort("trade_time", descending=False)]
    + [BillSort(c, descending=d) for c in SORT_COLUMNS if c != "trade_time" for d in (True, False)],
    ids=lambda s: f"{s.column}-{'desc' if s.descending else 'asc'}",
)
def test_pages_match_ground_truth(
    populated: tuple[BillQuery, Dataset], name: str, sort: BillSort
) -> None:
    query, data = populated
    f = FILTERS[name]
    expected = data.sorted(f, sort)
    n = len(expected)
    assert query.page(f, sort, 0, 50) == expected[:50]
    # A middle and the last page, each read both forward and (with total) from the end.
    for offset in {n // 2, max(n - 37, 0)}:
        assert query.page(f, sort, offset, 37) == expected[offset : offset + 37]
        assert query.page(f, sort, offset, 37, total=n) == expected[offset : offset + 37]
    assert query.page(f, sort, n, 10, total=n) == []


def test_whole_result_paged_equals_truth(populated: tuple[BillQuery, Dataset]) -> None:
    query, data = populated
    f, sort = FILTERS["subtree_root"], BillSort("total_amount", descending=True)
    expected = data.sorted(f, sort)
    got = []
    for offset in range(0, len(expected), 256):
        got += query.page(f, sort, offset, 256, total=len(expected))
    assert got == expected


def test_row_by_pay_no(populated: tuple[BillQuery, Dataset]) -> None:
    query, data = populated
    for row in data.rows[::500]:
        assert query.row_by_pay_no(row.pay_no) == row
    assert query.row_by_pay_no("missing") is None


def test_empty_totals(database: Database) -> None:
    totals = BillQuery(database).totals(BillFilter())
    assert totals.count == 0
    assert totals.total == Decimal("0.00")
    assert BillQuery(database).page(BillFilter(), BillSort(), 0, 10) == []


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    low=st.none() | st.integers(0, 100_000),
    span=st.none() | st.integers(0, 60_000),
    status=st.none() | st.sampled_from(BillStatus),
)
def test_amount_ranges(
    populated: tuple[BillQuery, Dataset],
    low: int | None,
    span: int | None,
    status: BillStatus | None,
) -> None:
    query, data = populated
    high = None if span is None else (low or 0) + span
    f = BillFilter(
        amount_min=None if low is None else Decimal(low) / 100,
        amount_max=None if high is None else Decimal(high) / 100,
        status=status,
    )
    assert query.totals(f) == data.totals(f)
    sort = BillSort("total_amount", descending=False)
    assert query.page(f, sort, 0, 20) == data.sorted(f, sort)[:20]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"amount_min": Decimal(5), "amount_max": Decimal(4)}, "amount_max"),
        ({"date_from": T0, "date_to": T0 - dt.timedelta(seconds=1)}, "date_to"),
        ({"amount_min": Decimal("-1")}, "amount_min"),
        ({"amount_max": Decimal("1.234")}, "amount_max"),
        ({"amount_min": 1.5}, "amount_min"),
        ({"status": "paid"}, "status"),
    ],
)
def test_bad_filters_name_the_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        BillFilter(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


def test_sort_whitelist() -> None:
    with pytest.raises(ValidationError) as info:
        BillSort("total_amount; DROP TABLE t_bill")
    assert info.value.field == "sort"


def test_blank_merchant_text_means_no_filter() -> None:
    assert BillFilter(merchant_text="  ") == BillFilter()


@pytest.mark.parametrize(
    ("f", "index"),
    [
        (BillFilter(), "ix_t_bill_trade_time"),
        (BillFilter(date_from=T0, date_to=T0 + dt.timedelta(days=3)), "ix_t_bill_trade_time"),
        (BillFilter(department_id="D1"), "ix_t_bill_department_time"),
        (
            BillFilter(department_id="D1", include_sub_departments=False),
            "ix_t_bill_department_time",
        ),
        (BillFilter(employee_id="U001"), "ix_t_bill_employee_time"),
        (BillFilter(institution_id="I1"), "ix_t_bill_institution_time"),
        (BillFilter(status=BillStatus.PAID), "ix_t_bill_status_time"),
    ],
)
def test_default_sort_uses_an_index(
    populated: tuple[BillQuery, Dataset], f: BillFilter, index: str
) -> None:
    plan = populated[0].explain(f)
    assert any(index in line for line in plan), plan
    # t_bill rows are read by primary key (the deferred join), never by a bare table scan.
    assert "SCAN t_bill" not in plan, plan


def test_warm_up_builds_every_statement_without_reading(database: Database) -> None:
    # It runs in the background after the first screen: every filter field and sort column
    # must build and compile, on an empty cache too, and it must not touch the rows.
    BillQuery(database).warm_up()
    with database.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM t_bill").scalar() == 0
