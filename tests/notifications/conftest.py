"""Fixtures: one sandbox company for the session (its notifications land in a recording
receiver), a cache synced from it once and copied per test, and a gateway to it."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from notify_helpers import Capture, Recorder, World, make_gateway

from workstation.alipay.gateway import AlipayGateway
from workstation.db.engine import Database
from workstation.notifications.client import RelayClient
from workstation.relay.server import RelayConfig, RelayServer
from workstation.sandbox.server import SandboxServer
from workstation.sandbox.testing import NotificationReceiver, running_sandbox
from workstation.sync.events import SyncFinished
from workstation.sync.service import SyncService


@pytest.fixture(scope="session")
def receiver() -> Iterator[NotificationReceiver]:
    with NotificationReceiver() as r:
        yield r


@pytest.fixture(scope="session")
def sandbox(
    tmp_path_factory: pytest.TempPathFactory, receiver: NotificationReceiver
) -> Iterator[SandboxServer]:
    base = tmp_path_factory.mktemp("notify-sandbox")
    with running_sandbox(
        base, employees=30, bills=300, notify_url=receiver.url, retry_schedule=(0.2,) * 7
    ) as server:
        yield server


@pytest.fixture(scope="session")
def gateway(sandbox: SandboxServer) -> Iterator[AlipayGateway]:
    gw = make_gateway(sandbox)
    yield gw
    gw.close()


@pytest.fixture(scope="session")
def enterprise_id(sandbox: SandboxServer) -> str:
    return sandbox.config["enterprise_id"]


@pytest.fixture(scope="session")
def cache_template(
    tmp_path_factory: pytest.TempPathFactory,
    migrated_template: Path,
    gateway: AlipayGateway,
    enterprise_id: str,
) -> Path:
    path = tmp_path_factory.mktemp("notify-cache") / "cache.db"
    shutil.copyfile(migrated_template, path)
    db = Database(f"sqlite:///{path}")
    try:
        results = SyncService(db, gateway, enterprise_id, backfill_days=91).run_all()
        assert all(isinstance(r, SyncFinished) for r in results), results
    finally:
        db.dispose()
    return path


@pytest.fixture
def cache(tmp_path: Path, cache_template: Path) -> Iterator[Database]:
    """A cache synced from the session sandbox (a private copy per test)."""
    path = tmp_path / "cache.db"
    shutil.copyfile(cache_template, path)
    db = Database(f"sqlite:///{path}")
    yield db
    db.dispose()


@pytest.fixture
def capture(receiver: NotificationReceiver) -> Capture:
    """``capture(action, n)``: run ``action`` and return the ``n`` notifications it caused
    (signed forms, as the sandbox POSTed them)."""

    def run(action: Callable[[], object], count: int) -> list[dict[str, str]]:
        before = len(receiver.received)
        action()
        return receiver.wait_for(before + count)[before : before + count]

    return run


@pytest.fixture
def world(
    sandbox: SandboxServer, gateway: AlipayGateway, enterprise_id: str, capture: Capture
) -> World:
    return World(sandbox, gateway, enterprise_id, capture)


TOKEN = "workstation-token-1"


@pytest.fixture
def relay_config(tmp_path: Path, sandbox: SandboxServer) -> RelayConfig:
    return RelayConfig(
        app_id=sandbox.config["app_id"],
        alipay_public_key=sandbox.config["alipay_public_key"],
        tokens=frozenset({TOKEN}),
        database_url=f"sqlite:///{tmp_path / 'relay.db'}",
    )


@pytest.fixture
def relay(relay_config: RelayConfig) -> Iterator[RelayServer]:
    server = RelayServer(relay_config)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def make_client(
    cache: Database, gateway: AlipayGateway, recorder: Recorder
) -> Iterator[Callable[..., RelayClient]]:
    """``make_client(url, **options)``: a started client applying into ``cache``; stopped at
    the end of the test."""
    clients: list[RelayClient] = []

    def make(url: str, token: str = TOKEN, **options: Any) -> RelayClient:
        options.setdefault("backoff_base", 0.05)
        options.setdefault("backoff_max", 0.5)
        client = RelayClient(cache, gateway, url, token, on_event=recorder, **options)
        clients.append(client)
        client.start()
        return client

    yield make
    for client in clients:
        client.stop()
