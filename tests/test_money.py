from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workstation import money
from workstation.money import MoneyError, MoneyErrorReason

fen_values = st.integers(min_value=-(10**14), max_value=10**14)
nonneg_fen = st.integers(min_value=0, max_value=10**14)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.34", "12.34"),
        ("¥1,234.50", "1234.50"),
        ("1234", "1234.00"),
        ("￥ 0.5", "0.50"),
        (" 88 元", "88.00"),
        ("CNY 1,000,000.01", "1000000.01"),
        ("0", "0.00"),
        (".5", "0.50"),
        ("12.340", "12.34"),  # trailing zero is not extra precision
    ],
)
def test_parse_accepts_what_clerks_type(text: str, expected: str) -> None:
    assert money.parse(text) == Decimal(expected)
    assert str(money.parse(text)) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", MoneyErrorReason.EMPTY),
        ("   ", MoneyErrorReason.EMPTY),
        ("abc", MoneyErrorReason.MALFORMED),
        ("1,23.00", MoneyErrorReason.MALFORMED),
        ("1.2.3", MoneyErrorReason.MALFORMED),
        ("NaN", MoneyErrorReason.NOT_FINITE),
        ("inf", MoneyErrorReason.NOT_FINITE),
        (Decimal("NaN"), MoneyErrorReason.NOT_FINITE),
        (Decimal("Infinity"), MoneyErrorReason.NOT_FINITE),
        ("-5", MoneyErrorReason.NEGATIVE),
        ("¥-5.00", MoneyErrorReason.NEGATIVE),
        ("1.234", MoneyErrorReason.TOO_PRECISE),
        (Decimal("0.001"), MoneyErrorReason.TOO_PRECISE),
        (1.5, MoneyErrorReason.NOT_DECIMAL),
        (True, MoneyErrorReason.NOT_DECIMAL),
        ("100000000000000000", MoneyErrorReason.TOO_LARGE),
    ],
)
def test_parse_rejects_bad_input_with_a_reason(value: object, reason: MoneyErrorReason) -> None:
    with pytest.raises(MoneyError) as info:
        money.parse(value, field="amount")  # type: ignore[arg-type]
    assert info.value.reason is reason
    assert info.value.field == "amount"
    assert info.value.message_zh and info.value.message_en
    assert "amount" in str(info.value)


def test_negative_allowed_only_when_asked() -> None:
    assert money.parse("-5.10", allow_negative=True) == Decimal("-5.10")
    assert money.parse("−5", allow_negative=True) == Decimal("-5.00")  # unicode minus


def test_round_half_up_only_when_asked() -> None:
    assert money.parse("2.345", round_half_up=True) == Decimal("2.35")
    assert money.parse("2.344", round_half_up=True) == Decimal("2.34")
    assert money.quantize(Decimal("0.005")) == Decimal("0.01")
    assert money.quantize(Decimal("-0.005")) == Decimal("-0.01")


def test_format() -> None:
    assert money.format_money(Decimal("1234.5")) == "¥1,234.50"
    assert money.format_money(Decimal("-1234.5")) == "-¥1,234.50"
    assert money.format_money(Decimal("0")) == "¥0.00"
    assert money.format_money(Decimal("1234567.89"), symbol=False) == "1,234,567.89"
    assert money.format_money(None, empty="—") == "—"
    assert money.yuan_str(Decimal("7")) == "7.00"


def test_to_fen_never_rounds_silently() -> None:
    with pytest.raises(MoneyError) as info:
        money.to_fen(Decimal("1.005"))
    assert info.value.reason is MoneyErrorReason.TOO_PRECISE
    with pytest.raises(MoneyError):
        money.to_fen(1.5)  # type: ignore[arg-type]
    assert money.to_fen(Decimal("-0.01")) == -1


@given(fen_values)
def test_fen_round_trip(fen: int) -> None:
    assert money.to_fen(money.from_fen(fen)) == fen


@given(fen_values)
def test_format_parse_round_trip(fen: int) -> None:
    value = money.from_fen(fen)
    text = money.format_money(value)
    assert money.parse(text, allow_negative=True) == value
    assert money.parse(money.yuan_str(value), allow_negative=True) == value


@given(nonneg_fen)
def test_plain_and_grouped_text_agree(fen: int) -> None:
    value = money.from_fen(fen)
    assert money.parse(f"{value:,.2f}") == money.parse(f"{value:.2f}") == value


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=0, max_value=10**12))
def test_parse_is_idempotent_on_decimals(value: Decimal) -> None:
    parsed = money.parse(value)
    assert parsed == value
    assert money.parse(parsed) == parsed
    assert parsed.as_tuple().exponent == -2


@given(st.text(max_size=20))
def test_parse_never_crashes_on_arbitrary_text(text: str) -> None:
    try:
        result = money.parse(text, allow_negative=True)
    except MoneyError:
        return
    assert result.is_finite()
    assert result == result.quantize(money.FEN)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=0, max_value=10**9))
def test_three_decimals_rejected_unless_exact_fen(value: Decimal) -> None:
    if value == value.quantize(money.FEN):
        assert money.parse(value) == value
    else:
        with pytest.raises(MoneyError):
            money.parse(value)
