"""Shared fixtures. Qt runs offscreen; every test gets its own migrated SQLite file; tests that
ask for ``pg`` get a migrated database on a throwaway PostgreSQL cluster (CI installs Debian's
``postgresql``; elsewhere they are skipped with the reason — the server runs as the ``postgres``
user because PostgreSQL refuses to run as root)."""

from __future__ import annotations

import getpass
import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.exc import DBAPIError

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from workstation.db.engine import Database
from workstation.sandbox.testing import free_loopback_port
from workstation.secret_store import MemoryKeyring


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # GUI tests are marked automatically so `pytest -m "not gui"` is a fast, Qt-free loop.
    for item in items:
        if "qtbot" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(scope="session")
def qapp() -> object:
    """The QApplication as the app makes it (pytest-qt's ``qapp`` overridden): the same
    Simplified-Chinese UI font in every test, whatever order the tests run in."""
    from workstation.app import create_application

    return create_application()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate once; each test copies the file (much faster than migrating per test)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    database = Database(f"sqlite:///{path}")
    database.upgrade()
    database.dispose()
    return path


@pytest.fixture
def database(tmp_path: Path, migrated_template: Path) -> Iterator[Database]:
    path = tmp_path / "workstation.db"
    shutil.copyfile(migrated_template, path)
    db = Database(f"sqlite:///{path}")
    yield db
    db.dispose()


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An isolated WORKSTATION_HOME so nothing touches the real user folders."""
    monkeypatch.setenv("WORKSTATION_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("WORKSTATION_DATABASE_URL", raising=False)
    return tmp_path / "home"


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    bin_dir = _pg_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries not installed (Debian package 'postgresql')")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg not installed (pip install 'psycopg[binary]')")
    # Not under pytest's tmp root: that is private to the test user, and the server runs as
    # 'postgres' when the tests run as root.
    root = Path(tempfile.mkdtemp(prefix="workstation-pg-"))
    data = root / "data"
    port = free_loopback_port()
    as_root = os.geteuid() == 0
    if as_root:
        shutil.chown(root, "postgres")

    def run(*argv: str) -> None:
        command = [str(a) for a in argv]
        if as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    run(bin_dir / "initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
    run(
        bin_dir / "pg_ctl",
        "-D",
        str(data),
        "-l",
        str(root / "log"),
        "-w",
        "-o",
        f"-p {port} -k {root} -c fsync=off -c listen_addresses=127.0.0.1",
        "start",
    )
    try:
        user = "postgres" if as_root else getpass.getuser()
        admin = Database(f"postgresql+psycopg://{user}@127.0.0.1:{port}/postgres")
        deadline = time.monotonic() + 30
        while True:
            try:
                with admin.engine.connect() as conn:
                    conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                        "CREATE DATABASE workstation"
                    )
                break
            except DBAPIError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        admin.dispose()
        yield f"postgresql+psycopg://{user}@127.0.0.1:{port}/workstation"
    finally:
        run(bin_dir / "pg_ctl", "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg(postgres_url: str) -> Iterator[Database]:
    db = Database(postgres_url)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    db.upgrade()
    yield db
    db.dispose()
