"""Read side of the bills view: filter, sort, count and page the bill cache (no Qt).

The view never loads all bills: :meth:`BillQuery.totals` is one SQL aggregate for the filter and
:meth:`BillQuery.page` one indexed ``LIMIT/OFFSET`` query for a slice of rows. Both return frozen
dataclasses, so results may cross threads.

Paging uses a deferred join: the inner query picks only the ids of the page (``ORDER BY`` sort
column, ``id``), which for the default order walks the ``(key, trade_time)`` index alone, so a
large ``OFFSET`` skips index entries without reading table rows; the outer query reads the page's
rows by primary key and joins employee and department names. With ``total`` (the filter's count)
given, a page in the second half of the result is read in reverse order from the end.

Measured with ``EXPLAIN QUERY PLAN`` on SQLite 3.40 and timed by ``benchmarks/bills_view.py`` on
1 000 000 bills (warm cache). Default sort ``trade_time DESC, id DESC``, inner (id) query:

* no filter: ``SCAN t_bill USING COVERING INDEX ix_t_bill_trade_time``, no sort step; a page at
  offset 500 000 takes ~40 ms, the last page ~10 ms (read backwards);
* date range: ``SEARCH t_bill USING COVERING INDEX ix_t_bill_trade_time (trade_time>? AND …)``;
* employee / institution / status / one department: ``SEARCH t_bill USING COVERING INDEX
  ix_t_bill_<key>_time (<key>=?)``, no sort step;
* department subtree: the recursive CTE walks ``ix_t_department_parent_id``, then ``SEARCH …
  ix_t_bill_department_time (department_id=?)`` per department and ``USE TEMP B-TREE FOR ORDER
  BY`` over only the matching ids (a 43-department subtree + 30 days: first screen ~100 ms);
* amount range / merchant text: no index applies; ``SCAN t_bill USING INDEX
  ix_t_bill_trade_time`` reads rows in order and stops once the page is full;
* sort by any other column (amount, merchant, …): ``SCAN t_bill`` + ``TEMP B-TREE`` sort of the
  filtered ids, ~200 ms per page unfiltered; an index on ``total_amount`` would make amount
  sorting as cheap as the default order.

The outer query reads ≤ ``limit`` rows by ``INTEGER PRIMARY KEY`` and joins names through the
unique indexes of ``t_employee``/``t_department``; its own ``TEMP B-TREE`` sorts only that page.
``totals`` has to read every matching row (it sums money): ~240 ms unfiltered, the bulk of the
first screen; a filter that uses an index reads only its rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from sqlalchemy import ColumnElement, Integer, Select, func, select
from sqlalchemy.sql.elements import UnaryExpression

from workstation.bills.models import Bill, BillStatus
from workstation.db.engine import Database
from workstation.errors import ValidationError
from workstation.money import MoneyError, from_fen, to_fen
from workstation.money import parse as parse_money
from workstation.org.models import Department, Employee
from workstation.vouchers.models import Voucher

__all__ = [
    "DEFAULT_SORT",
    "SORT_COLUMNS",
    "BillDetail",
    "BillFilter",
    "BillQuery",
    "BillRow",
    "BillSort",
    "BillTotals",
]

_BEIJING = dt.timezone(dt.timedelta(hours=8))  # bills store naive Beijing time (see parsing)


def _naive_beijing(field: str, value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        raise ValidationError(field, "必须是日期时间", "must be a datetime", value)
    if value.tzinfo is not None:
        return value.astimezone(_BEIJING).replace(tzinfo=None)
    return value


def _check_amount(field: str, value: Decimal | None) -> None:
    if value is None:
        return
    if not isinstance(value, Decimal):
        raise ValidationError(field, "金额必须是 Decimal", "amount must be a Decimal", value)
    try:
        fen = to_fen(value, field=field)
    except MoneyError as exc:
        raise ValidationError(field, exc.message_zh, exc.message_en, value) from None
    if fen < 0:
        raise ValidationError(field, "金额不能为负数", "amount must not be negative", value)


@dataclass(frozen=True)
class BillFilter:
    """What the clerk filters by. Every field is optional; ``None`` means "any".

    ``date_from`` is inclusive and ``date_to`` exclusive (naive Beijing time; aware datetimes are
    converted). ``amount_min``/``amount_max`` bound ``total_amount`` inclusively.
    ``merchant_text`` matches a case-insensitive substring of the merchant name.
    """

    date_from: dt.datetime | None = None
    date_to: dt.datetime | None = None
    department_id: str | None = None
    include_sub_departments: bool = True
    employee_id: str | None = None
    institution_id: str | None = None
    status: BillStatus | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    merchant_text: str | None = None
    pay_no: str | None = None

    def __post_init__(self) -> None:
        date_from = _naive_beijing("date_from", self.date_from)
        date_to = _naive_beijing("date_to", self.date_to)
        object.__setattr__(self, "date_from", date_from)
        object.__setattr__(self, "date_to", date_to)
        if date_from is not None and date_to is not None and date_from > date_to:
            raise ValidationError(
                "date_to",
                "结束时间不能早于开始时间",
                "date_to must not be before date_from",
                date_to,
            )
        _check_amount("amount_min", self.amount_min)
        _check_amount("amount_max", self.amount_max)
        if (
            self.amount_min is not None
            and self.amount_max is not None
            and self.amount_min > self.amount_max
        ):
            raise ValidationError(
                "amount_max",
                "最高金额不能低于最低金额",
                "amount_max must not be below amount_min",
                self.amount_max,
            )
        if self.status is not None and not isinstance(self.status, BillStatus):
            raise ValidationError("status", "未知的账单状态", "unknown bill status", self.status)
        text = self.merchant_text.strip() if self.merchant_text else ""
        object.__setattr__(self, "merchant_text", text or None)
        pay_no = self.pay_no.strip() if self.pay_no else ""
        object.__setattr__(self, "pay_no", pay_no or None)

    @property
    def is_empty(self) -> bool:
        return self == BillFilter(include_sub_departments=self.include_sub_departments)

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON values (ISO datetimes, money as strings) for saved views."""
        out: dict[str, Any] = {}
        for name in _FILTER_FIELDS:
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, dt.datetime):
                value = value.isoformat(timespec="seconds")
            elif isinstance(value, Decimal):
                value = str(value)
            elif isinstance(value, BillStatus):
                value = value.value
            out[name] = value
        return out

    @classmethod
    def from_json_dict(cls, data: Mapping[str, Any]) -> BillFilter:
        """The inverse of :meth:`to_json_dict`; unknown keys are ignored (newer versions), bad
        values raise :class:`ValidationError` naming the field."""
        if not isinstance(data, Mapping):
            raise ValidationError("view", "视图格式无效", "a saved view must be an object", data)
        kwargs: dict[str, Any] = {}
        for name, value in data.items():
            if name not in _FILTER_FIELDS or value is None:
                continue
            try:
                if name in ("date_from", "date_to"):
                    kwargs[name] = dt.datetime.fromisoformat(str(value))
                elif name in ("amount_min", "amount_max"):
                    kwargs[name] = parse_money(str(value), field=name)
                elif name == "status":
                    kwargs[name] = BillStatus(value)
                elif name == "include_sub_departments":
                    kwargs[name] = bool(value)
                else:
                    kwargs[name] = str(value)
            except (ValueError, MoneyError) as exc:
                raise ValidationError(
                    name, f"保存的值无效：{value!r}", f"invalid saved value: {value!r}", value
                ) from exc
        return cls(**kwargs)


_FILTER_FIELDS = (
    "date_from",
    "date_to",
    "department_id",
    "include_sub_departments",
    "employee_id",
    "institution_id",
    "status",
    "amount_min",
    "amount_max",
    "merchant_text",
    "pay_no",
)


@dataclass(frozen=True)
class BillRow:
    """One bill as the view shows it. Money is ``Decimal`` yuan."""

    id: int
    pay_no: str
    trade_time: dt.datetime | None
    employee_id: str | None
    employee_name: str | None
    department_id: str | None
    department_name: str | None
    institution_id: str | None
    merchant_name: str | None
    category: str | None
    total_amount: Decimal
    enterprise_pay_amount: Decimal
    personal_pay_amount: Decimal
    refund_amount: Decimal
    status: BillStatus


@dataclass(frozen=True)
class BillTotals:
    count: int
    total: Decimal
    enterprise_paid: Decimal
    personal_paid: Decimal
    refunds: Decimal


@dataclass(frozen=True)
class BillDetail:
    """One bill's columns by name (money as ``Decimal``) and its vouchers' columns."""

    bill: dict[str, Any]
    vouchers: tuple[dict[str, Any], ...]


_EMPTY_TOTALS = BillTotals(0, Decimal("0.00"), Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))

_employee = Employee.__table__.alias("e")
_department = Department.__table__.alias("d")
_bill = Bill.__table__

# Sortable columns by name (a whitelist: the name never reaches SQL as text).
SORT_COLUMNS: Final[dict[str, ColumnElement[Any]]] = {
    "trade_time": _bill.c.trade_time,
    "pay_no": _bill.c.pay_no,
    "employee_name": _employee.c.name,
    "department_name": _department.c.name,
    "merchant_name": _bill.c.merchant_name,
    "category": _bill.c.category,
    "total_amount": _bill.c.total_amount,
    "enterprise_pay_amount": _bill.c.enterprise_pay_amount,
    "personal_pay_amount": _bill.c.personal_pay_amount,
    "refund_amount": _bill.c.refund_amount,
    "status": _bill.c.status,
}
_NEEDS_JOIN = {"employee_name", "department_name"}


@dataclass(frozen=True)
class BillSort:
    """Sort by one whitelisted column, ties broken by id in the same direction."""

    column: str = "trade_time"
    descending: bool = True

    def __post_init__(self) -> None:
        if self.column not in SORT_COLUMNS:
            allowed = ", ".join(SORT_COLUMNS)
            raise ValidationError(
                "sort",
                f"不能按 {self.column!r} 排序（可选：{allowed}）",
                f"cannot sort by {self.column!r} (allowed: {allowed})",
                self.column,
            )


DEFAULT_SORT: Final = BillSort()

_ROW_COLUMNS = (
    _bill.c.id,
    _bill.c.pay_no,
    _bill.c.trade_time,
    _bill.c.employee_id,
    _employee.c.name.label("employee_name"),
    _bill.c.department_id,
    _department.c.name.label("department_name"),
    _bill.c.institution_id,
    _bill.c.merchant_name,
    _bill.c.category,
    _bill.c.total_amount,
    _bill.c.enterprise_pay_amount,
    _bill.c.personal_pay_amount,
    _bill.c.refund_amount,
    _bill.c.status,
)


def _conditions(f: BillFilter) -> list[ColumnElement[bool]]:
    c = _bill.c
    where: list[ColumnElement[bool]] = []
    if f.date_from is not None:
        where.append(c.trade_time >= f.date_from)
    if f.date_to is not None:
        where.append(c.trade_time < f.date_to)
    if f.department_id is not None:
        if f.include_sub_departments:
            dep = Department.__table__.c
            tree = (
                select(dep.department_id)
                .where(dep.department_id == f.department_id)
                .cte("subtree", recursive=True)
            )
            child = Department.__table__.alias("child")
            # UNION (not UNION ALL) so a corrupt parent cycle still terminates.
            tree = tree.union(
                select(child.c.department_id).where(child.c.parent_id == tree.c.department_id)
            )
            where.append(c.department_id.in_(select(tree.c.department_id)))
        else:
            where.append(c.department_id == f.department_id)
    if f.employee_id is not None:
        where.append(c.employee_id == f.employee_id)
    if f.institution_id is not None:
        where.append(c.institution_id == f.institution_id)
    if f.status is not None:
        where.append(c.status == f.status)
    if f.amount_min is not None:
        where.append(c.total_amount >= f.amount_min)
    if f.amount_max is not None:
        where.append(c.total_amount <= f.amount_max)
    if f.merchant_text:
        where.append(c.merchant_name.icontains(f.merchant_text, autoescape=True))
    if f.pay_no is not None:
        where.append(c.pay_no == f.pay_no)
    return where


def _order(sort: BillSort, reverse: bool = False) -> list[UnaryExpression[Any]]:
    descending = sort.descending != reverse
    column = SORT_COLUMNS[sort.column]
    id_col = _bill.c.id
    if descending:
        return [column.desc(), id_col.desc()]
    return [column.asc(), id_col.asc()]


def _joined(stmt: Select[Any]) -> Select[Any]:
    return stmt.select_from(
        _bill.outerjoin(_employee, _employee.c.employee_id == _bill.c.employee_id).outerjoin(
            _department, _department.c.department_id == _bill.c.department_id
        )
    )


class BillQuery:
    """Counts and pages bills for the view. Every call is one short read transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def totals(self, bill_filter: BillFilter) -> BillTotals:
        c = _bill.c
        # Sums read as plain integer fen, converted exactly once below.
        sums = [
            func.coalesce(func.sum(col, type_=Integer), 0)
            for col in (
                c.total_amount,
                c.enterprise_pay_amount,
                c.personal_pay_amount,
                c.refund_amount,
            )
        ]
        stmt = select(func.count(), *sums).where(*_conditions(bill_filter))
        with self._db.read_session() as s:
            count, total, enterprise, personal, refunds = s.execute(stmt).one()
        if not count:
            return _EMPTY_TOTALS
        return BillTotals(
            int(count),
            from_fen(int(total)),
            from_fen(int(enterprise)),
            from_fen(int(personal)),
            from_fen(int(refunds)),
        )

    def page_statement(
        self,
        bill_filter: BillFilter,
        sort: BillSort,
        offset: int,
        limit: int,
        *,
        reverse: bool = False,
    ) -> Select[Any]:
        """The single SQL statement behind :meth:`page` (public for ``EXPLAIN``)."""
        inner = select(_bill.c.id).where(*_conditions(bill_filter))
        if sort.column in _NEEDS_JOIN:
            inner = _joined(inner)
        ids = inner.order_by(*_order(sort, reverse)).offset(offset).limit(limit).subquery("p")
        stmt = _joined(select(*_ROW_COLUMNS)).join(ids, ids.c.id == _bill.c.id)
        return stmt.order_by(*_order(sort, reverse))

    def page(
        self,
        bill_filter: BillFilter,
        sort: BillSort,
        offset: int,
        limit: int,
        *,
        total: int | None = None,
    ) -> list[BillRow]:
        """Rows ``offset … offset+limit`` of the filtered, sorted bills.

        ``total`` (the filter's count, if the caller knows it) lets a page near the end be read
        backwards from the end, so scrolling to the bottom does not skip a million entries."""
        if offset < 0 or limit < 0:
            raise ValidationError("offset", "分页参数不能为负数", "offset/limit must be >= 0")
        if limit == 0:
            return []
        reverse = False
        if total is not None and offset > total // 2:
            if offset >= total:
                return []
            end = min(offset + limit, total)
            reverse = True
            offset, limit = total - end, end - offset
        stmt = self.page_statement(bill_filter, sort, offset, limit, reverse=reverse)
        with self._db.read_session() as s:
            rows = [_to_row(r) for r in s.execute(stmt)]
        if reverse:
            rows.reverse()
        return rows

    def row_by_pay_no(self, pay_no: str) -> BillRow | None:
        stmt = _joined(select(*_ROW_COLUMNS)).where(_bill.c.pay_no == pay_no)
        with self._db.read_session() as s:
            row = s.execute(stmt).one_or_none()
        return None if row is None else _to_row(row)

    def detail(self, pay_no: str) -> BillDetail | None:
        """Every cached field of one bill, its names, and its vouchers (for the detail pane)."""
        stmt = _joined(
            select(
                _bill,
                _employee.c.name.label("employee_name"),
                _department.c.name.label("department_name"),
            )
        ).where(_bill.c.pay_no == pay_no)
        voucher = Voucher.__table__
        vouchers = (
            select(voucher)
            .where(voucher.c.bill_id == pay_no)
            .order_by(voucher.c.voucher_date, voucher.c.id)
        )
        with self._db.read_session() as s:
            row = s.execute(stmt).mappings().one_or_none()
            if row is None:
                return None
            found = tuple(dict(v) for v in s.execute(vouchers).mappings())
        return BillDetail(dict(row), found)

    def warm_up(self) -> None:
        """Build and compile the statements of every filter field and sort column once, without
        running them (a background task after the first screen). The first use of each
        column/operator pairing costs SQLAlchemy a slow one-time lookup (~100 ms in the window,
        where PySide6 is loaded) that would otherwise land on the clerk's first filter."""
        every = BillFilter(
            date_from=dt.datetime(2000, 1, 1),
            date_to=dt.datetime(2000, 1, 2),
            department_id="-",
            employee_id="-",
            institution_id="-",
            status=BillStatus.PAID,
            amount_min=Decimal("0.00"),
            amount_max=Decimal("1.00"),
            merchant_text="-",
            pay_no="-",
        )
        dialect = self._db.engine.dialect
        for sort in SORT_COLUMNS:
            for descending in (True, False):
                for reverse in (False, True):
                    self.page_statement(
                        every, BillSort(sort, descending), 0, 1, reverse=reverse
                    ).compile(dialect=dialect)
        select(func.count()).where(*_conditions(every)).compile(dialect=dialect)

    def explain(self, bill_filter: BillFilter, sort: BillSort = DEFAULT_SORT) -> list[str]:
        """SQLite's query plan for the first page (for tests and the benchmark)."""
        stmt = self.page_statement(bill_filter, sort, 0, 40)
        compiled = stmt.compile(self._db.engine, compile_kwargs={"literal_binds": True})
        with self._db.engine.connect() as conn:
            return [str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")]


def _to_row(r: Sequence[Any]) -> BillRow:
    return BillRow(*r)
