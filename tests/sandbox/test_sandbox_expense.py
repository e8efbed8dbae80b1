"""Institutions, usage rules, member scope and quotas: validation, idempotency, units."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workstation.sandbox import SandboxServer
from workstation.sandbox.testing import (
    port_honouring_transport,
    running_sandbox,
    sdk_call,
    sdk_client,
)

INST = "alipay.ebpp.invoice.institution."
Q = "alipay.ebpp.invoice.expensecontrol.quota."


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    with running_sandbox(tmp_path_factory.mktemp("expense"), bills=200) as sb:
        yield sb


@pytest.fixture(scope="module")
def client(sandbox: SandboxServer) -> Iterator[Any]:
    with port_honouring_transport():
        yield sdk_client(sandbox.config)


class Api:
    def __init__(self, sandbox: SandboxServer, client: Any) -> None:
        self.sandbox = sandbox
        self.client = client
        self.eid = sandbox.config["enterprise_id"]

    def __call__(self, method: str, **biz: Any) -> dict[str, Any]:
        return sdk_call(self.client, method, {"enterprise_id": self.eid, **biz})

    def employees(self, n: int) -> list[str]:
        resp = self("alipay.commerce.ec.employee.idlist.query", page_size=n)
        ids: list[str] = resp["employee_id_list"]
        return ids

    def institution(self) -> str:
        resp = self(INST + "create", institution_name="额度测试制度", expense_type="MEAL")
        assert resp["code"] == "10000", resp
        return str(resp["institution_id"])


@pytest.fixture(scope="module")
def api(sandbox: SandboxServer, client: Any) -> Api:
    return Api(sandbox, client)


def _target(owner: str, amount: Any) -> dict[str, Any]:
    return {"owner_type": "ENTERPRISE_PAY_UID", "owner_id": owner, "issue_quota": amount}


# --- institutions ---------------------------------------------------------------------


def test_institution_create_is_idempotent_on_outer_source_id(api: Api) -> None:
    first = api(INST + "create", institution_name="幂等制度", outer_source_id="idem-1")
    again = api(INST + "create", institution_name="别的名字", outer_source_id="idem-1")
    assert first == again
    pages = api(INST + "pageinfo.query", page_size=100)["institution_basic_info_list"]
    assert sum(1 for p in pages if p["institution_id"] == first["institution_id"]) == 1


def test_scope_members_must_exist(api: Api) -> None:
    ghost = "2999999998"
    resp = api(
        INST + "create",
        institution_name="范围校验",
        institution_scope_info={"adapter_type": "EMPLOYEE_SELECT", "owner_id_list": [ghost]},
    )
    assert resp["sub_code"] == "MEMBER_NOT_EXIST" and ghost in resp["sub_msg"]
    inst = api.institution()
    member = api.employees(1)[0]
    resp = api(INST + "scope.modify", institution_id=inst, add_owner_id_list=[member, ghost])
    assert resp["sub_code"] == "MEMBER_NOT_EXIST" and ghost in resp["sub_msg"]
    # Nothing half-applied: the valid member was not added either.
    owners = api(INST + "scopepageinfo.query", institution_id=inst)["owner_id_list"]
    assert member not in owners
    resp = api(INST + "scope.modify", institution_id="300000009999", add_owner_id_list=[member])
    assert resp["sub_code"] == "INSTITUTION_NOT_EXIST"


def test_department_scope(api: Api) -> None:
    dept = api("alipay.commerce.ec.department.sublist.query", department_id="-1")[
        "department_id_list"
    ][0]
    resp = api(
        INST + "create",
        institution_name="部门范围",
        institution_scope_info={"adapter_type": "EMPLOYEE_DEPARTMENT", "owner_id_list": [dept]},
    )
    detail = api(INST + "detailinfo.query", institution_id=resp["institution_id"])
    assert detail["owner_type"] == "DEPARTMENT" and detail["owner_id_list"] == [dept]
    bad = api(
        INST + "create",
        institution_name="部门范围错",
        institution_scope_info={"adapter_type": "EMPLOYEE_DEPARTMENT", "owner_id_list": ["x"]},
    )
    assert bad["sub_code"] == "MEMBER_NOT_EXIST"


def test_scope_paging(api: Api) -> None:
    people = api.employees(25)
    inst = api.institution()
    assert api(INST + "scope.modify", institution_id=inst, add_owner_id_list=people)["result"]
    seen: list[str] = []
    for page in (1, 2, 3):
        resp = api(INST + "scopepageinfo.query", institution_id=inst, page_num=page, page_size=10)
        assert resp["total_page_count"] == 3
        seen.extend(resp["owner_id_list"])
    assert sorted(seen) == sorted(people)
    big = api(INST + "scopepageinfo.query", institution_id=inst, page_size=1001)
    assert big["sub_code"] == "isv.invalid-parameter"


@pytest.mark.parametrize(
    ("factor", "value", "sub_code"),
    [
        ("QUOTA_YEARLY", "1", "RULE_FACTOR_INVALID"),
        ("QUOTA_DAY", "-5", "RULE_VALUE_INVALID"),
        ("QUOTA_DAY", "0", "RULE_VALUE_INVALID"),
        ("QUOTA_DAY", "1.234", "RULE_VALUE_INVALID"),
        ("ALARM_CLOCK_TIME", "25:00-26:00", "RULE_VALUE_INVALID"),
        ("ALARM_CLOCK_TIME", "lunch", "RULE_VALUE_INVALID"),
        ("MCC", "58", "RULE_VALUE_INVALID"),
        ("MERCHANT", "a b", "RULE_VALUE_INVALID"),
        ("EFFECTIVE_DATE", "2026-01-01", "RULE_VALUE_INVALID"),
        ("EFFECTIVE_DATE", "2026-02-01 00:00:00~2026-01-01 00:00:00", "RULE_VALUE_INVALID"),
    ],
)
def test_rule_conditions_are_validated(api: Api, factor: str, value: str, sub_code: str) -> None:
    inst = api.institution()
    resp = api(
        INST + "expenserule.create",
        institution_id=inst,
        standard_name="规则",
        standard_condition_info_list=[{"rule_factor": factor, "rule_value": value}],
    )
    assert resp["code"] == "40004" and resp["sub_code"] == sub_code, resp


def test_rule_validity_window_is_accepted(api: Api) -> None:
    inst = api.institution()
    window = "2026-01-01 00:00:00~2026-12-31 23:59:59"
    resp = api(
        INST + "expenserule.create",
        institution_id=inst,
        standard_name="有效期规则",
        standard_condition_info_list=[{"rule_factor": "EFFECTIVE_DATE", "rule_value": window}],
    )
    assert resp["code"] == "10000", resp


def test_rule_errors(api: Api) -> None:
    inst = api.institution()
    resp = api(INST + "expenserule.delete", institution_id=inst, standard_id_list=["400000009999"])
    assert resp["sub_code"] == "STANDARD_NOT_EXIST" and "400000009999" in resp["sub_msg"]
    resp = api(INST + "expenserule.modify", institution_id=inst, standard_id="400000009999")
    assert resp["sub_code"] == "STANDARD_NOT_EXIST"
    resp = api(INST + "expenserule.create", institution_id=inst)
    assert resp["sub_code"] == "isv.invalid-parameter"
    resp = api(INST + "modify", institution_id=inst, effective="maybe")
    assert resp["sub_code"] == "isv.invalid-parameter"


# --- quotas ---------------------------------------------------------------------------


def test_quota_creation_is_idempotent(api: Api, sandbox: SandboxServer) -> None:
    inst = api.institution()
    owner = api.employees(1)[0]
    biz = {
        "target_type": "INSTITUTION",
        "target_id": inst,
        "outer_source_id": "issue-2024-07-meal",
        "issue_quota_target_list": [_target(owner, "500.00")],
    }
    first = api(Q + "create", **biz)
    assert first["code"] == "10000"
    with sandbox.store.tx() as conn:
        before = conn.execute("SELECT COUNT(*) FROM quotas").fetchone()[0]
    again = api(Q + "create", **{**biz, "issue_quota_target_list": [_target(owner, "999.00")]})
    assert again == first
    with sandbox.store.tx() as conn:
        assert conn.execute("SELECT COUNT(*) FROM quotas").fetchone()[0] == before
    info = api(Q + "query", quota_id_list=[first["quota_id"]])["expense_quota_info_list"][0]
    assert info["quota_total"] == "50000"


@pytest.mark.parametrize("amount", ["0", "0.00", "-1", "1.005", "100000.01", "abc", "", 12.5])
def test_quota_amounts_are_validated(api: Api, amount: Any) -> None:
    inst = api.institution()
    owner = api.employees(1)[0]
    resp = api(
        Q + "create",
        target_type="INSTITUTION",
        target_id=inst,
        issue_quota_target_list=[_target(owner, amount)],
    )
    assert resp["code"] == "40004" and resp["sub_code"] == "AMOUNT_INVALID", resp
    (failed,) = resp["issue_quota_check_failed_list"]
    assert failed["owner_id"] == owner and failed["result"] is False and failed["message"]


def test_quota_owner_and_target_must_exist(api: Api) -> None:
    inst = api.institution()
    owner = api.employees(1)[0]
    resp = api(
        Q + "create",
        target_type="INSTITUTION",
        target_id=inst,
        issue_quota_target_list=[_target(owner, "10.00"), _target("2999999997", "10.00")],
    )
    assert resp["sub_code"] == "EMPLOYEE_NOT_EXIST" and "2999999997" in resp["sub_msg"]
    assert [f["owner_id"] for f in resp["issue_quota_check_failed_list"]] == ["2999999997"]
    resp = api(
        Q + "create",
        target_type="INSTITUTION",
        target_id="300000009999",
        issue_quota_target_list=[_target(owner, "10.00")],
    )
    assert resp["sub_code"] == "INSTITUTION_NOT_EXIST"
    resp = api(Q + "create", target_type="INSTITUTION", target_id=inst)
    assert resp["sub_code"] == "isv.invalid-parameter"


def test_quota_for_several_owners_and_by_phone(api: Api) -> None:
    inst = api.institution()
    people = api.employees(3)
    mobile = api("alipay.commerce.ec.employee.info.query", employee_id=people[2])["employee_info"][
        "mobile"
    ]
    resp = api(
        Q + "create",
        target_type="INSTITUTION",
        target_id=inst,
        effective_start_date="2024-01-01 00:00:00",
        effective_end_date="2030-12-31 23:59:59",
        issue_quota_target_list=[
            _target(people[0], "1.00"),
            _target(people[1], "2"),
            {"owner_type": "PHONE", "owner_id": mobile, "issue_quota": "3.30"},
        ],
    )
    assert resp["code"] == "10000"
    infos = api(Q + "query", target_id=inst, page_size=10)["expense_quota_info_list"]
    assert sorted(i["quota_total"] for i in infos) == ["100", "200", "330"]
    assert infos[0]["effective_end_date"] == "2030-12-31 23:59:59"


def test_legacy_quota_value_is_in_fen(api: Api) -> None:
    inst = api.institution()
    owner = api.employees(1)[0]
    resp = api(
        Q + "create",
        target_type="INSTITUTION",
        target_id=inst,
        owner_type="ENTERPRISE_PAY_UID",
        owner_id=owner,
        quota_value="1234",
    )
    info = api(Q + "query", quota_id_list=[resp["quota_id"]])["expense_quota_info_list"][0]
    assert info["quota_total"] == "1234"


def test_quota_modify_actions(api: Api) -> None:
    inst = api.institution()
    owner = api.employees(1)[0]
    quota_id = api(
        Q + "create",
        target_type="INSTITUTION",
        target_id=inst,
        issue_quota_target_list=[_target(owner, "100.00")],
    )["quota_id"]

    def info() -> dict[str, Any]:
        resp = api(Q + "query", quota_id_list=[quota_id])
        item: dict[str, Any] = resp["expense_quota_info_list"][0]
        return item

    assert api(Q + "modify", quota_id=quota_id, action="ADD", amount="500", outer_source_id="m1")[
        "success"
    ]
    # The same outer_source_id again changes nothing.
    api(Q + "modify", quota_id=quota_id, action="ADD", amount="500", outer_source_id="m1")
    assert info()["quota_total"] == "10500"
    api(Q + "modify", quota_id=quota_id, action="DEDUCT", amount="10500")
    assert info()["quota_available"] == "0"
    resp = api(Q + "modify", quota_id=quota_id, action="REDUCE", amount="1")
    assert resp["sub_code"] == "QUOTA_BALANCE_NOT_ENOUGH"
    api(Q + "modify", quota_id=quota_id, action="UPDATE_BALANCE", amount="777")
    assert info()["quota_available"] == "777"
    api(Q + "modify", quota_id=quota_id, action="FREEZE")
    assert info()["freeze"] is True
    api(Q + "modify", quota_id=quota_id, action="ENABLE")
    assert info()["freeze"] is False
    for amount in ("12.50", "-3", "0", "10000001"):  # fen, whole, positive, ≤ 100 000 元
        resp = api(Q + "modify", quota_id=quota_id, action="ADD", amount=amount)
        assert resp["sub_code"] == "AMOUNT_INVALID", amount
    assert api(Q + "modify", quota_id=quota_id, action="SPEND")["sub_code"] == (
        "QUOTA_ACTION_INVALID"
    )
    assert api(Q + "modify", quota_id="6999", action="ADD", amount="1")["sub_code"] == (
        "QUOTA_NOT_EXIST"
    )


def test_quota_query_filters_and_paging(api: Api) -> None:
    inst = api.institution()
    people = api.employees(5)
    api(
        Q + "create",
        target_type="INSTITUTION",
        target_id=inst,
        issue_quota_target_list=[_target(p, "9.99") for p in people],
    )
    mine = api(Q + "query", owner_id=people[0], target_id=inst)["expense_quota_info_list"]
    assert len(mine) == 1 and mine[0]["owner_id"] == people[0]
    first = api(Q + "query", target_id=inst, page_num=1, page_size=2)
    assert first["total_page_count"] == 3
    all_ids: set[str] = set()
    for page in (1, 2, 3):
        resp = api(Q + "query", target_id=inst, page_num=page, page_size=2)
        all_ids.update(i["quota_id"] for i in resp["expense_quota_info_list"])
    assert len(all_ids) == 5


def test_quota_delete_by_batch(api: Api) -> None:
    inst = api.institution()
    people = api.employees(2)
    batch = api(
        Q + "create",
        target_type="INSTITUTION",
        target_id=inst,
        issue_quota_target_list=[_target(p, "1.00") for p in people],
    )["issue_batch_id"]
    assert api(Q + "delete", issue_batch_id=batch)["code"] == "10000"
    assert api(Q + "query", target_id=inst)["expense_quota_info_list"] == []
    assert api(Q + "delete", issue_batch_id=batch)["sub_code"] == "QUOTA_NOT_EXIST"
    assert api(Q + "delete", quota_id="6000000000009999")["sub_code"] == "QUOTA_NOT_EXIST"


def test_spending_draws_on_quota(api: Api, sandbox: SandboxServer) -> None:
    # An employee with a quota on the demo meal institution pays lunch from it.
    inst_list = api(INST + "pageinfo.query", page_size=100)["institution_basic_info_list"]
    meal = next(i for i in inst_list if i["institution_name"] == "工作餐补贴制度")
    owner = api(INST + "scopepageinfo.query", institution_id=meal["institution_id"])[
        "owner_id_list"
    ][0]
    api("alipay.commerce.ec.employee.info.modify", employee_id=owner, employee_name="午餐人")
    sandbox.activate_employee(owner)
    quotas = api(Q + "query", owner_id=owner, target_id=meal["institution_id"])[
        "expense_quota_info_list"
    ]
    before = sum(int(q["quota_used"]) for q in quotas)
    bill = sandbox.emit_bill(employee_id=owner, amount="0.01", merchant="公司食堂（一楼）")
    after_quotas = api(Q + "query", owner_id=owner, target_id=meal["institution_id"])[
        "expense_quota_info_list"
    ]
    after = sum(int(q["quota_used"]) for q in after_quotas)
    assert after - before == bill.peer_fen
    assert bill.peer_fen in (0, 1)  # 0 outside the lunch/dinner windows or with no balance


@settings(max_examples=40, deadline=None)
@given(
    fen=st.integers(min_value=1, max_value=10_000_000),
    style=st.sampled_from(["plain", "int", "one_decimal"]),
)
def test_quota_amounts_round_trip_exactly(sandbox: SandboxServer, fen: int, style: str) -> None:
    # Whatever the yuan spelling, the stored and reported amount is exactly the fen value.
    amount = Decimal(fen) / 100
    if style == "int":
        if fen % 100:
            return
        text: Any = fen // 100
    elif style == "one_decimal":
        if fen % 10:
            return
        text = f"{amount:.1f}"
    else:
        text = f"{amount:.2f}"
    eid = sandbox.config["enterprise_id"]
    with sandbox.store.tx() as conn:
        inst = conn.execute("SELECT institution_id FROM institutions LIMIT 1").fetchone()[0]
        owner = conn.execute("SELECT employee_id FROM employees LIMIT 1").fetchone()[0]
    resp = sandbox.call(
        Q + "create",
        {
            "enterprise_id": eid,
            "target_id": inst,
            "issue_quota_target_list": [_target(owner, text)],
        },
    )
    assert resp["code"] == "10000", resp
    info = sandbox.call(Q + "query", {"enterprise_id": eid, "quota_id_list": [resp["quota_id"]]})
    assert info["expense_quota_info_list"][0]["quota_total"] == str(fen)
