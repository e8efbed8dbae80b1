"""The fast signing primitive is byte-for-byte the SDK's own."""

from __future__ import annotations

import alipay.aop.api.DefaultAlipayClient as sdk_client_module  # noqa: N813 - the module
import pytest
from alipay.aop.api.util.SignatureUtils import sign_with_rsa2 as sdk_sign_with_rsa2
from hypothesis import given, settings
from hypothesis import strategies as st

import workstation.alipay.gateway  # noqa: F401 - importing the gateway installs the primitive
from workstation.alipay import signing
from workstation.keys import generate_key_pair, strip_pem


@pytest.fixture(scope="module")
def private_key() -> str:
    return generate_key_pair().private_pkcs1_pem


@settings(max_examples=30, deadline=None)
@given(content=st.text(min_size=0, max_size=400))
def test_identical_to_the_sdk_signature(private_key: str, content: str) -> None:
    for key in (private_key, strip_pem(private_key)):  # the SDK accepts both forms
        assert signing.sign_with_rsa2(key, content, "utf-8") == sdk_sign_with_rsa2(
            key, content, "utf-8"
        )


def test_the_sdk_client_uses_it() -> None:
    assert sdk_client_module.sign_with_rsa2 is signing.sign_with_rsa2  # type: ignore[attr-defined]
