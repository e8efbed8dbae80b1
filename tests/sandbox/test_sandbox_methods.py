"""Every registered method answers a happy-path call made through the official SDK, and the
enterprise/department/employee rules hold."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from workstation.sandbox import METHODS, SandboxServer
from workstation.sandbox.methods.bills import summary_id
from workstation.sandbox.testing import (
    beijing_now,
    port_honouring_transport,
    running_sandbox,
    sdk_call,
    sdk_client,
)


@dataclass
class Env:
    sandbox: SandboxServer
    client: Any
    eid: str

    def call(self, method: str, **biz: Any) -> dict[str, Any]:
        return sdk_call(self.client, method, {"enterprise_id": self.eid, **biz})

    def ok(self, method: str, **biz: Any) -> dict[str, Any]:
        resp = self.call(method, **biz)
        assert resp["code"] == "10000", resp
        assert "sub_code" not in resp
        return resp

    def fails(self, method: str, sub_code: str, **biz: Any) -> dict[str, Any]:
        resp = self.call(method, **biz)
        assert resp.get("sub_code") == sub_code, resp
        return resp

    def employees(self, n: int = 5) -> list[str]:
        ids = self.ok("alipay.commerce.ec.employee.idlist.query", page_size=n)["employee_id_list"]
        assert isinstance(ids, list)
        return ids

    def root(self) -> str:
        resp = self.ok("alipay.commerce.ec.department.sublist.query", department_id="-1")
        return str(resp["department_id_list"][0])


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    with (
        running_sandbox(tmp_path_factory.mktemp("methods")) as sandbox,
        port_honouring_transport(),
    ):
        yield Env(sandbox, sdk_client(sandbox.config), sandbox.config["enterprise_id"])


P = "alipay.commerce.ec."
INST = "alipay.ebpp.invoice.institution."
Q = "alipay.ebpp.invoice.expensecontrol.quota."

Scenario = Callable[[Env, Path], dict[str, Any]]
HAPPY: dict[str, Scenario] = {}


def happy(name: str) -> Callable[[Scenario], Scenario]:
    def register(fn: Scenario) -> Scenario:
        HAPPY[name] = fn
        return fn

    return register


# --- enterprise ---------------------------------------------------------------------------


@happy(P + "enterprise.registerinvite.create")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    first = sdk_call(env.client, P + "enterprise.registerinvite.create", {"out_biz_no": "inv-7"})
    again = sdk_call(env.client, P + "enterprise.registerinvite.create", {"out_biz_no": "inv-7"})
    assert first == again, "same out_biz_no must give the same link"
    other = sdk_call(env.client, P + "enterprise.registerinvite.create", {"out_biz_no": "inv-8"})
    assert other["pc_invite_url"] != first["pc_invite_url"]
    expire = datetime.strptime(first["expire_time"], "%Y-%m-%d %H:%M:%S")
    assert timedelta(days=29) < expire - beijing_now() <= timedelta(days=30)
    return first


@happy(P + "enterprise.info.query")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    resp = env.ok(P + "enterprise.info.query")
    info = resp["enterprise_info"]
    assert info["enterprise_id"] == env.eid
    assert info["status"] == "NORMAL"
    assert info["enterprise_name"].endswith("有限公司")
    by_out = sdk_call(env.client, P + "enterprise.info.query", {"out_biz_no": info["out_biz_no"]})
    assert by_out["enterprise_info"]["enterprise_id"] == env.eid
    return resp


@happy(P + "enterprise.info.modify")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    resp = env.ok(P + "enterprise.info.modify", enterprise_alias="沙箱简称")
    info = env.ok(P + "enterprise.info.query")["enterprise_info"]
    assert info["enterprise_alias"] == "沙箱简称"
    return resp


@happy(P + "enterprise.unsign")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    resp = env.ok(P + "enterprise.unsign")
    assert resp["unsign_url"].startswith(env.sandbox.base_url)
    assert resp["enterprise_id"] == env.eid
    assert env.ok(P + "enterprise.info.query")["enterprise_info"]["sign_status"] == "UNSIGNED"
    assert env.sandbox.simulate_once().kind == "none"  # no spending while unsigned
    return resp


@happy(P + "enterprise.delete")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    # Deleting is final: use a throw-away sandbox.
    with running_sandbox(tmp, employees=3, bills=5, seed=9) as other:
        client = sdk_client(other.config)
        eid = other.config["enterprise_id"]
        resp = sdk_call(client, P + "enterprise.delete", {"enterprise_id": eid})
        assert resp["code"] == "10000" and resp["enterprise_id"] == eid
        after = sdk_call(client, P + "enterprise.info.query", {"enterprise_id": eid})
        assert after["sub_code"] == "ENTERPRISE_NOT_EXIST"
    return resp


# --- departments --------------------------------------------------------------------------


@happy(P + "department.create")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    resp = env.ok(P + "department.create", department_name="新业务部", department_code="NB01")
    info = env.ok(P + "department.info.query", department_id=resp["department_id"])
    assert info["department_info"]["parent_department_id"] == env.root()
    return resp


@happy(P + "department.info.modify")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    a = env.ok(P + "department.create", department_name="改名前")["department_id"]
    b = env.ok(P + "department.create", department_name="新上级")["department_id"]
    resp = env.ok(
        P + "department.info.modify",
        department_id=a,
        department_name="改名后",
        parent_department_id=b,
    )
    info = env.ok(P + "department.info.query", department_id=a)["department_info"]
    assert info["department_name"] == "改名后"
    assert info["parent_department_id"] == b
    return resp


@happy(P + "department.delete")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    dept = env.ok(P + "department.create", department_name="待删除")["department_id"]
    resp = env.ok(P + "department.delete", department_id=dept)
    env.fails(P + "department.info.query", "DEPARTMENT_NOT_EXIST", department_id=dept)
    return resp


@happy(P + "department.info.query")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    resp = env.ok(P + "department.info.query", department_id=env.root())
    info = resp["department_info"]
    assert info["parent_department_id"] == "-1"
    assert {"department_id", "department_name", "gmt_create", "gmt_modified"} <= set(info)
    return resp


@happy(P + "department.sublist.query")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    root = env.root()
    resp = env.ok(P + "department.sublist.query", department_id=root)
    assert len(resp["department_id_list"]) >= 9  # the demo tree's first level
    return resp


# --- employees ----------------------------------------------------------------------------


@happy(P + "employee.add")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    resp = env.ok(
        P + "employee.add",
        employee_name="测试员工",
        employee_mobile="13800001111",
        employee_email="ceshi@example.com",
        create_share_code=True,
    )
    assert resp["sign_url"].startswith(env.sandbox.base_url)
    assert resp["share_code"].isdigit()
    info = env.ok(P + "employee.info.query", employee_id=resp["employee_id"])["employee_info"]
    assert info["activate"] == "UNACTIVATED"
    assert "user_id" not in info  # only once the employee has signed
    assert info["department_list"][0]["department_id"] == env.root()
    return resp


@happy(P + "employee.batchcreate")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    resp = env.ok(
        P + "employee.batchcreate",
        employee_list=[
            {"employee_name": "批量一", "employee_mobile": "13800002221"},
            {"employee_name": "批量二", "employee_mobile": "13800002221"},  # duplicate mobile
            {"employee_name": "批量三", "employee_mobile": "not-a-phone"},
        ],
    )
    assert [e["employee_name"] for e in resp["employee_add_success_list"]] == ["批量一"]
    fails = resp["employee_add_fail_list"]
    assert [f["employee_name"] for f in fails] == ["批量二", "批量三"]
    assert all(f["fail_reason"] for f in fails)
    return resp


@happy(P + "employee.delete")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    eid = env.ok(P + "employee.add", employee_name="将离职", employee_no="QUIT01")["employee_id"]
    resp = env.ok(P + "employee.delete", employee_id=eid)
    env.fails(P + "employee.info.query", "EMPLOYEE_NOT_EXIST", employee_id=eid)
    return resp


@happy(P + "employee.info.modify")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    eid = env.ok(P + "employee.add", employee_name="改信息", employee_no="MOD01")["employee_id"]
    dept = env.ok(P + "department.create", department_name="调岗部门")["department_id"]
    resp = env.ok(
        P + "employee.info.modify",
        employee_id=eid,
        employee_email="gai@example.com",
        department_ids=[dept],
        label_names=["差旅员工"],
    )
    assert resp["employee_id"] == eid
    info = env.ok(P + "employee.info.query", employee_id=eid)["employee_info"]
    assert info["email"] == "gai@example.com"
    assert [d["department_id"] for d in info["department_list"]] == [dept]
    assert info["label_names"] == ["差旅员工"]
    return resp


@happy(P + "employee.info.query")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    eid = env.employees(1)[0]
    resp = env.ok(P + "employee.info.query", employee_id=eid)
    info = resp["employee_info"]
    by_mobile = env.ok(P + "employee.info.query", mobile=info["mobile"])["employee_info"]
    assert by_mobile["employee_id"] == eid
    assert {"employee_name", "mobile", "email", "activate", "department_list"} <= set(info)
    assert {"gmt_create", "gmt_modified"} <= set(info)
    return resp


@happy(P + "employee.idlist.query")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    resp = env.ok(P + "employee.idlist.query", page_num=1, page_size=7)
    assert len(resp["employee_id_list"]) == 7
    assert resp["current_page"] == 1
    assert resp["total_pages"] == -(-resp["total_num"] // 7)
    # Walking every page yields every employee once.
    seen: list[str] = []
    for page_num in range(1, resp["total_pages"] + 1):
        page = env.ok(P + "employee.idlist.query", page_num=page_num, page_size=7)
        seen.extend(page["employee_id_list"])
    assert len(seen) == len(set(seen)) == resp["total_num"]
    return resp


@happy(P + "employee.invite.query")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    eid = env.employees(1)[0]
    resp = env.ok(P + "employee.invite.query", employee_id=eid, create_share_code="Y")
    assert resp["enterprise_id"] == env.eid
    assert resp["mini_app_sign_url"].startswith("alipays://platformapi/startapp?")
    assert resp["share_code"]
    general = env.ok(P + "employee.invite.query")
    assert "share_code" not in general and general["sign_url"] != resp["sign_url"]
    return resp


# --- institutions and rules ----------------------------------------------------------------


def _institution(env: Env, **extra: Any) -> dict[str, Any]:
    members = env.employees(3)
    return env.ok(
        INST + "create",
        institution_name="测试制度",
        expense_type="MEAL",
        scene_type="SUBSIDY",
        institution_scope_info={
            "adapter_type": "EMPLOYEE_SELECT",
            "owner_type": "ENTERPRISE_PAY_UID",
            "owner_id_list": members,
        },
        standard_info_list=[
            {
                "standard_name": "午餐",
                "outer_source_id": "std-lunch",
                "standard_condition_info_list": [
                    {"rule_factor": "QUOTA_DAY", "rule_value": "30.00"},
                    {"rule_factor": "ALARM_CLOCK_TIME", "rule_value": "11:00-14:00"},
                ],
            }
        ],
        issue_rule_info_list=[
            {
                "issue_rule_name": "每月发放",
                "issue_amount_value": "600.00",
                "outer_source_id": "ir1",
            }
        ],
        **extra,
    )


@happy(INST + "create")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    resp = _institution(env, outer_source_id="inst-happy")
    assert resp["standard_id_info_list"][0]["outer_source_id"] == "std-lunch"
    assert resp["issue_rule_id_info_list"][0]["outer_source_id"] == "ir1"
    assert _institution(env, outer_source_id="inst-happy") == resp  # idempotent
    return resp


@happy(INST + "modify")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    created = _institution(env)
    inst_id = created["institution_id"]
    old_std = created["standard_id_info_list"][0]["standard_id"]
    extra_member = env.employees(10)[-1]
    resp = env.ok(
        INST + "modify",
        institution_id=inst_id,
        institution_name="改名制度",
        effective="0",
        modify_scope_info={"add_owner_id_list": [extra_member]},
        modify_standard_detail_info={
            "delete_standard_id_list": [old_std],
            "add_standard_list": [
                {
                    "standard_name": "晚餐",
                    "outer_source_id": "std-dinner",
                    "standard_condition_info_list": [
                        {"rule_factor": "QUOTA_MONTH", "rule_value": "800"}
                    ],
                }
            ],
        },
    )
    assert resp["result"] is True
    detail = env.ok(INST + "detailinfo.query", institution_id=inst_id)
    assert detail["institution_name"] == "改名制度" and detail["effective"] == "0"
    assert extra_member in detail["owner_id_list"]
    assert [s["standard_name"] for s in detail["standard_info_detail_list"]] == ["晚餐"]
    return resp


@happy(INST + "delete")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    inst_id = _institution(env)["institution_id"]
    resp = env.ok(INST + "delete", institution_id=inst_id)
    assert resp["result"] is True
    env.fails(INST + "detailinfo.query", "INSTITUTION_NOT_EXIST", institution_id=inst_id)
    return resp


@happy(INST + "detailinfo.query")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    created = _institution(env, outer_source_id="inst-detail")
    resp = env.ok(INST + "detailinfo.query", institution_id=created["institution_id"])
    assert resp["adapter_type"] == "EMPLOYEE_SELECT"
    assert len(resp["owner_id_list"]) == 3
    std = resp["standard_info_detail_list"][0]
    factors = {c["rule_factor"] for c in std["standard_condition_info_list"]}
    assert factors == {"QUOTA_DAY", "ALARM_CLOCK_TIME"}
    assert resp["issue_rule_info_list"][0]["issue_amount_value"] == "600.00"
    by_outer = env.ok(INST + "detailinfo.query", outer_source_id="inst-detail")
    assert by_outer["institution_id"] == created["institution_id"]
    return resp


@happy(INST + "pageinfo.query")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    resp = env.ok(INST + "pageinfo.query", page_num=1, page_size=2)
    assert len(resp["institution_basic_info_list"]) == 2
    assert resp["total_page_count"] >= 3  # five demo institutions
    names = {i["institution_name"] for i in resp["institution_basic_info_list"]}
    assert names
    return resp


@happy(INST + "scope.modify")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    inst_id = _institution(env)["institution_id"]
    members = env.employees(3)
    newcomer = env.employees(12)[-1]
    resp = env.ok(
        INST + "scope.modify",
        institution_id=inst_id,
        add_owner_id_list=[newcomer],
        remove_owner_id_list=[members[0]],
    )
    owners = env.ok(INST + "scopepageinfo.query", institution_id=inst_id)["owner_id_list"]
    assert newcomer in owners and members[0] not in owners
    return resp


@happy(INST + "scopepageinfo.query")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    inst_id = env.ok(INST + "pageinfo.query", page_size=1)["institution_basic_info_list"][0][
        "institution_id"
    ]
    resp = env.ok(INST + "scopepageinfo.query", institution_id=inst_id, page_num=1, page_size=5)
    assert len(resp["owner_id_list"]) <= 5
    assert resp["adapter_type"] == "EMPLOYEE_SELECT"
    return resp


@happy(INST + "expenserule.create")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    inst_id = _institution(env)["institution_id"]
    biz = {
        "institution_id": inst_id,
        "standard_name": "打车",
        "outer_source_id": "rule-taxi",
        "standard_condition_info_list": [
            {"rule_factor": "ALARM_CLOCK_TIME", "rule_value": "21:00-06:00"},
            {"rule_factor": "MERCHANT", "rule_value": "2088410000007919,2088410000015838"},
            {"rule_factor": "QUOTA_TOTAL", "rule_value": "1000.00"},
        ],
    }
    resp = env.ok(INST + "expenserule.create", **biz)
    assert env.ok(INST + "expenserule.create", **biz)["standard_id"] == resp["standard_id"]
    return resp


@happy(INST + "expenserule.modify")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    created = _institution(env)
    sid = created["standard_id_info_list"][0]["standard_id"]
    resp = env.ok(
        INST + "expenserule.modify",
        institution_id=created["institution_id"],
        standard_id=sid,
        standard_name="午餐（调整）",
        standard_condition_info_list=[{"rule_factor": "QUOTA_DAY", "rule_value": "45"}],
    )
    detail = env.ok(INST + "detailinfo.query", institution_id=created["institution_id"])
    std = detail["standard_info_detail_list"][0]
    assert std["standard_name"] == "午餐（调整）"
    assert std["standard_condition_info_list"][0]["rule_value"] == "45"
    return resp


@happy(INST + "expenserule.delete")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    created = _institution(env)
    sid = created["standard_id_info_list"][0]["standard_id"]
    resp = env.ok(
        INST + "expenserule.delete",
        institution_id=created["institution_id"],
        standard_id_list=[sid],
    )
    detail = env.ok(INST + "detailinfo.query", institution_id=created["institution_id"])
    assert detail["standard_info_detail_list"] == []
    return resp


# --- quotas -------------------------------------------------------------------------------


def _quota(env: Env, outer: str | None = None, amount: str = "300.00") -> dict[str, Any]:
    inst_id = env.ok(INST + "pageinfo.query", page_size=1)["institution_basic_info_list"][0][
        "institution_id"
    ]
    biz: dict[str, Any] = {
        "target_type": "INSTITUTION",
        "target_id": inst_id,
        "issue_quota_target_list": [
            {
                "owner_type": "ENTERPRISE_PAY_UID",
                "owner_id": env.employees(1)[0],
                "issue_quota": amount,
            }
        ],
    }
    if outer:
        biz["outer_source_id"] = outer
    return env.ok(Q + "create", **biz)


@happy(Q + "create")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    resp = _quota(env, "quota-happy")
    assert resp["quota_id"] and resp["issue_batch_id"]
    return resp


@happy(Q + "modify")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    quota_id = _quota(env, amount="100.00")["quota_id"]
    resp = env.ok(Q + "modify", quota_id=quota_id, action="ADD", amount="2550")
    assert resp["success"] is True
    info = env.ok(Q + "query", quota_id_list=[quota_id])["expense_quota_info_list"][0]
    assert info["quota_total"] == "12550"  # fen
    return resp


@happy(Q + "query")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    quota_id = _quota(env, amount="88.80")["quota_id"]
    resp = env.ok(Q + "query", quota_id_list=[quota_id])
    info = resp["expense_quota_info_list"][0]
    assert info["quota_total"] == "8880" and info["quota_available"] == "8880"
    assert info["quota_used"] == "0" and info["freeze"] is False
    assert info["enterprise_id"] == env.eid
    return resp


@happy(Q + "delete")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    quota_id = _quota(env)["quota_id"]
    resp = env.ok(Q + "delete", quota_id=quota_id)
    assert env.ok(Q + "query", quota_id_list=[quota_id])["expense_quota_info_list"] == []
    return resp


# --- bills, vouchers, statements -----------------------------------------------------------


@happy(P + "consume.detail.query")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    bill = env.sandbox.emit_bill(amount="23.50")
    resp = env.ok(P + "consume.detail.query", pay_no=bill.pay_no)
    info = resp["consume_info"]
    assert info["pay_no"] == bill.pay_no and info["consume_amount"] == "23.50"
    assert resp["related_refund_list"] == []
    return resp


@happy(P + "consume.detail.batchquery")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    bill = env.sandbox.emit_bill()
    now = beijing_now()
    resp = env.ok(
        P + "consume.detail.batchquery",
        start_date=(now - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S"),
        end_date=(now + timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M:%S"),
        page_num="1",
        page_size="1000",
    )
    assert bill.pay_no in {b["pay_no"] for b in resp["consume_info_list"]}
    return resp


@happy(P + "voucher.summary.query")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    with env.sandbox.store.tx() as conn:
        row = conn.execute(
            "SELECT created, employee_id FROM bills WHERE voucher = 2 AND kind = 0 LIMIT 1"
        ).fetchone()
    sid = summary_id(row[0], row[1])
    resp = env.ok(P + "voucher.summary.query", summary_id=sid)
    voucher = resp["voucher_info_list"][0]
    content = json.loads(voucher["voucher_content"])
    assert {"invoice_code", "invoice_no", "total_amount", "tax_amount", "seller_name"} <= set(
        content
    )
    return resp


@happy(P + "balance.downloadurl.query")
def _(env: Env, tmp: Path) -> dict[str, Any]:
    day = (beijing_now() - timedelta(days=2)).strftime("%Y-%m-%d")
    resp = env.ok(P + "balance.downloadurl.query", bill_type="DAY", bill_date=day)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(resp["bill_download_url"], timeout=10) as fh:
        text = fh.read().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("账单号,")
    return resp


@pytest.mark.parametrize("method", sorted(METHODS))
def test_happy_path(env: Env, tmp_path: Path, method: str) -> None:
    scenario = HAPPY.get(method)
    assert scenario is not None, f"no happy-path scenario for {method}"
    resp = scenario(env, tmp_path)
    assert resp["code"] == "10000" and resp["msg"] == "Success"
    assert set(resp) - {"code", "msg"} <= METHODS[method].response_fields


def test_every_scenario_is_a_registered_method() -> None:
    assert set(HAPPY) == set(METHODS)


# --- department rules -----------------------------------------------------------------------


def test_department_cycle_and_root_rules(env: Env) -> None:
    a = env.ok(P + "department.create", department_name="环A")["department_id"]
    b = env.ok(P + "department.create", department_name="环B", parent_department_id=a)[
        "department_id"
    ]
    resp = env.fails(
        P + "department.info.modify", "DEPARTMENT_CYCLE", department_id=a, parent_department_id=b
    )
    assert resp["code"] == "40004" and a in resp["sub_msg"]
    env.fails(
        P + "department.info.modify", "DEPARTMENT_CYCLE", department_id=a, parent_department_id=a
    )
    env.fails(P + "department.delete", "DEPARTMENT_HAS_CHILDREN", department_id=a)
    env.fails(P + "department.delete", "ROOT_DEPARTMENT_IMMUTABLE", department_id=env.root())
    env.fails(P + "department.create", "DEPARTMENT_NAME_DUPLICATE", department_name="环A")
    env.fails(
        P + "department.create",
        "PARENT_DEPARTMENT_NOT_EXIST",
        department_name="孤儿",
        parent_department_id="19999999",
    )


def test_department_with_employees_cannot_be_deleted(env: Env) -> None:
    dept = env.ok(P + "department.create", department_name="有人部门")["department_id"]
    env.ok(P + "employee.add", employee_name="在职", employee_no="HAS01", department_ids=[dept])
    env.fails(P + "department.delete", "DEPARTMENT_HAS_EMPLOYEES", department_id=dept)


def test_department_depth_is_limited_to_20(env: Env) -> None:
    parent = env.root()  # depth 1
    for level in range(2, 21):
        parent = env.ok(
            P + "department.create", department_name=f"第{level}级", parent_department_id=parent
        )["department_id"]
    resp = env.fails(
        P + "department.create",
        "DEPARTMENT_DEPTH_EXCEED",
        department_name="第21级",
        parent_department_id=parent,
    )
    assert resp["sub_msg"]
    # A two-level subtree fits under level 18 (→ 19, 20) but not under level 19 (→ 20, 21).
    top = env.ok(P + "department.create", department_name="子树")["department_id"]
    env.ok(P + "department.create", department_name="子树下级", parent_department_id=top)
    level19 = env.ok(P + "department.info.query", department_id=parent)["department_info"][
        "parent_department_id"
    ]
    level18 = env.ok(P + "department.info.query", department_id=level19)["department_info"][
        "parent_department_id"
    ]
    env.fails(
        P + "department.info.modify",
        "DEPARTMENT_DEPTH_EXCEED",
        department_id=top,
        parent_department_id=level19,
    )
    env.ok(P + "department.info.modify", department_id=top, parent_department_id=level18)


def test_malformed_and_unknown_department_ids(env: Env) -> None:
    env.fails(P + "department.info.query", "DEPARTMENT_NOT_EXIST", department_id="10999999")
    env.fails(P + "department.sublist.query", "DEPARTMENT_NOT_EXIST", department_id="nope")
    resp = env.fails(P + "department.create", "isv.invalid-parameter")
    assert resp["code"] == "40002" and "department_name" in resp["sub_msg"]


# --- employee rules -----------------------------------------------------------------------


def test_employee_duplicates_and_validation(env: Env) -> None:
    env.ok(P + "employee.add", employee_name="甲", employee_mobile="13900007777")
    resp = env.fails(
        P + "employee.add",
        "EMPLOYEE_ALREADY_EXIST",
        employee_name="乙",
        employee_mobile="13900007777",
    )
    assert "13900007777" in resp["sub_msg"]
    env.fails(
        P + "employee.add", "isv.invalid-parameter", employee_name="丙", employee_mobile="123"
    )
    env.fails(P + "employee.add", "isv.invalid-parameter", employee_name="丁")  # no identity
    env.fails(
        P + "employee.add",
        "DEPARTMENT_NOT_EXIST",
        employee_name="戊",
        employee_no="X-1",
        department_ids=["10999999"],
    )
    env.fails(P + "employee.info.query", "EMPLOYEE_NOT_EXIST", employee_id="2999999999")
    env.fails(P + "employee.delete", "EMPLOYEE_NOT_EXIST", employee_id="2999999999")


def test_employee_batch_limit(env: Env) -> None:
    people = [{"employee_name": f"人{i}", "employee_no": f"B{i:03d}"} for i in range(101)]
    env.fails(P + "employee.batchcreate", "EMPLOYEE_BATCH_LIMIT_EXCEED", employee_list=people)


def test_sign_link_activates_employee(env: Env) -> None:
    resp = env.ok(P + "employee.add", employee_name="待激活", employee_mobile="13700001234")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(resp["sign_url"], timeout=10) as fh:
        assert "签约成功" in fh.read().decode()
    info = env.ok(P + "employee.info.query", employee_id=resp["employee_id"])["employee_info"]
    assert info["activate"] == "ACTIVATED"
    assert info["user_id"].startswith("2088") and info["open_id"]
    by_user = env.ok(P + "employee.info.query", user_id=info["user_id"])["employee_info"]
    assert by_user["employee_id"] == resp["employee_id"]


def test_idlist_by_department_and_whole_enterprise(env: Env) -> None:
    dept = env.ok(P + "department.create", department_name="两人组")["department_id"]
    ids = [
        env.ok(P + "employee.add", employee_name=n, employee_no=n, department_ids=[dept])[
            "employee_id"
        ]
        for n in ("T1", "T2")
    ]
    resp = env.ok(P + "employee.idlist.query", department_id=dept, page_size=10)
    assert resp["employee_id_list"] == ids and resp["total_num"] == 2
    whole = env.ok(P + "employee.idlist.query", department_id="-1", page_size=1)
    assert whole["total_num"] > 40
    env.fails(P + "employee.idlist.query", "isv.invalid-parameter", page_size=1001)


def test_enterprise_errors(env: Env) -> None:
    resp = sdk_call(env.client, P + "enterprise.info.query", {"enterprise_id": "2088000000000000"})
    assert resp["sub_code"] == "ENTERPRISE_NOT_EXIST" and resp["code"] == "40004"
    resp = sdk_call(env.client, P + "department.info.query", {"department_id": env.root()})
    assert resp["sub_code"] == "isv.invalid-parameter" and "enterprise_id" in resp["sub_msg"]
