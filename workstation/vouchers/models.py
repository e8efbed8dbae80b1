"""Vouchers and invoices (凭证/发票) linked to bills."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from workstation.db.base import AuditMixin, Base, validate_money


class Voucher(AuditMixin, Base):
    __tablename__ = "t_voucher"
    __table_args__ = {"comment": "凭证表"}

    id: Mapped[int] = mapped_column(primary_key=True)
    voucher_id: Mapped[str] = mapped_column(String(64), unique=True, comment="凭证ID")
    bill_id: Mapped[str | None] = mapped_column(String(64), index=True, comment="关联账单(pay_no)")
    enterprise_id: Mapped[str | None] = mapped_column(String(64), comment="企业ID")
    employee_id: Mapped[str | None] = mapped_column(String(64), comment="员工ID")
    voucher_type: Mapped[str | None] = mapped_column(String(32), comment="凭证类型")
    voucher_source: Mapped[str | None] = mapped_column(String(32), comment="凭证来源")
    voucher_date: Mapped[dt.datetime | None] = mapped_column(index=True, comment="凭证日期")
    content: Mapped[dict[str, Any] | None] = mapped_column(JSON, comment="凭证内容")
    invoice_code: Mapped[str | None] = mapped_column(String(32), comment="发票代码")
    invoice_no: Mapped[str | None] = mapped_column(String(32), comment="发票号码")
    invoice_amount: Mapped[Decimal | None] = mapped_column(comment="发票金额（分）")
    tax_amount: Mapped[Decimal | None] = mapped_column(comment="税额（分）")
    seller_name: Mapped[str | None] = mapped_column(String(256), comment="销售方")
    buyer_title: Mapped[str | None] = mapped_column(String(256), comment="购买方抬头")
    summary_id: Mapped[str | None] = mapped_column(String(64), comment="汇总批次ID")

    _check_money = validate_money("invoice_amount", "tax_amount")
