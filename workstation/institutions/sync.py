"""Mirror expense institutions with their rules and members (full snapshot each run)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select

from workstation.alipay.types import ExpenseRule as AlipayRule
from workstation.alipay.types import InstitutionDetail
from workstation.db.base import utcnow
from workstation.institutions.models import (
    AdapterType,
    ExpenseInstitution,
    ExpenseRule,
    InstitutionMember,
    InstitutionStatus,
    MemberType,
    RuleFactor,
)
from workstation.money import MoneyError, parse
from workstation.org.models import Department, Employee
from workstation.sync.context import SyncContext
from workstation.sync.upsert import fen_or_none, mark_missing, table_of, upsert

__all__ = ["ENTITY", "rule_row", "sync_institutions"]

ENTITY = "institutions"
_AMOUNT_FACTORS = {"QUOTA_DAY", "QUOTA_WEEK", "QUOTA_MONTH", "QUOTA_TOTAL", "SINGLE_LIMIT"}
_MERCHANT_FACTORS = {"MERCHANT", "MEAL_MERCHANT", "SHOP", "MCC"}
_FACTOR_VALUES = {f.value for f in RuleFactor}


def _amount(value: str) -> Decimal | None:
    try:
        return parse(value)
    except MoneyError:
        return None


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.replace("，", ",").split(",") if v.strip()]


def rule_row(rule: AlipayRule, institution_id: str, now: dt.datetime) -> dict[str, Any]:
    """Main factor in columns (cap, merchants, time window), every condition kept in JSON."""
    factor = RuleFactor.OTHER
    cap: Decimal | None = None
    merchants: list[str] | None = None
    window: str | None = None
    valid_from = valid_to = None
    for c in rule.conditions:
        name = c.rule_factor.upper()
        if name in _AMOUNT_FACTORS and cap is None:
            cap = _amount(c.rule_value)
            factor = RuleFactor(name) if factor is RuleFactor.OTHER else factor
        elif name in _MERCHANT_FACTORS:
            merchants = (merchants or []) + _split(c.rule_value)
        elif name == RuleFactor.TIME_WINDOW.value:
            window = c.rule_value
        elif name == RuleFactor.EFFECTIVE_DATE.value:
            valid_from, valid_to = _date_range(c.rule_value)
        if factor is RuleFactor.OTHER and name in _FACTOR_VALUES:
            factor = RuleFactor(name)
    return {
        "rule_id": rule.standard_id,
        "institution_id": institution_id,
        "name": rule.name,
        "description": rule.description,
        "factor_type": factor.value,
        "amount_cap": fen_or_none(cap),
        "valid_from": valid_from,
        "valid_to": valid_to,
        "merchant_ids": merchants,
        "time_window": window,
        "conditions": [
            {k: v for k, v in vars(c).items() if v is not None} for c in rule.conditions
        ],
        "deleted": False,
        "update_time": now,
        "create_time": now,
    }


def _date_range(value: str) -> tuple[dt.datetime | None, dt.datetime | None]:
    parts = [p.strip() for p in value.replace("~", ",").split(",")]
    out: list[dt.datetime | None] = []
    for part in [*parts, "", ""][:2]:
        try:
            out.append(dt.datetime.fromisoformat(part) if part else None)
        except ValueError:
            out.append(None)
    return out[0], out[1]


def _institution_row(d: InstitutionDetail, enterprise_id: str, now: dt.datetime) -> dict[str, Any]:
    try:
        adapter = AdapterType(d.adapter_type or AdapterType.EMPLOYEE_SELECT.value)
    except ValueError:
        adapter = AdapterType.EMPLOYEE_SELECT
    enabled = d.enabled is not False
    return {
        "institution_id": d.institution_id,
        "enterprise_id": enterprise_id,
        "name": d.name or d.institution_id,
        "description": d.description,
        "expense_type": d.expense_type or "DEFAULT",
        "expense_sub_type": _sub_type(d),
        "status": (InstitutionStatus.ACTIVE if enabled else InstitutionStatus.INACTIVE).value,
        "adapter_type": adapter.value,
        "currency": d.currency or "CNY",
        "effective_start": d.effective_start,
        "effective_end": d.effective_end,
        "outer_source_id": d.outer_source_id,
        "deleted": False,
        "update_time": now,
        "create_time": now,
    }


def _sub_type(d: InstitutionDetail) -> str:
    for rule in d.rules:
        if rule.expense_type_sub_category:
            return rule.expense_type_sub_category
    return "DEFAULT"


def sync_institutions(ctx: SyncContext) -> None:
    gateway = ctx.gateway
    basics = list(gateway.iter_institutions(page_size=100))
    ctx.progress(0, len(basics) + 1)
    details = ctx.map(lambda b: gateway.query_institution(b.institution_id), basics)
    scopes = ctx.map(_scope_of(ctx), details)
    ctx.progress(len(basics), len(basics) + 1)

    now = utcnow()
    inst_rows = [_institution_row(d, ctx.enterprise_id, now) for d in details]
    rule_rows = [
        rule_row(r, d.institution_id, now) for d in details for r in d.rules if r.standard_id
    ]
    with ctx.db.session() as session:
        conn = session.connection()
        employees = set(conn.execute(select(Employee.employee_id)).scalars())
        departments = set(conn.execute(select(Department.department_id)).scalars())
        i = upsert(conn, ExpenseInstitution, inst_rows, ["institution_id"])
        r = upsert(conn, ExpenseRule, rule_rows, ["rule_id"])
        removed = mark_missing(
            conn,
            ExpenseInstitution,
            "institution_id",
            (row["institution_id"] for row in inst_rows),
            {"deleted": True, "status": InstitutionStatus.DELETED.value, "update_time": now},
        )
        removed += conn.execute(
            delete(ExpenseRule).where(
                ExpenseRule.rule_id.not_in([row["rule_id"] for row in rule_rows])
            )
        ).rowcount
        members_added = members_removed = 0
        for detail, (kind, owner_ids) in zip(details, scopes, strict=True):
            known = employees if kind is MemberType.EMPLOYEE else departments
            added, dropped = _replace_members(
                conn, detail.institution_id, kind, [o for o in owner_ids if o in known]
            )
            members_added += added
            members_removed += dropped
        removed_members_of_gone = conn.execute(
            delete(InstitutionMember).where(
                InstitutionMember.institution_id.not_in(
                    [row["institution_id"] for row in inst_rows]
                )
            )
        ).rowcount
    ctx.counts.add(
        i.inserted + r.inserted + members_added,
        i.updated + r.updated,
        removed + members_removed + removed_members_of_gone,
    )
    ctx.progress(len(basics) + 1, len(basics) + 1)


def _scope_of(ctx: SyncContext) -> Any:
    def scope(detail: InstitutionDetail) -> tuple[MemberType, list[str]]:
        kind = (
            MemberType.DEPARTMENT
            if detail.adapter_type == AdapterType.EMPLOYEE_DEPARTMENT.value
            or (detail.owner_type or "").upper() == "DEPARTMENT"
            else MemberType.EMPLOYEE
        )
        if detail.adapter_type == AdapterType.EMPLOYEE_ALL.value:
            return kind, []
        # The detail query lists owners, but Alipay asks for the paged scope query above
        # 1 000 employees / 100 departments; always paging is correct for any size.
        owners = list(ctx.gateway.iter_institution_scope(detail.institution_id, page_size=1000))
        return kind, owners

    return scope


def _replace_members(
    conn: Any, institution_id: str, kind: MemberType, owner_ids: list[str]
) -> tuple[int, int]:
    column = (
        InstitutionMember.employee_id
        if kind is MemberType.EMPLOYEE
        else InstitutionMember.department_id
    )
    current = set(
        conn.execute(
            select(column).where(
                InstitutionMember.institution_id == institution_id,
                InstitutionMember.member_type == kind,
            )
        ).scalars()
    )
    wanted = set(owner_ids)
    stale = current - wanted
    if stale:
        conn.execute(
            delete(InstitutionMember).where(
                InstitutionMember.institution_id == institution_id, column.in_(stale)
            )
        )
    # Members of the other kind (adapter type changed) go too.
    other = conn.execute(
        delete(InstitutionMember).where(
            InstitutionMember.institution_id == institution_id,
            InstitutionMember.member_type != kind,
        )
    ).rowcount
    fresh = sorted(wanted - current)
    if fresh:
        key = "employee_id" if kind is MemberType.EMPLOYEE else "department_id"
        conn.execute(
            table_of(InstitutionMember).insert(),
            [
                {"institution_id": institution_id, "member_type": kind.value, key: owner}
                for owner in fresh
            ],
        )
    return len(fresh), len(stale) + other
