"""Sync into PostgreSQL: the same mirror of the sandbox as on SQLite."""

from __future__ import annotations

from pathlib import Path

from sandbox_truth import (
    assert_bills_mirrored,
    assert_institutions_mirrored,
    assert_org_mirrored,
    assert_quotas_mirrored,
    assert_vouchers_mirrored,
)

from workstation.alipay.gateway import AlipayGateway, GatewayConfig
from workstation.db.engine import Database
from workstation.sandbox.testing import running_sandbox
from workstation.sync.events import SyncFinished
from workstation.sync.service import SyncService


def test_sync_mirrors_the_sandbox_into_postgres(pg: Database, tmp_path: Path) -> None:
    with running_sandbox(tmp_path, employees=20, bills=500) as server:
        gateway = AlipayGateway(GatewayConfig.from_mapping(server.config))
        service = SyncService(pg, gateway, server.config["enterprise_id"], backfill_days=91)
        assert all(isinstance(r, SyncFinished) for r in service.run_all())
        again = service.run_all()
        assert (
            sum(r.inserted + r.updated + r.deleted for r in again if isinstance(r, SyncFinished))
            == 0
        )
        server.emit_bill()  # spends quota too, so everything is synced again
        results = {r.entity: r for r in service.run_all()}
        assert results["bills"].inserted == 1  # type: ignore[union-attr]
        gateway.close()
        for check in (
            assert_org_mirrored,
            assert_institutions_mirrored,
            assert_quotas_mirrored,
            assert_bills_mirrored,
            assert_vouchers_mirrored,
        ):
            check(server, pg)
