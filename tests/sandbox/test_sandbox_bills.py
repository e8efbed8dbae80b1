"""Bills: the 24-hour window on gmt_modified, paging, refunds, vouchers, statements."""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from workstation.sandbox import SandboxServer, ids
from workstation.sandbox.testing import (
    beijing_now,
    port_honouring_transport,
    running_sandbox,
    sdk_call,
    sdk_client,
)

BATCH = "alipay.commerce.ec.consume.detail.batchquery"
DETAIL = "alipay.commerce.ec.consume.detail.query"
TS = "%Y-%m-%d %H:%M:%S"
YUAN = re.compile(r"^\d+\.\d{2}$")
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    with running_sandbox(tmp_path_factory.mktemp("bills")) as sb:
        yield sb


@pytest.fixture(scope="module")
def client(sandbox: SandboxServer) -> Iterator[Any]:
    with port_honouring_transport():
        yield sdk_client(sandbox.config)


def call(sandbox: SandboxServer, client: Any, method: str, **biz: Any) -> dict[str, Any]:
    return sdk_call(client, method, {"enterprise_id": sandbox.config["enterprise_id"], **biz})


def window(
    sandbox: SandboxServer, client: Any, start: datetime, end: datetime, **biz: Any
) -> list[dict[str, Any]]:
    """Every bill of one window, page by page."""
    out: list[dict[str, Any]] = []
    page = 1
    while True:
        resp = call(
            sandbox,
            client,
            BATCH,
            start_date=start.strftime(TS),
            end_date=end.strftime(TS),
            page_num=str(page),
            page_size="500",
            **biz,
        )
        assert resp["code"] == "10000", resp
        assert resp["page_num"] == str(page) and resp["page_size"] == "500"
        out.extend(resp["consume_info_list"])
        if len(resp["consume_info_list"]) < 500:
            return out
        page += 1


def test_window_limit_is_24_hours(sandbox: SandboxServer, client: Any) -> None:
    start = beijing_now() - timedelta(days=3)
    ok = call(
        sandbox,
        client,
        BATCH,
        start_date=start.strftime(TS),
        end_date=(start + timedelta(hours=24)).strftime(TS),
    )
    assert ok["code"] == "10000"
    too_long = call(
        sandbox,
        client,
        BATCH,
        start_date=start.strftime(TS),
        end_date=(start + timedelta(hours=24, seconds=1)).strftime(TS),
    )
    assert too_long["code"] == "40004" and too_long["sub_code"] == "DATE_RANGE_EXCEED_LIMIT"
    backwards = call(
        sandbox,
        client,
        BATCH,
        start_date=start.strftime(TS),
        end_date=(start - timedelta(seconds=1)).strftime(TS),
    )
    assert backwards["sub_code"] == "isv.invalid-parameter"
    for bad in ("2024-01-01", "2024/01/01 00:00:00", ""):
        resp = call(sandbox, client, BATCH, start_date=bad, end_date=start.strftime(TS))
        assert resp["sub_code"] == "isv.invalid-parameter", bad
    big = call(
        sandbox,
        client,
        BATCH,
        start_date=start.strftime(TS),
        end_date=(start + timedelta(hours=1)).strftime(TS),
        page_size="1001",
    )
    assert big["sub_code"] == "isv.invalid-parameter"


def test_paging_covers_every_bill_exactly_once(sandbox: SandboxServer, client: Any) -> None:
    with sandbox.store.tx() as conn:
        rows = conn.execute("SELECT id, created, MIN(modified) OVER () FROM bills").fetchall()
    expected = {ids.pay_no(r[0], r[1]) for r in rows}
    first = datetime.strptime(rows[0][2], TS).replace(hour=0, minute=0, second=0)
    seen: list[str] = []
    start = first
    end_of_time = beijing_now() + timedelta(minutes=1)
    while start <= end_of_time:
        end = start + timedelta(hours=24) - timedelta(seconds=1)  # no shared boundary second
        items = window(sandbox, client, start, end)
        assert [i["gmt_modified"] for i in items] == sorted(i["gmt_modified"] for i in items)
        assert all(start.strftime(TS) <= i["gmt_modified"] <= end.strftime(TS) for i in items)
        seen.extend(i["pay_no"] for i in items)
        start += timedelta(hours=24)
    assert len(seen) == len(set(seen)), "a bill appeared twice"
    assert set(seen) == expected


def test_pages_are_stable_and_disjoint(sandbox: SandboxServer, client: Any) -> None:
    with sandbox.store.tx() as conn:
        busiest = conn.execute(
            "SELECT substr(modified, 1, 10) AS day FROM bills GROUP BY day "
            "ORDER BY COUNT(*) DESC LIMIT 1"
        ).fetchone()[0]
    start = datetime.strptime(busiest, "%Y-%m-%d")
    end = start + timedelta(hours=24)
    pages = []
    for page in (1, 2, 3):
        biz = {
            "start_date": start.strftime(TS),
            "end_date": end.strftime(TS),
            "page_num": str(page),
            "page_size": "7",
        }
        first = call(sandbox, client, BATCH, **biz)["consume_info_list"]
        again = call(sandbox, client, BATCH, **biz)["consume_info_list"]
        assert first == again
        pages.append([b["pay_no"] for b in first])
    flat = [p for page in pages for p in page]
    assert len(flat) == len(set(flat)) == 21


def test_bill_fields_and_amounts(sandbox: SandboxServer, client: Any) -> None:
    end = beijing_now()
    items = window(sandbox, client, end - timedelta(hours=24), end)
    items += window(sandbox, client, end - timedelta(hours=48), end - timedelta(hours=24))
    assert items
    kinds = {i["fund_biz_type"] for i in items}
    assert kinds <= {"ENTERPRISE", "PERSONAL"}
    for item in items:
        for key in (
            "consume_amount",
            "peer_pay_amount",
            "benefit_amount",
            "refund_amount",
            "consume_fee_with_discount",
            "peer_refund_amount",
        ):
            assert YUAN.match(item[key]), (key, item[key])
        fen = {
            k: ids_fen(item[k])
            for k in (
                "consume_amount",
                "peer_pay_amount",
                "benefit_amount",
                "consume_fee_with_discount",
            )
        }
        assert fen["consume_fee_with_discount"] == fen["consume_amount"] + fen["benefit_amount"]
        assert 0 <= fen["peer_pay_amount"] <= fen["consume_amount"]
        assert item["consume_type"] in ("CONSUME", "REFUND")
        assert item["merchant_name"] and item["category_name"]
        assert len(item["pay_no"]) == 28 and item["pay_no"].isdigit()


def ids_fen(yuan: str) -> int:
    whole, cents = yuan.split(".")
    return int(whole) * 100 + int(cents)


def test_employee_filter(sandbox: SandboxServer, client: Any) -> None:
    bill = sandbox.emit_bill()
    end = beijing_now() + timedelta(seconds=1)
    items = window(sandbox, client, end - timedelta(hours=24), end, employee_id=bill.employee_id)
    assert items and all(i["employee_id"] == bill.employee_id for i in items)
    assert bill.pay_no in {i["pay_no"] for i in items}


def test_refund_of_an_old_bill_shows_up_in_the_current_window(
    sandbox: SandboxServer, client: Any
) -> None:
    with sandbox.store.tx() as conn:
        row = conn.execute(
            "SELECT id, created FROM bills WHERE kind = 0 AND refund_fen = 0 AND peer_fen > 0 "
            "AND amount_fen >= 1000 AND created < ? ORDER BY id LIMIT 1",
            ((beijing_now() - timedelta(days=30)).strftime(TS),),
        ).fetchone()
    old_pay_no = ids.pay_no(row[0], row[1])
    refund = sandbox.refund_bill(old_pay_no, amount_fen=500)
    assert refund is not None and refund.related_pay_no == old_pay_no
    end = beijing_now() + timedelta(seconds=1)
    recent = {i["pay_no"]: i for i in window(sandbox, client, end - timedelta(minutes=10), end)}
    assert refund.pay_no in recent and old_pay_no in recent
    original = recent[old_pay_no]
    assert original["refund_amount"] == "5.00" and original["refund_status"] == "REFUND_PART"
    assert original["gmt_biz_create"] == row[1] and original["gmt_modified"] > row[1]
    refund_item = recent[refund.pay_no]
    assert refund_item["consume_type"] == "REFUND"
    assert refund_item["related_pay_no"] == old_pay_no
    assert refund_item["consume_amount"] == "5.00"
    detail = call(sandbox, client, DETAIL, pay_no=old_pay_no)
    assert [r["pay_no"] for r in detail["related_refund_list"]] == [refund.pay_no]
    # Refunding the rest makes it REFUND_FULL, enterprise share included.
    sandbox.refund_bill(old_pay_no)
    full = call(sandbox, client, DETAIL, pay_no=old_pay_no)["consume_info"]
    assert full["refund_status"] == "REFUND_FULL"
    assert full["peer_refund_amount"] == full["peer_pay_amount"]
    assert full["peer_refund_status"] == "REFUND_FULL"


def test_detail_query_errors(sandbox: SandboxServer, client: Any) -> None:
    for pay_no in ("2024010122000000000099999999", "garbage", "2024010122009999999999999999"):
        resp = call(sandbox, client, DETAIL, pay_no=pay_no)
        assert resp["code"] == "40004" and resp["sub_code"] == "BILL_NOT_EXIST", pay_no
    assert call(sandbox, client, DETAIL)["sub_code"] == "isv.invalid-parameter"


def test_own_voucher_content(sandbox: SandboxServer, client: Any) -> None:
    with sandbox.store.tx() as conn:
        row = conn.execute(
            "SELECT id, created, amount_fen FROM bills WHERE voucher = 1 AND kind = 0 "
            "AND refund_fen = 0 LIMIT 1"
        ).fetchone()
    detail = call(sandbox, client, DETAIL, pay_no=ids.pay_no(row[0], row[1]))
    (voucher,) = detail["related_voucher_list"]
    assert voucher["voucher_id"] == "VC" + ids.pay_no(row[0], row[1])
    content = json.loads(voucher["voucher_content"])
    total = ids_fen(content["total_amount"])
    assert total == row[2]
    assert ids_fen(content["amount"]) + ids_fen(content["tax_amount"]) == total
    assert content["buyer_name"].endswith("有限公司") and content["seller_tax_no"]
    assert len(content["invoice_no"]) == 8 and content["invoice_date"] == row[1][:10]


def test_summary_vouchers(sandbox: SandboxServer, client: Any) -> None:
    with sandbox.store.tx() as conn:
        row = conn.execute(
            "SELECT id, created, employee_id FROM bills WHERE voucher = 2 AND kind = 0 LIMIT 1"
        ).fetchone()
    detail = call(sandbox, client, DETAIL, pay_no=ids.pay_no(row[0], row[1]))
    info = detail["consume_info"]
    assert info["invoice_open_mode"] == "ENTERPRISE_AUTO_BATCH"
    sid = info["summary_apply_id"]
    assert sid == f"SA{row[1][:4]}{row[1][5:7]}{row[2]}"
    summary = call(sandbox, client, "alipay.commerce.ec.voucher.summary.query", summary_id=sid)
    assert summary["code"] == "10000"
    assert detail["related_voucher_list"][0]["voucher_id"] in {
        v["voucher_id"] for v in summary["voucher_info_list"]
    }
    for voucher in summary["voucher_info_list"]:
        assert voucher["voucher_type"] == "SUMMARY_INVOICE"
        assert json.loads(voucher["voucher_content"])["bill_count"] >= 1
    missing = call(sandbox, client, "alipay.commerce.ec.voucher.summary.query", summary_id="SA1")
    assert missing["sub_code"] == "SUMMARY_NOT_EXIST"


def _download(url: str) -> list[list[str]]:
    with _OPENER.open(url, timeout=10) as fh:
        return list(csv.reader(io.StringIO(fh.read().decode("utf-8-sig"))))


def test_statement_download(sandbox: SandboxServer, client: Any) -> None:
    day = (beijing_now() - timedelta(days=3)).strftime("%Y-%m-%d")
    resp = call(
        sandbox,
        client,
        "alipay.commerce.ec.balance.downloadurl.query",
        bill_type="DAY",
        bill_date=day,
    )
    url = resp["bill_download_url"]
    assert url.startswith(sandbox.base_url + "/download/")
    rows = _download(url)
    with sandbox.store.tx() as conn:
        count = conn.execute(
            "SELECT COUNT(*) FROM bills WHERE substr(created, 1, 10) = ?", (day,)
        ).fetchone()[0]
    assert rows[0][0] == "账单号" and rows[-1][0].startswith("合计")
    assert len(rows) == count + 2
    month = (beijing_now().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    monthly = call(
        sandbox,
        client,
        "alipay.commerce.ec.balance.downloadurl.query",
        bill_type="MONTH",
        bill_date=month,
    )
    assert monthly["code"] == "10000"


def test_statement_current_period_and_bad_input(sandbox: SandboxServer, client: Any) -> None:
    method = "alipay.commerce.ec.balance.downloadurl.query"
    today = beijing_now().strftime("%Y-%m-%d")
    this_month = beijing_now().strftime("%Y-%m")
    for bill_type, bill_date in (("DAY", today), ("MONTH", this_month), ("DAY", "2999-01-01")):
        resp = call(sandbox, client, method, bill_type=bill_type, bill_date=bill_date)
        assert resp["sub_code"] == "BILL_NOT_GENERATED", (bill_type, bill_date)
    for bill_type, bill_date in (("WEEK", today), ("DAY", "2024-13-01"), ("MONTH", today)):
        resp = call(sandbox, client, method, bill_type=bill_type, bill_date=bill_date)
        assert resp["sub_code"] == "isv.invalid-parameter", (bill_type, bill_date)


def test_statement_link_expires(sandbox: SandboxServer, client: Any) -> None:
    day = (beijing_now() - timedelta(days=5)).strftime("%Y-%m-%d")
    sandbox.download_ttl = 0.0
    try:
        resp = call(
            sandbox,
            client,
            "alipay.commerce.ec.balance.downloadurl.query",
            bill_type="DAY",
            bill_date=day,
        )
    finally:
        sandbox.download_ttl = 180.0
    with pytest.raises(urllib.error.HTTPError) as info:
        _download(resp["bill_download_url"])
    assert info.value.code == 403
    info.value.close()
