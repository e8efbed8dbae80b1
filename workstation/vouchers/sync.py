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
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import bindparam, delete, select, update

from workstation.alipay.types import Voucher as AlipayVoucher
from workstation.bills.models import Bill
from workstation.db.base import utcnow
from workstation.money import MoneyError, parse
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
    gateway = ctx.gateway
    asks = [
        _Ask(gateway.query_voucher_summary, summary_id, None, summary_id, members[summary_id])
        for summary_id in sorted(members)
    ] + [_Ask(gateway.query_bill_vouchers, pay_no, pay_no, None, [pay_no]) for pay_no in singles]
    ctx.progress(0, len(asks))
    for start in range(0, len(asks), CHUNK):
        chunk = asks[start : start + CHUNK]
        answers = ctx.map(lambda ask: ask.fetch(ask.key), chunk)
        now = utcnow()
        rows = [
            voucher_row(v, ask.bill_id, ask.summary_id, now)
            for ask, vouchers in zip(chunk, answers, strict=True)
            for v in vouchers
            if v.voucher_id
        ]
        _write(ctx, chunk, rows)
        ctx.progress(start + len(chunk), len(asks))


class _Ask(NamedTuple):
    """One question to Alipay: a summary batch or a single bill, and the bills it answers for."""

    fetch: Callable[[str], list[AlipayVoucher]]
    key: str
    bill_id: str | None  # the bill a voucher found this way belongs to, if one
    summary_id: str | None
    bills: list[str]


def _write(ctx: SyncContext, chunk: list[_Ask], rows: list[dict[str, Any]]) -> None:
    """One transaction: the vouchers, the bills' links to them, the "asked" marks, and the
    removal of what an answer no longer contains (each answer is complete for its key: a fully
    refunded bill loses its invoice; a batch's invoices are re-issued as it grows)."""
    now = utcnow()
    unique = list({r["voucher_id"]: r for r in rows}.values())
    answered = {r["voucher_id"] for r in unique}
    bills = [ask.key for ask in chunk if ask.bill_id]
    batches = [ask.key for ask in chunk if ask.summary_id]
    checked = [pay_no for ask in chunk for pay_no in ask.bills]
    with ctx.db.session() as session:
        conn = session.connection()
        counts = upsert(conn, Voucher, unique, ["voucher_id"])
        removed = 0
        for column, keys in ((Voucher.bill_id, bills), (Voucher.summary_id, batches)):
            for start in range(0, len(keys), 500):
                stale = select(Voucher.voucher_id).where(column.in_(keys[start : start + 500]))
                gone = [v for v in conn.execute(stale).scalars() if v not in answered]
                if gone:
                    conn.execute(delete(Voucher).where(Voucher.voucher_id.in_(gone)))
                    conn.execute(
                        update(Bill).where(Bill.voucher_id.in_(gone)).values(voucher_id=None)
                    )
                    removed += len(gone)
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
    ctx.counts.add(counts.inserted, counts.updated, removed)
