"""Mirror Alipay's bills into ``t_bill``: 24-hour windows from the cursor, page by page.

Each window is fetched completely first (network, no lock held), then written in one transaction
together with the cursor that says "everything up to the window's end is here". A crash or a
failed page leaves the cursor where it was, and the upsert makes re-reading a window harmless.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import Connection, select

from workstation.alipay.types import Bill as AlipayBill
from workstation.bills.models import Bill, BillStatus
from workstation.db.base import utcnow
from workstation.institutions.models import ExpenseRule
from workstation.org.models import Employee
from workstation.sync.context import CURSOR_FORMAT, SyncContext, read_cursor, write_cursor
from workstation.sync.upsert import fen, upsert

__all__ = ["ENTITY", "bill_row", "bill_windows", "sync_bills"]

ENTITY = "bills"
WINDOW = dt.timedelta(hours=24)  # consume.detail.batchquery's limit
# Re-read a little before the cursor: a bill committed on Alipay's side a moment before our last
# window closed may only have become visible after we read it.
OVERLAP = dt.timedelta(minutes=2)
PAGE_SIZE = 1000
PREFETCH = 2  # windows fetched ahead of the one being written
_REFUNDED = {"REFUND_FULL", "REFUND_PART"}
NOT_COMPARED = ("synced_at", "voucher_checked_at")


def bill_windows(start: dt.datetime, end: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    while start < end:
        stop = min(start + WINDOW, end)
        yield start, stop
        start = stop


def bill_row(
    bill: AlipayBill,
    enterprise_id: str,
    departments: Mapping[str, str | None],
    institutions: Mapping[str, str],
    synced_at: dt.datetime,
) -> dict[str, Any]:
    """One Alipay bill → one ``t_bill`` row in database form (fen, enum values)."""
    refunded = (bill.refund_status or "").upper() in _REFUNDED
    return {
        "pay_no": bill.pay_no,
        "trade_no": bill.raw.get("biz_out_no") or None,
        "enterprise_id": bill.enterprise_id or enterprise_id,
        "employee_id": bill.employee_id,
        "department_id": departments.get(bill.employee_id or ""),
        "institution_id": institutions.get(bill.expense_rule_group_id or "")
        or bill.raw.get("institution_id")
        or None,
        "quota_id": bill.raw.get("quota_id") or None,
        "consume_type": bill.consume_type or "CONSUME",
        "related_pay_no": bill.related_pay_no,
        "total_amount": fen(abs(bill.amount)),
        "enterprise_pay_amount": fen(abs(bill.enterprise_paid)),
        "personal_pay_amount": fen(abs(bill.personal_paid)),
        "discount_amount": fen(abs(bill.benefit)),
        "refund_amount": fen(abs(bill.refund_amount)),
        "trade_time": bill.trade_time,
        "merchant_id": bill.merchant_id,
        "merchant_name": bill.merchant_name,
        "category": bill.category or bill.consume_category,
        "expense_type": bill.expense_type,
        "status": (BillStatus.REFUNDED if refunded else BillStatus.PAID).value,
        "summary_id": bill.summary_apply_id,
        # A bill that really changed (a refund, say) is asked for its vouchers again: the upsert
        # writes this NULL only when another column differs.
        "voucher_checked_at": None,
        "gmt_modified": bill.gmt_modified,
        "synced_at": synced_at,
    }


def _lookups(conn: Connection) -> tuple[dict[str, str | None], dict[str, str]]:
    departments = dict(conn.execute(select(Employee.employee_id, Employee.department_id)).all())
    institutions = dict(conn.execute(select(ExpenseRule.rule_id, ExpenseRule.institution_id)).all())
    return departments, institutions


def sync_bills(ctx: SyncContext) -> None:
    end = ctx.now()
    with ctx.db.read_session() as session:
        conn = session.connection()
        cursor = None if ctx.full else read_cursor(conn, ENTITY)
        departments, institutions = _lookups(conn)
    if cursor:
        start = dt.datetime.strptime(cursor, CURSOR_FORMAT) - OVERLAP
    else:
        start = end - dt.timedelta(days=ctx.backfill_days)
    windows = list(bill_windows(start, end))
    ctx.progress(0, len(windows))

    def fetch_rows(window: tuple[dt.datetime, dt.datetime]) -> list[dict[str, Any]]:
        synced_at = utcnow()
        return [
            bill_row(b, ctx.enterprise_id, departments, institutions, synced_at)
            for b in _fetch_window(ctx, *window)
        ]

    # While one window is written, the next ones are fetched and mapped on another thread:
    # the write waits on SQLite and fsync, the fetch on the network, and both release the GIL.
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bills-fetch")
    try:
        pending = deque((w, pool.submit(fetch_rows, w)) for w in windows[:PREFETCH])
        upcoming = iter(windows[PREFETCH:])
        done = 0
        while pending:
            (_, window_end), future = pending.popleft()
            rows = future.result()  # a failed page raises here: the cursor stays put
            ctx.checkpoint()
            following = next(upcoming, None)
            if following is not None:
                pending.append((following, pool.submit(fetch_rows, following)))
            with ctx.db.session() as session:
                conn = session.connection()
                counts = upsert(conn, Bill, rows, ["pay_no"], compare_ignore=NOT_COMPARED)
                write_cursor(conn, ENTITY, window_end.strftime(CURSOR_FORMAT))
            ctx.counts.add(counts.inserted, counts.updated)
            done += 1
            ctx.progress(done, len(windows))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _fetch_window(ctx: SyncContext, start: dt.datetime, end: dt.datetime) -> list[AlipayBill]:
    bills: dict[str, AlipayBill] = {}
    page_num = 1
    while True:
        ctx.checkpoint()
        page = ctx.gateway.query_bills(start, end, page_num, PAGE_SIZE)
        for bill in page.items:
            bills[bill.pay_no] = bill  # a bill modified mid-walk may show twice: keep the last
        if not page.has_next:
            return list(bills.values())
        page_num += 1
