"""费控制度: expense institutions."""

from __future__ import annotations

from sqlalchemy import select

from workstation.institutions.models import ExpenseInstitution
from workstation.ui.tabs.base import CachedTableTab
from workstation.ui.tabs.labels import EXPENSE_TYPES, code_label
from workstation.ui.tabs.sql_table_model import AnySelect, SqlColumn

__all__ = ["InstitutionsTab"]


class InstitutionsTab(CachedTableTab):
    ENTITIES = ("institutions",)

    def statement(self) -> AnySelect:
        i = ExpenseInstitution
        return select(
            i.institution_id, i.name, i.expense_type, i.expense_sub_type, i.status,
            i.adapter_type, i.effective_start, i.effective_end, i.description,
        ).order_by(i.id)  # fmt: skip

    def columns(self) -> list[SqlColumn]:
        return [
            SqlColumn("institution_id", "制度ID"),
            SqlColumn("name", "制度名称"),
            SqlColumn("expense_type", "费用类型", code_label(EXPENSE_TYPES)),
            SqlColumn("expense_sub_type", "费用子类型", code_label(EXPENSE_TYPES)),
            SqlColumn("status", "状态"),
            SqlColumn("adapter_type", "适用范围"),
            SqlColumn("effective_start", "生效开始"),
            SqlColumn("effective_end", "生效结束"),
            SqlColumn("description", "说明"),
        ]
