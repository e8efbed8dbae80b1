"""Runs entity syncs: one at a time per entity, each isolated from the others' failures."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from workstation.alipay.errors import AlipayError, AlipayGatewayError, AlipayUnavailable
from workstation.alipay.gateway import AlipayGateway
from workstation.bills.sync import sync_bills
from workstation.db.base import utcnow
from workstation.db.engine import Database
from workstation.enterprise.sync import sync_enterprise
from workstation.institutions.sync import sync_institutions
from workstation.org.sync import sync_org
from workstation.quotas.sync import sync_quotas
from workstation.sync.context import SyncCancelled, SyncContext, china_now
from workstation.sync.events import (
    ENTITY_NAMES,
    EventBus,
    SyncFailed,
    SyncFinished,
    SyncProgress,
    SyncStarted,
)
from workstation.sync.models import SyncCursor
from workstation.vouchers.sync import sync_vouchers

__all__ = ["ENTITIES", "EntityState", "SyncService"]

log = logging.getLogger(__name__)

# Dependency order: members need the org, bills look up departments and institution rules,
# vouchers hang off bills.
ENTITIES: dict[str, Callable[[SyncContext], None]] = {
    "enterprise": sync_enterprise,
    "org": sync_org,
    "institutions": sync_institutions,
    "quotas": sync_quotas,
    "bills": sync_bills,
    "vouchers": sync_vouchers,
}
assert tuple(ENTITIES) == ENTITY_NAMES


@dataclass(frozen=True)
class EntityState:
    """What the status bar and the sync health panel show for one entity."""

    entity: str
    running: bool = False
    last_run: dt.datetime | None = None
    last_success: dt.datetime | None = None
    last_error_zh: str | None = None
    last_error_en: str | None = None
    sub_code: str | None = None
    offline_since: dt.datetime | None = None
    failures: int = 0


class SyncService:
    def __init__(
        self,
        db: Database,
        gateway: AlipayGateway,
        enterprise_id: str,
        *,
        bus: EventBus | None = None,
        backfill_days: int = 90,
        now: Callable[[], dt.datetime] = china_now,
    ) -> None:
        self.db = db
        self.gateway = gateway
        self.enterprise_id = enterprise_id
        self.bus = bus or EventBus()
        self.backfill_days = backfill_days
        self.now = now
        self._locks = {name: threading.Lock() for name in ENTITIES}
        self._cancelled = threading.Event()
        self._state_lock = threading.Lock()
        self._states = {name: EntityState(name) for name in ENTITIES}

    # -- state -----------------------------------------------------------------------------
    def states(self) -> list[EntityState]:
        with self._state_lock:
            return [self._states[name] for name in ENTITIES]

    def state(self, entity: str) -> EntityState:
        with self._state_lock:
            return self._states[entity]

    def _set_state(self, entity: str, **changes: object) -> EntityState:
        with self._state_lock:
            self._states[entity] = replace(self._states[entity], **changes)  # type: ignore[arg-type]
            return self._states[entity]

    @property
    def offline_since(self) -> dt.datetime | None:
        times = [s.offline_since for s in self.states() if s.offline_since]
        return min(times) if times else None

    # -- running ---------------------------------------------------------------------------
    def cancel(self) -> None:
        """Stop running syncs at their next checkpoint and start no new ones (the app is
        quitting). What they committed stays; the next start resumes from the cursors."""
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def run(self, entity: str, *, full: bool = False) -> SyncFinished | SyncFailed | None:
        """Sync one entity now, on the calling thread. Returns None if it is already running,
        or was cancelled."""
        if entity not in ENTITIES:
            raise ValueError(f"unknown entity {entity!r}; one of {', '.join(ENTITIES)}")
        lock = self._locks[entity]
        if self._cancelled.is_set() or not lock.acquire(blocking=False):
            return None
        try:
            return self._run_locked(entity, full)
        finally:
            lock.release()

    def run_all(
        self, entities: Sequence[str] | None = None, *, full: bool = False
    ) -> list[SyncFinished | SyncFailed]:
        results = []
        for entity in entities or list(ENTITIES):
            result = self.run(entity, full=full)
            if result is not None:
                results.append(result)
        return results

    def _run_locked(self, entity: str, full: bool) -> SyncFinished | SyncFailed | None:
        started = time.perf_counter()
        self._set_state(entity, running=True, last_run=utcnow())
        self.bus.publish(SyncStarted(entity, full))
        ctx = SyncContext(
            db=self.db,
            gateway=self.gateway,
            enterprise_id=self.enterprise_id,
            full=full,
            backfill_days=self.backfill_days,
            progress=lambda done, total: self.bus.publish(SyncProgress(entity, done, total)),
            now=self.now,
            cancelled=self._cancelled,
        )
        try:
            ENTITIES[entity](ctx)
        except SyncCancelled:
            log.info("sync of %s stopped: the app is closing", entity)
            self._set_state(entity, running=False)
            return None
        except AlipayGatewayError as exc:
            return self._failed(entity, exc)
        except Exception as exc:  # a bug or a database problem: report it, keep the others going
            log.exception("sync of %s failed", entity)
            return self._failed(entity, exc)
        counts = ctx.counts
        now = utcnow()
        self._set_state(
            entity,
            running=False,
            last_success=now,
            last_error_zh=None,
            last_error_en=None,
            sub_code=None,
            offline_since=None,
            failures=0,
        )
        self._record(entity, error=None)
        event = SyncFinished(
            entity,
            counts.inserted,
            counts.updated,
            counts.deleted,
            time.perf_counter() - started,
        )
        self.bus.publish(event)
        return event

    def _failed(self, entity: str, exc: Exception) -> SyncFailed:
        offline = isinstance(exc, AlipayUnavailable)
        sub_code = exc.sub_code if isinstance(exc, AlipayError) else None
        zh = getattr(exc, "message_zh", None) or f"同步失败：{exc}"
        en = getattr(exc, "message_en", None) or f"sync failed: {exc}"
        if isinstance(exc, AlipayError):
            log.warning("sync of %s: Alipay error %s %s: %s", entity, exc.code, sub_code, exc)
        previous = self.state(entity)
        self._set_state(
            entity,
            running=False,
            last_error_zh=zh,
            last_error_en=en,
            sub_code=sub_code,
            offline_since=(previous.offline_since or utcnow()) if offline else None,
            failures=previous.failures + 1,
        )
        self._record(entity, error=f"{sub_code or type(exc).__name__}: {en}")
        event = SyncFailed(entity, zh, en, offline, sub_code)
        self.bus.publish(event)
        return event

    def _record(self, entity: str, error: str | None) -> None:
        """Last success / last error per entity, for the health panel across restarts."""
        try:
            with self.db.session() as session:
                row = session.get(SyncCursor, entity) or SyncCursor(entity=entity)
                if error is None:
                    row.last_success_at = utcnow()
                    row.last_error = None
                else:
                    row.last_error = error[:2000]
                session.add(row)
        except Exception:
            log.exception("could not record sync state for %s", entity)
