from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from alipay_fakes import FakeAlipay, Sleeps

from workstation.alipay import AlipayGateway, GatewayConfig
from workstation.keys import KeyPair, generate_key_pair


@pytest.fixture(scope="session")
def app_keys() -> KeyPair:
    return generate_key_pair()


@pytest.fixture(scope="session")
def alipay_keys() -> KeyPair:
    return generate_key_pair()


@pytest.fixture(scope="session")
def other_keys() -> KeyPair:
    """A third pair: a wrong app key, or an impostor's signing key."""
    return generate_key_pair()


@pytest.fixture
def fake(app_keys: KeyPair, alipay_keys: KeyPair) -> Iterator[FakeAlipay]:
    with FakeAlipay(alipay_keys.private_pkcs1_pem, app_keys.public_spki_pem) as server:
        yield server


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def make_config(app_keys: KeyPair, alipay_keys: KeyPair) -> Callable[..., GatewayConfig]:
    def make(url: str, **overrides: Any) -> GatewayConfig:
        values: dict[str, Any] = {
            "app_id": "2021000000000001",
            "gateway_url": url,
            "app_private_key": app_keys.private_pkcs1_pem,
            "alipay_public_key": alipay_keys.public_spki_pem,
            "enterprise_id": "E0001",
            "timeout": 2.0,
            "connect_timeout": 2.0,
            "max_attempts": 3,
            "backoff_base": 0.5,
            "backoff_max": 8,
        }
        values.update(overrides)
        return GatewayConfig(**values)

    return make


@pytest.fixture
def gateway(
    fake: FakeAlipay, make_config: Callable[..., GatewayConfig], sleeps: Sleeps
) -> Iterator[AlipayGateway]:
    with AlipayGateway(make_config(fake.url), sleep=sleeps, rand=lambda: 1.0) as gw:
        yield gw
