"""Settings and paths. Plain settings live in a small JSON file per user; secrets never do
(see :mod:`workstation.secret_store`)."""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field, fields, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from platformdirs import PlatformDirs

from workstation.errors import ValidationError
from workstation.keys import InvalidKeyError, normalize_public_key
from workstation.money import MoneyError, parse, yuan_str

if TYPE_CHECKING:  # secret_store imports this module (atomic_write)
    from workstation.secret_store import SecretStore

__all__ = [
    "HOME_ENV",
    "LANGUAGES",
    "PRODUCTION_GATEWAY",
    "THEMES",
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
DEFAULT_NOTICE_BILL_AMOUNT = Decimal("5000.00")
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

    def problems(self) -> list[ValidationError]:
        """Every bad interval, so a form can mark all of them at once."""
        found = []
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int):
                found.append(
                    ValidationError(
                        f"sync.{f.name}", "必须是整数秒", "must be a whole number of seconds", value
                    )
                )
            elif not self.MIN <= value <= self.MAX:
                found.append(
                    ValidationError(
                        f"sync.{f.name}",
                        f"必须在 {self.MIN} 到 {self.MAX} 秒之间",
                        f"must be between {self.MIN} and {self.MAX} seconds",
                        value,
                    )
                )
        return found

    def validated(self) -> SyncIntervals:
        for problem in self.problems():
            raise problem
        return self


@dataclass(frozen=True)
class Settings:
    """What a clerk configures. ``relay_token`` is carried here but stored in the keychain."""

    app_id: str = ""
    enterprise_id: str = ""
    gateway_url: str = PRODUCTION_GATEWAY
    alipay_public_key: str = ""  # public, so a plain setting; SPKI PEM once saved by the dialog
    relay_url: str = ""
    relay_token: str = field(default="", repr=False)
    language: str = "zh_CN"
    theme: str = "system"
    backfill_days: int = 90
    sync: SyncIntervals = field(default_factory=SyncIntervals)
    # Tray notices: a new bill at or above this amount, and a quota that ran out.
    notice_bill_amount: Decimal = DEFAULT_NOTICE_BILL_AMOUNT
    notice_quota_exhausted: bool = True

    def problems(self) -> list[ValidationError]:
        """Every invalid field (empty means none). The settings dialog marks each one next to
        its field; :meth:`validated` raises the first."""
        found: list[ValidationError] = []
        if not isinstance(self.app_id, str) or (
            self.app_id and not re.fullmatch(r"\d{8,32}", self.app_id)
        ):
            found.append(
                ValidationError(
                    "app_id", "应用 ID 应为 8–32 位数字", "app id must be 8–32 digits", self.app_id
                )
            )
        if not isinstance(self.enterprise_id, str) or not re.fullmatch(
            r"[0-9A-Za-z_-]{0,64}", self.enterprise_id
        ):
            found.append(
                ValidationError(
                    "enterprise_id",
                    "企业 ID 只能包含字母、数字、下划线和连字符（最多 64 位）",
                    "enterprise id may hold only letters, digits, '_' and '-' (at most 64)",
                    self.enterprise_id,
                )
            )
        found.extend(_url_problems("gateway_url", self.gateway_url, ("https", "http")))
        if self.relay_url:
            found.extend(_url_problems("relay_url", self.relay_url, ("wss", "ws")))
        if self.alipay_public_key:
            try:
                normalize_public_key(self.alipay_public_key)
            except InvalidKeyError as exc:
                found.append(
                    ValidationError(
                        "alipay_public_key", exc.message_zh, exc.message_en, "<public key>"
                    )
                )
        if self.language not in LANGUAGES:
            found.append(
                ValidationError(
                    "language", f"可选：{', '.join(LANGUAGES)}", f"one of {', '.join(LANGUAGES)}"
                )
            )
        if self.theme not in THEMES:
            found.append(
                ValidationError(
                    "theme", f"可选：{', '.join(THEMES)}", f"one of {', '.join(THEMES)}"
                )
            )
        if (
            isinstance(self.backfill_days, bool)
            or not isinstance(self.backfill_days, int)
            or not 1 <= self.backfill_days <= 3650
        ):
            found.append(
                ValidationError(
                    "backfill_days",
                    "历史回补天数应在 1–3650 之间",
                    "backfill must be 1–3650 days",
                    self.backfill_days,
                )
            )
        found.extend(self.sync.problems())
        found.extend(_amount_problems("notice_bill_amount", self.notice_bill_amount))
        if not isinstance(self.notice_quota_exhausted, bool):
            found.append(
                ValidationError(
                    "notice_quota_exhausted",
                    "应为是或否",
                    "must be true or false",
                    self.notice_quota_exhausted,
                )
            )
        return found

    def validated(self) -> Settings:
        for problem in self.problems():
            raise problem
        return self

    def to_json_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("relay_token")  # a secret: the store puts it in the keychain
        data["notice_bill_amount"] = yuan_str(self.notice_bill_amount)  # exact, never a float
        return data

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> Settings:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known and k != "relay_token"}
        sync_data = values.pop("sync", None) or {}
        sync_known = {f.name for f in fields(SyncIntervals)}
        sync = SyncIntervals(**{k: v for k, v in sync_data.items() if k in sync_known})
        if "notice_bill_amount" in values:
            values["notice_bill_amount"] = _amount_from_json(values["notice_bill_amount"])
        return cls(**values, sync=sync).validated()


def _amount_problems(name: str, value: object) -> list[ValidationError]:
    if not isinstance(value, Decimal):
        return [ValidationError(name, "金额应为 Decimal", "amount must be a Decimal", value)]
    try:
        parse(value, field=name)
    except MoneyError as exc:
        return [ValidationError(name, exc.message_zh, exc.message_en, value)]
    return []


def _amount_from_json(value: object) -> object:
    """JSON carries the amount as a string ("5000.00"); a float would already have lost digits,
    so it is refused rather than rounded."""
    if isinstance(value, str):
        try:
            return parse(value, field="notice_bill_amount")
        except MoneyError as exc:
            raise ValidationError(
                "notice_bill_amount", exc.message_zh, exc.message_en, value
            ) from exc
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value  # validated() names the field


def _url_problems(name: str, url: str, schemes: tuple[str, str]) -> list[ValidationError]:
    secure, plain = schemes
    try:
        parts = urlsplit(url) if isinstance(url, str) else None
        hostname = parts.hostname if parts else None
    except ValueError:  # e.g. an unclosed IPv6 bracket
        parts, hostname = None, None
    if parts is None or parts.scheme not in schemes or not hostname:
        return [
            ValidationError(name, f"应为 {secure}:// 开头的地址", f"must be a {secure}:// URL", url)
        ]
    if parts.scheme == plain and hostname not in _LOOPBACK:
        return [
            ValidationError(
                name,
                f"非本机地址必须使用 {secure}://（加密）",
                f"a non-loopback address must use {secure}:// (encrypted)",
                url,
            )
        ]
    return []


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
