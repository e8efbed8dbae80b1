"""The selected employee's invite: a QR code big enough to scan from the screen, and the link."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workstation.org.service import EmployeeInfo
from workstation.ui.qr import QrWidget

__all__ = ["OrgInvitePanel"]


class OrgInvitePanel(QWidget):
    """Shows an employee's sign link as QR. ``refresh_requested`` asks the tab to fetch a fresh
    link from Alipay (off the GUI thread); the panel itself never calls the network."""

    refresh_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("org_invite_panel")
        self.title = QLabel(self)
        self.title.setObjectName("invite_title")
        font = self.title.font()
        font.setPointSize(font.pointSize() + 2)
        font.setBold(True)
        self.title.setFont(font)
        self.hint = QLabel(self)
        self.hint.setObjectName("invite_hint")
        self.hint.setWordWrap(True)
        self.qr = QrWidget(self)
        self.qr.setObjectName("invite_qr")
        self.qr.setMinimumSize(260, 260)
        self.link = QLineEdit(self)
        self.link.setObjectName("invite_link")
        self.link.setReadOnly(True)
        self.copy_button = QPushButton(self)
        self.copy_button.setObjectName("copy_invite_link")
        self.copy_button.clicked.connect(self.on_copy_clicked)
        self.refresh_button = QPushButton(self)
        self.refresh_button.setObjectName("refresh_invite")
        self.refresh_button.clicked.connect(self.refresh_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.qr, 1)
        layout.addWidget(self.link)
        layout.addLayout(buttons)
        self._employee: EmployeeInfo | None = None
        self._online = False
        self.retranslate()
        self.show_employee(None)

    def retranslate(self) -> None:
        self.copy_button.setText(self.tr("复制链接(&C)"))
        self.copy_button.setToolTip(self.tr("把签约链接复制到剪贴板，可通过聊天工具发给员工"))
        self.refresh_button.setText(self.tr("获取邀请码(&G)"))
        self.refresh_button.setToolTip(self.tr("向支付宝重新获取该员工的签约激活链接"))

    @property
    def employee(self) -> EmployeeInfo | None:
        return self._employee

    def set_online(self, online: bool, reason: str = "") -> None:
        self._online = online
        self.refresh_button.setToolTip(
            reason if not online else self.tr("向支付宝重新获取该员工的签约激活链接")
        )
        self._update_buttons()

    def _update_buttons(self) -> None:
        pending = self._employee is not None and self._employee.pending
        self.refresh_button.setEnabled(self._online and pending)
        self.copy_button.setEnabled(bool(self.qr.text()))

    def show_employee(self, employee: EmployeeInfo | None) -> None:
        """Show who is selected; a pending employee's cached link at once, if there is one."""
        self._employee = employee
        self.qr.set_text("")
        self.link.clear()
        if employee is None:
            self.title.setText(self.tr("邀请激活"))
            self.hint.setText(self.tr("选择一名待激活员工，显示其签约激活二维码。"))
        elif not employee.pending:
            self.title.setText(employee.name)
            self.hint.setText(self.tr("该员工已激活企业码，无需邀请。"))
        else:
            self.title.setText(employee.name)
            if employee.invite_url:
                self.show_link(employee.invite_url)
            else:
                self.hint.setText(self.tr("尚未获取签约链接。"))
        self._update_buttons()

    def show_link(self, url: str) -> None:
        self.qr.set_text(url)
        self.link.setText(url)
        self.link.setCursorPosition(0)
        self.hint.setText(self.tr("请员工用支付宝扫描下方二维码，完成企业码签约激活。"))
        self._update_buttons()

    def show_message(self, text: str) -> None:
        self.hint.setText(text)

    def on_copy_clicked(self) -> None:
        if self.qr.text():
            QGuiApplication.clipboard().setText(self.qr.text())
            self.hint.setText(self.tr("链接已复制。"))
