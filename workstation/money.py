"""Money: ``Decimal`` in code, integer fen (分) in the database, never float.

Alipay sends amounts as yuan strings (``"12.30"``); some quota fields come in fen. Clerks type
``"¥1,234.50"``. Everything funnels through :func:`parse` (strict) and :func:`to_fen` /
:func:`from_fen` (exact), so a value never silently loses a fen.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import Enum

__all__ = [
    "FEN",
    "ZERO",
    "MoneyError",
    "MoneyErrorReason",
    "format_money",
    "from_fen",
    "parse",
    "quantize",
    "to_fen",
    "yuan_str",
]

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
# 10^15 fen is ten trillion yuan: far above any real enterprise amount, well inside int64.
MAX_FEN = 10**15


class MoneyErrorReason(Enum):
    EMPTY = "empty"
    MALFORMED = "malformed"
    NOT_FINITE = "not_finite"
    NEGATIVE = "negative"
    TOO_PRECISE = "too_precise"
    TOO_LARGE = "too_large"
    NOT_DECIMAL = "not_decimal"


_MESSAGES: dict[MoneyErrorReason, tuple[str, str]] = {
    MoneyErrorReason.EMPTY: ("金额不能为空", "amount is empty"),
    MoneyErrorReason.MALFORMED: ("金额格式不正确", "amount is not a number"),
    MoneyErrorReason.NOT_FINITE: ("金额必须是有限数字", "amount must be a finite number"),
    MoneyErrorReason.NEGATIVE: ("金额不能为负数", "amount must not be negative"),
    MoneyErrorReason.TOO_PRECISE: ("金额最多两位小数", "amount has more than 2 decimal places"),
    MoneyErrorReason.TOO_LARGE: ("金额超出允许范围", "amount is too large"),
    MoneyErrorReason.NOT_DECIMAL: (
        "金额必须是 Decimal、整数或字符串，不能是浮点数",
        "amount must be Decimal, int or str, never float",
    ),
}


class MoneyError(ValueError):
    """A value that is not acceptable money. Carries a reason and a bilingual message."""

    def __init__(self, reason: MoneyErrorReason, value: object, field: str | None = None) -> None:
        self.reason = reason
        self.value = value
        self.field = field
        zh, en = _MESSAGES[reason]
        self.message_zh = zh
        self.message_en = en
        where = f"{field}: " if field else ""
        super().__init__(f"{where}{zh} / {en}: {value!r}")


# Digits with optional thousands separators ("1,234,567.89") or plain digits ("1234567.89").
_NUMBER = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^\.\d+$")
_CURRENCY_MARKS = ("¥", "￥", "CNY", "RMB", "元")
_PLAIN = re.compile(r"(?:0|[1-9]\d{0,12})\.\d\d")  # < 10^13 yuan: always inside MAX_FEN


def parse(
    value: str | int | Decimal,
    *,
    allow_negative: bool = False,
    round_half_up: bool = False,
    field: str | None = None,
) -> Decimal:
    """Parse a clerk's or Alipay's amount into a ``Decimal`` with exactly two places.

    Accepts ``"12.34"``, ``"¥1,234.50"``, ``"1234"``, ``" 5 元"``, ints and Decimals. Rejects
    floats, NaN, infinities, negatives (unless ``allow_negative``), and more than two decimals
    (unless ``round_half_up``, which rounds half up to the fen).
    """
    if isinstance(value, bool | float):
        raise MoneyError(MoneyErrorReason.NOT_DECIMAL, value, field)
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str):
        if _PLAIN.fullmatch(value):  # "123.45", what Alipay sends: skip the clerk-input rules
            return Decimal(value)
        amount = _parse_text(value, field)
    else:
        raise MoneyError(MoneyErrorReason.NOT_DECIMAL, value, field)

    if not amount.is_finite():
        raise MoneyError(MoneyErrorReason.NOT_FINITE, value, field)
    if amount < 0 and not allow_negative:
        raise MoneyError(MoneyErrorReason.NEGATIVE, value, field)
    exponent = amount.as_tuple().exponent
    assert isinstance(exponent, int)  # finite, so never 'n'/'N'/'F'
    if exponent < -2 and amount != amount.quantize(FEN) and not round_half_up:
        raise MoneyError(MoneyErrorReason.TOO_PRECISE, value, field)
    result = amount.quantize(FEN, rounding=ROUND_HALF_UP)
    if abs(result) * 100 > MAX_FEN:
        raise MoneyError(MoneyErrorReason.TOO_LARGE, value, field)
    return result + ZERO  # normalises -0.00 to 0.00


def _parse_text(text: str, field: str | None) -> Decimal:
    s = text.strip()
    if not s:
        raise MoneyError(MoneyErrorReason.EMPTY, text, field)
    negative = False
    if s[0] in "-−":
        negative = True
        s = s[1:].strip()
    elif s[0] == "+":
        s = s[1:].strip()
    for mark in _CURRENCY_MARKS:
        if s.startswith(mark):
            s = s[len(mark) :].strip()
        if s.endswith(mark):
            s = s[: -len(mark)].strip()
    if s[:1] in ("-", "−") and not negative:  # "¥-5.00"
        negative = True
        s = s[1:].strip()
    lowered = s.lower()
    if lowered in {"nan", "snan", "inf", "infinity"}:
        raise MoneyError(MoneyErrorReason.NOT_FINITE, text, field)
    if not _NUMBER.match(s):
        raise MoneyError(MoneyErrorReason.MALFORMED, text, field)
    try:
        amount = Decimal(s.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid numbers
        raise MoneyError(MoneyErrorReason.MALFORMED, text, field) from exc
    return -amount if negative else amount


def quantize(value: Decimal) -> Decimal:
    """Round half up to the fen. Only for callers that explicitly want rounding (e.g. splits)."""
    if not value.is_finite():
        raise MoneyError(MoneyErrorReason.NOT_FINITE, value)
    return value.quantize(FEN, rounding=ROUND_HALF_UP) + ZERO


def to_fen(value: Decimal, *, field: str | None = None) -> int:
    """Exact yuan → fen. Raises if the value has fractions of a fen (never rounds silently)."""
    if isinstance(value, float) or not isinstance(value, Decimal | int):
        raise MoneyError(MoneyErrorReason.NOT_DECIMAL, value, field)
    d = Decimal(value)
    if not d.is_finite():
        raise MoneyError(MoneyErrorReason.NOT_FINITE, value, field)
    fen = d * 100
    if fen != fen.to_integral_value():
        raise MoneyError(MoneyErrorReason.TOO_PRECISE, value, field)
    result = int(fen)
    if abs(result) > MAX_FEN:
        raise MoneyError(MoneyErrorReason.TOO_LARGE, value, field)
    return result


def from_fen(fen: int) -> Decimal:
    """Integer fen → ``Decimal`` yuan with two places."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise MoneyError(MoneyErrorReason.NOT_DECIMAL, fen)
    return (Decimal(fen) / 100).quantize(FEN)


def format_money(value: Decimal | None, *, symbol: bool = True, empty: str = "") -> str:
    """``Decimal("1234.5")`` → ``"¥1,234.50"``; negative as ``"-¥1,234.50"``."""
    if value is None:
        return empty
    q = value.quantize(FEN, rounding=ROUND_HALF_UP)
    sign = "-" if q < 0 else ""
    body = f"{abs(q):,.2f}"
    return f"{sign}{'¥' if symbol else ''}{body}"


def yuan_str(value: Decimal) -> str:
    """The plain string Alipay expects for a yuan amount: ``"1234.50"``."""
    return f"{value.quantize(FEN, rounding=ROUND_HALF_UP):.2f}"
