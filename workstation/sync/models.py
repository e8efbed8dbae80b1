"""Per-entity sync cursors, written in the same transaction as the rows they cover."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from workstation.db.base import Base


class SyncCursor(Base):
    __tablename__ = "t_sync_cursor"
    __table_args__ = {"comment": "同步游标"}

    entity: Mapped[str] = mapped_column(String(32), primary_key=True, comment="实体")
    cursor: Mapped[str | None] = mapped_column(String(64), comment="游标（如账单窗口的结束时间）")
    updated_at: Mapped[dt.datetime | None] = mapped_column(comment="游标更新时间(UTC)")
    last_success_at: Mapped[dt.datetime | None] = mapped_column(comment="上次成功(UTC)")
    last_error: Mapped[str | None] = mapped_column(Text, comment="上次错误")
