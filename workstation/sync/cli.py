"""``workstation sync``: run a sync once in the foreground with a progress bar and a summary."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TextIO

from workstation.bootstrap import gateway_from_sandbox, gateway_from_settings, open_database
from workstation.sync.events import EventBus, SyncEvent, SyncFailed, SyncFinished, SyncProgress
from workstation.sync.service import ENTITIES, SyncService

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--full", action="store_true", help="full resync / 全量同步")
    parser.add_argument(
        "--entity",
        action="append",
        choices=list(ENTITIES),
        help="only these entities (repeatable) / 仅同步指定实体",
    )
    parser.add_argument("--database-url", help="SQLite or PostgreSQL URL / 数据库地址")
    parser.add_argument(
        "--sandbox-dir", type=Path, help="use a sandbox's sandbox.json / 使用沙箱配置"
    )
    parser.add_argument(
        "--backfill-days", type=int, default=90, help="history on first run / 首次回补天数"
    )


class ProgressPrinter:
    """A one-line progress bar per entity on stderr, then a summary table on stdout."""

    WIDTH = 28

    def __init__(self, out: TextIO = sys.stderr) -> None:
        self.out = out
        self.tty = out.isatty()

    def __call__(self, event: SyncEvent) -> None:
        if isinstance(event, SyncProgress) and event.total:
            filled = int(self.WIDTH * event.done / event.total)
            bar = "#" * filled + "." * (self.WIDTH - filled)
            line = f"{event.entity:<13}[{bar}] {event.done}/{event.total}"
            if self.tty:
                print(f"\r{line}", end="", file=self.out, flush=True)
            elif event.done == event.total:
                print(line, file=self.out)
        elif isinstance(event, SyncFinished | SyncFailed) and self.tty:
            print(file=self.out)


def run(args: argparse.Namespace) -> int:
    database = open_database(args.database_url)
    if args.sandbox_dir:
        gateway, enterprise_id = gateway_from_sandbox(args.sandbox_dir)
    else:
        gateway, enterprise_id = gateway_from_settings()
    bus = EventBus()
    bus.subscribe(ProgressPrinter())
    service = SyncService(
        database, gateway, enterprise_id, bus=bus, backfill_days=args.backfill_days
    )
    started = time.perf_counter()
    try:
        results = service.run_all(args.entity, full=args.full)
    finally:
        gateway.close()
        database.dispose()
    print(f"{'entity':<13}{'inserted':>10}{'updated':>10}{'deleted':>10}{'seconds':>9}  status")
    failed = 0
    for r in results:
        if isinstance(r, SyncFinished):
            print(
                f"{r.entity:<13}{r.inserted:>10}{r.updated:>10}{r.deleted:>10}"
                f"{r.duration_s:>9.2f}  ok"
            )
        else:
            failed += 1
            print(f"{r.entity:<13}{'':>10}{'':>10}{'':>10}{'':>9}  失败 failed: {r.message_en}")
    print(f"total {time.perf_counter() - started:.2f} s")
    return 1 if failed else 0
