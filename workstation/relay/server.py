"""The notification relay: takes Alipay's HTTP notifications, stores them, fans them out.

Desktops sit behind NAT and cannot take Alipay's callbacks, so this small server does:

- ``POST /alipay/notify`` (aiohttp): parse the form strictly, verify the RSA2 signature and
  ``app_id`` (:mod:`.verify`), store durably with a growing ``seq`` (a redelivered ``notify_id``
  is stored once), and only then answer ``success``. Anything invalid gets a 4xx, is logged,
  and is never stored nor forwarded.
- ``GET /ws?after=<seq>`` (websockets): a workstation with a ``Bearer`` token receives every
  retained message after ``seq``, then live ones, one JSON text frame each; it acks with
  ``{"ack": <seq>}``. The protocol is in the README (“The notification relay”).
- ``GET /health``: a small JSON status for operators and probes.

One port, two libraries: websockets only parses ``GET`` upgrade requests, so a tiny router
protocol reads each new connection's request line and then hands the transport (with the bytes
already read) to either aiohttp's request handler or a websockets connection. Neither library
is bypassed: each parses HTTP itself.

Throughput: one writer thread owns every write and commits whatever POSTs are waiting as one
transaction (group commit: one fsync for many messages), so thousands of messages per second
fit in a fsync'd SQLite file and the event loop never waits on the disk. Committed messages go
into an in-memory ring; each client has its own sender task walking forward from its position
(the ring for live and short catch-ups, the store in pages for long ones), so a slow client
only falls behind itself and holds at most one page plus its socket buffer.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import queue
import signal
import threading
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web
from sqlalchemy.engine import make_url
from websockets.asyncio.server import Server, ServerConnection
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.protocol import OPEN
from websockets.server import ServerProtocol

from workstation.errors import ValidationError
from workstation.keys import InvalidKeyError
from workstation.relay.store import RelayStore, StoredMessage, fingerprint, utc_now
from workstation.relay.verify import (
    Notification,
    NotificationRejected,
    NotificationVerifier,
    parse_form,
)

__all__ = ["RelayConfig", "RelayServer", "load_tokens", "normalise_database_url"]

log = logging.getLogger(__name__)

NOTIFY_PATH = "/alipay/notify"
WS_PATH = "/ws"
HEALTH_PATH = "/health"
MAX_BODY = 256 * 1024  # a notification is a few KiB; refuse anything absurd (413)
MAX_REQUEST_LINE = 8192
OPEN_TIMEOUT = 10.0  # seconds for a new connection to send its request line / finish the handshake
WRITE_BATCH = 1000  # most notifications committed in one transaction
READ_PAGE = 200  # catch-up page size from the store (bounds a catching-up client)
RING_BYTES = 32 * 1024 * 1024  # the ring's frames stay under this, whatever ring_size says
WS_WRITE_LIMIT = 256 * 1024  # per-client socket buffer before its sender waits (bounded memory)
ACK_FLUSH_INTERVAL = 1.0


@dataclass(frozen=True)
class RelayConfig:
    """Everything the relay needs. ``database_url``: ``sqlite:///path`` or ``postgresql://…``."""

    app_id: str
    alipay_public_key: str  # PEM or bare base64 (SPKI or PKCS#1)
    tokens: frozenset[str]
    database_url: str
    host: str = "127.0.0.1"
    port: int = 0  # 0 → a free port
    retention_days: float = 7.0  # older messages are purged
    retention_count: int | None = None  # and at most this many are kept, if set
    ping_interval: float = 20.0
    ping_timeout: float = 20.0
    purge_interval: float = 60.0
    ring_size: int = 10_000  # recent messages kept in memory for live fan-out


def load_tokens(path: str | Path) -> frozenset[str]:
    """One workstation token per line; ``#`` starts a comment; blank lines are ignored."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValidationError(
            "tokens", "找不到令牌文件", "tokens file not found", str(path)
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(
            "tokens",
            f"无法读取令牌文件（{exc}）",
            f"cannot read the tokens file ({exc})",
            str(path),
        ) from None
    tokens: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        token = line.split("#", 1)[0].strip()
        if not token:
            continue
        if any(ch.isspace() for ch in token) or not token.isprintable():
            raise ValidationError(
                "tokens",
                f"第 {number} 行的令牌含有空白或不可见字符",
                f"the token on line {number} contains whitespace or unprintable characters",
                str(path),
            )
        tokens.add(token)
    if not tokens:
        raise ValidationError(
            "tokens", "令牌文件中没有令牌", "the tokens file holds no token", str(path)
        )
    return frozenset(tokens)


def normalise_database_url(url: str) -> str:
    """Check the URL names SQLite or PostgreSQL; ``postgresql://`` uses psycopg 3."""
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise ValidationError(
            "database_url", "数据库地址格式不正确", "malformed database URL", url
        ) from exc
    backend = parsed.get_backend_name()
    if backend not in {"sqlite", "postgresql"}:
        raise ValidationError(
            "database_url",
            "只支持 SQLite 或 PostgreSQL",
            "only SQLite and PostgreSQL are supported",
            url,
        )
    if backend == "sqlite" and (not parsed.database or parsed.database == ":memory:"):
        raise ValidationError(
            "database_url",
            "中继需要一个 SQLite 文件路径",
            "the relay needs a SQLite file path",
            url,
        )
    if parsed.drivername == "postgresql":
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return url


def _validate(config: RelayConfig) -> None:
    if not config.app_id.strip():
        raise ValidationError("app_id", "不能为空", "must not be empty")
    if not config.tokens:
        raise ValidationError("tokens", "至少需要一个令牌", "at least one token is needed")
    if not config.retention_days > 0:
        raise ValidationError(
            "retention_days", "必须大于 0", "must be positive", config.retention_days
        )
    if config.retention_count is not None and config.retention_count < 1:
        raise ValidationError(
            "retention_count", "必须至少为 1", "must be at least 1", config.retention_count
        )
    if config.ring_size < 1:
        raise ValidationError("ring_size", "必须至少为 1", "must be at least 1", config.ring_size)
    if not 0 <= config.port <= 65535:
        raise ValidationError("port", "端口超出范围", "port out of range", config.port)


# --- the writer thread -----------------------------------------------------------------------


@dataclass
class _Pending:
    note: Notification
    received_at: datetime
    future: asyncio.Future[tuple[int, bool]]


@dataclass
class _Purge:
    future: asyncio.Future[tuple[int, int]]


@dataclass
class _Acks:
    acked: dict[str, int]


_STOP = object()


class _Writer:
    """One thread owns every write: commits are serial, so seq order is commit order, and
    whatever arrived during the last fsync is committed together."""

    def __init__(
        self,
        store: RelayStore,
        loop: asyncio.AbstractEventLoop,
        on_committed: Callable[[list[_Pending], list[StoredMessage], dict[str, int]], None],
        config: RelayConfig,
    ) -> None:
        self._store = store
        self._loop = loop
        self._on_committed = on_committed
        self._config = config
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="relay-writer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def submit(self, item: object) -> None:
        self._queue.put(item)

    def stop(self) -> None:
        """Finish what is queued, then end (blocking: call from a worker thread)."""
        self._queue.put(_STOP)
        self._thread.join()

    def _run(self) -> None:
        stopping = False
        while not stopping:
            items = [self._queue.get()]
            while len(items) < WRITE_BATCH:
                try:
                    items.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            pending = [p for i in items if isinstance(i, list) for p in i]
            if pending:
                self._write(pending)
            acked: dict[str, int] = {}
            for item in items:
                if isinstance(item, _Acks):
                    for client, seq in item.acked.items():
                        acked[client] = max(seq, acked.get(client, 0))
            if acked:
                try:
                    self._store.save_acks(acked)
                except Exception:
                    log.exception("could not record acks")
            for item in items:
                if isinstance(item, _Purge):
                    self._purge(item)
            stopping = any(i is _STOP for i in items)

    def _write(self, pending: list[_Pending]) -> None:
        try:
            stored, seqs = self._store.insert_batch([(p.note, p.received_at) for p in pending])
        except Exception as exc:
            log.exception("could not store %d notification(s)", len(pending))
            self._loop.call_soon_threadsafe(_fail_all, pending, exc)
        else:
            self._loop.call_soon_threadsafe(self._on_committed, pending, stored, seqs)

    def _purge(self, item: _Purge) -> None:
        cfg = self._config
        try:
            older = utc_now() - timedelta(days=cfg.retention_days)
            removed = self._store.purge(older, cfg.retention_count)
            oldest = self._store.oldest_seq()
            # Nothing left: everything up to the highest seq ever given went.
            keep_from = oldest if oldest is not None else self._store.high_seq + 1
        except Exception as exc:
            log.exception("retention purge failed")
            self._loop.call_soon_threadsafe(_set_exception, item.future, exc)
        else:
            self._loop.call_soon_threadsafe(_set_result, item.future, (removed, keep_from))


def _set_result(future: asyncio.Future[Any], value: Any) -> None:
    if not future.done():
        future.set_result(value)


def _set_exception(future: asyncio.Future[Any], exc: BaseException) -> None:
    if not future.done():
        future.set_exception(exc)


def _fail_all(pending: list[_Pending], exc: BaseException) -> None:
    for p in pending:
        _set_exception(p.future, exc)


# --- fan-out ---------------------------------------------------------------------------------


class _Fanout:
    """Recent committed messages in seq order, and a wake-up for waiting senders.

    Invariant: every stored message with ``seq > floor`` is in ``ring``. Only the event loop
    thread touches this.
    """

    def __init__(self, latest: int, size: int) -> None:
        self.ring: deque[StoredMessage] = deque()
        self.size = size
        self.bytes = 0
        self.floor = latest
        self.latest = latest
        self._wake = asyncio.Event()

    @property
    def wake(self) -> asyncio.Event:
        """Capture before reading: it is set when anything newer is published."""
        return self._wake

    def publish(self, stored: list[StoredMessage]) -> None:
        if not stored:
            return
        for message in stored:
            self.ring.append(message)
            self.bytes += len(message.frame)
            while len(self.ring) > self.size or (self.bytes > RING_BYTES and len(self.ring) > 1):
                dropped = self.ring.popleft()
                self.bytes -= len(dropped.frame)
                self.floor = dropped.seq
        self.latest = max(self.latest, stored[-1].seq)
        wake, self._wake = self._wake, asyncio.Event()
        wake.set()

    def drop_before(self, keep_from: int) -> None:
        """Forget purged messages so nobody is sent what retention removed."""
        while self.ring and self.ring[0].seq < keep_from:
            self.bytes -= len(self.ring.popleft().frame)

    def after(self, position: int, limit: int) -> list[StoredMessage] | None:
        """Ring messages with ``seq > position`` (at most ``limit``), or None when the ring
        does not reach back that far (read the store)."""
        if position < self.floor:
            return None
        out: list[StoredMessage] = []
        for message in reversed(self.ring):
            if message.seq <= position:
                break
            out.append(message)
        out.reverse()
        return out[:limit]


# --- connections -----------------------------------------------------------------------------


class _RelayConnection(ServerConnection):
    """A websockets server connection plus what the handshake established."""

    relay_after: int = 0  # the handshake's ``after``
    relay_client: str = ""  # token fingerprint
    relay_sent: int = 0  # last seq handed to this connection


class _CoalescingTransport(asyncio.Transport):
    """A WebSocket connection's transport that joins the writes of one loop iteration into one
    socket write. Fan-out hands each client a batch of small frames at once; a system call per
    frame cost more CPU than building the frames. Flow control stays the real transport's (it
    pauses the connection when its buffer passes the limit), so at most one batch waits here."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []
        self._pending_size = 0

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if self._transport.is_closing():
            return
        if not self._pending:
            self._loop.call_soon(self._flush)
        self._pending.append(bytes(data))
        self._pending_size += len(data)

    def _flush(self) -> None:
        if not self._pending:
            return
        data = b"".join(self._pending)
        self._pending.clear()
        self._pending_size = 0
        if not self._transport.is_closing():
            self._transport.write(data)

    def write_eof(self) -> None:
        self._flush()
        self._transport.write_eof()

    def can_write_eof(self) -> bool:
        return self._transport.can_write_eof()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + self._pending_size

    def get_write_buffer_limits(self) -> tuple[int, int]:
        return self._transport.get_write_buffer_limits()

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        self._transport.set_write_buffer_limits(high, low)

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def abort(self) -> None:
        self._pending.clear()
        self._pending_size = 0
        self._transport.abort()

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._transport.get_extra_info(name, default)

    def pause_reading(self) -> None:
        self._transport.pause_reading()

    def resume_reading(self) -> None:
        self._transport.resume_reading()

    def is_reading(self) -> bool:
        return self._transport.is_reading()

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self._transport.set_protocol(protocol)

    def get_protocol(self) -> asyncio.BaseProtocol:
        return self._transport.get_protocol()


class _Router(asyncio.Protocol):
    """Reads a new connection's request line, then hands the transport over: ``GET /ws`` to
    websockets, everything else to aiohttp. The bytes read so far are passed on unchanged."""

    def __init__(self, relay: RelayServer) -> None:
        self._relay = relay
        self._buffer = bytearray()
        self._transport: asyncio.Transport | None = None
        self._timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        self._relay._unrouted.add(self)
        self._timer = asyncio.get_running_loop().call_later(OPEN_TIMEOUT, self.abort)

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        end = self._buffer.find(b"\r\n")
        if end < 0 and len(self._buffer) < MAX_REQUEST_LINE:
            return
        transport = self._transport
        assert transport is not None
        self._detach()
        line = bytes(self._buffer[: max(end, 0)])
        parts = line.split(b" ")
        is_ws = len(parts) == 3 and parts[0] == b"GET" and parts[1].split(b"?", 1)[0] == b"/ws"
        protocol = self._relay._ws_protocol() if is_ws else self._relay._http_protocol()
        transport.set_protocol(protocol)
        if is_ws:
            protocol.connection_made(_CoalescingTransport(transport, asyncio.get_running_loop()))
        else:
            protocol.connection_made(transport)
        protocol.data_received(bytes(self._buffer))

    def eof_received(self) -> bool:
        return False  # closed before a request line: nothing to answer

    def connection_lost(self, exc: Exception | None) -> None:
        self._detach()

    def abort(self) -> None:
        self._detach()
        if self._transport is not None:
            self._transport.abort()

    def _detach(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._relay._unrouted.discard(self)


# --- the server ------------------------------------------------------------------------------


@dataclass
class _Running:
    """What exists while the relay serves (built in the loop, torn down in reverse)."""

    loop: asyncio.AbstractEventLoop
    store: RelayStore
    writer: _Writer
    fanout: _Fanout
    runner: web.AppRunner
    ws_server: Server
    stop: asyncio.Event
    tasks: list[asyncio.Task[None]] = field(default_factory=list)


class RelayServer:
    """The relay. ``start()`` runs it in a daemon thread (tests, demo mode); ``serve()`` runs it
    in the caller's event loop (the CLI process)."""

    def __init__(self, config: RelayConfig) -> None:
        _validate(config)
        try:
            self._verifier = NotificationVerifier(config.app_id, config.alipay_public_key)
        except InvalidKeyError as exc:
            raise ValidationError("alipay_public_key", exc.message_zh, exc.message_en) from exc
        self.config = config
        self._database_url = normalise_database_url(config.database_url)
        self._tokens = {hashlib.sha256(t.encode()).digest(): fingerprint(t) for t in config.tokens}
        self._running: _Running | None = None
        self._thread: threading.Thread | None = None
        self._thread_lock = threading.Lock()
        self._unrouted: set[_Router] = set()
        self._clients: set[_RelayConnection] = set()
        self._acks: dict[str, int] = {}
        self._outbox: list[_Pending] = []
        self._port = 0

    # --- public surface ----------------------------------------------------------------------

    @property
    def port(self) -> int:
        if not self._port:
            raise RuntimeError("relay is not running")
        return self._port

    @property
    def url(self) -> str:
        host = self.config.host
        if host in {"", "0.0.0.0", "::"}:
            host = "127.0.0.1"
        elif ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    @property
    def notify_url(self) -> str:
        return self.url + NOTIFY_PATH

    @property
    def ws_url(self) -> str:
        return "ws" + self.url.removeprefix("http") + WS_PATH

    @property
    def client_count(self) -> int:
        return len(self._clients)

    def start(self) -> RelayServer:
        """Serve from a daemon thread; returns once listening (raises what start-up raised)."""
        with self._thread_lock:
            if self._thread is not None:
                return self
            ready = threading.Event()
            failure: list[BaseException] = []

            def main() -> None:
                loop = asyncio.new_event_loop()
                try:
                    loop.run_until_complete(self._run(ready.set))
                except BaseException as exc:
                    failure.append(exc)
                finally:
                    ready.set()
                    loop.run_until_complete(loop.shutdown_default_executor())
                    loop.close()

            thread = threading.Thread(target=main, name="relay-server", daemon=True)
            thread.start()
            ready.wait()
            if failure:
                thread.join()
                raise failure[0]
            self._thread = thread
        return self

    def stop(self) -> None:
        """Close connections, finish in-flight writes, close the store. Idempotent."""
        with self._thread_lock:
            thread, self._thread = self._thread, None
            running = self._running
            if thread is None:
                return
            if running is not None:
                with contextlib.suppress(RuntimeError):  # loop already closed
                    running.loop.call_soon_threadsafe(running.stop.set)
            thread.join(timeout=60)

    def __enter__(self) -> RelayServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def serve(self, ready: Callable[[RelayServer], None] | None = None) -> None:
        """Run in the current event loop until cancelled, SIGTERM or SIGINT."""
        loop = asyncio.get_running_loop()
        installed: list[signal.Signals] = []

        def on_listening() -> None:
            running = self._running
            assert running is not None
            if threading.current_thread() is threading.main_thread():
                for sig in (signal.SIGTERM, signal.SIGINT):
                    with contextlib.suppress(NotImplementedError, RuntimeError):
                        loop.add_signal_handler(sig, running.stop.set)
                        installed.append(sig)
            if ready is not None:
                ready(self)

        try:
            await self._run(on_listening)
        finally:
            for sig in installed:
                loop.remove_signal_handler(sig)

    def purge_now(self) -> int:
        """Apply retention now (from another thread than the relay's); returns rows removed."""
        running = self._running
        if running is None:
            raise RuntimeError("relay is not running")
        return asyncio.run_coroutine_threadsafe(self._purge(), running.loop).result(timeout=30)

    # --- lifecycle -----------------------------------------------------------------------------

    async def _run(self, on_listening: Callable[[], None]) -> None:
        await self._open()
        try:
            on_listening()
            assert self._running is not None
            await self._running.stop.wait()
        finally:
            await self._close()

    async def _open(self) -> None:
        loop = asyncio.get_running_loop()
        app = web.Application(client_max_size=MAX_BODY, middlewares=[_log_http_errors])
        app.router.add_post(NOTIFY_PATH, self._on_notify)
        app.router.add_get(HEALTH_PATH, self._on_health)
        runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=5)
        await runner.setup()
        try:
            store = await asyncio.to_thread(RelayStore, self._database_url)
        except BaseException:
            await runner.cleanup()
            raise
        writer = _Writer(store, loop, self._on_committed, self.config)
        writer.start()

        async def create_server() -> asyncio.Server:
            return await loop.create_server(
                lambda: _Router(self), self.config.host, self.config.port, reuse_address=True
            )

        ws_server = Server(create_server, self._ws_lifecycle)
        fanout = _Fanout(store.high_seq, self.config.ring_size)
        running = _Running(loop, store, writer, fanout, runner, ws_server, asyncio.Event())
        self._running = running
        try:
            await self._purge()  # retention applies before anything is served
            await ws_server
        except BaseException:
            await self._close()
            raise
        self._port = int(ws_server.sockets[0].getsockname()[1])
        running.tasks.append(loop.create_task(self._purge_loop()))
        running.tasks.append(loop.create_task(self._ack_loop()))
        log.info(
            "relay listening: notify %s, websocket %s, store %s",
            self.notify_url,
            self.ws_url,
            make_url(self._database_url).render_as_string(hide_password=True),
        )

    async def _close(self) -> None:
        running = self._running
        if running is None:
            return
        # Stop accepting, close WebSocket clients (1001) and wait for their handlers.
        if hasattr(running.ws_server, "server"):
            running.ws_server.close()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(15):
                    await running.ws_server.wait_closed()
        for router in list(self._unrouted):
            router.abort()
        # In-flight POSTs finish (the writer is still running), idle keep-alives close.
        await running.runner.cleanup()
        for task in running.tasks:
            task.cancel()
        for task in running.tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        acked, self._acks = self._acks, {}
        if acked:
            running.writer.submit(_Acks(acked))
        await asyncio.to_thread(running.writer.stop)
        await asyncio.to_thread(running.store.close)
        self._running = None
        self._port = 0
        log.info("relay stopped")

    async def _purge_loop(self) -> None:
        while True:
            await asyncio.sleep(self.config.purge_interval)
            with contextlib.suppress(Exception):  # logged by the writer; next round retries
                await self._purge()

    async def _purge(self) -> int:
        running = self._running
        assert running is not None
        future: asyncio.Future[tuple[int, int]] = running.loop.create_future()
        running.writer.submit(_Purge(future))
        removed, keep_from = await future
        running.fanout.drop_before(keep_from)
        if removed:
            log.info("retention: %d message(s) purged", removed)
        return removed

    async def _ack_loop(self) -> None:
        while True:
            await asyncio.sleep(ACK_FLUSH_INTERVAL)
            running = self._running
            acked, self._acks = self._acks, {}
            if acked and running is not None:
                running.writer.submit(_Acks(acked))

    def _on_committed(
        self, pending: list[_Pending], stored: list[StoredMessage], seqs: dict[str, int]
    ) -> None:
        new = {m.notify_id for m in stored}
        for p in pending:
            nid = p.note.notify_id
            # The first of a batch's duplicates is the new one; the rest are redeliveries.
            is_new = nid in new
            new.discard(nid)
            _set_result(p.future, (seqs[nid], is_new))
        # After the answers: their handlers are then scheduled before the senders, so Alipay
        # hears "success" before the relay spends time on fan-out.
        running = self._running
        if running is not None:
            running.fanout.publish(stored)

    # --- HTTP ------------------------------------------------------------------------------------

    def _http_protocol(self) -> asyncio.Protocol:
        running = self._running
        assert running is not None and running.runner.server is not None
        return running.runner.server()

    async def _on_notify(self, request: web.Request) -> web.Response:
        peer = request.remote or "-"
        if request.content_type != "application/x-www-form-urlencoded":
            return _reject(
                NotificationRejected(415, f"content type {request.content_type[:60]!r}"), peer
            )
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return _reject(NotificationRejected(413, "body too large"), peer)
        try:
            note = self._verifier.check(parse_form(body, request.charset))
        except NotificationRejected as exc:
            return _reject(exc, peer)
        running = self._running
        assert running is not None
        future: asyncio.Future[tuple[int, bool]] = running.loop.create_future()
        self._submit(running, _Pending(note, utc_now(), future))
        try:
            seq, is_new = await future
        except Exception:
            # Not "success": Alipay delivers again later. The writer logged the cause.
            return web.Response(status=500, text="fail")
        if is_new:
            log.debug("stored %s as seq %d", note.notify_id, seq)
        else:
            log.info(
                "redelivery of %s (seq %d) acknowledged, not stored again", note.notify_id, seq
            )
        return web.Response(text="success")

    def _submit(self, running: _Running, pending: _Pending) -> None:
        """Hand the writer everything accepted in this loop iteration as one item: one queue
        wake-up (and usually one commit) for a burst of POSTs instead of one per POST."""
        self._outbox.append(pending)
        if len(self._outbox) == 1:
            running.loop.call_soon(self._flush_outbox, running)

    def _flush_outbox(self, running: _Running) -> None:
        batch, self._outbox = self._outbox, []
        if batch:
            running.writer.submit(batch)

    async def _on_health(self, request: web.Request) -> web.Response:
        """Status for probes; per-client detail (peers, positions) only with a known token,
        since the relay faces the internet."""
        running = self._running
        assert running is not None
        body: dict[str, Any] = {
            "status": "ok",
            "latest_seq": running.fanout.latest,
            "store_id": running.store.store_id,
            "client_count": len(self._clients),
        }
        if self._client_of(request.headers.get("Authorization", "")) is not None:
            body["clients"] = [
                {"client": c.relay_client, "peer": _peer(c), "sent_seq": c.relay_sent}
                for c in sorted(self._clients, key=lambda c: c.relay_sent)
            ]
        return web.json_response(body)

    def _client_of(self, authorization: str) -> str | None:
        """``Bearer <token>`` → the token's fingerprint, or None for a missing/unknown token."""
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return None
        return self._tokens.get(hashlib.sha256(token.encode()).digest())

    # --- WebSocket -------------------------------------------------------------------------------

    def _ws_protocol(self) -> asyncio.Protocol:
        running = self._running
        assert running is not None
        # No permessage-deflate: frames are small, and compressing them once per client would
        # cost more CPU than the bandwidth it saves on a relay that fans out to many clients.
        protocol = ServerProtocol(max_size=64 * 1024)
        return _RelayConnection(
            protocol,
            running.ws_server,
            ping_interval=self.config.ping_interval,
            ping_timeout=self.config.ping_timeout,
            close_timeout=5,
            max_queue=16,
            write_limit=WS_WRITE_LIMIT,
        )

    async def _ws_lifecycle(self, connection: ServerConnection) -> None:
        """What ``websockets.asyncio.server.serve`` does per connection, with our hooks."""
        assert isinstance(connection, _RelayConnection)
        server = connection.server
        try:
            async with asyncio.timeout(OPEN_TIMEOUT):
                await connection.handshake(self._process_request, self._process_response)
            if connection.protocol.state is not OPEN:
                connection.transport.abort()
                return
            server.all_connections.add(connection)
            connection.start_keepalive()
            try:
                async with connection:
                    await self._serve_client(connection)
            except Exception:
                log.exception("websocket client handler failed")
            finally:
                server.all_connections.discard(connection)
        except Exception:
            connection.transport.abort()
        finally:
            task = asyncio.current_task()
            if task is not None:
                server.handler_tasks.discard(task)

    def _process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        assert isinstance(connection, _RelayConnection)
        peer = _peer(connection)
        path, _, query = request.path.partition("?")
        if path != WS_PATH:
            return connection.respond(HTTPStatus.NOT_FOUND, "not found\n")
        client = self._client_of(request.headers.get("Authorization", ""))
        if client is None:
            log.warning("websocket refused from %s: missing or unknown token", peer)
            response = connection.respond(HTTPStatus.UNAUTHORIZED, "unknown or missing token\n")
            response.headers["WWW-Authenticate"] = 'Bearer realm="relay"'
            return response
        values = parse_qs(query, keep_blank_values=True).get("after", ["0"])
        raw = values[0] if len(values) == 1 else ""
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
            log.warning(
                "websocket refused from %s (client %s): bad after=%r", peer, client, raw[:20]
            )
            return connection.respond(HTTPStatus.BAD_REQUEST, "after must be a seq (0 or more)\n")
        connection.relay_after = int(raw)
        connection.relay_client = client
        return None

    def _process_response(
        self, connection: ServerConnection, request: Request, response: Response
    ) -> None:
        running = self._running
        if response.status_code == HTTPStatus.SWITCHING_PROTOCOLS and running is not None:
            response.headers["X-Relay-Latest-Seq"] = str(running.fanout.latest)
            response.headers["X-Relay-Store-Id"] = running.store.store_id

    async def _serve_client(self, connection: _RelayConnection) -> None:
        client, peer = connection.relay_client, _peer(connection)
        log.info("client %s connected from %s (after %d)", client, peer, connection.relay_after)
        self._clients.add(connection)
        sender = asyncio.create_task(self._send_loop(connection))
        try:
            async for frame in connection:
                self._on_client_frame(client, frame)
        except ConnectionClosed:
            pass
        finally:
            self._clients.discard(connection)
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
                await sender
            log.info("client %s disconnected (%s)", client, peer)

    async def _send_loop(self, connection: _RelayConnection) -> None:
        running = self._running
        assert running is not None
        fanout, position = running.fanout, connection.relay_after
        connection.relay_sent = position
        try:
            while True:
                wake = fanout.wake
                floor = fanout.floor
                batch = fanout.after(position, READ_PAGE)
                if batch is None:  # behind the ring: page through the store
                    batch = await asyncio.to_thread(running.store.read_after, position, READ_PAGE)
                    if not batch:
                        position = max(position, floor)  # the gap was purged
                        continue
                if not batch:
                    await wake.wait()
                    continue
                for message in batch:
                    await connection.send(message.frame, text=True)
                    position = connection.relay_sent = message.seq
        except ConnectionClosed:
            return
        except Exception:
            log.exception("sender for client %s failed", connection.relay_client)
            await connection.close(1011, "relay error")

    def _on_client_frame(self, client: str, frame: str | bytes) -> None:
        try:
            data = json.loads(frame)
        except ValueError:
            log.debug("client %s sent a frame that is not JSON; ignored", client)
            return
        ack = data.get("ack") if isinstance(data, dict) else None
        if type(ack) is not int or ack < 0:
            log.debug("client %s sent an unknown frame; ignored", client)
            return
        if ack > self._acks.get(client, -1):
            self._acks[client] = ack


def _peer(connection: ServerConnection) -> str:
    address = connection.remote_address
    return str(address[0]) if address else "-"


def _reject(exc: NotificationRejected, peer: str) -> web.Response:
    log.warning(
        "notification rejected (%d %s) from %s, notify_id=%s",
        exc.status,
        exc.reason,
        peer,
        exc.notify_id or "-",
    )
    return web.Response(status=exc.status, text=f"{exc.reason}\n")


@web.middleware
async def _log_http_errors(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status >= 400:
            log.warning(
                "HTTP %d for %s %s from %s", exc.status, request.method, request.path,
                request.remote or "-",
            )  # fmt: skip
        raise
