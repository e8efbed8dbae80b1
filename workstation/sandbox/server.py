"""A faithful local Alipay gateway (classic ``gateway.do`` protocol) on loopback.

The unmodified official SDK talks to it (with a transport that honours the port, see
:mod:`workstation.sandbox.testing`). What it does, per alipay-api.md sections 1–3:

- ``POST /gateway.do`` (``GET`` too): public parameters from the query string, ``biz_content``
  and the rest from the form body (urlencoded or multipart; files are not signed). An
  absolute-form request target (``POST http://127.0.0.1/gateway.do?… HTTP/1.1``) is accepted.
- Request signature: merge query and body, drop ``sign``, drop empty values, sort, ``k=v&…``,
  SHA256withRSA with the app public key (the Python SDK's keep-empty variant is accepted too).
  ``sign_type`` must be ``RSA2``; ``timestamp`` within ±15 minutes of Beijing time (or of
  the machine's local time, which is what the Python SDK sends); ``version`` ``1.0``.
- Every answer is HTTP 200 ``{"<method_with_underscores>_response":<inner>,"sign":"…"}`` with
  the signature over the exact inner bytes (sandbox "Alipay" private key) — errors included.
  Unknown or missing ``method`` answers under ``error_response``.
- ``GET /download/statement?token=…``: statement CSVs from ``balance.downloadurl.query``
  (links live 3 minutes).
- ``GET /h5/employee-sign?token=…``: the employee sign link; opening it activates them.
- ``GET /control/health``, ``GET|POST /control/faults`` (see :mod:`.faults`),
  ``POST /control/simulate`` (one simulator step, JSON answer).

Clock: every time the sandbox stores or answers (``gmt_*``, bill times, the batchquery window,
"today" for statements) is Beijing time, naive ``yyyy-MM-dd HH:mm:ss``, whatever the machine's
time zone — as on the real gateway. Tests compare with :func:`.store.beijing_now`.

State lives in ``DIR/sandbox.db``; ``DIR/sandbox.json`` holds what a client needs; the
sandbox's Alipay private key is ``DIR/alipay_private_key.pem`` (0600). Demo data (seed,
employees, bills) is generated on the first start only; later starts reuse everything and
rewrite ``gateway_url`` with the current port.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import random
import secrets
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

from workstation import money
from workstation.keys import generate_key_pair
from workstation.sandbox import crypto, demo, ids
from workstation.sandbox.errors import GatewayError
from workstation.sandbox.faults import FaultKind, FaultPlan, Faults, FaultsError
from workstation.sandbox.methods import METHODS, Context
from workstation.sandbox.methods.bills import statement_csv
from workstation.sandbox.methods.org import activate_employee
from workstation.sandbox.notify import Notifier
from workstation.sandbox.spending import (
    NewBill,
    activate_pending,
    create_bill,
    refund_bill,
)
from workstation.sandbox.store import TS_FORMAT, Store, beijing_now, fmt_ts

__all__ = ["SandboxServer", "SimEvent"]

log = logging.getLogger(__name__)

CONFIG_KEYS = (
    "app_id",
    "enterprise_id",
    "gateway_url",
    "app_private_key",
    "app_public_key",
    "alipay_public_key",
)
TIMESTAMP_TOLERANCE = timedelta(minutes=15)
DOWNLOAD_TTL = 180.0
# Parameters the SDK sends in the URL; anything else outside biz_content is a business field.
COMMON_PARAMS = frozenset(
    ("app_id", "method", "format", "charset", "sign_type", "sign", "encrypt_type", "timestamp",
     "version", "notify_url", "return_url", "auth_token", "app_auth_token", "biz_content",
     "app_cert_sn", "alipay_root_cert_sn")
)  # fmt: skip


@dataclass(frozen=True)
class SimEvent:
    """What one simulator step did: ``bill``, ``refund``, ``activation`` or ``none``."""

    kind: str
    pay_no: str | None = None
    employee_id: str | None = None
    related_pay_no: str | None = None


class _HTTPServer(ThreadingHTTPServer):
    # Non-daemon handler threads, joined by server_close(), so stop() leaves nothing running.
    daemon_threads = False
    sandbox: SandboxServer

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_client_connections(self) -> None:
        """End kept-alive connections, so their handler threads stop waiting for a next request
        (up to ``_Handler.timeout``) and ``server_close`` can join them at once."""
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    timeout = 30  # an idle client cannot hold a handler thread forever
    server_version = "AlipaySandbox/1.0"
    # HTTP/1.1 so clients can keep connections alive, as Alipay's gateway allows; every answer
    # carries Content-Length. Headers and body are separate writes: without TCP_NODELAY, Nagle
    # and the client's delayed ACK would add ~40 ms to every answer on a kept-alive connection.
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s - %s", self.address_string(), format % args)

    def do_POST(self) -> None:
        self.server.sandbox._handle(self, "POST")

    def do_GET(self) -> None:
        self.server.sandbox._handle(self, "GET")


class _Downloads:
    """Short-lived statement links (in memory: a link does not survive a restart, nor would
    Alipay's after 3 minutes)."""

    def __init__(self, owner: SandboxServer) -> None:
        self._owner = owner
        self._lock = threading.Lock()
        self._links: dict[str, tuple[str, str, float]] = {}

    def issue(self, bill_type: str, bill_date: str) -> str:
        token = secrets.token_hex(16)
        with self._lock:
            now = time.monotonic()
            self._links = {k: v for k, v in self._links.items() if v[2] > now}
            self._links[token] = (bill_type, bill_date, now + self._owner.download_ttl)
        return f"{self._owner.base_url}/download/statement?token={token}"

    def resolve(self, token: str) -> tuple[str, str] | None:
        with self._lock:
            link = self._links.get(token)
        if link is None or link[2] <= time.monotonic():
            return None
        return link[0], link[1]


class SandboxServer:
    """The sandbox gateway. ``start()`` serves from background threads; ``stop()`` ends them.

    ``demo_anchor`` fixes the "now" the demo data is generated around (tests of determinism);
    by default it is the moment of the first start.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        port: int = 0,
        host: str = "127.0.0.1",
        seed: int = 1,
        employees: int = 500,
        bills: int = 50_000,
        notify_url: str | None = None,
        simulate: bool = False,
        simulate_rate: float = 1.0,
        retry_schedule: Sequence[float] | None = None,
        demo_anchor: datetime | None = None,
    ) -> None:
        if simulate_rate <= 0:
            raise ValueError("simulate_rate must be positive")
        self.data_dir = Path(data_dir)
        self._requested_port = port
        self.host = host
        self.seed = seed
        self.employees = employees
        self.bills = bills
        self.notify_url = notify_url
        self.simulate = simulate
        self.simulate_rate = simulate_rate
        self.retry_schedule = retry_schedule
        self.demo_anchor = demo_anchor
        self.download_ttl = DOWNLOAD_TTL
        self.faults = Faults()
        self._config: dict[str, str] = {}
        self._store: Store | None = None
        self._notifier: Notifier | None = None
        self._httpd: _HTTPServer | None = None
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self._downloads = _Downloads(self)
        self._rng = random.Random(seed + 1)
        self._rng_lock = threading.Lock()
        self._app_public: Any = None
        self._alipay_private: Any = None

    # --- lifecycle ------------------------------------------------------------------------

    @property
    def config_path(self) -> Path:
        return self.data_dir / "sandbox.json"

    @property
    def db_path(self) -> Path:
        return self.data_dir / "sandbox.db"

    @property
    def key_path(self) -> Path:
        return self.data_dir / "alipay_private_key.pem"

    def start(self) -> SandboxServer:
        if self._httpd is not None:
            return self
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if not self.db_path.exists():
            self._initialise()
        store = Store(self.db_path)
        try:
            self._load_keys(store)
            httpd = _HTTPServer((self.host, self._requested_port), _Handler)
        except BaseException:
            store.close()
            raise
        httpd.sandbox = self
        self._store = store
        self._httpd = httpd
        self._write_config()
        self._notifier = Notifier(
            store,
            app_id=self._config["app_id"],
            alipay_key=self._alipay_private,
            notify_url=self.notify_url,
            retry_schedule=self.retry_schedule,
        )
        self._stopping.clear()
        # Daemon threads, so a process that forgets stop() can still exit; stop() joins them.
        serve = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="sandbox-http",
            daemon=True,
        )
        serve.start()
        self._threads = [serve]
        self._notifier.start()
        if self.simulate:
            sim = threading.Thread(
                target=self._simulate_loop, name="sandbox-simulator", daemon=True
            )
            sim.start()
            self._threads.append(sim)
        log.info("Alipay sandbox gateway at %s (config %s)", self.url, self.config_path)
        return self

    def set_notify_url(self, url: str | None) -> None:
        """Point Alipay's notifications somewhere else from now on (the demo's relay starts
        after the sandbox, because it needs the sandbox's Alipay public key)."""
        self.notify_url = url
        if self._notifier is not None:
            self._notifier.notify_url = url

    def stop(self) -> None:
        self._stopping.set()
        httpd, self._httpd = self._httpd, None
        for thread in self._threads[1:]:
            thread.join()
        if httpd is not None:
            httpd.shutdown()
            httpd.close_client_connections()
            httpd.server_close()
        if self._threads:
            self._threads[0].join()
        self._threads = []
        if self._notifier is not None:
            self._notifier.stop()
            self._notifier = None
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- public properties ------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("sandbox is not running")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """The gateway URL, ``http://127.0.0.1:<port>/gateway.do``."""
        return f"{self.base_url}/gateway.do"

    @property
    def config(self) -> dict[str, str]:
        """The sandbox.json dict: app_id, enterprise_id, gateway_url and the three keys."""
        return dict(self._config)

    @property
    def store(self) -> Store:
        if self._store is None:
            raise RuntimeError("sandbox is not running")
        return self._store

    @property
    def notifier(self) -> Notifier:
        if self._notifier is None:
            raise RuntimeError("sandbox is not running")
        return self._notifier

    # --- first start --------------------------------------------------------------------

    def _initialise(self) -> None:
        """Keys + demo data into a temporary database, renamed into place when complete, so
        an interrupted first start leaves nothing half-made behind."""
        tmp = self.data_dir / "sandbox.db.tmp"
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)
        app_keys = generate_key_pair()
        alipay_keys = generate_key_pair()
        anchor = (self.demo_anchor or beijing_now()).replace(microsecond=0)
        enterprise_id = ids.enterprise_id_for_seed(self.seed)
        store = Store(tmp, bulk=True)
        try:
            with store.tx() as conn:
                meta = {
                    "app_id": ids.app_id_for_seed(self.seed),
                    "enterprise_id": enterprise_id,
                    "app_private_key": app_keys.private_pkcs1_pem,
                    "app_public_key": app_keys.public_spki_pem,
                    "alipay_public_key": alipay_keys.public_spki_pem,
                    "seed": str(self.seed),
                    "demo_anchor": fmt_ts(anchor),
                }
                conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", meta.items())
                summary = demo.generate(
                    conn,
                    seed=self.seed,
                    employees=self.employees,
                    bills=self.bills,
                    anchor=anchor,
                    enterprise_id=enterprise_id,
                )
            store.create_bill_indexes()
        finally:
            store.close()
        _write_private(self.key_path, alipay_keys.private_pkcs1_pem)
        os.replace(tmp, self.db_path)
        log.info("sandbox demo data: %s", summary)

    def _load_keys(self, store: Store) -> None:
        with store.tx() as conn:
            meta = {str(r[0]): str(r[1]) for r in conn.execute("SELECT key, value FROM meta")}
        if not self.key_path.exists():
            # The database survived but the key file did not: issue a new Alipay key pair;
            # clients pick up the new public key from sandbox.json.
            log.warning("%s missing: generating a new sandbox Alipay key pair", self.key_path)
            pair = generate_key_pair()
            _write_private(self.key_path, pair.private_pkcs1_pem)
            store.set_meta("alipay_public_key", pair.public_spki_pem)
            meta["alipay_public_key"] = pair.public_spki_pem
        self._alipay_private = crypto.load_private_key(self.key_path.read_text())
        self._app_public = crypto.load_public_key(meta["app_public_key"])
        self._config = {k: meta.get(k, "") for k in CONFIG_KEYS}

    def _write_config(self) -> None:
        self._config["gateway_url"] = self.url
        text = json.dumps({k: self._config[k] for k in CONFIG_KEYS}, ensure_ascii=False, indent=2)
        _write_private(self.config_path, text + "\n")

    # --- operations for tests, the CLI and the simulator ----------------------------------

    @contextmanager
    def _context(self) -> Iterator[Context]:
        notifier = self.notifier
        with self.store.tx() as conn:

            def emit(msg_method: str, biz: dict[str, Any]) -> None:
                notifier.enqueue(conn, msg_method, biz)

            yield Context(
                conn=conn,
                now=self._now(),
                base_url=self.base_url,
                app_id=self._config["app_id"],
                enterprise_id=self._config["enterprise_id"],
                emit=emit,
                downloads=self._downloads,
            )
        notifier.wake()

    def call(self, method: str, biz: dict[str, Any]) -> dict[str, Any]:
        """Run a method in-process (no HTTP, no signatures); returns the inner response."""
        return self._invoke(method, biz)

    def emit_bill(
        self,
        *,
        employee_id: str | None = None,
        amount: str | int | None = None,
        merchant: str | int | None = None,
        kind: str | None = None,
        memo: str | None = None,
        personal: bool = False,
    ) -> NewBill:
        """Create one bill now (and its ``consume.change.notify``). ``amount`` is in yuan
        (``"23.50"``) or, as an int, in fen; ``merchant`` a name, merchant id or index."""
        fen: int | None
        if amount is None or isinstance(amount, int):
            fen = amount
        else:
            fen = money.to_fen(money.parse(amount))
        with self._context() as ctx, self._rng_lock:
            return create_bill(
                ctx,
                self._rng,
                employee_id=employee_id,
                amount_fen=fen,
                merchant=merchant,
                kind=kind,
                memo=memo,
                personal=personal,
            )

    def refund_bill(
        self, pay_no: str | None = None, amount_fen: int | None = None
    ) -> NewBill | None:
        with self._context() as ctx, self._rng_lock:
            return refund_bill(ctx, self._rng, pay_no=pay_no, amount_fen=amount_fen)

    def activate_employee(self, employee_id: str) -> bool:
        with self._context() as ctx:
            return activate_employee(ctx, employee_id)

    def simulate_once(self) -> SimEvent:
        """One step of the spending simulator: usually a bill, sometimes a refund or an
        employee activation. Does nothing while the enterprise is unsigned or deleted."""
        with self._context() as ctx, self._rng_lock:
            ent = ctx.conn.execute("SELECT status, sign_status FROM enterprise").fetchone()
            if ent is None or ent[0] != "NORMAL" or ent[1] != "SIGNED":
                return SimEvent("none")
            roll = self._rng.random()
            if roll < 0.04:
                employee = activate_pending(ctx, self._rng)
                if employee is not None:
                    return SimEvent("activation", employee_id=employee)
            elif roll < 0.12:
                refund = refund_bill(ctx, self._rng)
                if refund is not None:
                    return SimEvent(
                        "refund",
                        pay_no=refund.pay_no,
                        employee_id=refund.employee_id,
                        related_pay_no=refund.related_pay_no,
                    )
            try:
                bill = create_bill(ctx, self._rng)
            except GatewayError:  # nobody is active yet
                return SimEvent("none")
            return SimEvent("bill", pay_no=bill.pay_no, employee_id=bill.employee_id)

    def _simulate_loop(self) -> None:
        interval = 1.0 / self.simulate_rate
        while not self._stopping.wait(interval):
            try:
                self.simulate_once()
            except Exception:  # a failed step must not end the simulation
                log.exception("simulator step failed")

    def _control_simulate(self, handler: _Handler, body: bytes) -> None:
        """``POST /control/simulate``: one simulator step, or ``{"bills": N}`` new bills at
        once (for benchmarks and demos)."""
        try:
            request = json.loads(body or b"{}")
            count = request.get("bills") if isinstance(request, dict) else None
            if count is not None and (
                isinstance(count, bool) or not isinstance(count, int) or not 0 < count <= 100_000
            ):
                raise ValueError("bills must be an integer from 1 to 100000")
        except ValueError as exc:
            _send(handler, 400, json.dumps({"error": str(exc)}).encode(), "application/json")
            return
        if count is None:
            answer: dict[str, Any] = self.simulate_once().__dict__
        else:
            answer = {"bills": [self.emit_bill().pay_no for _ in range(count)]}
        _send(handler, 200, json.dumps(answer).encode(), "application/json")

    def _now(self) -> datetime:
        return beijing_now()

    # --- HTTP -------------------------------------------------------------------------------

    def _handle(self, handler: _Handler, verb: str) -> None:
        parts = urlsplit(handler.path)
        path = parts.path
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length > 0 else b""
        try:
            if path == "/gateway.do":
                self._gateway(handler, parts.query, body)
            elif path == "/control/health" and verb == "GET":
                _send(handler, 200, json.dumps(self.health()).encode(), "application/json")
            elif path == "/control/faults":
                self._control_faults(handler, verb, body)
            elif path == "/control/simulate" and verb == "POST":
                self._control_simulate(handler, body)
            elif path == "/download/statement" and verb == "GET":
                self._download(handler, parts.query)
            elif path.startswith("/h5/") and verb == "GET":
                self._h5(handler, path, parts.query)
            else:
                _send(handler, 404, b"not found", "text/plain")
        except (BrokenPipeError, ConnectionResetError):
            log.debug("client went away")

    def _gateway(self, handler: _Handler, query: str, body: bytes) -> None:
        params = _parse_params(query, body, handler.headers.get("Content-Type", ""))
        method = params.get("method", "").strip() or None
        plan = self.faults.take(method)
        if plan.latency:
            self._stopping.wait(plan.latency)
        if plan.kind is FaultKind.TIMEOUT:
            self._stopping.wait(plan.timeout_seconds)
            if plan.drop:
                handler.close_connection = True
                return  # no answer: the client sees the connection close
        if plan.kind is FaultKind.HTTP_500:
            _send(handler, 500, b"Internal Server Error", "text/plain")
            return
        key, inner = self._process(params, plan)
        text = json.dumps(inner, ensure_ascii=False, separators=(",", ":"))
        sign = crypto.sign_rsa2(self._alipay_private, text.encode("utf-8"))
        if plan.kind is FaultKind.BAD_SIGNATURE:
            sign = _tamper(sign)
        payload = '{"' + key + '":' + text + ',"sign":"' + sign + '"}'
        _send(handler, 200, payload.encode("utf-8"), "application/json;charset=utf-8")

    def _process(self, params: dict[str, str], plan: FaultPlan) -> tuple[str, dict[str, Any]]:
        """Check the request like Alipay's gateway, then run the method (unless a fault
        answers instead: injected errors come after validation, before any change)."""
        method = params.get("method", "").strip()
        key = f"{method.replace('.', '_')}_response" if method in METHODS else "error_response"

        def fail(sub_code: str, detail: str | None = None) -> tuple[str, dict[str, Any]]:
            return key, GatewayError(sub_code, detail).body()

        if not params.get("app_id"):
            return fail("isv.missing-app-id")
        if not method:
            return fail("isv.missing-method")
        if method not in METHODS:
            return fail("isv.invalid-method", method)
        if params["app_id"] != self._config["app_id"]:
            return fail("isv.invalid-app-id", params["app_id"])
        if not params.get("sign_type"):
            return fail("isv.missing-signature-type")
        if params["sign_type"] != "RSA2":
            return fail("isv.invalid-signature-type", f"{params['sign_type']}，沙箱只支持RSA2")
        if not params.get("sign"):
            return fail("isv.missing-signature")
        if not params.get("timestamp"):
            return fail("isv.missing-timestamp")
        try:
            stamp = datetime.strptime(params["timestamp"], TS_FORMAT)
        except ValueError:
            return fail("isv.invalid-timestamp", params["timestamp"])
        # Alipay checks Beijing time; the Python SDK stamps the machine's local time. Accept
        # either, so the sandbox also works on machines outside UTC+8 (CI runs in UTC).
        local_now = datetime.now()
        if min(abs(self._now() - stamp), abs(local_now - stamp)) > TIMESTAMP_TOLERANCE:
            return fail("isv.invalid-timestamp", f"{params['timestamp']} 与网关时间相差超过15分钟")
        if not params.get("version"):
            return fail("isv.missing-version")
        if params["version"] != "1.0":
            return fail("isv.invalid-version", params["version"])
        if params.get("charset", "utf-8").lower() not in ("utf-8", "utf8"):
            return fail("isv.invalid-charset", params["charset"])
        if params.get("format", "json").lower() != "json":
            return fail("isv.invalid-format", params["format"])
        content = crypto.sign_content(params)
        if not any(
            crypto.verify(self._app_public, text.encode("utf-8"), params["sign"])
            for text in (content, crypto.sign_content(params, drop_empty=False))
        ):
            return fail("isv.invalid-signature", f"网关生成的验签字符串为：{content}")
        if params.get("encrypt_type"):
            return fail("isv.invalid-encrypt")
        biz: dict[str, Any] = {}
        if params.get("biz_content"):
            try:
                parsed = json.loads(params["biz_content"])
            except ValueError:
                return fail("isv.invalid-parameter", "biz_content 不是合法的JSON")
            if not isinstance(parsed, dict):
                return fail("isv.invalid-parameter", "biz_content 必须是JSON对象")
            biz = parsed
        for name, value in params.items():
            if name not in COMMON_PARAMS and name not in biz:
                biz[name] = value
        if plan.kind is FaultKind.SYSTEM_ERROR:
            return fail("isp.unknow-error")
        if plan.kind is FaultKind.BUSINESS_ERROR:
            return key, {
                "code": "40004",
                "msg": "Business Failed",
                "sub_code": plan.sub_code,
                "sub_msg": plan.sub_msg,
            }
        return key, self._invoke(method, biz)

    def _invoke(self, method: str, biz: dict[str, Any]) -> dict[str, Any]:
        spec = METHODS.get(method)
        if spec is None:
            return GatewayError("isv.invalid-method", method).body()
        try:
            with self._context() as ctx:
                result = spec(ctx, biz)
        except GatewayError as exc:
            return exc.body()
        except Exception:
            log.exception("sandbox handler %s failed", method)
            return GatewayError("isp.unknow-error").body()
        undeclared = set(result) - spec.response_fields
        if undeclared:  # a sandbox bug: the contract test would miss this field
            log.error("%s answered undeclared fields %s", method, sorted(undeclared))
            return GatewayError("isp.unknow-error", f"undeclared {sorted(undeclared)}").body()
        return {"code": "10000", "msg": "Success", **result}

    def _control_faults(self, handler: _Handler, verb: str, body: bytes) -> None:
        if verb == "POST":
            try:
                values = json.loads(body or b"{}")
                if not isinstance(values, dict):
                    raise FaultsError("body must be a JSON object")
                if values.pop("reset", False):
                    self.faults.reset()
                self.faults.update(**values)
            except (ValueError, FaultsError) as exc:
                _send(handler, 400, json.dumps({"error": str(exc)}).encode(), "application/json")
                return
        _send(handler, 200, json.dumps(self.faults.snapshot()).encode(), "application/json")

    def health(self) -> dict[str, Any]:
        with self.store.tx() as conn:
            bills = conn.execute("SELECT MAX(id) FROM bills").fetchone()[0] or 0
            employees = conn.execute("SELECT COUNT(*) FROM employees").fetchone()[0]
        return {
            "status": "ok",
            "gateway_url": self.url,
            "app_id": self._config["app_id"],
            "enterprise_id": self._config["enterprise_id"],
            "employees": employees,
            "max_bill_id": bills,
            "notifications": self.notifier.counts(),
            "simulate": self.simulate,
            "faults": self.faults.snapshot(),
        }

    def _download(self, handler: _Handler, query: str) -> None:
        token = (parse_qs(query).get("token") or [""])[0]
        link = self._downloads.resolve(token)
        if link is None:
            _send(
                handler,
                403,
                "链接不存在或已过期 / link expired".encode(),
                "text/plain;charset=utf-8",
            )
            return
        bill_type, bill_date = link
        name = f"statement_{bill_type}_{bill_date}.csv"
        # A month of a big sandbox takes seconds to export: read through a separate
        # read-only connection (WAL) instead of holding the gateway's lock that long.
        conn = sqlite3.connect(f"{self.db_path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            conn.row_factory = sqlite3.Row
            data = statement_csv(conn, bill_type, bill_date)
        finally:
            conn.close()
        _send(
            handler,
            200,
            data,
            "text/csv;charset=utf-8",
            {"Content-Disposition": f'attachment; filename="{name}"'},
        )

    def _h5(self, handler: _Handler, path: str, query: str) -> None:
        args = {k: v[0] for k, v in parse_qs(query).items()}
        if path == "/h5/employee-sign":
            with self.store.tx() as conn:
                row = conn.execute(
                    "SELECT employee_id, employee_name FROM employees WHERE sign_token = ?",
                    (args.get("token", ""),),
                ).fetchone()
            if row is None:
                _send(handler, 404, _page("签约链接无效", "找不到这个签约链接。"), "text/html")
                return
            self.activate_employee(str(row[0]))
            text = f"{row[1]}（{row[0]}）已签约企业码因公付，员工已激活。"
            _send(handler, 200, _page("签约成功", text), "text/html;charset=utf-8")
            return
        _send(
            handler,
            200,
            _page("支付宝企业码沙箱", f"沙箱页面 {path}：真实环境中这里是支付宝的签约/注册页面。"),
            "text/html;charset=utf-8",
        )


def _parse_params(query: str, body: bytes, content_type: str) -> dict[str, str]:
    """Query-string and form-body parameters, URL-decoded (UTF-8). Files are left out."""
    params: dict[str, str] = {}
    if content_type.lower().startswith("multipart/form-data"):
        message = BytesParser(policy=policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
        )
        if message.is_multipart():
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                if not isinstance(name, str) or part.get_filename():
                    continue
                payload = part.get_payload(decode=True)
                if isinstance(payload, bytes):
                    params[name] = payload.decode("utf-8", errors="replace")
    elif body:
        params.update(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))
    params.update(parse_qsl(query, keep_blank_values=True))
    return params


def _tamper(sign: str) -> str:
    """Change one Base64 character: still decodes, no longer verifies."""
    i = len(sign) // 2
    return sign[:i] + ("A" if sign[i] != "A" else "B") + sign[i + 1 :]


def _send(
    handler: _Handler,
    status: int,
    body: bytes,
    content_type: str,
    extra: dict[str, str] | None = None,
) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in (extra or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


def _page(title: str, text: str) -> bytes:
    return (
        f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>{title}</title>'
        f"<body><h1>{title}</h1><p>{text}</p></body></html>"
    ).encode()


def _write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read (keys), atomically."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
