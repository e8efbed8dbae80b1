"""BillTableModel: Qt's model checks, sorting, filtering and lazy paging."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text

from workstation.bills.models import BillStatus
from workstation.bills.query import BillFilter, BillQuery, BillRow, BillSort, BillTotals
from workstation.db.engine import Database
from workstation.ui.models import ROW_ROLE, SORT_ROLE, BillColumn, BillTableModel


def _load_bill_data() -> Any:
    # The seeded data set lives next to the query tests; load it by path (tests are no package).
    path = Path(__file__).parents[1] / "bills" / "bill_data.py"
    if "bill_data" not in sys.modules:
        spec = importlib.util.spec_from_file_location("bill_data", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["bill_data"] = module
        spec.loader.exec_module(module)
    return sys.modules["bill_data"]


bill_data = _load_bill_data()
pytestmark = pytest.mark.gui


def test_empty_model_passes_qt_checks(database: Database, qtmodeltester: Any) -> None:
    model = BillTableModel(BillQuery(database))
    assert model.rowCount() == 0
    assert model.columnCount() == len(BillColumn)
    assert model.headerData(BillColumn.AMOUNT, Qt.Orientation.Horizontal) == "账单金额"
    tooltip = model.headerData(
        BillColumn.AMOUNT, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    )
    assert tooltip == "Amount"
    qtmodeltester.check(model)


def test_populated_model_passes_qt_checks(database: Database, qtmodeltester: Any) -> None:
    data = bill_data.populate(database, 600)
    model = BillTableModel(BillQuery(database), page_size=64, max_pages=4)
    assert model.rowCount() == 600
    qtmodeltester.check(model)
    assert model.cached_pages <= 4

    expected = data.sorted(BillFilter(), BillSort())[0]
    row0 = model.index(0, BillColumn.AMOUNT)
    assert model.data(row0, ROW_ROLE) == expected
    assert model.data(row0, SORT_ROLE) == expected.total_amount
    assert model.data(row0) == f"¥{expected.total_amount:,.2f}"
    align = model.data(row0, Qt.ItemDataRole.TextAlignmentRole)
    assert align & Qt.AlignmentFlag.AlignRight
    time_cell = model.index(0, BillColumn.TRADE_TIME)
    assert model.data(time_cell, SORT_ROLE) == expected.trade_time
    assert model.data(time_cell) == expected.trade_time.strftime("%Y-%m-%d %H:%M:%S")
    status = model.data(model.index(0, BillColumn.STATUS))
    assert status in {"已支付", "已退款", "已关闭"}


def test_sort_by_amount_matches_ground_truth(database: Database, qtbot: Any) -> None:
    data = bill_data.populate(database, 1500)
    model = BillTableModel(BillQuery(database), page_size=100, max_pages=5)
    resets: list[None] = []
    model.modelReset.connect(lambda: resets.append(None))
    model.sort(BillColumn.AMOUNT, Qt.SortOrder.DescendingOrder)
    assert len(resets) == 1
    expected = data.sorted(BillFilter(), BillSort("total_amount", descending=True))
    got = [model.data(model.index(r, BillColumn.AMOUNT), ROW_ROLE) for r in range(model.rowCount())]
    assert got == expected
    assert model.cached_pages <= 5

    model.sort(BillColumn.EMPLOYEE, Qt.SortOrder.AscendingOrder)
    expected = data.sorted(BillFilter(), BillSort("employee_name", descending=False))
    names = [model.data(model.index(r, BillColumn.EMPLOYEE), SORT_ROLE) for r in range(0, 1500, 97)]
    assert names == [r.employee_name for r in expected[::97]]


def test_filter_changes_row_count_and_emits_totals(database: Database, qtbot: Any) -> None:
    data = bill_data.populate(database, 1500)
    model = BillTableModel(BillQuery(database))
    assert model.totals == data.totals(BillFilter())
    flt = BillFilter(department_id="D1", status=BillStatus.PAID, amount_min=Decimal("10"))
    emitted: list[BillTotals] = []
    model.totals_changed.connect(emitted.append)
    model.set_filter(flt)
    assert len(emitted) == 1
    totals = emitted[0]
    assert isinstance(totals, BillTotals)
    assert totals == data.totals(flt)
    assert model.rowCount() == totals.count < 1500
    rows: list[BillRow] = [model.data(model.index(r, 0), ROW_ROLE) for r in range(model.rowCount())]
    assert rows == data.sorted(flt, BillSort())

    model.set_filter(BillFilter(merchant_text="no such merchant"))
    assert model.rowCount() == 0
    assert model.totals.total == Decimal("0.00")


def _insert_plain(database: Database, count: int) -> None:
    t0 = dt.datetime(2026, 1, 1)
    with database.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO t_bill (pay_no, enterprise_id, consume_type, total_amount,"
                " enterprise_pay_amount, personal_pay_amount, discount_amount, refund_amount,"
                " trade_time, status, synced_at)"
                " VALUES (:p, 'E1', 'CONSUME', :a, :a, 0, 0, 0, :t, 'paid', :t)"
            ),
            [{"p": f"P{i:06d}", "a": i, "t": t0 + dt.timedelta(minutes=i)} for i in range(count)],
        )


def test_far_rows_load_lazily(
    database: Database, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _insert_plain(database, 20_000)
    query = BillQuery(database)
    fetched: list[tuple[int, int]] = []
    real_page = query.page

    def counting_page(*args: Any, **kwargs: Any) -> list[BillRow]:
        fetched.append((args[2], args[3]))
        return real_page(*args, **kwargs)

    monkeypatch.setattr(query, "page", counting_page)
    model = BillTableModel(query, page_size=256, max_pages=40)
    assert model.rowCount() == 20_000

    # Default sort is newest first: row r holds bill number 19 999 - r.
    row = model.data(model.index(10_000, BillColumn.PAY_NO))
    assert row == "P009999"
    assert model.data(model.index(19_999, BillColumn.AMOUNT), SORT_ROLE) == Decimal("0.00")
    assert fetched == [(39 * 256, 256), (78 * 256, 256)]
    assert model.cached_pages == 2

    for r in range(0, 20_000, 256):  # touch every page once
        model.data(model.index(r, 0))
    assert model.cached_pages == 40
    # Pages 39 and 78 were least recently used, so the walk evicted and re-read them too.
    assert len(fetched) == 2 + 79
    model.data(model.index(19_999, 0))  # page 78: the most recently read, still cached
    assert len(fetched) == 2 + 79


def test_changes_made_together_cost_one_read_and_a_sort_keeps_the_totals_in_flight(
    database: Database, qtbot: Any
) -> None:
    """Asynchronous mode: reads start on the next turn of the event loop, so a restored sort
    right after construction, or several filter fields set at once, read once; the first page
    is read before the sums, which read every matching row."""
    _insert_plain(database, 1_000)
    query = BillQuery(database)
    queued: list[tuple[Any, Any]] = []

    def fetch(work: Any, done: Any) -> None:
        queued.append((work, done))

    def run_first() -> None:
        work, done = queued.pop(0)
        done(work())

    model = BillTableModel(query, fetch=fetch)
    model.set_sort(BillSort("total_amount", descending=False))  # e.g. a restored header
    assert model.first_page_pending and queued == []  # nothing read yet
    qtbot.waitUntil(lambda: len(queued) == 1)  # one read: the first page
    run_first()
    assert not model.first_page_pending and model.totals is None
    assert model.rowCount() == 256  # one page known so far
    first = model.row_at(0)
    assert first is not None and first.total_amount == Decimal("0.00")
    assert queued == []  # the sums wait until the first screen has been painted…
    qtbot.waitUntil(lambda: len(queued) == 1)  # …then start
    run_first()
    assert model.totals is not None and model.totals.count == 1_000
    assert model.rowCount() == 1_000

    # A new filter and, in the same turn, a new sort: one page read, then one totals read.
    model.set_filter(BillFilter(amount_min=Decimal("5.00")))
    model.set_sort(BillSort("total_amount", descending=True))
    qtbot.waitUntil(lambda: len(queued) == 1)
    run_first()
    qtbot.waitUntil(lambda: len(queued) == 1)  # the totals, in flight
    # The clerk sorts again before the totals land: only the page is re-read, and the totals
    # already in flight still count.
    model.set_sort(BillSort("trade_time", descending=False))
    qtbot.waitUntil(lambda: len(queued) == 2)
    run_first()  # the totals
    run_first()  # the new first page
    assert queued == []
    assert model.totals is not None and model.totals.count == 500
    assert model.rowCount() == 500
    first = model.row_at(0)
    assert first is not None and first.total_amount == Decimal("5.00")  # oldest of the filter
