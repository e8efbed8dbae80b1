"""企业: the enterprise's sign-up and authorisation state."""

from __future__ import annotations

from sqlalchemy import select

from workstation.enterprise.models import Enterprise
from workstation.ui.tabs.base import CachedTableTab
from workstation.ui.tabs.labels import AUTH_STATUSES, SIGN_STATUSES, code_label
from workstation.ui.tabs.sql_table_model import AnySelect, SqlColumn

__all__ = ["EnterpriseTab"]


class EnterpriseTab(CachedTableTab):
    ENTITIES = ("enterprise",)

    def statement(self) -> AnySelect:
        e = Enterprise
        return select(
            e.enterprise_id, e.name, e.alias, e.credit_code, e.status, e.sign_status,
            e.auth_status, e.gmt_modified,
        ).order_by(e.id)  # fmt: skip

    def columns(self) -> list[SqlColumn]:
        return [
            SqlColumn("enterprise_id", "企业ID"),
            SqlColumn("name", "企业名称"),
            SqlColumn("alias", "简称"),
            SqlColumn("credit_code", "统一社会信用代码"),
            SqlColumn("status", "状态"),
            SqlColumn("sign_status", "签约状态", code_label(SIGN_STATUSES)),
            SqlColumn("auth_status", "授权状态", code_label(AUTH_STATUSES)),
            SqlColumn("gmt_modified", "更新时间"),
        ]
