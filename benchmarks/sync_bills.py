"""Benchmark: full sync of N bills from a local sandbox into an empty cache.

    python benchmarks/sync_bills.py [--bills 1000000] [--employees 500]

1. Starts a sandbox in its own process (so it does not share the GIL with the sync) with N
   bills, then syncs enterprise, org and institutions (the prelude bills need for lookups).
2. Times the full bills sync end to end (HTTP, RSA2 signing and verification, parsing, writes).
3. Replays exactly the rows that sync wrote, window by window, into two fresh databases with the
   identical schema: once through our write path (SQLAlchemy Core upsert + cursor, one commit per
   window) and once with raw ``sqlite3.executemany`` upserts (same SQL, same pragmas, same
   commits), and prints both rates and their ratio.
4. Adds 1 000 new bills to the sandbox and times the incremental sync that picks them up.

The last line is a machine-readable summary of ``name=value`` pairs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from workstation.alipay.gateway import AlipayGateway, GatewayConfig
from workstation.bills import sync as bill_sync
from workstation.bills.models import Bill
from workstation.db.engine import SQLITE_PRAGMAS, Database
from workstation.sandbox.testing import free_loopback_port
from workstation.sync.context import write_cursor
from workstation.sync.service import SyncService
from workstation.sync.upsert import UpsertCounts, upsert

Batch = list[dict[str, Any]]


def start_sandbox(
    data_dir: Path, bills: int, employees: int
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_loopback_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "workstation.cli",
            "sandbox",
            "--port",
            str(port),
            "--data-dir",
            str(data_dir),
            "--bills",
            str(bills),
            "--employees",
            str(employees),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(
                f"sandbox exited: {proc.stderr.read().decode() if proc.stderr else ''}"
            )
        try:
            with urllib.request.urlopen(f"{base}/control/health", timeout=2) as r:
                if r.status == 200:
                    return proc, base
        except OSError:
            time.sleep(0.25)
    proc.kill()
    raise SystemExit("sandbox did not start in time")


def add_bills(base: str, count: int) -> None:
    request = urllib.request.Request(
        f"{base}/control/simulate",
        data=json.dumps({"bills": count}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=120) as r:
        r.read()


def replay_ours(path: Path, batches: Sequence[Batch]) -> float:
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    total = 0
    started = time.perf_counter()
    for i, rows in enumerate(batches):
        with db.session() as s:
            conn = s.connection()
            upsert(conn, Bill, rows, ["pay_no"], compare_ignore=bill_sync.NOT_COMPARED)
            write_cursor(conn, "bills", f"window-{i}")
            total += len(rows)
    elapsed = time.perf_counter() - started
    db.dispose()
    return total / elapsed


def _sqlite_value(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def replay_raw(path: Path, batches: Sequence[Batch]) -> float:
    db = Database(f"sqlite:///{path}")
    db.upgrade()  # the identical schema, indexes included
    db.dispose()
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in SQLITE_PRAGMAS:
        conn.execute(pragma)
    columns = list(batches[0][0].keys())
    update = [c for c in columns if c != "pay_no"]
    compared = [c for c in update if c not in bill_sync.NOT_COMPARED]
    sql = (
        f"INSERT INTO t_bill ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
        f"ON CONFLICT (pay_no) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in update)} "
        f"WHERE {' OR '.join(f't_bill.{c} IS NOT excluded.{c}' for c in compared)}"
    )
    cursor_sql = (
        "INSERT INTO t_sync_cursor (entity, cursor, updated_at) VALUES ('bills', ?, ?) "
        "ON CONFLICT (entity) DO UPDATE SET cursor = excluded.cursor, "
        "updated_at = excluded.updated_at"
    )
    total = 0
    started = time.perf_counter()
    for i, rows in enumerate(batches):
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(sql, [tuple(_sqlite_value(r[c]) for c in columns) for r in rows])
        conn.execute(cursor_sql, (f"window-{i}", dt.datetime.now().isoformat(sep=" ")))
        conn.execute("COMMIT")
        total += len(rows)
    elapsed = time.perf_counter() - started
    conn.close()
    return total / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bills", type=int, default=200_000)
    parser.add_argument("--employees", type=int, default=500)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        proc, base = start_sandbox(work / "sandbox", args.bills, args.employees)
        sandbox_s = time.perf_counter() - t0
        print(f"sandbox with {args.bills} bills ready in {sandbox_s:.1f} s")
        try:
            config = json.loads((work / "sandbox" / "sandbox.json").read_text(encoding="utf-8"))
            gateway = AlipayGateway(GatewayConfig.from_mapping(config, timeout=120))
            db = Database(f"sqlite:///{work / 'cache.db'}")
            db.upgrade()
            service = SyncService(db, gateway, config["enterprise_id"], backfill_days=91)

            t0 = time.perf_counter()
            service.run_all(["enterprise", "org", "institutions"])
            prelude_s = time.perf_counter() - t0
            print(f"prelude (enterprise, org, institutions): {prelude_s:.2f} s")

            batches: list[Batch] = []
            real_upsert = bill_sync.upsert

            def recording_upsert(
                conn: Any,
                target: Any,
                rows: Sequence[Mapping[str, Any]],
                key: Sequence[str],
                **kw: Any,
            ) -> UpsertCounts:
                batches.append(list(rows))
                return real_upsert(conn, target, rows, key, **kw)

            bill_sync.upsert = recording_upsert  # type: ignore[assignment]
            t0 = time.perf_counter()
            result = service.run("bills")
            full_s = time.perf_counter() - t0
            bill_sync.upsert = real_upsert  # type: ignore[assignment]
            rows = sum(len(b) for b in batches)
            rate = rows / full_s
            print(f"full bills sync: {rows} rows in {full_s:.2f} s = {rate:,.0f} rows/s ({result})")

            batches = [b for b in batches if b]
            ours = replay_ours(work / "ours.db", batches)
            raw = replay_raw(work / "raw.db", batches)
            ratio = ours / raw
            print(f"write step: ours {ours:,.0f} rows/s, raw sqlite3 {raw:,.0f} rows/s")
            print(f"write ratio (ours / raw): {ratio:.2f}")

            add_bills(base, 1000)
            t0 = time.perf_counter()
            incremental = service.run("bills")
            incremental_s = time.perf_counter() - t0
            inserted = getattr(incremental, "inserted", -1)
            print(
                f"incremental sync of 1000 new bills: {incremental_s:.3f} s (inserted {inserted})"
            )
            rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            gateway.close()
            db.dispose()
        finally:
            proc.terminate()
            proc.wait(timeout=30)

    print(
        f"bills={rows} sandbox_s={sandbox_s:.1f} prelude_s={prelude_s:.2f} "
        f"full_sync_s={full_s:.2f} "
        f"full_rows_per_s={rows / full_s:.0f} write_rows_per_s={ours:.0f} "
        f"raw_rows_per_s={raw:.0f} ratio={ratio:.2f} incremental_1000_s={incremental_s:.3f} "
        f"incremental_inserted={inserted} peak_rss_mb={rss_mb:.0f} cpus={os.cpu_count()}"
    )


if __name__ == "__main__":
    main()
