"""What an entity sync needs: the database, the gateway, and a few knobs."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from workstation.db.base import utcnow
from workstation.db.engine import Database
from workstation.sync.events import EntityCounts
from workstation.sync.models import SyncCursor

if TYPE_CHECKING:
    from workstation.alipay.gateway import AlipayGateway

__all__ = [
    "CHINA",
    "SyncCancelled",
    "SyncContext",
    "china_now",
    "read_cursor",
    "write_cursor",
]

# Alipay's business times are China Standard Time. A fixed offset (China has no daylight saving)
# avoids depending on an IANA time zone database, which Windows Pythons lack.
CHINA = dt.timezone(dt.timedelta(hours=8), "CST")
CURSOR_FORMAT = "%Y-%m-%d %H:%M:%S"

K = TypeVar("K")
V = TypeVar("V")


def china_now() -> dt.datetime:
    return dt.datetime.now(CHINA).replace(tzinfo=None, microsecond=0)


class SyncCancelled(Exception):
    """The sync was asked to stop (the app is quitting). Whatever was committed stays."""


@dataclass
class SyncContext:
    db: Database
    gateway: AlipayGateway
    enterprise_id: str
    full: bool = False
    backfill_days: int = 90
    progress: Callable[[int, int | None], None] = lambda done, total: None
    now: Callable[[], dt.datetime] = china_now
    counts: EntityCounts = field(default_factory=EntityCounts)
    cancelled: threading.Event = field(default_factory=threading.Event)

    def checkpoint(self) -> None:
        """Stop here if asked to. Called between pages, windows and chunks: every commit before
        it stands (cursor and rows together), so stopping never half-applies anything."""
        if self.cancelled.is_set():
            raise SyncCancelled()

    def map(self, fetch: Callable[[K], V], keys: Iterable[K], workers: int = 4) -> list[V]:
        """``[fetch(k) for k in keys]`` on a few threads (detail queries are one call per item,
        mostly waiting on the network); the first failure, or a cancellation checked before each
        call, propagates."""
        keys = list(keys)

        def one(key: K) -> V:
            self.checkpoint()
            return fetch(key)

        if len(keys) <= 1:
            return [one(k) for k in keys]
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sync-detail") as pool:
            return list(pool.map(one, keys))


def read_cursor(conn: Connection, entity: str) -> str | None:
    return conn.execute(select(SyncCursor.cursor).where(SyncCursor.entity == entity)).scalar()


def write_cursor(conn: Connection, entity: str, value: str | None) -> None:
    """Store the cursor in the caller's transaction: it commits with the rows it covers."""
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    now = utcnow()
    stmt = insert(SyncCursor).values(entity=entity, cursor=value, updated_at=now)
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=["entity"], set_={"cursor": value, "updated_at": now}
        )
    )
