"""``python -m workstation.sandbox.benchmark [--bills N]``: generate a big sandbox in a
temporary directory and page through every bill, 24-hour window by window, 1000 per page —
in-process and through the official SDK over HTTP. Prints the figures."""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from workstation.sandbox.server import SandboxServer
from workstation.sandbox.store import TS_FORMAT
from workstation.sandbox.testing import GenericRequest, port_honouring_transport, sdk_client

BATCH = "alipay.commerce.ec.consume.detail.batchquery"
Fetch = Callable[[dict[str, Any]], dict[str, Any]]


def _walk(sandbox: SandboxServer, fetch: Fetch) -> tuple[int, list[float]]:
    with sandbox.store.tx() as conn:
        first = conn.execute("SELECT MIN(modified) FROM bills").fetchone()[0]
    start = datetime.strptime(first, TS_FORMAT).replace(hour=0, minute=0, second=0)
    stop = sandbox._now() + timedelta(minutes=1)
    seen = 0
    times: list[float] = []
    while start <= stop:
        end = start + timedelta(hours=24) - timedelta(seconds=1)
        page = 1
        while True:
            biz = {
                "enterprise_id": sandbox.config["enterprise_id"],
                "start_date": start.strftime(TS_FORMAT),
                "end_date": end.strftime(TS_FORMAT),
                "page_num": str(page),
                "page_size": "1000",
            }
            began = time.perf_counter()
            items = fetch(biz)["consume_info_list"]
            times.append(time.perf_counter() - began)
            seen += len(items)
            if len(items) < 1000:
                break
            page += 1
        start += timedelta(hours=24)
    return seen, times


def _report(label: str, seen: int, times: list[float]) -> None:
    times = sorted(times)
    print(
        f"{label}: {seen} bills in {len(times)} pages, {sum(times):.1f} s; per page "
        f"median {statistics.median(times) * 1000:.1f} ms, "
        f"p95 {times[int(len(times) * 0.95)] * 1000:.1f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bills", type=int, default=1_000_000)
    parser.add_argument("--employees", type=int, default=500)
    parser.add_argument("--no-sdk", action="store_true", help="skip the (slower) SDK pass")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        began = time.perf_counter()
        sandbox = SandboxServer(Path(tmp), bills=args.bills, employees=args.employees)
        with sandbox:
            print(f"first start with {args.bills} bills: {time.perf_counter() - began:.1f} s")
            seen, times = _walk(sandbox, lambda biz: sandbox.call(BATCH, biz))
            _report("in-process handler", seen, times)
            if not args.no_sdk:
                with port_honouring_transport():
                    client = sdk_client(sandbox.config, timeout=60)

                    def via_sdk(biz: dict[str, Any]) -> dict[str, Any]:
                        result: dict[str, Any] = json.loads(
                            client.execute(GenericRequest(BATCH, biz))
                        )
                        return result

                    seen, times = _walk(sandbox, via_sdk)
                _report("official SDK over HTTP", seen, times)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
