"""RSA key handling for Alipay: generate, and normalise what clerks paste.

Alipay's key tool offers "PKCS8 (Java适用)" and "PKCS1 (非Java适用)", with or without PEM armour,
often as one bare base64 line. The official Python SDK only loads PKCS#1 private keys
(``rsa.PrivateKey.load_pkcs1``) and SubjectPublicKeyInfo public keys, so everything is
converted here, once, before it reaches the SDK.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from enum import Enum

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

__all__ = [
    "InvalidKeyError",
    "KeyErrorReason",
    "KeyPair",
    "generate_key_pair",
    "normalize_private_key",
    "normalize_public_key",
    "public_key_of",
    "strip_pem",
]


class KeyErrorReason(Enum):
    EMPTY = "empty"
    NOT_BASE64 = "not_base64"
    NOT_RSA = "not_rsa"
    NOT_PRIVATE = "not_private"
    NOT_PUBLIC = "not_public"
    TOO_SHORT = "too_short"


_MESSAGES: dict[KeyErrorReason, tuple[str, str]] = {
    KeyErrorReason.EMPTY: ("密钥为空", "the key is empty"),
    KeyErrorReason.NOT_BASE64: (
        "密钥内容不是有效的 Base64 或 PEM 格式",
        "the key is neither valid base64 nor PEM",
    ),
    KeyErrorReason.NOT_RSA: ("不是 RSA 密钥", "not an RSA key"),
    KeyErrorReason.NOT_PRIVATE: (
        "这不是应用私钥（可能粘贴了公钥）",
        "this is not an application private key (a public key was pasted?)",
    ),
    KeyErrorReason.NOT_PUBLIC: (
        "这不是支付宝公钥（可能粘贴了私钥）",
        "this is not an Alipay public key (a private key was pasted?)",
    ),
    KeyErrorReason.TOO_SHORT: (
        "RSA2 要求密钥至少 2048 位",
        "RSA2 needs a key of at least 2048 bits",
    ),
}


class InvalidKeyError(ValueError):
    """A key that cannot be used. Bilingual message for the clerk."""

    def __init__(self, reason: KeyErrorReason, detail: str = "") -> None:
        self.reason = reason
        self.message_zh, self.message_en = _MESSAGES[reason]
        suffix = f" ({detail})" if detail else ""
        super().__init__(f"{self.message_zh} / {self.message_en}{suffix}")


@dataclass(frozen=True)
class KeyPair:
    private_pkcs1_pem: str
    public_spki_pem: str


MIN_BITS = 2048
_PEM_BLOCK = re.compile(r"-----BEGIN ([A-Z ]+)-----(.*?)-----END \1-----", re.S)


def generate_key_pair(bits: int = 2048) -> KeyPair:
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    return KeyPair(_private_pkcs1(key), _public_spki(key.public_key()))


def strip_pem(pem: str) -> str:
    """PEM → the bare one-line base64 body (the form Alipay's console shows)."""
    m = _PEM_BLOCK.search(pem)
    body = m.group(2) if m else pem
    return "".join(body.split())


def _der_candidates(text: str) -> list[tuple[str | None, bytes]]:
    text = text.strip()
    if not text:
        raise InvalidKeyError(KeyErrorReason.EMPTY)
    m = _PEM_BLOCK.search(text)
    label = m.group(1) if m else None
    body = "".join((m.group(2) if m else text).split())
    try:
        der = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidKeyError(KeyErrorReason.NOT_BASE64) from exc
    if not der:
        raise InvalidKeyError(KeyErrorReason.NOT_BASE64)
    return [(label, der)]


def normalize_private_key(text: str) -> str:
    """Any pasted RSA private key (PKCS#8 or PKCS#1, PEM or bare base64) → PKCS#1 PEM."""
    ((_label, der),) = _der_candidates(text)
    key: object | None = None
    try:
        key = serialization.load_der_private_key(der, password=None)
    except (ValueError, TypeError):
        key = None
    if key is None:
        # PKCS#1 DER is not accepted by load_der_private_key in every backend: wrap as PEM.
        pem = _armour(der, "RSA PRIVATE KEY")
        try:
            key = serialization.load_pem_private_key(pem.encode(), password=None)
        except (ValueError, TypeError):
            key = None
    if key is None:
        if _looks_public(der):
            raise InvalidKeyError(KeyErrorReason.NOT_PRIVATE)
        raise InvalidKeyError(KeyErrorReason.NOT_BASE64, "not a DER private key")
    if not isinstance(key, rsa.RSAPrivateKey):
        raise InvalidKeyError(KeyErrorReason.NOT_RSA)
    if key.key_size < MIN_BITS:
        raise InvalidKeyError(KeyErrorReason.TOO_SHORT, f"{key.key_size} bits")
    return _private_pkcs1(key)


def normalize_public_key(text: str) -> str:
    """Any pasted RSA public key (SPKI or PKCS#1, PEM or bare base64) → SPKI PEM."""
    ((_label, der),) = _der_candidates(text)
    key: object | None = None
    for loader in (_load_spki, _load_pkcs1_public):
        try:
            key = loader(der)
            break
        except (ValueError, TypeError):
            continue
    if key is None:
        try:
            serialization.load_der_private_key(der, password=None)
        except (ValueError, TypeError):
            raise InvalidKeyError(KeyErrorReason.NOT_BASE64, "not a DER public key") from None
        raise InvalidKeyError(KeyErrorReason.NOT_PUBLIC)
    if not isinstance(key, rsa.RSAPublicKey):
        raise InvalidKeyError(KeyErrorReason.NOT_RSA)
    if key.key_size < MIN_BITS:
        raise InvalidKeyError(KeyErrorReason.TOO_SHORT, f"{key.key_size} bits")
    return _public_spki(key)


def public_key_of(private_pem: str) -> str:
    key = serialization.load_pem_private_key(normalize_private_key(private_pem).encode(), None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return _public_spki(key.public_key())


def _load_spki(der: bytes) -> object:
    return serialization.load_der_public_key(der)


def _load_pkcs1_public(der: bytes) -> object:
    return serialization.load_pem_public_key(_armour(der, "RSA PUBLIC KEY").encode())


def _looks_public(der: bytes) -> bool:
    for loader in (_load_spki, _load_pkcs1_public):
        try:
            loader(der)
            return True
        except (ValueError, TypeError):
            continue
    return False


def _armour(der: bytes, label: str) -> str:
    b64 = base64.b64encode(der).decode()
    lines = [b64[i : i + 64] for i in range(0, len(b64), 64)]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"


def _private_pkcs1(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()


def _public_spki(key: rsa.RSAPublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
