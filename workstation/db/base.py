"""Declarative base, naming conventions and the audit mixin shared by business tables.

Times: Alipay's business times (trade time, validity windows) are kept exactly as Alipay sends
them, naive China Standard Time. Our own bookkeeping times (create/update/received/applied) are
naive UTC.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, MetaData, String, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, validates

from workstation.db.types import Money, money_error_to_validation
from workstation.errors import ValidationError
from workstation.money import MoneyError, parse

__all__ = ["AuditMixin", "Base", "utcnow", "validate_money"]

# Stable constraint names: Alembic needs them to alter SQLite tables in batch mode and to diff.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        Decimal: Money(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
        list[str]: JSON(),
        dt.datetime: DateTime(),
    }


class AuditMixin:
    """creator / create_time / updater / update_time / deleted (soft delete), as in seed 004."""

    creator: Mapped[str | None] = mapped_column(String(64), default=None)
    create_time: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updater: Mapped[str | None] = mapped_column(String(64), default=None)
    update_time: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


def validate_money(*fields: str, allow_negative: bool = False, nullable: bool = True) -> Any:
    """A ``@validates`` hook: money fields reject floats, NaN, negatives and sub-fen precision
    at assignment time, with the field named, instead of failing later inside a flush."""

    def _check(self: object, key: str, value: object) -> Decimal | None:
        if value is None:
            if nullable:
                return None
            raise ValidationError(key, "不能为空", "is required", value)
        try:
            return parse(value, allow_negative=allow_negative, field=key)  # type: ignore[arg-type]
        except MoneyError as exc:
            raise money_error_to_validation(exc, key) from None

    return validates(*fields)(_check)


def validate_enum(field: str, enum_cls: type[Any]) -> Any:
    """A ``@validates`` hook that turns strings into enum members or names the bad value."""
    from workstation.db.types import coerce_enum

    def _check(self: object, key: str, value: object) -> Any:
        return coerce_enum(enum_cls, value, key)

    return validates(field)(_check)
