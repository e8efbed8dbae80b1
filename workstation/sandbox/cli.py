"""``workstation sandbox``: run the Alipay sandbox gateway until Ctrl+C / SIGTERM.

The lead wires :func:`add_arguments` and :func:`run` into the main CLI; ``python -m
workstation.sandbox`` runs it standalone.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Any

from workstation.sandbox.server import SandboxServer

__all__ = ["DEFAULT_PORT", "add_arguments", "run"]

DEFAULT_PORT = 8701
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir", type=Path, required=True, help="state directory (sandbox.json, sandbox.db)"
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="0 picks a free port")
    parser.add_argument(
        "--host", default="127.0.0.1", help="listen address (loopback unless you mean it)"
    )
    parser.add_argument("--seed", type=int, default=1, help="demo data seed (first start only)")
    parser.add_argument("--employees", type=int, default=500, help="demo employees (first start)")
    parser.add_argument("--bills", type=int, default=50_000, help="demo bills (first start)")
    parser.add_argument("--notify-url", default=None, help="where to POST notifications")
    parser.add_argument(
        "--simulate", action="store_true", help="keep generating bills and notifications"
    )
    parser.add_argument(
        "--rate", type=float, default=1.0, help="simulated events per second (with --simulate)"
    )


def run(args: argparse.Namespace, *, stop: threading.Event | None = None) -> int:
    """Start, print where things are, serve until a signal (or ``stop`` is set)."""
    if args.rate <= 0:
        print("--rate must be positive", file=sys.stderr)
        return 2
    if args.host not in _LOOPBACK:
        print(f"warning: listening on {args.host}, not loopback", file=sys.stderr)
    if args.simulate and not args.notify_url:
        print("note: --simulate without --notify-url creates bills but sends no notifications")
    server = SandboxServer(
        args.data_dir,
        port=args.port,
        host=args.host,
        seed=args.seed,
        employees=args.employees,
        bills=args.bills,
        notify_url=args.notify_url,
        simulate=args.simulate,
        simulate_rate=args.rate,
    )
    done = stop or threading.Event()
    previous: dict[signal.Signals, Any] = {}
    if threading.current_thread() is threading.main_thread():

        def on_signal(signum: int, frame: FrameType | None) -> None:
            done.set()

        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, on_signal)
    try:
        with server:
            print(f"Alipay sandbox gateway: {server.url}", flush=True)
            print(f"client settings:        {server.config_path}", flush=True)
            print("stop with Ctrl+C", flush=True)
            while not done.wait(0.5):
                pass
    except OSError as exc:
        print(f"cannot start the sandbox: {exc}", file=sys.stderr)
        return 1
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="workstation-sandbox", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))
