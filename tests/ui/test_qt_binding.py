"""Guards against a broken Qt binding: PySide6 6.12 on Python 3.11 drops a reference to None on
every call that returns nothing, and the interpreter aborts once None's count reaches zero (a
few redraws of a QR code). pyproject pins PySide6 below 6.12; this test catches a regression."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QRectF

from workstation.ui.qr import save_qr_png


def test_void_calls_keep_references_to_none() -> None:
    rect = QRectF()
    before = sys.getrefcount(None)
    for _ in range(5000):
        rect.setWidth(1.0)
    assert sys.getrefcount(None) >= before - 100


def test_qr_png_is_written(tmp_path: Path, qapp: object) -> None:
    path = tmp_path / "code"  # no suffix: the format is given explicitly
    save_qr_png("https://example.com/a?b=1", path, 300)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
