"""RSA2 signing and verification for the sandbox, on ``cryptography`` (fast, C-backed).

The official SDK uses the pure-Python ``rsa`` package; both produce and accept plain
PKCS#1 v1.5 signatures, so either side can check the other.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

__all__ = [
    "load_private_key",
    "load_public_key",
    "sign_content",
    "sign_rsa2",
    "verify",
]


def load_private_key(pem: str) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise TypeError("not an RSA private key")
    return key


def load_public_key(pem: str) -> rsa.RSAPublicKey:
    key = serialization.load_pem_public_key(pem.encode())
    if not isinstance(key, rsa.RSAPublicKey):
        raise TypeError("not an RSA public key")
    return key


def sign_content(params: Mapping[str, str], *, drop_empty: bool = True) -> str:
    """Alipay's string-to-sign: sorted ``k=v`` joined by ``&``, values raw, ``sign`` excluded.

    ``drop_empty`` follows the Java SDK (and alipay-api.md 1.3's simulator rule); the Python
    SDK keeps empty values, so the gateway tries both.
    """
    items = sorted((k, v) for k, v in params.items() if k != "sign" and (v or not drop_empty))
    return "&".join(f"{k}={v}" for k, v in items)


def sign_rsa2(key: rsa.RSAPrivateKey, data: bytes) -> str:
    return base64.b64encode(key.sign(data, padding.PKCS1v15(), hashes.SHA256())).decode()


def verify(key: rsa.RSAPublicKey, data: bytes, signature_b64: str, *, sha1: bool = False) -> bool:
    try:
        signature = base64.b64decode(signature_b64, validate=False)
    except (binascii.Error, ValueError):
        return False
    algorithm: hashes.HashAlgorithm = hashes.SHA1() if sha1 else hashes.SHA256()
    try:
        key.verify(signature, data, padding.PKCS1v15(), algorithm)
    except InvalidSignature:
        return False
    return True
