"""Quota service tests run against a live sandbox company (see live_company.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from quotas.live_company import Company, build_template, live_company


@pytest.fixture(scope="session")
def company_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_template(tmp_path_factory.mktemp("quota_company"))


@pytest.fixture
def company(company_template: Path, tmp_path: Path) -> Iterator[Company]:
    with live_company(company_template, tmp_path, max_attempts=1) as c:
        yield c
