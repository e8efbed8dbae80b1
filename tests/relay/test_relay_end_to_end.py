"""The relay with its real neighbours: the bundled sandbox posting to it, the CLI process, and a
PostgreSQL store."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from relay_support import (
    APP_ID,
    OTHER_TOKEN,
    TOKEN,
    message_form,
    post,
    recv_frames,
    stored,
    ws_connect,
)
from websockets.sync.client import connect

from workstation.cli import main
from workstation.db.engine import Database
from workstation.errors import ValidationError
from workstation.keys import KeyPair, strip_pem
from workstation.relay.server import RelayConfig, RelayServer, load_tokens
from workstation.sandbox.testing import free_loopback_port, running_sandbox


def test_sandbox_notifications_reach_a_workstation_through_the_relay(
    tmp_path: Path,
) -> None:
    port = free_loopback_port()
    notify_url = f"http://127.0.0.1:{port}/alipay/notify"
    with running_sandbox(
        tmp_path, employees=5, bills=10, notify_url=notify_url, retry_schedule=(0.05,) * 3
    ) as sandbox:
        config = RelayConfig(
            app_id=sandbox.config["app_id"],
            alipay_public_key=sandbox.config["alipay_public_key"],
            tokens=frozenset({TOKEN}),
            database_url=f"sqlite:///{tmp_path / 'relay.db'}",
            port=port,
        )
        with RelayServer(config) as relay, ws_connect(relay) as ws:
            assert relay.notify_url == notify_url
            bills = [sandbox.emit_bill(amount="18.80"), sandbox.emit_bill(amount="7.00")]
            frames = recv_frames(ws, 2)
            assert [f["msg_method"] for f in frames] == [
                "alipay.commerce.ec.consume.change.notify"
            ] * 2
            assert [json.loads(f["biz_content"])["pay_no"] for f in frames] == [
                b.pay_no for b in bills
            ]
            assert frames[0]["params"]["app_id"] == sandbox.config["app_id"]
            assert [f["seq"] for f in frames] == [1, 2]
        # The relay answered "success": the sandbox will not deliver them again.
        assert sandbox.notifier.counts() == {"delivered": 2}


def _write_inputs(tmp_path: Path, keys: KeyPair) -> tuple[Path, Path]:
    key_file = tmp_path / "alipay_public_key.txt"
    key_file.write_text(strip_pem(keys.public_spki_pem) + "\n")  # bare base64, as Alipay shows it
    tokens = tmp_path / "tokens.txt"
    tokens.write_text(f"# office\n{TOKEN}\n")
    return key_file, tokens


def test_cli_process_serves_posts_and_websocket_until_sigterm(
    tmp_path: Path, alipay_keys: KeyPair, alipay_key: rsa.RSAPrivateKey
) -> None:
    key_file, tokens = _write_inputs(tmp_path, alipay_keys)
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    command = [sys.executable, "-m", "workstation.relay", "--port", "0"]
    command += ["--data-dir", str(data_dir), "--app-id", APP_ID]
    command += ["--alipay-public-key", str(key_file), "--tokens", str(tokens)]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        notify_url = process.stdout.readline().split()[-1]
        ws_url = process.stdout.readline().split()[-1]
        assert notify_url.endswith("/alipay/notify") and ws_url.endswith("/ws")
        form = message_form(alipay_key)
        with connect(
            ws_url, additional_headers={"Authorization": f"Bearer {TOKEN}"}, open_timeout=10
        ) as ws:
            assert post(notify_url, form) == (200, "success")
            (frame,) = recv_frames(ws, 1)
        assert frame["notify_id"] == form["notify_id"]
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "relay stopped" in err
    assert form["sign"] not in err  # never logged
    assert stored(f"sqlite:///{data_dir / 'relay.db'}") == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ("missing key", "alipay_public_key"),
        ("private key", "alipay_public_key"),
        ("empty tokens", "tokens"),
        ("missing tokens", "tokens"),
        ("bad url", "database_url"),
        ("mysql url", "database_url"),
        ("port in use", "无法启动中继服务"),
    ],
)
def test_cli_errors_are_bilingual_with_exit_code_1(
    tmp_path: Path,
    alipay_keys: KeyPair,
    capsys: pytest.CaptureFixture[str],
    change: str,
    field: str,
) -> None:
    key_file, tokens = _write_inputs(tmp_path, alipay_keys)
    argv = ["relay", "--port", "0", "--data-dir", str(tmp_path), "--app-id", APP_ID]
    argv += ["--alipay-public-key", str(key_file), "--tokens", str(tokens)]
    if change == "missing key":
        key_file.unlink()
    elif change == "private key":
        key_file.write_text(alipay_keys.private_pkcs1_pem)
    elif change == "empty tokens":
        tokens.write_text("# nobody yet\n\n")
    elif change == "missing tokens":
        tokens.unlink()
    elif change == "bad url":
        argv += ["--database-url", "::not a url::"]
    elif change == "mysql url":
        argv += ["--database-url", "mysql://u@localhost/db"]
    blocker = None
    if change == "port in use":
        import socket

        blocker = socket.socket()
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        argv[argv.index("--port") + 1] = str(blocker.getsockname()[1])
    try:
        assert main(argv) == 1
    finally:
        if blocker is not None:
            blocker.close()
    err = capsys.readouterr().err
    assert "错误：" in err and "error: " in err
    assert field in err


def test_relay_on_postgresql(
    pg: Database,
    make_relay: Callable[..., RelayServer],
    alipay_key: rsa.RSAPrivateKey,
) -> None:
    url = pg.url.replace("postgresql+psycopg://", "postgresql://")  # plain URL works too
    relay = make_relay(database_url=url, retention_count=4)
    forms = [message_form(alipay_key) for _ in range(3)]
    for form in [*forms, forms[0]]:
        assert post(relay.notify_url, form) == (200, "success")
    with ws_connect(relay, after=1) as ws:
        frames = recv_frames(ws, 2)
        ws.send(json.dumps({"ack": 3}))
    assert [f["notify_id"] for f in frames] == [f["notify_id"] for f in forms[1:]]
    assert [f["seq"] for f in frames] == [2, 3]
    relay.stop()
    again = make_relay(database_url=url, retention_count=4)
    more = [message_form(alipay_key) for _ in range(2)]
    for form in more:
        assert post(again.notify_url, form) == (200, "success")
    assert again.purge_now() == 1
    with ws_connect(again) as ws:
        frames = recv_frames(ws, 4)
    assert [f["seq"] for f in frames] == [2, 3, 4, 5]
    assert stored(again) == 4


def test_load_tokens_reads_one_per_line_with_comments(tokens_file: Path, tmp_path: Path) -> None:
    assert load_tokens(tokens_file) == frozenset({TOKEN, OTHER_TOKEN})
    spaced = tmp_path / "spaced.txt"
    spaced.write_text("good-token\nbad token # two words\n")
    with pytest.raises(ValidationError, match="line 2"):
        load_tokens(spaced)
    empty = tmp_path / "empty.txt"
    empty.write_text("# only comments\n   \n#another\n")
    with pytest.raises(ValidationError, match="holds no token"):
        load_tokens(empty)
    with pytest.raises(ValidationError, match="not found"):
        load_tokens(tmp_path / "missing.txt")
