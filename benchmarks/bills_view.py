"""Benchmark: the bills view (BillTableModel over BillQuery) on a cache of N bills.

    QT_QPA_PLATFORM=offscreen python benchmarks/bills_view.py [--bills 1000000] [--db PATH]

1. Builds a migrated SQLite cache with a 3-level department tree, employees and N bills spread
   over one year (raw ``sqlite3.executemany`` in chunks; ``--db`` keeps the file for reruns).
2. With the model offscreen, times: first screen (``rowCount`` + ``data()`` for 40 rows × all
   columns) unfiltered; the same after a filter (one department subtree + last 30 days); the last
   screen (scroll to the end); sort by amount and show the first screen. Peak RSS at the end.
3. Prints the query plans of the default sort with each filter.

The last line is a machine-readable summary of ``name=value`` pairs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from workstation.bills.models import BillStatus
from workstation.bills.query import BillFilter, BillQuery, BillSort
from workstation.db.engine import Database

SCREEN = 40
NOW = dt.datetime(2026, 11, 20, 12, 0)
TIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"  # SQLAlchemy's SQLite DATETIME storage format
MERCHANTS = ["滴滴出行", "美团外卖", "Starbucks", "全季酒店", "中国铁路12306", "McDonald's", "京东"]
CATEGORIES = ["TAXI", "MEAL", "HOTEL", "TRAIN", "OFFICE"]


def departments() -> list[tuple[str, str, str, int]]:
    """(department_id, name, parent_id, depth): 5 roots × 6 × 6."""
    out = []
    for a in range(5):
        root = f"D{a}"
        out.append((root, f"事业部{a}", "-1", 1))
        for b in range(6):
            mid = f"D{a}.{b}"
            out.append((mid, f"部门{a}.{b}", root, 2))
            for c in range(6):
                out.append((f"D{a}.{b}.{c}", f"小组{a}.{b}.{c}", mid, 3))
    return out


def build(path: Path, bills: int, employees: int) -> None:
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    db.dispose()
    rng = random.Random(20261122)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    stamp = NOW.strftime(TIME_FORMAT)
    deps = departments()
    conn.executemany(
        "INSERT INTO t_department (department_id, enterprise_id, name, parent_id, depth,"
        " create_time, update_time, deleted) VALUES (?, 'E1', ?, ?, ?, ?, ?, 0)",
        [(d, n, p, depth, stamp, stamp) for d, n, p, depth in deps],
    )
    leaves = [d for d, _, _, depth in deps if depth == 3]
    emps = [(f"U{i:05d}", f"员工{i}", rng.choice(leaves)) for i in range(employees)]
    conn.executemany(
        "INSERT INTO t_employee (employee_id, enterprise_id, name, department_id, status,"
        " create_time, update_time, deleted) VALUES (?, 'E1', ?, ?, 'active', ?, ?, 0)",
        [(e, n, d, stamp, stamp) for e, n, d in emps],
    )
    sql = (
        "INSERT INTO t_bill (pay_no, enterprise_id, employee_id, department_id, institution_id,"
        " consume_type, total_amount, enterprise_pay_amount, personal_pay_amount,"
        " discount_amount, refund_amount, trade_time, merchant_name, category, status, synced_at)"
        " VALUES (?, 'E1', ?, ?, ?, 'CONSUME', ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)"
    )
    start = NOW - dt.timedelta(days=365)
    span = 365 * 86400
    chunk: list[tuple[Any, ...]] = []
    for i in range(bills):
        emp, _, dep = emps[rng.randrange(employees)]
        total = rng.randrange(100, 500_000)
        personal = total // 5 if rng.random() < 0.2 else 0
        status = rng.choices(["paid", "refunded", "closed"], [90, 7, 3])[0]
        refund = total if status == "refunded" else 0
        when = start + dt.timedelta(seconds=rng.randrange(span))
        chunk.append(
            (
                f"P{i:09d}",
                emp,
                dep,
                f"I{rng.randrange(10)}",
                total,
                total - personal,
                personal,
                refund,
                when.strftime(TIME_FORMAT),
                rng.choice(MERCHANTS),
                rng.choice(CATEGORIES),
                status,
                stamp,
            )
        )
        if len(chunk) == 50_000:
            conn.executemany(sql, chunk)
            chunk.clear()
    conn.executemany(sql, chunk)
    conn.commit()
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bills", type=int, default=1_000_000)
    parser.add_argument("--employees", type=int, default=2000)
    parser.add_argument("--db", type=Path, help="reuse/keep the cache file here")
    args = parser.parse_args()

    tmp = None
    if args.db is None:
        tmp = tempfile.TemporaryDirectory()
        path = Path(tmp.name) / "bills.db"
    else:
        path = args.db
    if not path.exists():
        t0 = time.perf_counter()
        build(path, args.bills, args.employees)
        print(f"built {args.bills:,} bills in {time.perf_counter() - t0:.1f}s", flush=True)

    from PySide6.QtCore import QCoreApplication, Qt

    from workstation.ui.models.bill_table_model import BillColumn, BillTableModel

    app = QCoreApplication.instance() or QCoreApplication(sys.argv)
    db = Database(f"sqlite:///{path}")
    query = BillQuery(db)

    def screen(model: BillTableModel, first: int) -> None:
        for row in range(first, min(first + SCREEN, model.rowCount())):
            for col in range(model.columnCount()):
                model.data(model.index(row, col))

    results: dict[str, float] = {}
    model: BillTableModel | None = None

    def first_screen() -> None:
        nonlocal model
        model = BillTableModel(query)
        screen(model, 0)

    results["first_screen_ms"] = timed(first_screen)
    assert model is not None
    m = model
    print(f"rows: {m.rowCount():,}")
    # A second, warm run: what a clerk sees after the OS page cache holds the file.
    results["first_screen_warm_ms"] = timed(first_screen)
    m = model

    results["scroll_end_ms"] = timed(lambda: screen(m, m.rowCount() - SCREEN))
    results["scroll_middle_ms"] = timed(lambda: screen(m, m.rowCount() // 2))

    flt = BillFilter(department_id="D1", date_from=NOW - dt.timedelta(days=30))

    def filtered() -> None:
        m.set_filter(flt)
        screen(m, 0)

    results["filter_first_screen_ms"] = timed(filtered)
    print(f"filtered rows: {m.rowCount():,}")
    results["filter_scroll_end_ms"] = timed(lambda: screen(m, m.rowCount() - SCREEN))

    def sort_amount() -> None:
        m.sort(BillColumn.AMOUNT, Qt.SortOrder.DescendingOrder)
        screen(m, 0)

    results["filter_sort_amount_ms"] = timed(sort_amount)
    m.set_filter(BillFilter())
    results["sort_amount_ms"] = timed(sort_amount)
    results["sort_amount_scroll_end_ms"] = timed(lambda: screen(m, m.rowCount() - SCREEN))

    m.sort(BillColumn.TRADE_TIME, Qt.SortOrder.DescendingOrder)
    results["totals_ms"] = timed(lambda: query.totals(BillFilter()))

    def merchant() -> None:
        m.set_filter(BillFilter(merchant_text="starbucks"))
        screen(m, 0)

    results["merchant_filter_ms"] = timed(merchant)
    results["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results["cached_pages"] = m.cached_pages

    print("\nquery plans, default sort (trade_time desc):")
    for name, f in {
        "none": BillFilter(),
        "dates": BillFilter(date_from=NOW - dt.timedelta(days=30), date_to=NOW),
        "department subtree": BillFilter(department_id="D1"),
        "department only": BillFilter(department_id="D1.2.3", include_sub_departments=False),
        "employee": BillFilter(employee_id="U00007"),
        "institution": BillFilter(institution_id="I3"),
        "status": BillFilter(status=BillStatus.REFUNDED),
        "amount": BillFilter(amount_min=Decimal("1000.00")),
    }.items():
        print(f"  {name}: {' | '.join(query.explain(f))}")
    print(f"  sort by amount: {' | '.join(query.explain(BillFilter(), BillSort('total_amount')))}")

    db.dispose()
    del app
    if tmp is not None:
        tmp.cleanup()
    print()
    for k, v in results.items():
        print(f"{k:>28}: {v:,.1f}")
    print(" ".join(f"{k}={v:.1f}" for k, v in results.items()))


if __name__ == "__main__":
    main()
