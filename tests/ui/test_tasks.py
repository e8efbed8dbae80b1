from __future__ import annotations

import threading

from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from workstation.ui.tasks import BUSY_DELAY_MS, TaskRunner


def test_success_callback_runs_on_the_gui_thread(qtbot: QtBot) -> None:
    runner = TaskRunner()
    worker_threads: list[threading.Thread] = []
    results: list[tuple[object, bool]] = []

    def work() -> int:
        worker_threads.append(threading.current_thread())
        return 42

    runner.run(
        work, on_success=lambda r: results.append((r, QThread.currentThread() is runner.thread()))
    )
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert results == [(42, True)]
    assert worker_threads[0] is not threading.main_thread()
    assert runner.pending == 0


def test_failure_callback_gets_the_exception_on_the_gui_thread(qtbot: QtBot) -> None:
    runner = TaskRunner()
    failures: list[tuple[BaseException, bool]] = []

    def work() -> None:
        raise ValueError("boom")

    runner.run(
        work,
        on_success=lambda _r: failures.append((AssertionError("success called"), False)),
        on_failure=lambda exc: failures.append((exc, QThread.currentThread() is runner.thread())),
    )
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    ((exc, on_gui),) = failures
    assert isinstance(exc, ValueError) and str(exc) == "boom"
    assert on_gui


def test_quick_tasks_never_show_busy(qtbot: QtBot) -> None:
    assert BUSY_DELAY_MS == 500
    runner = TaskRunner(busy_delay_ms=200)
    done: list[object] = []
    with qtbot.assertNotEmitted(runner.busy_changed, wait=400):
        runner.run(lambda: None, on_success=done.append)
    assert done == [None]
    assert not runner.busy


def test_busy_turns_on_only_after_the_delay_and_off_at_the_end(qtbot: QtBot) -> None:
    runner = TaskRunner(busy_delay_ms=200)
    release = threading.Event()
    changes: list[bool] = []
    runner.busy_changed.connect(changes.append)
    runner.run(lambda: release.wait(5))
    # Not at once: the indicator waits for its delay (the event loop runs meanwhile).
    qtbot.wait(50)
    assert changes == [] and not runner.busy
    # A task still running after the delay turns it on, and finishing turns it off.
    qtbot.waitUntil(lambda: changes == [True], timeout=5000)
    assert runner.busy
    with qtbot.waitSignal(runner.busy_changed, timeout=5000) as blocker:
        release.set()
    assert blocker.args == [False]
    assert changes == [True, False] and not runner.busy


def test_results_for_a_deleted_context_are_dropped(qtbot: QtBot) -> None:
    from PySide6.QtCore import QObject

    runner = TaskRunner()
    gate = threading.Event()
    alive, gone = QObject(), QObject()
    calls: list[str] = []
    runner.run(gate.wait, lambda _r: calls.append("alive"), context=alive)
    runner.run(gate.wait, lambda _r: calls.append("gone"), context=gone)
    runner.run(lambda: 1 / 0, on_failure=lambda _e: calls.append("gone failed"), context=gone)
    import shiboken6

    shiboken6.delete(gone)  # e.g. a tab closed while its read was running
    gate.set()
    qtbot.waitUntil(lambda: runner.pending == 0)
    assert calls == ["alive"]
    runner.wait(1000)
