"""企业: the enterprise's own record — signing state, account, registration/sign invite as a QR
code — and the actions on it: refresh, modify, invite, unsign, delete.

Reads come from the cache; every action runs :class:`~workstation.enterprise.service.
EnterpriseService` on the task runner (Alipay first, then the cache) and then says
``changed("enterprise")``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workstation.enterprise.models import EnterpriseStatus
from workstation.enterprise.service import (
    EnterpriseInfo,
    EnterpriseInvite,
    EnterpriseService,
    UnsignResult,
    load_enterprise,
)
from workstation.ui.context import TabContext
from workstation.ui.dialogs.enterprise_dialogs import (
    EnterpriseConfirmDialog,
    EnterpriseForm,
    EnterpriseModifyDialog,
)
from workstation.ui.dialogs.org_form_dialog import OrgFormDialog
from workstation.ui.qr import QrWidget
from workstation.ui.tabs.actions import run_service_action

__all__ = ["EnterpriseTab"]

_FIELDS = (
    "name",
    "alias",
    "enterprise_id",
    "credit_code",
    "account_id",
    "status",
    "sign_status",
    "auth_status",
    "out_biz_no",
    "gmt_modified",
)


class EnterpriseTab(QWidget):
    ENTITIES = ("enterprise",)

    def __init__(self, ctx: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.info: EnterpriseInfo | None = None
        self.dialog: QWidget | None = None
        self.qr_kind = ""  # "invite" or "unsign": which link the QR shows

        self.details = QGroupBox(self)
        self.details.setObjectName("enterprise_details")
        form = QFormLayout(self.details)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.captions: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        for key in _FIELDS:
            caption = QLabel(self.details)
            value = QLabel(self.details)
            value.setObjectName(f"value_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.captions[key] = caption
            self.values[key] = value
            form.addRow(caption, value)
        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("enterprise_empty")
        self.empty_label.setWordWrap(True)
        self.notice = QLabel(self)
        self.notice.setObjectName("enterprise_notice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #b45309;")

        self.refresh_button = self._button("refresh_enterprise", self.on_refresh)
        self.modify_button = self._button("modify_enterprise", self.on_modify)
        self.invite_button = self._button("invite_enterprise", self.on_invite)
        self.unsign_button = self._button("unsign_enterprise", self.on_unsign)
        self.delete_button = self._button("delete_enterprise", self.on_delete)
        buttons = QHBoxLayout()
        for button in (self.refresh_button, self.modify_button, self.invite_button):
            buttons.addWidget(button)
        buttons.addStretch()
        buttons.addWidget(self.unsign_button)
        buttons.addWidget(self.delete_button)

        self.qr_box = QGroupBox(self)
        self.qr_box.setObjectName("enterprise_qr_box")
        self.qr_caption = QLabel(self.qr_box)
        self.qr_caption.setObjectName("qr_caption")
        self.qr_caption.setWordWrap(True)
        self.qr = QrWidget(self.qr_box)
        self.qr.setObjectName("enterprise_qr")
        self.qr.setMinimumSize(280, 280)
        self.link = QLineEdit(self.qr_box)
        self.link.setObjectName("enterprise_link")
        self.link.setReadOnly(True)
        self.copy_button = self._button("copy_enterprise_link", self.on_copy)
        qr_layout = QVBoxLayout(self.qr_box)
        qr_layout.addWidget(self.qr_caption)
        qr_layout.addWidget(self.qr, 1)
        qr_layout.addWidget(self.link)
        qr_layout.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignRight)

        left = QVBoxLayout()
        left.addWidget(self.details)
        left.addWidget(self.empty_label)
        left.addWidget(self.notice)
        left.addStretch()
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addWidget(self.qr_box, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addLayout(body, 1)

        ctx.events.changed.connect(self.on_cache_changed)
        self.retranslate()
        self.reload()

    def _button(self, name: str, handler: Callable[[], None]) -> QPushButton:
        button = QPushButton(self)
        button.setObjectName(name)
        button.clicked.connect(handler)
        return button

    # -- texts -----------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.details.setTitle(self.tr("企业信息"))
        captions = {
            "name": self.tr("企业名称："),
            "alias": self.tr("企业简称："),
            "enterprise_id": self.tr("企业ID："),
            "credit_code": self.tr("统一社会信用代码："),
            "account_id": self.tr("共同账户ID："),
            "status": self.tr("状态："),
            "sign_status": self.tr("因公付签约："),
            "auth_status": self.tr("企业认证："),
            "out_biz_no": self.tr("注册邀请流水号："),
            "gmt_modified": self.tr("支付宝侧更新时间："),
        }
        for key, text in captions.items():
            self.captions[key].setText(text)
        self.refresh_button.setText(self.tr("从支付宝刷新(&R)"))
        self.modify_button.setText(self.tr("修改信息(&M)…"))
        self.invite_button.setText(self.tr("邀请签约(&I)"))
        self.unsign_button.setText(self.tr("解约(&U)…"))
        self.delete_button.setText(self.tr("注销企业(&D)…"))
        self.copy_button.setText(self.tr("复制链接(&C)"))
        self.qr_box.setTitle(self.tr("邀请签约二维码"))
        self.empty_label.setText(
            self.tr("本地还没有企业信息：请先同步（F5）或点击“从支付宝刷新”。")
        )
        self.show_info(self.info)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def status_text(self, status: EnterpriseStatus) -> str:
        return {
            EnterpriseStatus.REGISTERED: self.tr("已注册，未签约"),
            EnterpriseStatus.SIGNED: self.tr("已签约"),
            EnterpriseStatus.UNSIGNED: self.tr("已解约"),
            EnterpriseStatus.DELETED: self.tr("已注销"),
        }[status]

    def code_text(self, code: str | None) -> str:
        known = {
            "SIGNED": self.tr("已签约"),
            "UNSIGNED": self.tr("未签约"),
            "AUTHED": self.tr("已认证"),
            "HAS_AUTH": self.tr("已认证"),
            "IN_AUTH": self.tr("认证中"),
            "UNAUTHED": self.tr("未认证"),
            "NO_AUTH": self.tr("未认证"),
        }
        if not code:
            return "—"
        return f"{known[code]}（{code}）" if code in known else code

    # -- what the main window asks of a tab ------------------------------------------------
    def search_widget(self) -> QWidget | None:
        return None  # one record, nothing to search

    def export_table(self) -> tuple[list[str], Iterable[list[object]]]:
        rows: list[list[object]] = [
            [self.captions[key].text().rstrip("：:"), self.values[key].text()] for key in _FIELDS
        ]
        if self.link.text():
            rows.append([self.qr_box.title(), self.link.text()])
        return [self.tr("项目"), self.tr("内容")], rows

    # -- reading ---------------------------------------------------------------------------
    def on_cache_changed(self, entity: str) -> None:
        if entity in self.ENTITIES:
            self.reload()

    def reload(self) -> None:
        self.show_info(load_enterprise(self.ctx.database, self.ctx.enterprise_id))

    def show_info(self, info: EnterpriseInfo | None) -> None:
        self.info = info
        self.details.setVisible(info is not None)
        self.empty_label.setVisible(info is None)
        if info is not None:
            texts = {
                "name": info.name,
                "alias": info.alias or "—",
                "enterprise_id": info.enterprise_id,
                "credit_code": info.credit_code or "—",
                "account_id": info.account_id or "—",
                "status": self.status_text(info.status),
                "sign_status": self.code_text(info.sign_status),
                "auth_status": self.code_text(info.auth_status),
                "out_biz_no": info.out_biz_no or "—",
                "gmt_modified": info.gmt_modified.strftime("%Y-%m-%d %H:%M:%S")
                if info.gmt_modified
                else "—",
            }
            for key, text in texts.items():
                self.values[key].setText(text)
            color = {
                EnterpriseStatus.SIGNED: "#15803d",
                EnterpriseStatus.UNSIGNED: "#b45309",
                EnterpriseStatus.DELETED: "#b42318",
            }.get(info.status, "")
            self.values["status"].setStyleSheet(
                f"color: {color}; font-weight: bold;" if color else ""
            )
        self._show_link(info)
        self._update_actions()

    def _show_link(self, info: EnterpriseInfo | None) -> None:
        url = ""
        if info is not None and self.qr_kind != "invite" and info.unsign_url and not info.signed:
            self.qr_kind = "unsign"
            url = info.unsign_url
            self.qr_box.setTitle(self.tr("解约确认二维码"))
            self.qr_caption.setText(
                self.tr("请企业管理员用支付宝扫码（或打开链接），确认解除因公付协议。")
            )
        elif info is not None and info.invite_url:
            self.qr_kind = "invite"
            url = info.invite_url
            self.qr_box.setTitle(self.tr("邀请签约二维码"))
            expires = (
                info.invite_expire_time.strftime("%Y-%m-%d %H:%M")
                if info.invite_expire_time
                else self.tr("未知")
            )
            caption = self.tr("请企业管理员扫码或打开链接，完成注册、认证与签约。有效期至 %1。")
            self.qr_caption.setText(caption.replace("%1", expires))
        else:
            self.qr_kind = ""
            self.qr_box.setTitle(self.tr("邀请签约二维码"))
            self.qr_caption.setText(self.tr("点击“邀请签约”生成企业管理员的注册与签约链接。"))
        self.qr.set_text(url)
        self.link.setText(url)
        self.link.setCursorPosition(0)
        self.copy_button.setEnabled(bool(url))

    def _update_actions(self) -> None:
        online = self.ctx.gateway is not None
        info = self.info
        has = info is not None and not info.deleted
        reason = "" if online else self.tr("未配置支付宝应用：请先在“设置”中填写应用ID和密钥")
        states = {
            self.refresh_button: (True, self.tr("重新读取支付宝上的企业信息")),
            self.modify_button: (has, self.tr("修改企业名称或简称")),
            self.invite_button: (has, self.tr("生成企业管理员注册、认证与签约的链接和二维码")),
            self.unsign_button: (
                has and info is not None and info.signed,
                self.tr("解除因公付协议（员工将不能再用企业码付款）"),
            ),
            self.delete_button: (has, self.tr("在支付宝注销企业码企业，不可恢复")),
        }
        for button, (enabled, tip) in states.items():
            button.setEnabled(online and enabled)
            button.setToolTip(reason or tip)
        if info is not None and info.deleted:
            self.notice.setText(
                self.tr("企业已在支付宝注销。本地缓存的组织架构、账单和凭证仍保留，仅供查阅。")
            )
        elif info is not None and info.status is EnterpriseStatus.UNSIGNED:
            self.notice.setText(
                self.tr("因公付协议已解除：员工暂时不能用企业码付款。如需恢复，请重新邀请签约。")
            )
        else:
            self.notice.setText(reason)
        self.notice.setVisible(bool(self.notice.text()))

    # -- running actions -------------------------------------------------------------------
    def service(self) -> EnterpriseService:
        return EnterpriseService(
            self.ctx.database, self.ctx.require_gateway(), self.ctx.enterprise_id
        )

    def run_action(
        self,
        operation: str,
        work: Callable[[EnterpriseService], Any],
        on_done: Callable[[Any], object] | None = None,
        dialog: OrgFormDialog | None = None,
    ) -> None:
        """Run ``work(service)`` off the GUI thread; on success refresh every enterprise view."""
        run_service_action(
            self,
            self.ctx,
            operation,
            self.service,
            work,
            entity="enterprise",
            on_done=on_done,
            dialog=dialog,
        )

    def on_refresh(self) -> None:
        self.run_action(self.tr("刷新企业信息"), lambda service: service.refresh())

    def on_modify(self) -> None:
        if self.info is None:
            return
        dialog = EnterpriseModifyDialog(self, self.tr("修改企业信息"), self.info)

        def submitted(form: EnterpriseForm) -> None:
            self.run_action(
                self.tr("修改企业信息"),
                lambda service: service.modify(form.name, form.alias),
                dialog=dialog,
            )

        dialog.submitted.connect(submitted)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()

    def on_invite(self) -> None:
        def shown(invite: EnterpriseInvite) -> None:
            self.qr_kind = "invite"

        self.run_action(self.tr("生成邀请签约链接"), lambda service: service.create_invite(), shown)

    def on_unsign(self) -> None:
        info = self.info
        if info is None:
            return
        dialog = EnterpriseConfirmDialog(
            self,
            self.tr("解约"),
            self.tr("解除“%1”的企业码因公付协议？").replace("%1", info.name),
            consequences=[
                self.tr("全体员工将不能再用企业码因公付款，已发放的额度也无法再用于付款；"),
                self.tr(
                    "支付宝会返回一个解约链接（显示为二维码），企业管理员需扫码确认后解约才最终生效；"
                ),
                self.tr("员工、部门、费控制度和额度仍保留在支付宝，重新签约后可继续使用；"),
                self.tr("本地缓存的数据不会删除，账单、凭证照常可查、可对账。"),
            ],
            action_text=self.tr("解约(&U)"),
        )

        def unsigned(result: UnsignResult) -> None:
            self.qr_kind = "unsign"

        dialog.confirmed.connect(
            lambda: self.run_action(self.tr("解约"), lambda service: service.unsign(), unsigned)
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()

    def on_delete(self) -> None:
        info = self.info
        if info is None:
            return
        dialog = EnterpriseConfirmDialog(
            self,
            self.tr("注销企业"),
            self.tr("在支付宝注销企业“%1”？此操作不可恢复。").replace("%1", info.name),
            consequences=[
                self.tr("企业码企业将被注销：全体员工立即不能再用企业码付款，未用完的额度作废；"),
                self.tr("支付宝上的部门、员工、费控制度和额度随企业一并清理，不能恢复；"),
                self.tr("之后与该企业有关的同步和操作都会失败；"),
                self.tr("本地缓存的组织架构、账单和凭证保留为只读历史，供查阅与对账，不会被删除。"),
            ],
            action_text=self.tr("注销企业(&D)"),
            type_to_confirm=info.name,
        )
        dialog.confirmed.connect(
            lambda: self.run_action(self.tr("注销企业"), lambda service: service.delete())
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()

    def on_copy(self) -> None:
        if self.link.text():
            QGuiApplication.clipboard().setText(self.link.text())
