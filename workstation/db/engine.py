"""Engine and sessions: SQLite (embedded default) or PostgreSQL (a team sharing one database).

Each thread uses its own short session from :meth:`Database.session`; ORM objects never cross
threads.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from workstation.errors import ValidationError

__all__ = ["DATABASE_URL_ENV", "Database", "resolve_database_url"]

DATABASE_URL_ENV = "WORKSTATION_DATABASE_URL"

# Durability: synchronous=FULL. In WAL mode NORMAL is already safe against application crashes
# and never corrupts, but a power cut or OS crash can lose the last commits. Bills and the org
# chart could be re-synced from Alipay, but payment orders and the audit log exist only here, so
# every commit is fsynced. Sync commits once per page of rows, so the cost is one fsync per page.
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=10000",
    "PRAGMA temp_store=MEMORY",
    # Connections are short (NullPool, one per read), so a page cache only lives for one query:
    # 16 MiB is as fast as 64 MiB there. No mmap: mapped pages count towards the process's
    # memory (a million-row sum touched ~250 MB of them), and on 1 000 000 bills
    # (benchmarks/bills_view.py) plain reads were as fast for pages and ~25 % slower only for
    # the full-table sum, which runs off the GUI thread.
    "PRAGMA cache_size=-16384",
)


def resolve_database_url(explicit: str | None, data_dir: Path) -> str:
    """``--database-url`` beats ``WORKSTATION_DATABASE_URL`` beats ``<data dir>/workstation.db``."""
    url = explicit or os.environ.get(DATABASE_URL_ENV) or ""
    if not url:
        data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{data_dir / 'workstation.db'}"
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise ValidationError(
            "database_url", "数据库地址格式不正确", "malformed database URL", url
        ) from exc
    if parsed.get_backend_name() not in {"sqlite", "postgresql"}:
        raise ValidationError(
            "database_url",
            "只支持 SQLite 或 PostgreSQL",
            "only SQLite and PostgreSQL are supported",
            url,
        )
    if parsed.drivername == "postgresql":  # SQLAlchemy's default would be psycopg2: use psycopg 3
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return url


def _sqlite_on_connect(dbapi_conn: Any, _record: object) -> None:
    # pysqlite's own transaction handling is off, so BEGIN is issued by SQLAlchemy (below) and
    # PRAGMAs like journal_mode run outside a transaction.
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def _sqlite_on_begin(conn: Any) -> None:
    # A unit of work (Database.session) begins IMMEDIATE: it takes the write lock at BEGIN, so two
    # writers wait on busy_timeout instead of failing with "database is locked" when a reader
    # upgrades to a writer mid-transaction. Everything else (reads, raw connections) begins
    # deferred and never waits behind a sync's write.
    write = conn.get_execution_options().get("write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


class Database:
    """One engine plus a session factory for a database URL."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        kwargs: dict[str, Any] = {"echo": echo, "future": True}
        if self.is_sqlite:
            database = parsed.database or ""
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            # NullPool: a SQLite connection is cheap, and a pooled one kept open in another thread
            # would hold the WAL's read snapshot and a file handle after dispose.
            kwargs["poolclass"] = NullPool
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 10}
        else:
            kwargs["pool_pre_ping"] = True
        self.engine: Engine = create_engine(url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_on_connect)
            event.listen(self.engine, "begin", _sqlite_on_begin)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A short unit of work: commits on success, rolls back on any error."""
        with self._sessions() as session, session.begin():
            if self.is_sqlite:
                session.connection(execution_options={"write": True})
            yield session

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A read-only session that does not take SQLite's write lock."""
        with self._sessions() as session:
            session.connection()
            # Closing (not rolling back) ends the read transaction without expiring the loaded
            # objects, so callers may use what they read after the block.
            yield session

    def upgrade(self) -> None:
        """Apply every Alembic migration (idempotent): the schema always comes from migrations."""
        from workstation.db.migrate import upgrade

        upgrade(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()
