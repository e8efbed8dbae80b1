"""Bills (消费账单), vouchers (凭证/发票) and statements (对账单) — alipay-api.md A.6, A.7.

**Which time does ``consume.detail.batchquery`` filter on?** ``gmt_modified``: the last time
the bill changed. A bill is created with ``gmt_modified = gmt_biz_create``; a refund creates a
separate ``REFUND`` bill (``related_pay_no`` → the original, created at refund time) *and*
updates the original (``refund_amount``, ``refund_status``, ``peer_refund_*``) and its
``gmt_modified``. So an incremental sync that walks consecutive windows up to "now" sees the
refund bill and the changed original again, however old the original is. Every item carries
``gmt_modified`` as an extra field (not in the published model). Window rules: both ends
inclusive, at most 24 hours (``DATE_RANGE_EXCEED_LIMIT``), ``yyyy-MM-dd HH:mm:ss``; items are
ordered by (``gmt_modified``, internal id) so pages are stable; ``page_size`` ≤ 1000.
A bill whose change lands exactly on a shared boundary second can appear in two adjacent
windows: upsert by ``pay_no``.

Amounts are yuan strings with two decimals. Refund bills carry positive amounts
(``consume_type=REFUND``); ``consume_fee_with_discount = consume_amount + benefit_amount``;
``peer_pay_amount`` is the enterprise-paid part, the rest of ``consume_amount`` was personal.

Bill columns (table ``bills``): ``kind`` 0 consume / 1 refund, ``merchant`` index into
``catalog.MERCHANTS``, ``*_fen`` money, ``related_id`` the original of a refund, ``voucher`` 0
none / 1 own e-invoice (``voucher_id = "VC" + pay_no``) / 2 monthly summary invoice
(``summary_apply_id = "SA" + yyyyMM + employee_id``), ``created``/``modified`` times.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from workstation.sandbox import catalog, ids
from workstation.sandbox.errors import GatewayError
from workstation.sandbox.methods._base import (
    Biz,
    Context,
    invalid,
    method,
    opt,
    page,
    req,
    require_enterprise,
    yuan,
)
from workstation.sandbox.store import TS_FORMAT, fmt_ts

MAX_WINDOW = timedelta(hours=24)

BILL_SELECT = (
    "SELECT b.*, e.employee_name, e.user_id, e.open_id, e.mobile, e.activate, "
    "i.expense_type, r.created AS related_created "
    "FROM bills b "
    "LEFT JOIN employees e ON e.employee_id = b.employee_id "
    "LEFT JOIN institutions i ON i.institution_id = b.institution_id "
    "LEFT JOIN bills r ON r.id = b.related_id "
)

_ITEM_NAMES = {
    "meal": "*餐饮服务*餐费",
    "entertain": "*餐饮服务*餐费",
    "taxi": "*运输服务*客运服务费",
    "travel": "*运输服务*旅客运输服务",
    "hotel": "*住宿服务*住宿费",
    "purchase": "*文具*办公用品",
}


def _status(refund: int, amount: int) -> str:
    if refund <= 0:
        return "INIT"
    return "REFUND_FULL" if refund >= amount else "REFUND_PART"


def summary_id(created: str, employee_id: str) -> str:
    return f"SA{created[0:4]}{created[5:7]}{employee_id}"


def _merchant_fields(index: int) -> Biz:
    m = catalog.MERCHANTS[index]
    kind = catalog.KINDS[m.kind]
    return {
        "merchant_id": catalog.merchant_id(index),
        "merchant_name": m.name,
        "seller_id": catalog.merchant_id(index),
        "shop_id": catalog.shop_id(index),
        "opposite_full_name": m.company,
        "consume_category": kind.consume_category,
        "category_name": kind.category_name,
        "consume_title": kind.title,
        "scene_code": m.scene_code,
    }


# Built once: the merchant part of every bill is static.
_MERCHANT_FIELDS = [_merchant_fields(i) for i in range(len(catalog.MERCHANTS))]


def consume_info(row: sqlite3.Row, ent: sqlite3.Row) -> Biz:
    is_refund = row["kind"] == 1
    amount, peer = row["amount_fen"], row["peer_fen"]
    refund, peer_refund = row["refund_fen"], row["peer_refund_fen"]
    info: Biz = {
        "pay_no": ids.pay_no(row["id"], row["created"]),
        "consume_type": "REFUND" if is_refund else "CONSUME",
        "consume_biz_type": "EC_PAY",
        "enterprise_id": ent["enterprise_id"],
        "account_id": ent["account_id"],
        "employee_id": row["employee_id"],
    }
    if row["employee_name"] is not None:
        info["payer_name"] = row["employee_name"]
        info["user_id"] = row["user_id"]
        info["open_id"] = row["open_id"]
        if row["mobile"]:
            info["payer_logon_id"] = f"{row['mobile'][:3]}****{row['mobile'][-4:]}"
    info.update(_MERCHANT_FIELDS[row["merchant"]])
    info.update(
        {
            "consume_amount": yuan(amount),
            "consume_fee_with_discount": yuan(amount + row["benefit_fen"]),
            "benefit_amount": yuan(row["benefit_fen"]),
            "peer_pay_amount": yuan(peer),
            "fund_biz_type": "ENTERPRISE" if peer > 0 else "PERSONAL",
            "refund_amount": yuan(refund),
            "refund_status": _status(refund, amount),
            "peer_refund_amount": yuan(peer_refund),
            "peer_refund_status": _status(peer_refund, peer) if peer > 0 else "INIT",
            "gmt_biz_create": row["created"],
            "gmt_receive_pay": row["created"],
            "order_complete_label": "1",
            "biz_out_no": f"M{row['created'][0:10].replace('-', '')}{row['id']:012d}",
        }
    )
    if peer > 0:
        info["peer_payer_card_name"] = ent["enterprise_name"]
        info["agreement_peer_payer_id"] = ent["account_id"]
    if row["memo"]:
        info["consume_memo"] = row["memo"]
    if is_refund and row["related_id"] is not None and row["related_created"] is not None:
        info["related_pay_no"] = ids.pay_no(row["related_id"], row["related_created"])
    if row["standard_id"] is not None:
        info["expense_rule_group_id"] = row["standard_id"]
    if row["expense_type"] is not None:
        info["expense_type"] = row["expense_type"]
    if row["voucher"] == 2 and not is_refund:
        info["invoice_open_mode"] = "ENTERPRISE_AUTO_BATCH"
        info["summary_apply_id"] = summary_id(row["created"], row["employee_id"])
    info["gmt_modified"] = row["modified"]  # extension: the batchquery window column
    return info


def _invoice_split(total_fen: int, rate_pct: int) -> tuple[int, int]:
    """(amount excluding tax, tax) in fen; the tax is what rounding leaves, as on real invoices."""
    excl = (Decimal(total_fen) * 100 / Decimal(100 + rate_pct)).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    return int(excl), total_fen - int(excl)


def _voucher_content(
    tag: str, m_idx: int, total_fen: int, date: str, ent: sqlite3.Row, *, summary: bool
) -> str:
    m = catalog.MERCHANTS[m_idx]
    rate = catalog.KINDS[m.kind].tax_rate_pct
    excl, tax = _invoice_split(total_fen, rate)
    content = {
        "invoice_type": "增值税电子普通发票" if not summary else "增值税电子普通发票（汇总）",
        "invoice_code": "0" + ids.digits(f"invoice-code:{m_idx}:{date[:7]}", 11),
        "invoice_no": ids.digits(f"invoice-no:{tag}", 8),
        "invoice_date": date[:10],
        "seller_name": m.company,
        "seller_tax_no": "91" + ids.digits(f"seller-tax:{m_idx}", 16),
        "buyer_name": ent["enterprise_name"],
        "buyer_tax_no": ent["enterprise_code"],
        "item_name": _ITEM_NAMES[m.kind],
        "amount": yuan(excl),
        "tax_rate": f"{rate}%",
        "tax_amount": yuan(tax),
        "total_amount": yuan(total_fen),
    }
    return json.dumps(content, ensure_ascii=False, separators=(",", ":"))


def _voucher_date(created: str) -> str:
    issued = datetime.strptime(created, TS_FORMAT) + timedelta(minutes=3)
    return fmt_ts(issued)


def own_voucher(row: sqlite3.Row, ent: sqlite3.Row) -> Biz:
    pay_no = ids.pay_no(row["id"], row["created"])
    date = _voucher_date(row["created"])
    info: Biz = {
        "voucher_id": f"VC{pay_no}",
        "voucher_type": "INVOICE",
        "voucher_source": "MERCHANT",
        "voucher_date": date,
        "enterprise_id": ent["enterprise_id"],
        "account_id": ent["account_id"],
        "employee_id": row["employee_id"],
        "voucher_content": _voucher_content(
            pay_no, row["merchant"], row["amount_fen"] - row["refund_fen"], date, ent, summary=False
        ),
        "invoice_compliance_check_result": {"match_result_type": "1"},
    }
    if row["user_id"] is not None:
        info["user_id"] = row["user_id"]
        info["open_id"] = row["open_id"]
    return info


def _summary_vouchers(
    conn: sqlite3.Connection, ent: sqlite3.Row, sid: str, now: datetime, merchant: int | None
) -> list[Biz]:
    if len(sid) < 9 or not sid.startswith("SA") or not sid[2:8].isdigit():
        return []
    year, month, employee = int(sid[2:6]), int(sid[6:8]), sid[8:]
    if not 1 <= month <= 12:
        return []
    start = datetime(year, month, 1)
    end = (start + timedelta(days=32)).replace(day=1)
    args: list[object] = [employee, fmt_ts(start), fmt_ts(end)]
    extra = ""
    if merchant is not None:
        extra = " AND merchant = ?"
        args.append(merchant)
    rows = conn.execute(
        "SELECT merchant, SUM(amount_fen - refund_fen), COUNT(*) FROM bills "
        "WHERE employee_id = ? AND kind = 0 AND voucher = 2 AND created >= ? AND created < ?"
        f"{extra} GROUP BY merchant ORDER BY merchant",
        args,
    ).fetchall()
    date = fmt_ts(min(end - timedelta(hours=14), now))  # issued on the last day of the month
    out = []
    for m_idx, total, count in rows:
        if total <= 0:
            continue
        content = json.loads(
            _voucher_content(f"{sid}:{m_idx}", m_idx, total, date, ent, summary=True)
        )
        content["bill_count"] = count
        out.append(
            {
                "voucher_id": f"VS{sid}{m_idx:03d}",
                "voucher_type": "SUMMARY_INVOICE",
                "voucher_source": "MERCHANT",
                "voucher_date": date,
                "enterprise_id": ent["enterprise_id"],
                "account_id": ent["account_id"],
                "voucher_content": json.dumps(content, ensure_ascii=False, separators=(",", ":")),
                "invoice_compliance_check_result": {"match_result_type": "0"},
            }
        )
    return out


def bill_by_pay_no(conn: sqlite3.Connection, pay_no: str) -> sqlite3.Row | None:
    bill_id = ids.pay_no_id(pay_no)
    if bill_id is None:
        return None
    row = conn.execute(BILL_SELECT + "WHERE b.id = ?", (bill_id,)).fetchone()
    if row is None or ids.pay_no(row["id"], row["created"]) != pay_no:
        return None
    return row  # type: ignore[no-any-return]


@method(
    "alipay.commerce.ec.consume.detail.query",
    "consume_info",
    "related_refund_list",
    "related_voucher_list",
)
def consume_detail_query(ctx: Context, biz: Biz) -> Biz:
    ent = require_enterprise(ctx, biz)
    pay_no = req(biz, "pay_no")
    row = bill_by_pay_no(ctx.conn, pay_no)
    if row is None:
        raise GatewayError("BILL_NOT_EXIST", pay_no)
    out: Biz = {"consume_info": consume_info(row, ent)}
    if row["kind"] == 0:
        refunds = ctx.conn.execute(
            BILL_SELECT + "WHERE b.related_id = ? ORDER BY b.id", (row["id"],)
        ).fetchall()
        out["related_refund_list"] = [consume_info(r, ent) for r in refunds]
        vouchers: list[Biz] = []
        if row["voucher"] == 1 and row["refund_fen"] < row["amount_fen"]:
            vouchers.append(own_voucher(row, ent))
        elif row["voucher"] == 2:
            vouchers.extend(
                _summary_vouchers(
                    ctx.conn,
                    ent,
                    summary_id(row["created"], row["employee_id"]),
                    ctx.now,
                    row["merchant"],
                )
            )
        out["related_voucher_list"] = vouchers
    return out


def _window_ts(biz: Biz, key: str) -> datetime:
    text = req(biz, key)
    try:
        return datetime.strptime(text, TS_FORMAT)
    except ValueError:
        raise invalid(f"{key} 格式应为 yyyy-MM-dd HH:mm:ss: {text}") from None


@method(
    "alipay.commerce.ec.consume.detail.batchquery", "consume_info_list", "page_num", "page_size"
)
def consume_detail_batchquery(ctx: Context, biz: Biz) -> Biz:
    ent = require_enterprise(ctx, biz)
    start = _window_ts(biz, "start_date")
    end = _window_ts(biz, "end_date")
    if end < start:
        raise invalid("end_date 不能早于 start_date")
    if end - start > MAX_WINDOW:
        raise GatewayError("DATE_RANGE_EXCEED_LIMIT", f"{fmt_ts(start)} ~ {fmt_ts(end)}")
    num, size = page(biz, default_size=20, max_size=1000)
    where = "b.modified >= ? AND b.modified <= ?"
    args: list[object] = [fmt_ts(start), fmt_ts(end)]
    employee = opt(biz, "employee_id")
    if employee is not None:
        where += " AND b.employee_id = ?"
        args.append(employee)
    rule_group = opt(biz, "expense_rule_group_id")
    if rule_group is not None:
        where += " AND b.standard_id = ?"
        args.append(rule_group)
    rows = ctx.conn.execute(
        BILL_SELECT + f"WHERE {where} ORDER BY b.modified, b.id LIMIT ? OFFSET ?",
        [*args, size, (num - 1) * size],
    ).fetchall()
    return {
        "consume_info_list": [consume_info(r, ent) for r in rows],
        "page_num": str(num),
        "page_size": str(size),
    }


@method("alipay.commerce.ec.voucher.summary.query", "voucher_info_list")
def voucher_summary_query(ctx: Context, biz: Biz) -> Biz:
    ent = require_enterprise(ctx, biz)
    sid = req(biz, "summary_id")
    vouchers = _summary_vouchers(ctx.conn, ent, sid, ctx.now, None)
    if not vouchers:
        raise GatewayError("SUMMARY_NOT_EXIST", sid)
    return {"voucher_info_list": vouchers}


def statement_period(bill_type: str, bill_date: str) -> tuple[datetime, datetime]:
    """[start, end) of a statement period; raises ValueError if the date is malformed."""
    if bill_type == "DAY":
        start = datetime.strptime(bill_date, "%Y-%m-%d")
        return start, start + timedelta(days=1)
    start = datetime.strptime(bill_date, "%Y-%m")
    return start, (start + timedelta(days=32)).replace(day=1)


@method("alipay.commerce.ec.balance.downloadurl.query", "bill_download_url")
def balance_downloadurl_query(ctx: Context, biz: Biz) -> Biz:
    require_enterprise(ctx, biz)
    bill_type = req(biz, "bill_type").upper()
    if bill_type not in ("DAY", "MONTH"):
        raise invalid(f"bill_type 只能是 DAY 或 MONTH: {bill_type}")
    bill_date = req(biz, "bill_date")
    try:
        _start, end = statement_period(bill_type, bill_date)
    except ValueError:
        pattern = "yyyy-MM-dd" if bill_type == "DAY" else "yyyy-MM"
        raise invalid(f"bill_date 格式应为 {pattern}: {bill_date}") from None
    if end > ctx.now:
        raise GatewayError("BILL_NOT_GENERATED", bill_date)
    return {"bill_download_url": ctx.downloads.issue(bill_type, bill_date)}


STATEMENT_HEADER = (
    "账单号", "关联账单号", "账单类型", "账单时间", "员工ID", "员工姓名", "商户名称", "消费分类",
    "订单金额(元)", "企业支付(元)", "个人支付(元)", "优惠金额(元)", "退款金额(元)",
    "企业退款(元)", "制度ID", "使用规则ID", "备注",
)  # fmt: skip


def statement_csv(conn: sqlite3.Connection, bill_type: str, bill_date: str) -> bytes:
    """The period's bills by business time (``gmt_biz_create``), UTF-8 with BOM for Excel."""
    start, end = statement_period(bill_type, bill_date)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(STATEMENT_HEADER)
    rows = conn.execute(
        BILL_SELECT + "WHERE b.created >= ? AND b.created < ? ORDER BY b.created, b.id",
        (fmt_ts(start), fmt_ts(end)),
    )
    totals = [0, 0, 0]
    for row in rows:
        m = catalog.MERCHANTS[row["merchant"]]
        amount, peer = row["amount_fen"], row["peer_fen"]
        sign = -1 if row["kind"] == 1 else 1
        totals[0] += sign * amount
        totals[1] += sign * peer
        totals[2] += sign * (amount - peer)
        related = (
            ids.pay_no(row["related_id"], row["related_created"])
            if row["related_id"] is not None and row["related_created"] is not None
            else ""
        )
        writer.writerow(
            (
                ids.pay_no(row["id"], row["created"]), related,
                "退款" if row["kind"] == 1 else "消费", row["created"], row["employee_id"],
                row["employee_name"] or "", m.name, catalog.KINDS[m.kind].category_name,
                yuan(amount), yuan(peer), yuan(amount - peer), yuan(row["benefit_fen"]),
                yuan(row["refund_fen"]), yuan(row["peer_refund_fen"]),
                row["institution_id"] or "", row["standard_id"] or "", row["memo"] or "",
            )
        )  # fmt: skip
    writer.writerow(
        ("合计（消费减退款）", "", "", "", "", "", "", "", yuan(totals[0]), yuan(totals[1]),
         yuan(totals[2]), "", "", "", "", "", "")
    )  # fmt: skip
    return out.getvalue().encode("utf-8-sig")
