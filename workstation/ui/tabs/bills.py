"""账单: consumption bills. A stand-in until the dedicated BillTableModel replaces the model."""

from __future__ import annotations

from sqlalchemy import select

from workstation.bills.models import Bill
from workstation.ui.tabs.base import CachedTableTab
from workstation.ui.tabs.labels import CONSUME_TYPES, code_label
from workstation.ui.tabs.sql_table_model import AnySelect, SqlColumn

__all__ = ["BillsTab"]


class BillsTab(CachedTableTab):
    ENTITIES = ("bills",)

    def statement(self) -> AnySelect:
        b = Bill
        return select(
            b.pay_no, b.trade_time, b.employee_id, b.merchant_name, b.category, b.consume_type,
            b.total_amount, b.enterprise_pay_amount, b.personal_pay_amount, b.status, b.id,
        ).order_by(b.trade_time.desc(), b.id.desc())  # fmt: skip

    def columns(self) -> list[SqlColumn]:
        return [
            SqlColumn("pay_no", "支付单号"),
            SqlColumn("trade_time", "交易时间"),
            SqlColumn("employee_id", "员工ID"),
            SqlColumn("merchant_name", "商户"),
            SqlColumn("category", "类目"),
            SqlColumn("consume_type", "消费类型", code_label(CONSUME_TYPES)),
            SqlColumn("total_amount", "订单金额"),
            SqlColumn("enterprise_pay_amount", "企业支付"),
            SqlColumn("personal_pay_amount", "个人支付"),
            SqlColumn("status", "状态"),
        ]
