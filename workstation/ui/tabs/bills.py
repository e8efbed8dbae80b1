"""账单: a million bills, filtered, sorted and totalled without the GUI thread waiting.

The filter bar builds a :class:`BillFilter`; :class:`BillTableModel` reads pages and totals on
the window's :class:`TaskRunner`. The detail pane shows the selected bill and its vouchers.
Saved views store a filter (with a relative period such as "近30天" kept relative) by name in
QSettings."""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any, ClassVar

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from workstation.bills.models import BillStatus
from workstation.bills.query import BillDetail, BillFilter, BillQuery, BillSort, BillTotals
from workstation.errors import ValidationError
from workstation.money import MoneyError, format_money
from workstation.money import parse as parse_money
from workstation.sync.context import china_now
from workstation.ui.context import TabContext
from workstation.ui.errors import error_lines
from workstation.ui.marks import QT_TRANSLATE_NOOP
from workstation.ui.models.bill_table_model import BillColumn, BillTableModel
from workstation.ui.tabs.labels import enum_label
from workstation.ui.tabs.lookups import (
    Choice,
    department_choices,
    employee_choices,
    institution_choices,
)

__all__ = ["PERIODS", "BillsTab", "period_range", "voucher_html"]

VIEWS_KEY = "bills/views"
EXPORT_PAGE = 2000

# Relative periods a clerk picks most; saved views keep them relative ("this month" stays so).
PERIODS: tuple[tuple[str, str], ...] = (
    ("all", QT_TRANSLATE_NOOP("BillsTab", "全部时间")),
    ("today", QT_TRANSLATE_NOOP("BillsTab", "今天")),
    ("week", QT_TRANSLATE_NOOP("BillsTab", "本周")),
    ("month", QT_TRANSLATE_NOOP("BillsTab", "本月")),
    ("last_month", QT_TRANSLATE_NOOP("BillsTab", "上月")),
    ("last30", QT_TRANSLATE_NOOP("BillsTab", "近30天")),
    ("last90", QT_TRANSLATE_NOOP("BillsTab", "近90天")),
    ("custom", QT_TRANSLATE_NOOP("BillsTab", "自定义")),
)


def period_range(period: str, today: dt.date) -> tuple[dt.datetime | None, dt.datetime | None]:
    """``[from, to)`` in naive Beijing time for a relative period (``custom``/``all`` → open)."""

    def day(d: dt.date) -> dt.datetime:
        return dt.datetime.combine(d, dt.time())

    tomorrow = day(today + dt.timedelta(days=1))
    if period == "today":
        return day(today), tomorrow
    if period == "week":
        return day(today - dt.timedelta(days=today.weekday())), tomorrow
    if period == "month":
        return day(today.replace(day=1)), tomorrow
    if period == "last_month":
        first = today.replace(day=1)
        return day((first - dt.timedelta(days=1)).replace(day=1)), day(first)
    if period == "last30":
        return day(today - dt.timedelta(days=29)), tomorrow
    if period == "last90":
        return day(today - dt.timedelta(days=89)), tomorrow
    return None, None


def _qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def _money_html(value: Decimal | None) -> str:
    return "" if value is None else html.escape(format_money(value))


class BillsTab(QWidget):
    ENTITIES: ClassVar[tuple[str, ...]] = ("bills", "vouchers", "org", "institutions")

    bill_selected = Signal(str)  # pay_no

    def __init__(
        self,
        ctx: TabContext,
        parent: QWidget | None = None,
        *,
        today: Callable[[], dt.date] = lambda: china_now().date(),
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._today = today
        self.query = BillQuery(ctx.database)
        self._building = True
        self._filter_error: ValidationError | None = None

        self.model = BillTableModel(
            self.query, self._default_filter(), fetch=self._fetch, parent=self
        )
        self._export_filter = self.model.bill_filter  # what the last export_table() captured
        self._build_filter_bar()
        self._build_body()
        self._building = False

        self.model.totals_changed.connect(self.on_totals_changed)
        self.model.first_page_loaded.connect(self._on_first_page_loaded)
        self.view.selectionModel().currentRowChanged.connect(self.on_current_row_changed)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.apply_filter)
        ctx.events.changed.connect(self.on_cache_changed)
        self._reload_choices()
        self._reload_views()
        self.on_totals_changed(self.model.totals)

    # -- building ---------------------------------------------------------------------------

    def _fetch(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self.ctx.runner.run(work, done, self._on_read_failed, context=self)

    def _default_filter(self) -> BillFilter:
        date_from, date_to = period_range("last30", self._today())
        return BillFilter(date_from=date_from, date_to=date_to)

    def _build_filter_bar(self) -> None:
        self.period = QComboBox(self)
        self.period.setObjectName("period")
        for key, text in PERIODS:
            self.period.addItem(self.tr(text), key)
        self.period.setCurrentIndex(self.period.findData("last30"))
        today = self._today()
        self.date_from = QDateEdit(self)
        self.date_from.setObjectName("date_from")
        self.date_from.setCalendarPopup(True)
        self.date_from.setDisplayFormat("yyyy-MM-dd")
        self.date_from.setDate(_qdate(today - dt.timedelta(days=29)))
        self.date_to = QDateEdit(self)
        self.date_to.setObjectName("date_to")
        self.date_to.setCalendarPopup(True)
        self.date_to.setDisplayFormat("yyyy-MM-dd")
        self.date_to.setDate(_qdate(today))
        self.department = QComboBox(self)
        self.department.setObjectName("department")
        self.department.setMinimumContentsLength(12)
        self.sub_departments = QCheckBox(self.tr("含下级(&U)"), self)
        self.sub_departments.setChecked(True)
        self.employee = QComboBox(self)
        self.employee.setObjectName("employee")
        self.employee.setEditable(True)
        self.employee.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.employee.setMinimumContentsLength(10)
        self.institution = QComboBox(self)
        self.institution.setObjectName("institution")
        self.institution.setMinimumContentsLength(10)
        self.status = QComboBox(self)
        self.status.setObjectName("status")
        self.status.addItem(self.tr("全部状态"), None)
        for status in BillStatus:
            self.status.addItem(enum_label(status), status.value)
        self.amount_min = QLineEdit(self)
        self.amount_min.setObjectName("amount_min")
        self.amount_min.setPlaceholderText(self.tr("最低"))
        self.amount_min.setMaximumWidth(110)
        self.amount_max = QLineEdit(self)
        self.amount_max.setObjectName("amount_max")
        self.amount_max.setPlaceholderText(self.tr("最高"))
        self.amount_max.setMaximumWidth(110)
        self.merchant = QLineEdit(self)
        self.merchant.setObjectName("merchant")
        self.merchant.setPlaceholderText(self.tr("商户名称 (Ctrl+F)"))
        self.merchant.setClearButtonEnabled(True)
        self.views = QComboBox(self)
        self.views.setObjectName("views")
        self.views.setMinimumContentsLength(8)
        self.save_view_button = QPushButton(self.tr("保存视图(&S)…"), self)
        self.delete_view_button = QPushButton(self.tr("删除视图"), self)
        self.reset_button = QPushButton(self.tr("重置(&R)"), self)
        self.pay_no_label = QLabel(self)
        self.pay_no_clear = QPushButton(self.tr("显示全部账单"), self)
        self.filter_error = QLabel(self)
        self.filter_error.setObjectName("filter_error")
        self.filter_error.setStyleSheet("color: #c62828;")
        self.filter_error.setWordWrap(True)
        self.filter_error.hide()

        row1 = QHBoxLayout()
        row1.addWidget(self._buddy(self.tr("时间(&T)"), self.period))
        row1.addWidget(self.period)
        row1.addWidget(self.date_from)
        row1.addWidget(QLabel("–", self))
        row1.addWidget(self.date_to)
        row1.addSpacing(12)
        row1.addWidget(self._buddy(self.tr("部门(&D)"), self.department))
        row1.addWidget(self.department, 2)
        row1.addWidget(self.sub_departments)
        row1.addSpacing(12)
        row1.addWidget(self._buddy(self.tr("员工(&E)"), self.employee))
        row1.addWidget(self.employee, 2)
        row1.addWidget(self._buddy(self.tr("制度(&I)"), self.institution))
        row1.addWidget(self.institution, 2)
        row2 = QHBoxLayout()
        row2.addWidget(self._buddy(self.tr("状态"), self.status))
        row2.addWidget(self.status)
        row2.addSpacing(12)
        row2.addWidget(self._buddy(self.tr("金额(&A)"), self.amount_min))
        row2.addWidget(self.amount_min)
        row2.addWidget(QLabel("–", self))
        row2.addWidget(self.amount_max)
        row2.addSpacing(12)
        row2.addWidget(self._buddy(self.tr("商户(&M)"), self.merchant))
        row2.addWidget(self.merchant, 3)
        row2.addWidget(self.pay_no_label)
        row2.addWidget(self.pay_no_clear)
        row2.addSpacing(12)
        row2.addWidget(self._buddy(self.tr("视图(&V)"), self.views))
        row2.addWidget(self.views, 1)
        row2.addWidget(self.save_view_button)
        row2.addWidget(self.delete_view_button)
        row2.addWidget(self.reset_button)
        self.pay_no_label.hide()
        self.pay_no_clear.hide()

        self.filter_bar = QWidget(self)
        self.filter_bar.setObjectName("filter_bar")
        bar = QVBoxLayout(self.filter_bar)
        bar.setContentsMargins(6, 6, 6, 0)
        bar.addLayout(row1)
        bar.addLayout(row2)
        bar.addWidget(self.filter_error)

        self.period.currentIndexChanged.connect(self.on_period_changed)
        for date_edit in (self.date_from, self.date_to):
            date_edit.dateChanged.connect(self.on_dates_edited)
        for combo in (self.department, self.institution, self.status):
            combo.currentIndexChanged.connect(self.on_filter_edited)
        self.employee.currentIndexChanged.connect(self.on_filter_edited)
        self.sub_departments.toggled.connect(self.on_filter_edited)
        for edit in (self.amount_min, self.amount_max, self.merchant):
            edit.textEdited.connect(self.on_text_edited)
            edit.returnPressed.connect(self.apply_filter)
        self.views.activated.connect(self.on_view_chosen)
        self.save_view_button.clicked.connect(self.on_save_view)
        self.delete_view_button.clicked.connect(self.on_delete_view)
        self.reset_button.clicked.connect(self.on_reset)
        self.pay_no_clear.clicked.connect(self.on_clear_pay_no)
        self._pay_no: str | None = None
        self._sync_date_edits()

    def _buddy(self, text: str, widget: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(widget)
        return label

    def _build_body(self) -> None:
        self.totals_label = QLabel(self)
        self.totals_label.setObjectName("totals")
        self.totals_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.totals_label.setContentsMargins(8, 2, 8, 2)

        self.view = QTableView(self)
        self.view.setObjectName("bills_table")
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(
            BillColumn.TRADE_TIME, Qt.SortOrder.DescendingOrder
        )
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        widths = {
            BillColumn.TRADE_TIME: 150,
            BillColumn.EMPLOYEE: 90,
            BillColumn.DEPARTMENT: 110,
            BillColumn.MERCHANT: 180,
            BillColumn.CATEGORY: 80,
            BillColumn.STATUS: 70,
            BillColumn.PAY_NO: 200,
        }
        for column in BillColumn:
            self.view.setColumnWidth(column, widths.get(column, 105))

        self.detail = QTextBrowser(self)
        self.detail.setObjectName("bill_detail")
        self.detail.setOpenLinks(False)
        self.detail.setMinimumWidth(260)
        self.detail.setPlaceholderText(self.tr("选择一笔账单查看详情"))

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("bills_splitter")
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([900, 320])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.totals_label)
        layout.addWidget(self.splitter, 1)

    # -- choices ----------------------------------------------------------------------------

    def _reload_choices(self) -> None:
        # Small tables read by index: fast enough for the GUI thread.
        self._fill(self.department, self.tr("全部部门"), department_choices(self.ctx.database))
        self._fill(self.institution, self.tr("全部制度"), institution_choices(self.ctx.database))
        self._fill(self.employee, self.tr("全部员工"), employee_choices(self.ctx.database))
        completer = QCompleter(self.employee.model(), self.employee)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.employee.setCompleter(completer)

    def _fill(self, combo: QComboBox, any_text: str, choices: Iterable[Choice]) -> None:
        current = combo.currentData()
        was_building = self._building
        self._building = True
        try:
            combo.clear()
            combo.addItem(any_text, None)
            for choice in choices:
                combo.addItem("\u3000" * choice.depth + choice.text, choice.key)
            index = combo.findData(current) if current is not None else 0
            combo.setCurrentIndex(max(index, 0))
        finally:
            self._building = was_building

    # -- the filter --------------------------------------------------------------------------

    def search_widget(self) -> QWidget:
        return self.merchant

    def current_period(self) -> str:
        return str(self.period.currentData())

    def _sync_date_edits(self) -> None:
        custom = self.current_period() == "custom"
        self.date_from.setEnabled(custom)
        self.date_to.setEnabled(custom)

    def on_period_changed(self) -> None:
        period = self.current_period()
        if period not in ("custom", "all"):
            date_from, date_to = period_range(period, self._today())
            assert date_from is not None and date_to is not None
            was_building, self._building = self._building, True
            self.date_from.setDate(_qdate(date_from.date()))
            self.date_to.setDate(_qdate((date_to - dt.timedelta(days=1)).date()))
            self._building = was_building
        self._sync_date_edits()
        self.on_filter_edited()

    def on_dates_edited(self) -> None:
        if self._building:
            return
        self.on_filter_edited()

    def on_filter_edited(self) -> None:
        if not self._building:
            self.apply_filter()

    def on_text_edited(self) -> None:
        if not self._building:
            self._debounce.start()

    def _amount(self, edit: QLineEdit, field: str) -> Decimal | None:
        text = edit.text().strip()
        if not text:
            return None
        try:
            return parse_money(text, field=field)
        except MoneyError as exc:
            raise ValidationError(field, exc.message_zh, exc.message_en, text) from None

    def build_filter(self) -> BillFilter:
        """The filter the bar describes; raises :class:`ValidationError` naming the field."""
        period = self.current_period()
        date_from: dt.datetime | None
        date_to: dt.datetime | None
        if period == "custom":
            date_from = dt.datetime.combine(_pydate(self.date_from.date()), dt.time())
            date_to = dt.datetime.combine(
                _pydate(self.date_to.date()) + dt.timedelta(days=1), dt.time()
            )
        else:
            date_from, date_to = period_range(period, self._today())
        return BillFilter(
            date_from=date_from,
            date_to=date_to,
            department_id=self.department.currentData(),
            include_sub_departments=self.sub_departments.isChecked(),
            employee_id=self._employee_key(),
            institution_id=self.institution.currentData(),
            status=BillStatus(self.status.currentData()) if self.status.currentData() else None,
            amount_min=self._amount(self.amount_min, "amount_min"),
            amount_max=self._amount(self.amount_max, "amount_max"),
            merchant_text=self.merchant.text(),
            pay_no=self._pay_no,
        )

    def _employee_key(self) -> str | None:
        # An edited combo text that matches no item means "any": never filter by a typo.
        index = self.employee.findText(self.employee.currentText())
        if index < 0:
            return None
        data = self.employee.itemData(index)
        return str(data) if data is not None else None

    def apply_filter(self) -> None:
        self._debounce.stop()
        try:
            bill_filter = self.build_filter()
        except ValidationError as exc:
            self._show_filter_error(exc)
            return
        self._show_filter_error(None)
        if bill_filter != self.model.bill_filter:
            self.model.set_filter(bill_filter)

    def _show_filter_error(self, exc: ValidationError | None) -> None:
        self._filter_error = exc
        fields = {"amount_min": self.amount_min, "amount_max": self.amount_max}
        for name, edit in fields.items():
            bad = exc is not None and exc.field == name
            edit.setStyleSheet("border: 1px solid #c62828;" if bad else "")
        if exc is None:
            self.filter_error.hide()
            return
        zh, en = error_lines(exc)
        self.filter_error.setText(f"{zh}　{en}")
        self.filter_error.show()

    @property
    def filter_error_shown(self) -> ValidationError | None:
        return self._filter_error

    def show_bill(self, pay_no: str) -> None:
        """Jump here from elsewhere (a voucher): show exactly this bill, selected."""
        self._pay_no = pay_no
        self.pay_no_label.setText(self.tr("账单号：%1").replace("%1", pay_no))
        self.pay_no_label.show()
        self.pay_no_clear.show()
        self._pending_select = pay_no
        was_building, self._building = self._building, True
        self.period.setCurrentIndex(self.period.findData("all"))
        self._building = was_building
        self._sync_date_edits()
        self.apply_filter()
        self._show_detail(pay_no)

    def on_clear_pay_no(self) -> None:
        self._pay_no = None
        self.pay_no_label.hide()
        self.pay_no_clear.hide()
        self.apply_filter()

    def on_reset(self) -> None:
        self._apply_view({"period": "last30", "filter": {}})

    # -- totals, selection, detail -----------------------------------------------------------

    def on_totals_changed(self, totals: BillTotals | None) -> None:
        if totals is None:
            self.totals_label.setText(self.tr("正在统计…"))
            return
        text = (
            self.tr("共 %1 笔　账单金额 %2　企业付 %3　个人付 %4　退款 %5")
            .replace("%1", f"{totals.count:,}")
            .replace("%2", format_money(totals.total))
            .replace("%3", format_money(totals.enterprise_paid))
            .replace("%4", format_money(totals.personal_paid))
            .replace("%5", format_money(totals.refunds))
        )
        self.totals_label.setText(text)

    _pending_select: str | None = None

    _warmed = False

    def _on_first_page_loaded(self) -> None:
        if not self._warmed:
            # Once the first screen is up, prepare every filter's SQL in the background so the
            # clerk's first filter is as quick as the later ones.
            self._warmed = True
            self.ctx.runner.run(self.query.warm_up)
        pending, self._pending_select = self._pending_select, None
        if pending is None:
            return
        row = self.model.row_at(0)
        if row is not None and row.pay_no == pending:
            self.view.selectRow(0)

    def on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row_at(current.row()) if current.isValid() else None
        if row is None:
            self.detail.clear()
            return
        self._show_detail(row.pay_no)
        self.bill_selected.emit(row.pay_no)

    def _show_detail(self, pay_no: str) -> None:
        # One bill by its unique key and its vouchers by index: a fast read.
        detail = self.query.detail(pay_no)
        self.detail.setHtml(self.detail_html(detail) if detail else "")

    def detail_html(self, detail: BillDetail) -> str:
        b = detail.bill
        fields: list[tuple[str, str]] = [
            (self.tr("账单号"), html.escape(b["pay_no"])),
            (self.tr("交易时间"), html.escape(str(b["trade_time"] or ""))),
            (self.tr("员工"), html.escape(b["employee_name"] or b["employee_id"] or "")),
            (self.tr("部门"), html.escape(b["department_name"] or b["department_id"] or "")),
            (self.tr("商户"), html.escape(b["merchant_name"] or "")),
            (self.tr("消费分类"), html.escape(b["category"] or "")),
            (self.tr("账单类型"), html.escape(b["consume_type"] or "")),
            (self.tr("状态"), html.escape(enum_label(b["status"]))),
            (self.tr("账单金额"), _money_html(b["total_amount"])),
            (self.tr("企业付"), _money_html(b["enterprise_pay_amount"])),
            (self.tr("个人付"), _money_html(b["personal_pay_amount"])),
            (self.tr("优惠金额"), _money_html(b["discount_amount"])),
            (self.tr("退款金额"), _money_html(b["refund_amount"])),
            (self.tr("制度ID"), html.escape(b["institution_id"] or "")),
            (self.tr("额度ID"), html.escape(b["quota_id"] or "")),
            (self.tr("外部交易号"), html.escape(b["trade_no"] or "")),
            (self.tr("关联原账单"), html.escape(b["related_pay_no"] or "")),
        ]
        rows = "".join(
            f"<tr><td style='color:gray;padding-right:8px'>{k}</td><td>{v}</td></tr>"
            for k, v in fields
            if v
        )
        parts = [f"<h3>{html.escape(self.tr('账单详情'))}</h3><table>{rows}</table>"]
        parts.append(f"<h3>{html.escape(self.tr('凭证'))}</h3>")
        if not detail.vouchers:
            parts.append(f"<p style='color:gray'>{html.escape(self.tr('暂无凭证'))}</p>")
        for v in detail.vouchers:
            parts.append(voucher_html(v))
        return "".join(parts)

    # -- saved views ---------------------------------------------------------------------------

    def saved_views(self) -> dict[str, dict[str, Any]]:
        raw = self.ctx.qsettings.value(VIEWS_KEY, "{}")
        try:
            views = json.loads(str(raw))
        except json.JSONDecodeError:
            return {}
        return views if isinstance(views, dict) else {}

    def _store_views(self, views: dict[str, dict[str, Any]]) -> None:
        self.ctx.qsettings.setValue(VIEWS_KEY, json.dumps(views, ensure_ascii=False))
        self.ctx.qsettings.sync()
        self._reload_views()

    def _reload_views(self) -> None:
        current = self.views.currentData()
        self.views.clear()
        self.views.addItem(self.tr("（未保存）"), None)
        for name in sorted(self.saved_views()):
            self.views.addItem(name, name)
        index = self.views.findData(current) if current else 0
        self.views.setCurrentIndex(max(index, 0))
        self.delete_view_button.setEnabled(self.views.count() > 1)

    def current_view_state(self) -> dict[str, Any]:
        bill_filter = self.build_filter()
        period = self.current_period()
        data = bill_filter.to_json_dict()
        if period != "custom":
            # A relative period is stored as such: "本月" reopens as the month it then is.
            data.pop("date_from", None)
            data.pop("date_to", None)
        data.pop("pay_no", None)
        sort = self.model.bill_sort
        return {
            "period": period,
            "filter": data,
            "sort": {"column": sort.column, "descending": sort.descending},
        }

    def save_view(self, name: str) -> None:
        name = name.strip()
        if not name:
            raise ValidationError("name", "视图名称不能为空", "the view needs a name")
        views = self.saved_views()
        views[name] = self.current_view_state()
        self._store_views(views)
        self.views.setCurrentIndex(self.views.findData(name))

    def open_view(self, name: str) -> None:
        views = self.saved_views()
        if name not in views:
            raise ValidationError("view", f"没有名为“{name}”的视图", f"no view named {name!r}")
        self._apply_view(views[name])
        self.views.setCurrentIndex(self.views.findData(name))

    def _apply_view(self, state: dict[str, Any]) -> None:
        bill_filter = BillFilter.from_json_dict(state.get("filter", {}))
        period = str(state.get("period", "custom"))
        if self.period.findData(period) < 0:
            period = "custom"
        self._building = True
        try:
            self._pay_no = None
            self.pay_no_label.hide()
            self.pay_no_clear.hide()
            self.period.setCurrentIndex(self.period.findData(period))
            if period == "custom":
                if bill_filter.date_from is not None:
                    self.date_from.setDate(_qdate(bill_filter.date_from.date()))
                if bill_filter.date_to is not None:
                    last = bill_filter.date_to - dt.timedelta(days=1)
                    self.date_to.setDate(_qdate(last.date()))
            elif period != "all":
                date_from, date_to = period_range(period, self._today())
                assert date_from is not None and date_to is not None
                self.date_from.setDate(_qdate(date_from.date()))
                self.date_to.setDate(_qdate((date_to - dt.timedelta(days=1)).date()))
            self._select(self.department, bill_filter.department_id)
            self.sub_departments.setChecked(bill_filter.include_sub_departments)
            self._select(self.employee, bill_filter.employee_id)
            self._select(self.institution, bill_filter.institution_id)
            self._select(self.status, bill_filter.status.value if bill_filter.status else None)
            self.amount_min.setText(str(bill_filter.amount_min or ""))
            self.amount_max.setText(str(bill_filter.amount_max or ""))
            self.merchant.setText(bill_filter.merchant_text or "")
        finally:
            self._building = False
        self._sync_date_edits()
        sort = state.get("sort")
        if isinstance(sort, dict) and sort.get("column"):
            try:
                bill_sort = BillSort(str(sort["column"]), bool(sort.get("descending", True)))
            except ValidationError:
                bill_sort = BillSort()
            self.model.set_sort(bill_sort)
            self._show_sort_indicator(bill_sort)
        self.apply_filter()

    def _show_sort_indicator(self, sort: BillSort) -> None:
        header = self.view.horizontalHeader()
        for column in BillColumn:
            if self.model.sort_key(column) == sort.column:
                order = (
                    Qt.SortOrder.DescendingOrder if sort.descending else Qt.SortOrder.AscendingOrder
                )
                header.blockSignals(True)
                header.setSortIndicator(column, order)
                header.blockSignals(False)

    @staticmethod
    def _select(combo: QComboBox, key: str | None) -> None:
        index = combo.findData(key) if key is not None else 0
        combo.setCurrentIndex(max(index, 0))

    def on_view_chosen(self, index: int) -> None:
        name = self.views.itemData(index)
        if name:
            try:
                self.open_view(str(name))
            except ValidationError as exc:
                self._show_filter_error(exc)

    def on_save_view(self) -> None:
        name, ok = QInputDialog.getText(
            self, self.tr("保存视图"), self.tr("视图名称："), text=self.views.currentData() or ""
        )
        if not ok:
            return
        try:
            self.save_view(name)
        except ValidationError as exc:
            self._show_filter_error(exc)

    def on_delete_view(self) -> None:
        name = self.views.currentData()
        if not name:
            return
        answer = QMessageBox.question(
            self, self.tr("删除视图"), self.tr("删除视图“%1”？").replace("%1", str(name))
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_view(str(name))

    def delete_view(self, name: str) -> None:
        views = self.saved_views()
        views.pop(name, None)
        self._store_views(views)

    # -- cache changes -------------------------------------------------------------------------

    def on_cache_changed(self, entity: str) -> None:
        if entity in ("org", "institutions"):
            self._reload_choices()
        if entity in ("bills", "org"):
            self.model.refresh()
        elif entity == "vouchers":
            current = self.view.currentIndex()
            row = self.model.row_at(current.row()) if current.isValid() else None
            if row is not None:
                self._show_detail(row.pay_no)

    def refresh(self) -> None:
        self.model.refresh()

    def _on_read_failed(self, exc: BaseException) -> None:
        zh, en = error_lines(exc)
        self.totals_label.setText(self.tr("读取账单失败：%1").replace("%1", f"{zh} / {en}"))

    # -- export / print -------------------------------------------------------------------------

    def export_title(self) -> str:
        f = self.model.bill_filter
        parts = [self.tr("账单")]
        if f.date_from or f.date_to:
            start = f.date_from.date().isoformat() if f.date_from else "…"
            end = (f.date_to - dt.timedelta(days=1)).date().isoformat() if f.date_to else "…"
            parts.append(f"{start} ~ {end}")
        for combo in (self.department, self.employee, self.institution):
            if combo.currentData():
                parts.append(combo.currentText().strip())
        return " · ".join(parts)

    def _export_totals(self) -> BillTotals:
        """The totals of the filter :meth:`export_table` captured (runs on the export's pool
        thread: the model's totals when they are in and still for that filter, else one SQL
        aggregate)."""
        bill_filter = self._export_filter
        totals = self.model.totals
        if totals is not None and self.model.bill_filter == bill_filter:
            return totals
        return self.query.totals(bill_filter)

    def export_row_count(self) -> int:
        return self._export_totals().count

    def export_summary(self) -> list[tuple[str, object]]:
        totals = self._export_totals()
        return [
            (self.tr("笔数"), totals.count),
            (self.tr("账单金额合计"), totals.total),
            (self.tr("企业付合计"), totals.enterprise_paid),
            (self.tr("个人付合计"), totals.personal_paid),
            (self.tr("退款合计"), totals.refunds),
        ]

    def export_table(self) -> tuple[list[str], Iterable[list[object]]]:
        """Every row of the current filter and sort, read page by page when iterated (on any
        thread: each page is its own short read)."""
        headers = [str(self.model.headerData(c, Qt.Orientation.Horizontal)) for c in BillColumn]
        query, bill_filter, sort = self.query, self.model.bill_filter, self.model.bill_sort
        self._export_filter = bill_filter
        status_text = {s: enum_label(s) for s in BillStatus}

        def rows() -> Iterator[list[object]]:
            offset = 0
            while True:
                page = query.page(bill_filter, sort, offset, EXPORT_PAGE)
                for r in page:
                    yield [
                        r.trade_time,
                        r.employee_name or r.employee_id,
                        r.department_name or r.department_id,
                        r.merchant_name,
                        r.category,
                        r.total_amount,
                        r.enterprise_pay_amount,
                        r.personal_pay_amount,
                        r.refund_amount,
                        status_text[r.status],
                        r.pay_no,
                    ]
                if len(page) < EXPORT_PAGE:
                    return
                offset += EXPORT_PAGE

        return headers, rows()


def voucher_html(v: dict[str, Any]) -> str:
    """A voucher/invoice as the clerk reads it: the invoice fields, then its raw content."""
    t = QCoreApplication.translate
    fields = [
        (t("voucher", "凭证ID"), v.get("voucher_id")),
        (t("voucher", "凭证类型"), v.get("voucher_type")),
        (t("voucher", "来源"), v.get("voucher_source")),
        (t("voucher", "日期"), v.get("voucher_date")),
        (t("voucher", "发票代码"), v.get("invoice_code")),
        (t("voucher", "发票号码"), v.get("invoice_no")),
        (t("voucher", "发票金额"), v.get("invoice_amount")),
        (t("voucher", "税额"), v.get("tax_amount")),
        (t("voucher", "销售方"), v.get("seller_name")),
        (t("voucher", "购买方抬头"), v.get("buyer_title")),
    ]
    rows = []
    for label, value in fields:
        if value is None or value == "":
            continue
        text = format_money(value) if isinstance(value, Decimal) else str(value)
        rows.append(
            f"<tr><td style='color:gray;padding-right:8px'>{html.escape(label)}</td>"
            f"<td>{html.escape(text)}</td></tr>"
        )
    content = v.get("content")
    if isinstance(content, dict) and content:
        for key, raw in content.items():
            shown = json.dumps(raw, ensure_ascii=False) if isinstance(raw, dict | list) else raw
            rows.append(
                f"<tr><td style='color:gray;padding-right:8px'>{html.escape(str(key))}</td>"
                f"<td>{html.escape(str(shown))}</td></tr>"
            )
    return f"<table style='margin-bottom:8px'>{''.join(rows)}</table><hr/>"
