"""One printed page per pay code: who it is for, under which institution, the code, the link.

Painted with :func:`workstation.ui.qr.paint_qr`, the same painter the screen and the PNG use,
so what prints is what was shown."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter

from workstation.payments.paylink import PayCode
from workstation.ui.qr import Matrix, paint_qr

__all__ = ["paint_pay_code_page"]

_CONTEXT = "PayCodePage"


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def paint_pay_code_page(
    painter: QPainter,
    page: QRectF,
    code: PayCode,
    matrix: Matrix,
    printed_at: dt.datetime | None = None,
) -> QRectF:
    """Lay the page out top to bottom in ``page`` (device units); returns the QR's square.

    Fonts are in points, so the same call suits a 1 200 dpi printer and a 96 dpi image."""
    painter.save()
    try:
        painter.setPen(QColor("black"))
        base = QFont(painter.font())
        gap = page.height() * 0.015
        y = page.top()

        def line(text: str, points: float, bold: bool = False) -> None:
            nonlocal y
            font = QFont(base)
            font.setPointSizeF(points)
            font.setBold(bold)
            painter.setFont(font)
            flags = Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap
            box = painter.boundingRect(
                QRectF(page.left(), y, page.width(), page.height()), flags, text
            )
            painter.drawText(QRectF(page.left(), y, page.width(), box.height()), flags, text)
            y += box.height() + gap

        employee = code.employee
        details = " · ".join(p for p in (employee.employee_no, employee.department_name) if p)
        who = _tr("员工：%1").replace("%1", employee.name)
        if details:
            who += _tr("（%1）").replace("%1", details)
        line(_tr("因公付款码"), 22, bold=True)
        if code.enterprise_name:
            line(code.enterprise_name, 12)
        line(who, 14)
        line(_tr("费控制度：%1").replace("%1", code.institution.name), 14)

        # The link, small, at the foot of the page: a fallback for a damaged print.
        small = QFont(base)
        small.setPointSizeF(6.5)
        painter.setFont(small)
        wrap = Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWrapAnywhere
        when = (printed_at or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
        footer = _tr("链接（生成于 %1）：").replace("%1", when) + "\n" + code.url
        box = painter.boundingRect(
            QRectF(page.left(), 0, page.width(), page.height()), wrap, footer
        )
        link_top = page.bottom() - box.height()
        painter.setPen(QColor("#444444"))
        painter.drawText(QRectF(page.left(), link_top, page.width(), box.height()), wrap, footer)

        room = QRectF(page.left(), y + gap, page.width(), max(link_top - gap - (y + gap), 0.0))
        return paint_qr(painter, room, matrix)
    finally:
        painter.restore()
