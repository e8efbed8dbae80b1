"""Paints a quota's usage as a bar: the whole bar is the total, the filled part what is still
available, with "¥available / ¥total" on it. Red when nothing is left, amber below 20 %."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from workstation.money import format_money

__all__ = ["QuotaUsageDelegate", "available_fraction"]

LOW = Decimal("0.2")
_GREEN, _AMBER, _RED = QColor("#2e7d32"), QColor("#c77800"), QColor("#c62828")


def available_fraction(total: Decimal, available: Decimal) -> float:
    """Share of the total still available, within [0, 1] (0 for an empty quota)."""
    if total <= 0:
        return 0.0
    return float(min(max(available / total, Decimal(0)), Decimal(1)))


class QuotaUsageDelegate(QStyledItemDelegate):
    """Reads ``(total, available)`` from ``role`` of the index (the model's usage role)."""

    def __init__(self, role: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role = role

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        value: Any = index.data(self.role)
        if not isinstance(value, tuple) or len(value) != 2:
            super().paint(painter, option, index)
            return
        total, available = value
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:  # selection background and focus, without the text
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        fraction = available_fraction(total, available)
        color = _RED if fraction <= 0 else _AMBER if fraction < float(LOW) else _GREEN
        rect = QRectF(opt.rect).adjusted(4, 4, -4, -4)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        track = QColor(color)
        track.setAlpha(40)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(track)
        painter.drawRoundedRect(rect, 3, 3)
        if fraction > 0:
            fill = QRectF(rect)
            fill.setWidth(max(rect.width() * fraction, 3.0))
            bar = QColor(color)
            bar.setAlpha(170)
            painter.setBrush(bar)
            painter.drawRoundedRect(fill, 3, 3)
        text = f"{format_money(available)} / {format_money(total)}"
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(opt.palette.color(role))
        painter.setFont(opt.font)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        value: Any = index.data(self.role)
        if isinstance(value, tuple) and len(value) == 2:
            text = f"{format_money(value[1])} / {format_money(value[0])}"
            hint.setWidth(max(hint.width(), option.fontMetrics.horizontalAdvance(text) + 24))
        return hint
