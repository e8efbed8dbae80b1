"""Settings and paths. Plain settings live in a small JSON file per user; secrets never do
(see :mod:`workstation.secret_store`)."""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from platformdirs import PlatformDirs

from workstation.errors import ValidationError

if TYPE_CHECKING:  # secret_store imports this module (atomic_write)
    from workstation.secret_store import SecretStore

__all__ = [
    "HOME_ENV",
    "LANGUAGES",
    "PRODUCTION_GATEWAY",
    "AppPaths",
    "Settings",
    "SettingsStore",
    "SyncIntervals",
]

APP_NAME = "FinanceWorkstation"
HOME_ENV = "WORKSTATION_HOME"  # one folder for everything: tests, demo, portable installs
PRODUCTION_GATEWAY = "https://openapi.alipay.com/gateway.do"
LANGUAGES = ("zh_CN", "en")
THEMES = ("system", "light", "dark")
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class AppPaths:
    config_dir: Path
    data_dir: Path

    @classmethod
    def default(cls) -> AppPaths:
        home = os.environ.get(HOME_ENV)
        if home:
            base = Path(home)
            return cls(config_dir=base / "config", data_dir=base / "data")
        dirs = PlatformDirs(APP_NAME, appauthor=False)
        return cls(config_dir=Path(dirs.user_config_dir), data_dir=Path(dirs.user_data_dir))

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def secrets_dir(self) -> Path:
        return self.data_dir / "secrets"

    @property
    def demo_dir(self) -> Path:
        return self.data_dir / "demo"


@dataclass(frozen=True)
class SyncIntervals:
    """Seconds between background runs of each sync job."""

    bills: int = 60
    org: int = 900
    institutions: int = 900
    quotas: int = 300
    vouchers: int = 600
    enterprise: int = 3600

    MIN = 10
    MAX = 86_400

    def validated(self) -> SyncIntervals:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValidationError(
                    f"sync.{f.name}", "必须是整数秒", "must be a whole number of seconds", value
                )
            if not self.MIN <= value <= self.MAX:
                raise ValidationError(
                    f"sync.{f.name}",
                    f"必须在 {self.MIN} 到 {self.MAX} 秒之间",
                    f"must be between {self.MIN} and {self.MAX} seconds",
                    value,
                )
        return self


@dataclass(frozen=True)
class Settings:
    """What a clerk configures. ``relay_token`` is carried here but stored in the keychain."""

    app_id: str = ""
    enterprise_id: str = ""
    gateway_url: str = PRODUCTION_GATEWAY
    alipay_public_key: str = ""
    relay_url: str = ""
    relay_token: str = field(default="", repr=False)
    language: str = "zh_CN"
    theme: str = "system"
    backfill_days: int = 90
    sync: SyncIntervals = field(default_factory=SyncIntervals)

    def validated(self) -> Settings:
        if self.app_id and not re.fullmatch(r"\d{8,32}", self.app_id):
            raise ValidationError(
                "app_id", "应用 ID 应为 8–32 位数字", "app id must be 8–32 digits", self.app_id
            )
        _check_url("gateway_url", self.gateway_url, ("https", "http"))
        if self.relay_url:
            _check_url("relay_url", self.relay_url, ("wss", "ws"))
        if self.language not in LANGUAGES:
            raise ValidationError(
                "language", f"可选：{', '.join(LANGUAGES)}", f"one of {', '.join(LANGUAGES)}"
            )
        if self.theme not in THEMES:
            raise ValidationError(
                "theme", f"可选：{', '.join(THEMES)}", f"one of {', '.join(THEMES)}"
            )
        if isinstance(self.backfill_days, bool) or not 1 <= self.backfill_days <= 3650:
            raise ValidationError(
                "backfill_days",
                "历史回补天数应在 1–3650 之间",
                "backfill must be 1–3650 days",
                self.backfill_days,
            )
        self.sync.validated()
        return self

    def to_json_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("relay_token")  # a secret: the store puts it in the keychain
        return data

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> Settings:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known and k != "relay_token"}
        sync_data = values.pop("sync", None) or {}
        sync_known = {f.name for f in fields(SyncIntervals)}
        sync = SyncIntervals(**{k: v for k, v in sync_data.items() if k in sync_known})
        return cls(**values, sync=sync).validated()


def _check_url(name: str, url: str, schemes: tuple[str, str]) -> None:
    secure, plain = schemes
    parts = urlsplit(url)
    if parts.scheme not in schemes or not parts.hostname:
        raise ValidationError(
            name, f"应为 {secure}:// 开头的地址", f"must be a {secure}:// URL", url
        )
    if parts.scheme == plain and parts.hostname not in _LOOPBACK:
        raise ValidationError(
            name,
            f"非本机地址必须使用 {secure}://（加密）",
            f"a non-loopback address must use {secure}:// (encrypted)",
            url,
        )


class SettingsStore:
    """Reads and writes ``settings.json``; the relay token goes through the secret store."""

    RELAY_TOKEN = "relay-token"

    def __init__(self, paths: AppPaths, secrets: SecretStore | None = None) -> None:
        self.paths = paths
        self.secrets = secrets  # optional: headless tools read settings without a keychain

    def load(self) -> Settings:
        path = self.paths.settings_file
        settings = Settings()
        if path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as exc:
                raise ValidationError(
                    "settings", f"设置文件无法读取：{path}", f"settings file unreadable: {path}"
                ) from exc
            settings = Settings.from_json_dict(data)
        if self.secrets is not None:
            token = self.secrets.get_secret(self.RELAY_TOKEN)
            if token:
                settings = replace(settings, relay_token=token)
        return settings

    def save(self, settings: Settings) -> None:
        settings.validated()
        if self.secrets is not None:
            if settings.relay_token:
                self.secrets.set_secret(self.RELAY_TOKEN, settings.relay_token)
            else:
                self.secrets.delete_secret(self.RELAY_TOKEN)
        atomic_write(
            self.paths.settings_file,
            json.dumps(settings.to_json_dict(), ensure_ascii=False, indent=2).encode("utf-8"),
        )


def atomic_write(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write via a temp file and rename, so a crash leaves the old or the new file, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
