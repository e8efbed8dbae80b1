"""Mirror the vouchers (凭证/发票) attached to bills.

Alipay lists no vouchers on its own, so they are reached through bills, with the documented
calls: a monthly summary invoice batch (a bill's ``summary_id``) answers for all its bills in one
``voucher.summary.query``; any other consume bill is asked once with ``consume.detail.query``
(its ``related_voucher_list``), and ``t_bill.voucher_checked_at`` remembers that it was asked.
Work is committed in chunks, so an interrupted first run keeps what it fetched.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, select, update

from workstation.alipay.types import Voucher as AlipayVoucher
from workstation.bills.models import Bill
from workstation.db.base import utcnow
from workstation.money import MoneyError, parse
from workstation.org.sync import detail_map
from workstation.sync.context import SyncContext
from workstation.sync.upsert import fen_or_none, upsert
from workstation.vouchers.models import Voucher

__all__ = ["ENTITY", "sync_vouchers", "voucher_row"]

ENTITY = "vouchers"
# The invoice total including tax comes first; "amount" alone is often the pre-tax amount.
_AMOUNT_KEYS = ("total_amount", "invoice_amount", "amount_with_tax", "sum_amount", "amount")
_TAX_KEYS = ("tax_amount", "tax")


def _content(text: str | None) -> dict[str, Any] | None:
    if not text:
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return {"text": text}
    return value if isinstance(value, dict) else {"value": value}


def _first_amount(content: dict[str, Any], keys: Iterable[str]) -> Decimal | None:
    for key in keys:
        value = content.get(key)
        if value in (None, ""):
            continue
        try:
            return parse(str(value))
        except MoneyError:
            continue
    return None


def _first_text(content: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = content.get(key)
        if value not in (None, ""):
            return str(value)[:256]
    return None


def voucher_row(
    v: AlipayVoucher, bill_id: str | None, summary_id: str | None, now: dt.datetime
) -> dict[str, Any]:
    content = _content(v.voucher_content) or {}
    return {
        "voucher_id": v.voucher_id,
        "bill_id": bill_id or _first_text(content, "pay_no", "bill_id"),
        "enterprise_id": v.enterprise_id,
        "employee_id": v.employee_id,
        "voucher_type": v.voucher_type,
        "voucher_source": v.voucher_source,
        "voucher_date": v.voucher_date,
        "content": content or None,
        "invoice_code": _first_text(content, "invoice_code"),
        "invoice_no": _first_text(content, "invoice_no", "invoice_number"),
        "invoice_amount": fen_or_none(_first_amount(content, _AMOUNT_KEYS)),
        "tax_amount": fen_or_none(_first_amount(content, _TAX_KEYS)),
        "seller_name": _first_text(content, "seller_name", "seller"),
        "buyer_title": _first_text(content, "buyer_title", "buyer_name", "title"),
        "summary_id": summary_id,
        "deleted": False,
        "update_time": now,
        "create_time": now,
    }


CHUNK = 400


def sync_vouchers(ctx: SyncContext) -> None:
    with ctx.db.read_session() as session:
        unchecked = session.execute(
            select(Bill.pay_no, Bill.summary_id)
            .where(Bill.voucher_checked_at.is_(None), Bill.consume_type == "CONSUME")
            .order_by(Bill.trade_time.desc())
        ).all()
    # A batch with a new bill is asked again: its invoices may have changed since.
    members: dict[str, list[str]] = {}
    singles: list[str] = []
    for pay_no, summary_id in unchecked:
        if summary_id:
            members.setdefault(summary_id, []).append(pay_no)
        else:
            singles.append(pay_no)
    summaries = sorted(members)
    total = len(summaries) + len(singles)
    done = 0
    ctx.progress(done, total)
    gateway = ctx.gateway
    for start in range(0, len(summaries), CHUNK):
        chunk = summaries[start : start + CHUNK]
        batches = detail_map(gateway.query_voucher_summary, chunk)
        now = utcnow()
        rows = [
            voucher_row(v, None, summary_id, now)
            for summary_id, vouchers in zip(chunk, batches, strict=True)
            for v in vouchers
            if v.voucher_id
        ]
        _write(ctx, rows, checked=[p for s in chunk for p in members[s]])
        done += len(chunk)
        ctx.progress(done, total)
    for start in range(0, len(singles), CHUNK):
        chunk = singles[start : start + CHUNK]
        details = detail_map(gateway.query_bill_vouchers, chunk)
        now = utcnow()
        rows = [
            voucher_row(v, pay_no, None, now)
            for pay_no, vouchers in zip(chunk, details, strict=True)
            for v in vouchers
            if v.voucher_id
        ]
        _write(ctx, rows, checked=chunk)
        done += len(chunk)
        ctx.progress(done, total)


def _write(ctx: SyncContext, rows: list[dict[str, Any]], checked: list[str]) -> None:
    """Vouchers, the bills' voucher links, and the "asked" marks: one transaction."""
    now = utcnow()
    unique = list({r["voucher_id"]: r for r in rows}.values())
    with ctx.db.session() as session:
        conn = session.connection()
        counts = upsert(conn, Voucher, unique, ["voucher_id"])
        links = [{"p": r["bill_id"], "v": r["voucher_id"]} for r in unique if r["bill_id"]]
        if links:
            conn.execute(
                update(Bill).where(Bill.pay_no == bindparam("p")).values(voucher_id=bindparam("v")),
                links,
            )
        for start in range(0, len(checked), 500):
            conn.execute(
                update(Bill)
                .where(Bill.pay_no.in_(checked[start : start + 500]))
                .values(voucher_checked_at=now)
            )
    ctx.counts.add(counts.inserted, counts.updated)
