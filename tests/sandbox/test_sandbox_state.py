"""First start, restart, sandbox.json, and deterministic demo data."""

from __future__ import annotations

import json
import sqlite3
import stat
import sys
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from workstation.sandbox import SandboxServer, catalog
from workstation.sandbox.testing import (
    port_honouring_transport,
    running_sandbox,
    sdk_call,
    sdk_client,
)

ANCHOR = datetime(2024, 7, 15, 16, 30, 0)
TABLES = {
    "enterprise": "enterprise_id",
    "departments": "department_id",
    "employees": "employee_id",
    "employee_departments": "employee_id, department_id",
    "institutions": "institution_id",
    "institution_scope": "institution_id, owner_id",
    "standards": "standard_id",
    "issue_rules": "issue_rule_id",
    "quotas": "quota_id",
    "bills": "id",
}


def _dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(db)
    try:
        return {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
            for table, order in TABLES.items()
        }
    finally:
        conn.close()


def test_sandbox_json_and_key_file(tmp_path: Path) -> None:
    with running_sandbox(tmp_path, employees=5, bills=10) as sandbox:
        config = json.loads(sandbox.config_path.read_text())
        assert list(config) == [
            "app_id",
            "enterprise_id",
            "gateway_url",
            "app_private_key",
            "app_public_key",
            "alipay_public_key",
        ]
        assert config == sandbox.config
        assert config["app_id"] == "2021000000000001"
        assert config["gateway_url"] == f"http://127.0.0.1:{sandbox.port}/gateway.do"
        assert config["app_private_key"].startswith("-----BEGIN RSA PRIVATE KEY-----")
        assert config["app_public_key"].startswith("-----BEGIN PUBLIC KEY-----")
        assert config["alipay_public_key"].startswith("-----BEGIN PUBLIC KEY-----")
        assert "PRIVATE" in sandbox.key_path.read_text()
        assert sandbox.key_path.read_text() not in json.dumps(config)
        if sys.platform != "win32":
            for path in (sandbox.key_path, sandbox.config_path):
                assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_state_and_keys_persist_across_restart(tmp_path: Path) -> None:
    with running_sandbox(tmp_path, employees=5, bills=10) as sandbox, port_honouring_transport():
        first = sandbox.config
        first_port = sandbox.port
        client = sdk_client(first)
        eid = first["enterprise_id"]
        dept = sdk_call(
            client,
            "alipay.commerce.ec.department.create",
            {"enterprise_id": eid, "department_name": "重启后还在"},
        )
        bill = sandbox.emit_bill()
    with running_sandbox(tmp_path, employees=99, bills=99, seed=5) as sandbox:
        again = sandbox.config
        assert {k: v for k, v in again.items() if k != "gateway_url"} == {
            k: v for k, v in first.items() if k != "gateway_url"
        }
        assert again["gateway_url"] == sandbox.url
        assert json.loads(sandbox.config_path.read_text())["gateway_url"] == sandbox.url
        with port_honouring_transport():
            client = sdk_client(again)  # the old keys still work
            info = sdk_call(
                client,
                "alipay.commerce.ec.department.info.query",
                {"enterprise_id": eid, "department_id": dept["department_id"]},
            )
            assert info["department_info"]["department_name"] == "重启后还在"
            detail = sdk_call(
                client,
                "alipay.commerce.ec.consume.detail.query",
                {"enterprise_id": eid, "pay_no": bill.pay_no},
            )
            assert detail["code"] == "10000"
        # First-start parameters (employees=99, seed=5) do not regenerate anything.
        assert sandbox.health()["employees"] == 5
        assert sandbox.port != first_port or sandbox.url == first["gateway_url"]


def test_fixed_port_and_restart_on_the_same_port(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    with running_sandbox(tmp_path, employees=3, bills=3, port=port) as sandbox:
        assert sandbox.port == port and sandbox.url.endswith(f":{port}/gateway.do")
    with running_sandbox(tmp_path, port=port) as sandbox:
        assert sandbox.port == port


def test_missing_key_file_issues_a_new_alipay_key(tmp_path: Path) -> None:
    with running_sandbox(tmp_path, employees=3, bills=3) as sandbox:
        old = sandbox.config["alipay_public_key"]
        key_path = sandbox.key_path
    key_path.unlink()
    with running_sandbox(tmp_path) as sandbox, port_honouring_transport():
        assert sandbox.config["alipay_public_key"] != old
        resp = sdk_call(
            sdk_client(sandbox.config),
            "alipay.commerce.ec.enterprise.info.query",
            {"enterprise_id": sandbox.config["enterprise_id"]},
        )
        assert resp["code"] == "10000"


def test_demo_data_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    dbs = []
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        with running_sandbox(tmp_path / name, seed=seed, demo_anchor=ANCHOR) as sandbox:
            dbs.append(sandbox.db_path)
    a, b, c = (_dump(db) for db in dbs)
    assert a == b
    assert a["bills"] != c["bills"] and a["employees"] != c["employees"]


def test_demo_data_shape(tmp_path: Path) -> None:
    with running_sandbox(tmp_path, seed=2, demo_anchor=ANCHOR, bills=3000, employees=60) as sb:
        dump = _dump(sb.db_path)
        with sb.store.tx() as conn:
            depth = conn.execute(
                "WITH RECURSIVE t(id, d) AS (SELECT department_id, 1 FROM departments "
                "WHERE parent_department_id = '-1' UNION ALL SELECT department_id, d + 1 "
                "FROM departments JOIN t ON parent_department_id = t.id) SELECT MAX(d) FROM t"
            ).fetchone()[0]
            stats = conn.execute(
                "SELECT SUM(kind = 0), SUM(kind = 1), SUM(peer_fen > 0 AND kind = 0), "
                "SUM(peer_fen = 0 AND kind = 0), SUM(benefit_fen > 0), SUM(voucher > 0), "
                "MIN(created), MAX(created), SUM(refund_fen > 0) FROM bills"
            ).fetchone()
    assert len(dump["departments"]) == len(catalog.DEPARTMENTS) and depth == 4
    employees = dump["employees"]
    assert len(employees) == 60
    activation = Counter(e[7] for e in employees)
    assert activation["ACTIVATED"] > 40 and activation["UNACTIVATED"] >= 1
    assert len({e[3] for e in employees}) == 60  # unique mobiles
    assert all(str(e[3]).isdigit() and len(str(e[3])) == 11 for e in employees)
    assert all("@" in str(e[4]) for e in employees)
    consume, refunds, enterprise_paid, personal, benefit, voucher, first, last, refunded = stats
    assert consume == 3000
    assert 0.005 * consume <= refunds <= 0.04 * consume and refunds == refunded
    assert enterprise_paid > personal > 0 and benefit > 0 and voucher > consume / 2
    assert first >= (ANCHOR - timedelta(days=90)).strftime("%Y-%m-%d")
    assert last < ANCHOR.strftime("%Y-%m-%d %H:%M:%S")
    assert len(dump["institutions"]) == len(catalog.INSTITUTIONS)
    assert dump["quotas"] and dump["institution_scope"]


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        SandboxServer(tmp_path, simulate_rate=0)
    server = SandboxServer(tmp_path)
    with pytest.raises(RuntimeError):
        _ = server.port
    server.stop()  # stopping a server that never started is harmless
