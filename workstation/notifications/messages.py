"""One relay frame → a :class:`RelayMessage`, and the small frozen types handlers report with.

The relay forwards each verified Alipay notification as a JSON text frame::

    {"seq": 17, "notify_id": "…", "msg_method": "alipay.commerce.ec.consume.change.notify",
     "biz_content": "{\\"pay_no\\":\\"…\\"}", "params": {"app_id": "…", …},
     "received_at": "2026-05-01T08:00:00.123456+00:00"}

``biz_content`` is Alipay's original JSON text, or ``""`` for flat-style notifications whose
business fields arrive as form fields (then they are in ``params``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from workstation.db.base import utcnow
from workstation.errors import ValidationError

__all__ = [
    "BillNotice",
    "EmployeeNotice",
    "QuotaNotice",
    "RelayMessage",
    "parse_frame",
]

# Form fields of Alipay's message envelope, not business data (alipay-api.md 2.2).
ENVELOPE_FIELDS = frozenset(
    {
        "notify_id",
        "utc_timestamp",
        "msg_method",
        "app_id",
        "version",
        "biz_content",
        "sign",
        "sign_type",
        "charset",
        "notify_time",
        "notify_type",
    }
)


@dataclass(frozen=True)
class RelayMessage:
    seq: int
    notify_id: str
    msg_method: str
    biz_content: str  # the original JSON text; "" for flat style
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    received_at: dt.datetime | None = None  # naive UTC, when the relay accepted it

    @property
    def fields(self) -> dict[str, Any]:
        """The business fields: the decoded ``biz_content``, or for flat-style notifications the
        form fields that are not part of the envelope."""
        if self.biz_content:
            try:
                value = json.loads(self.biz_content)
            except json.JSONDecodeError:
                return {}
            return dict(value) if isinstance(value, dict) else {}
        return {k: v for k, v in self.params.items() if k not in ENVELOPE_FIELDS}

    def text(self, *names: str) -> str | None:
        """The first non-empty of ``names`` among the business fields, as text."""
        values = self.fields
        for name in names:
            value = values.get(name)
            if value not in (None, ""):
                return str(value)
        return None


def _timestamp(value: object) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed


def parse_frame(text: str | bytes) -> RelayMessage:
    """Decode one relay frame; a malformed frame raises :class:`ValidationError` naming the
    field (the relay is ours, so this means a version mismatch, not bad luck)."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValidationError("frame", "中继消息不是 JSON", "the relay frame is not JSON") from exc
    if not isinstance(data, dict):
        raise ValidationError("frame", "中继消息不是对象", "the relay frame is not an object")
    seq = data.get("seq")
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise ValidationError("seq", "序号必须是正整数", "must be a positive integer", seq)
    notify_id = data.get("notify_id")
    if not isinstance(notify_id, str) or not notify_id or len(notify_id) > 64:
        raise ValidationError(
            "notify_id", "通知ID必须是1到64个字符", "must be 1 to 64 characters", notify_id
        )
    method = data.get("msg_method")
    if not isinstance(method, str) or not method or len(method) > 128:
        raise ValidationError(
            "msg_method", "消息类型必须是1到128个字符", "must be 1 to 128 characters", method
        )
    biz = data.get("biz_content")
    biz = "" if biz is None else biz
    if not isinstance(biz, str):
        raise ValidationError("biz_content", "必须是 JSON 文本", "must be JSON text", biz)
    params = data.get("params")
    params = {} if params is None else params
    if not isinstance(params, dict):
        raise ValidationError("params", "必须是对象", "must be an object", params)
    return RelayMessage(
        seq=seq,
        notify_id=notify_id,
        msg_method=method,
        biz_content=biz,
        params=MappingProxyType(dict(params)),
        received_at=_timestamp(data.get("received_at")) or utcnow(),
    )


# --- what a handler reports about its effect (for live refresh and tray notices) ----------------


@dataclass(frozen=True)
class BillNotice:
    """A bill a notification wrote. ``new`` — Alipay says it was created (``change_type``
    CREATE) or the cache did not have it yet."""

    pay_no: str
    consume_type: str
    change_type: str | None
    employee_id: str | None
    employee_name: str | None
    merchant_name: str | None
    amount: Decimal
    enterprise_paid: Decimal
    trade_time: dt.datetime | None
    institution_id: str | None
    new: bool


@dataclass(frozen=True)
class QuotaNotice:
    """An employee quota re-read after a bill. ``just_exhausted`` — nothing left now although
    the cache had something left before (so the clerk is told once, not on every bill)."""

    quota_id: str
    employee_id: str
    employee_name: str | None
    institution_id: str
    institution_name: str | None
    total: Decimal
    available: Decimal
    just_exhausted: bool


@dataclass(frozen=True)
class EmployeeNotice:
    employee_id: str
    name: str | None
    status: str  # EmployeeStatus value: active / pending / deleted
    change_type: str | None
