"""付款码: payment QR codes (not built yet; the tab holds its place)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from workstation.ui.context import TabContext

__all__ = ["PayCodeTab"]


class PayCodeTab(QWidget):
    ENTITIES: tuple[str, ...] = ()

    def __init__(self, ctx: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        label = QLabel("付款码功能即将提供：为员工生成因公付款码并打印。", self)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(label)

    def refresh(self) -> None:
        """Nothing cached to re-read yet."""
