"""Our HTTP hop under the SDK: port, keep-alive per thread, timeouts, TLS verification."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from alipay_fakes import Action, FakeAlipay, SelfSignedCert, Sleeps, make_self_signed

from workstation.alipay import (
    AlipayGateway,
    AlipayTlsError,
    AlipayUnavailable,
    GatewayConfig,
    HttpTransport,
)
from workstation.keys import KeyPair

ROOT = {"code": "10000", "msg": "Success", "department_id_list": ["D1"]}


def test_port_and_path_are_honoured(gateway: AlipayGateway, fake: FakeAlipay) -> None:
    fake.responder = lambda m, b: ROOT
    gateway.list_sub_departments()
    (req,) = fake.received
    assert fake.port not in (80, 443)
    assert req.headers["Host"] == f"127.0.0.1:{fake.port}"
    assert req.path == "/gateway.do"  # origin-form target, not the SDK's absolute URL
    assert req.params["method"] == "alipay.commerce.ec.department.sublist.query"
    assert "biz_content" not in req.path  # business data travels in the body


def test_keep_alive_reuses_one_connection(gateway: AlipayGateway, fake: FakeAlipay) -> None:
    fake.responder = lambda m, b: ROOT
    for _ in range(5):
        gateway.list_sub_departments()
    assert len(fake.received) == 5
    assert fake.connections == 1


def test_one_connection_per_thread_and_dead_threads_are_swept(
    gateway: AlipayGateway, fake: FakeAlipay
) -> None:
    fake.responder = lambda m, b: ROOT
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(3):
                gateway.list_sub_departments()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(fake.received) == 9
    assert fake.connections == 3
    gateway.list_sub_departments()  # main thread: a 4th connection; the dead threads' are closed
    deadline = time.monotonic() + 2
    while fake.open_connections > 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert fake.connections == 4
    assert fake.open_connections == 1


def test_server_closing_idle_connection_is_transparent(
    gateway: AlipayGateway, fake: FakeAlipay, sleeps: Sleeps
) -> None:
    fake.responder = lambda m, b: ROOT
    fake.then(Action(close_after_answer=True))
    gateway.list_sub_departments()
    gateway.list_sub_departments()
    assert fake.connections == 2
    assert sleeps == []  # not a failure, not a retry


def test_stale_keep_alive_connection_reconnects_without_retry(
    gateway: AlipayGateway, fake: FakeAlipay, sleeps: Sleeps
) -> None:
    """Server dropped the idle socket without saying so: one silent reconnect, no backoff."""
    fake.responder = lambda m, b: ROOT
    gateway.list_sub_departments()
    for s in list(fake._sockets):  # the server side forgets the idle connection
        s.shutdown(2)
    deadline = time.monotonic() + 2
    while fake.open_connections and time.monotonic() < deadline:
        time.sleep(0.01)
    assert gateway.list_sub_departments() == ["D1"]
    assert sleeps == []
    assert fake.connections == 2
    assert len(fake.received) == 2


def test_read_timeout_is_honoured(
    fake: FakeAlipay, make_config: Callable[..., GatewayConfig], sleeps: Sleeps
) -> None:
    fake.then(Action(delay=1.5), Action(delay=1.5))
    config = make_config(fake.url, timeout=0.2, max_attempts=2)
    with AlipayGateway(config, sleep=sleeps) as gw:
        started = time.monotonic()
        with pytest.raises(AlipayUnavailable) as info:
            gw.list_sub_departments()
        elapsed = time.monotonic() - started
    assert elapsed < 2.5  # two 0.2 s timeouts; not honoured, it would be two 1.5 s answers (3 s)
    assert info.value.attempts == 2


def test_close_closes_connections(
    fake: FakeAlipay, make_config: Callable[..., GatewayConfig]
) -> None:
    fake.responder = lambda m, b: ROOT
    gw = AlipayGateway(make_config(fake.url))
    gw.list_sub_departments()
    assert fake.open_connections == 1
    gw.close()
    deadline = time.monotonic() + 2
    while fake.open_connections and time.monotonic() < deadline:
        time.sleep(0.01)
    assert fake.open_connections == 0
    with pytest.raises(RuntimeError):
        gw.list_sub_departments()


def test_transport_rejects_non_http_urls() -> None:
    with pytest.raises(ValueError):
        HttpTransport("ftp://example.com/gateway.do")


@pytest.fixture
def tls_fake(
    tmp_path: Path, app_keys: KeyPair, alipay_keys: KeyPair
) -> tuple[FakeAlipay, SelfSignedCert]:
    cert = make_self_signed()
    server = FakeAlipay(
        alipay_keys.private_pkcs1_pem,
        app_keys.public_spki_pem,
        tls=cert.server_context(tmp_path),
    )
    return server, cert


def test_https_with_untrusted_certificate_fails_closed(
    tls_fake: tuple[FakeAlipay, SelfSignedCert],
    make_config: Callable[..., GatewayConfig],
    sleeps: Sleeps,
) -> None:
    server, _cert = tls_fake
    with server, AlipayGateway(make_config(server.url), sleep=sleeps) as gw:
        with pytest.raises(AlipayTlsError) as info:
            gw.list_sub_departments()
        assert "证书" in info.value.message_zh
        assert sleeps == []  # never retried
        assert server.received == []


def test_https_with_trusted_certificate_works_and_keeps_alive(
    tls_fake: tuple[FakeAlipay, SelfSignedCert],
    make_config: Callable[..., GatewayConfig],
) -> None:
    server, cert = tls_fake
    server.responder = lambda m, b: ROOT
    with server:
        context = cert.client_context()
        with AlipayGateway(make_config(server.url), ssl_context=context) as gw:
            assert gw.list_sub_departments() == ["D1"]
            assert gw.list_sub_departments() == ["D1"]
        assert server.url.startswith("https://127.0.0.1:")
        assert server.connections == 1
