"""The 账单 tab against a really synced cache: filters, sorting and totals against SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from workstation.bills.query import BillFilter, BillQuery, BillSort
from workstation.db.engine import Database
from workstation.money import from_fen
from workstation.ui.context import TabContext
from workstation.ui.models.bill_table_model import ROW_ROLE, BillColumn, BillTableModel
from workstation.ui.tabs.bills import BillsTab, period_range
from workstation.ui.tasks import TaskRunner

pytestmark = pytest.mark.gui


def _latest_day(database: Database) -> dt.date:
    with database.engine.connect() as conn:
        latest = conn.execute(text("SELECT max(trade_time) FROM t_bill")).scalar_one()
    return dt.datetime.fromisoformat(str(latest)).date()


@pytest.fixture
def ctx(synced_database: Database, qsettings: QSettings) -> Iterator[TabContext]:
    runner = TaskRunner(busy_delay_ms=50)
    yield TabContext(database=synced_database, runner=runner, qsettings=qsettings)
    runner.wait(5000)


def make_tab(qtbot: QtBot, ctx: TabContext, today: dt.date | None = None) -> BillsTab:
    day = today or _latest_day(ctx.database)
    tab = BillsTab(ctx, today=lambda: day)
    qtbot.addWidget(tab)
    wait_loaded(qtbot, tab)
    return tab


def wait_loaded(qtbot: QtBot, tab: BillsTab) -> None:
    qtbot.waitUntil(lambda: not tab.model.loading, timeout=10_000)


def sql_truth(database: Database, where: str, params: dict[str, Any]) -> tuple[list[str], tuple]:
    """pay_nos in the default order and (count, sums) by plain SQL, independent of BillQuery."""
    with database.engine.connect() as conn:
        pay_nos = [
            r[0]
            for r in conn.execute(
                text(f"SELECT pay_no FROM t_bill WHERE {where} ORDER BY trade_time DESC, id DESC"),
                params,
            )
        ]
        sums = conn.execute(
            text(
                "SELECT count(*), coalesce(sum(total_amount),0), "
                "coalesce(sum(enterprise_pay_amount),0), coalesce(sum(personal_pay_amount),0), "
                f"coalesce(sum(refund_amount),0) FROM t_bill WHERE {where}"
            ),
            params,
        ).one()
    return pay_nos, (sums[0], *(from_fen(int(v)) for v in sums[1:]))


def shown(tab: BillsTab) -> list[str]:
    rows = [tab.model.row_at(r) for r in range(tab.model.rowCount())]
    assert all(rows), "every row should be loaded after waiting"
    return [r.pay_no for r in rows if r is not None]


def load_all(qtbot: QtBot, tab: BillsTab) -> list[str]:
    for r in range(tab.model.rowCount()):
        tab.model.row_at(r)
    wait_loaded(qtbot, tab)
    return shown(tab)


def totals_tuple(tab: BillsTab) -> tuple:
    t = tab.model.totals
    assert t is not None
    return (t.count, t.total, t.enterprise_paid, t.personal_paid, t.refunds)


def test_default_view_is_the_last_30_days(qtbot: QtBot, ctx: TabContext) -> None:
    tab = make_tab(qtbot, ctx)
    day = _latest_day(ctx.database)
    start, end = period_range("last30", day)
    pay_nos, sums = sql_truth(
        ctx.database, "trade_time >= :a AND trade_time < :b", {"a": start, "b": end}
    )
    assert pay_nos, "the demo company has spending in the last 30 days"
    assert load_all(qtbot, tab) == pay_nos
    assert totals_tuple(tab) == sums
    assert f"{sums[0]:,}" in tab.totals_label.text()


def test_each_filter_matches_sql(qtbot: QtBot, ctx: TabContext) -> None:
    tab = make_tab(qtbot, ctx)
    tab.period.setCurrentIndex(tab.period.findData("all"))
    wait_loaded(qtbot, tab)
    with ctx.database.engine.connect() as conn:
        busiest_employee = (
            conn.execute(
                text("SELECT employee_id FROM t_bill GROUP BY employee_id ORDER BY count(*) DESC")
            )
            .scalars()
            .first()
        )
        root = (
            conn.execute(
                text(
                    "SELECT department_id FROM t_department "
                    "WHERE parent_id IS NULL OR parent_id='-1'"
                )
            )
            .scalars()
            .first()
        )
        child = conn.execute(
            text(
                "SELECT parent_id FROM t_department WHERE parent_id IS NOT NULL "
                "AND parent_id != '-1' AND parent_id != :root GROUP BY parent_id LIMIT 1"
            ),
            {"root": root},
        ).scalar()
        institution = conn.execute(
            text("SELECT institution_id FROM t_bill WHERE institution_id IS NOT NULL LIMIT 1")
        ).scalar()
        merchant = conn.execute(text("SELECT merchant_name FROM t_bill LIMIT 1")).scalar_one()

    tab.employee.setCurrentIndex(tab.employee.findData(busiest_employee))
    wait_loaded(qtbot, tab)
    expect = sql_truth(ctx.database, "employee_id = :e", {"e": busiest_employee})
    assert (load_all(qtbot, tab), totals_tuple(tab)) == expect
    tab.employee.setCurrentIndex(0)

    subtree = (
        "department_id IN (WITH RECURSIVE t(id) AS (SELECT :d UNION "
        "SELECT department_id FROM t_department JOIN t ON parent_id = t.id) SELECT id FROM t)"
    )
    if child is not None:
        tab.department.setCurrentIndex(tab.department.findData(child))
        wait_loaded(qtbot, tab)
        expect = sql_truth(ctx.database, subtree, {"d": child})
        assert (load_all(qtbot, tab), totals_tuple(tab)) == expect
        tab.sub_departments.setChecked(False)
        wait_loaded(qtbot, tab)
        expect = sql_truth(ctx.database, "department_id = :d", {"d": child})
        assert (load_all(qtbot, tab), totals_tuple(tab)) == expect
        tab.sub_departments.setChecked(True)
        tab.department.setCurrentIndex(0)

    if institution is not None:
        tab.institution.setCurrentIndex(tab.institution.findData(institution))
        wait_loaded(qtbot, tab)
        expect = sql_truth(ctx.database, "institution_id = :i", {"i": institution})
        assert (load_all(qtbot, tab), totals_tuple(tab)) == expect
        tab.institution.setCurrentIndex(0)

    tab.status.setCurrentIndex(tab.status.findData("refunded"))
    wait_loaded(qtbot, tab)
    expect = sql_truth(ctx.database, "status = 'refunded'", {})
    assert (load_all(qtbot, tab), totals_tuple(tab)) == expect
    tab.status.setCurrentIndex(0)

    qtbot.keyClicks(tab.amount_min, "50")
    qtbot.keyClicks(tab.amount_max, "¥1,000.00")
    qtbot.keyClick(tab.amount_max, Qt.Key.Key_Return)
    wait_loaded(qtbot, tab)
    expect = sql_truth(ctx.database, "total_amount BETWEEN 5000 AND 100000", {})
    assert (load_all(qtbot, tab), totals_tuple(tab)) == expect
    tab.amount_min.clear()
    tab.amount_max.clear()

    fragment = merchant[1:3]
    tab.merchant.setText(fragment)
    tab.apply_filter()
    wait_loaded(qtbot, tab)
    expect = sql_truth(ctx.database, "instr(merchant_name, :m) > 0", {"m": fragment})
    assert (load_all(qtbot, tab), totals_tuple(tab)) == expect


def test_custom_dates_are_inclusive_days(qtbot: QtBot, ctx: TabContext) -> None:
    tab = make_tab(qtbot, ctx)
    day = _latest_day(ctx.database)
    tab.period.setCurrentIndex(tab.period.findData("custom"))
    tab.date_from.setDate(day - dt.timedelta(days=6))
    tab.date_to.setDate(day)
    wait_loaded(qtbot, tab)
    start = dt.datetime.combine(day - dt.timedelta(days=6), dt.time())
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
    expect = sql_truth(ctx.database, "trade_time >= :a AND trade_time < :b", {"a": start, "b": end})
    assert (load_all(qtbot, tab), totals_tuple(tab)) == expect


def test_bad_amount_is_named_and_changes_nothing(qtbot: QtBot, ctx: TabContext) -> None:
    tab = make_tab(qtbot, ctx)
    before = tab.model.bill_filter
    qtbot.keyClicks(tab.amount_min, "12.345")
    qtbot.keyClick(tab.amount_min, Qt.Key.Key_Return)
    error = tab.filter_error_shown
    assert error is not None and error.field == "amount_min"
    assert tab.filter_error.isVisibleTo(tab)
    assert "amount_min" in tab.filter_error.text()
    assert tab.model.bill_filter == before
    tab.amount_min.clear()
    qtbot.keyClicks(tab.amount_min, "300")
    qtbot.keyClicks(tab.amount_max, "100")
    tab.apply_filter()
    error = tab.filter_error_shown
    assert error is not None and error.field == "amount_max"
    tab.amount_max.clear()
    tab.apply_filter()
    assert tab.filter_error_shown is None and not tab.filter_error.isVisibleTo(tab)
    assert tab.model.bill_filter.amount_min == Decimal("300.00")


def test_sorting_by_header_matches_sql(qtbot: QtBot, ctx: TabContext) -> None:
    tab = make_tab(qtbot, ctx)
    tab.period.setCurrentIndex(tab.period.findData("all"))
    wait_loaded(qtbot, tab)
    tab.view.sortByColumn(BillColumn.AMOUNT, Qt.SortOrder.AscendingOrder)
    wait_loaded(qtbot, tab)
    with ctx.database.engine.connect() as conn:
        expect = list(
            conn.execute(text("SELECT pay_no FROM t_bill ORDER BY total_amount, id")).scalars()
        )
    assert load_all(qtbot, tab) == expect
    assert tab.model.bill_sort == BillSort("total_amount", descending=False)


def test_saved_views_reopen_and_stay_relative(
    qtbot: QtBot, ctx: TabContext, qsettings: QSettings
) -> None:
    tab = make_tab(qtbot, ctx)
    tab.period.setCurrentIndex(tab.period.findData("month"))
    tab.status.setCurrentIndex(tab.status.findData("paid"))
    qtbot.keyClicks(tab.amount_min, "20")
    tab.apply_filter()
    wait_loaded(qtbot, tab)
    tab.view.sortByColumn(BillColumn.AMOUNT, Qt.SortOrder.DescendingOrder)
    wait_loaded(qtbot, tab)
    tab.save_view("本月大额")
    saved_filter = tab.model.bill_filter

    tab.on_reset()
    wait_loaded(qtbot, tab)
    assert tab.model.bill_filter != saved_filter

    tab.open_view("本月大额")
    wait_loaded(qtbot, tab)
    assert tab.model.bill_filter == saved_filter
    assert tab.model.bill_sort == BillSort("total_amount", descending=True)
    assert tab.views.currentText() == "本月大额"

    # A new tab on another day (same QSettings) reopens "this month" as *its* month.
    later = _latest_day(ctx.database) + dt.timedelta(days=40)
    other = make_tab(qtbot, ctx, today=later)
    assert other.views.findText("本月大额") >= 0
    other.open_view("本月大额")
    wait_loaded(qtbot, other)
    start, end = period_range("month", later)
    assert other.model.bill_filter.date_from == start
    assert other.model.bill_filter.date_to == end
    assert other.model.bill_filter.amount_min == Decimal("20.00")

    other.delete_view("本月大额")
    assert other.views.findText("本月大额") < 0


def test_refresh_after_new_bills_keeps_scroll_and_counts_them(
    qtbot: QtBot, ctx: TabContext
) -> None:
    tab = make_tab(qtbot, ctx)
    tab.period.setCurrentIndex(tab.period.findData("all"))
    wait_loaded(qtbot, tab)
    tab.resize(900, 300)
    tab.show()
    before = tab.model.rowCount()
    tab.view.scrollToBottom()
    bar = tab.view.verticalScrollBar()
    position = bar.value()
    assert position > 0
    resets: list[None] = []
    tab.model.modelReset.connect(lambda: resets.append(None))
    with ctx.database.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO t_bill (pay_no, enterprise_id, consume_type, total_amount, "
                "enterprise_pay_amount, personal_pay_amount, discount_amount, refund_amount, "
                "trade_time, merchant_name, status, synced_at) "
                "SELECT 'NEW-1', enterprise_id, 'CONSUME', 1234, 1234, 0, 0, 0, "
                "'2001-01-01 00:00:00', '新商户', 'paid', synced_at FROM t_bill LIMIT 1"
            )
        )
    ctx.events.changed.emit("bills")
    qtbot.waitUntil(lambda: tab.model.rowCount() == before + 1, timeout=10_000)
    wait_loaded(qtbot, tab)
    assert not resets, "a refresh must not reset the view"
    assert bar.value() >= position
    assert tab.model.totals is not None and tab.model.totals.count == before + 1


def test_show_bill_selects_it_and_shows_vouchers(qtbot: QtBot, ctx: TabContext) -> None:
    with ctx.database.engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT b.pay_no, v.voucher_id FROM t_bill b JOIN t_voucher v "
                "ON v.bill_id = b.pay_no LIMIT 1"
            )
        ).first()
    assert row is not None, "the synced demo has vouchers"
    tab = make_tab(qtbot, ctx)
    tab.show_bill(row.pay_no)
    wait_loaded(qtbot, tab)
    assert shown(tab) == [row.pay_no]
    qtbot.waitUntil(lambda: tab.view.currentIndex().row() == 0)
    assert row.pay_no in tab.detail.toPlainText()
    assert row.voucher_id in tab.detail.toPlainText()
    assert tab.pay_no_label.isVisibleTo(tab)
    tab.on_clear_pay_no()
    wait_loaded(qtbot, tab)
    assert tab.model.bill_filter.pay_no is None
    assert tab.model.rowCount() > 1


def test_export_rows_are_exactly_the_filtered_rows(qtbot: QtBot, ctx: TabContext) -> None:
    tab = make_tab(qtbot, ctx)
    tab.period.setCurrentIndex(tab.period.findData("all"))
    tab.status.setCurrentIndex(tab.status.findData("paid"))
    wait_loaded(qtbot, tab)
    headers, rows = tab.export_table()
    assert headers[BillColumn.AMOUNT] == "账单金额"
    exported = list(rows)
    pay_nos, sums = sql_truth(ctx.database, "status = 'paid'", {})
    assert [r[BillColumn.PAY_NO] for r in exported] == pay_nos
    assert sum(r[BillColumn.AMOUNT] for r in exported) == sums[1]
    assert all(isinstance(r[BillColumn.AMOUNT], Decimal) for r in exported)
    summary = dict(tab.export_summary())
    assert summary["笔数"] == sums[0]


def test_async_model_passes_the_model_tester(
    qtbot: QtBot, ctx: TabContext, qtmodeltester: Any
) -> None:
    model = BillTableModel(
        BillQuery(ctx.database),
        BillFilter(),
        fetch=ctx.runner.run,
        page_size=16,
    )
    qtbot.waitUntil(lambda: not model.loading, timeout=10_000)
    qtmodeltester.check(model)
    first = model.data(model.index(0, 0), ROW_ROLE)
    assert first is not None
