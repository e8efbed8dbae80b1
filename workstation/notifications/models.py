"""The notification inbox: every Alipay message received, applied once per notify id."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from workstation.db.base import Base, utcnow, validate_enum
from workstation.db.types import EnumText


class InboxStatus(enum.Enum):
    RECEIVED = "received"
    APPLIED = "applied"
    FAILED = "failed"
    IGNORED = "ignored"  # no handler for this msg_method


class InboxMessage(Base):
    __tablename__ = "t_notification"
    __table_args__ = {"comment": "通知收件箱"}

    id: Mapped[int] = mapped_column(primary_key=True)
    notify_id: Mapped[str] = mapped_column(String(64), unique=True, comment="通知ID")
    seq: Mapped[int | None] = mapped_column(index=True, comment="中继序号")
    msg_method: Mapped[str] = mapped_column(String(128), index=True, comment="消息类型")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, comment="biz_content")
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True, comment="接收时间")
    applied_at: Mapped[dt.datetime | None] = mapped_column(comment="处理时间")
    status: Mapped[InboxStatus] = mapped_column(
        EnumText(InboxStatus), default=InboxStatus.RECEIVED, comment="状态"
    )
    error: Mapped[str | None] = mapped_column(Text, comment="错误")

    _check_status = validate_enum("status", InboxStatus)
