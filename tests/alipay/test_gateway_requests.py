"""Which request object carries a call: the SDK's generated class when it is faithful."""

from __future__ import annotations

import json

import pytest

from workstation.alipay.requests import GenericRequest, build_request, sdk_request_class

METHODS = [
    "alipay.commerce.ec.enterprise.registerinvite.create",
    "alipay.commerce.ec.enterprise.info.query",
    "alipay.commerce.ec.enterprise.info.modify",
    "alipay.commerce.ec.enterprise.unsign",
    "alipay.commerce.ec.enterprise.delete",
    "alipay.commerce.ec.department.create",
    "alipay.commerce.ec.department.info.modify",
    "alipay.commerce.ec.department.delete",
    "alipay.commerce.ec.department.info.query",
    "alipay.commerce.ec.department.sublist.query",
    "alipay.commerce.ec.employee.add",
    "alipay.commerce.ec.employee.batchcreate",
    "alipay.commerce.ec.employee.delete",
    "alipay.commerce.ec.employee.info.modify",
    "alipay.commerce.ec.employee.info.query",
    "alipay.commerce.ec.employee.idlist.query",
    "alipay.commerce.ec.employee.invite.query",
    "alipay.ebpp.invoice.institution.create",
    "alipay.ebpp.invoice.institution.modify",
    "alipay.ebpp.invoice.institution.delete",
    "alipay.ebpp.invoice.institution.detailinfo.query",
    "alipay.ebpp.invoice.institution.pageinfo.query",
    "alipay.ebpp.invoice.institution.scope.modify",
    "alipay.ebpp.invoice.institution.scopepageinfo.query",
    "alipay.ebpp.invoice.institution.expenserule.create",
    "alipay.ebpp.invoice.institution.expenserule.modify",
    "alipay.ebpp.invoice.institution.expenserule.delete",
    "alipay.ebpp.invoice.expensecontrol.quota.create",
    "alipay.ebpp.invoice.expensecontrol.quota.modify",
    "alipay.ebpp.invoice.expensecontrol.quota.query",
    "alipay.ebpp.invoice.expensecontrol.quota.delete",
    "alipay.commerce.ec.consume.detail.query",
    "alipay.commerce.ec.consume.detail.batchquery",
    "alipay.commerce.ec.voucher.summary.query",
    "alipay.commerce.ec.balance.downloadurl.query",
]


@pytest.mark.parametrize("method", METHODS)
def test_every_method_has_an_sdk_request_class(method: str) -> None:
    cls = sdk_request_class(method)
    assert cls is not None
    assert cls().get_params()["method"] == method


def test_faithful_biz_uses_the_sdk_class() -> None:
    biz = {"enterprise_id": "E1", "department_id": "D1"}
    request = build_request("alipay.commerce.ec.department.info.query", biz)
    assert type(request).__name__ == "AlipayCommerceEcDepartmentInfoQueryRequest"
    assert json.loads(request.get_params()["biz_content"]) == biz


def test_falsy_values_fall_back_to_generic() -> None:
    """The generated model would drop create_share_code=False (alipay-api.md 3.2)."""
    biz = {"enterprise_id": "E1", "employee_name": "张三", "create_share_code": False}
    request = build_request("alipay.commerce.ec.employee.add", biz)
    assert isinstance(request, GenericRequest)
    assert json.loads(request.get_params()["biz_content"]) == biz


def test_unknown_keys_fall_back_to_generic() -> None:
    biz = {"enterprise_id": "E1", "brand_new_field": "x"}
    request = build_request("alipay.commerce.ec.enterprise.info.query", biz)
    assert isinstance(request, GenericRequest)


def test_unknown_method_is_generic() -> None:
    request = build_request("alipay.commerce.ec.not.a.method", {"a": 1})
    assert isinstance(request, GenericRequest)
    params = request.get_params()
    assert params == {
        "method": "alipay.commerce.ec.not.a.method",
        "version": "1.0",
        "biz_content": '{"a":1}',
    }
    assert request.get_multipart_params() == {}
    assert request.need_encrypt is False


def test_generic_request_keeps_chinese_as_utf8() -> None:
    request = GenericRequest("m", {"name": "财务部"})
    assert request.get_params()["biz_content"] == '{"name":"财务部"}'
