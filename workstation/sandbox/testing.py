"""Helpers for tests that talk to the sandbox: plain context managers and functions, usable
from any test package (wrap them in fixtures where you need them).

- :func:`running_sandbox` — a started :class:`SandboxServer` with small demo data.
- :func:`port_honouring_transport` — patches the official SDK's
  ``WebUtils.get_http_connection`` (which ignores the URL's port, alipay-api.md 3.3) for the
  duration of the block, and closes every connection it opened when the block ends (the SDK
  leaves sockets open when it raises on timeouts and non-200 answers).
- :func:`sdk_client`, :class:`GenericRequest`, :func:`sdk_call` — the unmodified SDK as client.
- :func:`signed_post` — a raw, hand-signed gateway request for protocol edge cases.
- :class:`NotificationReceiver` and :func:`verify_notification` — a tiny notify_url endpoint.
- :func:`beijing_now` — the sandbox's clock (all gmt_* and bill times are Beijing time).
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from http.client import HTTPConnection, HTTPSConnection
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from workstation.sandbox import crypto
from workstation.sandbox.server import SandboxServer
from workstation.sandbox.store import beijing_now

__all__ = [
    "GenericRequest",
    "NotificationReceiver",
    "beijing_now",
    "extract_signed",
    "free_loopback_port",
    "port_honouring_transport",
    "running_sandbox",
    "sdk_call",
    "sdk_client",
    "signed_post",
    "verify_notification",
]

SMALL = {"employees": 40, "bills": 2000}


def free_loopback_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_sandbox(tmp_path: Path, **kwargs: Any) -> Iterator[SandboxServer]:
    """A started sandbox in ``tmp_path/"sandbox"`` (40 employees, 2 000 bills unless given)."""
    options = {**SMALL, **kwargs}
    data_dir = Path(options.pop("data_dir", tmp_path / "sandbox"))
    server = SandboxServer(data_dir, **options)
    server.start()
    try:
        yield server
    finally:
        server.stop()


_patch_lock = threading.Lock()


@contextmanager
def port_honouring_transport() -> Iterator[None]:
    """Make the SDK connect to the URL's port. Re-entrant; restores the original on exit."""
    from alipay.aop.api.util import WebUtils

    opened: list[HTTPConnection] = []

    def get_http_connection(url: str, query_string: str, timeout: float) -> tuple[str, Any]:
        parts = urlsplit(url)
        secure = parts.scheme == "https"
        port = parts.port or (443 if secure else 80)
        cls = HTTPSConnection if secure else HTTPConnection
        connection = cls(parts.hostname or "127.0.0.1", port, timeout=timeout)
        opened.append(connection)
        return f"{parts.path or '/'}?{query_string}", connection

    with _patch_lock:
        original = WebUtils.get_http_connection
        WebUtils.get_http_connection = get_http_connection
    try:
        yield
    finally:
        with _patch_lock:
            WebUtils.get_http_connection = original
        for connection in opened:
            connection.close()


def sdk_client(
    config: dict[str, str], *, timeout: float = 15, app_private_key: str | None = None
) -> Any:
    """A ``DefaultAlipayClient`` for a sandbox.json dict (keys as PEM, as the SDK accepts)."""
    from alipay.aop.api.AlipayClientConfig import AlipayClientConfig
    from alipay.aop.api.DefaultAlipayClient import DefaultAlipayClient

    from workstation.keys import strip_pem

    cfg = AlipayClientConfig()
    cfg.server_url = config["gateway_url"]
    cfg.app_id = config["app_id"]
    cfg.app_private_key = strip_pem(app_private_key or config["app_private_key"])
    cfg.alipay_public_key = strip_pem(config["alipay_public_key"])
    cfg.sign_type = "RSA2"
    cfg.timeout = timeout
    return DefaultAlipayClient(alipay_client_config=cfg)


class GenericRequest:
    """A request for any method (the SDK only duck-types these members; alipay-api.md 3.2).

    Sends ``biz`` with compact separators and keeps falsy values (``False``, ``0``, ``[]``),
    which the SDK's generated models would drop.
    """

    need_encrypt = False

    def __init__(self, method: str, biz: dict[str, Any], version: str = "1.0", **extra: str):
        self.method = method
        self.biz = biz
        self.version = version
        self.extra = extra

    def get_params(self) -> dict[str, str]:
        params = {
            "method": self.method,
            "version": self.version,
            "biz_content": json.dumps(self.biz, ensure_ascii=False, separators=(",", ":")),
        }
        params.update(self.extra)
        return params

    def get_multipart_params(self) -> dict[str, Any]:
        return {}


def sdk_call(client: Any, method: str, biz: dict[str, Any], **extra: str) -> dict[str, Any]:
    """Execute through the SDK (which verifies the answer's signature) → the inner dict."""
    text = client.execute(GenericRequest(method, biz, **extra))
    result: dict[str, Any] = json.loads(text)
    return result


def signed_post(
    sandbox_or_url: SandboxServer | str,
    params: dict[str, str],
    *,
    private_key: str | None = None,
    sign: bool = True,
    target: str | None = None,
) -> tuple[int, bytes]:
    """POST hand-made parameters to the gateway; the public ones in the query, the rest in
    the body, like the SDK. Signs with ``private_key`` (PEM) unless ``sign`` is False."""
    url = sandbox_or_url.url if isinstance(sandbox_or_url, SandboxServer) else sandbox_or_url
    if private_key is None and isinstance(sandbox_or_url, SandboxServer):
        private_key = sandbox_or_url.config["app_private_key"]
    params = dict(params)
    if sign and private_key is not None:
        key = crypto.load_private_key(private_key)
        params["sign"] = crypto.sign_rsa2(
            key, crypto.sign_content(params, drop_empty=False).encode("utf-8")
        )
    body_keys = {"biz_content"}
    query = urlencode({k: v for k, v in params.items() if k not in body_keys})
    body = urlencode({k: v for k, v in params.items() if k in body_keys})
    parts = urlsplit(url)
    connection = HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=10)
    try:
        connection.request(
            "POST",
            target if target is not None else f"{parts.path}?{query}",
            body=body.encode("utf-8"),
            headers={"Content-Type": "application/x-www-form-urlencoded;charset=utf-8"},
        )
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


_BEGIN = re.compile(r'"([a-z_]+_response)"\s*:\s*')


def extract_signed(body: bytes, alipay_public_key: str) -> tuple[str, dict[str, Any]]:
    """Split a gateway answer into (response key, inner dict), verifying the signature over
    the exact inner bytes as the SDK does. Raises AssertionError if it does not verify."""
    text = body.decode("utf-8")
    begin = _BEGIN.search(text)
    sign_at = text.rfind(',"sign":"')
    assert begin is not None and sign_at > 0, f"unexpected shape: {text[:200]}"
    inner = text[begin.end() : sign_at]
    sign = text[sign_at + len(',"sign":"') : text.rindex('"')]
    key = crypto.load_public_key(alipay_public_key)
    assert crypto.verify(key, inner.encode("utf-8"), sign), "response signature does not verify"
    parsed: dict[str, Any] = json.loads(inner)
    return begin.group(1), parsed


def verify_notification(form: dict[str, str], alipay_public_key: str) -> bool:
    """Check a notification's ``sign``: V2 (all fields but ``sign``) first, then V1 (without
    ``sign_type`` too), like the Node SDK; values as received, URL-decoded."""
    key = crypto.load_public_key(alipay_public_key)
    sign = form.get("sign", "")
    v2 = crypto.sign_content(form, drop_empty=True)
    v1 = crypto.sign_content({k: v for k, v in form.items() if k != "sign_type"}, drop_empty=True)
    return any(crypto.verify(key, text.encode("utf-8"), sign) for text in (v2, v1))


class NotificationReceiver:
    """A notify_url endpoint on loopback that records every POSTed form.

    ``replies`` are the bodies answered in turn (then ``default``), e.g. ``["fail", "fail"]``
    to make the sandbox retry twice before ``success``.
    """

    def __init__(self, replies: Sequence[str] = (), default: str = "success") -> None:
        self.replies = list(replies)
        self.default = default
        self.received: list[dict[str, str]] = []
        self._cond = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(parse_qsl(self.rfile.read(length).decode("utf-8"), True))
                with receiver._cond:
                    receiver.received.append(form)
                    reply = receiver.replies.pop(0) if receiver.replies else receiver.default
                    receiver._cond.notify_all()
                data = reply.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = False
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/notify"

    def __enter__(self) -> NotificationReceiver:
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[dict[str, str]]:
        """Block until ``count`` forms arrived (AssertionError after ``timeout``)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"expected {count} notifications, got {len(self.received)}"
                    )
                self._cond.wait(left)
            return list(self.received)
