"""通知: every Alipay message the relay delivered, with what became of it."""

from __future__ import annotations

import html
import json
from typing import Any

from PySide6.QtWidgets import QTextBrowser, QWidget
from sqlalchemy import select
from sqlalchemy.engine import Row

from workstation.notifications.models import InboxMessage
from workstation.ui.marks import QT_TRANSLATE_NOOP
from workstation.ui.tabs.base import CachedTableTab
from workstation.ui.tabs.sql_table_model import AnySelect, SqlColumn

__all__ = ["MESSAGE_TITLES", "NotificationsTab"]

# What clerks call each message; unknown methods show their technical name.
MESSAGE_TITLES = {
    "alipay.commerce.ec.consume.change.notify": QT_TRANSLATE_NOOP("NotificationsTab", "账单变更"),
    "alipay.commerce.ec.employee.change.notify": QT_TRANSLATE_NOOP("NotificationsTab", "员工变更"),
    "alipay.commerce.ec.department.change.notify": QT_TRANSLATE_NOOP(
        "NotificationsTab", "部门变更"
    ),
    "alipay.commerce.ec.enterprise.change.notify": QT_TRANSLATE_NOOP(
        "NotificationsTab", "企业变更"
    ),
    "alipay.commerce.ec.enterprise.newinvoice.notify": QT_TRANSLATE_NOOP(
        "NotificationsTab", "新发票"
    ),
}


class NotificationsTab(CachedTableTab):
    ENTITIES = ("notifications",)

    def statement(self) -> AnySelect:
        m = InboxMessage
        return select(
            m.seq, m.received_at, m.msg_method, m.status, m.applied_at, m.error, m.notify_id, m.id
        ).order_by(m.id.desc())

    def columns(self) -> list[SqlColumn]:
        return [
            SqlColumn("seq", self.tr("序号")),
            SqlColumn("received_at", self.tr("接收时间")),
            SqlColumn("msg_method", self.tr("消息类型"), self.message_title),
            SqlColumn("status", self.tr("状态")),
            SqlColumn("applied_at", self.tr("处理时间")),
            SqlColumn("error", self.tr("错误")),
            SqlColumn("notify_id", self.tr("通知ID")),
        ]

    def message_title(self, method: str) -> str:
        title = MESSAGE_TITLES.get(method)
        return self.tr(title) if title else method

    def search_columns(self) -> list[Any]:
        m = InboxMessage
        return [m.msg_method, m.notify_id, m.error]

    def search_placeholder(self) -> str:
        return self.tr("搜索消息类型、通知ID、错误… (Ctrl+F)")

    def detail_widget(self) -> QWidget:
        self.detail = QTextBrowser(self)
        self.detail.setObjectName("notification_detail")
        self.detail.setPlaceholderText(self.tr("选择一条通知查看内容"))
        return self.detail

    def show_detail(self, row: Row[Any] | None) -> None:
        if row is None:
            self.detail.clear()
            return
        with self.database.read_session() as s:
            message = s.get(InboxMessage, row.id)
            if message is None:
                self.detail.clear()
                return
            payload = json.dumps(message.payload, ensure_ascii=False, indent=2)
            error = message.error
            method = message.msg_method
        parts = [f"<h3>{html.escape(self.message_title(method))}</h3>"]
        parts.append(f"<p style='color:gray'>{html.escape(method)}</p>")
        if error:
            parts.append(f"<p style='color:#c62828'>{html.escape(error)}</p>")
        parts.append(f"<pre>{html.escape(payload)}</pre>")
        self.detail.setHtml("".join(parts))
