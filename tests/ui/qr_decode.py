"""Read QR codes back from Qt images with zxing-cpp (a real decoder, not our encoder)."""

from __future__ import annotations

import numpy as np
import zxingcpp
from PySide6.QtGui import QImage, QPixmap


def decode_qr(image: QImage | QPixmap) -> list[str]:
    """Every QR code zxing-cpp finds in ``image``, as text."""
    if isinstance(image, QPixmap):
        image = image.toImage()
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    pixels = np.frombuffer(gray.constBits(), np.uint8).reshape(gray.height(), gray.bytesPerLine())
    return [r.text for r in zxingcpp.read_barcodes(pixels[:, : gray.width()].copy())]
