"""One QR painter for screen, PNG file and paper.

:func:`qr_matrix` encodes text with the ``qrcode`` library (error correction M, no quiet zone);
:func:`paint_qr` draws a matrix into any :class:`QPainter` — a widget, a :class:`QImage` or a
:class:`QPrinter` page — as whole device pixels per module with a four-module white quiet zone,
so a code shown on a monitor or printed stays sharp and scannable."""

from __future__ import annotations

from pathlib import Path

import qrcode
from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

__all__ = ["QUIET_ZONE", "QrWidget", "paint_qr", "qr_image", "qr_matrix", "save_qr_png"]

QUIET_ZONE = 4  # modules of white around the code, as ISO/IEC 18004 asks

Matrix = list[list[bool]]


def qr_matrix(text: str) -> Matrix:
    if not text:
        raise ValueError("QR text must not be empty")
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(text.encode("utf-8"))
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def paint_qr(painter: QPainter, target: QRect | QRectF, matrix: Matrix) -> QRectF:
    """Draw ``matrix`` centred in ``target`` (device units); returns the square painted."""
    rect = QRectF(target)
    count = len(matrix) + 2 * QUIET_ZONE
    side = min(rect.width(), rect.height())
    # Whole device pixels per module keep edges crisp; fall back to fractions below 1 px.
    module = max(int(side // count), 1) if side >= count else side / count
    size = module * count
    left = rect.left() + (rect.width() - size) / 2
    top = rect.top() + (rect.height() - size) / 2
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.fillRect(QRectF(left, top, size, size), QColor("white"))
    black = QColor("black")
    for y, row in enumerate(matrix):
        run_start = -1
        for x, dark in enumerate([*row, False]):
            if dark and run_start < 0:
                run_start = x
            elif not dark and run_start >= 0:
                painter.fillRect(
                    QRectF(
                        left + (QUIET_ZONE + run_start) * module,
                        top + (QUIET_ZONE + y) * module,
                        (x - run_start) * module,
                        module,
                    ),
                    black,
                )
                run_start = -1
    painter.restore()
    return QRectF(left, top, size, size)


def qr_image(text: str, pixels: int = 600) -> QImage:
    matrix = qr_matrix(text)
    image = QImage(QSize(pixels, pixels), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        paint_qr(painter, image.rect(), matrix)
    finally:
        painter.end()
    return image


def save_qr_png(text: str, path: str | Path, pixels: int = 600) -> None:
    # PySide6 accepts the format as str at run time; its stubs say bytes.
    if not qr_image(text, pixels).save(str(path), "PNG"):  # type: ignore[call-overload]
        raise OSError(f"could not write {path}")


class QrWidget(QWidget):
    """Shows one QR code, as large as its space allows (square, centred)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._matrix: Matrix = []
        self.setMinimumSize(160, 160)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def text(self) -> str:
        return self._text

    def set_text(self, text: str) -> None:
        self._text = text
        self._matrix = qr_matrix(text) if text else []
        self.setToolTip(text)
        self.update()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return width

    def sizeHint(self) -> QSize:
        return QSize(320, 320)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            if self._matrix:
                paint_qr(painter, self.rect(), self._matrix)
            else:
                painter.setPen(self.palette().placeholderText().color())
                painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("无二维码"))
        finally:
            painter.end()
