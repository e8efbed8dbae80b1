"""Shared plumbing for method handlers: the registry, the per-call context, and strict
parameter readers that turn malformed input into ``40002 isv.invalid-parameter``."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from workstation import money
from workstation.sandbox.errors import GatewayError
from workstation.sandbox.store import TS_FORMAT, fmt_ts

__all__ = [
    "METHODS",
    "Biz",
    "Context",
    "Downloads",
    "Handler",
    "Method",
    "boolean",
    "integer",
    "invalid",
    "method",
    "obj",
    "obj_list",
    "opt",
    "page",
    "parse_yuan",
    "req",
    "require_enterprise",
    "str_list",
    "timestamp",
    "total_pages",
    "yuan",
]

Biz = dict[str, Any]


class Downloads(Protocol):
    def issue(self, bill_type: str, bill_date: str) -> str:
        """Register a statement download and return its (short-lived) URL."""
        ...


@dataclass
class Context:
    """What a handler may use. ``conn`` is inside the request's transaction."""

    conn: sqlite3.Connection
    now: datetime
    base_url: str
    app_id: str
    enterprise_id: str
    emit: Callable[[str, dict[str, Any]], None]
    downloads: Downloads

    @property
    def ts(self) -> str:
        return fmt_ts(self.now)


Handler = Callable[[Context, Biz], Biz]


@dataclass(frozen=True)
class Method:
    """A gateway method: its handler and every top-level field its success answer may carry
    (besides code/msg). The gateway refuses to send undeclared fields, and the contract test
    checks the declarations against alipay-api.md."""

    name: str
    handler: Handler
    response_fields: frozenset[str]

    def __call__(self, ctx: Context, biz: Biz) -> Biz:
        return self.handler(ctx, biz)


METHODS: dict[str, Method] = {}


def method(name: str, *fields: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        if name in METHODS:
            raise RuntimeError(f"method registered twice: {name}")
        METHODS[name] = Method(name, fn, frozenset(fields))
        return fn

    return register


# --- parameter readers -------------------------------------------------------------------


def invalid(detail: str) -> GatewayError:
    return GatewayError("isv.invalid-parameter", detail)


def opt(biz: Biz, key: str) -> str | None:
    """A scalar as text; absent, null and blank are all None (Alipay drops empty values)."""
    value = biz.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise invalid(f"{key} 必须是字符串")
    text = str(value).strip()
    return text or None


def req(biz: Biz, key: str) -> str:
    value = opt(biz, key)
    if value is None:
        raise invalid(f"缺少必选参数 {key}")
    return value


def integer(biz: Biz, key: str, default: int, lo: int, hi: int) -> int:
    value = biz.get(key)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise invalid(f"{key} 必须是整数")
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise invalid(f"{key} 必须是整数") from None
    if not lo <= number <= hi:
        raise invalid(f"{key} 必须在 {lo} 到 {hi} 之间")
    return number


def boolean(biz: Biz, key: str) -> bool | None:
    value = biz.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().upper()
    if text in ("TRUE", "Y", "1", "YES"):
        return True
    if text in ("FALSE", "N", "0", "NO"):
        return False
    raise invalid(f"{key} 必须是布尔值")


def timestamp(biz: Biz, key: str) -> datetime | None:
    """``yyyy-MM-dd HH:mm:ss``; a bare ``yyyy-MM-dd`` means the start of that day."""
    text = opt(biz, key)
    if text is None:
        return None
    for fmt in (TS_FORMAT, "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise invalid(f"{key} 格式应为 yyyy-MM-dd HH:mm:ss")


def str_list(biz: Biz, key: str, *, limit: int = 1000) -> list[str] | None:
    value = biz.get(key)
    if value is None:
        return None
    if not isinstance(value, list):
        raise invalid(f"{key} 必须是列表")
    out: list[str] = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, str | int):
            raise invalid(f"{key} 的元素必须是字符串")
        text = str(item).strip()
        if text:
            out.append(text)
    if len(out) > limit:
        raise invalid(f"{key} 最多 {limit} 个")
    return out


def obj(biz: Biz, key: str) -> Biz | None:
    value = biz.get(key)
    if value is None:
        return None
    if isinstance(value, str):  # some SDK models send nested objects as JSON strings
        try:
            value = json.loads(value)
        except ValueError:
            raise invalid(f"{key} 必须是对象") from None
    if not isinstance(value, dict):
        raise invalid(f"{key} 必须是对象")
    return value


def obj_list(biz: Biz, key: str, *, limit: int = 1000) -> list[Biz]:
    value = biz.get(key)
    if value is None:
        return []
    if isinstance(value, dict):  # a single object where a list was expected: be forgiving
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise invalid(f"{key} 必须是对象列表")
    if len(value) > limit:
        raise invalid(f"{key} 最多 {limit} 个")
    return value


def page(biz: Biz, *, default_size: int = 20, max_size: int = 1000) -> tuple[int, int]:
    return (
        integer(biz, "page_num", 1, 1, 10**7),
        integer(biz, "page_size", default_size, 1, max_size),
    )


def total_pages(total: int, size: int) -> int:
    return (total + size - 1) // size


def parse_yuan(value: object, field: str) -> int:
    """A yuan amount as Alipay sends it (``"12.30"``) → fen. Raises AMOUNT_INVALID."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise GatewayError("AMOUNT_INVALID", f"{field}={value!r}")
    try:
        return money.to_fen(money.parse(value, field=field), field=field)
    except money.MoneyError as exc:
        raise GatewayError("AMOUNT_INVALID", f"{field}={value!r}（{exc.message_zh}）") from None


def yuan(fen: int) -> str:
    """Fen → ``"12.30"``. Integer arithmetic only: this runs a million times per bill sync."""
    whole, cents = divmod(abs(fen), 100)
    return f"{'-' if fen < 0 else ''}{whole}.{cents:02d}"


def require_enterprise(ctx: Context, biz: Biz) -> sqlite3.Row:
    """The enterprise named by ``enterprise_id`` (or the legacy ``account_id``)."""
    eid = opt(biz, "enterprise_id")
    account = opt(biz, "account_id")
    if eid is None and account is None:
        raise invalid("缺少必选参数 enterprise_id")
    if eid is not None:
        row = ctx.conn.execute(
            "SELECT * FROM enterprise WHERE enterprise_id = ? AND status != 'CANCELLED'", (eid,)
        ).fetchone()
    else:
        row = ctx.conn.execute(
            "SELECT * FROM enterprise WHERE account_id = ? AND status != 'CANCELLED'", (account,)
        ).fetchone()
    if row is None:
        raise GatewayError("ENTERPRISE_NOT_EXIST", eid or account)
    return row  # type: ignore[no-any-return]
