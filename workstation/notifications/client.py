"""``RelayClient``: the workstation end of the notification relay.

A daemon thread runs its own asyncio loop with a ``websockets`` client (the GUI thread never
waits on it). It connects with ``GET /ws?after=<last applied seq>`` and a ``Bearer`` token,
and for each frame, in seq order:

1. **fetch** — the handler's network phase runs on a small thread pool, several messages at
   once; messages about the same record are fetched one after another, in seq order, so an
   older answer never lands after a newer one;
2. **apply** — consecutive fetched messages are written in one transaction (effects, inbox
   rows, the new seq: :func:`~workstation.notifications.inbox.apply_batch`) on one database
   thread, strictly in seq order;
3. **ack** — ``{"ack": <seq>}`` after the commit (the relay treats acks as cumulative).

A gateway outage while fetching holds the message (and everything after it) and retries it
with backoff; it is never recorded as applied nor skipped. A dropped connection reconnects with
exponential backoff and full jitter, resuming from the seq in the cache, so whatever was
committed is not asked for again and whatever was not is delivered again. A rejected token
(HTTP 401/403) is reported as :attr:`ClientState.REFUSED` and retried slowly.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import random
import threading
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI

from workstation.alipay.gateway import AlipayGateway, backoff_delay
from workstation.db.engine import Database
from workstation.errors import ValidationError
from workstation.notifications.events import (
    ApplyDelayed,
    ClientState,
    MessagesApplied,
    NotificationEvent,
    RelayConnected,
    RelayDisconnected,
    RelayGap,
    RelayStatus,
)
from workstation.notifications.handlers import HANDLER_MAP, Handler
from workstation.notifications.inbox import (
    CURSOR_KEY,
    Applier,
    Prepared,
    prepare,
    read_seq,
)
from workstation.notifications.messages import RelayMessage, parse_frame
from workstation.sync.context import read_cursor, write_cursor

__all__ = ["RelayClient", "relay_ws_url"]

log = logging.getLogger(__name__)

_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
STORE_HEADER = "X-Relay-Store-Id"
LATEST_HEADER = "X-Relay-Latest-Seq"


def relay_ws_url(url: str) -> str:
    """``ws://host:port/ws`` from what a clerk may type: the relay's ws URL, its base URL, or
    ``http(s)://`` forms of them. Raises :class:`ValidationError` naming ``relay_url``."""
    text = url.strip()
    parts = urlsplit(text)
    scheme = {"http": "ws", "https": "wss", "ws": "ws", "wss": "wss"}.get(parts.scheme.lower())
    if scheme is None or not parts.hostname:
        raise ValidationError(
            "relay_url",
            "中继地址应为 ws://主机:端口/ws 或 wss://…",
            "the relay address must look like ws://host:port/ws or wss://…",
            url,
        )
    path = parts.path.rstrip("/")
    if not path.endswith("/ws"):
        path += "/ws"
    return urlunsplit((scheme, parts.netloc, path, "", ""))


class _StoreChanged(Exception):
    """The relay's store is not the one our seq counts in (its database was replaced)."""


@dataclass
class _Item:
    message: RelayMessage
    future: concurrent.futures.Future[Prepared]


class RelayClient:
    """See the module docstring. ``on_event`` receives :data:`NotificationEvent` values on a
    client thread; it must be quick and must not touch widgets (post to the GUI thread)."""

    def __init__(
        self,
        database: Database,
        gateway: AlipayGateway,
        relay_url: str,
        token: str,
        *,
        on_event: Callable[[NotificationEvent], None] | None = None,
        handlers: Mapping[str, Handler] = HANDLER_MAP,
        enterprise_id: str | None = None,
        cursor_key: str = CURSOR_KEY,
        fetch_workers: int = 4,
        max_batch: int = 500,
        max_pending: int = 2000,
        backoff_base: float = 0.5,
        backoff_max: float = 30.0,
        refused_retry: float = 60.0,
        open_timeout: float = 10.0,
        ping_interval: float | None = 20.0,
        ping_timeout: float | None = 20.0,
        rand: Callable[[], float] = random.random,
    ) -> None:
        if not token.strip():
            raise ValidationError("relay_token", "不能为空", "must not be empty")
        if fetch_workers < 1 or max_batch < 1 or max_pending < 1:
            raise ValueError("fetch_workers, max_batch and max_pending must be at least 1")
        self.database = database
        self.gateway = gateway
        self.url = relay_ws_url(relay_url)
        self._token = token.strip()
        self._on_event = on_event
        self._handlers = handlers
        self.enterprise_id = enterprise_id or gateway.config.enterprise_id or ""
        self.cursor_key = cursor_key
        self._fetch_workers = fetch_workers
        self._max_batch = max_batch
        self._max_pending = max_pending
        self._backoff_base = backoff_base
        self._backoff_max = backoff_max
        self._refused_retry = refused_retry
        self._open_timeout = open_timeout
        self._ping_interval = ping_interval
        self._ping_timeout = ping_timeout
        self._rand = rand
        self._lock = threading.Lock()
        self._status = RelayStatus(ClientState.STOPPED, 0)
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._started = threading.Event()
        self._applier: Applier | None = None  # used on the database thread only

    # --- public API ---------------------------------------------------------------------------

    @property
    def state(self) -> ClientState:
        return self._status.state

    @property
    def status(self) -> RelayStatus:
        with self._lock:
            return self._status

    @property
    def last_seq(self) -> int:
        """The last seq committed to the cache by this client (or read from it at connect)."""
        return self._status.last_seq

    def start(self) -> None:
        """Start the background thread (returns at once; idempotent)."""
        if self._thread is not None:
            return
        self._started.clear()
        self._thread = threading.Thread(target=self._thread_main, name="relay-client", daemon=True)
        self._thread.start()
        self._started.wait(5)

    def stop(self, timeout: float = 10.0) -> None:
        """Disconnect and end the thread. A transaction being written is finished first, so
        the cache and its seq stay consistent."""
        thread, loop, stop = self._thread, self._loop, self._stop
        if thread is None:
            return
        if loop is not None and stop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(stop.set)
        thread.join(timeout)
        if thread.is_alive():
            log.warning("relay client thread did not stop within %.1fs", timeout)
        self._thread = None

    # --- plumbing -----------------------------------------------------------------------------

    def _publish(self, event: NotificationEvent) -> None:
        if self._on_event is None:
            return
        try:
            self._on_event(event)
        except Exception:  # a failing listener must not stop notifications
            log.exception("relay client listener failed on %r", type(event).__name__)

    def _set_status(self, state: ClientState, **changes: Any) -> None:
        with self._lock:
            self._status = RelayStatus(
                state,
                changes.get("last_seq", self._status.last_seq),
                changes.get("message_zh"),
                changes.get("message_en"),
                changes.get("retry_in"),
            )

    def _set_seq(self, seq: int) -> None:
        with self._lock:
            self._status = replace(self._status, last_seq=seq)

    def _thread_main(self) -> None:
        try:
            asyncio.run(self._main())
        except Exception:  # pragma: no cover - _main catches everything it expects
            log.exception("relay client stopped unexpectedly")
        finally:
            self._set_status(ClientState.STOPPED)

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        self._started.set()
        fetch_pool = concurrent.futures.ThreadPoolExecutor(
            self._fetch_workers, thread_name_prefix="relay-fetch"
        )
        # One database thread: applies are serial and in order, and reading the seq at
        # connect waits behind any apply still committing.
        db_pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="relay-apply")
        try:
            await self._connect_loop(fetch_pool, db_pool)
        finally:
            fetch_pool.shutdown(wait=False, cancel_futures=True)
            db_pool.submit(self._close_applier)
            db_pool.shutdown(wait=True)

    async def _sleep(self, seconds: float) -> bool:
        """Wait ``seconds`` unless stopped; True when stopped."""
        assert self._stop is not None
        try:
            await asyncio.wait_for(self._stop.wait(), timeout=max(seconds, 0.0))
        except TimeoutError:
            return False
        return True

    def _backoff(self, attempt: int) -> float:
        delay = backoff_delay(attempt, self._backoff_base, self._backoff_max, self._rand)
        return max(delay, min(0.05, self._backoff_max))

    async def _connect_loop(
        self,
        fetch_pool: concurrent.futures.ThreadPoolExecutor,
        db_pool: concurrent.futures.ThreadPoolExecutor,
    ) -> None:
        loop = asyncio.get_running_loop()
        assert self._stop is not None
        failures = 0
        while not self._stop.is_set():
            self._set_status(ClientState.CONNECTING)
            state, zh, en = ClientState.OFFLINE, "", ""
            try:
                after = await loop.run_in_executor(
                    db_pool, read_seq, self.database, self.cursor_key
                )
                self._set_seq(after)
                host = urlsplit(self.url).hostname or ""
                async with connect(
                    f"{self.url}?after={after}",
                    additional_headers={"Authorization": f"Bearer {self._token}"},
                    proxy=None if host in _LOOPBACK else True,
                    open_timeout=self._open_timeout,
                    ping_interval=self._ping_interval,
                    ping_timeout=self._ping_timeout,
                    max_size=4 * 1024 * 1024,
                ) as ws:
                    await loop.run_in_executor(db_pool, self._check_store, ws, after)
                    failures = 0
                    self._set_status(ClientState.CONNECTED)
                    latest = ws.response.headers.get(LATEST_HEADER) if ws.response else None
                    self._publish(
                        RelayConnected(
                            self.url, after, int(latest) if latest and latest.isdigit() else None
                        )
                    )
                    log.info("relay connected: %s (after %d)", self.url, after)
                    await self._session(ws, fetch_pool, db_pool)
                    zh, en = "中继服务器关闭了连接", "the relay closed the connection"
            except _StoreChanged:
                continue
            except InvalidStatus as exc:
                status = exc.response.status_code
                if status in (401, 403):
                    state = ClientState.REFUSED
                    zh = "中继服务器拒绝了访问令牌，请检查设置中的中继令牌"
                    en = "the relay refused the access token; check the relay token in settings"
                else:
                    zh = f"中继服务器拒绝连接（HTTP {status}）"
                    en = f"the relay refused the connection (HTTP {status})"
            except InvalidURI as exc:
                zh, en = f"中继地址无效：{exc}", f"invalid relay address: {exc}"
            except (OSError, TimeoutError, InvalidHandshake, ConnectionClosed) as exc:
                zh = f"无法连接中继服务器：{_describe(exc)}"
                en = f"cannot reach the relay: {_describe(exc)}"
            except Exception as exc:  # e.g. the cache cannot be read: keep trying, say why
                log.exception("relay client error")
                zh = f"接收通知出错：{_describe(exc)}"
                en = f"receiving notifications failed: {_describe(exc)}"
            if self._stop.is_set():
                break
            if state is ClientState.REFUSED:
                delay = self._refused_retry
            else:
                failures += 1
                delay = self._backoff(failures)
            log.warning("relay: %s; retrying in %.1fs", en, delay)
            self._set_status(state, message_zh=zh, message_en=en, retry_in=delay)
            self._publish(RelayDisconnected(state, zh, en, delay))
            if await self._sleep(delay):
                break

    def _check_store(self, ws: ClientConnection, after: int) -> None:
        """Remember which relay store our seq counts in; if the relay's store was replaced,
        start over from its first message (the inbox skips what was applied already)."""
        store_id = ws.response.headers.get(STORE_HEADER) if ws.response else None
        if not store_id:
            return
        key = f"{self.cursor_key}.store"
        with self.database.session() as session:
            conn = session.connection()
            known = read_cursor(conn, key)
            if known == store_id:
                return
            write_cursor(conn, key, store_id[:64])
            if known is not None and after:
                log.warning(
                    "relay store changed (%s → %s): reading it from the start", known, store_id
                )
                write_cursor(conn, self.cursor_key, "0")
        if known is not None and after:
            raise _StoreChanged()

    # --- one connection ---------------------------------------------------------------------

    async def _session(
        self,
        ws: ClientConnection,
        fetch_pool: concurrent.futures.ThreadPoolExecutor,
        db_pool: concurrent.futures.ThreadPoolExecutor,
    ) -> None:
        assert self._stop is not None
        pipeline: deque[_Item] = deque()
        space = asyncio.Semaphore(self._max_pending)
        arrived = asyncio.Event()
        chains: dict[str, concurrent.futures.Future[Prepared]] = {}

        def submit(message: RelayMessage) -> concurrent.futures.Future[Prepared]:
            handler = self._handlers.get(message.msg_method)
            if handler is None:  # nothing to fetch: recorded IGNORED without a thread hop
                future: concurrent.futures.Future[Prepared] = concurrent.futures.Future()
                future.set_result(Prepared(message, None))
                return future
            key = handler.key(message)
            previous = chains.get(key) if key is not None else None
            future = fetch_pool.submit(self._prepare, message, previous)
            if key is not None:
                chains[key] = future
            return future

        async def read() -> None:
            position = self.last_seq
            async for frame in ws:
                try:
                    message = parse_frame(frame)
                except ValidationError as exc:
                    log.error("relay sent a frame we cannot read (%s); skipped", exc)
                    continue
                if message.seq <= position:
                    continue
                if position and message.seq > position + 1:
                    log.warning("relay seq jumped from %d to %d", position, message.seq)
                    self._publish(RelayGap(position, message.seq))
                position = message.seq
                await space.acquire()
                pipeline.append(_Item(message, submit(message)))
                arrived.set()

        async def apply() -> None:
            loop = asyncio.get_running_loop()
            attempt = 0
            while True:
                while not pipeline:
                    arrived.clear()
                    await arrived.wait()
                head = pipeline[0]
                await asyncio.wait([asyncio.wrap_future(head.future)])
                batch: list[Prepared] = []
                for item in pipeline:
                    if not item.future.done() or item.future.exception() is not None:
                        break
                    batch.append(item.future.result())
                    if len(batch) >= self._max_batch:
                        break
                error: BaseException | None = None
                if batch:
                    try:
                        await loop.run_in_executor(db_pool, self._apply, batch)
                    except Exception as exc:  # the database itself: retry the same batch
                        error = exc
                else:
                    error = head.future.exception()
                if error is not None:
                    attempt += 1
                    delay = self._backoff(attempt)
                    zh = getattr(error, "message_zh", None) or f"处理通知暂时失败：{error}"
                    en = getattr(error, "message_en", None) or f"processing failed for now: {error}"
                    log.warning(
                        "relay seq %d held: %s; retrying in %.1fs", head.message.seq, en, delay
                    )
                    self._set_status(
                        ClientState.DELAYED, message_zh=zh, message_en=en, retry_in=delay
                    )
                    self._publish(
                        ApplyDelayed(head.message.seq, head.message.msg_method, zh, en, delay)
                    )
                    if await self._sleep(delay):
                        return
                    if not batch:  # fetch everything held again, in order
                        chains.clear()
                        for item in pipeline:
                            item.future = submit(item.message)
                    continue
                attempt = 0
                for _ in batch:
                    done = pipeline.popleft()
                    handler = self._handlers.get(done.message.msg_method)
                    key = handler.key(done.message) if handler is not None else None
                    if key is not None and chains.get(key) is done.future:
                        del chains[key]
                    space.release()
                await ws.send(json.dumps({"ack": batch[-1].message.seq}))

        tasks = [
            asyncio.create_task(read(), name="relay-read"),
            asyncio.create_task(apply(), name="relay-apply"),
            asyncio.create_task(self._stop.wait(), name="relay-stop"),
        ]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            for item in pipeline:
                item.future.cancel()
        for task in done:
            failure = None if task.cancelled() else task.exception()
            if failure is not None:
                raise failure

    def _prepare(
        self, message: RelayMessage, previous: concurrent.futures.Future[Prepared] | None
    ) -> Prepared:
        if previous is not None:
            concurrent.futures.wait([previous])
        return prepare(self.gateway, message, self._handlers, self.enterprise_id)

    def _apply(self, batch: list[Prepared]) -> None:
        if self._applier is None:
            self._applier = Applier(self.database, self.enterprise_id, key=self.cursor_key)
        results = self._applier.apply(batch)
        last = batch[-1].message.seq
        self._set_seq(last)
        if self.state is ClientState.DELAYED:  # what was held went through
            self._set_status(ClientState.CONNECTED)
        self._publish(MessagesApplied(tuple(results), last))

    def _close_applier(self) -> None:
        if self._applier is not None:
            self._applier.close()
            self._applier = None


def _describe(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 200 else text[:200] + "…"
