"""Fixtures for the org room: a live sandbox with a synced cache per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from org.org_fixtures import OrgSandbox, build_template, org_sandbox

from workstation.org.service import OrgService


@pytest.fixture(scope="session")
def org_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_template(tmp_path_factory.mktemp("org-template"))


@pytest.fixture
def env(org_template: Path, tmp_path: Path) -> Iterator[OrgSandbox]:
    with org_sandbox(org_template, tmp_path) as sandbox:
        yield sandbox


@pytest.fixture
def service(env: OrgSandbox) -> OrgService:
    return OrgService(env.database, env.gateway, env.enterprise_id)
