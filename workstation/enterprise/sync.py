"""Mirror the enterprise's own record (status, signing, account)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from workstation.alipay.types import Enterprise as AlipayEnterprise
from workstation.db.base import utcnow
from workstation.enterprise.models import Enterprise, EnterpriseStatus
from workstation.sync.context import SyncContext
from workstation.sync.upsert import upsert

__all__ = ["ENTITY", "enterprise_status", "sync_enterprise"]

ENTITY = "enterprise"


def enterprise_status(e: AlipayEnterprise) -> EnterpriseStatus:
    """Alipay reports several flags; the clerk sees one state."""
    status = (e.status or "").upper()
    sign = (e.sign_status or e.activate or "").upper()
    if status in {"DELETED", "CANCELLED", "LOGOUT"}:
        return EnterpriseStatus.DELETED
    if sign in {"UNSIGNED", "UNSIGN", "TERMINATED"}:
        return EnterpriseStatus.UNSIGNED
    if sign in {"SIGNED", "ACTIVATED", "SIGN", "EFFECTIVE"}:
        return EnterpriseStatus.SIGNED
    return EnterpriseStatus.REGISTERED


def enterprise_row(e: AlipayEnterprise, now: dt.datetime) -> dict[str, Any]:
    """The ``t_enterprise`` row for Alipay's enterprise record (sync and notifications)."""
    return {
        "enterprise_id": e.enterprise_id,
        "account_id": e.account_id,
        "name": e.enterprise_name or e.enterprise_id,
        "alias": e.enterprise_alias,
        "credit_code": e.enterprise_code,
        "status": enterprise_status(e).value,
        "sign_status": e.sign_status,
        "auth_status": e.auth_status,
        "out_biz_no": e.out_biz_no,
        "gmt_modified": e.gmt_modified,
        "deleted": False,
        "update_time": now,
        "create_time": now,
    }


def sync_enterprise(ctx: SyncContext) -> None:
    row = enterprise_row(ctx.gateway.query_enterprise(), utcnow())
    with ctx.db.session() as session:
        counts = upsert(session.connection(), Enterprise, [row], ["enterprise_id"])
    ctx.counts.add(counts.inserted, counts.updated)
    ctx.progress(1, 1)
