"""Relay fixtures: an Alipay key pair, and started relays on a temporary SQLite file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from relay_support import APP_ID, OTHER_TOKEN, TOKEN

from workstation.keys import KeyPair, generate_key_pair
from workstation.relay.server import RelayConfig, RelayServer
from workstation.sandbox import crypto


@pytest.fixture(scope="session")
def alipay_keys() -> KeyPair:
    return generate_key_pair()


@pytest.fixture(scope="session")
def alipay_key(alipay_keys: KeyPair) -> rsa.RSAPrivateKey:
    return crypto.load_private_key(alipay_keys.private_pkcs1_pem)


@pytest.fixture
def tokens_file(tmp_path: Path) -> Path:
    path = tmp_path / "tokens.txt"
    path.write_text(f"# workstations\n{TOKEN}\n\n{OTHER_TOKEN}  # finance office\n")
    return path


@pytest.fixture
def make_relay(tmp_path: Path, alipay_keys: KeyPair) -> Iterator[Callable[..., RelayServer]]:
    """Start relays (stopped at teardown); keyword arguments override RelayConfig fields."""
    started: list[RelayServer] = []

    def make(**overrides: Any) -> RelayServer:
        options: dict[str, Any] = {
            "app_id": APP_ID,
            "alipay_public_key": alipay_keys.public_spki_pem,
            "tokens": frozenset({TOKEN, OTHER_TOKEN}),
            "database_url": f"sqlite:///{tmp_path / 'relay' / 'relay.db'}",
        }
        options.update(overrides)
        relay = RelayServer(RelayConfig(**options)).start()
        started.append(relay)
        return relay

    yield make
    for relay in started:
        relay.stop()


@pytest.fixture
def relay(make_relay: Callable[..., RelayServer]) -> RelayServer:
    return make_relay()
