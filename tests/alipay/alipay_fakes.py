"""A tiny signed Alipay gateway on 127.0.0.1:0 for protocol tests of our transport + the SDK.

It speaks just enough of the protocol (alipay-api.md 1.3/1.4): checks the request's RSA2
signature with the app public key, answers ``{"<method>_response": {...}, "sign": "..."}`` signed
with its own key — and can misbehave on demand (delays, 5xx, dropped connections, SHA-1 or
tampered signatures).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import ipaddress
import json
import socket
import ssl
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

Inner = dict[str, Any]
Responder = Callable[[str, dict[str, Any]], Inner]

OK: Inner = {"code": "10000", "msg": "Success"}


class Sleeps(list[float]):
    """An injected sleep that records instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@dataclass
class Received:
    method: str
    biz: dict[str, Any]
    params: dict[str, str]
    path: str
    headers: dict[str, str]
    signature_ok: bool
    sign_type: str | None


@dataclass
class Action:
    """How to misbehave for one request. Unset fields mean "behave"."""

    delay: float = 0.0
    status: int = 200
    close_without_answer: bool = False
    close_after_answer: bool = False  # answer, then drop the socket silently (stale keep-alive)
    sha1: bool = False
    tamper: bool = False
    unsigned: bool = False
    sign_key: rsa.RSAPrivateKey | None = None
    response_key: str | None = None
    inner: Inner | None = None
    raw_body: bytes | None = None


def _load_private(pem: str) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def _load_public(pem: str) -> rsa.RSAPublicKey:
    key = serialization.load_pem_public_key(pem.encode())
    assert isinstance(key, rsa.RSAPublicKey)
    return key


def sign_text(key: rsa.RSAPrivateKey, text: str, *, sha1: bool = False) -> str:
    algorithm: hashes.HashAlgorithm = hashes.SHA1() if sha1 else hashes.SHA256()
    return base64.b64encode(key.sign(text.encode(), padding.PKCS1v15(), algorithm)).decode()


def envelope(key_name: str, inner_text: str, sign: str | None) -> bytes:
    if sign is None:
        return ('{"' + key_name + '":' + inner_text + "}").encode()
    return ('{"' + key_name + '":' + inner_text + ',"sign":"' + sign + '"}').encode()


class _Server(ThreadingMixIn, HTTPServer):
    daemon_threads = False
    block_on_close = True
    allow_reuse_address = True
    fake: FakeAlipay

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that time out leave broken pipes behind; that is the point of the test


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 10
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.fake._opened(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.fake._closed(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        self.server.fake._handle(self, body)


@dataclass
class FakeAlipay:
    alipay_private_pem: str
    app_public_pem: str
    tls: ssl.SSLContext | None = None
    responder: Responder = field(default=lambda method, biz: dict(OK))
    path: str = "/gateway.do"

    def __post_init__(self) -> None:
        self._key = _load_private(self.alipay_private_pem)
        self._app_key = _load_public(self.app_public_pem)
        self.actions: deque[Action] = deque()
        self.received: list[Received] = []
        self.connections = 0
        self.open_connections = 0
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeAlipay:
        server = _Server(("127.0.0.1", 0), _Handler)
        server.fake = self
        if self.tls is not None:
            server.socket = self.tls.wrap_socket(server.socket, server_side=True)
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        with self._lock:
            sockets = list(self._sockets)
        for s in sockets:  # unblock handler threads waiting on idle keep-alive connections
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
        self._server.server_close()  # joins handler threads
        assert self._thread is not None
        self._thread.join()
        self._server = None

    def __enter__(self) -> FakeAlipay:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        scheme = "https" if self.tls is not None else "http"
        return f"{scheme}://127.0.0.1:{self.port}{self.path}"

    def then(self, *actions: Action) -> FakeAlipay:
        self.actions.extend(actions)
        return self

    def methods(self) -> list[str]:
        return [r.method for r in self.received]

    # --- internals ---------------------------------------------------------------------------

    def _opened(self, sock: socket.socket) -> None:
        with self._lock:
            self.connections += 1
            self.open_connections += 1
            self._sockets.add(sock)

    def _closed(self, sock: socket.socket) -> None:
        with self._lock:
            self.open_connections -= 1
            self._sockets.discard(sock)

    def _handle(self, handler: _Handler, body: bytes) -> None:
        parts = urlsplit(handler.path)
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        params.update(parse_qsl(body.decode(), keep_blank_values=True))
        signature_ok = self._verify_request(params)
        method = params.get("method", "")
        biz = json.loads(params.get("biz_content") or "{}")
        with self._lock:
            self.received.append(
                Received(
                    method,
                    biz,
                    params,
                    parts.path,
                    dict(handler.headers.items()),
                    signature_ok,
                    params.get("sign_type"),
                )
            )
            action = self.actions.popleft() if self.actions else Action()
        if action.delay:
            time.sleep(action.delay)
        if action.close_without_answer:
            handler.close_connection = True
            handler.connection.shutdown(socket.SHUT_RDWR)
            return
        key_name = action.response_key or method.replace(".", "_") + "_response"
        if action.raw_body is not None:
            data = action.raw_body
        else:
            if action.inner is not None:
                inner = action.inner
            elif not signature_ok:
                inner = {
                    "code": "40002",
                    "msg": "Invalid Arguments",
                    "sub_code": "isv.invalid-signature",
                    "sub_msg": "验签出错",
                }
            else:
                inner = self.responder(method, biz)
            text = json.dumps(inner, ensure_ascii=False, separators=(",", ":"))
            sign = None
            if not action.unsigned:
                sign = sign_text(action.sign_key or self._key, text, sha1=action.sha1)
            if action.tamper:
                text = text.replace("Success", "Succes5") if "Success" in text else text + " "
            data = envelope(key_name, text, sign)
        handler.send_response(action.status)
        handler.send_header("Content-Type", "text/html;charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
        handler.wfile.flush()
        if action.close_after_answer:
            handler.close_connection = True

    def _verify_request(self, params: dict[str, str]) -> bool:
        sign = params.get("sign")
        if not sign:
            return False
        content = "&".join(f"{k}={v}" for k, v in sorted(params.items()) if k != "sign")
        algorithm: hashes.HashAlgorithm = (
            hashes.SHA256() if params.get("sign_type") == "RSA2" else hashes.SHA1()
        )
        try:
            self._app_key.verify(
                base64.b64decode(sign), content.encode(), padding.PKCS1v15(), algorithm
            )
        except (InvalidSignature, ValueError):
            return False
        return True


# --- TLS material for the HTTPS tests -------------------------------------------------------------


@dataclass(frozen=True)
class SelfSignedCert:
    cert_pem: bytes
    key_pem: bytes

    def server_context(self, tmp: Path) -> ssl.SSLContext:
        cert_file, key_file = tmp / "cert.pem", tmp / "key.pem"
        cert_file.write_bytes(self.cert_pem)
        key_file.write_bytes(self.key_pem)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert_file, key_file)
        return ctx

    def client_context(self) -> ssl.SSLContext:
        ctx = ssl.create_default_context(cadata=self.cert_pem.decode())
        return ctx


def make_self_signed(host: str = "127.0.0.1") -> SelfSignedCert:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fake-alipay")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return SelfSignedCert(
        cert.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        ),
    )
