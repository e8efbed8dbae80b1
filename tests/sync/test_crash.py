"""Kill a sync with SIGKILL at random points, over and over; one clean run must then leave the
cache exactly equal to the sandbox, with SQLite's integrity check passing."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sandbox_truth import (
    assert_bills_mirrored,
    assert_institutions_mirrored,
    assert_org_mirrored,
    assert_quotas_mirrored,
    assert_vouchers_mirrored,
)
from sqlalchemy import text

from workstation.db.engine import Database
from workstation.sandbox.testing import running_sandbox

KILLS = 20

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix", reason="SIGKILL is a POSIX signal"),
]


def sync_command(url: str, sandbox_dir: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "workstation.cli",
        "sync",
        "--database-url",
        url,
        "--sandbox-dir",
        str(sandbox_dir),
        "--backfill-days",
        "91",
        *extra,
    ]


def test_sigkill_at_random_points_loses_nothing_and_duplicates_nothing(tmp_path: Path) -> None:
    rng = random.Random(20261122)
    url = f"sqlite:///{tmp_path / 'cache.db'}"
    db = Database(url)
    db.upgrade()
    env = {**os.environ, "WORKSTATION_HOME": str(tmp_path / "home")}
    with running_sandbox(tmp_path, employees=30, bills=3000) as server:
        # A little latency stretches each run so the kills land inside reads and writes alike.
        server.faults.update(latency=0.004)
        killed_mid_run = 0
        for attempt in range(KILLS):
            for _ in range(rng.randint(0, 15)):  # Alipay keeps changing between attempts
                server.emit_bill()
            if attempt % 3 == 0:
                server.refund_bill()
            extra = ("--full",) if attempt % 5 == 4 else ()
            proc = subprocess.Popen(
                sync_command(url, server.data_dir, *extra),
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(rng.uniform(0.4, 2.2))
            proc.send_signal(signal.SIGKILL)
            code = proc.wait(timeout=30)
            if code == -signal.SIGKILL:
                killed_mid_run += 1
        # Most attempts must really have been cut short, or the test proves little.
        assert killed_mid_run >= KILLS * 3 // 4, killed_mid_run

        server.faults.update(latency=0)
        clean = subprocess.run(
            sync_command(url, server.data_dir),
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert clean.returncode == 0, clean.stdout + clean.stderr

        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
        assert_org_mirrored(server, db)
        assert_institutions_mirrored(server, db)
        assert_quotas_mirrored(server, db)
        assert_bills_mirrored(server, db)
        assert_vouchers_mirrored(server, db)
    db.dispose()
