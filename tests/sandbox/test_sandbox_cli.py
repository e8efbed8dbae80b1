"""The ``workstation sandbox`` glue: arguments and a run that starts and stops cleanly."""

from __future__ import annotations

import argparse
import json
import threading
import time
from pathlib import Path

import pytest

from workstation.sandbox.cli import DEFAULT_PORT, add_arguments, run


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(list(argv))


def test_defaults_and_flags(tmp_path: Path) -> None:
    args = _parse("--data-dir", str(tmp_path))
    assert args.port == DEFAULT_PORT == 8701
    assert args.host == "127.0.0.1"
    assert (args.seed, args.employees, args.bills) == (1, 500, 50_000)
    assert args.notify_url is None and args.simulate is False and args.rate == 1.0
    args = _parse(
        "--data-dir",
        str(tmp_path),
        "--port",
        "0",
        "--seed",
        "7",
        "--employees",
        "9",
        "--bills",
        "10",
        "--notify-url",
        "http://127.0.0.1:1/n",
        "--simulate",
        "--rate",
        "2.5",
    )
    assert (args.port, args.seed, args.employees, args.bills) == (0, 7, 9, 10)
    assert args.simulate and args.rate == 2.5 and args.notify_url == "http://127.0.0.1:1/n"
    with pytest.raises(SystemExit):
        _parse("--port", "1")  # --data-dir is required


def test_run_serves_until_stopped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = _parse("--data-dir", str(tmp_path), "--port", "0", "--employees", "3", "--bills", "5")
    stop = threading.Event()
    result: list[int] = []
    thread = threading.Thread(target=lambda: result.append(run(args, stop=stop)))
    thread.start()
    config_path = tmp_path / "sandbox.json"
    deadline = time.monotonic() + 20
    while not config_path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    thread.join(timeout=20)
    assert result == [0]
    out = capsys.readouterr().out
    url = json.loads(config_path.read_text())["gateway_url"]
    assert url in out and str(config_path) in out


def test_rate_must_be_positive(tmp_path: Path) -> None:
    args = _parse("--data-dir", str(tmp_path), "--simulate", "--rate", "0")
    assert run(args) == 2
