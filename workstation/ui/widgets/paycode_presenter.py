"""The pay code shown full-screen, for an employee to scan straight off the clerk's monitor."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPalette, QScreen
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from workstation.payments.paylink import PayCode
from workstation.ui.qr import QrWidget

__all__ = ["PayCodePresenter"]


class PayCodePresenter(QWidget):
    """A frameless full-screen window: the employee's name, the institution and the code as
    large as the screen allows, black on white whatever the theme (scanners want contrast).
    Esc closes it."""

    def __init__(self, code: PayCode, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.code = code
        self.setObjectName("paycode_presenter")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setWindowTitle(self.tr("付款码"))
        palette = self.palette()
        for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
            palette.setColor(role, QColor("white"))
        for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text):
            palette.setColor(role, QColor("black"))
        self.setPalette(palette)
        self.setAutoFillBackground(True)

        self.name_label = QLabel(code.employee.name, self)
        self.name_label.setObjectName("presenter_employee")
        self.institution_label = QLabel(code.institution.name, self)
        self.institution_label.setObjectName("presenter_institution")
        self.qr = QrWidget(self)
        self.qr.setObjectName("presenter_qr")
        self.qr.set_text(code.url)
        self.hint_label = QLabel(self.tr("请用支付宝扫码付款 · 按 Esc 退出"), self)
        self.hint_label.setStyleSheet("color: #666666;")
        for label, size, bold in (
            (self.name_label, 32, True),
            (self.institution_label, 20, False),
            (self.hint_label, 12, False),
        ):
            font = QFont(label.font())
            font.setPointSize(size)
            font.setBold(bold)
            label.setFont(font)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(8)
        layout.addWidget(self.name_label)
        layout.addWidget(self.institution_label)
        layout.addWidget(self.qr, 1)
        layout.addWidget(self.hint_label)

    def present(self, screen: QScreen | None) -> None:
        """Cover ``screen`` (the one the clerk is looking at) and take the keyboard."""
        if screen is not None:
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
        self.showFullScreen()
        self.raise_()
        self.activateWindow()
        self.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)
