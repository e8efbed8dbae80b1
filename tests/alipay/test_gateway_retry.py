"""Retry policy: system failures retried with full-jitter backoff, business errors never."""

from __future__ import annotations

import socket
from collections.abc import Callable

import pytest
from alipay_fakes import Action, FakeAlipay, Sleeps
from hypothesis import given
from hypothesis import strategies as st

from workstation.alipay import (
    AlipayError,
    AlipayGateway,
    AlipayProtocolError,
    AlipayUnavailable,
    GatewayConfig,
    backoff_delay,
)

SYSTEM = {"code": "20000", "msg": "Service Currently Unavailable", "sub_code": "isp.unknow-error"}
BUSINESS = {
    "code": "40004",
    "msg": "Business Failed",
    "sub_code": "DEPARTMENT_NOT_EXIST",
    "sub_msg": "部门不存在",
}
ROOT = {"code": "10000", "msg": "Success", "department_id_list": ["D1"]}


@given(
    attempt=st.integers(1, 12),
    base=st.floats(0, 5),
    cap=st.floats(0, 60),
    r=st.floats(0, 1),
)
def test_backoff_is_full_jitter_under_a_capped_exponential(
    attempt: int, base: float, cap: float, r: float
) -> None:
    delay = backoff_delay(attempt, base, cap, lambda: r)
    ceiling = min(cap, base * 2 ** (attempt - 1))
    assert 0 <= delay <= ceiling + 1e-9
    assert delay == pytest.approx(r * ceiling)


def test_backoff_doubles_then_caps() -> None:
    delays = [backoff_delay(n, 0.5, 8, lambda: 1.0) for n in range(1, 8)]
    assert delays == [0.5, 1, 2, 4, 8, 8, 8]


@pytest.mark.parametrize(
    "failure",
    [
        SYSTEM,
        {"code": "20000", "msg": "Service Currently Unavailable"},
        {"code": "40004", "msg": "Business Failed", "sub_code": "isp.rpc-failed"},
        {"code": "20000", "msg": "x", "sub_code": "aop.unknow-error"},
    ],
)
def test_system_errors_are_retried_then_succeed(
    gateway: AlipayGateway, fake: FakeAlipay, sleeps: Sleeps, failure: dict[str, str]
) -> None:
    fake.responder = lambda m, b: ROOT
    fake.then(Action(inner=failure), Action(inner=failure))
    assert gateway.list_sub_departments() == ["D1"]
    assert len(fake.received) == 3
    assert sleeps == [0.5, 1.0]  # rand() == 1.0: the full ceiling of each step


def test_system_errors_exhaust_into_unavailable(
    gateway: AlipayGateway, fake: FakeAlipay, sleeps: Sleeps
) -> None:
    fake.responder = lambda m, b: SYSTEM
    with pytest.raises(AlipayUnavailable) as info:
        gateway.list_sub_departments()
    assert len(fake.received) == 3 == info.value.attempts
    assert sleeps == [0.5, 1.0]  # no sleep after the last attempt
    cause = info.value.cause
    assert isinstance(cause, AlipayError) and cause.is_system
    assert not info.value.maybe_processed
    assert "稍后" in info.value.message_zh


def test_business_error_is_never_retried(
    gateway: AlipayGateway, fake: FakeAlipay, sleeps: Sleeps
) -> None:
    fake.responder = lambda m, b: BUSINESS
    with pytest.raises(AlipayError) as info:
        gateway.query_department("nope")
    assert len(fake.received) == 1
    assert sleeps == []
    err = info.value
    assert (err.code, err.sub_code, err.sub_msg) == ("40004", "DEPARTMENT_NOT_EXIST", "部门不存在")
    assert err.is_business and not err.is_system
    assert err.method == "alipay.commerce.ec.department.info.query"


def test_http_5xx_is_retried(gateway: AlipayGateway, fake: FakeAlipay, sleeps: Sleeps) -> None:
    fake.responder = lambda m, b: ROOT
    fake.then(Action(status=502, raw_body=b"bad gateway"), Action(status=503, raw_body=b"busy"))
    assert gateway.list_sub_departments() == ["D1"]
    assert len(fake.received) == 3
    assert len(sleeps) == 2


def test_http_4xx_is_a_protocol_error_not_retried(
    gateway: AlipayGateway, fake: FakeAlipay, sleeps: Sleeps
) -> None:
    fake.then(Action(status=404, raw_body=b"not here"))
    with pytest.raises(AlipayProtocolError) as info:
        gateway.list_sub_departments()
    assert info.value.status == 404
    assert len(fake.received) == 1 and sleeps == []


def test_read_timeout_is_retried_for_queries(
    fake: FakeAlipay, make_config: Callable[..., GatewayConfig], sleeps: Sleeps
) -> None:
    fake.responder = lambda m, b: ROOT
    fake.then(Action(delay=0.6))
    with AlipayGateway(make_config(fake.url, timeout=0.2), sleep=sleeps, rand=lambda: 0.0) as gw:
        assert gw.list_sub_departments() == ["D1"]
    assert len(fake.received) == 2
    assert sleeps == [0.0]


def test_read_timeout_is_not_resent_for_a_create_without_idempotency_key(
    fake: FakeAlipay, make_config: Callable[..., GatewayConfig], sleeps: Sleeps
) -> None:
    fake.responder = lambda m, b: {"code": "10000", "msg": "Success", "department_id": "D9"}
    fake.then(Action(delay=0.6))
    with (
        AlipayGateway(make_config(fake.url, timeout=0.2), sleep=sleeps) as gw,
        pytest.raises(AlipayUnavailable) as info,
    ):
        gw.create_department("财务部", "D1")
    assert len(fake.received) == 1
    assert info.value.maybe_processed
    assert "可能已经生效" in info.value.message_zh


def test_dropped_connection_is_retried(
    gateway: AlipayGateway, fake: FakeAlipay, sleeps: Sleeps
) -> None:
    fake.responder = lambda m, b: ROOT
    fake.then(Action(close_without_answer=True))
    assert gateway.list_sub_departments() == ["D1"]
    assert len(fake.received) == 2
    assert len(sleeps) == 1


def test_connection_refused_is_retried_then_unavailable(
    make_config: Callable[..., GatewayConfig], sleeps: Sleeps
) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = make_config(f"http://127.0.0.1:{port}/gateway.do", max_attempts=4)
    with (
        AlipayGateway(config, sleep=sleeps, rand=lambda: 1.0) as gw,
        pytest.raises(AlipayUnavailable) as info,
    ):
        gw.create_department("财务部", "D1")  # nothing was sent: safe to retry even a create
    assert info.value.attempts == 4
    assert not info.value.maybe_processed
    assert "网络" in info.value.message_zh
    assert sleeps == [0.5, 1.0, 2.0]


def test_max_attempts_one_means_no_retry(
    fake: FakeAlipay, make_config: Callable[..., GatewayConfig], sleeps: Sleeps
) -> None:
    fake.responder = lambda m, b: SYSTEM
    with (
        AlipayGateway(make_config(fake.url, max_attempts=1), sleep=sleeps) as gw,
        pytest.raises(AlipayUnavailable),
    ):
        gw.list_sub_departments()
    assert len(fake.received) == 1 and sleeps == []


def test_each_retry_is_signed_afresh(gateway: AlipayGateway, fake: FakeAlipay) -> None:
    fake.responder = lambda m, b: ROOT
    fake.then(Action(inner=SYSTEM))
    gateway.list_sub_departments()
    assert all(r.signature_ok for r in fake.received)
