"""GUI fixtures: a tiny sandbox company synced once per session, and throwaway QSettings."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from workstation.config import AppPaths
from workstation.db.engine import Database
from workstation.demo import start_demo


@pytest.fixture(scope="session")
def synced_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache filled by a real sync from a small sandbox (once; tests copy the file)."""
    base = tmp_path_factory.mktemp("demo")
    paths = AppPaths(config_dir=base / "config", data_dir=base / "data")
    session = start_demo(paths, demo_dir=base / "demo", employees=30, bills=120, simulate=False)
    try:
        results = session.service.run_all()
        assert results and all(type(r).__name__ == "SyncFinished" for r in results), results
    finally:
        session.stop()
    return base / "demo" / "workstation.db"


@pytest.fixture
def synced_database(tmp_path: Path, synced_template: Path) -> Iterator[Database]:
    path = tmp_path / "synced.db"
    shutil.copyfile(synced_template, path)
    db = Database(f"sqlite:///{path}")
    yield db
    db.dispose()


@pytest.fixture
def qsettings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
