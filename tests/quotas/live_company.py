"""A small sandbox company with a cache synced from it, fresh for every test.

Seeding the sandbox (RSA keys, demo data) and the first sync happen once per session into a
template directory; each test copies it and starts the sandbox on the copy, so tests may change
Alipay's state freely. Used by the quota and institution service tests and their tab tests
(import it as ``quotas.live_company``: ``tests/`` is on ``sys.path``).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from workstation.alipay.gateway import AlipayGateway, GatewayConfig
from workstation.config import AppPaths
from workstation.db.engine import Database
from workstation.demo import start_demo
from workstation.institutions.models import ExpenseInstitution
from workstation.org.models import Department, Employee
from workstation.sandbox.server import SandboxServer
from workstation.sync.events import SyncFinished

__all__ = ["Company", "build_template", "live_company"]

ENTITIES = ["enterprise", "org", "institutions", "quotas"]


@dataclass
class Company:
    sandbox: SandboxServer
    database: Database
    gateway: AlipayGateway
    enterprise_id: str

    def employee_ids(self) -> list[str]:
        with self.database.read_session() as s:
            return list(s.scalars(select(Employee.employee_id).order_by(Employee.employee_id)))

    def department_ids(self) -> list[str]:
        with self.database.read_session() as s:
            return list(
                s.scalars(select(Department.department_id).order_by(Department.department_id))
            )

    def institution_ids(self) -> list[str]:
        with self.database.read_session() as s:
            return list(
                s.scalars(
                    select(ExpenseInstitution.institution_id).order_by(
                        ExpenseInstitution.institution_id
                    )
                )
            )


def build_template(base: Path, employees: int = 30) -> Path:
    """Seed a sandbox and sync a cache from it; returns the directory to copy."""
    paths = AppPaths(config_dir=base / "config", data_dir=base / "data")
    session = start_demo(
        paths, demo_dir=base / "demo", employees=employees, bills=40, simulate=False
    )
    try:
        results = session.service.run_all(ENTITIES)
        assert [type(r) for r in results] == [SyncFinished] * len(ENTITIES), results
    finally:
        session.stop()
    return base / "demo"


@contextmanager
def live_company(template: Path, tmp_path: Path, **gateway_options: Any) -> Iterator[Company]:
    work = tmp_path / "company"
    shutil.copytree(template, work)
    sandbox = SandboxServer(work / "sandbox", port=0).start()
    database = Database(f"sqlite:///{work / 'workstation.db'}")
    config = GatewayConfig.from_mapping(sandbox.config, **gateway_options)
    gateway = AlipayGateway(config)
    try:
        yield Company(sandbox, database, gateway, config.enterprise_id or "")
    finally:
        gateway.close()
        sandbox.stop()
        database.dispose()
