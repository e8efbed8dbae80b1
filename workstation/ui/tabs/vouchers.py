"""凭证: vouchers and invoices attached to bills."""

from __future__ import annotations

from sqlalchemy import select

from workstation.ui.tabs.base import CachedTableTab
from workstation.ui.tabs.sql_table_model import AnySelect, SqlColumn
from workstation.vouchers.models import Voucher

__all__ = ["VouchersTab"]


class VouchersTab(CachedTableTab):
    ENTITIES = ("vouchers",)

    def statement(self) -> AnySelect:
        v = Voucher
        return select(
            v.voucher_id, v.bill_id, v.employee_id, v.voucher_type, v.voucher_date,
            v.invoice_code, v.invoice_no, v.invoice_amount, v.tax_amount, v.seller_name,
        ).order_by(v.id)  # fmt: skip

    def columns(self) -> list[SqlColumn]:
        return [
            SqlColumn("voucher_id", "凭证ID"),
            SqlColumn("bill_id", "账单"),
            SqlColumn("employee_id", "员工ID"),
            SqlColumn("voucher_type", "凭证类型"),
            SqlColumn("voucher_date", "开票日期"),
            SqlColumn("invoice_code", "发票代码"),
            SqlColumn("invoice_no", "发票号码"),
            SqlColumn("invoice_amount", "发票金额"),
            SqlColumn("tax_amount", "税额"),
            SqlColumn("seller_name", "销售方"),
        ]
