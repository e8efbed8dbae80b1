"""Typed methods against the fake gateway: what goes on the wire, what comes back."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from alipay_fakes import FakeAlipay

from workstation.alipay import (
    AlipayGateway,
    AlipayProtocolError,
    EmployeeStatus,
    NewEmployee,
    QuotaAction,
    RuleCondition,
)

OK = {"code": "10000", "msg": "Success"}


def answer(fake: FakeAlipay, **fields: Any) -> None:
    fake.responder = lambda m, b: {**OK, **fields}


def last_biz(fake: FakeAlipay) -> dict[str, Any]:
    return fake.received[-1].biz


def test_register_invite(gateway: AlipayGateway, fake: FakeAlipay) -> None:
    answer(fake, pc_invite_url="https://example/invite", expire_time="2024-06-01 00:00:00")
    invite = gateway.create_register_invite("OUT1", "某某科技有限公司", enterprise_alias="某某")
    assert invite.pc_invite_url == "https://example/invite"
    assert invite.expire_time == datetime(2024, 6, 1)
    assert last_biz(fake) == {
        "out_biz_no": "OUT1",
        "base_info": {"enterprise_name": "某某科技有限公司", "enterprise_alias": "某某"},
    }


def test_enterprise_query_modify_unsign_delete(gateway: AlipayGateway, fake: FakeAlipay) -> None:
    answer(
        fake,
        enterprise_info={
            "enterprise_id": "E0001",
            "enterprise_name": "某某",
            "activate": "ACTIVATED",
            "gmt_create": "2024-01-02 03:04:05",
        },
    )
    ent = gateway.query_enterprise()
    assert (ent.enterprise_id, ent.activate) == ("E0001", "ACTIVATED")
    assert ent.gmt_create == datetime(2024, 1, 2, 3, 4, 5)
    answer(fake)
    gateway.modify_enterprise(enterprise_alias="新简称")
    assert last_biz(fake) == {"enterprise_id": "E0001", "enterprise_alias": "新简称"}
    answer(fake, unsign_url="https://example/unsign")
    assert gateway.unsign_enterprise() == "https://example/unsign"
    answer(fake, enterprise_id="E0001")
    gateway.delete_enterprise()
    assert fake.methods()[-1] == "alipay.commerce.ec.enterprise.delete"


def test_departments(gateway: AlipayGateway, fake: FakeAlipay) -> None:
    answer(fake, department_id="D2")
    assert gateway.create_department("财务部", "D1", code="FIN") == "D2"
    assert last_biz(fake) == {
        "enterprise_id": "E0001",
        "department_name": "财务部",
        "parent_department_id": "D1",
        "department_code": "FIN",
    }
    answer(fake)
    gateway.modify_department("D2", name="财务中心")
    assert last_biz(fake) == {
        "enterprise_id": "E0001",
        "department_id": "D2",
        "department_name": "财务中心",
    }
    answer(
        fake,
        department_info={
            "department_id": "D2",
            "department_name": "财务中心",
            "parent_department_id": "D1",
        },
    )
    dept = gateway.query_department("D2")
    assert (dept.department_id, dept.name, dept.parent_id) == ("D2", "财务中心", "D1")
    gateway.delete_department("D2")
    assert fake.methods()[-1] == "alipay.commerce.ec.department.delete"


def test_add_employee_sends_false_flags(gateway: AlipayGateway, fake: FakeAlipay) -> None:
    answer(fake, employee_id="EMP1", sign_url="https://example/sign", share_code="¥abc¥")
    added = gateway.add_employee("张三", mobile="13800000000", department_ids=["D1"])
    assert added.employee_id == "EMP1" and added.share_code == "¥abc¥"
    assert last_biz(fake) == {
        "enterprise_id": "E0001",
        "employee_name": "张三",
        "employee_mobile": "13800000000",
        "department_ids": ["D1"],
        "create_share_code": False,  # the SDK model would have dropped this
    }


def test_batch_create(gateway: AlipayGateway, fake: FakeAlipay) -> None:
    answer(
        fake,
        employee_add_success_list=[{"employee_id": "EMP1", "employee_name": "张三"}],
        employee_add_fail_list=[{"employee_name": "李四", "fail_reason": "手机号格式错误"}],
    )
    result = gateway.batch_create_employees(
        [NewEmployee("张三", mobile="13800000000"), NewEmployee("李四", mobile="1")]
    )
    assert [s.employee_id for s in result.success] == ["EMP1"]
    assert [(f.name, f.reason) for f in result.failed] == [("李四", "手机号格式错误")]
    assert len(last_biz(fake)["employee_list"]) == 2


def test_employee_query_modify_invite(gateway: AlipayGateway, fake: FakeAlipay) -> None:
    answer(
        fake,
        employee_info={
            "employee_id": "EMP1",
            "employee_name": "张三",
            "mobile": "13800000000",
            "activate": "UNACTIVATED",
            "department_list": [{"department_id": "D1", "department_name": "财务"}],
        },
    )
    emp = gateway.query_employee("EMP1")
    assert emp.status is EmployeeStatus.UNACTIVATED
    assert emp.department_ids == ("D1",)
    answer(fake, employee_id="EMP1")
    gateway.modify_employee("EMP1", department_ids=[])
    assert last_biz(fake) == {"enterprise_id": "E0001", "employee_id": "EMP1", "department_ids": []}
    answer(fake, sign_url="s", mini_app_sign_url="m", share_code="c")
    invite = gateway.query_employee_invite("EMP1")
    assert (invite.sign_url, invite.mini_app_sign_url, invite.share_code) == ("s", "m", "c")
    gateway.delete_employee("EMP1")
    assert fake.methods()[-1] == "alipay.commerce.ec.employee.delete"


def _paged(key: str, items: list[str], *, total: str = "total_pages") -> Any:
    def respond(method: str, biz: dict[str, Any]) -> dict[str, Any]:
        n, size = int(biz["page_num"]), int(biz["page_size"])
        pages = max(1, -(-len(items) // size))
        return {**OK, key: items[(n - 1) * size : n * size], total: pages}

    return respond


def test_employee_id_paging(gateway: AlipayGateway, fake: FakeAlipay) -> None:
    ids = [f"EMP{i:04d}" for i in range(2501)]
    fake.responder = _paged("employee_id_list", ids)
    assert list(gateway.iter_employee_ids("D1")) == ids
    assert [r.biz["page_num"] for r in fake.received] == [1, 2, 3]


def test_scope_paging(gateway: AlipayGateway, fake: FakeAlipay) -> None:
    ids = [f"EMP{i}" for i in range(250)]
    fake.responder = _paged("owner_id_list", ids, total="total_page_count")
    assert list(gateway.iter_institution_scope("I1", page_size=100)) == ids
    assert len(fake.received) == 3
    assert fake.received[0].biz["owner_type"] == "ENTERPRISE_PAY_UID"


def test_institution_lifecycle(gateway: AlipayGateway, fake: FakeAlipay) -> None:
    answer(
        fake,
        institution_id="I1",
        standard_id_info_list=[{"outer_source_id": "r1", "standard_id": "S1"}],
    )
    created = gateway.create_institution(
        "餐补",
        expense_type="MEAL",
        owner_ids=["EMP1"],
        outer_source_id="inst-1",
        effective_start=datetime(2024, 5, 1),
    )
    assert created.institution_id == "I1" and created.standard_ids == {"r1": "S1"}
    biz = last_biz(fake)
    assert biz["institution_scope_info"] == {
        "adapter_type": "EMPLOYEE_SELECT",
        "owner_type": "ENTERPRISE_PAY_UID",
        "owner_id_list": ["EMP1"],
    }
    assert biz["effective_start_date"] == "2024-05-01 00:00:00"
    answer(
        fake,
        institution_id="I1",
        institution_name="餐补",
        effective="1",
        standard_info_detail_list=[
            {
                "standard_id": "S1",
                "standard_name": "工作日午餐",
                "standard_condition_info_list": [{"rule_factor": "QUOTA_DAY", "rule_value": "30"}],
            }
        ],
        issue_rule_info_list=[{"issue_rule_id": "IR1", "issue_amount_value": "500.00"}],
    )
    detail = gateway.query_institution("I1")
    assert detail.enabled is True
    assert detail.rules[0].conditions == (RuleCondition("QUOTA_DAY", "30"),)
    assert detail.issue_rules[0].amount == Decimal("500.00")
    answer(fake, result=True)
    gateway.modify_institution("I1", enabled=False)
    assert last_biz(fake)["effective"] == "0"
    gateway.modify_institution_scope("I1", add=["EMP2"], remove=["EMP1"])
    assert last_biz(fake)["add_owner_id_list"] == ["EMP2"]
    answer(fake, result=False)
    with pytest.raises(AlipayProtocolError):
        gateway.delete_institution("I1")


def test_institution_list_paging(gateway: AlipayGateway, fake: FakeAlipay) -> None:
    def respond(method: str, biz: dict[str, Any]) -> dict[str, Any]:
        n = biz["page_num"]
        infos = [{"institution_id": f"I{n}{i}", "effective": "1"} for i in range(2)]
        return {
            **OK,
            "institution_basic_info_list": infos,
            "page_num": str(n),
            "total_page_count": 2,
        }

    fake.responder = respond
    assert [i.institution_id for i in gateway.iter_institutions(page_size=2)] == [
        "I10",
        "I11",
        "I20",
        "I21",
    ]


def test_expense_rules(gateway: AlipayGateway, fake: FakeAlipay) -> None:
    answer(fake, standard_id="S9")
    conditions = [RuleCondition("QUOTA_DAY", "50"), RuleCondition("MCC", "5812,5814")]
    assert gateway.create_expense_rule("I1", "午餐", conditions, outer_source_id="r9") == "S9"
    assert last_biz(fake)["standard_condition_info_list"] == [
        {"rule_factor": "QUOTA_DAY", "rule_value": "50"},
        {"rule_factor": "MCC", "rule_value": "5812,5814"},
    ]
    answer(fake, result=True)
    gateway.modify_expense_rule("I1", "S9", name="工作日午餐")
    gateway.delete_expense_rules("I1", ["S9"])
    assert last_biz(fake)["standard_id_list"] == ["S9"]


def test_create_quota_sends_yuan(gateway: AlipayGateway, fake: FakeAlipay) -> None:
    answer(fake, quota_id="Q1", issue_batch_id="B1")
    created = gateway.create_quota(
        "EMP1",
        "I1",
        Decimal("100.5"),
        datetime(2024, 5, 1),
        datetime(2024, 5, 31, 23, 59, 59),
        "issue-1",
    )
    assert (created.quota_id, created.issue_batch_id, created.failed) == ("Q1", "B1", ())
    assert last_biz(fake) == {
        "enterprise_id": "E0001",
        "outer_source_id": "issue-1",
        "quota_type": "CAP",
        "target_type": "INSTITUTION",
        "target_id": "I1",
        "effective_start_date": "2024-05-01 00:00:00",
        "effective_end_date": "2024-05-31 23:59:59",
        "issue_quota_target_list": [
            {"owner_id": "EMP1", "owner_type": "ENTERPRISE_PAY_UID", "issue_quota": "100.50"}
        ],
    }


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-1"), Decimal("1.234")])
def test_create_quota_rejects_bad_amounts_before_calling(
    gateway: AlipayGateway, fake: FakeAlipay, amount: Decimal
) -> None:
    with pytest.raises(ValueError):
        gateway.create_quota("E", "I", amount, datetime(2024, 5, 1), datetime(2024, 6, 1), "x")
    assert fake.received == []


def test_create_quota_reports_check_failures(gateway: AlipayGateway, fake: FakeAlipay) -> None:
    answer(
        fake,
        issue_quota_check_failed_list=[
            {"owner_id": "EMP1", "issue_quota": "10.00", "result": False, "message": "员工未激活"}
        ],
    )
    created = gateway.create_quota(
        "EMP1", "I1", Decimal("10"), datetime(2024, 5, 1), datetime(2024, 6, 1), "x"
    )
    assert created.quota_id is None
    assert [(f.owner_id, f.amount, f.message) for f in created.failed] == [
        ("EMP1", Decimal("10.00"), "员工未激活")
    ]


def test_modify_quota_sends_fen(gateway: AlipayGateway, fake: FakeAlipay) -> None:
    answer(fake, success=True)
    gateway.modify_quota("Q1", QuotaAction.ADD, Decimal("100.50"), "mod-1")
    assert last_biz(fake) == {
        "enterprise_id": "E0001",
        "quota_id": "Q1",
        "action": "ADD",
        "amount": "10050",
        "outer_source_id": "mod-1",
    }
    gateway.modify_quota("Q1", "DISABLE", None, "mod-2")
    assert "amount" not in last_biz(fake)
    with pytest.raises(ValueError):
        gateway.modify_quota("Q1", "DEDUCT", None, "mod-3")
    with pytest.raises(ValueError):
        gateway.modify_quota("Q1", "EXPLODE", Decimal(1), "mod-4")


def test_query_quotas(gateway: AlipayGateway, fake: FakeAlipay) -> None:
    answer(
        fake,
        expense_quota_info_list=[
            {
                "quota_id": "Q1",
                "owner_id": "EMP1",
                "target_id": "I1",
                "quota_total": "10050",
                "quota_available": "50",
                "quota_used": "10000",
                "freeze": "false",
            }
        ],
        total_page_count=1,
    )
    page = gateway.query_quotas(owner_id="EMP1", institution_id="I1")
    (quota,) = page.items
    assert (quota.total, quota.available, quota.used) == (
        Decimal("100.50"),
        Decimal("0.50"),
        Decimal("100.00"),
    )
    assert not page.has_next
    assert last_biz(fake)["target_type"] == "INSTITUTION"
    answer(fake)
    gateway.delete_quota("Q1")
    assert last_biz(fake) == {"enterprise_id": "E0001", "quota_id": "Q1"}


def test_query_bills_refuses_more_than_24_hours(gateway: AlipayGateway, fake: FakeAlipay) -> None:
    start = datetime(2024, 5, 1)
    with pytest.raises(ValueError):
        gateway.query_bills(start, start + timedelta(hours=24, seconds=1))
    with pytest.raises(ValueError):
        gateway.query_bills(start, start - timedelta(seconds=1))
    assert fake.received == []
    answer(fake, consume_info_list=[])
    gateway.query_bills(start, start + timedelta(hours=24))
    assert last_biz(fake)["start_date"] == "2024-05-01 00:00:00"
    assert last_biz(fake)["end_date"] == "2024-05-02 00:00:00"


def _bill(n: int, when: datetime) -> dict[str, Any]:
    return {
        "pay_no": f"P{n:05d}",
        "consume_amount": "10.00",
        "peer_pay_amount": "10.00",
        "gmt_receive_pay": when.strftime("%Y-%m-%d %H:%M:%S"),
    }


def test_iter_bills_walks_windows_and_pages_once_each(
    gateway: AlipayGateway, fake: FakeAlipay
) -> None:
    start = datetime(2024, 5, 1)
    times = [start + timedelta(minutes=37 * i) for i in range(140)]  # ~3.6 days
    times += [start + timedelta(hours=24), start + timedelta(hours=48)]  # on window boundaries
    bills = [_bill(i, t) for i, t in enumerate(times)]
    end = start + timedelta(hours=80)

    def respond(method: str, biz: dict[str, Any]) -> dict[str, Any]:
        lo = datetime.strptime(biz["start_date"], "%Y-%m-%d %H:%M:%S")
        hi = datetime.strptime(biz["end_date"], "%Y-%m-%d %H:%M:%S")
        assert hi - lo <= timedelta(hours=24)
        hits = [b for b, t in zip(bills, times, strict=True) if lo <= t <= hi]  # inclusive
        n, size = int(biz["page_num"]), int(biz["page_size"])
        return {**OK, "consume_info_list": hits[(n - 1) * size : n * size]}

    fake.responder = respond
    seen = [b.pay_no for b in gateway.iter_bills(start, end, page_size=10)]
    expected = [b["pay_no"] for b, t in zip(bills, times, strict=True) if t <= end]
    assert sorted(seen) == sorted(expected)
    assert len(seen) == len(set(seen))
    windows = {(r.biz["start_date"], r.biz["end_date"]) for r in fake.received}
    assert len(windows) == 4  # 24 + 24 + 24 + 8 hours


def test_vouchers_and_statement(gateway: AlipayGateway, fake: FakeAlipay) -> None:
    answer(
        fake,
        consume_info={"pay_no": "P1", "consume_amount": "5.00"},
        related_refund_list=[
            {
                "pay_no": "R1",
                "consume_amount": "5.00",
                "consume_type": "REFUND",
                "related_pay_no": "P1",
            }
        ],
        related_voucher_list=[
            {
                "voucher_id": "V1",
                "voucher_type": "INVOICE",
                "voucher_date": "2024-05-02 10:00:00",
                "invoice_compliance_check_result": {"match_result_type": "1"},
            }
        ],
    )
    detail = gateway.query_bill("P1")
    assert detail.refunds[0].related_pay_no == "P1"
    assert gateway.query_bill_vouchers("P1")[0].match_result_type == "1"
    answer(fake, voucher_info_list=[{"voucher_id": "V2"}])
    assert [v.voucher_id for v in gateway.query_voucher_summary("S1")] == ["V2"]
    answer(fake, bill_download_url="https://example/bill.zip")
    assert gateway.query_statement_url("DAY", "2024-05-01") == "https://example/bill.zip"
    assert last_biz(fake) == {
        "enterprise_id": "E0001",
        "bill_type": "DAY",
        "bill_date": "2024-05-01",
    }
    gateway.query_statement_url("MONTH", "2024-04")
    with pytest.raises(ValueError):
        gateway.query_statement_url("MONTH", "2024-04-01")
    with pytest.raises(ValueError):
        gateway.query_statement_url("YEAR", "2024")  # type: ignore[arg-type]


def test_missing_required_field_is_a_protocol_error(
    gateway: AlipayGateway, fake: FakeAlipay
) -> None:
    answer(fake)  # no department_id
    with pytest.raises(AlipayProtocolError) as info:
        gateway.create_department("x", "D1")
    assert "department_id" in str(info.value)


def test_enterprise_id_is_required_for_enterprise_calls(fake: FakeAlipay, make_config: Any) -> None:
    with AlipayGateway(make_config(fake.url, enterprise_id=None)) as gw:
        with pytest.raises(ValueError):
            gw.list_sub_departments()
        answer(fake, pc_invite_url="u")
        assert gw.create_register_invite("OUT", "新企业").pc_invite_url == "u"
