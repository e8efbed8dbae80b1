"""Run user actions off the GUI thread and call back on it."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot

__all__ = ["BUSY_DELAY_MS", "TaskRunner"]

log = logging.getLogger(__name__)

# A quick action should not flash a spinner; only show one when the wait becomes noticeable.
BUSY_DELAY_MS = 500


class _Job(QRunnable):
    def __init__(self, runner: TaskRunner, task_id: int, fn: Callable[[], Any]) -> None:
        super().__init__()
        self._runner = runner
        self._task_id = task_id
        self._fn = fn

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:
            self._deliver(False, exc)
        else:
            self._deliver(True, result)

    def _deliver(self, ok: bool, value: object) -> None:
        try:
            self._runner._task_done.emit(self._task_id, ok, value)
        except RuntimeError:
            # The runner (and the window that owned it) was deleted while this task ran:
            # nobody is left to call back, and raising here would only kill a pool thread.
            log.debug("task %d finished after its runner was deleted", self._task_id)


class TaskRunner(QObject):
    """Runs callables on its own :class:`QThreadPool`.

    ``on_success(result)`` / ``on_failure(exc)`` run on the GUI thread (the thread this runner
    lives on). ``busy_changed(True)`` fires only once a task has been running for
    ``busy_delay_ms``; ``busy_changed(False)`` when the last task ends after that."""

    busy_changed = Signal(bool)

    _task_done = Signal(int, bool, object)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        max_threads: int = 4,
        busy_delay_ms: int = BUSY_DELAY_MS,
    ) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._busy_delay_ms = busy_delay_ms
        self._ids = itertools.count(1)
        self._callbacks: dict[
            int,
            tuple[
                Callable[[Any], None] | None,
                Callable[[BaseException], None] | None,
                QObject | None,
            ],
        ] = {}
        self._busy = False
        self._task_done.connect(self._on_task_done, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def pending(self) -> int:
        return len(self._callbacks)

    def run(
        self,
        fn: Callable[[], Any],
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        *,
        context: QObject | None = None,
    ) -> int:
        """``context``: the object the callbacks belong to; once it is deleted (a closed tab
        and its models) the result is dropped instead of calling back into it."""
        task_id = next(self._ids)
        self._callbacks[task_id] = (on_success, on_failure, context)
        QTimer.singleShot(self._busy_delay_ms, self, lambda: self._on_busy_timeout(task_id))
        self._pool.start(_Job(self, task_id, fn))
        return task_id

    def wait(self, msecs: int = -1) -> bool:
        """Block until the pool is idle (shutdown and tests); callbacks still need the loop."""
        return bool(self._pool.waitForDone(msecs))

    def _on_busy_timeout(self, task_id: int) -> None:
        if task_id in self._callbacks and not self._busy:
            self._busy = True
            self.busy_changed.emit(True)

    @Slot(int, bool, object)
    def _on_task_done(self, task_id: int, ok: bool, value: object) -> None:
        on_success, on_failure, context = self._callbacks.pop(task_id, (None, None, None))
        try:
            if context is not None and not shiboken6.isValid(context):
                log.debug("task %d finished after its context was deleted", task_id)
            elif ok:
                if on_success is not None:
                    on_success(value)
            elif on_failure is not None:
                assert isinstance(value, BaseException)
                on_failure(value)
            else:
                log.error("background task failed", exc_info=value)  # type: ignore[arg-type]
        finally:
            if not self._callbacks and self._busy:
                self._busy = False
                self.busy_changed.emit(False)
