"""Error mapping: blame by code/sub_code, clerk-facing bilingual messages."""

from __future__ import annotations

import pytest

from workstation.alipay import (
    AlipayError,
    AlipayGatewayError,
    AlipayProtocolError,
    AlipaySignatureError,
    AlipayTlsError,
    AlipayUnavailable,
)

M = "alipay.commerce.ec.employee.add"


@pytest.mark.parametrize(
    ("code", "sub_code", "system"),
    [
        ("20000", None, True),
        ("20000", "isp.unknow-error", True),
        ("40004", "isp.rpc-failed", True),
        ("20000", "aop.unknow-error", True),
        ("20001", "aop.invalid-auth-token", False),
        ("40002", "isv.invalid-signature", False),
        ("40004", "EMPLOYEE_NOT_EXIST", False),
        ("40001", "isv.missing-method", False),
        ("40006", "isv.insufficient-isv-permissions", False),
    ],
)
def test_system_or_business(code: str, sub_code: str | None, system: bool) -> None:
    err = AlipayError(M, code, "msg", sub_code, "sub msg")
    assert err.is_system is system
    assert err.is_business is (not system)


def test_known_sub_code_has_its_own_text() -> None:
    err = AlipayError(M, "40002", "Invalid Arguments", "isv.invalid-signature", "验签出错，…")
    assert "应用私钥" in err.message_zh
    assert "private key" in err.message_en


def test_unknown_sub_code_quotes_sub_msg() -> None:
    err = AlipayError(M, "40004", "Business Failed", "SOMETHING_NEW", "员工手机号格式错误")
    assert err.message_zh == "支付宝返回错误（SOMETHING_NEW）：员工手机号格式错误"
    assert err.message_en == "Alipay returned an error (SOMETHING_NEW): 员工手机号格式错误"


def test_code_only_falls_back_to_code_text() -> None:
    err = AlipayError(M, "40006", "Insufficient Permissions")
    assert err.message_zh == "权限不足"
    unknown = AlipayError(M, "49999", "Odd")
    assert "49999" in unknown.message_zh and "Odd" in unknown.message_en


def test_error_str_names_method_and_codes() -> None:
    err = AlipayError(M, "40004", "Business Failed", "EMPLOYEE_NOT_EXIST", "员工不存在")
    text = str(err)
    assert M in text and "EMPLOYEE_NOT_EXIST" in text and "员工不存在" in text
    assert err.method == M


def test_every_error_is_a_gateway_error_with_both_languages() -> None:
    errors: list[AlipayGatewayError] = [
        AlipayError(M, "40004", "x", "Y", "z"),
        AlipayUnavailable(M, 4, TimeoutError()),
        AlipayUnavailable(M, 1, TimeoutError(), maybe_processed=True),
        AlipaySignatureError(M, "bad"),
        AlipayTlsError(M, "bad cert"),
        AlipayProtocolError(M, "HTTP 404", status=404),
    ]
    for err in errors:
        assert isinstance(err, AlipayGatewayError)
        assert err.message_zh and err.message_en
        assert err.message_zh != err.message_en
