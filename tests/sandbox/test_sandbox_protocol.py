"""The classic gateway protocol: signatures both ways, public parameters, response shape."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from alipay.aop.api.FileItem import FileItem

from workstation.keys import generate_key_pair
from workstation.sandbox import SandboxServer, crypto
from workstation.sandbox.testing import (
    GenericRequest,
    beijing_now,
    extract_signed,
    port_honouring_transport,
    running_sandbox,
    sdk_call,
    sdk_client,
    signed_post,
)

QUERY = "alipay.commerce.ec.enterprise.info.query"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    with running_sandbox(tmp_path_factory.mktemp("protocol"), employees=5, bills=20) as sb:
        yield sb


@pytest.fixture(scope="module")
def client(sandbox: SandboxServer) -> Iterator[Any]:
    with port_honouring_transport():
        yield sdk_client(sandbox.config)


def _params(sandbox: SandboxServer, **overrides: str | None) -> dict[str, str]:
    params: dict[str, str | None] = {
        "app_id": sandbox.config["app_id"],
        "method": QUERY,
        "format": "json",
        "charset": "utf-8",
        "sign_type": "RSA2",
        "timestamp": datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
        "version": "1.0",
        "biz_content": json.dumps({"enterprise_id": sandbox.config["enterprise_id"]}),
    }
    params.update(overrides)
    return {k: v for k, v in params.items() if v is not None}


def test_sdk_call_succeeds_and_response_verifies(sandbox: SandboxServer, client: Any) -> None:
    # execute() itself verifies the signature with alipay_public_key; it raises otherwise.
    resp = sdk_call(client, QUERY, {"enterprise_id": sandbox.config["enterprise_id"]})
    assert resp["code"] == "10000" and resp["msg"] == "Success"
    status, body = signed_post(sandbox, _params(sandbox))
    assert status == 200
    key, inner = extract_signed(body, sandbox.config["alipay_public_key"])
    assert key == "alipay_commerce_ec_enterprise_info_query_response"
    assert inner["enterprise_info"]["enterprise_id"] == sandbox.config["enterprise_id"]
    text = body.decode()
    assert text.startswith('{"alipay_commerce_ec_enterprise_info_query_response":{')
    assert text.endswith('"}') and ',"sign":"' in text


def test_wrong_key_gets_signed_invalid_signature(sandbox: SandboxServer) -> None:
    stranger = generate_key_pair().private_pkcs1_pem
    with port_honouring_transport():
        client = sdk_client(sandbox.config, app_private_key=stranger)
        resp = sdk_call(client, QUERY, {"enterprise_id": sandbox.config["enterprise_id"]})
    assert resp["code"] == "40002"
    assert resp["sub_code"] == "isv.invalid-signature"
    assert "验签字符串" in resp["sub_msg"] and "biz_content=" in resp["sub_msg"]
    status, body = signed_post(sandbox, _params(sandbox), private_key=stranger)
    _key, inner = extract_signed(body, sandbox.config["alipay_public_key"])
    assert status == 200 and inner["sub_code"] == "isv.invalid-signature"


def test_tampered_parameter_fails_verification(sandbox: SandboxServer) -> None:
    params = _params(sandbox)
    _status, body = signed_post(sandbox, params)
    assert extract_signed(body, sandbox.config["alipay_public_key"])[1]["code"] == "10000"
    key = crypto.load_private_key(sandbox.config["app_private_key"])
    params["sign"] = crypto.sign_rsa2(key, crypto.sign_content(params).encode())
    params["biz_content"] = json.dumps({"enterprise_id": "2088000000000000"})
    _status, body = signed_post(sandbox, params, sign=False)
    assert extract_signed(body, sandbox.config["alipay_public_key"])[1]["sub_code"] == (
        "isv.invalid-signature"
    )


def test_wrong_app_id(sandbox: SandboxServer) -> None:
    config = {**sandbox.config, "app_id": "2021999999999999"}
    with port_honouring_transport():
        resp = sdk_call(sdk_client(config), QUERY, {})
    assert resp["code"] == "40002" and resp["sub_code"] == "isv.invalid-app-id"


@pytest.mark.parametrize("minutes", [-16, 16])
def test_stale_or_future_timestamp(sandbox: SandboxServer, minutes: int) -> None:
    when = datetime.now() + timedelta(minutes=minutes)
    params = _params(sandbox, timestamp=when.strftime("%Y-%m-%d %H:%M:%S"))
    status, body = signed_post(sandbox, params)
    _key, inner = extract_signed(body, sandbox.config["alipay_public_key"])
    assert status == 200 and inner["sub_code"] == "isv.invalid-timestamp"


def test_timestamp_within_window_is_accepted(sandbox: SandboxServer) -> None:
    when = datetime.now() - timedelta(minutes=14)
    _status, body = signed_post(
        sandbox, _params(sandbox, timestamp=when.strftime("%Y-%m-%d %H:%M:%S"))
    )
    assert extract_signed(body, sandbox.config["alipay_public_key"])[1]["code"] == "10000"


def test_timestamp_in_beijing_or_local_time(sandbox: SandboxServer) -> None:
    # Alipay checks Beijing time; the Python SDK sends local time. Both pass.
    for now in (beijing_now(), datetime.now()):
        params = _params(sandbox, timestamp=now.strftime("%Y-%m-%d %H:%M:%S"))
        _status, body = signed_post(sandbox, params)
        assert extract_signed(body, sandbox.config["alipay_public_key"])[1]["code"] == "10000"


@pytest.mark.parametrize(
    ("missing", "sub_code"),
    [
        ("app_id", "isv.missing-app-id"),
        ("sign_type", "isv.missing-signature-type"),
        ("timestamp", "isv.missing-timestamp"),
        ("version", "isv.missing-version"),
    ],
)
def test_missing_public_parameters(sandbox: SandboxServer, missing: str, sub_code: str) -> None:
    status, body = signed_post(sandbox, _params(sandbox, **{missing: None}))
    key, inner = extract_signed(body, sandbox.config["alipay_public_key"])
    assert status == 200 and inner["code"] == "40001" and inner["sub_code"] == sub_code
    assert key == "alipay_commerce_ec_enterprise_info_query_response"


def test_missing_signature(sandbox: SandboxServer) -> None:
    _status, body = signed_post(sandbox, _params(sandbox), sign=False)
    assert extract_signed(body, sandbox.config["alipay_public_key"])[1]["sub_code"] == (
        "isv.missing-signature"
    )


def test_missing_and_unknown_method_answer_signed_error_response(sandbox: SandboxServer) -> None:
    for method, sub_code in (
        (None, "isv.missing-method"),
        ("alipay.no.such", "isv.invalid-method"),
    ):
        status, body = signed_post(sandbox, _params(sandbox, method=method))
        key, inner = extract_signed(body, sandbox.config["alipay_public_key"])
        assert (status, key, inner["sub_code"]) == (200, "error_response", sub_code)


def test_unknown_method_through_sdk(client: Any) -> None:
    resp = sdk_call(client, "alipay.commerce.ec.nothing.here", {})
    assert resp["code"] == "40002" and resp["sub_code"] == "isv.invalid-method"


@pytest.mark.parametrize(
    ("name", "value", "sub_code"),
    [
        ("sign_type", "RSA", "isv.invalid-signature-type"),
        ("version", "2.0", "isv.invalid-version"),
        ("charset", "GBK", "isv.invalid-charset"),
        ("format", "xml", "isv.invalid-format"),
        ("timestamp", "yesterday", "isv.invalid-timestamp"),
        ("biz_content", "{not json", "isv.invalid-parameter"),
        ("biz_content", "[1, 2]", "isv.invalid-parameter"),
        ("encrypt_type", "AES", "isv.invalid-encrypt"),
    ],
)
def test_invalid_public_parameters(
    sandbox: SandboxServer, name: str, value: str, sub_code: str
) -> None:
    status, body = signed_post(sandbox, _params(sandbox, **{name: value}))
    _key, inner = extract_signed(body, sandbox.config["alipay_public_key"])
    assert status == 200 and inner["sub_code"] == sub_code, inner
    assert inner["code"] == "40002"


def test_absolute_form_request_target(sandbox: SandboxServer) -> None:
    params = _params(sandbox)
    key = crypto.load_private_key(sandbox.config["app_private_key"])
    params["sign"] = crypto.sign_rsa2(key, crypto.sign_content(params).encode())
    query = urlencode({k: v for k, v in params.items() if k != "biz_content"})
    _status, body = signed_post(
        sandbox,
        params,
        sign=False,
        target=f"http://127.0.0.1/gateway.do?{query}",  # what the unpatched SDK sends
    )
    assert extract_signed(body, sandbox.config["alipay_public_key"])[1]["code"] == "10000"


def test_python_sdk_keep_empty_signing_variant(sandbox: SandboxServer) -> None:
    # The Python SDK signs empty values ("k=&…"); Java drops them. Both verify.
    _status, body = signed_post(sandbox, _params(sandbox, return_url=""))
    assert extract_signed(body, sandbox.config["alipay_public_key"])[1]["code"] == "10000"


class _UploadRequest(GenericRequest):
    def get_multipart_params(self) -> dict[str, Any]:
        return {"file_content": FileItem(file_name="note.txt", file_content=b"hello")}


def test_multipart_request(sandbox: SandboxServer, client: Any) -> None:
    request = _UploadRequest(QUERY, {"enterprise_id": sandbox.config["enterprise_id"]})
    resp = json.loads(client.execute(request))
    assert resp["code"] == "10000"


def test_udf_params_reach_the_handler(sandbox: SandboxServer, client: Any) -> None:
    # Fields sent outside biz_content (SDK add_other_text_param) are business fields too.
    resp = json.loads(
        client.execute(GenericRequest(QUERY, {}, enterprise_id=sandbox.config["enterprise_id"]))
    )
    assert resp["code"] == "10000"


def test_unknown_paths_and_health(sandbox: SandboxServer) -> None:
    from http.client import HTTPConnection

    conn = HTTPConnection("127.0.0.1", sandbox.port, timeout=5)
    try:
        conn.request("GET", "/nowhere")
        response = conn.getresponse()
        response.read()
        assert response.status == 404
        conn.request("GET", "/control/health")
        response = conn.getresponse()
        health = json.loads(response.read())
    finally:
        conn.close()
    assert health["status"] == "ok" and health["gateway_url"] == sandbox.url
