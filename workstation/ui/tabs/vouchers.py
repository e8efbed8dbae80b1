"""凭证: vouchers and invoices attached to bills; the detail pane renders one, and jumps to
its bill in the 账单 tab."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QPushButton, QTextBrowser, QVBoxLayout, QWidget
from sqlalchemy import and_, select
from sqlalchemy.engine import Row

from workstation.org.models import Employee
from workstation.ui.tabs.base import CachedTableTab
from workstation.ui.tabs.bills import voucher_html
from workstation.ui.tabs.sql_table_model import AnySelect, SqlColumn
from workstation.vouchers.models import Voucher

__all__ = ["VouchersTab"]


class VouchersTab(CachedTableTab):
    ENTITIES = ("vouchers", "org")

    bill_requested = Signal(str)  # pay_no: show this bill in the 账单 tab

    def statement(self) -> AnySelect:
        v, e = Voucher, Employee
        return (
            select(
                v.voucher_id, v.bill_id, e.name.label("employee"), v.voucher_type,
                v.voucher_date, v.invoice_code, v.invoice_no, v.invoice_amount, v.tax_amount,
                v.seller_name, v.buyer_title, v.id,
            )
            .outerjoin(e, and_(e.employee_id == v.employee_id))
            .order_by(v.id.desc())
        )  # fmt: skip

    def columns(self) -> list[SqlColumn]:
        return [
            SqlColumn("voucher_id", self.tr("凭证ID")),
            SqlColumn("bill_id", self.tr("账单号")),
            SqlColumn("employee", self.tr("员工")),
            SqlColumn("voucher_type", self.tr("凭证类型")),
            SqlColumn("voucher_date", self.tr("开票日期")),
            SqlColumn("invoice_code", self.tr("发票代码")),
            SqlColumn("invoice_no", self.tr("发票号码")),
            SqlColumn("invoice_amount", self.tr("发票金额")),
            SqlColumn("tax_amount", self.tr("税额")),
            SqlColumn("seller_name", self.tr("销售方")),
        ]

    def search_columns(self) -> list[Any]:
        v = Voucher
        return [v.voucher_id, v.bill_id, v.invoice_no, v.seller_name, v.buyer_title]

    def search_placeholder(self) -> str:
        return self.tr("搜索凭证ID、账单号、发票号码、销售方… (Ctrl+F)")

    def detail_widget(self) -> QWidget:
        pane = QWidget(self)
        self.detail = QTextBrowser(pane)
        self.detail.setObjectName("voucher_detail")
        self.detail.setPlaceholderText(self.tr("选择一张凭证查看内容"))
        self.jump_button = QPushButton(self.tr("查看账单(&B)"), pane)
        self.jump_button.setShortcut(QKeySequence("Ctrl+B"))
        self.jump_button.setEnabled(False)
        self.jump_button.clicked.connect(self.on_jump_clicked)
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.detail, 1)
        layout.addWidget(self.jump_button)
        self._pay_no: str | None = None
        return pane

    def show_detail(self, row: Row[Any] | None) -> None:
        if row is None:
            self.detail.clear()
            self._pay_no = None
            self.jump_button.setEnabled(False)
            return
        with self.database.read_session() as s:
            voucher = (
                s.execute(select(Voucher.__table__).where(Voucher.voucher_id == row.voucher_id))
                .mappings()
                .one_or_none()
            )
        if voucher is None:
            self.detail.clear()
            return
        self._pay_no = voucher["bill_id"]
        self.jump_button.setEnabled(bool(self._pay_no))
        title = self.tr("凭证 %1").replace("%1", str(voucher["voucher_id"]))
        self.detail.setHtml(f"<h3>{title}</h3>{voucher_html(dict(voucher))}")

    def on_jump_clicked(self) -> None:
        if self._pay_no:
            self.bill_requested.emit(self._pay_no)
