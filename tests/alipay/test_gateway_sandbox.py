"""Integration: every gateway method against the real sandbox over HTTP, plus faults.

One sandbox serves the module (40 employees, ~2 000 bills); tests create their own records so
they do not depend on each other. Destructive enterprise calls get a sandbox of their own.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Iterator, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from alipay_fakes import Sleeps

from workstation.alipay import (
    AlipayError,
    AlipayGateway,
    AlipaySignatureError,
    AlipayUnavailable,
    EmployeeStatus,
    ExpenseRuleSpec,
    GatewayConfig,
    HttpTransport,
    IssueRuleSpec,
    NewEmployee,
    QuotaAction,
    RuleCondition,
)
from workstation.keys import KeyPair
from workstation.sandbox.server import SandboxServer
from workstation.sandbox.testing import beijing_now, running_sandbox

QUOTA_CREATE = "alipay.ebpp.invoice.expensecontrol.quota.create"
SUBLIST = "alipay.commerce.ec.department.sublist.query"


class CountingTransport:
    """Our real transport, counting the requests per method that reach the wire."""

    def __init__(self, inner: HttpTransport) -> None:
        self.inner = inner
        self.calls: Counter[str] = Counter()

    def post(self, query: str, body: bytes, headers: Mapping[str, str]) -> bytes:
        self.calls[parse_qs(query)["method"][0]] += 1
        return self.inner.post(query, body, headers)

    def close(self) -> None:
        self.inner.close()


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    with running_sandbox(tmp_path_factory.mktemp("sandbox")) as server:
        yield server


@pytest.fixture(autouse=True)
def _clear_faults(sandbox: SandboxServer) -> Iterator[None]:
    sandbox.faults.reset()
    yield
    sandbox.faults.reset()


def _gateway(
    config: GatewayConfig, sleeps: Sleeps | None = None
) -> tuple[AlipayGateway, CountingTransport]:
    transport = CountingTransport(
        HttpTransport(
            config.gateway_url,
            connect_timeout=config.connect_timeout,
            read_timeout=config.timeout,
        )
    )
    gw = AlipayGateway(
        config,
        transport=transport,
        sleep=sleeps if sleeps is not None else Sleeps(),
        rand=lambda: 1.0,
    )
    return gw, transport


@pytest.fixture
def counted(
    sandbox: SandboxServer, sleeps: Sleeps
) -> Iterator[tuple[AlipayGateway, CountingTransport]]:
    config = GatewayConfig.from_sandbox_json(sandbox.config_path, max_attempts=3, timeout=5)
    gw, transport = _gateway(config, sleeps)
    with gw:
        yield gw, transport


@pytest.fixture
def gw(counted: tuple[AlipayGateway, CountingTransport]) -> AlipayGateway:
    return counted[0]


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def _mobile() -> str:
    return "139" + str(uuid.uuid4().int)[:8]


# --- config -----------------------------------------------------------------------------


def test_config_from_sandbox_json(sandbox: SandboxServer) -> None:
    config = GatewayConfig.from_sandbox_json(sandbox.config_path)
    assert config.app_id == sandbox.config["app_id"]
    assert config.enterprise_id == sandbox.config["enterprise_id"]
    assert config.gateway_url == sandbox.url
    assert config.app_private_key.startswith("-----BEGIN RSA PRIVATE KEY-----")


# --- enterprise -------------------------------------------------------------------------


def test_enterprise_query_modify_and_invite(gw: AlipayGateway, sandbox: SandboxServer) -> None:
    ent = gw.query_enterprise()
    assert ent.enterprise_id == sandbox.config["enterprise_id"]
    assert ent.sign_status == "SIGNED"
    by_out = gw.query_enterprise(out_biz_no=ent.out_biz_no)
    assert by_out.enterprise_id == ent.enterprise_id

    gw.modify_enterprise(enterprise_alias="云帆测试")
    assert gw.query_enterprise().enterprise_alias == "云帆测试"

    out = _unique("reg")
    first = gw.create_register_invite(out, "杭州新客户科技有限公司")
    again = gw.create_register_invite(out, "杭州新客户科技有限公司")
    assert first.pc_invite_url == again.pc_invite_url  # same out_biz_no → same link
    assert first.expire_time is not None
    assert first.expire_time - beijing_now() > timedelta(days=29)


def test_enterprise_unsign_and_delete(tmp_path: Path) -> None:
    with running_sandbox(tmp_path, employees=3, bills=5) as own:
        config = GatewayConfig.from_sandbox_json(own.config_path)
        with AlipayGateway(config) as gw:
            url = gw.unsign_enterprise()
            assert url.startswith(own.base_url)
            assert gw.query_enterprise().sign_status == "UNSIGNED"
            gw.delete_enterprise()
            with pytest.raises(AlipayError) as info:
                gw.query_enterprise()
            assert info.value.sub_code == "ENTERPRISE_NOT_EXIST"


# --- departments ------------------------------------------------------------------------


def test_department_lifecycle(
    counted: tuple[AlipayGateway, CountingTransport], sleeps: Sleeps
) -> None:
    gw, transport = counted
    (root,) = gw.list_sub_departments()
    assert gw.query_department(root).parent_id == "-1"
    name = _unique("测试部")
    dept_id = gw.create_department(name, root, code=_unique("T"))
    assert dept_id in gw.list_sub_departments(root)
    dept = gw.query_department(dept_id)
    assert (dept.name, dept.parent_id) == (name, root)

    child = gw.create_department(_unique("子部门"), dept_id)
    gw.modify_department(child, name="改名后的子部门")
    assert gw.query_department(child).name == "改名后的子部门"

    with pytest.raises(AlipayError) as info:  # a business error: surfaced, not retried
        gw.delete_department(dept_id)
    assert info.value.sub_code == "DEPARTMENT_HAS_CHILDREN"
    assert info.value.is_business
    assert transport.calls["alipay.commerce.ec.department.delete"] == 1
    assert sleeps == []

    gw.delete_department(child)
    gw.delete_department(dept_id)
    with pytest.raises(AlipayError) as gone:
        gw.query_department(dept_id)
    assert gone.value.sub_code == "DEPARTMENT_NOT_EXIST"
    assert gone.value.message_zh == "部门不存在"


# --- employees --------------------------------------------------------------------------


def test_employee_lifecycle(gw: AlipayGateway, sandbox: SandboxServer) -> None:
    (root,) = gw.list_sub_departments()
    mobile = _mobile()
    added = gw.add_employee("测试员工", mobile=mobile, department_ids=[root], employee_no="T001")
    assert added.sign_url
    emp = gw.query_employee(added.employee_id)
    assert (emp.name, emp.mobile, emp.employee_no) == ("测试员工", mobile, "T001")
    assert emp.department_ids == (root,)
    assert emp.status is EmployeeStatus.UNACTIVATED

    invite = gw.query_employee_invite(added.employee_id, create_share_code=True)
    assert invite.sign_url and invite.share_code
    sandbox.activate_employee(added.employee_id)
    assert gw.query_employee(added.employee_id).status is EmployeeStatus.ACTIVATED

    gw.modify_employee(added.employee_id, name="改名员工", email="t@example.com")
    emp = gw.query_employee(added.employee_id)
    assert (emp.name, emp.email) == ("改名员工", "t@example.com")

    gw.delete_employee(added.employee_id)
    with pytest.raises(AlipayError) as info:
        gw.query_employee(added.employee_id)
    assert info.value.sub_code == "EMPLOYEE_NOT_EXIST"


def test_add_employee_with_share_code(gw: AlipayGateway) -> None:
    added = gw.add_employee("吱口令员工", mobile=_mobile(), create_share_code=True)
    assert added.share_code
    gw.delete_employee(added.employee_id)


def test_batch_create_reports_failures(gw: AlipayGateway) -> None:
    good = NewEmployee("批量一", mobile=_mobile())
    bad = NewEmployee("批量二", mobile="12345")
    result = gw.batch_create_employees([good, bad])
    assert [s.name for s in result.success] == ["批量一"]
    assert len(result.failed) == 1
    assert result.failed[0].reason
    for s in result.success:
        gw.delete_employee(s.employee_id)


def test_employee_id_paging_matches_one_big_page(gw: AlipayGateway) -> None:
    everyone = gw.list_employee_ids("-1", 1, 1000)
    assert everyone.total_count == len(everyone.items) >= 40
    small = gw.list_employee_ids("-1", 1, 7)
    assert small.total_pages == -(-len(everyone.items) // 7)
    assert list(gw.iter_employee_ids("-1", page_size=7)) == list(everyone.items)


# --- institutions and rules ----------------------------------------------------------------


def _some_employees(gw: AlipayGateway, n: int) -> list[str]:
    return list(gw.list_employee_ids("-1", 1, n).items)


def test_institution_lifecycle(gw: AlipayGateway) -> None:
    members = _some_employees(gw, 12)
    outer = _unique("inst")
    created = gw.create_institution(
        _unique("测试制度"),
        expense_type="MEAL",
        description="集成测试",
        owner_ids=members[:10],
        rules=[
            ExpenseRuleSpec(
                "工作日午餐",
                (
                    RuleCondition("QUOTA_DAY", "30.00"),
                    RuleCondition("ALARM_CLOCK_TIME", "11:00-14:00"),
                ),
                outer_source_id="lunch",
            )
        ],
        issue_rules=[
            IssueRuleSpec("每月餐补", Decimal("500"), "ISSUE_MONTH", outer_source_id="monthly")
        ],
        outer_source_id=outer,
    )
    iid = created.institution_id
    assert set(created.standard_ids) == {"lunch"}
    assert set(created.issue_rule_ids) == {"monthly"}

    detail = gw.query_institution(iid)
    assert detail.expense_type == "MEAL" and detail.enabled is True
    assert {r.standard_id for r in detail.rules} == set(created.standard_ids.values())
    lunch = detail.rules[0]
    assert {(c.rule_factor, c.rule_value) for c in lunch.conditions} == {
        ("QUOTA_DAY", "30.00"),
        ("ALARM_CLOCK_TIME", "11:00-14:00"),
    }
    assert detail.issue_rules[0].amount == Decimal("500.00")
    assert iid in {i.institution_id for i in gw.iter_institutions(page_size=2)}

    gw.modify_institution(iid, name="改名制度", enabled=False)
    detail = gw.query_institution(iid)
    assert (detail.name, detail.enabled) == ("改名制度", False)

    gw.modify_institution_scope(iid, add=members[10:12], remove=members[:2])
    scope = list(gw.iter_institution_scope(iid, page_size=3))
    assert sorted(scope) == sorted(members[2:12])
    page = gw.list_institution_scope(iid, 1, 3)
    assert page.total_pages == 4 and len(page.items) == 3

    sid = gw.create_expense_rule(
        iid, "加班晚餐", [RuleCondition("QUOTA_DAY", "40")], outer_source_id="dinner"
    )
    assert (
        gw.create_expense_rule(
            iid, "加班晚餐", [RuleCondition("QUOTA_DAY", "40")], outer_source_id="dinner"
        )
        == sid
    )  # idempotent on outer_source_id
    gw.modify_expense_rule(
        iid, sid, name="加班晚餐（新）", conditions=[RuleCondition("QUOTA_DAY", "45")]
    )
    rule = next(r for r in gw.query_institution(iid).rules if r.standard_id == sid)
    assert rule.name == "加班晚餐（新）"
    assert [(c.rule_factor, c.rule_value) for c in rule.conditions] == [("QUOTA_DAY", "45")]
    gw.delete_expense_rules(iid, [sid])
    assert sid not in {r.standard_id for r in gw.query_institution(iid).rules}

    with pytest.raises(AlipayError) as bad_rule:
        gw.create_expense_rule(iid, "坏规则", [RuleCondition("NOT_A_FACTOR", "1")])
    assert bad_rule.value.sub_code == "RULE_FACTOR_INVALID"

    gw.delete_institution(iid)
    with pytest.raises(AlipayError) as gone:
        gw.query_institution(iid)
    assert gone.value.sub_code == "INSTITUTION_NOT_EXIST"


def test_scope_paging_above_a_thousand_members(tmp_path: Path) -> None:
    """Scopes must be paged: 1 200 members come back in two pages of 1 000 at most."""
    with running_sandbox(tmp_path, employees=1200, bills=5) as own:
        config = GatewayConfig.from_sandbox_json(own.config_path)
        with AlipayGateway(config) as gw:
            everyone = list(gw.iter_employee_ids("-1"))
            assert len(everyone) == 1200
            iid = gw.create_institution(
                _unique("全员制度"), expense_type="MEAL", owner_ids=everyone[:1000]
            ).institution_id
            gw.modify_institution_scope(iid, add=everyone[1000:])
            first = gw.list_institution_scope(iid, 1, 1000)
            assert len(first.items) == 1000 and first.has_next
            assert sorted(gw.iter_institution_scope(iid, page_size=1000)) == sorted(everyone)


# --- quotas -----------------------------------------------------------------------------


@pytest.fixture
def institution(gw: AlipayGateway) -> Iterator[tuple[str, list[str]]]:
    members = _some_employees(gw, 3)
    iid = gw.create_institution(
        _unique("额度制度"), expense_type="MEAL", owner_ids=members
    ).institution_id
    yield iid, members
    gw.delete_institution(iid)


def _window() -> tuple[datetime, datetime]:
    start = beijing_now().replace(microsecond=0)
    return start, start + timedelta(days=30)


def test_quota_lifecycle(gw: AlipayGateway, institution: tuple[str, list[str]]) -> None:
    iid, (employee, *_rest) = institution
    start, end = _window()
    created = gw.create_quota(employee, iid, Decimal("123.45"), start, end, _unique("q"))
    assert created.quota_id and created.issue_batch_id and created.failed == ()
    (quota,) = gw.query_quotas(quota_ids=[created.quota_id]).items
    assert (quota.total, quota.available, quota.used) == (
        Decimal("123.45"),
        Decimal("123.45"),
        Decimal("0.00"),
    )
    assert (quota.owner_id, quota.target_id) == (employee, iid)
    assert (quota.valid_from, quota.valid_to) == (start, end)

    gw.modify_quota(created.quota_id, QuotaAction.ADD, Decimal("10.05"), _unique("m"))
    gw.modify_quota(created.quota_id, QuotaAction.DEDUCT, Decimal("3.50"), _unique("m"))
    (quota,) = gw.query_quotas(quota_ids=[created.quota_id]).items
    assert quota.available == Decimal("130.00")
    gw.modify_quota(created.quota_id, QuotaAction.DISABLE, None, _unique("m"))
    (quota,) = gw.query_quotas(quota_ids=[created.quota_id]).items
    assert quota.frozen is True

    with pytest.raises(AlipayError) as too_much:
        gw.modify_quota(created.quota_id, QuotaAction.DEDUCT, Decimal("1000"), _unique("m"))
    assert too_much.value.sub_code == "QUOTA_BALANCE_NOT_ENOUGH"

    mine = list(gw.iter_quotas(owner_id=employee, institution_id=iid, page_size=1))
    assert [q.quota_id for q in mine] == [created.quota_id]
    gw.delete_quota(created.quota_id)
    assert gw.query_quotas(quota_ids=[created.quota_id]).items == ()


def test_quota_creation_is_idempotent(
    counted: tuple[AlipayGateway, CountingTransport], institution: tuple[str, list[str]]
) -> None:
    gw, _transport = counted
    iid, (employee, *_rest) = institution
    start, end = _window()
    key = _unique("issue")
    first = gw.create_quota(employee, iid, Decimal("50"), start, end, key)
    second = gw.create_quota(employee, iid, Decimal("50"), start, end, key)
    assert first.quota_id == second.quota_id
    assert len(list(gw.iter_quotas(owner_id=employee, institution_id=iid))) == 1


def test_quota_creation_survives_a_timeout_without_duplicating(
    sandbox: SandboxServer, sleeps: Sleeps, institution: tuple[str, list[str]]
) -> None:
    """The sandbox processes the create but answers too late; the retry with the same
    outer_source_id gets the same quota back and nothing is issued twice."""
    config = GatewayConfig.from_sandbox_json(sandbox.config_path, timeout=0.5, max_attempts=3)
    gw, transport = _gateway(config, sleeps)
    iid, (employee, *_rest) = institution
    sandbox.faults.update(timeout_next=1, timeout_seconds=1.0, methods=[QUOTA_CREATE])
    start, end = _window()
    with gw:
        created = gw.create_quota(employee, iid, Decimal("80"), start, end, _unique("slow"))
        assert transport.calls[QUOTA_CREATE] == 2
        assert len(sleeps) == 1
        time.sleep(1.0)  # the timed-out request is processed late, after our retry
        quotas = list(gw.iter_quotas(owner_id=employee, institution_id=iid))
    assert [q.quota_id for q in quotas] == [created.quota_id]
    assert quotas[0].total == Decimal("80.00")


# --- bills, vouchers, statements --------------------------------------------------------------


def _all_pay_nos(sandbox: SandboxServer) -> list[str]:
    from workstation.sandbox import ids

    with sandbox.store.tx() as conn:
        rows = conn.execute("SELECT id, created FROM bills").fetchall()
    return [ids.pay_no(r[0], r[1]) for r in rows]


def test_iter_bills_covers_every_bill_exactly_once(
    counted: tuple[AlipayGateway, CountingTransport], sandbox: SandboxServer
) -> None:
    gw, transport = counted
    end = beijing_now().replace(microsecond=0) + timedelta(minutes=1)
    start = end - timedelta(days=92)
    seen = [b.pay_no for b in gw.iter_bills(start, end, page_size=20)]
    expected = _all_pay_nos(sandbox)
    assert len(expected) >= 2000
    assert len(seen) == len(set(seen))  # no duplicates
    assert set(seen) == set(expected)  # nothing missing
    batch = transport.calls["alipay.commerce.ec.consume.detail.batchquery"]
    assert batch > 100  # 92 24-hour windows, busy ones in several pages


def test_iter_bills_deduplicates_a_bill_on_a_window_boundary(
    gw: AlipayGateway, sandbox: SandboxServer
) -> None:
    """The sandbox's windows include both ends: a bill changed exactly on the boundary second
    comes back in two adjacent windows and must be yielded once."""
    with sandbox.store.tx() as conn:
        rows = conn.execute("SELECT id, created, modified FROM bills ORDER BY id").fetchall()
    from workstation.sandbox import ids

    pivot_row = rows[len(rows) // 2]
    pivot = datetime.strptime(pivot_row[2], "%Y-%m-%d %H:%M:%S")
    start, end = pivot - timedelta(hours=48), pivot + timedelta(hours=30)
    page = gw.query_bills(pivot - timedelta(hours=24), pivot, 1, 1000)
    later = gw.query_bills(pivot, pivot + timedelta(hours=24), 1, 1000)
    boundary = ids.pay_no(pivot_row[0], pivot_row[1])
    assert boundary in {b.pay_no for b in page.items} & {b.pay_no for b in later.items}

    seen = [b.pay_no for b in gw.iter_bills(start, end, page_size=7)]
    assert seen.count(boundary) == 1
    assert len(seen) == len(set(seen))
    expected = {
        ids.pay_no(r[0], r[1])
        for r in rows
        if start <= datetime.strptime(r[2], "%Y-%m-%d %H:%M:%S") <= end
    }
    assert set(seen) == expected


def test_query_bills_page_and_window_limit(gw: AlipayGateway) -> None:
    end = beijing_now().replace(microsecond=0)
    page = gw.query_bills(end - timedelta(hours=24), end, 1, 5)
    assert len(page.items) <= 5
    with pytest.raises(ValueError):
        gw.query_bills(end - timedelta(hours=25), end)


def _pick(sandbox: SandboxServer, where: str) -> str:
    from workstation.sandbox import ids

    with sandbox.store.tx() as conn:
        row = conn.execute(f"SELECT id, created FROM bills WHERE {where} LIMIT 1").fetchone()
    assert row is not None, where
    return ids.pay_no(row[0], row[1])


def test_bill_detail_vouchers_and_summary(gw: AlipayGateway, sandbox: SandboxServer) -> None:
    own = gw.query_bill(_pick(sandbox, "kind = 0 AND voucher = 1 AND refund_fen = 0"))
    bill = own.bill
    assert bill.consume_type == "CONSUME"
    assert bill.personal_paid == bill.amount - bill.enterprise_paid
    assert bill.trade_time is not None and bill.gmt_modified is not None
    (voucher,) = own.vouchers
    assert voucher.voucher_id == f"VC{bill.pay_no}"
    assert [v.voucher_id for v in gw.query_bill_vouchers(bill.pay_no)] == [voucher.voucher_id]

    refund = gw.query_bill(_pick(sandbox, "kind = 1")).bill
    assert refund.consume_type == "REFUND" and refund.related_pay_no
    original = gw.query_bill(refund.related_pay_no)
    assert refund.pay_no in {r.pay_no for r in original.refunds}
    assert original.bill.refund_amount > 0

    summed = gw.query_bill(_pick(sandbox, "kind = 0 AND voucher = 2")).bill
    assert summed.summary_apply_id
    summary = gw.query_voucher_summary(summed.summary_apply_id)
    assert summary and all(v.voucher_type == "SUMMARY_INVOICE" for v in summary)

    with pytest.raises(AlipayError) as info:
        gw.query_bill("2099010122000000000000009999")
    assert info.value.sub_code == "BILL_NOT_EXIST"


def test_statement_url(gw: AlipayGateway) -> None:
    yesterday = date.today() - timedelta(days=1)
    url = gw.query_statement_url("DAY", yesterday)
    assert "/download/statement?token=" in url
    last_month = (date.today().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    assert gw.query_statement_url("MONTH", last_month)
    with pytest.raises(AlipayError) as info:
        gw.query_statement_url("DAY", date.today())
    assert info.value.sub_code == "BILL_NOT_GENERATED"


# --- protocol, signatures and faults -------------------------------------------------------


def test_wrong_app_key_is_rejected_with_a_signed_error(
    sandbox: SandboxServer, other_keys: KeyPair, sleeps: Sleeps
) -> None:
    config = GatewayConfig.from_sandbox_json(
        sandbox.config_path, app_private_key=other_keys.private_pkcs1_pem
    )
    gw, transport = _gateway(config, sleeps)
    with gw, pytest.raises(AlipayError) as info:
        gw.list_sub_departments()
    assert info.value.code == "40002"
    assert info.value.sub_code == "isv.invalid-signature"
    assert info.value.is_business
    assert transport.calls[SUBLIST] == 1 and sleeps == []


def test_tampered_response_is_rejected(
    counted: tuple[AlipayGateway, CountingTransport], sandbox: SandboxServer, sleeps: Sleeps
) -> None:
    gw, transport = counted
    sandbox.faults.bad_signature_next = 1
    with pytest.raises(AlipaySignatureError):
        gw.list_sub_departments()
    assert transport.calls[SUBLIST] == 1 and sleeps == []  # never retried
    assert gw.list_sub_departments()  # the next answer is fine again


def test_system_errors_are_retried(
    counted: tuple[AlipayGateway, CountingTransport], sandbox: SandboxServer, sleeps: Sleeps
) -> None:
    gw, transport = counted
    sandbox.faults.system_error_next = 2
    assert gw.list_sub_departments()
    assert transport.calls[SUBLIST] == 3
    assert sleeps == [0.5, 1.0]


def test_system_errors_exhaust_into_unavailable(
    counted: tuple[AlipayGateway, CountingTransport], sandbox: SandboxServer, sleeps: Sleeps
) -> None:
    gw, transport = counted
    sandbox.faults.system_error_next = 5
    with pytest.raises(AlipayUnavailable) as info:
        gw.list_sub_departments()
    assert info.value.attempts == 3 == transport.calls[SUBLIST]
    assert isinstance(info.value.cause, AlipayError)
    assert info.value.cause.sub_code == "isp.unknow-error"


def test_http_500_is_retried(
    counted: tuple[AlipayGateway, CountingTransport], sandbox: SandboxServer, sleeps: Sleeps
) -> None:
    gw, transport = counted
    sandbox.faults.http_500_next = 1
    assert gw.list_sub_departments()
    assert transport.calls[SUBLIST] == 2 and len(sleeps) == 1


@pytest.mark.parametrize("mode", ["sleep", "drop"])
def test_timeouts_are_retried(sandbox: SandboxServer, sleeps: Sleeps, mode: str) -> None:
    config = GatewayConfig.from_sandbox_json(sandbox.config_path, timeout=0.3)
    gw, transport = _gateway(config, sleeps)
    sandbox.faults.update(timeout_next=1, timeout_seconds=0.6, timeout_mode=mode)
    with gw:
        assert gw.list_sub_departments()
    assert transport.calls[SUBLIST] == 2 and len(sleeps) == 1
    time.sleep(0.5)  # let the sandbox finish the abandoned request before the next test


def test_business_error_is_not_retried(
    counted: tuple[AlipayGateway, CountingTransport], sleeps: Sleeps
) -> None:
    gw, transport = counted
    with pytest.raises(AlipayError) as info:
        gw.query_employee("9999999999")
    assert info.value.sub_code == "EMPLOYEE_NOT_EXIST"
    assert info.value.sub_msg and "9999999999" in info.value.sub_msg
    assert transport.calls["alipay.commerce.ec.employee.info.query"] == 1
    assert sleeps == []


def test_calls_from_worker_threads(gw: AlipayGateway) -> None:
    from concurrent.futures import ThreadPoolExecutor

    employees = _some_employees(gw, 20)
    with ThreadPoolExecutor(max_workers=4) as pool:
        found = list(pool.map(gw.query_employee, employees))
    assert [e.employee_id for e in found] == employees
