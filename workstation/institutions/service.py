"""Clerk operations on expense institutions (费控制度), their use rules (使用规则) and members.

Every change goes to Alipay first; the cache is then rewritten from Alipay's answer (the
institution's detail and, when members changed, its paged scope) in one transaction, through the
same row mappers the sync uses. Input is validated before anything is sent, so a bad field never
costs a call, and an Alipay error leaves the cache as it was. Reads return frozen rows that may
cross threads. Qt-free.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    String,
    and_,
    cast,
    delete,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
    update,
)

from workstation import money
from workstation.alipay.gateway import OWNER_EMPLOYEE, AlipayGateway
from workstation.alipay.types import ExpenseRuleSpec, InstitutionDetail, RuleCondition
from workstation.db.base import utcnow
from workstation.db.engine import Database
from workstation.errors import ValidationError, WorkstationError
from workstation.institutions.models import (
    AdapterType,
    ExpenseInstitution,
    ExpenseRule,
    InstitutionMember,
    InstitutionStatus,
    MemberType,
    RuleFactor,
)
from workstation.institutions.sync import (
    _institution_row,
    _replace_members,
    _scope_of,
    rule_row,
)
from workstation.org.models import Department, Employee
from workstation.quotas.models import Quota
from workstation.sync.context import SyncContext
from workstation.sync.upsert import upsert

__all__ = [
    "EXPENSE_TYPES",
    "MAX_RULE_CAP",
    "DepartmentNode",
    "EmployeeChoice",
    "InstitutionDraft",
    "InstitutionService",
    "InstitutionSummary",
    "MemberView",
    "NotConfigured",
    "RuleDraft",
    "RuleView",
    "ValidRule",
    "department_nodes",
    "employee_count",
    "employee_page",
    "institution_summaries",
    "member_count",
    "member_page",
    "rule_draft",
    "rules_of",
    "subtree_ids",
    "summary_of",
    "validate_institution",
    "validate_rule",
]

EXPENSE_TYPES = ("DEFAULT", "MEAL")  # 通用 / 工作餐: the expense types Enterprise Code documents
MAX_NAME = 64  # Alipay's limit for institution and rule names
MAX_DESCRIPTION = 256
MAX_RULE_CAP = Decimal("1000000.00")
_ID = re.compile(r"^[A-Za-z0-9_\-]{1,64}$")
_MCC = re.compile(r"^\d{4}$")
_WINDOW = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")
_SPLIT = re.compile(r"[\s,，;；、]+")
_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
_CAP_FACTORS = (
    ("daily_cap", RuleFactor.QUOTA_DAY),
    ("monthly_cap", RuleFactor.QUOTA_MONTH),
    ("total_cap", RuleFactor.QUOTA_TOTAL),
)
# What this app edits; any other condition of a rule is kept as it is.
_EDITED = {
    RuleFactor.QUOTA_DAY.value,
    RuleFactor.QUOTA_MONTH.value,
    RuleFactor.QUOTA_TOTAL.value,
    RuleFactor.MERCHANT.value,
    RuleFactor.MCC.value,
    RuleFactor.TIME_WINDOW.value,
    RuleFactor.EFFECTIVE_DATE.value,
}


class NotConfigured(WorkstationError):
    """A write was asked for, but no Alipay app is configured."""

    def __init__(self) -> None:
        super().__init__(
            "尚未配置支付宝应用，无法提交到支付宝",
            "no Alipay app is configured, nothing can be sent to Alipay",
        )


# --- what the clerk types ------------------------------------------------------------------


@dataclass(frozen=True)
class RuleDraft:
    """A use rule as the clerk entered it. Amounts may be text ("¥1,200") or Decimal; empty
    means "no such condition". ``other`` carries conditions this form does not edit."""

    name: str
    description: str | None = None
    daily_cap: Decimal | str | None = None
    monthly_cap: Decimal | str | None = None
    total_cap: Decimal | str | None = None
    merchant_ids: tuple[str, ...] | str = ()
    mcc_codes: tuple[str, ...] | str = ()
    time_windows: tuple[str, ...] | str = ()  # "HH:mm-HH:mm"; may cross midnight
    valid_from: dt.datetime | None = None
    valid_to: dt.datetime | None = None
    other: tuple[RuleCondition, ...] = ()


@dataclass(frozen=True)
class ValidRule:
    name: str
    description: str | None
    conditions: tuple[RuleCondition, ...]


@dataclass(frozen=True)
class InstitutionDraft:
    """An institution as the clerk entered it. ``member_ids`` are employee ids for
    ``EMPLOYEE_SELECT``, department ids for ``EMPLOYEE_DEPARTMENT``, none for ``EMPLOYEE_ALL``.
    ``rules`` and members are only used when creating (later changes have their own actions)."""

    name: str
    description: str | None = None
    expense_type: str = "DEFAULT"
    effective_start: dt.datetime | None = None
    effective_end: dt.datetime | None = None
    enabled: bool = True
    scope: AdapterType = AdapterType.EMPLOYEE_SELECT
    member_ids: tuple[str, ...] = ()
    rules: tuple[RuleDraft, ...] = ()


# --- what the cache answers -----------------------------------------------------------------


@dataclass(frozen=True)
class InstitutionSummary:
    institution_id: str
    name: str
    description: str | None
    expense_type: str
    status: InstitutionStatus
    adapter_type: AdapterType
    effective_start: dt.datetime | None
    effective_end: dt.datetime | None
    member_count: int
    rule_count: int


@dataclass(frozen=True)
class RuleView:
    rule_id: str
    institution_id: str
    name: str | None
    description: str | None
    factor_type: RuleFactor
    amount_cap: Decimal | None
    valid_from: dt.datetime | None
    valid_to: dt.datetime | None
    merchant_ids: tuple[str, ...]
    time_window: str | None
    conditions: tuple[RuleCondition, ...] = field(default=())


@dataclass(frozen=True)
class MemberView:
    member_type: MemberType
    member_id: str
    name: str
    employee_no: str | None
    department_name: str | None  # an employee's department; a department's parent


@dataclass(frozen=True)
class DepartmentNode:
    department_id: str
    name: str
    parent_id: str | None
    depth: int  # 0 for the top of the tree, as shown


@dataclass(frozen=True)
class EmployeeChoice:
    employee_id: str
    name: str
    employee_no: str | None
    department_name: str | None


# --- validation (pure: runs on any thread, before any call) ---------------------------------


def _text(value: str | None, field_name: str, *, required: bool, limit: int) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise ValidationError(field_name, "不能为空", "is required", value)
        return None
    if len(text) > limit:
        raise ValidationError(
            field_name,
            f"最长{limit}个字符（现为{len(text)}个）",
            f"at most {limit} characters (got {len(text)})",
            value,
        )
    return text


def _items(value: tuple[str, ...] | str) -> list[str]:
    parts = _SPLIT.split(value) if isinstance(value, str) else list(value)
    return list(dict.fromkeys(p.strip() for p in parts if p and p.strip()))


def _cap(value: Decimal | str | None, field_name: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        amount = money.parse(value, field=field_name)
    except money.MoneyError as exc:
        raise ValidationError(field_name, exc.message_zh, exc.message_en, value) from None
    if amount <= 0:
        raise ValidationError(field_name, "限额必须大于0", "the cap must be above zero", value)
    if amount > MAX_RULE_CAP:
        raise ValidationError(
            field_name,
            f"限额不能超过{money.format_money(MAX_RULE_CAP)}",
            f"the cap may not exceed {money.format_money(MAX_RULE_CAP)}",
            value,
        )
    return amount


def _window(value: str) -> str:
    match = _WINDOW.match(value.replace("：", ":").replace(" ", ""))
    if match is None:
        raise ValidationError(
            "time_windows",
            f"时段“{value}”格式应为 时:分-时:分，如 11:00-14:00",
            f"time window {value!r} must look like HH:mm-HH:mm, e.g. 11:00-14:00",
            value,
        )
    start, end = match.group(1, 2), match.group(3, 4)
    if start == end or (match.group(3) == "24" and match.group(4) != "00"):
        raise ValidationError(
            "time_windows",
            f"时段“{value}”的开始和结束不能相同，结束最晚为24:00",
            f"time window {value!r}: start and end must differ, end at most 24:00",
            value,
        )
    return match.group(0)


def validate_rule(draft: RuleDraft) -> ValidRule:
    """The conditions Alipay expects, or a :class:`ValidationError` naming the field."""
    name = _text(draft.name, "rule_name", required=True, limit=MAX_NAME)
    assert name is not None
    description = _text(draft.description, "rule_description", required=False, limit=256)
    conditions: list[RuleCondition] = []
    for field_name, factor in _CAP_FACTORS:
        cap = _cap(getattr(draft, field_name), field_name)
        if cap is not None:
            conditions.append(RuleCondition(factor.value, money.yuan_str(cap)))
    windows = [_window(w) for w in _items(draft.time_windows)]
    if windows:
        conditions.append(RuleCondition(RuleFactor.TIME_WINDOW.value, ",".join(windows)))
    merchants = _items(draft.merchant_ids)
    for merchant in merchants:
        if not _ID.match(merchant):
            raise ValidationError(
                "merchant_ids",
                f"商户编号“{merchant}”只能包含字母、数字、下划线或连字符",
                f"merchant id {merchant!r} may only hold letters, digits, '_' or '-'",
                merchant,
            )
    if merchants:
        conditions.append(RuleCondition(RuleFactor.MERCHANT.value, ",".join(merchants)))
    codes = _items(draft.mcc_codes)
    for code in codes:
        if not _MCC.match(code):
            raise ValidationError(
                "mcc_codes",
                f"商户类别码“{code}”应为4位数字",
                f"merchant category code {code!r} must be 4 digits",
                code,
            )
    if codes:
        conditions.append(RuleCondition(RuleFactor.MCC.value, ",".join(codes)))
    if (draft.valid_from is None) != (draft.valid_to is None):
        missing = "valid_to" if draft.valid_to is None else "valid_from"
        raise ValidationError(
            missing, "有效期需要同时填写开始和结束", "a validity window needs a start and an end"
        )
    if draft.valid_from is not None and draft.valid_to is not None:
        if draft.valid_to <= draft.valid_from:
            raise ValidationError(
                "valid_to",
                "有效期结束必须晚于开始",
                "the validity window must end after it starts",
                draft.valid_to,
            )
        span = f"{draft.valid_from:{_DATE_FORMAT}}~{draft.valid_to:{_DATE_FORMAT}}"
        conditions.append(RuleCondition(RuleFactor.EFFECTIVE_DATE.value, span))
    conditions.extend(c for c in draft.other if c.rule_factor.upper() not in _EDITED)
    if not conditions:
        raise ValidationError(
            "conditions",
            "至少设置一个条件（限额、时段、商户或有效期）",
            "set at least one condition (a cap, a time window, merchants or a validity window)",
        )
    return ValidRule(name, description, tuple(conditions))


def validate_institution(draft: InstitutionDraft) -> InstitutionDraft:
    """The draft with text trimmed and every field checked (no database, no network)."""
    name = _text(draft.name, "institution_name", required=True, limit=MAX_NAME)
    assert name is not None
    description = _text(
        draft.description, "institution_description", required=False, limit=MAX_DESCRIPTION
    )
    if draft.expense_type not in EXPENSE_TYPES:
        raise ValidationError(
            "expense_type",
            f"费用类型只能是 {', '.join(EXPENSE_TYPES)}",
            f"the expense type must be one of {', '.join(EXPENSE_TYPES)}",
            draft.expense_type,
        )
    start, end = draft.effective_start, draft.effective_end
    if start is not None and end is not None and end <= start:
        raise ValidationError(
            "effective_end", "生效结束必须晚于生效开始", "the end must be after the start", end
        )
    members = tuple(dict.fromkeys(m.strip() for m in draft.member_ids if m.strip()))
    if draft.scope is AdapterType.EMPLOYEE_ALL:
        members = ()
    for rule in draft.rules:
        validate_rule(rule)
    return InstitutionDraft(
        name=name,
        description=description,
        expense_type=draft.expense_type,
        effective_start=start,
        effective_end=end,
        enabled=draft.enabled,
        scope=draft.scope,
        member_ids=members,
        rules=draft.rules,
    )


def rule_draft(rule: RuleView) -> RuleDraft:
    """The form values of a cached rule, for editing it (conditions we do not edit ride along
    in ``other``)."""
    values: dict[str, Any] = {}
    windows: list[str] = []
    merchants: list[str] = []
    codes: list[str] = []
    other: list[RuleCondition] = []
    caps = {factor.value: name for name, factor in _CAP_FACTORS}
    for c in rule.conditions:
        factor = c.rule_factor.upper()
        if factor in caps:
            try:
                values[caps[factor]] = money.parse(c.rule_value, round_half_up=True)
            except money.MoneyError:
                other.append(c)
        elif factor == RuleFactor.TIME_WINDOW.value:
            windows.extend(_items(c.rule_value))
        elif factor == RuleFactor.MERCHANT.value:
            merchants.extend(_items(c.rule_value))
        elif factor == RuleFactor.MCC.value:
            codes.extend(_items(c.rule_value))
        elif factor == RuleFactor.EFFECTIVE_DATE.value:
            values["valid_from"], values["valid_to"] = rule.valid_from, rule.valid_to
        else:
            other.append(c)
    return RuleDraft(
        name=rule.name or "",
        description=rule.description,
        merchant_ids=tuple(merchants),
        mcc_codes=tuple(codes),
        time_windows=tuple(windows),
        other=tuple(other),
        **values,
    )


# --- reads ----------------------------------------------------------------------------------


def _live_institutions(enterprise_id: str) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [ExpenseInstitution.deleted.is_(False)]
    if enterprise_id:
        where.append(ExpenseInstitution.enterprise_id == enterprise_id)
    return where


def _summary_statement(enterprise_id: str) -> Select[*tuple[Any, ...]]:
    i = ExpenseInstitution
    members = (
        select(func.count())
        .where(InstitutionMember.institution_id == i.institution_id)
        .scalar_subquery()
    )
    rules = (
        select(func.count())
        .where(ExpenseRule.institution_id == i.institution_id, ExpenseRule.deleted.is_(False))
        .scalar_subquery()
    )
    return select(
        i.institution_id,
        i.name,
        i.description,
        i.expense_type,
        i.status,
        i.adapter_type,
        i.effective_start,
        i.effective_end,
        members.label("member_count"),
        rules.label("rule_count"),
    ).where(*_live_institutions(enterprise_id))


def _summary(row: Any) -> InstitutionSummary:
    return InstitutionSummary(
        institution_id=row.institution_id,
        name=row.name,
        description=row.description,
        expense_type=row.expense_type,
        status=row.status,
        adapter_type=row.adapter_type,
        effective_start=row.effective_start,
        effective_end=row.effective_end,
        member_count=int(row.member_count),
        rule_count=int(row.rule_count),
    )


def institution_summaries(
    database: Database, enterprise_id: str = "", text: str = ""
) -> tuple[InstitutionSummary, ...]:
    """Live institutions by name (an enterprise has tens of them, not thousands)."""
    stmt = _summary_statement(enterprise_id)
    text = text.strip()
    if text:
        i = ExpenseInstitution
        stmt = stmt.where(
            or_(
                i.name.icontains(text, autoescape=True),
                i.institution_id.icontains(text, autoescape=True),
                i.description.icontains(text, autoescape=True),
            )
        )
    stmt = stmt.order_by(ExpenseInstitution.name, ExpenseInstitution.institution_id)
    with database.read_session() as s:
        return tuple(_summary(r) for r in s.execute(stmt))


def summary_of(database: Database, institution_id: str) -> InstitutionSummary | None:
    stmt = _summary_statement("").where(ExpenseInstitution.institution_id == institution_id)
    with database.read_session() as s:
        row = s.execute(stmt).first()
    return _summary(row) if row is not None else None


def _conditions(raw: Any) -> tuple[RuleCondition, ...]:
    out = []
    for c in raw or ():
        if isinstance(c, dict) and c.get("rule_factor") is not None:
            out.append(
                RuleCondition(
                    rule_factor=str(c["rule_factor"]),
                    rule_value=str(c.get("rule_value") or ""),
                    rule_operator=c.get("rule_operator"),
                    rule_name=c.get("rule_name"),
                    rule_id=c.get("rule_id"),
                )
            )
    return tuple(out)


def _rule_view(r: ExpenseRule) -> RuleView:
    return RuleView(
        rule_id=r.rule_id,
        institution_id=r.institution_id,
        name=r.name,
        description=r.description,
        factor_type=r.factor_type,
        amount_cap=r.amount_cap,
        valid_from=r.valid_from,
        valid_to=r.valid_to,
        merchant_ids=tuple(r.merchant_ids or ()),
        time_window=r.time_window,
        conditions=_conditions(r.conditions),
    )


def rules_of(database: Database, institution_id: str) -> tuple[RuleView, ...]:
    stmt = (
        select(ExpenseRule)
        .where(ExpenseRule.institution_id == institution_id, ExpenseRule.deleted.is_(False))
        .order_by(ExpenseRule.rule_id)
    )
    with database.read_session() as s:
        return tuple(_rule_view(r) for r in s.scalars(stmt))


def _member_statement(institution_id: str, text: str) -> Select[*tuple[Any, ...]]:
    m, e, d = InstitutionMember, Employee, Department
    parent = Department.__table__.alias("parent")
    text = text.strip()
    employees = (
        select(
            literal(MemberType.EMPLOYEE.value).label("member_type"),
            e.employee_id.label("member_id"),
            e.name.label("name"),
            e.employee_no.label("employee_no"),
            d.name.label("department_name"),
        )
        .select_from(m)
        .join(e, e.employee_id == m.employee_id)
        .outerjoin(d, d.department_id == e.department_id)
        .where(m.institution_id == institution_id, m.member_type == MemberType.EMPLOYEE)
    )
    departments = (
        select(
            literal(MemberType.DEPARTMENT.value).label("member_type"),
            d.department_id.label("member_id"),
            d.name.label("name"),
            cast(null(), String(64)).label("employee_no"),
            parent.c.name.label("department_name"),
        )
        .select_from(m)
        .join(d, d.department_id == m.department_id)
        .outerjoin(parent, parent.c.department_id == d.parent_id)
        .where(m.institution_id == institution_id, m.member_type == MemberType.DEPARTMENT)
    )
    if text:
        employees = employees.where(
            or_(
                e.name.icontains(text, autoescape=True),
                e.employee_no.icontains(text, autoescape=True),
                e.employee_id.icontains(text, autoescape=True),
            )
        )
        departments = departments.where(
            or_(
                d.name.icontains(text, autoescape=True),
                d.department_id.icontains(text, autoescape=True),
            )
        )
    return select(union_all(employees, departments).subquery())


def member_count(database: Database, institution_id: str, text: str = "") -> int:
    inner = _member_statement(institution_id, text).subquery()
    with database.read_session() as s:
        return int(s.execute(select(func.count()).select_from(inner)).scalar_one())


def member_page(
    database: Database, institution_id: str, offset: int, limit: int, text: str = ""
) -> tuple[MemberView, ...]:
    """One page of members, departments first, then by name: an institution may hold 100 000
    employees, so the view reads pages by SQL."""
    inner = _member_statement(institution_id, text).subquery()
    stmt = (
        select(inner)
        .order_by(inner.c.member_type, inner.c.name, inner.c.member_id)
        .limit(limit)
        .offset(offset)
    )
    with database.read_session() as s:
        return tuple(
            MemberView(
                member_type=MemberType(r.member_type),
                member_id=r.member_id,
                name=r.name,
                employee_no=r.employee_no,
                department_name=r.department_name,
            )
            for r in s.execute(stmt)
        )


def department_nodes(database: Database, enterprise_id: str = "") -> tuple[DepartmentNode, ...]:
    """Live departments depth-first, siblings by name (hundreds of rows at most)."""
    stmt = select(Department.department_id, Department.name, Department.parent_id).where(
        Department.deleted.is_(False)
    )
    if enterprise_id:
        stmt = stmt.where(Department.enterprise_id == enterprise_id)
    with database.read_session() as s:
        rows = s.execute(stmt).all()
    ids = {r.department_id for r in rows}
    children: dict[str | None, list[tuple[str, str]]] = {}
    for r in rows:
        parent = r.parent_id if r.parent_id in ids else None
        children.setdefault(parent, []).append((r.name, r.department_id))
    out: list[DepartmentNode] = []
    seen: set[str] = set()
    stack: list[tuple[str | None, str, str, int]] = [
        (None, name, key, 0) for name, key in sorted(children.get(None, ()), reverse=True)
    ]
    while stack:
        parent, name, key, depth = stack.pop()
        if key in seen:  # a corrupt cycle must not hang the picker
            continue
        seen.add(key)
        out.append(DepartmentNode(key, name, parent, depth))
        stack.extend((key, n, k, depth + 1) for n, k in sorted(children.get(key, ()), reverse=True))
    return tuple(out)


def subtree_ids(nodes: Sequence[DepartmentNode], department_id: str) -> list[str]:
    """The department and every department below it."""
    children: dict[str | None, list[str]] = {}
    for n in nodes:
        children.setdefault(n.parent_id, []).append(n.department_id)
    out: list[str] = []
    stack = [department_id]
    while stack:
        key = stack.pop()
        if key in out:
            continue
        out.append(key)
        stack.extend(children.get(key, ()))
    return out


def _employee_statement(
    text: str, department_ids: Sequence[str] | None
) -> Select[*tuple[Any, ...]]:
    e, d = Employee, Department
    stmt: Select[*tuple[Any, ...]] = (
        select(
            e.employee_id,
            e.name,
            e.employee_no,
            d.name.label("department_name"),
        )
        .outerjoin(d, d.department_id == e.department_id)
        .where(e.deleted.is_(False))
    )
    text = text.strip()
    if text:
        stmt = stmt.where(
            or_(
                e.name.icontains(text, autoescape=True),
                e.employee_no.icontains(text, autoescape=True),
                e.employee_id.icontains(text, autoescape=True),
                e.phone.icontains(text, autoescape=True),
            )
        )
    if department_ids is not None:
        stmt = stmt.where(e.department_id.in_(list(department_ids)))
    return stmt


def employee_count(
    database: Database, text: str = "", department_ids: Sequence[str] | None = None
) -> int:
    inner = _employee_statement(text, department_ids).subquery()
    with database.read_session() as s:
        return int(s.execute(select(func.count()).select_from(inner)).scalar_one())


def employee_page(
    database: Database,
    offset: int,
    limit: int,
    text: str = "",
    department_ids: Sequence[str] | None = None,
) -> tuple[EmployeeChoice, ...]:
    stmt = (
        _employee_statement(text, department_ids)
        .order_by(Employee.name, Employee.employee_id)
        .limit(limit)
        .offset(offset)
    )
    with database.read_session() as s:
        return tuple(
            EmployeeChoice(r.employee_id, r.name, r.employee_no, r.department_name)
            for r in s.execute(stmt)
        )


# --- writes ---------------------------------------------------------------------------------


def _owner_type(kind: MemberType) -> str:
    return "DEPARTMENT" if kind is MemberType.DEPARTMENT else OWNER_EMPLOYEE


def _kind_of(scope: AdapterType) -> MemberType:
    return (
        MemberType.DEPARTMENT if scope is AdapterType.EMPLOYEE_DEPARTMENT else MemberType.EMPLOYEE
    )


def _adapter_of(kind: MemberType) -> AdapterType:
    return (
        AdapterType.EMPLOYEE_DEPARTMENT
        if kind is MemberType.DEPARTMENT
        else AdapterType.EMPLOYEE_SELECT
    )


class InstitutionService:
    """Create, change and delete institutions, their rules and members (Alipay first, then the
    cache from Alipay's answer). Blocking: call from worker threads."""

    def __init__(
        self, database: Database, gateway: AlipayGateway | None, enterprise_id: str
    ) -> None:
        self.database = database
        self.gateway = gateway
        self.enterprise_id = enterprise_id

    def _gw(self) -> AlipayGateway:
        if self.gateway is None:
            raise NotConfigured()
        return self.gateway

    # -- institutions -------------------------------------------------------------------

    def create_institution(
        self, draft: InstitutionDraft, *, outer_source_id: str | None = None
    ) -> InstitutionSummary:
        """``outer_source_id`` is the idempotency key: pass the same one to retry the same
        intent (Alipay answers the institution it already created)."""
        valid = validate_institution(draft)
        rules = [validate_rule(r) for r in valid.rules]
        gateway = self._gw()
        kind = _kind_of(valid.scope)
        self._require_members(kind, valid.member_ids, "member_ids")
        key = outer_source_id or uuid.uuid4().hex
        created = gateway.create_institution(
            valid.name,
            expense_type=valid.expense_type,
            description=valid.description,
            effective_start=valid.effective_start,
            effective_end=valid.effective_end,
            adapter_type=valid.scope.value,
            owner_type=_owner_type(kind),
            owner_ids=valid.member_ids,
            rules=[
                ExpenseRuleSpec(
                    name=r.name,
                    conditions=r.conditions,
                    description=r.description,
                    outer_source_id=f"{key}-{n}",
                )
                for n, r in enumerate(rules, 1)
            ],
            outer_source_id=key,
        )
        self._refresh(created.institution_id, members=True)
        return self._summary(created.institution_id)

    def modify_institution(
        self, institution_id: str, draft: InstitutionDraft
    ) -> InstitutionSummary:
        """Name, description, enabled and effective window (members and rules have their own
        actions)."""
        valid = validate_institution(draft)
        self._gw().modify_institution(
            institution_id,
            name=valid.name,
            description=valid.description or "",
            enabled=valid.enabled,
            effective_start=valid.effective_start,
            effective_end=valid.effective_end,
        )
        self._refresh(institution_id, members=False)
        return self._summary(institution_id)

    def delete_institution(self, institution_id: str) -> None:
        """Alipay deletes the institution with its rules, scope and quotas; so does the cache."""
        self._gw().delete_institution(institution_id)
        now = utcnow()
        with self.database.session() as session:
            conn = session.connection()
            conn.execute(
                update(ExpenseInstitution)
                .where(ExpenseInstitution.institution_id == institution_id)
                .values(deleted=True, status=InstitutionStatus.DELETED, update_time=now)
            )
            conn.execute(delete(ExpenseRule).where(ExpenseRule.institution_id == institution_id))
            conn.execute(
                delete(InstitutionMember).where(InstitutionMember.institution_id == institution_id)
            )
            conn.execute(
                update(Quota)
                .where(Quota.institution_id == institution_id, Quota.deleted.is_(False))
                .values(deleted=True, update_time=now)
            )

    # -- members -----------------------------------------------------------------------

    def change_members(
        self,
        institution_id: str,
        kind: MemberType,
        *,
        add: Iterable[str] = (),
        remove: Iterable[str] = (),
    ) -> InstitutionSummary:
        """Add or remove employees or departments. An institution applies to one kind at a
        time: adding departments to an institution of selected employees (or the reverse)
        switches it, and Alipay drops the members of the other kind."""
        added = list(dict.fromkeys(a.strip() for a in add if a.strip()))
        removed = list(dict.fromkeys(r.strip() for r in remove if r.strip()))
        if not added and not removed:
            raise ValidationError(
                "members", "请选择要添加或移除的成员", "choose members to add or remove"
            )
        both = set(added) & set(removed)
        if both:
            raise ValidationError(
                "members",
                "同一成员不能同时添加和移除",
                "a member cannot be added and removed at once",
                sorted(both),
            )
        self._require_members(kind, added + removed, "members")
        self._gw().modify_institution_scope(
            institution_id,
            add=added,
            remove=removed,
            owner_type=_owner_type(kind),
            adapter_type=_adapter_of(kind).value,
        )
        self._refresh(institution_id, members=True)
        return self._summary(institution_id)

    def apply_to_everyone(self, institution_id: str) -> InstitutionSummary:
        """Switch the institution to 全体员工 (Alipay drops the member list)."""
        self._gw().modify_institution_scope(
            institution_id, adapter_type=AdapterType.EMPLOYEE_ALL.value
        )
        self._refresh(institution_id, members=True)
        return self._summary(institution_id)

    # -- rules -------------------------------------------------------------------------

    def create_rule(
        self, institution_id: str, draft: RuleDraft, *, outer_source_id: str | None = None
    ) -> RuleView:
        rule = validate_rule(draft)
        standard_id = self._gw().create_expense_rule(
            institution_id,
            rule.name,
            rule.conditions,
            description=rule.description,
            outer_source_id=outer_source_id or uuid.uuid4().hex,
        )
        self._refresh(institution_id, members=False)
        return self._rule(institution_id, standard_id)

    def modify_rule(self, institution_id: str, rule_id: str, draft: RuleDraft) -> RuleView:
        rule = validate_rule(draft)
        self._gw().modify_expense_rule(
            institution_id,
            rule_id,
            name=rule.name,
            conditions=rule.conditions,
            description=rule.description or "",
        )
        self._refresh(institution_id, members=False)
        return self._rule(institution_id, rule_id)

    def delete_rules(self, institution_id: str, rule_ids: Sequence[str]) -> None:
        ids = list(dict.fromkeys(rule_ids))
        if not ids:
            raise ValidationError("rules", "请选择要删除的规则", "choose the rules to delete")
        self._gw().delete_expense_rules(institution_id, ids)
        self._refresh(institution_id, members=False)

    # -- plumbing ----------------------------------------------------------------------

    def _require_members(self, kind: MemberType, ids: Sequence[str], field_name: str) -> None:
        """Every id must be a live employee (or department) of the cache: the member table
        links to them, and a typo should fail here, not at Alipay."""
        if not ids:
            return
        column = Employee.employee_id if kind is MemberType.EMPLOYEE else Department.department_id
        table = Employee if kind is MemberType.EMPLOYEE else Department
        known: set[str] = set()
        with self.database.read_session() as s:
            for start in range(0, len(ids), 500):
                chunk = list(ids[start : start + 500])
                known.update(
                    s.scalars(select(column).where(column.in_(chunk), table.deleted.is_(False)))
                )
        unknown = [i for i in ids if i not in known]
        if unknown:
            what_zh, what_en = (
                ("员工", "employee") if kind is MemberType.EMPLOYEE else ("部门", "department")
            )
            shown = ", ".join(unknown[:5]) + ("…" if len(unknown) > 5 else "")
            raise ValidationError(
                field_name,
                f"本地没有这些{what_zh}：{shown}（请先同步组织架构）",
                f"unknown {what_en} ids: {shown} (sync the org chart first)",
                unknown,
            )

    def _refresh(self, institution_id: str, *, members: bool) -> None:
        """Read Alipay's answer for the institution (and its scope), then write the cache in
        one transaction."""
        gateway = self._gw()
        detail = gateway.query_institution(institution_id)
        scope = (
            _scope_of(SyncContext(self.database, gateway, self.enterprise_id))(detail)
            if members
            else None
        )
        with self.database.session() as session:
            self._store(session.connection(), detail, scope)

    def _store(
        self,
        conn: Connection,
        detail: InstitutionDetail,
        scope: tuple[MemberType, list[str]] | None,
    ) -> None:
        now = utcnow()
        upsert(
            conn,
            ExpenseInstitution,
            [_institution_row(detail, self.enterprise_id, now)],
            ["institution_id"],
        )
        rows = [rule_row(r, detail.institution_id, now) for r in detail.rules if r.standard_id]
        upsert(conn, ExpenseRule, rows, ["rule_id"])
        conn.execute(
            delete(ExpenseRule).where(
                and_(
                    ExpenseRule.institution_id == detail.institution_id,
                    ExpenseRule.rule_id.not_in([r["rule_id"] for r in rows]),
                )
            )
        )
        if scope is not None:
            kind, owners = scope
            column = (
                Employee.employee_id if kind is MemberType.EMPLOYEE else Department.department_id
            )
            known = set(conn.execute(select(column)).scalars())
            _replace_members(conn, detail.institution_id, kind, [o for o in owners if o in known])

    def _summary(self, institution_id: str) -> InstitutionSummary:
        summary = summary_of(self.database, institution_id)
        if summary is None:  # pragma: no cover - _store just wrote it
            raise LookupError(institution_id)
        return summary

    def _rule(self, institution_id: str, rule_id: str) -> RuleView:
        for rule in rules_of(self.database, institution_id):
            if rule.rule_id == rule_id:
                return rule
        raise LookupError(rule_id)  # pragma: no cover - Alipay just answered it
