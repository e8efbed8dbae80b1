"""The commands a clerk or an operator types: ``workstation sandbox`` in one process, the
official SDK and ``workstation sync`` in others, all over real HTTP and RSA2."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from alipay.aop.api.request.AlipayCommerceEcEmployeeIdlistQueryRequest import (
    AlipayCommerceEcEmployeeIdlistQueryRequest,
)
from alipay.aop.api.response.AlipayCommerceEcEmployeeIdlistQueryResponse import (
    AlipayCommerceEcEmployeeIdlistQueryResponse,
)

from workstation.sandbox.testing import free_loopback_port, port_honouring_transport, sdk_client


@pytest.fixture
def sandbox_process(tmp_path: Path):  # type: ignore[no-untyped-def]
    port = free_loopback_port()
    data_dir = tmp_path / "sb-data"
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
            "--employees",
            "12",
            "--bills",
            "300",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/control/health", timeout=1):
                break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(proc.stderr.read() if proc.stderr else "sandbox exited")
            time.sleep(0.1)
    yield port, data_dir
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert f"127.0.0.1:{port}" in out


def test_sandbox_command_writes_config_the_official_sdk_can_use(sandbox_process) -> None:  # type: ignore[no-untyped-def]
    port, data_dir = sandbox_process
    config = json.loads((data_dir / "sandbox.json").read_text(encoding="utf-8"))
    assert set(config) == {
        "app_id",
        "enterprise_id",
        "gateway_url",
        "app_private_key",
        "app_public_key",
        "alipay_public_key",
    }
    assert config["gateway_url"] == f"http://127.0.0.1:{port}/gateway.do"
    assert config["app_private_key"].startswith("-----BEGIN RSA PRIVATE KEY-----")

    # The unmodified SDK, its own generated request and response classes, its own RSA2
    # signing and verification; only the port-ignoring connection helper is patched.
    with port_honouring_transport():
        client = sdk_client(config)
        request = AlipayCommerceEcEmployeeIdlistQueryRequest()
        request.biz_content = {
            "enterprise_id": config["enterprise_id"],
            "department_id": "-1",
            "page_num": 1,
            "page_size": 100,
        }
        response = AlipayCommerceEcEmployeeIdlistQueryResponse()
        response.parse_response_content(client.execute(request))
    assert response.is_success(), (response.code, response.sub_code, response.sub_msg)
    assert len(response.employee_id_list) == 12


def test_sync_command_prints_a_summary(sandbox_process, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, data_dir = sandbox_process
    url = f"sqlite:///{tmp_path / 'cache.db'}"
    env = {**os.environ, "WORKSTATION_HOME": str(tmp_path / "home")}
    command = [
        sys.executable,
        "-m",
        "workstation.cli",
        "sync",
        "--database-url",
        url,
        "--sandbox-dir",
        str(data_dir),
        "--backfill-days",
        "91",
    ]
    first = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert first.returncode == 0, first.stdout + first.stderr
    lines = {line.split()[0]: line.split() for line in first.stdout.splitlines() if line.strip()}
    for entity in ("enterprise", "org", "institutions", "quotas", "bills", "vouchers"):
        assert lines[entity][-1] == "ok", first.stdout
    assert int(lines["org"][1]) > 12  # departments and employees inserted
    assert "bills" in first.stderr  # the progress bar

    conn = sqlite3.connect(tmp_path / "cache.db")
    try:
        bills = conn.execute("SELECT count(*) FROM t_bill").fetchone()[0]
    finally:
        conn.close()
    assert bills == int(lines["bills"][1]) > 0

    only_bills = subprocess.run(
        [*command, "--entity", "bills"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert only_bills.returncode == 0
    rows = [line.split() for line in only_bills.stdout.splitlines()[1:-1]]
    assert rows == [["bills", "0", "0", "0", rows[0][4], "ok"]]


def test_sync_command_without_configuration_is_a_clear_error(tmp_path: Path) -> None:
    env = {**os.environ, "WORKSTATION_HOME": str(tmp_path / "home")}
    result = subprocess.run(
        [sys.executable, "-m", "workstation.cli", "sync", "--sandbox-dir", str(tmp_path / "none")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "sandbox.json" in result.stderr and "找不到" in result.stderr
