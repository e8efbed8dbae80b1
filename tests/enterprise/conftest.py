"""Fixtures for the enterprise room: a live sandbox with a synced cache per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from org.org_fixtures import OrgSandbox, build_template, org_sandbox

from workstation.enterprise.service import EnterpriseService


@pytest.fixture(scope="session")
def enterprise_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_template(tmp_path_factory.mktemp("enterprise-template"))


@pytest.fixture
def env(enterprise_template: Path, tmp_path: Path) -> Iterator[OrgSandbox]:
    with org_sandbox(enterprise_template, tmp_path) as sandbox:
        yield sandbox


@pytest.fixture
def service(env: OrgSandbox) -> EnterpriseService:
    return EnterpriseService(env.database, env.gateway, env.enterprise_id)
