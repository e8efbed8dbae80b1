"""通知: Alipay notifications received through the relay."""

from __future__ import annotations

from sqlalchemy import select

from workstation.notifications.models import InboxMessage
from workstation.ui.tabs.base import CachedTableTab
from workstation.ui.tabs.sql_table_model import AnySelect, SqlColumn

__all__ = ["NotificationsTab"]


class NotificationsTab(CachedTableTab):
    def statement(self) -> AnySelect:
        m = InboxMessage
        return select(
            m.seq, m.notify_id, m.msg_method, m.received_at, m.applied_at, m.status, m.error, m.id
        ).order_by(m.id.desc())

    def columns(self) -> list[SqlColumn]:
        return [
            SqlColumn("seq", "序号"),
            SqlColumn("notify_id", "通知ID"),
            SqlColumn("msg_method", "消息类型"),
            SqlColumn("received_at", "接收时间"),
            SqlColumn("applied_at", "处理时间"),
            SqlColumn("status", "状态"),
            SqlColumn("error", "错误"),
        ]
