"""Benchmark: Alipay-style notifications → relay → workstation cache.

    python benchmarks/relay.py [--rate 500] [--seconds 10] [--burst 10000] [--clients 100]

Processes (so no two share a GIL): the sandbox gateway, the relay (``python -m
workstation.relay``), a poster that POSTs RSA2-signed notification forms exactly as Alipay (and
the sandbox) sends them, a process of lightweight WebSocket receivers, and this one, which runs
one real :class:`RelayClient` applying every message into a SQLite cache (fsync'd commits).

For 1 and then for ``--clients`` connected clients (the real one plus lightweight receivers
that check they got every message and ack it):

1. **latency** — ``--rate`` messages/s for ``--seconds``; POST sent → committed in the cache
   (inbox row + seq), p50/p99. The messages are ``employee.msgstatistic.notify``, which has no
   handler and needs no gateway call, so this measures relay + client + commit; the receivers
   report relay-accept → frame-received for every client.
2. **throughput** — ``--burst`` messages as fast as the poster can (64 concurrent POSTs):
   accepted POSTs/s at the relay, and how fast the real client applied them.

Before those, the relay alone, with no workstation connected: its own acceptance rate, loaded by
``wrk`` (Debian's package; three 5-second runs of unique pre-signed notifications, best and
median), or by the Python poster where wrk is missing.

Then bill changes at ``--bill-rate``/s for a few seconds through the full path (each one a
``consume.detail.query`` to the sandbox gateway — and a quota query when the enterprise paid —
then the upserts): p50/p99 POST → applied, after a short unmeasured warm-up (the fetch
threads' first gateway calls open connections and the first upserts compile statements).

The last line is a machine-readable summary of ``name=value`` pairs.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

# Run against the checkout this file is in (children too), whatever is installed.
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CHILD_ENV = {
    **os.environ,
    "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
}

NO_HANDLER = "alipay.commerce.ec.employee.msgstatistic.notify"
BILL_CHANGE = "alipay.commerce.ec.consume.change.notify"


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def free_port() -> int:
    from workstation.sandbox.testing import free_loopback_port

    return free_loopback_port()


def wait_http(url: str, proc: subprocess.Popen[bytes], what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{what} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{what} did not start in time")


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.loads(r.read())


# --- the poster (a child process) ---------------------------------------------------------------


def poster_main(args: argparse.Namespace) -> None:
    """Pre-sign ``count`` forms, then POST them at ``rate``/s (0: as fast as possible) and write
    each notify_id's send time and the accepted rate to ``out``."""
    from workstation.sandbox import crypto
    from workstation.sandbox.notify import sign_notification

    key = crypto.load_private_key(Path(args.key).read_text())
    pay_nos = json.loads(Path(args.pay_nos).read_text()) if args.pay_nos else []
    forms = []
    for i in range(args.count):
        biz: dict[str, Any] = {"n": i}
        if args.method == BILL_CHANGE:
            biz = {"pay_no": pay_nos[i % len(pay_nos)], "change_type": "MODIFY"}
        form = {
            "notify_id": uuid.uuid4().hex,
            "msg_method": args.method,
            "biz_content": json.dumps(biz, separators=(",", ":")),
            "utc_timestamp": str(int(time.time() * 1000)),
            "app_id": args.app_id,
            "charset": "utf-8",
            "version": "1.1",
            "sign_type": "RSA2",
        }
        form["sign"] = sign_notification(form, key)
        forms.append(form)
    if args.bodies:  # for wrk: one url-encoded form per line, nothing posted here
        Path(args.bodies).write_text("".join(urllib.parse.urlencode(f) + "\n" for f in forms))
        return
    sent: dict[str, float] = {}
    failures = 0

    # A minimal HTTP/1.1 keep-alive client on asyncio streams: requests are encoded once up
    # front, so the poster spends little of the two cores it shares with the relay and the
    # workstation it measures (aiohttp's client cost several times more per POST).
    target = urllib.parse.urlsplit(args.url)
    host, port = target.hostname or "127.0.0.1", target.port or 80
    head = (
        f"POST {target.path} HTTP/1.1\r\nHost: {target.netloc}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
    )
    requests = []
    for form in forms:
        body = urllib.parse.urlencode(form).encode()
        requests.append(
            (form["notify_id"], f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body)
        )

    async def run() -> float:
        nonlocal failures
        idle: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = asyncio.Queue()
        for _ in range(args.concurrency):
            idle.put_nowait(await asyncio.open_connection(host, port))

        async def exchange(
            conn: tuple[asyncio.StreamReader, asyncio.StreamWriter], request: bytes
        ) -> bool:
            reader, writer = conn
            writer.write(request)
            header = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in header.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            body = await reader.readexactly(length)
            return header.startswith(b"HTTP/1.1 200") and body.strip() == b"success"

        async def post(notify_id: str, request: bytes) -> None:
            nonlocal failures
            conn = await idle.get()
            try:
                sent[notify_id] = time.time()
                while True:
                    try:
                        if await exchange(conn, request):
                            return
                    except (OSError, asyncio.IncompleteReadError):
                        conn[1].close()
                        conn = await asyncio.open_connection(host, port)
                    failures += 1
                    await asyncio.sleep(0.05)
            finally:
                idle.put_nowait(conn)

        tasks = []
        started = time.perf_counter()
        for i, (notify_id, request) in enumerate(requests):
            if args.rate > 0:
                delay = started + i / args.rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
            while idle.empty():  # at most ``concurrency`` POSTs in flight
                await asyncio.sleep(0.001)
            tasks.append(asyncio.create_task(post(notify_id, request)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - started
        while not idle.empty():
            idle.get_nowait()[1].close()
        return elapsed

    elapsed = asyncio.run(run())
    Path(args.out).write_text(
        json.dumps(
            {
                "sent": sent,
                "elapsed": elapsed,
                "accepted_per_s": len(forms) / elapsed,
                "failures": failures,
            }
        )
    )


# --- lightweight receivers (a child process) ----------------------------------------------------


class _Receiver(asyncio.Protocol):
    """A minimal WebSocket client (RFC 6455, text frames, pongs, acks) on a raw asyncio
    protocol: ~100 of them must share two cores with the relay they measure, and a full
    client library spends most of that on per-frame machinery. Records each seq and, for a
    sample, relay-accept → received."""

    def __init__(
        self, path: str, host: str, token: str, delays: dict[int, list[float]], ready: Any
    ) -> None:
        self.path, self.host, self.token = path, host, token
        self.delays = delays
        self.ready = ready
        self.seqs: set[int] = set()
        self.buf = bytearray()
        self.open = False
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        key = base64.b64encode(os.urandom(16)).decode()
        transport.write(
            (
                f"GET {self.path} HTTP/1.1\r\nHost: {self.host}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                f"Sec-WebSocket-Version: 13\r\nAuthorization: Bearer {self.token}\r\n\r\n"
            ).encode()
        )

    def send(self, opcode: int, payload: bytes) -> None:
        # Client frames must be masked; an all-zero mask leaves the payload as it is.
        assert self.transport is not None and len(payload) < 126
        self.transport.write(bytes([0x80 | opcode, 0x80 | len(payload)]) + b"\0\0\0\0" + payload)

    def data_received(self, data: bytes) -> None:
        buf = self.buf
        buf += data
        pos = 0
        if not self.open:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                return
            if not buf.startswith(b"HTTP/1.1 101"):
                raise SystemExit(f"handshake refused: {bytes(buf[:40])!r}")
            self.open = True
            self.ready()
            pos = end + 4
        size = len(buf)
        while size - pos >= 2:
            opcode, length, offset = buf[pos] & 0x0F, buf[pos + 1] & 0x7F, 2
            if length == 126:
                if size - pos < 4:
                    break
                length, offset = int.from_bytes(buf[pos + 2 : pos + 4], "big"), 4
            elif length == 127:
                if size - pos < 10:
                    break
                length, offset = int.from_bytes(buf[pos + 2 : pos + 10], "big"), 10
            if size - pos < offset + length:
                break
            start = pos + offset
            pos = start + length
            if opcode == 0x1:  # {"seq":N,...,"received_at":"…"}
                seq = int(buf[start + 7 : buf.index(b",", start + 7)])
                self.seqs.add(seq)
                if seq % 10 == 0:
                    at = bytes(buf[buf.rindex(b'"received_at":"', start, pos) + 15 : pos - 2])
                    delay = time.time() - datetime.fromisoformat(at.decode()).timestamp()
                    self.delays.setdefault(seq, []).append(delay)
                if seq % 200 == 0:
                    self.send(0x1, json.dumps({"ack": seq}).encode())
            elif opcode == 0x9:
                self.send(0xA, bytes(buf[start:pos]))
        del buf[:pos]


def receivers_main(args: argparse.Namespace) -> None:
    """``count`` WebSocket clients. Reads commands on stdin: ``expect <after> <n>`` → waits until
    every client has seqs after..after+n, then prints one JSON result line; ``quit``."""
    from urllib.parse import urlsplit

    tokens = Path(args.tokens).read_text().split()
    url = urlsplit(args.url)
    host, port = url.hostname or "127.0.0.1", url.port or 80

    async def run() -> None:
        loop = asyncio.get_running_loop()
        delays: dict[int, list[float]] = {}  # seq → relay-accept → received (a sample)
        connected = 0

        def ready() -> None:
            nonlocal connected
            connected += 1

        receivers = []
        for i in range(args.count):
            receiver = _Receiver(
                f"{url.path}?after={args.after}",
                f"{host}:{port}",
                tokens[(i + 1) % len(tokens)],
                delays,
                ready,
            )
            await loop.create_connection(lambda r=receiver: r, host, port)
            receivers.append(receiver)
        while connected < args.count:
            await asyncio.sleep(0.05)
        print("ready", flush=True)
        while True:
            line = (await loop.run_in_executor(None, sys.stdin.readline)).strip()
            if not line or line == "quit":
                break
            _, after, n = line.split()
            first, last = int(after) + 1, int(after) + int(n)
            wanted = set(range(first, last + 1))
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline and not all(
                last in r.seqs and wanted <= r.seqs for r in receivers
            ):
                await asyncio.sleep(0.2)
            complete = sum(1 for r in receivers if wanted <= r.seqs)
            ms = [d * 1000 for seq in wanted for d in delays.pop(seq, [])]
            print(
                json.dumps(
                    {
                        "complete_clients": complete,
                        "clients": args.count,
                        "p50_ms": percentile(ms, 50),
                        "p99_ms": percentile(ms, 99),
                    }
                ),
                flush=True,
            )
        for r in receivers:
            if r.transport is not None:
                r.transport.close()

    asyncio.run(run())


# --- the conductor ------------------------------------------------------------------------------


class Bench:
    def __init__(self, args: argparse.Namespace, base: Path) -> None:
        self.args = args
        self.base = base
        self.procs: list[subprocess.Popen[bytes]] = []
        self.app_id = ""
        self.key_file = Path()
        self.notify_url = ""

    def spawn(self, *argv: str, **kwargs: Any) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen([sys.executable, *argv], env=CHILD_ENV, **kwargs)
        self.procs.append(proc)
        return proc

    def close(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(20)
                except subprocess.TimeoutExpired:
                    proc.kill()

    def post(
        self, method: str, count: int, rate: float, concurrency: int, pay_nos: Path | None = None
    ) -> dict[str, Any]:
        out = self.base / f"post-{uuid.uuid4().hex}.json"
        argv = [
            __file__, "--role", "poster", "--url", self.notify_url, "--key", str(self.key_file),
            "--app-id", self.app_id, "--method", method, "--count", str(count),
            "--rate", str(rate), "--concurrency", str(concurrency), "--out", str(out),
        ]  # fmt: skip
        if pay_nos is not None:
            argv += ["--pay-nos", str(pay_nos)]
        proc = self.spawn(*argv)
        if proc.wait() != 0:
            raise SystemExit("poster failed")
        result: dict[str, Any] = json.loads(out.read_text())
        return result


WRK_SCRIPT = """
local bodies = {}
for line in io.lines(os.getenv("RELAY_BODIES")) do bodies[#bodies + 1] = line end
local i = 0
request = function()
  i = i + 1
  if i > #bodies then i = 1 end
  return wrk.format("POST", nil,
    {["Content-Type"] = "application/x-www-form-urlencoded"}, bodies[i])
end
"""


def wrk_burst(
    bench: Bench, health: str, seconds: float, runs: int = 3, per_run: int = 16_000
) -> dict[str, float] | None:
    """The relay's own acceptance rate, loaded by wrk (a C load generator from Debian's
    ``wrk`` package, so the load itself costs little of the two cores): pre-signed unique
    notifications POSTed for ``seconds`` over 64 connections, ``runs`` times (this VM's
    throughput jitters; the best and the median are reported). ``None`` without wrk."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return None
    bodies, script = bench.base / "bodies.txt", bench.base / "post.lua"
    script.write_text(WRK_SCRIPT)
    argv = [
        __file__, "--role", "poster", "--key", str(bench.key_file), "--app-id", bench.app_id,
        "--method", NO_HANDLER, "--count", str(runs * per_run), "--bodies", str(bodies),
    ]  # fmt: skip
    if bench.spawn(*argv).wait() != 0:
        raise SystemExit("poster failed")
    lines = bodies.read_text().splitlines(keepends=True)
    rates, total = [], 0
    for run in range(runs):
        part = bench.base / f"bodies-{run}.txt"
        part.write_text("".join(lines[run * per_run : (run + 1) * per_run]))
        before = get_json(health)["latest_seq"]
        out = subprocess.run(
            [wrk, "-t1", "-c64", f"-d{seconds:g}s", "-s", str(script), bench.notify_url],
            env={**os.environ, "RELAY_BODIES": str(part)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        stored = get_json(health)["latest_seq"] - before
        match = re.search(r"(\d+) requests in ([\d.]+)s", out)
        if match is None or "Non-2xx" in out:
            raise SystemExit(f"wrk: unexpected result\n{out}")
        requests, elapsed = int(match.group(1)), float(match.group(2))
        if requests > per_run:
            raise SystemExit("wrk sent more than the pre-signed notifications: raise per_run")
        # wrk counts completed requests; one per connection may still be in flight at the end.
        if not requests <= stored <= requests + 64:
            raise SystemExit(f"relay stored {stored} for {requests} accepted notifications")
        rates.append(requests / elapsed)
        total += stored
    return {
        "accepted_per_s": max(rates),
        "median_per_s": statistics.median(rates),
        "requests": total,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--role", default="main", choices=["main", "poster", "receivers"])
    parser.add_argument("--rate", type=float, default=500)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--burst", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--bill-rate", type=float, default=50)
    parser.add_argument("--bill-seconds", type=float, default=4)
    # child roles
    parser.add_argument("--url")
    parser.add_argument("--key")
    parser.add_argument("--app-id")
    parser.add_argument("--method", default=NO_HANDLER)
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--out")
    parser.add_argument("--bodies")
    parser.add_argument("--pay-nos")
    parser.add_argument("--tokens")
    parser.add_argument("--after", type=int, default=0)
    args = parser.parse_args()
    if args.role == "poster":
        poster_main(args)
    elif args.role == "receivers":
        receivers_main(args)
    else:
        with tempfile.TemporaryDirectory(prefix="relay-bench-") as tmp:
            conduct(args, Path(tmp))


def conduct(args: argparse.Namespace, base: Path) -> None:
    from datetime import UTC

    from workstation.alipay.gateway import AlipayGateway, GatewayConfig
    from workstation.db.engine import Database
    from workstation.notifications.client import RelayClient
    from workstation.notifications.events import MessagesApplied, NotificationEvent

    bench = Bench(args, base)
    try:
        sandbox_port, relay_port = free_port(), free_port()
        sandbox_dir = base / "sandbox"
        sandbox = bench.spawn(
            "-m", "workstation.cli", "sandbox", "--port", str(sandbox_port),
            "--data-dir", str(sandbox_dir), "--employees", "30", "--bills", "200",
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_http(f"http://127.0.0.1:{sandbox_port}/control/health", sandbox, "sandbox")
        config = json.loads((sandbox_dir / "sandbox.json").read_text())
        bench.app_id = config["app_id"]
        bench.key_file = sandbox_dir / "alipay_private_key.pem"

        public_key = base / "alipay_public_key.pem"
        public_key.write_text(config["alipay_public_key"])
        tokens = [uuid.uuid4().hex for _ in range(args.clients)]
        tokens_file = base / "tokens.txt"
        tokens_file.write_text("\n".join(tokens) + "\n")
        relay_log = open(base / "relay.log", "wb")  # noqa: SIM115 - closed in finally
        relay = bench.spawn(
            "-m", "workstation.relay", "--port", str(relay_port),
            "--database-url", f"sqlite:///{base / 'relay.db'}", "--app-id", config["app_id"],
            "--alipay-public-key", str(public_key), "--tokens", str(tokens_file),
            "--log-level", "WARNING", stdout=relay_log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        health = f"http://127.0.0.1:{relay_port}/health"
        wait_http(health, relay, "relay")
        bench.notify_url = f"http://127.0.0.1:{relay_port}/alipay/notify"
        ws_url = f"ws://127.0.0.1:{relay_port}/ws"

        db = Database(f"sqlite:///{base / 'cache.db'}")
        db.upgrade()
        gateway = AlipayGateway(GatewayConfig.from_mapping(config))
        applied_at: dict[str, float] = {}
        accepted_at: dict[str, float] = {}  # by the relay
        cond = threading.Condition()

        applied_seq = [0]

        def on_event(event: NotificationEvent) -> None:
            if isinstance(event, MessagesApplied):
                now = time.time()
                with cond:
                    for m in event.messages:
                        applied_seq[0] = max(applied_seq[0], m.seq)
                        applied_at.setdefault(m.notify_id, now)
                        if m.received_at is not None:
                            at = m.received_at.replace(tzinfo=UTC).timestamp()
                            accepted_at.setdefault(m.notify_id, at)
                    cond.notify_all()

        # The relay alone: a burst while no workstation is connected, so the poster and the
        # relay have a core each (with a workstation applying on the same two cores, the three
        # share them; those figures follow). The workstation then catches up from seq 0.
        relay_only = wrk_burst(bench, health, 5)
        if relay_only is not None:
            print(
                f"relay alone (wrk, 64 connections, 3 × 5 s): {relay_only['requests']:,} stored, "
                f"best {relay_only['accepted_per_s']:,.0f} accepted/s, "
                f"median {relay_only['median_per_s']:,.0f}",
                flush=True,
            )
        else:  # no wrk: the Python poster, which shares the two cores with the relay
            relay_only = bench.post(NO_HANDLER, args.burst, 0, concurrency=64)
            print(
                f"relay alone (Python poster): burst of {args.burst}: "
                f"{relay_only['accepted_per_s']:,.0f} accepted/s",
                flush=True,
            )
        caught_up = get_json(health)["latest_seq"]  # the workstation starts from seq 0

        client = RelayClient(db, gateway, ws_url, tokens[0], on_event=on_event)
        client.start()

        def wait_applied(ids: list[str], timeout: float = 300) -> float:
            deadline = time.monotonic() + timeout
            with cond:
                while not all(i in applied_at for i in ids):
                    if time.monotonic() > deadline:
                        raise SystemExit("the workstation did not apply every message in time")
                    cond.wait(0.5)
                return max(applied_at[i] for i in ids)

        with cond:
            while applied_seq[0] < caught_up:
                cond.wait(0.5)

        def latency_run(method: str, rate: float, seconds: float, **kw: Any) -> dict[str, float]:
            count = int(rate * seconds)
            result = bench.post(method, count, rate, concurrency=64, **kw)
            sent = result["sent"]
            wait_applied(list(sent))
            ms = [(applied_at[i] - t) * 1000 for i, t in sent.items()]
            relay_ms = [(applied_at[i] - accepted_at[i]) * 1000 for i in sent if i in accepted_at]
            return {
                "p50": percentile(ms, 50),
                "p99": percentile(ms, 99),
                "relay_p50": percentile(relay_ms, 50),
                "relay_p99": percentile(relay_ms, 99),
                "n": count,
            }

        def burst_run() -> dict[str, float]:
            result = bench.post(NO_HANDLER, args.burst, 0, concurrency=64)
            sent = result["sent"]
            last = wait_applied(list(sent))
            first = min(sent.values())
            return {
                "accepted": result["accepted_per_s"],
                "applied": args.burst / (last - first),
            }

        figures: dict[str, float] = {}
        results: dict[int, tuple[dict[str, float], dict[str, float], dict[str, Any] | None]] = {}
        receivers = None
        for clients in (1, args.clients):
            fanout: dict[str, Any] | None = None
            if clients > 1:
                latest = get_json(health)["latest_seq"]
                receivers = bench.spawn(
                    __file__, "--role", "receivers", "--url", ws_url, "--tokens",
                    str(tokens_file), "--count", str(clients - 1), "--after", str(latest),
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                )  # fmt: skip
                assert receivers.stdin is not None and receivers.stdout is not None
                if receivers.stdout.readline().strip() != b"ready":
                    raise SystemExit("receivers did not connect")
            latest = get_json(health)["latest_seq"]
            lat = latency_run(NO_HANDLER, args.rate, args.seconds)
            if receivers is not None and clients > 1:
                assert receivers.stdin is not None and receivers.stdout is not None
                receivers.stdin.write(f"expect {latest} {int(lat['n'])}\n".encode())
                receivers.stdin.flush()
                fanout = json.loads(receivers.stdout.readline())
            latest = get_json(health)["latest_seq"]
            burst = burst_run()
            if receivers is not None and clients > 1:
                assert receivers.stdin is not None and receivers.stdout is not None
                receivers.stdin.write(f"expect {latest} {args.burst}\n".encode())
                receivers.stdin.flush()
                burst_fanout = json.loads(receivers.stdout.readline())
                assert fanout is not None
                fanout["burst_complete_clients"] = burst_fanout["complete_clients"]
            results[clients] = (lat, burst, fanout)
            print(
                f"{clients:>3} client(s): POST→applied at {args.rate:.0f}/s "
                f"p50 {lat['p50']:.1f} ms, p99 {lat['p99']:.1f} ms "
                f"(relay accepted→applied p50 {lat['relay_p50']:.1f}, p99 {lat['relay_p99']:.1f}); "
                f"burst of {args.burst}: {burst['accepted']:,.0f} accepted/s, "
                f"{burst['applied']:,.0f} applied/s",
                flush=True,
            )
            if fanout is not None:
                print(
                    f"    {fanout['clients']} receivers: relay→client "
                    f"p50 {fanout['p50_ms']:.1f} ms, p99 {fanout['p99_ms']:.1f} ms; "
                    "got every message: "
                    f"{fanout['complete_clients']}/{fanout['clients']} (latency run), "
                    f"{fanout['burst_complete_clients']}/{fanout['clients']} (burst)",
                    flush=True,
                )
        if receivers is not None and receivers.stdin is not None:
            receivers.stdin.write(b"quit\n")
            receivers.stdin.flush()
            receivers.wait(30)

        # The full path: bill changes, each fetched from the gateway, then upserted.
        request = urllib.request.Request(
            f"http://127.0.0.1:{sandbox_port}/control/simulate",
            data=json.dumps({"bills": int(args.bill_rate * args.bill_seconds) + 30}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=120) as r:
            pay_nos = json.loads(r.read())["bills"]
        warm_file, pay_file = base / "warm_pay_nos.json", base / "pay_nos.json"
        warm_file.write_text(json.dumps(pay_nos[:30]))
        pay_file.write_text(json.dumps(pay_nos[30:]))  # each measured bill changes once
        # Warm-up, not measured: each fetch thread's first gateway call opens its connection
        # and the first bill upserts compile their statements (~100 ms once).
        latency_run(BILL_CHANGE, args.bill_rate, 0.5, pay_nos=warm_file)
        bills = latency_run(BILL_CHANGE, args.bill_rate, args.bill_seconds, pay_nos=pay_file)
        print(
            f"bill changes at {args.bill_rate:.0f}/s (gateway fetch + upsert, after a warm-up): "
            f"p50 {bills['p50']:.1f} ms, p99 {bills['p99']:.1f} ms",
            flush=True,
        )
        client.stop()
        gateway.close()
        db.dispose()

        one, many = results[1], results[args.clients]
        fan = many[2] or {}
        figures = {
            "rate": args.rate,
            "relay_only_accepted_per_s": relay_only["accepted_per_s"],
            "relay_only_median_per_s": relay_only.get("median_per_s", relay_only["accepted_per_s"]),
            "c1_p50_ms": one[0]["p50"],
            "c1_p99_ms": one[0]["p99"],
            "c1_accepted_per_s": one[1]["accepted"],
            "c1_applied_per_s": one[1]["applied"],
            f"c{args.clients}_p50_ms": many[0]["p50"],
            f"c{args.clients}_p99_ms": many[0]["p99"],
            f"c{args.clients}_accepted_per_s": many[1]["accepted"],
            f"c{args.clients}_applied_per_s": many[1]["applied"],
            f"c{args.clients}_fanout_p99_ms": fan.get("p99_ms", float("nan")),
            f"c{args.clients}_all_received": int(
                fan.get("complete_clients") == fan.get("clients")
                and fan.get("burst_complete_clients") == fan.get("clients")
            ),
            "bill_p50_ms": bills["p50"],
            "bill_p99_ms": bills["p99"],
            "cpus": os.cpu_count() or 0,
        }
        print(
            " ".join(
                f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in figures.items()
            )
        )
    finally:
        bench.close()
        if "relay_log" in locals():
            relay_log.close()


if __name__ == "__main__":
    main()
