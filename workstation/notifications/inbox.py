"""The apply transaction: effects, inbox rows and the relay seq commit together.

A batch of consecutive messages (already fetched, in seq order) is written in one unit of work:
for each message its handler's effect, its inbox row (APPLIED, FAILED with the reason, or
IGNORED), and at the end the highest seq. A crash anywhere leaves all of it or none of it, so
the workstation resumes from a seq that matches exactly what the cache holds. A notify_id
already in the inbox is skipped (Alipay redelivers the same notify_id up to 8 times) but its
seq still counts as done.

Each message's effect runs inside a savepoint: one that cannot be applied (a row the database
rejects) is rolled back alone and recorded FAILED, and the rest of the batch stands. A database
that cannot be written at all (locked, disk full) fails the whole batch, which is retried.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from workstation.alipay.errors import AlipayError
from workstation.alipay.gateway import AlipayGateway
from workstation.db.base import utcnow
from workstation.db.engine import Database
from workstation.errors import WorkstationError
from workstation.notifications.handlers import (
    ApplyContext,
    Effect,
    Handler,
    PermanentFailure,
    is_transient,
)
from workstation.notifications.messages import RelayMessage
from workstation.notifications.models import InboxMessage, InboxStatus
from workstation.sync.context import china_now, read_cursor, write_cursor

__all__ = [
    "CURSOR_KEY",
    "AppliedMessage",
    "Applier",
    "InboxRow",
    "Prepared",
    "apply_batch",
    "inbox_count",
    "inbox_page",
    "join_error",
    "prepare",
    "read_seq",
    "split_error",
]

log = logging.getLogger(__name__)

CURSOR_KEY = "relay"  # t_sync_cursor.entity holding the last applied relay seq


def join_error(message_zh: str, message_en: str) -> str:
    """The inbox stores both languages, Chinese first, one per line."""
    return f"{message_zh}\n{message_en}"


def split_error(text: str | None) -> tuple[str, str] | None:
    if not text:
        return None
    zh, _, en = text.partition("\n")
    return zh, en or zh


@dataclass(frozen=True)
class Prepared:
    """A message after its fetch phase: ready to be written."""

    message: RelayMessage
    handler: Handler | None  # None: no handler for this msg_method → IGNORED
    fetched: Any = None
    failure: tuple[str, str] | None = None  # permanent (zh, en) → FAILED
    ignored: tuple[str, str] | None = None  # a reason to record it IGNORED


def prepare(
    gateway: AlipayGateway,
    message: RelayMessage,
    handlers: Mapping[str, Handler],
    enterprise_id: str | None,
) -> Prepared:
    """Run the fetch phase. Transient gateway failures propagate (the caller retries the same
    message later); everything else ends in a :class:`Prepared`."""
    handler = handlers.get(message.msg_method)
    if handler is None:
        return Prepared(message, None)
    other = message.text("enterprise_id")
    if enterprise_id and other and other != enterprise_id:
        return Prepared(
            message,
            handler,
            ignored=(
                f"通知属于其他企业（{other}）",
                f"the notification is for another enterprise ({other})",
            ),
        )
    try:
        fetched = handler.fetch(gateway, message)
    except PermanentFailure as exc:
        return Prepared(message, handler, failure=(exc.message_zh, exc.message_en))
    except Exception as exc:
        if is_transient(exc):
            raise
        if isinstance(exc, AlipayError | WorkstationError):
            return Prepared(message, handler, failure=(exc.message_zh, exc.message_en))
        message_zh = getattr(exc, "message_zh", None)
        message_en = getattr(exc, "message_en", None)
        if not (isinstance(message_zh, str) and isinstance(message_en, str)):
            log.exception("fetching %s %s failed", message.msg_method, message.notify_id)
            message_zh = f"处理通知出错：{exc}"
            message_en = f"processing the notification failed: {exc}"
        return Prepared(message, handler, failure=(message_zh, message_en))
    return Prepared(message, handler, fetched=fetched)


@dataclass(frozen=True)
class AppliedMessage:
    """The outcome of one message, for events and the 通知 tab."""

    seq: int
    notify_id: str
    msg_method: str
    status: InboxStatus
    duplicate: bool  # already in the inbox: nothing was done again
    error_zh: str | None = None
    error_en: str | None = None
    effect: Effect | None = None
    received_at: dt.datetime | None = None  # when the relay accepted it (naive UTC)

    @property
    def entities(self) -> frozenset[str]:
        return self.effect.entities if self.effect is not None else frozenset()


def read_seq(db: Database, key: str = CURSOR_KEY) -> int:
    """The last relay seq whose message the cache has applied (0 before the first)."""
    with db.read_session() as session:
        return _seq(session.connection(), key)


def _seq(conn: Connection, key: str) -> int:
    value = read_cursor(conn, key)
    try:
        return int(value) if value else 0
    except ValueError:
        return 0


def apply_batch(
    db: Database,
    items: Sequence[Prepared],
    enterprise_id: str,
    *,
    key: str = CURSOR_KEY,
    now: Callable[[], dt.datetime] = utcnow,
) -> list[AppliedMessage]:
    """Write ``items`` (ascending seq) in one transaction; see the module docstring."""
    if not items:
        return []
    with db.session() as session:
        return _apply_in(session, items, enterprise_id, key, now)


class Applier:
    """:func:`apply_batch` for one thread that applies batch after batch (the relay client's
    database thread). On SQLite it keeps one connection open: opening one per transaction
    costs its PRAGMAs and, when it closes as the last connection, a WAL checkpoint — about
    three times the work of a one-message transaction. The connection is only ever used inside
    a transaction that commits or rolls back, so it holds no lock or snapshot in between."""

    def __init__(self, db: Database, enterprise_id: str, *, key: str = CURSOR_KEY) -> None:
        self.db = db
        self.enterprise_id = enterprise_id
        self.key = key
        self._conn: Connection | None = None

    def apply(
        self, items: Sequence[Prepared], now: Callable[[], dt.datetime] = utcnow
    ) -> list[AppliedMessage]:
        if not items:
            return []
        if not self.db.is_sqlite:  # a pooled server connection is cheap already
            return apply_batch(self.db, items, self.enterprise_id, key=self.key, now=now)
        if self._conn is None:
            self._conn = self.db.engine.connect().execution_options(write=True)
        try:
            with Session(bind=self._conn) as session, session.begin():
                return _apply_in(session, items, self.enterprise_id, self.key, now)
        except OperationalError:
            self.close()  # a fresh connection for the retry
            raise

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _apply_in(
    session: Session,
    items: Sequence[Prepared],
    enterprise_id: str,
    key: str,
    now: Callable[[], dt.datetime],
) -> list[AppliedMessage]:
    ctx = ApplyContext(enterprise_id=enterprise_id, now=now(), china_now=china_now())
    results: list[AppliedMessage] = []
    conn = session.connection()
    ids = [item.message.notify_id for item in items]
    seen = set(
        conn.execute(select(InboxMessage.notify_id).where(InboxMessage.notify_id.in_(ids)))
        .scalars()
        .all()
    )
    rows: list[dict[str, Any]] = []
    for item in items:
        message = item.message
        if message.notify_id in seen:
            results.append(
                AppliedMessage(
                    message.seq,
                    message.notify_id,
                    message.msg_method,
                    InboxStatus.APPLIED,
                    duplicate=True,
                    received_at=message.received_at,
                )
            )
            continue
        seen.add(message.notify_id)
        result = _apply_one(session, ctx, item)
        results.append(result)
        rows.append(
            {
                "notify_id": message.notify_id,
                "seq": message.seq,
                "msg_method": message.msg_method,
                "payload": message.fields,
                "received_at": message.received_at or ctx.now,
                "applied_at": ctx.now,
                "status": result.status,
                "error": join_error(result.error_zh, result.error_en or result.error_zh)
                if result.error_zh
                else None,
            }
        )
    if rows:
        conn.execute(insert(InboxMessage), rows)
    last = max(item.message.seq for item in items)
    if last > _seq(conn, key):
        write_cursor(conn, key, str(last))
    return results


def _apply_one(session: Session, ctx: ApplyContext, item: Prepared) -> AppliedMessage:
    message = item.message

    def outcome(
        status: InboxStatus, error: tuple[str, str] | None = None, effect: Effect | None = None
    ) -> AppliedMessage:
        return AppliedMessage(
            message.seq,
            message.notify_id,
            message.msg_method,
            status,
            duplicate=False,
            error_zh=error[0] if error else None,
            error_en=error[1] if error else None,
            effect=effect,
            received_at=message.received_at,
        )

    if item.handler is None or item.ignored is not None:
        return outcome(InboxStatus.IGNORED, item.ignored)
    if item.failure is not None:
        return outcome(InboxStatus.FAILED, item.failure)
    try:
        with session.begin_nested():
            # Asking the session for its connection inside the nested transaction is what
            # emits the SAVEPOINT.
            effect = item.handler.apply(session.connection(), ctx, message, item.fetched)
    except OperationalError:
        raise  # the database itself is unavailable: the whole batch is retried
    except Exception as exc:
        zh = getattr(exc, "message_zh", None)
        en = getattr(exc, "message_en", None)
        if not (isinstance(zh, str) and isinstance(en, str)):
            log.exception("applying %s %s failed", message.msg_method, message.notify_id)
            zh = f"写入本地缓存失败：{exc}"
            en = f"writing the local cache failed: {exc}"
        return outcome(InboxStatus.FAILED, (zh, en))
    return outcome(InboxStatus.APPLIED, effect=effect)


# --- reading the inbox (the 通知 tab) ----------------------------------------------------------


@dataclass(frozen=True)
class InboxRow:
    seq: int | None
    notify_id: str
    msg_method: str
    status: InboxStatus
    received_at: dt.datetime
    applied_at: dt.datetime | None
    error_zh: str | None
    error_en: str | None
    payload: Mapping[str, Any]


def _filtered(stmt: Any, status: InboxStatus | None, search: str | None) -> Any:
    if status is not None:
        stmt = stmt.where(InboxMessage.status == status)
    if search:
        pattern = f"%{search}%"
        stmt = stmt.where(
            InboxMessage.notify_id.like(pattern) | InboxMessage.msg_method.like(pattern)
        )
    return stmt


def inbox_count(
    db: Database, *, status: InboxStatus | None = None, search: str | None = None
) -> int:
    with db.read_session() as session:
        stmt = _filtered(select(func.count()).select_from(InboxMessage), status, search)
        return int(session.execute(stmt).scalar_one())


def inbox_page(
    db: Database,
    offset: int,
    limit: int,
    *,
    status: InboxStatus | None = None,
    search: str | None = None,
) -> list[InboxRow]:
    """Newest first (by id, i.e. arrival order), one page; frozen rows safe to hand to Qt."""
    with db.read_session() as session:
        stmt = _filtered(select(InboxMessage), status, search)
        found = session.execute(
            stmt.order_by(InboxMessage.id.desc()).offset(offset).limit(limit)
        ).scalars()
        out = []
        for m in found:
            error = split_error(m.error)
            out.append(
                InboxRow(
                    seq=m.seq,
                    notify_id=m.notify_id,
                    msg_method=m.msg_method,
                    status=m.status,
                    received_at=m.received_at,
                    applied_at=m.applied_at,
                    error_zh=error[0] if error else None,
                    error_en=error[1] if error else None,
                    payload=dict(m.payload or {}),
                )
            )
        return out
