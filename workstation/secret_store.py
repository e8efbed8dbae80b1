"""Secrets: the app private key encrypted on disk, the short wrapping key in the OS keychain.

A full PEM does not fit everywhere (Windows Credential Manager caps a secret at 2 560 bytes), so
the keychain holds only a 256-bit AES key (44 base64 characters) and the private key lives in
``<data>/secrets/app_private_key.enc`` as AES-256-GCM ciphertext. Neither half alone reveals it.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from pathlib import Path
from typing import Any

import keyring
import keyring.errors
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from keyring.backend import KeyringBackend

from workstation.config import atomic_write
from workstation.errors import WorkstationError
from workstation.keys import normalize_private_key

__all__ = ["MemoryKeyring", "SecretStore", "SecretStoreError"]

SERVICE = "finance-workstation"
_FILE_VERSION = 1


class SecretStoreError(WorkstationError):
    pass


class MemoryKeyring(KeyringBackend):
    """An in-process keychain for tests and demo mode (nothing persists)."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._values: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._values[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self._values.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


class SecretStore:
    def __init__(
        self, secrets_dir: Path, backend: KeyringBackend | None = None, profile: str = "default"
    ) -> None:
        self.secrets_dir = secrets_dir
        self.profile = profile
        self._backend = backend

    # -- keychain -------------------------------------------------------------------------
    def _keyring(self) -> Any:
        return self._backend if self._backend is not None else keyring.get_keyring()

    def _username(self, name: str) -> str:
        return f"{self.profile}:{name}"

    def get_secret(self, name: str) -> str | None:
        try:
            value: str | None = self._keyring().get_password(SERVICE, self._username(name))
        except keyring.errors.KeyringError as exc:
            raise _keychain_unavailable(exc) from exc
        return value

    def set_secret(self, name: str, value: str) -> None:
        try:
            self._keyring().set_password(SERVICE, self._username(name), value)
        except keyring.errors.KeyringError as exc:
            raise _keychain_unavailable(exc) from exc

    def delete_secret(self, name: str) -> None:
        try:
            self._keyring().delete_password(SERVICE, self._username(name))
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as exc:
            raise _keychain_unavailable(exc) from exc

    # -- the app private key --------------------------------------------------------------
    @property
    def key_file(self) -> Path:
        return self.secrets_dir / "app_private_key.enc"

    def _aad(self) -> bytes:
        return f"{SERVICE}:app_private_key:{self.profile}".encode()

    def save_app_private_key(self, text: str) -> str:
        """Normalise any pasted format to PKCS#1, encrypt, store. Returns the PKCS#1 PEM."""
        pem = normalize_private_key(text)  # raises InvalidKeyError with a clear message first
        wrap_name = "app-key-wrap"
        encoded = self.get_secret(wrap_name)
        key = _decode_wrap_key(encoded) if encoded else None
        if key is None:
            key = AESGCM.generate_key(bit_length=256)
            # Keychain first: a crash before the file is written leaves an unused key, never
            # a file that nothing can decrypt.
            self.set_secret(wrap_name, base64.b64encode(key).decode())
        nonce = os.urandom(12)
        ciphertext = AESGCM(key).encrypt(nonce, pem.encode(), self._aad())
        payload = {
            "version": _FILE_VERSION,
            "algorithm": "AES-256-GCM",
            "nonce": base64.b64encode(nonce).decode(),
            "ciphertext": base64.b64encode(ciphertext).decode(),
        }
        self.secrets_dir.mkdir(parents=True, exist_ok=True)
        atomic_write(self.key_file, json.dumps(payload).encode(), mode=0o600)
        return pem

    def load_app_private_key(self) -> str | None:
        if not self.key_file.exists():
            return None
        encoded = self.get_secret("app-key-wrap")
        key = _decode_wrap_key(encoded) if encoded else None
        if key is None:
            raise SecretStoreError(
                "钥匙串中找不到应用私钥的解密密钥，请在设置中重新粘贴应用私钥",
                "the keychain has no unwrapping key for the app private key; paste the key again "
                "in Settings",
            )
        try:
            payload = json.loads(self.key_file.read_text(encoding="utf-8"))
            nonce = base64.b64decode(payload["nonce"])
            ciphertext = base64.b64decode(payload["ciphertext"])
            return AESGCM(key).decrypt(nonce, ciphertext, self._aad()).decode()
        except (InvalidTag, KeyError, ValueError, binascii.Error) as exc:
            raise SecretStoreError(
                "应用私钥文件已损坏或与钥匙串不匹配，请重新粘贴应用私钥",
                "the app private key file is damaged or does not match the keychain; paste the "
                "key again",
            ) from exc

    def delete_app_private_key(self) -> None:
        self.key_file.unlink(missing_ok=True)
        self.delete_secret("app-key-wrap")


def _decode_wrap_key(encoded: str) -> bytes | None:
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return None
    return key if len(key) == 32 else None


def _keychain_unavailable(exc: Exception) -> SecretStoreError:
    return SecretStoreError(
        f"系统钥匙串不可用：{exc}", f"the system keychain is not available: {exc}"
    )
