"""Clerk actions on the enterprise itself: refresh, modify, invite to register/sign, unsign and
delete. Alipay first; then the cached row is rewritten from Alipay's own answer by the sync's
``sync_enterprise`` (one query, one upsert transaction), so there is one mapping of Alipay's
enterprise record to our row. A failed call leaves the cache untouched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update

from workstation.alipay.errors import AlipayGatewayError
from workstation.alipay.gateway import AlipayGateway
from workstation.db.base import utcnow
from workstation.db.engine import Database
from workstation.enterprise.models import Enterprise, EnterpriseStatus
from workstation.enterprise.sync import sync_enterprise
from workstation.errors import ValidationError
from workstation.sync.context import SyncContext

__all__ = [
    "EnterpriseInfo",
    "EnterpriseInvite",
    "EnterpriseService",
    "UnsignResult",
    "load_enterprise",
]

MAX_NAME = 100  # Alipay's limit for enterprise_name
MAX_ALIAS = 64


@dataclass(frozen=True)
class EnterpriseInfo:
    enterprise_id: str
    name: str
    alias: str | None
    credit_code: str | None
    account_id: str | None
    status: EnterpriseStatus
    sign_status: str | None
    auth_status: str | None
    out_biz_no: str | None
    invite_url: str | None
    invite_expire_time: dt.datetime | None
    unsign_url: str | None
    gmt_modified: dt.datetime | None

    @property
    def signed(self) -> bool:
        return self.status is EnterpriseStatus.SIGNED

    @property
    def deleted(self) -> bool:
        return self.status is EnterpriseStatus.DELETED


@dataclass(frozen=True)
class EnterpriseInvite:
    """The PC registration/sign link for the enterprise's administrator (valid 30 days)."""

    url: str
    expire_time: dt.datetime | None
    enterprise: EnterpriseInfo | None


@dataclass(frozen=True)
class UnsignResult:
    """Where the administrator finishes terminating the 因公付 agreement, and the new state."""

    unsign_url: str
    enterprise: EnterpriseInfo | None


def _info(e: Enterprise) -> EnterpriseInfo:
    return EnterpriseInfo(
        enterprise_id=e.enterprise_id,
        name=e.name,
        alias=e.alias,
        credit_code=e.credit_code,
        account_id=e.account_id,
        status=e.status,
        sign_status=e.sign_status,
        auth_status=e.auth_status,
        out_biz_no=e.out_biz_no,
        invite_url=e.invite_url,
        invite_expire_time=e.invite_expire_time,
        unsign_url=e.unsign_url,
        gmt_modified=e.gmt_modified,
    )


def load_enterprise(database: Database, enterprise_id: str = "") -> EnterpriseInfo | None:
    """The cached enterprise (the configured one, or the only one cached)."""
    stmt = select(Enterprise).where(Enterprise.deleted.is_(False))
    if enterprise_id:
        stmt = stmt.where(Enterprise.enterprise_id == enterprise_id)
    with database.read_session() as session:
        row = session.scalars(stmt.order_by(Enterprise.id)).first()
        return _info(row) if row is not None else None


class EnterpriseService:
    """Blocking: run each method on a worker thread."""

    def __init__(self, database: Database, gateway: AlipayGateway, enterprise_id: str) -> None:
        self.database = database
        self.gateway = gateway
        self.enterprise_id = enterprise_id or gateway.config.enterprise_id or ""

    def cached(self) -> EnterpriseInfo | None:
        return load_enterprise(self.database, self.enterprise_id)

    def _require_cached(self) -> EnterpriseInfo:
        info = self.cached()
        if info is None:
            raise ValidationError(
                "enterprise_id",
                "本地还没有企业信息，请先同步",
                "the enterprise is not cached yet: sync first",
                self.enterprise_id,
            )
        return info

    def refresh(self) -> EnterpriseInfo:
        """Re-read the enterprise from Alipay into the cache (one query, one transaction)."""
        sync_enterprise(SyncContext(self.database, self.gateway, self.enterprise_id))
        return self._require_cached()

    def modify(self, name: str | None, alias: str | None = None) -> EnterpriseInfo:
        current = self._require_cached()
        new_name = (name or "").strip()
        # None keeps the short name; "" would clear it, which Alipay cannot do.
        new_alias = alias.strip() if alias is not None else (current.alias or "")
        if not new_name:
            raise ValidationError("name", "企业名称不能为空", "the enterprise name is required")
        if len(new_name) > MAX_NAME:
            raise ValidationError(
                "name",
                f"企业名称最多{MAX_NAME}个字符",
                f"the enterprise name is longer than {MAX_NAME} characters",
                name,
            )
        if len(new_alias) > MAX_ALIAS:
            raise ValidationError(
                "alias",
                f"企业简称最多{MAX_ALIAS}个字符",
                f"the short name is longer than {MAX_ALIAS} characters",
                alias,
            )
        if current.alias and not new_alias:
            raise ValidationError(
                "alias",
                "支付宝不支持清空企业简称，如需更换请填写新的简称",
                "Alipay cannot clear the short name; enter a new one to replace it",
            )
        changed_name = new_name if new_name != current.name else None
        changed_alias = new_alias if new_alias and new_alias != current.alias else None
        if changed_name is None and changed_alias is None:
            raise ValidationError("name", "没有任何修改", "nothing was changed", name)
        self.gateway.modify_enterprise(enterprise_name=changed_name, enterprise_alias=changed_alias)
        return self.refresh()

    def create_invite(self) -> EnterpriseInvite:
        """The administrator's registration/sign link. The same ``out_biz_no`` always yields the
        same link, so asking again is safe; the link is remembered in the cache."""
        current = self._require_cached()
        out_biz_no = current.out_biz_no or f"WS{current.enterprise_id}"
        invite = self.gateway.create_register_invite(
            out_biz_no,
            current.name,
            enterprise_alias=current.alias,
            enterprise_code=current.credit_code,
        )
        with self.database.session() as session:
            session.execute(
                update(Enterprise)
                .where(Enterprise.enterprise_id == current.enterprise_id)
                .values(
                    invite_url=invite.pc_invite_url,
                    invite_expire_time=invite.expire_time,
                    update_time=utcnow(),
                )
            )
        return EnterpriseInvite(invite.pc_invite_url, invite.expire_time, self.cached())

    def unsign(self) -> UnsignResult:
        """Terminate the 因公付 agreement. Alipay answers with the page where the administrator
        confirms; the cached state is re-read from Alipay afterwards."""
        current = self._require_cached()
        if current.deleted:
            raise ValidationError(
                "enterprise_id", "企业已注销", "the enterprise was deleted", current.enterprise_id
            )
        url = self.gateway.unsign_enterprise()
        # The unsign went through; if re-reading fails, the next sync brings the new state, and
        # the link (the one thing the clerk needs now) is still kept and returned.
        with contextlib.suppress(AlipayGatewayError):
            self.refresh()
        with self.database.session() as session:
            session.execute(
                update(Enterprise)
                .where(Enterprise.enterprise_id == current.enterprise_id)
                .values(unsign_url=url, update_time=utcnow())
            )
        return UnsignResult(url, self.cached())

    def delete(self) -> EnterpriseInfo:
        """Cancel the enterprise at Alipay. Afterwards Alipay no longer answers for it, so the
        cached row is marked 已注销 here; the cached org chart, bills and vouchers stay as
        read-only history (nothing local is erased)."""
        current = self._require_cached()
        if current.deleted:
            raise ValidationError(
                "enterprise_id", "企业已注销", "the enterprise was already deleted"
            )
        self.gateway.delete_enterprise()
        with contextlib.suppress(AlipayGatewayError):  # expected: Alipay no longer finds it
            self.refresh()
        with self.database.session() as session:
            session.execute(
                update(Enterprise)
                .where(Enterprise.enterprise_id == current.enterprise_id)
                .values(status=EnterpriseStatus.DELETED, update_time=utcnow())
            )
        info = self.cached()
        assert info is not None
        return info
