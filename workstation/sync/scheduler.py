"""The background scheduler: one APScheduler job per entity, never on the GUI thread.

- ``max_instances=1`` and ``coalesce=True``: a job never overlaps itself, and runs missed while
  a laptop slept collapse into one run when it wakes (``misfire_grace_time=None`` means "late is
  still worth running").
- When the gateway is unreachable, a job backs off exponentially (up to its own interval) instead
  of hammering a dead network; the cache stays browsable meanwhile.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
from collections.abc import Callable

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from workstation.config import SyncIntervals
from workstation.sync.events import SyncFailed
from workstation.sync.service import ENTITIES, SyncService

__all__ = ["SyncScheduler", "backoff_delay"]

log = logging.getLogger(__name__)

BACKOFF_BASE_S = 15.0


def backoff_delay(
    failures: int, interval_s: float, rand: Callable[[], float] = random.random
) -> float:
    """Seconds until the next try after ``failures`` consecutive offline failures.

    Doubles from 15 s, capped at the job's own interval, with ±20 % jitter so that many
    workstations coming back online do not sync in step."""
    delay = min(BACKOFF_BASE_S * 2.0 ** max(failures - 1, 0), max(interval_s, BACKOFF_BASE_S))
    return float(delay * (0.8 + 0.4 * rand()))


class SyncScheduler:
    def __init__(
        self,
        service: SyncService,
        intervals: SyncIntervals,
        *,
        workers: int = 2,
        first_run_delay_s: float = 0.0,
    ) -> None:
        self.service = service
        self.intervals = intervals
        self._first_run_delay_s = first_run_delay_s
        self._scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(max_workers=workers)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
            timezone=dt.UTC,
        )
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return bool(self._scheduler.running)

    def interval_of(self, entity: str) -> int:
        value: int = getattr(self.intervals, entity)
        return value

    def start(self) -> None:
        first = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=self._first_run_delay_s)
        for offset, entity in enumerate(ENTITIES):
            self._scheduler.add_job(
                self._job,
                IntervalTrigger(seconds=self.interval_of(entity), timezone=dt.UTC),
                args=(entity,),
                id=entity,
                name=f"sync {entity}",
                # Staggered in dependency order, so the first pass fills org before bills.
                next_run_time=first + dt.timedelta(seconds=offset * 0.2),
                replace_existing=True,
            )
        self._scheduler.start()

    def shutdown(self, wait: bool = True) -> None:
        """Cancel running syncs (they stop at their next checkpoint, after at most one request)
        and stop the scheduler; with ``wait`` the worker threads have finished on return."""
        self.service.cancel()
        if self._scheduler.running:
            self._scheduler.shutdown(wait=wait)

    def sync_now(self, entities: list[str] | None = None) -> None:
        """Run the jobs as soon as a worker is free (F5). A running job is not started twice."""
        now = dt.datetime.now(dt.UTC)
        for offset, entity in enumerate(entities or list(ENTITIES)):
            job = self._scheduler.get_job(entity)
            if job is not None:
                job.modify(next_run_time=now + dt.timedelta(seconds=offset * 0.05))

    def next_run(self, entity: str) -> dt.datetime | None:
        job = self._scheduler.get_job(entity)
        return job.next_run_time if job is not None else None

    def _job(self, entity: str) -> None:
        result = self.service.run(entity)
        if isinstance(result, SyncFailed) and result.offline:
            failures = self.service.state(entity).failures
            delay = backoff_delay(failures, self.interval_of(entity))
            job = self._scheduler.get_job(entity)
            if job is not None:
                job.modify(next_run_time=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=delay))
            log.info("%s offline; retrying in %.0f s", entity, delay)
