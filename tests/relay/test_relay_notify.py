"""``POST /alipay/notify`` over real HTTP: what is accepted, stored once and forwarded, and what
is refused with a 4xx, stored nowhere and forwarded to nobody."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from http.client import HTTPConnection
from urllib.parse import urlencode

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from relay_support import (
    APP_ID,
    METHOD,
    TOKEN,
    flat_form,
    message_form,
    post,
    recv_frames,
    stored,
    ws_connect,
)

from workstation.keys import generate_key_pair
from workstation.relay.server import RelayServer
from workstation.sandbox import crypto


def test_v2_v1_and_flat_notifications_are_stored_and_forwarded(
    relay: RelayServer, alipay_key: rsa.RSAPrivateKey
) -> None:
    v2 = message_form(alipay_key, biz_content='{"pay_no": "P1",  "memo":"差旅"}')
    v1 = message_form(alipay_key, variant="v1")
    flat = flat_form(alipay_key)
    with ws_connect(relay) as ws:
        for form in (v2, v1, flat):
            assert post(relay.notify_url, form) == (200, "success")
        frames = recv_frames(ws, 3)
    assert [f["seq"] for f in frames] == [1, 2, 3]
    assert [f["notify_id"] for f in frames] == [v2["notify_id"], v1["notify_id"], flat["notify_id"]]
    first = frames[0]
    assert first["msg_method"] == METHOD
    assert first["biz_content"] == '{"pay_no": "P1",  "memo":"差旅"}'  # the text as received
    assert first["params"] == {
        k: v2[k] for k in ("utc_timestamp", "app_id", "charset", "version", "sign_type")
    }
    received = datetime.fromisoformat(first["received_at"])
    assert received.tzinfo is not None and received.utcoffset() == timedelta(0)
    assert abs(received - datetime.now(UTC)) < timedelta(minutes=5)
    assert frames[2]["msg_method"] == "trade_status_sync"
    assert frames[2]["biz_content"] == ""
    assert frames[2]["params"]["subject"] == "午餐 lunch"
    assert frames[2]["params"]["notify_type"] == "trade_status_sync"
    assert stored(relay) == 3


def _garbage(key: rsa.RSAPrivateKey) -> list[tuple[str, bytes, str, int]]:
    """(label, body, content type, expected status) for every way a notification is refused."""
    form = "application/x-www-form-urlencoded"
    stranger = crypto.load_private_key(generate_key_pair().private_pkcs1_pem)
    good = message_form(key)
    missing = {k: v for k, v in message_form(key).items() if k != "msg_method"}
    return [
        ("forged", urlencode(message_form(stranger)).encode(), form, 403),
        ("tampered", urlencode({**good, "biz_content": '{"pay_no":"X"}'}).encode(), form, 403),
        (
            "wrong app_id",
            urlencode(message_form(key, app_id="2021000000000099")).encode(),
            form,
            403,
        ),
        ("sha1", urlencode(message_form(key, variant="sha1")).encode(), form, 400),
        ("bad json", urlencode(message_form(key, biz_content="{oops")).encode(), form, 400),
        ("missing msg_method", urlencode(missing).encode(), form, 400),
        ("no sign", urlencode({k: v for k, v in good.items() if k != "sign"}).encode(), form, 400),
        ("json body", json.dumps(good).encode(), "application/json", 415),
        ("json as form", json.dumps(good).encode(), form, 400),
        ("empty", b"", form, 400),
    ]


def test_invalid_notifications_are_refused_logged_and_never_delivered(
    relay: RelayServer, alipay_key: rsa.RSAPrivateKey, caplog: pytest.LogCaptureFixture
) -> None:
    cases = _garbage(alipay_key)
    with ws_connect(relay) as ws:
        for label, body, content_type, status in cases:
            got, text = post(relay.notify_url, body, content_type=content_type)
            assert got == status, (label, text)
            assert text != "success"
        # Nothing was forwarded: the first frame the client sees is the next good message.
        good = message_form(alipay_key)
        assert post(relay.notify_url, good) == (200, "success")
        (frame,) = recv_frames(ws, 1)
    assert (frame["seq"], frame["notify_id"]) == (1, good["notify_id"])
    assert stored(relay) == 1
    rejections = [r for r in caplog.records if "notification rejected" in r.getMessage()]
    assert len(rejections) == len(cases)
    for record in rejections:  # the reason is logged, the signature never is
        assert good["sign"][:16] not in record.getMessage()


def test_oversized_body_is_refused(relay: RelayServer) -> None:
    status, _ = post(relay.notify_url, b"a=" + b"x" * (300 * 1024))
    assert status == 413
    assert stored(relay) == 0


@pytest.mark.parametrize("deliveries", [1, 3, 8])
def test_redelivery_is_stored_and_forwarded_once(
    relay: RelayServer, alipay_key: rsa.RSAPrivateKey, deliveries: int
) -> None:
    form = message_form(alipay_key)
    with ws_connect(relay) as ws:
        for _ in range(deliveries):
            assert post(relay.notify_url, form) == (200, "success")
        follow = message_form(alipay_key)
        assert post(relay.notify_url, follow) == (200, "success")
        frames = recv_frames(ws, 2)
    assert [f["notify_id"] for f in frames] == [form["notify_id"], follow["notify_id"]]
    assert [f["seq"] for f in frames] == [1, 2]
    assert stored(relay) == 2


def test_concurrent_redeliveries_and_messages_get_increasing_seqs(
    relay: RelayServer, alipay_key: rsa.RSAPrivateKey
) -> None:
    forms = [message_form(alipay_key) for _ in range(40)]
    # Each notification arrives three times, interleaved, from 12 concurrent senders.
    deliveries = [form for _ in range(3) for form in forms]
    with ws_connect(relay) as ws, ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(lambda f: post(relay.notify_url, f), deliveries))
        assert answers == [(200, "success")] * len(deliveries)
        frames = recv_frames(ws, len(forms))
    seqs = [f["seq"] for f in frames]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert {f["notify_id"] for f in frames} == {f["notify_id"] for f in forms}
    assert stored(relay) == len(forms)


def test_keep_alive_connection_serves_many_posts(
    relay: RelayServer, alipay_key: rsa.RSAPrivateKey
) -> None:
    conn = HTTPConnection("127.0.0.1", relay.port, timeout=20)
    try:
        for _ in range(5):
            assert post(relay.notify_url, message_form(alipay_key), connection=conn) == (
                200,
                "success",
            )
        sock = conn.sock
        assert sock is not None  # the same socket carried every request
        assert post(relay.notify_url, message_form(alipay_key), connection=conn)[0] == 200
        assert conn.sock is sock
    finally:
        conn.close()
    assert stored(relay) == 6


def test_other_paths_and_health(relay: RelayServer, alipay_key: rsa.RSAPrivateKey) -> None:
    assert post(relay.notify_url, message_form(alipay_key)) == (200, "success")
    conn = HTTPConnection("127.0.0.1", relay.port, timeout=20)
    try:
        conn.request("GET", "/health")
        response = conn.getresponse()
        health = json.loads(response.read())
        assert response.status == 200
        assert health["status"] == "ok" and health["latest_seq"] == 1
        assert health["client_count"] == 0 and health["store_id"]
        assert "clients" not in health  # per-client detail needs a token
        conn.request("GET", "/alipay/notify")
        response = conn.getresponse()
        response.read()
        assert response.status == 405
        conn.request("POST", "/ws", body=b"x=1")
        response = conn.getresponse()
        response.read()
        assert response.status == 404
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"\x16\x03\x01 not http at all\r\n\r\n", b"400"),
        (b"POST /alipay/notify?" + b"a" * 10_000, b"400"),  # no end of line in sight
        (b"GET /ws HTTP/1.1\r\nHost: x\r\n\r\n", b"401"),  # websockets: token first
        (
            b"GET /ws HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN.encode() + b"\r\n\r\n",
            b"426",  # websockets: a known token, but not an upgrade
        ),
        (b"GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n", b"404"),
    ],
)
def test_router_hands_odd_requests_to_a_library_that_answers(
    relay: RelayServer, request_bytes: bytes, status: bytes
) -> None:
    with socket.create_connection(("127.0.0.1", relay.port), timeout=10) as sock:
        sock.sendall(request_bytes)
        answer = sock.recv(1024)
    line = answer.split(b"\r\n", 1)[0].split(b" ")
    assert line[0].startswith(b"HTTP/1.") and line[1] == status


def test_wrong_app_id_relay_refuses_sandbox_like_messages(
    make_relay: Callable[..., RelayServer], alipay_key: rsa.RSAPrivateKey
) -> None:
    other = make_relay(app_id="2021000000000777")
    status, _ = post(other.notify_url, message_form(alipay_key, app_id=APP_ID))
    assert status == 403
    assert stored(other) == 0
