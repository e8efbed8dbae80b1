"""The schema comes from Alembic; the models and the migrations must agree."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from workstation.cli import main
from workstation.db.engine import Database
from workstation.db.migrate import (
    HEAD_REVISION,
    alembic_config,
    current_revision,
    head_revision,
    stored_revision,
)
from workstation.db.models import Base
from workstation.db.types import Money

EXPECTED_TABLES = {
    "t_enterprise",
    "t_department",
    "t_employee",
    "t_expense_institution",
    "t_institution_member",
    "t_expense_rule",
    "t_quota",
    "t_quota_issue_action",
    "t_bill",
    "t_voucher",
    "t_payment_order",
    "t_audit_log",
    "t_notification",
    "t_sync_cursor",
}


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'x.db'}")
    db.upgrade()
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        diff = compare_metadata(context, Base.metadata)
    db.dispose()
    assert diff == []


def test_metadata_covers_every_table() -> None:
    assert set(Base.metadata.tables) == EXPECTED_TABLES


def test_cli_db_upgrade_creates_every_table_with_integer_money(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    assert main(["db", "upgrade", "--database-url", f"sqlite:///{path}"]) == 0
    conn = sqlite3.connect(path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert tables >= EXPECTED_TABLES
        money_columns = [
            (table.name, column.name)
            for table in Base.metadata.tables.values()
            for column in table.columns
            if isinstance(column.type, Money)
        ]
        assert set(money_columns) == {
            ("t_bill", "total_amount"),
            ("t_bill", "enterprise_pay_amount"),
            ("t_bill", "personal_pay_amount"),
            ("t_bill", "discount_amount"),
            ("t_bill", "refund_amount"),
            ("t_expense_rule", "amount_cap"),
            ("t_quota", "total_amount"),
            ("t_quota", "available_amount"),
            ("t_quota_issue_action", "amount"),
            ("t_voucher", "invoice_amount"),
            ("t_voucher", "tax_amount"),
            ("t_payment_order", "amount"),
        }
        for table, column in money_columns:
            declared = {r[1]: r[2] for r in conn.execute(f"PRAGMA table_info({table})")}[column]
            assert declared == "INTEGER", (table, column, declared)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


def test_upgrade_is_idempotent_and_reaches_head(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'x.db'}")
    db.upgrade()
    db.upgrade()
    assert current_revision(db.engine) == head_revision() is not None
    db.dispose()


def test_start_up_knows_the_head_without_alembic(tmp_path: Path) -> None:
    # Start-up skips importing Alembic when the stored revision is HEAD_REVISION: it must be
    # Alembic's head, or a new migration would never run.
    assert head_revision() == HEAD_REVISION
    db = Database(f"sqlite:///{tmp_path / 'x.db'}")
    assert stored_revision(db.engine) is None
    db.upgrade()
    assert stored_revision(db.engine) == HEAD_REVISION
    command.downgrade(alembic_config(db.engine), "-1")
    assert stored_revision(db.engine) not in (None, HEAD_REVISION)
    db.upgrade()  # an older cache is still migrated
    assert current_revision(db.engine) == HEAD_REVISION
    db.dispose()


def test_downgrade_to_base_and_back(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'x.db'}")
    db.upgrade()
    command.downgrade(alembic_config(db.engine), "base")
    assert set(inspect(db.engine).get_table_names()) == {"alembic_version"}
    db.upgrade()
    assert set(inspect(db.engine).get_table_names()) >= EXPECTED_TABLES
    db.dispose()


def test_connection_pragmas(database: Database) -> None:
    with database.engine.connect() as conn:
        pragmas = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
        }
    assert pragmas == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "busy_timeout": 10000,
        "synchronous": 2,
    }


def test_database_url_resolution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workstation.db.engine import resolve_database_url
    from workstation.errors import ValidationError

    monkeypatch.delenv("WORKSTATION_DATABASE_URL", raising=False)
    assert resolve_database_url(None, tmp_path) == f"sqlite:///{tmp_path / 'workstation.db'}"
    monkeypatch.setenv("WORKSTATION_DATABASE_URL", "sqlite:///env.db")
    assert resolve_database_url(None, tmp_path) == "sqlite:///env.db"
    assert resolve_database_url("sqlite:///flag.db", tmp_path) == "sqlite:///flag.db"
    assert (
        resolve_database_url("postgresql://u:p@h/db", tmp_path) == "postgresql+psycopg://u:p@h/db"
    )
    assert (
        resolve_database_url("postgresql+psycopg://u@h/db", tmp_path)
        == "postgresql+psycopg://u@h/db"
    )
    with pytest.raises(ValidationError):
        resolve_database_url("mysql://u@h/db", tmp_path)
    with pytest.raises(ValidationError):
        resolve_database_url("not a url", tmp_path)
