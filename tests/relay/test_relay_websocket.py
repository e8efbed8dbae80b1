"""``GET /ws``: tokens, resume with ``after``, acks, fan-out to many clients, a slow client that
holds up nobody, retention, and a restart that keeps every seq."""

from __future__ import annotations

import json
import socket
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from relay_support import (
    OTHER_TOKEN,
    TOKEN,
    message_form,
    post,
    recv_frames,
    stored,
    ws_connect,
)
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from workstation.relay.server import RelayServer
from workstation.relay.store import RelayStore, fingerprint


def _post_all(relay: RelayServer, forms: list[dict[str, str]]) -> None:
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda f: post(relay.notify_url, f), forms))
    assert answers == [(200, "success")] * len(forms)


@pytest.mark.parametrize(
    ("token", "header"),
    [
        (None, None),
        ("not-a-known-token", None),
        (None, f"Basic {TOKEN}"),
        (None, "Bearer "),
        (None, f"Bearer {TOKEN}x"),
    ],
)
def test_missing_or_unknown_token_is_refused_with_401(
    relay: RelayServer, token: str | None, header: str | None
) -> None:
    headers = {"Authorization": header} if header else {}
    if token is not None:
        headers = {"Authorization": f"Bearer {token}"}
    with pytest.raises(InvalidStatus) as info:
        connect(relay.ws_url, additional_headers=headers, open_timeout=10)
    assert info.value.response.status_code == 401
    assert info.value.response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("after", ["-1", "abc", "1.5", "", "99999999999999999999"])
def test_bad_after_is_refused_with_400(relay: RelayServer, after: str) -> None:
    with pytest.raises(InvalidStatus) as info:
        connect(
            f"{relay.ws_url}?after={after}",
            additional_headers={"Authorization": f"Bearer {TOKEN}"},
            open_timeout=10,
        )
    assert info.value.response.status_code == 400


def test_both_tokens_work_and_resume_skips_what_was_seen(
    relay: RelayServer, alipay_key: rsa.RSAPrivateKey
) -> None:
    forms = [message_form(alipay_key) for _ in range(6)]
    _post_all(relay, forms[:4])
    with ws_connect(relay, token=OTHER_TOKEN) as ws:
        assert ws.response is not None
        assert ws.response.headers["X-Relay-Latest-Seq"] == "4"
        first = recv_frames(ws, 4)
    assert [f["seq"] for f in first] == [1, 2, 3, 4]
    with ws_connect(relay, after=2) as ws:
        caught_up = recv_frames(ws, 2)
        _post_all(relay, forms[4:])
        live = recv_frames(ws, 2)
    assert [f["seq"] for f in caught_up + live] == [3, 4, 5, 6]
    by_seq = {f["seq"]: f["notify_id"] for f in first}
    assert [f["notify_id"] for f in caught_up] == [by_seq[3], by_seq[4]]
    assert {f["notify_id"] for f in live} == {f["notify_id"] for f in forms[4:]}
    with ws_connect(relay, after=6) as ws:  # nothing old; the next new message is live
        newest = message_form(alipay_key)
        _post_all(relay, [newest])
        (frame,) = recv_frames(ws, 1)
    assert (frame["seq"], frame["notify_id"]) == (7, newest["notify_id"])


def test_catch_up_beyond_the_ring_pages_through_the_store(
    make_relay: Callable[..., RelayServer], alipay_key: rsa.RSAPrivateKey
) -> None:
    relay = make_relay(ring_size=5)
    forms = [message_form(alipay_key) for _ in range(30)]
    _post_all(relay, forms)
    with ws_connect(relay, after=3) as ws:
        frames = recv_frames(ws, 27)
        extra = message_form(alipay_key)
        _post_all(relay, [extra])
        (live,) = recv_frames(ws, 1)
    assert [f["seq"] for f in frames] == list(range(4, 31))
    assert (live["seq"], live["notify_id"]) == (31, extra["notify_id"])


def test_acks_are_recorded_per_token(relay: RelayServer, alipay_key: rsa.RSAPrivateKey) -> None:
    _post_all(relay, [message_form(alipay_key) for _ in range(3)])
    with ws_connect(relay) as ws, ws_connect(relay, token=OTHER_TOKEN) as other:
        recv_frames(ws, 3)
        recv_frames(other, 1)
        ws.send(json.dumps({"ack": 2}))
        ws.send(json.dumps({"ack": 3}))
        ws.send(json.dumps({"ack": 1}))  # an older ack never lowers the record
        ws.send("hello")  # not JSON: ignored
        ws.send(json.dumps({"ack": "3"}))  # not an int: ignored
        other.send(json.dumps({"ack": 1}))
        _post_all(relay, [message_form(alipay_key)])
        assert recv_frames(ws, 1)[0]["seq"] == 4  # still served after odd frames
    url = relay.config.database_url
    relay.stop()  # flushes acks
    store = RelayStore(url)
    try:
        assert store.acked() == {fingerprint(TOKEN): 3, fingerprint(OTHER_TOKEN): 1}
    finally:
        store.close()


def test_many_clients_each_receive_every_message(
    relay: RelayServer, alipay_key: rsa.RSAPrivateKey
) -> None:
    forms = [message_form(alipay_key) for _ in range(25)]
    with ExitStack() as stack:
        clients = [
            stack.enter_context(ws_connect(relay, token=TOKEN if i % 2 else OTHER_TOKEN))
            for i in range(20)
        ]
        _post_all(relay, forms)
        with ThreadPoolExecutor(10) as pool:
            received = list(pool.map(lambda ws: recv_frames(ws, len(forms)), clients))
    expected = [f["seq"] for f in received[0]]
    assert expected == list(range(1, 26))
    for frames in received:
        assert [f["seq"] for f in frames] == expected


def _stalled_client(relay: RelayServer) -> ClientConnection:
    """A client whose socket takes almost nothing and that never reads: the relay's buffers
    for it fill up, and its sender task has to wait."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", relay.port))
    return connect(
        relay.ws_url,
        sock=sock,
        additional_headers={"Authorization": f"Bearer {TOKEN}"},
        open_timeout=10,
        max_queue=1,
    )


def _health(relay: RelayServer, token: str | None = TOKEN) -> dict[str, Any]:
    request = urllib.request.Request(relay.url + "/health")
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=10) as response:
        result: dict[str, Any] = json.loads(response.read())
    return result


def test_a_slow_client_holds_up_nobody(relay: RelayServer, alipay_key: rsa.RSAPrivateKey) -> None:
    big = "x" * 16_000  # 300 × 16 KB is more than the kernel and the relay buffer for one client
    forms = [message_form(alipay_key, biz={"pay_no": f"P{i}", "pad": big}) for i in range(300)]
    with _stalled_client(relay) as slow, ws_connect(relay, token=OTHER_TOKEN) as fast:
        _post_all(relay, forms)
        frames = recv_frames(fast, len(forms), timeout=30)
        assert [f["seq"] for f in frames] == list(range(1, 301))
        positions = {c["client"]: c["sent_seq"] for c in _health(relay)["clients"]}
        public = _health(relay, token=None)  # without a token: no peers, no positions
        assert public["client_count"] == 2 and "clients" not in public
        slow.close_socket()  # a polite close would wait behind the frames it never read
    # The stalled client was still connected and far behind: it only held up itself.
    assert positions[fingerprint(TOKEN)] < 300
    assert positions[fingerprint(OTHER_TOKEN)] == 300


def test_retention_keeps_the_newest_and_nobody_gets_purged_messages(
    make_relay: Callable[..., RelayServer], alipay_key: rsa.RSAPrivateKey
) -> None:
    relay = make_relay(retention_count=3, purge_interval=3600)
    _post_all(relay, [message_form(alipay_key) for _ in range(5)])
    assert stored(relay) == 5  # the first purge ran at start, before anything arrived
    assert relay.purge_now() == 2
    assert stored(relay) == 3
    with ws_connect(relay) as ws:  # after=0: only what is retained, from the ring too
        frames = recv_frames(ws, 3)
    assert [f["seq"] for f in frames] == [3, 4, 5]
    assert relay.purge_now() == 0


def test_purging_everything_also_empties_the_ring(
    make_relay: Callable[..., RelayServer], alipay_key: rsa.RSAPrivateKey
) -> None:
    relay = make_relay(retention_days=1e-9, purge_interval=3600)  # 86 µs: all is "old"
    _post_all(relay, [message_form(alipay_key) for _ in range(3)])
    time.sleep(0.01)  # let the newest age past the retention
    assert relay.purge_now() == 3
    with ws_connect(relay) as ws:
        newest = message_form(alipay_key)
        _post_all(relay, [newest])
        (frame,) = recv_frames(ws, 1)  # the purged ones are not sent from memory either
    assert (frame["seq"], frame["notify_id"]) == (4, newest["notify_id"])


def test_retention_by_age(tmp_path: Path, alipay_key: rsa.RSAPrivateKey) -> None:
    from datetime import timedelta

    from workstation.relay.store import utc_now
    from workstation.relay.verify import Notification

    store = RelayStore(f"sqlite:///{tmp_path / 'r.db'}")
    try:
        now = utc_now()
        notes = [
            (Notification(f"n{i}", "m", "{}", {}), now - timedelta(days=10 - i)) for i in range(6)
        ]
        new, seqs = store.insert_batch(notes)
        assert [m.seq for m in new] == [1, 2, 3, 4, 5, 6] and seqs["n5"] == 6
        assert store.purge(now - timedelta(days=7), None) == 3  # 10, 9 and 8 days old
        assert [m.notify_id for m in store.read_after(0, 100)] == ["n3", "n4", "n5"]
        assert store.purge(None, 1) == 2
        assert store.oldest_seq() == 6
        assert store.purge(now, None) == 1
        again, _ = store.insert_batch([(Notification("n9", "m", "{}", {}), now)])
        assert again[0].seq == 7  # a seq is never reused, even when the table was emptied
    finally:
        store.close()


def test_restart_keeps_messages_and_continues_seqs(
    make_relay: Callable[..., RelayServer], alipay_key: rsa.RSAPrivateKey
) -> None:
    first = make_relay()
    forms = [message_form(alipay_key) for _ in range(3)]
    _post_all(first, forms)
    store_id = _health(first)["store_id"]
    first.stop()
    first.stop()  # idempotent
    second = make_relay()
    assert _health(second)["store_id"] == store_id
    assert post(second.notify_url, forms[1]) == (200, "success")  # redelivery after restart
    newest = message_form(alipay_key)
    assert post(second.notify_url, newest) == (200, "success")
    with ws_connect(second) as ws:
        frames = recv_frames(ws, 4)
    assert [f["seq"] for f in frames] == [1, 2, 3, 4]
    # The first three were posted concurrently: any order, each once, then the new one.
    assert {f["notify_id"] for f in frames[:3]} == {f["notify_id"] for f in forms}
    assert frames[3]["notify_id"] == newest["notify_id"]


def test_stop_closes_clients_with_going_away(
    relay: RelayServer, alipay_key: rsa.RSAPrivateKey
) -> None:
    with ws_connect(relay) as ws:
        deadline = time.monotonic() + 10
        while not _health(relay)["clients"] and time.monotonic() < deadline:
            time.sleep(0.02)
        relay.stop()
        with pytest.raises(ConnectionClosed) as info:
            ws.recv(timeout=10)
    assert info.value.rcvd is not None and info.value.rcvd.code == 1001
