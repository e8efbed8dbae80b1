"""Qt-free construction of the core parts, shared by the CLI and the GUI's composition root."""

from __future__ import annotations

from pathlib import Path

from workstation.alipay.gateway import AlipayGateway, GatewayConfig
from workstation.config import AppPaths, SettingsStore
from workstation.db.engine import Database, resolve_database_url
from workstation.errors import ValidationError, WorkstationError
from workstation.secret_store import SecretStore

__all__ = ["gateway_from_sandbox", "gateway_from_settings", "open_database"]


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
    config = GatewayConfig(
        app_id=settings.app_id,
        gateway_url=settings.gateway_url,
        app_private_key=private_key,
        alipay_public_key=settings.alipay_public_key,
        enterprise_id=settings.enterprise_id or None,
    )
    return AlipayGateway(config), settings.enterprise_id
