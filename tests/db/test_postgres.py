"""The same schema on a real PostgreSQL server (``pg`` fixture in tests/conftest.py)."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from workstation.audit.models import AuditLog
from workstation.db.engine import Database
from workstation.db.models import Base


def test_migrations_agree_with_models_on_postgres(pg: Database) -> None:
    with pg.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        assert compare_metadata(context, Base.metadata) == []
        money = conn.execute(
            text(
                "SELECT data_type FROM information_schema.columns "
                "WHERE table_name = 't_bill' AND column_name = 'total_amount'"
            )
        ).scalar()
    assert money == "bigint"


def test_audit_log_is_append_only_on_postgres(pg: Database) -> None:
    with pg.session() as s:
        s.add(AuditLog(actor="clerk", entity="payment_order", entity_id="1", action="create"))
    with pytest.raises(DBAPIError), pg.session() as s:
        s.execute(text("UPDATE t_audit_log SET action = 'tampered'"))
    with pytest.raises(DBAPIError), pg.session() as s:
        s.execute(text("DELETE FROM t_audit_log"))
