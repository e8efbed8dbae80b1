"""One way for a tab to run a clerk's action: service → gateway → cache, off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtWidgets import QWidget

from workstation.ui.context import TabContext
from workstation.ui.dialogs.org_form_dialog import OrgFormDialog
from workstation.ui.errors import show_error

__all__ = ["run_service_action"]

S = TypeVar("S")


def run_service_action(
    parent: QWidget,
    ctx: TabContext,
    operation: str,
    make_service: Callable[[], S],
    work: Callable[[S], Any],
    *,
    entity: str,
    on_done: Callable[[Any], object] | None = None,
    dialog: OrgFormDialog | None = None,
) -> None:
    """Run ``work(service)`` on the window's runner. While it runs the form (if any) is busy;
    on success the form closes, every view of ``entity`` refreshes and ``on_done(result)``
    runs; on failure the form keeps what the clerk typed and names the field at fault, or the
    error is shown with the ``operation`` that failed. A service that cannot be made (no
    Alipay configured) is an error shown at once."""
    try:
        service = make_service()
    except Exception as exc:
        show_error(dialog or parent, operation, exc)
        return
    if dialog is not None:
        dialog.set_busy(True)

    def succeeded(result: Any) -> None:
        if dialog is not None:
            dialog.set_busy(False)
            dialog.accept()
        ctx.events.changed.emit(entity)
        if on_done is not None:
            on_done(result)

    def failed(exc: BaseException) -> None:
        if dialog is not None:
            dialog.set_busy(False)
            if dialog.show_field_error(exc):
                return
        show_error(dialog or parent, operation, exc)

    ctx.runner.run(lambda: work(service), succeeded, failed)
