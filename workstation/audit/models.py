"""The append-only audit log: who changed what, when, with before/after snapshots.

Append-only is enforced twice: the ORM refuses to update or delete a row (see ``guard``), and the
database itself has triggers (created by the initial migration) that abort UPDATE and DELETE.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Index, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from workstation.db.base import Base, utcnow
from workstation.errors import WorkstationError


class AuditLog(Base):
    __tablename__ = "t_audit_log"
    __table_args__ = (
        Index("ix_t_audit_log_entity", "entity", "entity_id", "occurred_at"),
        {"comment": "审计日志（只追加）"},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(default=utcnow, comment="时间(UTC)")
    actor: Mapped[str] = mapped_column(String(64), comment="操作人")
    entity: Mapped[str] = mapped_column(String(64), comment="实体")
    entity_id: Mapped[str] = mapped_column(String(64), comment="实体ID")
    action: Mapped[str] = mapped_column(String(32), comment="动作")
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, comment="变更前")
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, comment="变更后")
    remark: Mapped[str | None] = mapped_column(String(512), comment="说明/原因")


class AuditLogImmutable(WorkstationError):
    def __init__(self) -> None:
        super().__init__("审计日志只能追加，不能修改或删除", "the audit log is append-only")


@event.listens_for(Session, "before_flush")
def guard(session: Session, flush_context: object, instances: object) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditLog) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditLogImmutable()
