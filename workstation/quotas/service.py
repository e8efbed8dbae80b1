"""Clerk operations on quotas (额度): issue, modify, delete, issue to a whole department; and the
quota list's filtered, sorted, paged reads.

Issuing is idempotent end to end. Each clerk intent gets one ``outer_source_id``, written to
``t_quota_issue_action`` (state ``pending``) *before* Alipay is called. Alipay answers a repeated
``outer_source_id`` with the quota it already created, so a retry after a timeout, a crash or a
restart reuses the row's id and can never issue twice; a second submit of the same intent while
the first runs waits for it and returns its quota without another call. The quota Alipay
created is read back and written to the cache with the action marked ``done`` in one
transaction. A refusal marks the action ``failed`` and leaves the quotas as they were.
Qt-free; blocking (call from worker threads).
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    Select,
    case,
    func,
    or_,
    select,
    type_coerce,
    update,
)

from workstation import money
from workstation.alipay.errors import AlipayError, AlipayGatewayError
from workstation.alipay.gateway import AlipayGateway
from workstation.alipay.types import Quota as AlipayQuota
from workstation.alipay.types import QuotaAction, QuotaCreated
from workstation.db.base import utcnow
from workstation.db.engine import Database
from workstation.errors import ValidationError, WorkstationError
from workstation.institutions.models import (
    AdapterType,
    ExpenseInstitution,
    InstitutionMember,
    MemberType,
)
from workstation.institutions.service import NotConfigured, department_nodes, subtree_ids
from workstation.org.models import Department, Employee
from workstation.quotas.models import IssueState, Quota, QuotaIssueAction, QuotaStatus
from workstation.quotas.sync import quota_row
from workstation.sync.context import china_now
from workstation.sync.upsert import upsert

__all__ = [
    "BATCH_CHUNK",
    "MAX_ISSUE",
    "MAX_MODIFY",
    "BatchLine",
    "BatchPreview",
    "IssueAction",
    "IssueOutcome",
    "IssueRequest",
    "QuotaFilter",
    "QuotaService",
    "QuotaSort",
    "QuotaTotals",
    "QuotaView",
    "ValidIssue",
    "issue_actions",
    "quota_count",
    "quota_page",
    "quota_totals",
    "validate_issue",
    "validate_modify",
    "validate_terms",
]

MAX_ISSUE = Decimal("100000.00")  # Alipay's published limit per employee per issue
MAX_MODIFY = Decimal("100000.00")  # quota.modify: at most 10 000 000 fen per change
BATCH_CHUNK = 20  # employees per step of a department batch (one cache write per step)
_CALL_WORKERS = 4
_ERROR_LIMIT = 500
_AMOUNT_ACTIONS = (QuotaAction.ADD, QuotaAction.DEDUCT, QuotaAction.UPDATE_BALANCE)


# --- inputs and validation ------------------------------------------------------------------


@dataclass(frozen=True)
class IssueRequest:
    """A quota as the clerk entered it; ``amount`` may be text ("¥1,000")."""

    employee_id: str
    institution_id: str
    amount: Decimal | str
    valid_from: dt.datetime | None
    valid_to: dt.datetime | None


@dataclass(frozen=True)
class ValidIssue:
    employee_id: str
    institution_id: str
    amount: Decimal
    valid_from: dt.datetime
    valid_to: dt.datetime


def _amount(value: Decimal | str | None, field_name: str, limit: Decimal) -> Decimal:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError(field_name, "请填写金额", "enter an amount", value)
    try:
        amount = money.parse(value, field=field_name)
    except money.MoneyError as exc:
        raise ValidationError(field_name, exc.message_zh, exc.message_en, value) from None
    if amount <= 0:
        raise ValidationError(field_name, "金额必须大于0", "the amount must be above zero", value)
    if amount > limit:
        raise ValidationError(
            field_name,
            f"单次不能超过{money.format_money(limit)}",
            f"at most {money.format_money(limit)} at a time",
            value,
        )
    return amount


def validate_issue(request: IssueRequest, *, now: dt.datetime) -> ValidIssue:
    """Everything that can be checked without the database or Alipay, field by field."""
    employee = (request.employee_id or "").strip()
    if not employee:
        raise ValidationError("employee", "请选择员工", "choose an employee")
    terms = validate_terms(
        request.institution_id, request.amount, request.valid_from, request.valid_to, now=now
    )
    return ValidIssue(employee, *terms)


def validate_terms(
    institution_id: str,
    amount: Decimal | str | None,
    valid_from: dt.datetime | None,
    valid_to: dt.datetime | None,
    *,
    now: dt.datetime,
) -> tuple[str, Decimal, dt.datetime, dt.datetime]:
    """What one issue gives, whoever receives it (an employee, or each one of a department)."""
    institution = (institution_id or "").strip()
    if not institution:
        raise ValidationError("institution", "请选择费控制度", "choose an expense institution")
    value = _amount(amount, "amount", MAX_ISSUE)
    if valid_from is None:
        raise ValidationError("valid_from", "请填写生效时间", "enter when the quota starts")
    if valid_to is None:
        raise ValidationError("valid_to", "请填写失效时间", "enter when the quota ends")
    if valid_to <= valid_from:
        raise ValidationError(
            "valid_to", "失效时间必须晚于生效时间", "the quota must end after it starts", valid_to
        )
    if valid_to <= now:
        raise ValidationError(
            "valid_to", "失效时间已经过去", "the end of the validity is in the past", valid_to
        )
    return institution, value, valid_from, valid_to


def validate_modify(
    action: QuotaAction | str, amount: Decimal | str | None, available: Decimal | None = None
) -> tuple[QuotaAction, Decimal | None]:
    """The action and its amount (None for freeze/unfreeze). ``available`` (from the cache)
    lets a deduction above the balance fail here with the balance named."""
    try:
        kind = QuotaAction(action)
    except ValueError:
        raise ValidationError("action", "不支持的调整方式", "unsupported change", action) from None
    if kind not in _AMOUNT_ACTIONS:
        return kind, None
    value = _amount(amount, "amount", MAX_MODIFY)
    if kind is QuotaAction.DEDUCT and available is not None and value > available:
        raise ValidationError(
            "amount",
            f"扣减金额超过可用额度 {money.format_money(available)}",
            f"the deduction exceeds the available {money.format_money(available)}",
            amount,
        )
    return kind, value


# --- read models ----------------------------------------------------------------------------


@dataclass(frozen=True)
class QuotaView:
    quota_id: str
    employee_id: str
    employee_name: str | None
    employee_no: str | None
    department_name: str | None
    institution_id: str
    institution_name: str | None
    quota_type: str | None
    total: Decimal
    available: Decimal
    valid_from: dt.datetime | None
    valid_to: dt.datetime | None
    status: QuotaStatus
    outer_source_id: str | None

    @property
    def used(self) -> Decimal:
        return max(self.total - self.available, money.ZERO)


@dataclass(frozen=True)
class QuotaFilter:
    """Filters combine (AND). ``expiring_days``: still valid, ending within that many days."""

    text: str = ""
    employee_id: str | None = None
    institution_id: str | None = None
    exhausted: bool = False
    expiring_days: int | None = None


@dataclass(frozen=True)
class QuotaSort:
    key: str = "employee_name"
    descending: bool = False


@dataclass(frozen=True)
class QuotaTotals:
    count: int
    total: Decimal
    available: Decimal


@dataclass(frozen=True)
class IssueAction:
    outer_source_id: str
    employee_id: str
    employee_name: str | None
    institution_id: str
    institution_name: str | None
    amount: Decimal
    valid_from: dt.datetime
    valid_to: dt.datetime
    state: IssueState
    quota_id: str | None
    attempts: int
    error_zh: str | None
    error_en: str | None
    batch_id: str | None
    created_at: dt.datetime


@dataclass(frozen=True)
class IssueOutcome:
    """One employee's result: ``state`` DONE with ``quota_id``, FAILED (Alipay refused), or
    PENDING (outcome unknown: retry later with the same id)."""

    outer_source_id: str
    employee_id: str
    state: IssueState
    quota_id: str | None
    error: BaseException | None = None


@dataclass(frozen=True)
class BatchLine:
    employee_id: str
    name: str
    employee_no: str | None
    department_name: str | None
    amount: Decimal
    in_scope: bool  # the institution applies to this employee


@dataclass(frozen=True)
class BatchPreview:
    department_id: str
    department_name: str
    include_sub_departments: bool
    institution_id: str
    institution_name: str
    amount: Decimal
    valid_from: dt.datetime
    valid_to: dt.datetime
    lines: tuple[BatchLine, ...]

    @property
    def total(self) -> Decimal:
        return self.amount * len(self.lines)


# --- reads ----------------------------------------------------------------------------------

_SORT_KEYS = {
    "employee_name",
    "department_name",
    "institution_name",
    "quota_type",
    "total",
    "available",
    "used",
    "usage",
    "valid_from",
    "valid_to",
    "status",
    "quota_id",
}


def _base(enterprise_id: str) -> Select[*tuple[Any, ...]]:
    q, e, d, i = Quota, Employee, Department, ExpenseInstitution
    stmt = (
        select(
            q.quota_id,
            q.employee_id,
            e.name.label("employee_name"),
            e.employee_no,
            d.name.label("department_name"),
            q.institution_id,
            i.name.label("institution_name"),
            q.quota_type,
            q.total_amount,
            q.available_amount,
            q.valid_from,
            q.valid_to,
            q.status,
            q.outer_source_id,
        )
        .select_from(q)
        .outerjoin(e, e.employee_id == q.employee_id)
        .outerjoin(d, d.department_id == e.department_id)
        .outerjoin(i, i.institution_id == q.institution_id)
        .where(q.deleted.is_(False))
    )
    if enterprise_id:
        stmt = stmt.where(q.enterprise_id == enterprise_id)
    return stmt


def _where(
    stmt: Select[*tuple[Any, ...]], f: QuotaFilter, now: dt.datetime
) -> Select[*tuple[Any, ...]]:
    q = Quota
    text = f.text.strip()
    if text:
        stmt = stmt.where(
            or_(
                Employee.name.icontains(text, autoescape=True),
                Employee.employee_no.icontains(text, autoescape=True),
                ExpenseInstitution.name.icontains(text, autoescape=True),
                Department.name.icontains(text, autoescape=True),
                q.quota_id.icontains(text, autoescape=True),
                q.employee_id.icontains(text, autoescape=True),
            )
        )
    if f.employee_id:
        stmt = stmt.where(q.employee_id == f.employee_id)
    if f.institution_id:
        stmt = stmt.where(q.institution_id == f.institution_id)
    if f.exhausted:
        stmt = stmt.where(type_coerce(q.available_amount, Integer) <= 0)
    if f.expiring_days is not None:
        stmt = stmt.where(
            q.valid_to >= now, q.valid_to <= now + dt.timedelta(days=max(f.expiring_days, 0))
        )
    return stmt


def _order(sort: QuotaSort) -> list[ColumnElement[Any]]:
    q = Quota
    total = type_coerce(q.total_amount, Integer)
    available = type_coerce(q.available_amount, Integer)
    columns: dict[str, Any] = {
        "employee_name": Employee.name,
        "department_name": Department.name,
        "institution_name": ExpenseInstitution.name,
        "quota_type": q.quota_type,
        "total": total,
        "available": available,
        "used": total - available,
        "usage": case(
            (total > 0, type_coerce(total - available, Float) / total), else_=type_coerce(0, Float)
        ),
        "valid_from": q.valid_from,
        "valid_to": q.valid_to,
        "status": q.status,
        "quota_id": q.quota_id,
    }
    key = sort.key if sort.key in _SORT_KEYS else "employee_name"
    primary: ColumnElement[Any] = columns[key]
    # NULLs last either way, then a unique key: pages never overlap.
    ordered = primary.desc() if sort.descending else primary.asc()
    return [primary.is_(None), ordered, q.id.desc() if sort.descending else q.id.asc()]


def _view(r: Any) -> QuotaView:
    return QuotaView(
        quota_id=r.quota_id,
        employee_id=r.employee_id,
        employee_name=r.employee_name,
        employee_no=r.employee_no,
        department_name=r.department_name,
        institution_id=r.institution_id,
        institution_name=r.institution_name,
        quota_type=r.quota_type,
        total=r.total_amount,
        available=r.available_amount,
        valid_from=r.valid_from,
        valid_to=r.valid_to,
        status=r.status,
        outer_source_id=r.outer_source_id,
    )


def quota_page(
    database: Database,
    quota_filter: QuotaFilter,
    sort: QuotaSort,
    offset: int,
    limit: int,
    *,
    enterprise_id: str = "",
    now: dt.datetime | None = None,
) -> tuple[QuotaView, ...]:
    """One page of the filtered, sorted quotas (indexed reads; never the whole table)."""
    stmt = _where(_base(enterprise_id), quota_filter, now or china_now())
    stmt = stmt.order_by(*_order(sort)).limit(limit).offset(offset)
    with database.read_session() as s:
        return tuple(_view(r) for r in s.execute(stmt))


def quota_count(
    database: Database,
    quota_filter: QuotaFilter,
    *,
    enterprise_id: str = "",
    now: dt.datetime | None = None,
) -> int:
    return quota_totals(database, quota_filter, enterprise_id=enterprise_id, now=now).count


def quota_totals(
    database: Database,
    quota_filter: QuotaFilter,
    *,
    enterprise_id: str = "",
    now: dt.datetime | None = None,
) -> QuotaTotals:
    q = Quota
    if quota_filter.text.strip():
        base = _base(enterprise_id)  # the text matches names: join them
    else:  # only quota columns are filtered: count the quota table alone (3-4× faster)
        base = select(q.total_amount, q.available_amount).where(q.deleted.is_(False))
        if enterprise_id:
            base = base.where(q.enterprise_id == enterprise_id)
    inner = _where(base, quota_filter, now or china_now()).subquery()
    stmt = select(
        func.count(),
        func.coalesce(func.sum(type_coerce(inner.c.total_amount, Integer)), 0),
        func.coalesce(func.sum(type_coerce(inner.c.available_amount, Integer)), 0),
    ).select_from(inner)
    with database.read_session() as s:
        count, total, available = s.execute(stmt).one()
    return QuotaTotals(int(count), money.from_fen(int(total)), money.from_fen(int(available)))


def quota_of(database: Database, quota_id: str) -> QuotaView | None:
    stmt = _base("").where(Quota.quota_id == quota_id)
    with database.read_session() as s:
        row = s.execute(stmt).first()
    return _view(row) if row is not None else None


def _action_view(a: QuotaIssueAction, employee: str | None, institution: str | None) -> IssueAction:
    return IssueAction(
        outer_source_id=a.outer_source_id,
        employee_id=a.employee_id,
        employee_name=employee,
        institution_id=a.institution_id,
        institution_name=institution,
        amount=a.amount,
        valid_from=a.valid_from,
        valid_to=a.valid_to,
        state=a.state,
        quota_id=a.quota_id,
        attempts=a.attempts,
        error_zh=a.error_zh,
        error_en=a.error_en,
        batch_id=a.batch_id,
        created_at=a.create_time,
    )


def issue_actions(
    database: Database,
    states: Iterable[IssueState] = (IssueState.PENDING, IssueState.FAILED),
    *,
    outer_source_ids: Sequence[str] | None = None,
) -> tuple[IssueAction, ...]:
    """Issue actions not yet settled (by default), oldest first, with names for display."""
    a = QuotaIssueAction
    stmt = (
        select(a, Employee.name, ExpenseInstitution.name)
        .outerjoin(Employee, Employee.employee_id == a.employee_id)
        .outerjoin(ExpenseInstitution, ExpenseInstitution.institution_id == a.institution_id)
        .where(a.deleted.is_(False), a.state.in_(list(states)))
        .order_by(a.id)
    )
    if outer_source_ids is not None:
        stmt = stmt.where(a.outer_source_id.in_(list(outer_source_ids)))
    with database.read_session() as s:
        return tuple(_action_view(row, emp, inst) for row, emp, inst in s.execute(stmt))


# --- errors as stored text ------------------------------------------------------------------


def _error_texts(exc: BaseException) -> tuple[str, str]:
    """What failed, in both languages, with Alipay's own sub_msg when it adds something."""
    if isinstance(exc, WorkstationError | AlipayGatewayError):
        zh, en = exc.message_zh, exc.message_en
        if isinstance(exc, AlipayError) and exc.sub_msg:
            if zh in exc.sub_msg:  # Alipay's own words already say it, with details
                zh = exc.sub_msg
                en = f"{en}: {exc.sub_msg}"
            elif exc.sub_msg not in zh:
                zh = f"{zh}：{exc.sub_msg}"
                en = f"{en}: {exc.sub_msg}"
        if isinstance(exc, AlipayError) and exc.sub_code:
            en = f"{en} ({exc.sub_code})"
    else:
        zh = f"意外错误：{exc}"
        en = f"unexpected error: {type(exc).__name__}: {exc}"
    return zh[:_ERROR_LIMIT], en[:_ERROR_LIMIT]


class QuotaRejected(AlipayError):
    """Alipay answered without a quota: every target failed its check."""

    def __init__(self, method: str, created: QuotaCreated) -> None:
        detail = "；".join(f.message or "" for f in created.failed) or None
        super().__init__(method, "40004", "Business Failed", "QUOTA_NOT_CREATED", detail)
        self.message_zh = "支付宝未创建额度" + (f"：{detail}" if detail else "")
        self.message_en = "Alipay created no quota" + (f": {detail}" if detail else "")


# --- the service ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Job:
    """An action row as plain values, for the calling threads."""

    outer_source_id: str
    employee_id: str
    institution_id: str
    amount: Decimal
    valid_from: dt.datetime
    valid_to: dt.datetime
    state: IssueState
    quota_id: str | None


class QuotaService:
    """Issue, modify and delete quotas. Alipay first; the cache from Alipay's answer."""

    # Intents being submitted right now, across every service instance of this process: a
    # second submit of the same outer_source_id waits, then finds it settled.
    _claims: ClassVar[dict[str, tuple[threading.RLock, int]]] = {}
    _claims_guard: ClassVar[threading.Lock] = threading.Lock()

    def __init__(
        self,
        database: Database,
        gateway: AlipayGateway | None,
        enterprise_id: str,
        *,
        now: Callable[[], dt.datetime] = china_now,
    ) -> None:
        self.database = database
        self.gateway = gateway
        self.enterprise_id = enterprise_id
        self.now = now

    @staticmethod
    def new_outer_source_id() -> str:
        """A fresh idempotency key for one clerk intent."""
        return uuid.uuid4().hex

    def _gw(self) -> AlipayGateway:
        if self.gateway is None:
            raise NotConfigured()
        return self.gateway

    # -- issuing ---------------------------------------------------------------------------

    def issue(self, request: IssueRequest, outer_source_id: str) -> QuotaView:
        """Issue one quota for the intent ``outer_source_id`` (the same id → at most one quota,
        however often this is called). Raises what Alipay raised; the action row stays
        ``pending`` (retry) or becomes ``failed`` (refused)."""
        valid = validate_issue(request, now=self.now())
        self._gw()
        self._require_cached(valid.employee_id, valid.institution_id)
        if not outer_source_id or len(outer_source_id) > 64:
            raise ValidationError(
                "outer_source_id", "操作号无效", "invalid idempotency key", outer_source_id
            )
        with self._claim([outer_source_id]):
            self._record([valid], [outer_source_id], batch_id=None)
            outcome = self._settle([outer_source_id])[0]
        if outcome.error is not None:
            raise outcome.error
        return self._view_of(outcome)

    def retry(self, outer_source_id: str) -> QuotaView:
        """Submit a pending (or failed) action again with its own id."""
        outcome = self.retry_many([outer_source_id])[0]
        if outcome.error is not None:
            raise outcome.error
        return self._view_of(outcome)

    def retry_many(self, outer_source_ids: Sequence[str]) -> tuple[IssueOutcome, ...]:
        """Submit stored actions (a batch chunk, "retry all"); one outcome each, in order."""
        self._gw()
        return self._settle(list(dict.fromkeys(outer_source_ids)))

    def dismiss(self, outer_source_ids: Sequence[str]) -> int:
        """Hide failed actions from the list. Pending ones stay: Alipay may have issued them,
        and only a retry finds out."""
        a = QuotaIssueAction
        with self.database.session() as session:
            result = session.execute(
                update(a)
                .where(
                    a.outer_source_id.in_(list(outer_source_ids)),
                    a.state == IssueState.FAILED,
                    a.deleted.is_(False),
                )
                .values(deleted=True, update_time=utcnow())
            )
        return max(int(getattr(result, "rowcount", 0) or 0), 0)

    # -- department batches ----------------------------------------------------------------

    def preview_department(
        self,
        department_id: str,
        institution_id: str,
        amount: Decimal | str,
        valid_from: dt.datetime | None,
        valid_to: dt.datetime | None,
        *,
        include_sub_departments: bool = True,
        only_in_scope: bool = False,
    ) -> BatchPreview:
        """Every live employee of the department (and below) with the amount each receives."""
        if not (department_id or "").strip():
            raise ValidationError("department", "请选择部门", "choose a department")
        institution_id, value, valid_from, valid_to = validate_terms(
            institution_id, amount, valid_from, valid_to, now=self.now()
        )
        nodes = department_nodes(self.database)
        names = {n.department_id: n.name for n in nodes}
        if department_id not in names:
            raise ValidationError(
                "department", "本地没有这个部门", "unknown department", department_id
            )
        departments = (
            subtree_ids(nodes, department_id) if include_sub_departments else [department_id]
        )
        with self.database.read_session() as s:
            inst = s.execute(
                select(ExpenseInstitution.name, ExpenseInstitution.adapter_type).where(
                    ExpenseInstitution.institution_id == institution_id,
                    ExpenseInstitution.deleted.is_(False),
                )
            ).first()
            if inst is None:
                raise ValidationError(
                    "institution", "本地没有这个费控制度", "unknown institution", institution_id
                )
            employees = s.execute(
                select(
                    Employee.employee_id,
                    Employee.name,
                    Employee.employee_no,
                    Department.name,
                    Employee.department_id,
                )
                .outerjoin(Department, Department.department_id == Employee.department_id)
                .where(Employee.deleted.is_(False), Employee.department_id.in_(departments))
                .order_by(Department.name, Employee.name, Employee.employee_id)
            ).all()
            members = s.execute(
                select(InstitutionMember.member_type, InstitutionMember.employee_id,
                       InstitutionMember.department_id)
                .where(InstitutionMember.institution_id == institution_id)
            ).all()  # fmt: skip
        covered_employees = {m.employee_id for m in members if m.member_type is MemberType.EMPLOYEE}
        covered_departments: set[str] = set()
        for m in members:
            if m.member_type is MemberType.DEPARTMENT and m.department_id:
                covered_departments.update(subtree_ids(nodes, m.department_id))
        everyone = inst.adapter_type is AdapterType.EMPLOYEE_ALL
        lines = [
            BatchLine(
                employee_id=e[0],
                name=e[1],
                employee_no=e[2],
                department_name=e[3],
                amount=value,
                in_scope=everyone or e[0] in covered_employees or e[4] in covered_departments,
            )
            for e in employees
        ]
        if only_in_scope:
            lines = [line for line in lines if line.in_scope]
        if not lines:
            raise ValidationError(
                "department",
                "该部门没有可发放的员工",
                "the department has no employee to issue to",
                department_id,
            )
        return BatchPreview(
            department_id=department_id,
            department_name=names[department_id],
            include_sub_departments=include_sub_departments,
            institution_id=institution_id,
            institution_name=inst.name,
            amount=value,
            valid_from=valid_from,
            valid_to=valid_to,
            lines=tuple(lines),
        )

    def start_batch(self, preview: BatchPreview) -> tuple[str, tuple[str, ...]]:
        """Persist one pending action per employee (each its own ``outer_source_id``) in one
        transaction, before any call. Returns the batch id and the ids, in preview order; submit
        them with :meth:`retry_many`, a chunk at a time."""
        self._gw()
        validate_terms(
            preview.institution_id,
            preview.amount,
            preview.valid_from,
            preview.valid_to,
            now=self.now(),
        )
        batch_id = uuid.uuid4().hex
        ids = [self.new_outer_source_id() for _ in preview.lines]
        issues = [
            ValidIssue(
                line.employee_id,
                preview.institution_id,
                preview.amount,
                preview.valid_from,
                preview.valid_to,
            )
            for line in preview.lines
        ]
        self._record(issues, ids, batch_id=batch_id)
        return batch_id, tuple(ids)

    # -- modify and delete -----------------------------------------------------------------

    def modify(
        self,
        quota_id: str,
        action: QuotaAction | str,
        amount: Decimal | str | None,
        outer_source_id: str,
    ) -> QuotaView:
        """Add, deduct, set the balance, freeze or unfreeze; ``outer_source_id`` makes a retry of
        the same change apply once."""
        cached = quota_of(self.database, quota_id)
        if cached is None:
            raise ValidationError("quota", "本地没有这笔额度", "unknown quota", quota_id)
        kind, value = validate_modify(action, amount, cached.available)
        gateway = self._gw()
        gateway.modify_quota(quota_id, kind, value, outer_source_id)
        self._reload([quota_id])
        view = quota_of(self.database, quota_id)
        assert view is not None
        return view

    def delete(self, quota_id: str) -> None:
        if quota_of(self.database, quota_id) is None:
            raise ValidationError("quota", "本地没有这笔额度", "unknown quota", quota_id)
        self._gw().delete_quota(quota_id)
        with self.database.session() as session:
            session.execute(
                update(Quota)
                .where(Quota.quota_id == quota_id)
                .values(deleted=True, update_time=utcnow())
            )

    # -- plumbing --------------------------------------------------------------------------

    def _require_cached(self, employee_id: str, institution_id: str) -> None:
        with self.database.read_session() as s:
            employee = s.scalar(
                select(Employee.id).where(
                    Employee.employee_id == employee_id, Employee.deleted.is_(False)
                )
            )
            institution = s.scalar(
                select(ExpenseInstitution.id).where(
                    ExpenseInstitution.institution_id == institution_id,
                    ExpenseInstitution.deleted.is_(False),
                )
            )
        if employee is None:
            raise ValidationError("employee", "本地没有这名员工", "unknown employee", employee_id)
        if institution is None:
            raise ValidationError(
                "institution", "本地没有这个费控制度", "unknown institution", institution_id
            )

    def _record(
        self, issues: Sequence[ValidIssue], ids: Sequence[str], *, batch_id: str | None
    ) -> None:
        """Write the intents (or find them written, unchanged) before anything is sent."""
        a = QuotaIssueAction
        with self.database.session() as session:
            existing = {
                row.outer_source_id: row
                for row in session.scalars(select(a).where(a.outer_source_id.in_(list(ids))))
            }
            for issue, key in zip(issues, ids, strict=True):
                row = existing.get(key)
                if row is None:
                    session.add(
                        a(
                            outer_source_id=key,
                            enterprise_id=self.enterprise_id,
                            employee_id=issue.employee_id,
                            institution_id=issue.institution_id,
                            amount=issue.amount,
                            valid_from=issue.valid_from,
                            valid_to=issue.valid_to,
                            batch_id=batch_id,
                            state=IssueState.PENDING,
                            attempts=0,
                        )
                    )
                elif (row.employee_id, row.institution_id, row.amount, row.valid_from,
                      row.valid_to) != (issue.employee_id, issue.institution_id, issue.amount,
                                        issue.valid_from, issue.valid_to):  # fmt: skip
                    raise ValidationError(
                        "outer_source_id",
                        "这个操作号已用于另一笔发放，请重新发起",
                        "this idempotency key belongs to a different issue; start again",
                        key,
                    )

    @contextmanager
    def _claim(self, ids: Sequence[str]) -> Iterator[None]:
        """Hold the in-process lock of every id (sorted, so two batches never deadlock;
        re-entrant, so :meth:`issue` can record and settle under one claim)."""
        locks: list[threading.RLock] = []
        with self._claims_guard:
            for key in sorted(ids):
                lock, users = self._claims.get(key, (threading.RLock(), 0))
                self._claims[key] = (lock, users + 1)
                locks.append(lock)
        try:
            for lock in locks:
                lock.acquire()
            try:
                yield
            finally:
                for lock in reversed(locks):
                    lock.release()
        finally:
            with self._claims_guard:
                for key in ids:
                    lock, users = self._claims[key]
                    if users <= 1:
                        del self._claims[key]
                    else:
                        self._claims[key] = (lock, users - 1)

    def _jobs(self, ids: Sequence[str]) -> dict[str, _Job]:
        a = QuotaIssueAction
        with self.database.read_session() as s:
            rows = s.scalars(select(a).where(a.outer_source_id.in_(list(ids)))).all()
            return {
                r.outer_source_id: _Job(
                    r.outer_source_id,
                    r.employee_id,
                    r.institution_id,
                    r.amount,
                    r.valid_from,
                    r.valid_to,
                    r.state,
                    r.quota_id,
                )
                for r in rows
            }

    def _settle(self, ids: list[str]) -> tuple[IssueOutcome, ...]:
        with self._claim(ids):
            jobs = self._jobs(ids)
            missing = [k for k in ids if k not in jobs]
            if missing:
                raise ValidationError(
                    "outer_source_id", "没有这笔待发放记录", "no such issue action", missing
                )
            todo = [jobs[k] for k in ids if jobs[k].state is not IssueState.DONE]
            results = self._call(todo)
            outcomes = self._store(todo, results)
        done = {
            k: IssueOutcome(k, jobs[k].employee_id, IssueState.DONE, jobs[k].quota_id)
            for k in ids
            if jobs[k].state is IssueState.DONE
        }
        by_id = {o.outer_source_id: o for o in outcomes}
        return tuple(done.get(k) or by_id[k] for k in ids)

    def _call(self, jobs: Sequence[_Job]) -> dict[str, QuotaCreated | BaseException]:
        gateway = self._gw()

        def create(job: _Job) -> QuotaCreated | BaseException:
            try:
                created = gateway.create_quota(
                    job.employee_id,
                    job.institution_id,
                    job.amount,
                    job.valid_from,
                    job.valid_to,
                    job.outer_source_id,
                )
            except Exception as exc:
                return exc
            if created.quota_id is None:
                return QuotaRejected("alipay.ebpp.invoice.expensecontrol.quota.create", created)
            return created

        if len(jobs) <= 1:
            answers = [create(j) for j in jobs]
        else:
            with ThreadPoolExecutor(
                max_workers=min(_CALL_WORKERS, len(jobs)), thread_name_prefix="quota-issue"
            ) as pool:
                answers = list(pool.map(create, jobs))
        return {j.outer_source_id: a for j, a in zip(jobs, answers, strict=True)}

    def _fetch(self, quota_ids: Sequence[str]) -> dict[str, AlipayQuota]:
        if not quota_ids:
            return {}
        page = self._gw().query_quotas(quota_ids=list(quota_ids), page_size=len(quota_ids))
        return {q.quota_id: q for q in page.items}

    def _store(
        self, jobs: Sequence[_Job], results: dict[str, QuotaCreated | BaseException]
    ) -> list[IssueOutcome]:
        created = {
            k: r.quota_id
            for k, r in results.items()
            if isinstance(r, QuotaCreated) and r.quota_id is not None
        }
        fetched: dict[str, AlipayQuota] = {}
        fetch_error: BaseException | None = None
        try:
            fetched = self._fetch(sorted(set(created.values())))
        except Exception as exc:  # the quotas exist; reading them back failed: retry later
            fetch_error = exc
        now, china = utcnow(), self.now()
        outcomes: list[IssueOutcome] = []
        quota_rows: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for job in jobs:
            result = results[job.outer_source_id]
            values: dict[str, Any] = {"attempts": QuotaIssueAction.attempts + 1, "update_time": now}
            if isinstance(result, QuotaCreated) and result.quota_id in fetched:
                row = quota_row(fetched[result.quota_id], self.enterprise_id, china, now)
                row["outer_source_id"] = job.outer_source_id
                row["issue_batch_id"] = result.issue_batch_id
                quota_rows.append(row)
                values.update(
                    state=IssueState.DONE, quota_id=result.quota_id, error_zh=None, error_en=None
                )
                outcome = IssueOutcome(
                    job.outer_source_id, job.employee_id, IssueState.DONE, result.quota_id
                )
            else:
                if isinstance(result, QuotaCreated):
                    error: BaseException = fetch_error or AlipayGatewayError(
                        "alipay.ebpp.invoice.expensecontrol.quota.query",
                        f"quota {result.quota_id} was not returned",
                    )
                    state = IssueState.PENDING
                else:
                    error = result
                    refused = isinstance(result, AlipayError) and result.is_business
                    state = IssueState.FAILED if refused else IssueState.PENDING
                zh, en = _error_texts(error)
                values.update(state=state, error_zh=zh, error_en=en)
                outcome = IssueOutcome(job.outer_source_id, job.employee_id, state, None, error)
            updates.append({"key": job.outer_source_id, **values})
            outcomes.append(outcome)
        a = QuotaIssueAction
        with self.database.session() as session:
            conn = session.connection()
            if quota_rows:
                upsert(conn, Quota, quota_rows, ["quota_id"])
            for values in updates:
                key = values.pop("key")
                conn.execute(update(a).where(a.outer_source_id == key).values(**values))
        return outcomes

    def _reload(self, quota_ids: Sequence[str]) -> None:
        fetched = self._fetch(quota_ids)
        now, china = utcnow(), self.now()
        rows = [quota_row(q, self.enterprise_id, china, now) for q in fetched.values()]
        with self.database.session() as session:
            upsert(session.connection(), Quota, rows, ["quota_id"])

    def _view_of(self, outcome: IssueOutcome) -> QuotaView:
        assert outcome.quota_id is not None
        view = quota_of(self.database, outcome.quota_id)
        if view is None:  # pragma: no cover - _store just wrote it
            raise LookupError(outcome.quota_id)
        return view
