"""The pay-code link is seed 000's ``PaymentService`` link, byte for byte, and it round-trips.

The reference below is the seed's code, copied verbatim (only indentation restored), so any
drift in parameter names, nesting, JSON formatting or percent-encoding fails a test."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from workstation.db.engine import Database
from workstation.enterprise.models import Enterprise
from workstation.errors import ValidationError
from workstation.institutions.models import (
    AdapterType,
    ExpenseInstitution,
    InstitutionMember,
    InstitutionStatus,
    MemberType,
)
from workstation.org.models import Department, Employee, EmployeeStatus
from workstation.payments.paylink import (
    MAX_ID_LENGTH,
    PayCodeNote,
    build_pay_code,
    institution_options,
    payment_code_params,
    payment_code_url,
    scan_params,
    search_employees,
)


class SeedPaymentService:
    """Seed 000, verbatim."""

    def generate_scan_params(
        self, account_id: str, rule_group_id: str, payment_id: str, isv_app_id: str
    ) -> dict[str, Any]:
        """生成扫一扫跳转参数"""
        params = {
            "pdSubBizScene": "enterprisePay",
            "specifiedEnableChannelInfo": json.dumps(
                {
                    "enableScene": "agreementpay",
                    "assetInfo": {
                        "instId": "INST_ALIPAY",
                        "assetId": account_id,
                        "assetTypeCode": "ENTERPRISEPAY",
                        "assetType": "ENTERPRISEPAYASSET",
                    },
                }
            ),
            "assignJointAccountId": account_id,
            "identityPayBizInfo": json.dumps(
                {
                    "identityPaySubBizScene": "ISV_PAY",
                    "bizGroupId": account_id,
                    "groupId": account_id,
                    "identityPayBizScene": "ENTERPRISE_CODE",
                }
            ),
            "CHANNEL_INDEX": '["ENTERPRISEPAYASSET_DC_ENTERPRISEPAY_DEFAULT"]',
            "enterprise_pay_info": json.dumps(
                {"paymentId": payment_id, "ruleGroupId": rule_group_id}
            ),
            "sourcePlatformInfo": json.dumps(
                {"paymentId": payment_id, "ruleGroupId": rule_group_id, "isvAppId": isv_app_id}
            ),
        }
        return params

    def generate_payment_code_url(
        self, account_id: str, rule_group_id: str, payment_id: str, isv_app_id: str
    ) -> str:
        """生成付款码跳转链接"""
        params = self.generate_scan_params(account_id, rule_group_id, payment_id, isv_app_id)
        params["channelMode"] = "NONE_CHANNEL_MODE"
        encoded_params = quote(json.dumps(params), safe="")
        return f"alipays://platformapi/startapp?appId=20000056&customBizCode=enterprisePayForThirdPart&customBizParams={encoded_params}"


SEED = SeedPaymentService()
ids = st.text(min_size=1, max_size=MAX_ID_LENGTH).filter(lambda s: bool(s.strip()))


def _parse(url: str) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """Take a link apart with nothing but urllib and json."""
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path, parts.fragment) == (
        "alipays",
        "platformapi",
        "/startapp",
        "",
    )
    query = parse_qsl(parts.query, keep_blank_values=True, strict_parsing=True)
    params = json.loads(dict(query)["customBizParams"])
    return query, params


@given(account=ids, rule_group=ids, payment=ids, app=ids)
@example(account="2088 &=%", rule_group="制度 A&B=1%", payment="员工%20张三", app="a+b c")
@settings(max_examples=150, deadline=None)
def test_link_is_the_seeds_link_and_round_trips(
    account: str, rule_group: str, payment: str, app: str
) -> None:
    """Seed: ``encoded_params = quote(json.dumps(params), safe='')`` after
    ``params["channelMode"] = "NONE_CHANNEL_MODE"`` — one JSON document, percent-encoded once
    with nothing safe, so ``&``, ``=``, ``%`` and spaces in any id cannot split the query."""
    url = payment_code_url(
        account_id=account, rule_group_id=rule_group, payment_id=payment, isv_app_id=app
    )
    assert url == SEED.generate_payment_code_url(account, rule_group, payment, app)
    assert url.isascii()

    query, params = _parse(url)
    assert [k for k, _ in query] == ["appId", "customBizCode", "customBizParams"]
    assert dict(query)["appId"] == "20000056"
    assert dict(query)["customBizCode"] == "enterprisePayForThirdPart"
    raw = url.split("customBizParams=", 1)[1]
    assert quote(unquote(raw), safe="") == raw  # encoded exactly once
    assert list(params) == [
        "pdSubBizScene",
        "specifiedEnableChannelInfo",
        "assignJointAccountId",
        "identityPayBizInfo",
        "CHANNEL_INDEX",
        "enterprise_pay_info",
        "sourcePlatformInfo",
        "channelMode",
    ]
    # Nested objects travel as JSON text inside string values (seed: json.dumps({...})).
    assert all(isinstance(v, str) for v in params.values())
    assert params["assignJointAccountId"] == account
    assert json.loads(params["specifiedEnableChannelInfo"]) == {
        "enableScene": "agreementpay",
        "assetInfo": {
            "instId": "INST_ALIPAY",
            "assetId": account,
            "assetTypeCode": "ENTERPRISEPAY",
            "assetType": "ENTERPRISEPAYASSET",
        },
    }
    assert json.loads(params["identityPayBizInfo"]) == {
        "identityPaySubBizScene": "ISV_PAY",
        "bizGroupId": account,
        "groupId": account,
        "identityPayBizScene": "ENTERPRISE_CODE",
    }
    assert json.loads(params["CHANNEL_INDEX"]) == ["ENTERPRISEPAYASSET_DC_ENTERPRISEPAY_DEFAULT"]
    assert json.loads(params["enterprise_pay_info"]) == {
        "paymentId": payment,
        "ruleGroupId": rule_group,
    }
    assert json.loads(params["sourcePlatformInfo"]) == {
        "paymentId": payment,
        "ruleGroupId": rule_group,
        "isvAppId": app,
    }
    assert params["channelMode"] == "NONE_CHANNEL_MODE"


@given(account=ids, rule_group=ids, payment=ids, app=ids)
@settings(max_examples=50, deadline=None)
def test_scan_params_are_the_seeds(account: str, rule_group: str, payment: str, app: str) -> None:
    """Seed ``generate_scan_params`` returns the dict without ``channelMode``; the pay code adds
    it last."""
    kw = {"account_id": account, "rule_group_id": rule_group, "payment_id": payment}
    expected = SEED.generate_scan_params(account, rule_group, payment, app)
    assert list(scan_params(**kw, isv_app_id=app).items()) == list(expected.items())
    assert list(payment_code_params(**kw, isv_app_id=app).items()) == [
        *expected.items(),
        ("channelMode", "NONE_CHANNEL_MODE"),
    ]


def test_chinese_ids_are_ascii_escaped_then_percent_encoded() -> None:
    """Seed uses ``json.dumps`` with its defaults (``ensure_ascii=True``, ``", "``/``": "``
    separators): 张 becomes ``\\u5f20`` in the inner JSON, ``\\\\u5f20`` in the outer one,
    and ``%5C%5Cu5f20`` in the link."""
    url = payment_code_url(account_id="A", rule_group_id="R", payment_id="张", isv_app_id="1")
    assert "%5C%22paymentId%5C%22%3A%20%5C%22%5C%5Cu5f20%5C%22" in url
    assert url.startswith(
        "alipays://platformapi/startapp?appId=20000056&customBizCode=enterprisePayForThirdPart"
        "&customBizParams=%7B%22pdSubBizScene%22%3A%20%22enterprisePay%22%2C%20"
    )
    assert url.endswith("%22channelMode%22%3A%20%22NONE_CHANNEL_MODE%22%7D")


@pytest.mark.parametrize("field", ["account_id", "rule_group_id", "payment_id", "isv_app_id"])
@pytest.mark.parametrize("bad", ["", "   ", "x" * (MAX_ID_LENGTH + 1)])
def test_bad_ids_are_rejected_by_name_in_both_languages(field: str, bad: str) -> None:
    kw = {"account_id": "A", "rule_group_id": "R", "payment_id": "P", "isv_app_id": "1"}
    kw[field] = bad
    with pytest.raises(ValidationError) as info:
        payment_code_url(**kw)
    assert info.value.field == field
    assert info.value.message_zh.startswith(f"{field}：")
    assert info.value.message_en.startswith(f"{field}: ")
    assert info.value.value == bad


# ---------------------------------------------------------------------------------------------
# The cache side: which employee and institution may have a code


ENT = "2088000000000001"
APP = "2021000000000001"


@pytest.fixture
def company(database: Database) -> Database:
    """A small company: 总部 → 销售部 → 华东组; four employees; five institutions."""
    with database.session() as s:
        s.add(Enterprise(enterprise_id=ENT, account_id="2088JOINT", name="测试科技有限公司"))
        s.add_all(
            [
                Department(department_id="D1", enterprise_id=ENT, name="总部", parent_id="-1"),
                Department(department_id="D2", enterprise_id=ENT, name="销售部", parent_id="D1"),
                Department(department_id="D3", enterprise_id=ENT, name="华东组", parent_id="D2"),
            ]
        )
        s.flush()
        s.add_all(
            [
                Employee(
                    employee_id="E1",
                    enterprise_id=ENT,
                    name="张三",
                    employee_no="NO_1",
                    phone="13800000001",
                    department_id="D3",
                    status=EmployeeStatus.ACTIVE,
                ),
                Employee(
                    employee_id="E2",
                    enterprise_id=ENT,
                    name="李四",
                    employee_no="N%2",
                    department_id="D1",
                    status=EmployeeStatus.ACTIVE,
                ),
                Employee(
                    employee_id="E3",
                    enterprise_id=ENT,
                    name="王五",
                    department_id="D3",
                    status=EmployeeStatus.PENDING,
                ),
                Employee(
                    employee_id="E4",
                    enterprise_id=ENT,
                    name="赵六",
                    status=EmployeeStatus.ACTIVE,
                    deleted=True,
                ),
            ]
        )
        s.add_all(
            [
                ExpenseInstitution(
                    institution_id="I-ALL",
                    enterprise_id=ENT,
                    name="全员餐补",
                    adapter_type="EMPLOYEE_ALL",
                ),
                ExpenseInstitution(
                    institution_id="I-SEL",
                    enterprise_id=ENT,
                    name="差旅",
                    adapter_type="EMPLOYEE_SELECT",
                ),
                ExpenseInstitution(
                    institution_id="I-DEP",
                    enterprise_id=ENT,
                    name="销售招待",
                    adapter_type=AdapterType.EMPLOYEE_DEPARTMENT,
                ),
                ExpenseInstitution(
                    institution_id="I-NEW",
                    enterprise_id=ENT,
                    name="新制度",
                    adapter_type="EMPLOYEE_SELECT",
                ),
                ExpenseInstitution(
                    institution_id="I-OFF",
                    enterprise_id=ENT,
                    name="停用制度",
                    adapter_type="EMPLOYEE_ALL",
                    status=InstitutionStatus.INACTIVE,
                ),
            ]
        )
        s.flush()
        s.add_all(
            [
                InstitutionMember(
                    institution_id="I-SEL", member_type=MemberType.EMPLOYEE, employee_id="E2"
                ),
                InstitutionMember(
                    institution_id="I-DEP", member_type=MemberType.DEPARTMENT, department_id="D2"
                ),
            ]
        )
    return database


def _build(db: Database, employee: str, institution: str, app: str = APP) -> Any:
    with db.read_session() as s:
        return build_pay_code(s, employee_id=employee, institution_id=institution, isv_app_id=app)


def test_institutions_offered_follow_scope(company: Database) -> None:
    """E1 sits in 华东组 under 销售部: the department member covers it; 差旅 lists only E2;
    新制度 has no members cached, so it is offered with its scope marked unknown."""
    with company.read_session() as s:
        e1 = {o.institution_id: o.scope_known for o in institution_options(s, "E1")}
        e2 = {o.institution_id: o.scope_known for o in institution_options(s, "E2")}
        assert institution_options(s, "E4") == []
    assert e1 == {"I-ALL": True, "I-DEP": True, "I-NEW": False}
    assert e2 == {"I-ALL": True, "I-SEL": True, "I-NEW": False}


def test_pay_code_from_the_cache(company: Database) -> None:
    code = _build(company, "E1", "I-DEP")
    assert code.url == SEED.generate_payment_code_url("2088JOINT", "I-DEP", "E1", APP)
    assert dict(code.params) == payment_code_params(
        account_id="2088JOINT", rule_group_id="I-DEP", payment_id="E1", isv_app_id=APP
    )
    assert (code.employee.name, code.institution.name, code.enterprise_name) == (
        "张三",
        "销售招待",
        "测试科技有限公司",
    )
    assert code.notes == frozenset()
    assert _build(company, "E2", "I-NEW").notes == {PayCodeNote.SCOPE_UNKNOWN}


def test_missing_joint_account_falls_back_to_enterprise_id(company: Database) -> None:
    with company.session() as s:
        s.query(Enterprise).update({"account_id": None})
    code = _build(company, "E2", "I-SEL")
    assert code.account_id == ENT
    assert code.notes == {PayCodeNote.ACCOUNT_IS_ENTERPRISE_ID}
    assert json.loads(_parse(code.url)[1]["specifiedEnableChannelInfo"])["assetInfo"][
        "assetId"
    ] == (ENT)


@pytest.mark.parametrize(
    ("employee", "institution", "app", "field", "zh"),
    [
        ("", "I-ALL", APP, "employee_id", "请选择员工"),
        ("E1", "", APP, "institution_id", "请选择费控制度"),
        ("E1", "I-ALL", "", "isv_app_id", "应用ID"),
        ("E9", "I-ALL", APP, "employee_id", "员工不存在"),
        ("E4", "I-ALL", APP, "employee_id", "员工不存在"),
        ("E3", "I-ALL", APP, "employee_id", "尚未激活"),
        ("E1", "I-SEL", APP, "institution_id", "不在该制度的适用范围内"),
        ("E2", "I-DEP", APP, "institution_id", "不在该制度的适用范围内"),
        ("E1", "I-OFF", APP, "institution_id", "未启用"),
        ("E1", "I-XX", APP, "institution_id", "不存在"),
    ],
)
def test_bad_choices_are_named(
    company: Database, *, employee: str, institution: str, app: str, field: str, zh: str
) -> None:
    with pytest.raises(ValidationError) as info:
        _build(company, employee, institution, app)
    assert info.value.field == field
    assert zh in info.value.message_zh
    assert info.value.message_en.startswith(f"{field}: ") and len(info.value.message_en) > 20


def test_employee_search(company: Database) -> None:
    """Name, number, phone and id all match; LIKE wildcards in the text are literal; deleted
    employees never show; pending ones do (so a clerk learns why no code can be made)."""
    with company.read_session() as s:

        def found(text: str) -> list[str]:
            return [e.employee_id for e in search_employees(s, text)]

        assert found("") == ["E1", "E2", "E3"]  # by name: 张 < 李 < 王 in code-point order
        assert found("张") == ["E1"]
        assert found("0001") == ["E1"]
        assert found("%") == ["E2"]
        assert found("_") == ["E1"]
        assert found("赵") == []
        assert found("E3") == ["E3"]
        assert search_employees(s, "", limit=1)[0].department_name == "华东组"
