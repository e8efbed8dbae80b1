"""Turn a failed action into words a clerk can act on: what failed, why, in 中文 and English."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from workstation.alipay.errors import AlipayError, AlipayGatewayError
from workstation.errors import ValidationError, WorkstationError

__all__ = ["error_lines", "show_error"]

log = logging.getLogger(__name__)


def error_lines(exc: BaseException) -> tuple[str, str]:
    """``(中文, English)`` for any failure. Known errors carry both texts; Alipay business errors
    quote Alipay's own ``sub_msg`` when it has no known wording; the rest name the exception."""
    if isinstance(exc, WorkstationError | AlipayGatewayError):
        zh, en = exc.message_zh, exc.message_en
        if isinstance(exc, AlipayError):
            # Alipay's own sub_msg often names the record (an id, a name): keep it in view.
            if exc.sub_msg and zh in exc.sub_msg:
                zh, en = exc.sub_msg, f"{en}: {exc.sub_msg}"
            elif exc.sub_msg and exc.sub_msg not in zh:
                zh, en = f"{zh}：{exc.sub_msg}", f"{en}: {exc.sub_msg}"
            if exc.sub_code:
                en = f"{en} ({exc.sub_code})"
        return zh, en
    return f"意外错误：{exc}", f"unexpected error: {type(exc).__name__}: {exc}"


def show_error(parent: QWidget | None, operation: str, exc: BaseException) -> QMessageBox:
    """A window-modal message naming the ``operation`` (already translated) and the reason.

    Opened without blocking (``open()``), so callers on the GUI thread carry on and tests can
    read the box. Unexpected errors are also logged with their traceback."""
    zh, en = error_lines(exc)
    if not isinstance(exc, WorkstationError | AlipayGatewayError):
        log.error("%s failed", operation, exc_info=exc)
    box = QMessageBox(parent)
    box.setObjectName("error_box")
    box.setIcon(
        QMessageBox.Icon.Warning if isinstance(exc, ValidationError) else QMessageBox.Icon.Critical
    )
    box.setWindowTitle(QCoreApplication.translate("errors", "操作失败"))
    box.setText(QCoreApplication.translate("errors", "%1失败").replace("%1", operation))
    box.setInformativeText(f"{zh}\n{en}")
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
