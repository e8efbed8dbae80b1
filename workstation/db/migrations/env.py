"""Alembic environment: runs against the engine the app hands over (never a URL in a file)."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy.types import TypeDecorator

from workstation.db.models import Base
from workstation.db.types import Money

config = context.config
target_metadata = Base.metadata


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    # Migrations store plain portable types: Money is BIGINT fen, enums are VARCHAR. The Python
    # side (Decimal, Enum) lives in the models, so old migrations never import app enums.
    if type_ == "type" and isinstance(obj, Money):
        return 'sa.BigInteger().with_variant(sa.Integer(), "sqlite")'
    if type_ == "type" and isinstance(obj, TypeDecorator):
        impl = obj.impl_instance if hasattr(obj, "impl_instance") else obj.impl
        return f"sa.{impl!r}"
    return False


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        raise RuntimeError("workstation migrations run from workstation.db.migrate, with an engine")
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            compare_server_default=True,
            render_item=render_item,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
