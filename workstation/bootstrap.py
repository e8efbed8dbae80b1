"""Qt-free construction of the core parts, shared by the CLI and the GUI's composition root."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives import serialization

from workstation.config import AppPaths, Settings, SettingsStore
from workstation.db.engine import Database, resolve_database_url
from workstation.errors import ValidationError, WorkstationError
from workstation.keys import (
    InvalidKeyError,
    normalize_private_key,
    normalize_public_key,
    public_key_of,
)
from workstation.secret_store import SecretStore

if TYPE_CHECKING:
    # The Alipay SDK (and its crypto) loads only when a gateway is made.
    from workstation.alipay.gateway import AlipayGateway

__all__ = [
    "configuration_problems",
    "gateway_from_sandbox",
    "gateway_from_settings",
    "key_fingerprint",
    "open_database",
    "save_configuration",
    "saved_app_key_fingerprint",
]


def open_database(url: str | None, paths: AppPaths | None = None) -> Database:
    """Resolve the URL (flag → env → default file), connect, and apply migrations."""
    paths = paths or AppPaths.default()
    database = Database(resolve_database_url(url, paths.data_dir))
    database.upgrade()
    return database


def gateway_from_sandbox(sandbox_dir: Path) -> tuple[AlipayGateway, str]:
    """A gateway configured from a sandbox's ``sandbox.json``; returns it and the enterprise id."""
    path = sandbox_dir / "sandbox.json"
    if not path.exists():
        raise ValidationError(
            "sandbox_dir",
            f"找不到 {path}，请先启动沙箱（workstation sandbox --data-dir …）",
            f"{path} not found; start a sandbox first (workstation sandbox --data-dir …)",
            str(sandbox_dir),
        )
    from workstation.alipay.gateway import AlipayGateway, GatewayConfig

    config = GatewayConfig.from_sandbox_json(path)
    return AlipayGateway(config), config.enterprise_id or ""


def gateway_from_settings(paths: AppPaths | None = None) -> tuple[AlipayGateway, str]:
    """A gateway from the clerk's settings and the encrypted app key."""
    paths = paths or AppPaths.default()
    secrets = SecretStore(paths.secrets_dir)
    settings = SettingsStore(paths, secrets).load()
    private_key = secrets.load_app_private_key()
    if not settings.app_id or not private_key or not settings.alipay_public_key:
        raise WorkstationError(
            "尚未配置支付宝应用（应用ID、应用私钥、支付宝公钥），请在“设置”中填写",
            "the Alipay application is not configured (app id, app private key, Alipay public "
            "key); fill them in Settings",
        )
    from workstation.alipay.gateway import AlipayGateway, GatewayConfig

    config = GatewayConfig(
        app_id=settings.app_id,
        gateway_url=settings.gateway_url,
        app_private_key=private_key,
        alipay_public_key=settings.alipay_public_key,
        enterprise_id=settings.enterprise_id or None,
    )
    return AlipayGateway(config), settings.enterprise_id


# -- saving what the settings dialog collected --------------------------------------------------
def configuration_problems(
    settings: Settings, app_private_key: str | None = None
) -> list[ValidationError]:
    """Every invalid field of a configuration about to be saved. ``app_private_key`` is new key
    text as pasted (any format); ``None`` or empty keeps the saved key."""
    problems = settings.problems()
    if app_private_key and app_private_key.strip():
        try:
            normalize_private_key(app_private_key)
        except InvalidKeyError as exc:
            problems.append(
                ValidationError("app_private_key", exc.message_zh, exc.message_en, "<private key>")
            )
    return problems


def save_configuration(
    store: SettingsStore, settings: Settings, app_private_key: str | None = None
) -> Settings:
    """Validate everything first, then write; while any field is invalid nothing is written.

    The app private key goes only to the secret store (AES-GCM file + keychain wrapping key);
    the Alipay public key is public and is kept in ``settings.json`` as SPKI PEM; the relay
    token goes to the keychain through :class:`SettingsStore`. Returns the saved settings."""
    problems = configuration_problems(settings, app_private_key)
    if problems:
        raise problems[0]
    if settings.alipay_public_key:
        settings = replace(
            settings, alipay_public_key=normalize_public_key(settings.alipay_public_key)
        )
    new_key = app_private_key if app_private_key and app_private_key.strip() else None
    if (new_key is not None or settings.relay_token) and store.secrets is None:
        raise WorkstationError(
            "没有可用的钥匙串，无法保存密钥", "no keychain is available to store secrets in"
        )
    # The key first: if the keychain refuses it, the settings file is not touched either.
    if new_key is not None:
        assert store.secrets is not None
        store.secrets.save_app_private_key(new_key)
    store.save(settings)
    return settings


def key_fingerprint(key_text: str) -> str:
    """Which key this is, without showing it: SHA-256 of the public half (DER
    SubjectPublicKeyInfo), first 16 hex digits as ``ab12:cd34:ef56:7890``. The private key and
    its public key have the same fingerprint, so a clerk can match them with Alipay's console."""
    try:
        public_pem = normalize_public_key(key_text)
    except InvalidKeyError:
        public_pem = public_key_of(key_text)  # raises InvalidKeyError if it is no key at all
    der = serialization.load_pem_public_key(public_pem.encode()).public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    digest = hashlib.sha256(der).hexdigest()[:16]
    return ":".join(digest[i : i + 4] for i in range(0, 16, 4))


def saved_app_key_fingerprint(secrets: SecretStore) -> str | None:
    """The fingerprint of the stored app private key, or ``None`` when none is stored.
    Reads the keychain: call it off the GUI thread."""
    pem = secrets.load_app_private_key()
    return key_fingerprint(pem) if pem else None
