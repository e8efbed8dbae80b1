"""Column types: money as integer fen, enums as validated text.

SQLite has no decimal type, and SQLAlchemy's ``Numeric`` goes through float there, so money is
never ``Numeric``: it is a BIGINT of fen that reads back as ``Decimal``.
"""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Any, Generic, TypeVar

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

from workstation.errors import ValidationError
from workstation.money import MoneyError, from_fen, to_fen

__all__ = ["EnumText", "Money", "coerce_enum"]

E = TypeVar("E", bound=enum.Enum)


class Money(TypeDecorator[Decimal]):
    """``Decimal`` yuan in Python, exact integer fen in the database."""

    impl = BigInteger
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[int]:
        # SQLite's INTEGER is already 64-bit; declaring it so keeps the schema self-explanatory.
        return dialect.type_descriptor(Integer() if dialect.name == "sqlite" else BigInteger())

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        return to_fen(value)

    def process_result_value(self, value: int | None, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return from_fen(int(value))

    def process_literal_param(self, value: Decimal | None, dialect: Dialect) -> str:
        return "NULL" if value is None else str(to_fen(value))


def coerce_enum(enum_cls: type[E], value: object, field: str) -> E:
    """A member of ``enum_cls`` from a member or its value, or a clear bilingual error."""
    if isinstance(value, enum_cls):
        return value
    try:
        return enum_cls(value)
    except ValueError:
        allowed = ", ".join(str(m.value) for m in enum_cls)
        raise ValidationError(
            field,
            f"未知的取值 {value!r}（可选：{allowed}）",
            f"unknown value {value!r} (allowed: {allowed})",
            value,
        ) from None


class EnumText(TypeDecorator[E], Generic[E]):
    """A Python ``Enum`` stored as its string value (portable; no native DB enum)."""

    impl = String(32)
    cache_ok = True

    def __init__(self, enum_cls: type[E], length: int = 32) -> None:
        super().__init__(length)
        self.enum_cls = enum_cls

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return str(coerce_enum(self.enum_cls, value, self.enum_cls.__name__).value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> E | None:
        if value is None:
            return None
        return self.enum_cls(value)

    def copy(self, **kw: Any) -> EnumText[E]:
        return EnumText(self.enum_cls, self.impl.length or 32)


def money_error_to_validation(exc: MoneyError, field: str) -> ValidationError:
    return ValidationError(field, exc.message_zh, exc.message_en, exc.value)
