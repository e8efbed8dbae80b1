"""Signed notifications to notify_url: fields, V2 signature, retries, persistence, simulator."""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path

from workstation.sandbox import crypto
from workstation.sandbox.notify import ALIPAY_RETRY_SCHEDULE
from workstation.sandbox.testing import (
    NotificationReceiver,
    free_loopback_port,
    port_honouring_transport,
    running_sandbox,
    sdk_call,
    sdk_client,
    verify_notification,
)

FAST = (0.05, 0.05, 0.05)
FIELDS = {
    "notify_id",
    "msg_method",
    "biz_content",
    "utc_timestamp",
    "app_id",
    "charset",
    "version",
    "sign_type",
    "sign",
}


def test_bill_notification_is_delivered_and_signed(tmp_path: Path) -> None:
    with (
        NotificationReceiver() as receiver,
        running_sandbox(tmp_path, notify_url=receiver.url, retry_schedule=FAST) as sandbox,
    ):
        bill = sandbox.emit_bill(amount="18.80")
        (form,) = receiver.wait_for(1)
        assert set(form) == FIELDS
        assert form["msg_method"] == "alipay.commerce.ec.consume.change.notify"
        assert form["app_id"] == sandbox.config["app_id"]
        assert (form["charset"], form["version"], form["sign_type"]) == ("utf-8", "1.1", "RSA2")
        assert abs(int(form["utc_timestamp"]) - time.time() * 1000) < 60_000
        biz = json.loads(form["biz_content"])
        assert biz["pay_no"] == bill.pay_no
        assert biz["employee_id"] == bill.employee_id
        assert biz["enterprise_id"] == sandbox.config["enterprise_id"]
        assert verify_notification(form, sandbox.config["alipay_public_key"])
        # Exactly the V2 rule: everything but sign, sign_type included, sorted, raw values.
        key = crypto.load_public_key(sandbox.config["alipay_public_key"])
        v2 = "&".join(f"{k}={form[k]}" for k in sorted(form) if k != "sign")
        assert crypto.verify(key, v2.encode(), form["sign"])
        tampered = {**form, "biz_content": form["biz_content"].replace(bill.pay_no, "1")}
        assert not verify_notification(tampered, sandbox.config["alipay_public_key"])
        time.sleep(0.2)
        assert len(receiver.received) == 1  # "success" stops redelivery
        assert sandbox.notifier.counts() == {"delivered": 1}


def test_retried_until_success_with_the_same_notify_id(tmp_path: Path) -> None:
    with (
        NotificationReceiver(replies=["fail", "FAIL ", "oops"]) as receiver,
        running_sandbox(tmp_path, notify_url=receiver.url, retry_schedule=FAST) as sandbox,
    ):
        sandbox.emit_bill()
        forms = receiver.wait_for(4)
        assert len({f["notify_id"] for f in forms}) == 1
        assert forms[0] == forms[-1]
        time.sleep(0.2)
        assert len(receiver.received) == 4
        assert sandbox.notifier.counts() == {"delivered": 1}


def test_gives_up_after_the_schedule(tmp_path: Path) -> None:
    with (
        NotificationReceiver(default="nope") as receiver,
        running_sandbox(tmp_path, notify_url=receiver.url, retry_schedule=FAST) as sandbox,
    ):
        sandbox.emit_bill()
        receiver.wait_for(len(FAST) + 1)
        time.sleep(0.3)
        assert len(receiver.received) == len(FAST) + 1
        assert sandbox.notifier.counts() == {"failed": 1}


def test_default_schedule_is_alipays() -> None:
    assert ALIPAY_RETRY_SCHEDULE == (120, 600, 600, 3600, 7200, 21600, 54000)


def test_pending_deliveries_survive_a_restart(tmp_path: Path) -> None:
    dead_url = f"http://127.0.0.1:{free_loopback_port()}/notify"  # nobody listens here
    with running_sandbox(tmp_path, notify_url=dead_url, retry_schedule=(0.05,) * 50) as sandbox:
        bill = sandbox.emit_bill()
        time.sleep(0.2)
        assert sandbox.notifier.counts() == {"pending": 1}
    with (
        NotificationReceiver() as receiver,
        running_sandbox(tmp_path, notify_url=receiver.url, retry_schedule=FAST) as sandbox,
    ):
        (form,) = receiver.wait_for(1)
        assert json.loads(form["biz_content"])["pay_no"] == bill.pay_no
        time.sleep(0.1)
        assert sandbox.notifier.counts() == {"delivered": 1}


def test_refund_activation_and_org_notifications(tmp_path: Path) -> None:
    with (
        NotificationReceiver() as receiver,
        running_sandbox(tmp_path, notify_url=receiver.url, retry_schedule=FAST) as sandbox,
        port_honouring_transport(),
    ):
        bill = sandbox.emit_bill(amount="50.00")
        refund = sandbox.refund_bill(bill.pay_no, amount_fen=1000)
        assert refund is not None
        client = sdk_client(sandbox.config)
        eid = sandbox.config["enterprise_id"]
        sdk_call(
            client,
            "alipay.commerce.ec.department.create",
            {"enterprise_id": eid, "department_name": "通知部门"},
        )
        added = sdk_call(
            client,
            "alipay.commerce.ec.employee.add",
            {"enterprise_id": eid, "employee_name": "新人", "employee_no": "N-1"},
        )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(added["sign_url"], timeout=5) as fh:
            fh.read()
        sdk_call(
            client,
            "alipay.commerce.ec.enterprise.info.modify",
            {"enterprise_id": eid, "enterprise_alias": "改"},
        )
        forms = receiver.wait_for(7)
    seen = [(f["msg_method"].split(".")[3], json.loads(f["biz_content"])) for f in forms]
    consume = [b for kind, b in seen if kind == "consume"]
    assert {(b["pay_no"], b["change_type"]) for b in consume} == {
        (bill.pay_no, "CREATE"),
        (refund.pay_no, "CREATE"),
        (bill.pay_no, "REFUND"),
    }
    employee = [b["change_type"] for kind, b in seen if kind == "employee"]
    assert employee == ["EMPLOYEE_ADD", "EMPLOYEE_ACTIVATED"]
    assert [b["change_type"] for kind, b in seen if kind == "department"] == ["DEPARTMENT_CREATE"]
    assert [b["change_type"] for kind, b in seen if kind == "enterprise"] == [
        "ENTERPRISE_INFO_MODIFY"
    ]
    assert len({f["notify_id"] for f in forms}) == len(forms)


def test_failed_business_call_sends_nothing(tmp_path: Path) -> None:
    with (
        NotificationReceiver() as receiver,
        running_sandbox(tmp_path, notify_url=receiver.url, retry_schedule=FAST) as sandbox,
    ):
        resp = sandbox.call(
            "alipay.commerce.ec.department.create",
            {
                "enterprise_id": sandbox.config["enterprise_id"],
                "department_name": "x",
                "parent_department_id": "19999999",
            },
        )
        assert resp["sub_code"] == "PARENT_DEPARTMENT_NOT_EXIST"
        time.sleep(0.2)
        assert receiver.received == []


def test_simulator_generates_spending(tmp_path: Path) -> None:
    with (
        NotificationReceiver() as receiver,
        running_sandbox(
            tmp_path, notify_url=receiver.url, simulate=True, simulate_rate=50, retry_schedule=FAST
        ) as sandbox,
    ):
        forms = receiver.wait_for(5)
        for form in forms:
            assert verify_notification(form, sandbox.config["alipay_public_key"])
        assert any(f["msg_method"] == "alipay.commerce.ec.consume.change.notify" for f in forms)


def test_simulate_once_kinds(tmp_path: Path) -> None:
    with running_sandbox(tmp_path, employees=30, bills=50) as sandbox:
        kinds = {sandbox.simulate_once().kind for _ in range(120)}
    assert {"bill", "refund", "activation"} <= kinds
