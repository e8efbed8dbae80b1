"""Transactions: units of work take SQLite's write lock up front; reads never do."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select, text

from workstation.db.engine import Database
from workstation.org.models import Employee


def begins(database: Database) -> list[str]:
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("BEGIN"):
            seen.append(statement)

    event.listen(database.engine, "before_cursor_execute", record)
    return seen


def test_units_of_work_begin_immediate_and_reads_begin_deferred(database: Database) -> None:
    seen = begins(database)
    with database.session() as s:
        s.add(Employee(employee_id="U1", enterprise_id="E", name="张三"))
    assert seen == ["BEGIN IMMEDIATE"]

    seen.clear()
    with database.read_session() as s:
        assert s.scalars(select(Employee.name)).all() == ["张三"]
    with database.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t_employee")).scalar() == 1
    assert seen == ["BEGIN", "BEGIN"]


def test_a_reader_sees_the_last_commit_while_a_writer_holds_the_lock(database: Database) -> None:
    with database.session() as s:
        s.add(Employee(employee_id="U1", enterprise_id="E", name="张三"))
    with database.session() as writer:
        writer.add(Employee(employee_id="U2", enterprise_id="E", name="李四"))
        writer.flush()  # the write lock is held, the row not yet committed
        with database.read_session() as reader:  # WAL: reads the last committed snapshot
            assert reader.scalars(select(Employee.employee_id)).all() == ["U1"]
