"""A live sandbox company plus a cache synced from it, cheap to hand to every test.

The sandbox is seeded and the cache synced once per session (``build_template``); each test gets
copies of both (``org_sandbox``) and its own sandbox server on a fresh port, so tests may change
Alipay's side and the cache freely. Imported as ``org.org_fixtures`` from tests/org,
tests/enterprise and tests/ui."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from workstation.alipay.gateway import AlipayGateway, GatewayConfig
from workstation.db.engine import Database
from workstation.enterprise.models import Enterprise
from workstation.org.models import Department, Employee
from workstation.sandbox.server import SandboxServer
from workstation.sync.service import SyncService

SIZE = {"employees": 30, "bills": 10}


@dataclass
class OrgSandbox:
    sandbox: SandboxServer
    database: Database
    gateway: AlipayGateway
    enterprise_id: str

    def department_id(self, name: str) -> str:
        with self.database.read_session() as session:
            return session.scalars(
                select(Department.department_id).where(
                    Department.name == name, Department.deleted.is_(False)
                )
            ).one()

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every cached org/enterprise row, to prove an action changed nothing."""
        out: dict[str, list[tuple[Any, ...]]] = {}
        with self.database.engine.connect() as conn:
            for model in (Department, Employee, Enterprise):
                table = model.__table__
                out[table.name] = [
                    tuple(row) for row in conn.execute(table.select().order_by(table.c.id))
                ]
        return out


def build_template(base: Path) -> Path:
    """Seed a sandbox and sync enterprise + org into a fresh cache; both stopped afterwards."""
    sandbox = SandboxServer(base / "sandbox", **SIZE).start()
    database = Database(f"sqlite:///{base / 'cache' / 'workstation.db'}")
    try:
        database.upgrade()
        with AlipayGateway(GatewayConfig.from_mapping(sandbox.config)) as gateway:
            service = SyncService(database, gateway, sandbox.config["enterprise_id"])
            for entity in ("enterprise", "org"):
                result = service.run(entity)
                assert type(result).__name__ == "SyncFinished", result
    finally:
        database.dispose()
        sandbox.stop()
    return base


@contextmanager
def org_sandbox(template: Path, target: Path) -> Iterator[OrgSandbox]:
    shutil.copytree(template / "sandbox", target / "sandbox")
    shutil.copytree(template / "cache", target / "cache")
    sandbox = SandboxServer(target / "sandbox", **SIZE).start()
    database = Database(f"sqlite:///{target / 'cache' / 'workstation.db'}")
    gateway = AlipayGateway(GatewayConfig.from_mapping(sandbox.config))
    try:
        yield OrgSandbox(sandbox, database, gateway, sandbox.config["enterprise_id"])
    finally:
        gateway.close()
        database.dispose()
        sandbox.stop()
