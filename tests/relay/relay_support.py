"""Helpers for the relay tests: notification forms signed like Alipay (V2 exactly as the sandbox
signs, V1, flat notify_url style, SHA-1) and small real-HTTP / real-WebSocket clients."""

from __future__ import annotations

import base64
import json
import uuid
from http.client import HTTPConnection
from typing import Any
from urllib.parse import urlencode, urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from websockets.sync.client import ClientConnection, connect

from workstation.relay.server import RelayServer
from workstation.relay.store import RelayStore
from workstation.sandbox import crypto
from workstation.sandbox.notify import sign_notification

APP_ID = "2021000000000042"
TOKEN = "ws-token-alpha-5d1c0f7e"
OTHER_TOKEN = "ws-token-beta-9a8b7c6d"
METHOD = "alipay.commerce.ec.consume.change.notify"


def _sign(
    key: rsa.RSAPrivateKey, content: str, *, sha1: bool = False, charset: str = "utf-8"
) -> str:
    algorithm: hashes.HashAlgorithm = hashes.SHA1() if sha1 else hashes.SHA256()
    signature = key.sign(content.encode(charset), padding.PKCS1v15(), algorithm)
    return base64.b64encode(signature).decode()


def message_form(
    key: rsa.RSAPrivateKey,
    *,
    notify_id: str | None = None,
    biz: dict[str, Any] | None = None,
    biz_content: str | None = None,
    msg_method: str = METHOD,
    app_id: str = APP_ID,
    variant: str = "v2",
) -> dict[str, str]:
    """A message-service notification. ``variant``: ``v2`` (signed exactly like the sandbox's
    Notifier), ``v1`` (sign content without ``sign_type``), ``sha1`` (``sign_type=RSA``)."""
    if biz_content is None:
        biz_content = json.dumps(
            biz or {"pay_no": "P" + uuid.uuid4().hex[:12], "employee_id": "E1"},
            ensure_ascii=False,
            separators=(",", ":"),
        )
    form = {
        "notify_id": notify_id or uuid.uuid4().hex,
        "msg_method": msg_method,
        "biz_content": biz_content,
        "utc_timestamp": "1763780000000",
        "app_id": app_id,
        "charset": "utf-8",
        "version": "1.1",
        "sign_type": "RSA" if variant == "sha1" else "RSA2",
    }
    if variant == "v2":
        form["sign"] = sign_notification(form, key)
    elif variant == "v1":
        content = crypto.sign_content({k: v for k, v in form.items() if k != "sign_type"})
        form["sign"] = _sign(key, content)
    elif variant == "sha1":
        form["sign"] = _sign(key, crypto.sign_content(form), sha1=True)
    else:
        raise ValueError(variant)
    return form


def flat_form(
    key: rsa.RSAPrivateKey, *, notify_id: str | None = None, app_id: str = APP_ID
) -> dict[str, str]:
    """A flat ``notify_url``-style notification (trade fields, no biz_content), V1-signed as
    Alipay's payment notifications are (``sign`` and ``sign_type`` left out)."""
    form = {
        "notify_time": "2026-11-22 10:00:00",
        "notify_type": "trade_status_sync",
        "notify_id": notify_id or uuid.uuid4().hex,
        "app_id": app_id,
        "charset": "utf-8",
        "version": "1.0",
        "sign_type": "RSA2",
        "trade_no": "2026112222001400001234567890",
        "out_trade_no": "ORDER-7",
        "trade_status": "TRADE_SUCCESS",
        "total_amount": "23.50",
        "subject": "午餐 lunch",
        "buyer_logon_id": "",
    }
    content = crypto.sign_content({k: v for k, v in form.items() if k != "sign_type"})
    form["sign"] = _sign(key, content)
    return form


def post(
    url: str,
    body: dict[str, str] | bytes,
    *,
    content_type: str = "application/x-www-form-urlencoded; charset=utf-8",
    connection: HTTPConnection | None = None,
) -> tuple[int, str]:
    """POST to the relay over real HTTP; returns (status, body text)."""
    parts = urlsplit(url)
    data = urlencode(body).encode() if isinstance(body, dict) else body
    conn = connection or HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=20)
    try:
        conn.request("POST", parts.path, body=data, headers={"Content-Type": content_type})
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        if connection is None:
            conn.close()


def ws_connect(
    relay: RelayServer, token: str | None = TOKEN, after: int | None = None, **kw: Any
) -> ClientConnection:
    url = relay.ws_url if after is None else f"{relay.ws_url}?after={after}"
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return connect(url, additional_headers=headers, open_timeout=10, **kw)


def recv_frames(ws: ClientConnection, count: int, timeout: float = 20) -> list[dict[str, Any]]:
    frames = []
    for _ in range(count):
        raw = ws.recv(timeout=timeout)
        assert isinstance(raw, str), "frames are JSON text"
        frames.append(json.loads(raw))
    return frames


def stored(relay_or_url: RelayServer | str) -> int:
    """Rows in the relay's store, read through a second connection to the same database."""
    url = relay_or_url if isinstance(relay_or_url, str) else relay_or_url.config.database_url
    store = RelayStore(url)
    try:
        return store.count()
    finally:
        store.close()
