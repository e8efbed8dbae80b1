"""额度: quotas issued to employees."""

from __future__ import annotations

from sqlalchemy import select

from workstation.org.models import Employee
from workstation.quotas.models import Quota
from workstation.ui.tabs.base import CachedTableTab
from workstation.ui.tabs.labels import QUOTA_TYPES, code_label
from workstation.ui.tabs.sql_table_model import AnySelect, SqlColumn

__all__ = ["QuotasTab"]


class QuotasTab(CachedTableTab):
    ENTITIES = ("quotas", "org")

    def statement(self) -> AnySelect:
        q, e = Quota, Employee
        return (
            select(
                q.quota_id,
                e.name.label("employee"),
                q.institution_id,
                q.quota_type,
                q.total_amount,
                q.available_amount,
                q.valid_from,
                q.valid_to,
                q.status,
            )
            .outerjoin(e, (e.employee_id == q.employee_id) & (e.enterprise_id == q.enterprise_id))
            .order_by(q.id)
        )

    def columns(self) -> list[SqlColumn]:
        return [
            SqlColumn("quota_id", "额度ID"),
            SqlColumn("employee", "员工"),
            SqlColumn("institution_id", "制度ID"),
            SqlColumn("quota_type", "额度类型", code_label(QUOTA_TYPES)),
            SqlColumn("total_amount", "总额度"),
            SqlColumn("available_amount", "可用额度"),
            SqlColumn("valid_from", "生效时间"),
            SqlColumn("valid_to", "失效时间"),
            SqlColumn("status", "状态"),
        ]
