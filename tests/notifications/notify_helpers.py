"""Helpers shared by the notification tests (plain functions, imported by name)."""

from __future__ import annotations

import asyncio
import http.client
import json
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
from cryptography.hazmat.primitives.asymmetric import rsa

from workstation.alipay.gateway import AlipayGateway, GatewayConfig
from workstation.notifications.events import MessagesApplied, NotificationEvent
from workstation.notifications.inbox import AppliedMessage
from workstation.notifications.messages import RelayMessage
from workstation.sandbox import crypto
from workstation.sandbox.notify import sign_notification
from workstation.sandbox.server import SandboxServer


def make_gateway(sandbox: SandboxServer, **overrides: object) -> AlipayGateway:
    options: dict[str, object] = {
        "timeout": 5,
        "connect_timeout": 2,
        "backoff_base": 0.01,
        "backoff_max": 0.05,
    }
    options.update(overrides)
    return AlipayGateway(GatewayConfig.from_mapping(sandbox.config, **options))


def form_message(form: dict[str, str], seq: int) -> RelayMessage:
    """A notification form as the relay would forward it."""
    params = {k: v for k, v in form.items() if k not in ("notify_id", "msg_method", "biz_content")}
    return RelayMessage(
        seq=seq,
        notify_id=form["notify_id"],
        msg_method=form["msg_method"],
        biz_content=form.get("biz_content", ""),
        params=params,
    )


# capture(action, n) -> the n signed notification forms the action caused
Capture = Callable[[Callable[[], object], int], list[dict[str, str]]]


@dataclass(frozen=True)
class World:
    """The session's sandbox company and what talks to it."""

    sandbox: SandboxServer
    gateway: AlipayGateway
    enterprise_id: str
    capture: Capture

    def parts(self) -> tuple[SandboxServer, AlipayGateway, str, Capture]:
        return self.sandbox, self.gateway, self.enterprise_id, self.capture


# --- relay-side helpers ------------------------------------------------------------------------

T = TypeVar("T")


class Recorder:
    """An ``on_event`` callback that keeps every event and lets a test wait for one."""

    def __init__(self) -> None:
        self.events: list[NotificationEvent] = []
        self._cond = threading.Condition()

    def __call__(self, event: NotificationEvent) -> None:
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def of(self, kind: type[T]) -> list[T]:
        with self._cond:
            return [e for e in self.events if isinstance(e, kind)]

    def wait(self, condition: Callable[[], bool], timeout: float = 30.0, what: str = "") -> None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not condition():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out waiting for {what or condition}")
                self._cond.wait(min(left, 0.2))

    def applied(self) -> list[AppliedMessage]:
        return [m for e in self.of(MessagesApplied) for m in e.messages]

    def wait_seq(self, seq: int, timeout: float = 30.0) -> None:
        self.wait(
            lambda: any(e.last_seq >= seq for e in self.of(MessagesApplied)),
            timeout,
            f"seq {seq} applied",
        )


def signed_form(
    key: rsa.RSAPrivateKey,
    app_id: str,
    msg_method: str,
    biz: dict[str, Any],
    notify_id: str | None = None,
) -> dict[str, str]:
    """A notification form signed like the sandbox's notifier (and Alipay) signs them."""
    form = {
        "notify_id": notify_id or uuid.uuid4().hex,
        "msg_method": msg_method,
        "biz_content": json.dumps(biz, ensure_ascii=False, separators=(",", ":")),
        "utc_timestamp": str(int(time.time() * 1000)),
        "app_id": app_id,
        "charset": "utf-8",
        "version": "1.1",
        "sign_type": "RSA2",
    }
    form["sign"] = sign_notification(form, key)
    return form


def alipay_key(sandbox: SandboxServer) -> rsa.RSAPrivateKey:
    return crypto.load_private_key(sandbox.key_path.read_text())


class Poster:
    """POSTs forms like Alipay does: each one again until the receiver answers ``success``
    (a relay that is down or was killed mid-request just means "deliver again")."""

    def __init__(self, url: str, concurrency: int = 32) -> None:
        self.url = url
        self.concurrency = concurrency
        self.delivered = 0  # forms answered "success"
        self.attempts = 0

    def post(self, forms: Sequence[dict[str, str]]) -> None:
        asyncio.run(self._post_all(forms))

    async def _post_all(self, forms: Sequence[dict[str, str]]) -> None:
        queue: asyncio.Queue[dict[str, str]] = asyncio.Queue()
        for form in forms:
            queue.put_nowait(form)
        timeout = aiohttp.ClientTimeout(total=10)
        connector = aiohttp.TCPConnector(limit=self.concurrency)
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

            async def worker() -> None:
                while not queue.empty():
                    form = queue.get_nowait()
                    while not await self._post_one(session, form):
                        await asyncio.sleep(0.05)
                    self.delivered += 1

            await asyncio.gather(*(worker() for _ in range(self.concurrency)))

    async def _post_one(self, session: aiohttp.ClientSession, form: dict[str, str]) -> bool:
        self.attempts += 1
        try:
            async with session.post(self.url, data=form) as response:
                body = await response.read()
                return response.status == 200 and body.strip().lower() == b"success"
        except (aiohttp.ClientError, OSError, TimeoutError):
            return False


class RelayProcess:
    """``python -m workstation.relay`` as a child process that a test can SIGKILL and start
    again on the same port with the same database."""

    def __init__(self, port: int, workdir: Path, app_id: str, alipay_public_key: str) -> None:
        self.port = port
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.key_file = workdir / "alipay_public_key.pem"
        self.key_file.write_text(alipay_public_key, encoding="utf-8")
        self.tokens_file = workdir / "tokens.txt"
        self.tokens_file.write_text("# test workstation\nworkstation-token-1\n", encoding="utf-8")
        self.database_url = f"sqlite:///{workdir / 'relay.db'}"
        self.app_id = app_id
        self._process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def notify_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/alipay/notify"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    def start(self, timeout: float = 30.0) -> None:
        self.starts += 1
        with open(self.workdir / f"relay-{self.starts}.log", "wb") as log:
            self._process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "workstation.relay",
                    "--port",
                    str(self.port),
                    "--database-url",
                    self.database_url,
                    "--app-id",
                    self.app_id,
                    "--alipay-public-key",
                    str(self.key_file),
                    "--tokens",
                    str(self.tokens_file),
                    "--log-level",
                    "WARNING",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while not self._healthy():
            if self._process.poll() is not None:
                raise AssertionError(f"relay exited with {self._process.returncode}")
            if time.monotonic() > deadline:
                raise AssertionError("relay did not come up")
            time.sleep(0.05)

    def _healthy(self) -> bool:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
        try:
            connection.request("GET", "/health")
            return connection.getresponse().status == 200
        except OSError:
            return False
        finally:
            connection.close()

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, whatever was mid-request is lost."""
        if self._process is not None:
            self._process.send_signal(signal.SIGKILL)
            self._process.wait(10)
            self._process = None

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(10)
            self._process = None
