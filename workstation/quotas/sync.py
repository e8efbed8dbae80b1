"""Mirror employees' quotas (full snapshot; a quota deleted at Alipay is marked deleted)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from workstation.alipay.types import Quota as AlipayQuota
from workstation.db.base import utcnow
from workstation.money import ZERO
from workstation.quotas.models import Quota, QuotaStatus
from workstation.sync.context import SyncContext
from workstation.sync.upsert import fen, mark_missing, upsert

__all__ = ["ENTITY", "quota_row", "quota_status", "sync_quotas"]

ENTITY = "quotas"
PAGE_SIZE = 500


def quota_status(q: AlipayQuota, now: dt.datetime) -> QuotaStatus:
    if q.frozen:
        return QuotaStatus.FROZEN
    if q.valid_to is not None and q.valid_to < now:
        return QuotaStatus.EXPIRED
    if q.available <= 0:
        return QuotaStatus.EXHAUSTED
    return QuotaStatus.ACTIVE


def quota_row(
    q: AlipayQuota, enterprise_id: str, china_now: dt.datetime, now: dt.datetime
) -> dict[str, Any]:
    # outer_source_id is not in the row: Alipay does not return it, and the one this app sent
    # when issuing the quota must survive every sync.
    return {
        "quota_id": q.quota_id,
        "enterprise_id": q.enterprise_id or enterprise_id,
        "employee_id": q.owner_id or q.owner_open_id or "",
        "institution_id": q.target_id or "",
        "quota_type": q.quota_type,
        "total_amount": fen(max(q.total, ZERO)),
        "available_amount": fen(max(q.available, ZERO)),
        "valid_from": q.valid_from,
        "valid_to": q.valid_to,
        "status": quota_status(q, china_now).value,
        "deleted": False,
        "update_time": now,
        "create_time": now,
    }


def sync_quotas(ctx: SyncContext) -> None:
    quotas = list(ctx.gateway.iter_quotas(page_size=PAGE_SIZE))
    ctx.progress(1, 2)
    now = utcnow()
    china_now = ctx.now()
    rows = [quota_row(q, ctx.enterprise_id, china_now, now) for q in quotas]
    with ctx.db.session() as session:
        conn = session.connection()
        counts = upsert(conn, Quota, rows, ["quota_id"])
        gone = mark_missing(
            conn,
            Quota,
            "quota_id",
            (r["quota_id"] for r in rows),
            {"deleted": True, "update_time": now},
        )
    ctx.counts.add(counts.inserted, counts.updated, gone)
    ctx.progress(2, 2)
