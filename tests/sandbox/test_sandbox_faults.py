"""Fault injection: latency, timeouts, HTTP 500, system errors, bad signatures, filters."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from http.client import HTTPConnection
from typing import Any

import pytest
from alipay.aop.api.exception.Exception import ResponseException

from workstation.sandbox import SandboxServer
from workstation.sandbox.faults import Faults, FaultsError
from workstation.sandbox.testing import (
    port_honouring_transport,
    running_sandbox,
    sdk_call,
    sdk_client,
)

INFO = "alipay.commerce.ec.enterprise.info.query"
DEPT = "alipay.commerce.ec.department.create"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    with running_sandbox(tmp_path_factory.mktemp("faults"), employees=5, bills=20) as sb:
        yield sb


@pytest.fixture(autouse=True)
def clean_faults(sandbox: SandboxServer) -> Iterator[None]:
    sandbox.faults.reset()
    yield
    sandbox.faults.reset()


@pytest.fixture(scope="module")
def transport() -> Iterator[None]:
    with port_honouring_transport():
        yield


def _call(sandbox: SandboxServer, method: str = INFO, timeout: float = 5, **biz: Any) -> Any:
    client = sdk_client(sandbox.config, timeout=timeout)
    return sdk_call(client, method, {"enterprise_id": sandbox.config["enterprise_id"], **biz})


def _control(sandbox: SandboxServer, verb: str, path: str, body: Any = None) -> tuple[int, Any]:
    conn = HTTPConnection("127.0.0.1", sandbox.port, timeout=5)
    try:
        data = None if body is None else json.dumps(body).encode()
        conn.request(verb, path, body=data, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def test_latency(sandbox: SandboxServer, transport: None) -> None:
    sandbox.faults.latency = 0.3
    started = time.monotonic()
    assert _call(sandbox)["code"] == "10000"
    assert time.monotonic() - started >= 0.3


def test_timeout_sleep_mode_processes_but_answers_late(
    sandbox: SandboxServer, transport: None
) -> None:
    sandbox.faults.update(timeout_next=1, timeout_seconds=1.0)
    with pytest.raises(TimeoutError):
        _call(sandbox, DEPT, timeout=0.3, department_name="超时也建好了")
    # The request was executed although the client gave up: retries need idempotency.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        with sandbox.store.tx() as conn:
            if conn.execute(
                "SELECT 1 FROM departments WHERE department_name = '超时也建好了'"
            ).fetchone():
                break
        time.sleep(0.05)
    else:
        pytest.fail("the timed-out request was not processed")
    assert _call(sandbox)["code"] == "10000"  # only the next one timed out


def test_timeout_drop_mode_closes_without_answer(sandbox: SandboxServer, transport: None) -> None:
    sandbox.faults.update(timeout_next=1, timeout_seconds=0, timeout_mode="drop")
    with pytest.raises(ConnectionError):  # http.client.RemoteDisconnected
        _call(sandbox, DEPT, department_name="被丢弃")
    with sandbox.store.tx() as conn:
        assert (
            conn.execute("SELECT 1 FROM departments WHERE department_name = '被丢弃'").fetchone()
            is None
        )


def test_http_500(sandbox: SandboxServer, transport: None) -> None:
    sandbox.faults.http_500_next = 2
    conn = HTTPConnection("127.0.0.1", sandbox.port, timeout=5)
    try:
        conn.request("POST", "/gateway.do?method=" + INFO)
        response = conn.getresponse()
        assert response.status == 500 and response.read() == b"Internal Server Error"
    finally:
        conn.close()
    # The SDK's own error path for non-200 raises TypeError (str + bytes) on Python 3.
    with pytest.raises((ResponseException, TypeError)):
        _call(sandbox)
    assert _call(sandbox)["code"] == "10000"


def test_system_error_is_signed(sandbox: SandboxServer, transport: None) -> None:
    sandbox.faults.system_error_next = 1
    resp = _call(sandbox)
    assert resp["code"] == "20000" and resp["sub_code"] == "isp.unknow-error"
    assert _call(sandbox)["code"] == "10000"


def test_business_error(sandbox: SandboxServer, transport: None) -> None:
    sandbox.faults.update(business_error_next=1, business_sub_code="NO_RIGHT", methods=[DEPT])
    resp = _call(sandbox, DEPT, department_name="业务错误时不创建")
    assert resp["code"] == "40004" and resp["sub_code"] == "NO_RIGHT" and resp["sub_msg"]
    with sandbox.store.tx() as conn:
        row = conn.execute(
            "SELECT 1 FROM departments WHERE department_name = '业务错误时不创建'"
        ).fetchone()
    assert row is None  # the injected error comes before any change
    assert _call(sandbox, DEPT, department_name="业务错误时不创建")["code"] == "10000"


def test_bad_signature(sandbox: SandboxServer, transport: None) -> None:
    sandbox.faults.bad_signature_next = 1
    with pytest.raises(ResponseException, match="sign verify failed"):
        _call(sandbox)
    assert _call(sandbox)["code"] == "10000"


def test_methods_filter(sandbox: SandboxServer, transport: None) -> None:
    sandbox.faults.update(system_error_next=1, methods=[DEPT])
    assert _call(sandbox)["code"] == "10000"  # not in the filter: untouched, counter kept
    assert sandbox.faults.system_error_next == 1
    assert _call(sandbox, DEPT, department_name="过滤")["sub_code"] == "isp.unknow-error"
    assert sandbox.faults.system_error_next == 0


def test_one_fault_per_request_in_order(sandbox: SandboxServer, transport: None) -> None:
    sandbox.faults.update(system_error_next=1, bad_signature_next=1)
    assert _call(sandbox)["code"] == "20000"
    with pytest.raises(ResponseException):
        _call(sandbox)
    assert _call(sandbox)["code"] == "10000"


def test_control_endpoint(sandbox: SandboxServer, transport: None) -> None:
    status, snap = _control(sandbox, "POST", "/control/faults", {"system_error_next": 1})
    assert status == 200 and snap["system_error_next"] == 1
    assert _call(sandbox)["code"] == "20000"
    status, snap = _control(sandbox, "GET", "/control/faults")
    assert status == 200 and snap["system_error_next"] == 0
    status, snap = _control(
        sandbox, "POST", "/control/faults", {"reset": True, "latency": 0.01, "methods": [INFO]}
    )
    assert snap["latency"] == 0.01 and snap["methods"] == [INFO]
    status, err = _control(sandbox, "POST", "/control/faults", {"bogus": 1})
    assert status == 400 and "bogus" in err["error"]
    status, err = _control(sandbox, "POST", "/control/faults", {"http_500_next": -1})
    assert status == 400
    assert sandbox.faults.http_500_next == 0  # a rejected update changes nothing
    status, health = _control(sandbox, "GET", "/control/health")
    assert status == 200 and health["status"] == "ok" and health["faults"]["latency"] == 0.01


def test_faults_object_validation() -> None:
    faults = Faults()
    with pytest.raises(FaultsError):
        faults.update(latency=-1)
    with pytest.raises(FaultsError):
        faults.update(timeout_next=True)
    with pytest.raises(FaultsError):
        faults.update(timeout_mode="explode")
    faults.methods = {"a.b"}
    assert faults.methods == frozenset({"a.b"})
    assert faults.take("c.d").kind.value == "none"
