from __future__ import annotations

import base64

import pytest
import rsa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa as crsa

from workstation.keys import (
    InvalidKeyError,
    KeyErrorReason,
    generate_key_pair,
    normalize_private_key,
    normalize_public_key,
    public_key_of,
    strip_pem,
)


@pytest.fixture(scope="module")
def pair() -> tuple[str, str, str]:
    kp = generate_key_pair()
    key = serialization.load_pem_private_key(kp.private_pkcs1_pem.encode(), None)
    pkcs8 = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return kp.private_pkcs1_pem, pkcs8, kp.public_spki_pem


@pytest.mark.parametrize("form", ["pkcs1_pem", "pkcs8_pem", "pkcs1_bare", "pkcs8_bare", "wrapped"])
def test_every_pasted_private_key_form_becomes_pkcs1(pair: tuple[str, str, str], form: str) -> None:
    pkcs1, pkcs8, _ = pair
    text = {
        "pkcs1_pem": pkcs1,
        "pkcs8_pem": pkcs8,
        "pkcs1_bare": strip_pem(pkcs1),
        "pkcs8_bare": strip_pem(pkcs8),
        # Clerks paste from e-mails and web pages: line breaks every 64 chars and padding spaces.
        "wrapped": "\n  " + "\n".join(strip_pem(pkcs8)[i : i + 64] for i in range(0, 1700, 64)),
    }[form]
    result = normalize_private_key(text)
    assert result == pkcs1
    assert result.startswith("-----BEGIN RSA PRIVATE KEY-----")
    rsa.PrivateKey.load_pkcs1(result.encode())  # exactly what the Alipay SDK does


def test_public_key_forms(pair: tuple[str, str, str]) -> None:
    pkcs1, _, spki = pair
    assert normalize_public_key(strip_pem(spki)) == spki
    pub = serialization.load_pem_public_key(spki.encode())
    assert isinstance(pub, crsa.RSAPublicKey)
    pkcs1_pub = pub.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1)
    assert normalize_public_key(pkcs1_pub.decode()) == spki
    assert public_key_of(pkcs1) == spki


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", KeyErrorReason.EMPTY),
        ("not base64 at all!!", KeyErrorReason.NOT_BASE64),
        (base64.b64encode(b"random bytes, not a key").decode(), KeyErrorReason.NOT_BASE64),
    ],
)
def test_malformed_private_key(text: str, reason: KeyErrorReason) -> None:
    with pytest.raises(InvalidKeyError) as info:
        normalize_private_key(text)
    assert info.value.reason is reason
    assert info.value.message_zh and info.value.message_en


def test_public_key_pasted_as_private_key(pair: tuple[str, str, str]) -> None:
    with pytest.raises(InvalidKeyError) as info:
        normalize_private_key(pair[2])
    assert info.value.reason is KeyErrorReason.NOT_PRIVATE


def test_private_key_pasted_as_public_key(pair: tuple[str, str, str]) -> None:
    with pytest.raises(InvalidKeyError) as info:
        normalize_public_key(pair[0])
    assert info.value.reason is KeyErrorReason.NOT_PUBLIC


def test_short_keys_are_refused() -> None:
    small = crsa.generate_private_key(public_exponent=65537, key_size=1024)
    pem = small.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    with pytest.raises(InvalidKeyError) as info:
        normalize_private_key(pem)
    assert info.value.reason is KeyErrorReason.TOO_SHORT
