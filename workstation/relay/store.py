"""The relay's durable store: SQLAlchemy Core tables of its own (not the workstation's schema).

- ``relay_messages``: one row per notify_id; ``seq`` is the delivery order. SQLite uses
  ``AUTOINCREMENT`` so a seq is never reused after a purge empties the table (clients resume
  with ``after=<seq>``); PostgreSQL uses a ``BIGSERIAL``. Seqs only grow but may have gaps.
- ``relay_acks``: the last seq each workstation token acknowledged (by fingerprint, never the
  token itself), for operators.
- ``relay_meta``: ``store_id``, a random id made when the tables are created, so a client can
  tell a relay whose database was replaced (seqs restarted) from one it knows.

Writes come from one writer thread only (see :mod:`workstation.relay.server`), so commit order
is seq order even on PostgreSQL, where concurrent transactions could otherwise commit seqs out
of order. SQLite runs in WAL mode with ``synchronous=FULL``: a message answered ``success`` is
on disk.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url

from workstation.relay.verify import Notification

__all__ = ["RelayStore", "StoredMessage", "fingerprint", "iso_utc", "utc_now"]

metadata = MetaData()

messages = Table(
    "relay_messages",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("notify_id", String(128), nullable=False, unique=True),
    Column("msg_method", String(200), nullable=False),
    Column("biz_content", Text, nullable=False),
    Column("params", Text, nullable=False),  # JSON object text
    Column("received_at", DateTime, nullable=False, index=True),  # naive UTC
    sqlite_autoincrement=True,
)

acks = Table(
    "relay_acks",
    metadata,
    Column("client", String(64), primary_key=True),  # token fingerprint
    Column("acked_seq", BigInteger, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

meta = Table(
    "relay_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA busy_timeout=10000",
)


def iso_utc(moment: datetime) -> str:
    """Naive-UTC (as stored) → ``2025-01-02T03:04:05.678901+00:00``."""
    return moment.replace(tzinfo=UTC).isoformat()


def fingerprint(token: str) -> str:
    """A short, stable name for a token in logs and the acks table (never the token itself)."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class StoredMessage:
    """A committed message; ``frame`` is its JSON text frame, encoded once for every client."""

    seq: int
    notify_id: str
    msg_method: str
    biz_content: str
    params: dict[str, str]
    received_at: datetime
    frame: bytes  # UTF-8 JSON, sent as a text frame

    @classmethod
    def build(
        cls,
        *,
        seq: int,
        notify_id: str,
        msg_method: str,
        biz_content: str,
        params: dict[str, str],
        received_at: datetime,
    ) -> StoredMessage:
        frame = json.dumps(
            {
                "seq": seq,
                "notify_id": notify_id,
                "msg_method": msg_method,
                "biz_content": biz_content,
                "params": params,
                "received_at": iso_utc(received_at),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
        return cls(seq, notify_id, msg_method, biz_content, params, received_at, frame)


def _sqlite_on_connect(dbapi_conn: Any, _record: object) -> None:
    dbapi_conn.isolation_level = None  # SQLAlchemy issues BEGIN (below); PRAGMAs run outside
    cursor = dbapi_conn.cursor()
    for pragma in _SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def _sqlite_on_begin(conn: Any) -> None:
    conn.exec_driver_sql(
        "BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN"
    )


class RelayStore:
    """Tables plus the few statements the relay needs. Thread-safe through the engine's pool."""

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        kwargs: dict[str, Any] = {}
        if self.is_sqlite:
            database = parsed.database or ""
            if not database or database == ":memory:":
                raise ValueError("the relay needs a SQLite file, not an in-memory database")
            Path(database).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 10}
        else:
            kwargs["pool_pre_ping"] = True
        self.engine: Engine = create_engine(url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_on_connect)
            event.listen(self.engine, "begin", _sqlite_on_begin)
        self._insert = (sqlite.insert if self.is_sqlite else postgresql.insert)(messages)
        self._upsert_ack = (sqlite.insert if self.is_sqlite else postgresql.insert)(acks)
        self._raw: Any = None  # the writer's DBAPI connection, see _raw_transaction
        self._placeholder = "?" if self.is_sqlite else "%s"
        processor = DateTime().bind_processor(self.engine.dialect)
        self._bind_time: Any = processor if processor is not None else (lambda value: value)
        metadata.create_all(self.engine)
        self.store_id = self._ensure_store_id()
        self.high_seq = self.latest_seq()  # highest seq stored by this process or before it

    def close(self) -> None:
        raw, self._raw = self._raw, None
        if raw is not None:
            raw.close()
        self.engine.dispose()

    @contextmanager
    def _raw_transaction(self) -> Iterator[Any]:
        """A DBAPI cursor in a transaction on one long-lived connection (the writer thread's):
        per-batch cost is then the database's, not a pool checkout, events and a reset."""
        if self._raw is None:
            self._raw = self.engine.raw_connection()
        raw = self._raw
        try:
            cursor = raw.cursor()
            if self.is_sqlite:
                cursor.execute("BEGIN IMMEDIATE")
            yield cursor
            raw.commit()
        except BaseException:
            self._raw = None  # a broken connection (server restart, disk error) is replaced
            with contextlib.suppress(Exception):
                raw.rollback()
            with contextlib.suppress(Exception):
                raw.close()
            raise

    def _write(self) -> Any:
        return self.engine.connect().execution_options(write=True)

    def _ensure_store_id(self) -> str:
        with self._write() as conn, conn.begin():
            found = conn.execute(select(meta.c.value).where(meta.c.key == "store_id")).scalar()
            if found is not None:
                return str(found)
            insert = (sqlite.insert if self.is_sqlite else postgresql.insert)(meta)
            conn.execute(
                insert.on_conflict_do_nothing(),
                {"key": "store_id", "value": secrets.token_hex(8)},
            )
            return str(conn.execute(select(meta.c.value).where(meta.c.key == "store_id")).scalar())

    # --- writes (writer thread) -------------------------------------------------------------

    def insert_batch(
        self, batch: Sequence[tuple[Notification, datetime]]
    ) -> tuple[list[StoredMessage], dict[str, int]]:
        """Store new notifications in one transaction (one fsync for the whole batch).

        Returns the newly stored messages in seq order and ``{notify_id: seq}`` for every
        notify_id of the batch (new or already known). A notify_id seen before is not stored
        again, whatever its content.
        """
        wanted: dict[str, tuple[Notification, datetime]] = {}
        for note, at in batch:
            wanted.setdefault(note.notify_id, (note, at))
        ids = list(wanted)
        # Plain SQL on the driver: this runs for every batch, and SQLAlchemy's statement
        # compilation and connection handling cost more CPU than the database work itself.
        ph = self._placeholder
        with self._raw_transaction() as cursor:
            # Known ones first, so the insert never conflicts: a conflicting insert would
            # still use up a seq (SQLite AUTOINCREMENT, PostgreSQL sequences) and leave gaps.
            known = dict(self._seqs_of(cursor, ids))
            fresh = [nid for nid in ids if nid not in known]
            rows: list[tuple[str, int]] = []
            if fresh:
                cursor.executemany(
                    "INSERT INTO relay_messages "
                    "(notify_id, msg_method, biz_content, params, received_at) "
                    f"VALUES ({ph}, {ph}, {ph}, {ph}, {ph}) ON CONFLICT (notify_id) DO NOTHING",
                    [
                        (
                            nid,
                            wanted[nid][0].msg_method,
                            wanted[nid][0].biz_content,
                            json.dumps(wanted[nid][0].params, ensure_ascii=False),
                            self._bind_time(wanted[nid][1]),
                        )
                        for nid in fresh
                    ],
                )
                rows = sorted(self._seqs_of(cursor, fresh), key=lambda row: row[1])
        if rows:
            self.high_seq = max(self.high_seq, rows[-1][1])
        stored: list[StoredMessage] = []
        seqs = dict(known)
        for nid, seq in rows:
            note, at = wanted[str(nid)]
            seqs[str(nid)] = int(seq)
            stored.append(
                StoredMessage.build(
                    seq=int(seq),
                    notify_id=note.notify_id,
                    msg_method=note.msg_method,
                    biz_content=note.biz_content,
                    params=note.params,
                    received_at=at,
                )
            )
        return stored, seqs

    def _seqs_of(self, cursor: Any, ids: list[str]) -> list[tuple[str, int]]:
        """``(notify_id, seq)`` of the stored ones among ``ids`` (in chunks: SQLite limits the
        number of parameters of one statement)."""
        out: list[tuple[str, int]] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join([self._placeholder] * len(chunk))
            cursor.execute(
                f"SELECT notify_id, seq FROM relay_messages WHERE notify_id IN ({marks})",
                tuple(chunk),
            )
            out.extend((str(nid), int(seq)) for nid, seq in cursor.fetchall())
        return out

    def save_acks(self, acked: dict[str, int]) -> None:
        """Upsert ``{client fingerprint: seq}``; a lower seq never replaces a higher one."""
        if not acked:
            return
        now = utc_now()
        rows = [{"client": c, "acked_seq": s, "updated_at": now} for c, s in acked.items()]
        stmt = self._upsert_ack
        stmt = stmt.on_conflict_do_update(
            index_elements=["client"],
            set_={
                "acked_seq": func.max(acks.c.acked_seq, stmt.excluded.acked_seq)
                if self.is_sqlite
                else func.greatest(acks.c.acked_seq, stmt.excluded.acked_seq),
                "updated_at": stmt.excluded.updated_at,
            },
        )
        with self._write() as conn, conn.begin():
            conn.execute(stmt, rows)

    def purge(self, older_than: datetime | None, keep_count: int | None) -> int:
        """Delete messages received before ``older_than`` and all but the newest
        ``keep_count``; returns how many went."""
        removed = 0
        with self._write() as conn, conn.begin():
            if older_than is not None:
                removed += conn.execute(
                    delete(messages).where(messages.c.received_at < older_than)
                ).rowcount
            if keep_count is not None:
                floor = conn.execute(
                    select(messages.c.seq)
                    .order_by(messages.c.seq.desc())
                    .offset(keep_count)
                    .limit(1)
                ).scalar()
                if floor is not None:
                    removed += conn.execute(
                        delete(messages).where(messages.c.seq <= floor)
                    ).rowcount
        return removed

    # --- reads (any thread) ----------------------------------------------------------------

    def latest_seq(self) -> int:
        """The highest stored seq (0 when none is stored)."""
        with self.engine.connect() as conn:
            value = conn.execute(select(func.max(messages.c.seq))).scalar()
        return int(value or 0)

    def oldest_seq(self) -> int | None:
        with self.engine.connect() as conn:
            value = conn.execute(select(func.min(messages.c.seq))).scalar()
        return None if value is None else int(value)

    def read_after(self, after: int, limit: int) -> list[StoredMessage]:
        """Up to ``limit`` stored messages with ``seq > after``, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(
                    messages.c.seq,
                    messages.c.notify_id,
                    messages.c.msg_method,
                    messages.c.biz_content,
                    messages.c.params,
                    messages.c.received_at,
                )
                .where(messages.c.seq > after)
                .order_by(messages.c.seq)
                .limit(limit)
            ).all()
        return [
            StoredMessage.build(
                seq=int(r.seq),
                notify_id=r.notify_id,
                msg_method=r.msg_method,
                biz_content=r.biz_content,
                params=json.loads(r.params),
                received_at=r.received_at,
            )
            for r in rows
        ]

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(messages)).scalar() or 0)

    def acked(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(acks.c.client, acks.c.acked_seq)).all()
        return {str(c): int(s) for c, s in rows}
