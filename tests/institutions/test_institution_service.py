"""Institution, rule and member operations against the sandbox: Alipay first, then the cache
from Alipay's answer; bad input never reaches Alipay; Alipay's refusals change nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from quotas.live_company import Company
from sqlalchemy import select

from workstation.alipay.errors import AlipayError
from workstation.alipay.types import RuleCondition
from workstation.errors import ValidationError
from workstation.institutions.models import (
    AdapterType,
    ExpenseInstitution,
    ExpenseRule,
    InstitutionMember,
    InstitutionStatus,
    MemberType,
    RuleFactor,
)
from workstation.institutions.service import (
    InstitutionDraft,
    InstitutionService,
    RuleDraft,
    institution_summaries,
    member_count,
    member_page,
    rule_draft,
    rules_of,
    validate_rule,
)
from workstation.quotas.models import Quota


def service(company: Company) -> InstitutionService:
    return InstitutionService(company.database, company.gateway, company.enterprise_id)


LUNCH = RuleDraft(
    name="午餐补贴",
    description="工作日午餐",
    daily_cap="¥60",
    time_windows="11:00-14:00",
    mcc_codes="5812, 5814",
)


def snapshot(company: Company) -> dict[str, list[tuple[Any, ...]]]:
    with company.database.read_session() as s:
        return {
            t.__tablename__: [tuple(r) for r in s.execute(select(t.__table__).order_by("id"))]
            for t in (ExpenseInstitution, ExpenseRule, InstitutionMember, Quota)
        }


def test_create_an_institution_with_a_rule_and_members(company: Company) -> None:
    svc = service(company)
    members = company.employee_ids()[:3]
    draft = InstitutionDraft(
        name="  年会餐补  ",
        description="年会期间的餐费",
        expense_type="MEAL",
        effective_start=dt.datetime(2026, 1, 1),
        effective_end=dt.datetime(2027, 12, 31, 23, 59, 59),
        scope=AdapterType.EMPLOYEE_SELECT,
        member_ids=tuple(members),
        rules=(LUNCH,),
    )
    key = "create-annual-meal"

    summary = svc.create_institution(draft, outer_source_id=key)

    assert (summary.name, summary.member_count, summary.rule_count) == ("年会餐补", 3, 1)
    assert summary.adapter_type is AdapterType.EMPLOYEE_SELECT
    assert summary.status is InstitutionStatus.ACTIVE
    # Alipay holds what the cache shows.
    detail = company.gateway.query_institution(summary.institution_id)
    assert set(detail.owner_ids) == set(members)
    [alipay_rule] = detail.rules
    assert {(c.rule_factor, c.rule_value) for c in alipay_rule.conditions} == {
        ("QUOTA_DAY", "60.00"),
        ("ALARM_CLOCK_TIME", "11:00-14:00"),
        ("MCC", "5812,5814"),
    }
    [rule] = rules_of(company.database, summary.institution_id)
    assert (rule.rule_id, rule.name, rule.amount_cap) == (
        alipay_rule.standard_id,
        "午餐补贴",
        Decimal("60.00"),
    )
    assert (rule.time_window, rule.merchant_ids) == ("11:00-14:00", ("5812", "5814"))
    page = member_page(company.database, summary.institution_id, 0, 10)
    assert {m.member_id for m in page} == set(members)
    assert all(m.member_type is MemberType.EMPLOYEE and m.name for m in page)

    # The same intent sent again (a retry after a lost answer) creates nothing new.
    again = svc.create_institution(draft, outer_source_id=key)
    assert again.institution_id == summary.institution_id
    names = [i.name for i in company.gateway.iter_institutions(page_size=100)]
    assert names.count("年会餐补") == 1


def test_modify_an_institution(company: Company) -> None:
    svc = service(company)
    target = institution_summaries(company.database)[0]
    changed = svc.modify_institution(
        target.institution_id,
        InstitutionDraft(
            name="改名后的制度",
            description="新的说明",
            expense_type=target.expense_type,
            effective_start=dt.datetime(2026, 2, 1),
            effective_end=dt.datetime(2030, 1, 1),
            enabled=False,
        ),
    )
    assert (changed.name, changed.description, changed.status) == (
        "改名后的制度",
        "新的说明",
        InstitutionStatus.INACTIVE,
    )
    assert changed.effective_start == dt.datetime(2026, 2, 1)
    detail = company.gateway.query_institution(target.institution_id)
    assert (detail.name, detail.enabled) == ("改名后的制度", False)


def test_members_are_added_removed_and_switched_between_kinds(company: Company) -> None:
    svc = service(company)
    target = institution_summaries(company.database)[0]
    current = {m.member_id for m in member_page(company.database, target.institution_id, 0, 1000)}
    outsiders = [e for e in company.employee_ids() if e not in current][:2]
    assert len(outsiders) == 2

    after = svc.change_members(
        target.institution_id, MemberType.EMPLOYEE, add=outsiders, remove=[sorted(current)[0]]
    )
    assert after.member_count == len(current) + 1
    cached = {m.member_id for m in member_page(company.database, target.institution_id, 0, 1000)}
    assert cached == (current | set(outsiders)) - {sorted(current)[0]}
    assert set(company.gateway.iter_institution_scope(target.institution_id)) == cached

    department = company.department_ids()[3]
    switched = svc.change_members(target.institution_id, MemberType.DEPARTMENT, add=[department])
    assert switched.adapter_type is AdapterType.EMPLOYEE_DEPARTMENT
    [only] = member_page(company.database, target.institution_id, 0, 1000)
    assert (only.member_type, only.member_id) == (MemberType.DEPARTMENT, department)

    everyone = svc.apply_to_everyone(target.institution_id)
    assert (everyone.adapter_type, everyone.member_count) == (AdapterType.EMPLOYEE_ALL, 0)


def test_rules_are_created_edited_and_deleted(company: Company) -> None:
    svc = service(company)
    target = institution_summaries(company.database)[0]
    before = {r.rule_id for r in rules_of(company.database, target.institution_id)}

    created = svc.create_rule(
        target.institution_id,
        RuleDraft(name="月度采购", monthly_cap="2,000", merchant_ids=("2088000000000001",)),
    )
    assert created.factor_type is RuleFactor.QUOTA_MONTH
    assert created.amount_cap == Decimal("2000.00")
    assert created.merchant_ids == ("2088000000000001",)

    draft = rule_draft(created)
    assert (draft.monthly_cap, draft.merchant_ids) == (Decimal("2000.00"), ("2088000000000001",))
    edited = svc.modify_rule(
        target.institution_id,
        created.rule_id,
        RuleDraft(
            name="月度采购（调整）",
            monthly_cap="1500",
            total_cap="9000",
            merchant_ids=draft.merchant_ids,
            time_windows=("09:00-18:00",),
        ),
    )
    assert edited.name == "月度采购（调整）"
    factors = {(c.rule_factor, c.rule_value) for c in edited.conditions}
    assert {("QUOTA_MONTH", "1500.00"), ("QUOTA_TOTAL", "9000.00")} <= factors
    assert edited.time_window == "09:00-18:00"
    detail = company.gateway.query_institution(target.institution_id)
    [at_alipay] = [r for r in detail.rules if r.standard_id == created.rule_id]
    assert {(c.rule_factor, c.rule_value) for c in at_alipay.conditions} == factors

    svc.delete_rules(target.institution_id, [created.rule_id])
    assert {r.rule_id for r in rules_of(company.database, target.institution_id)} == before
    assert created.rule_id not in {
        r.standard_id for r in company.gateway.query_institution(target.institution_id).rules
    }


def test_deleting_an_institution_removes_its_rules_members_and_quotas(company: Company) -> None:
    svc = service(company)
    target = institution_summaries(company.database)[0]
    svc.delete_institution(target.institution_id)
    assert target.institution_id not in {
        i.institution_id for i in institution_summaries(company.database)
    }
    assert rules_of(company.database, target.institution_id) == ()
    assert member_count(company.database, target.institution_id) == 0
    with company.database.read_session() as s:
        live = s.scalar(
            select(Quota.id).where(
                Quota.institution_id == target.institution_id, Quota.deleted.is_(False)
            )
        )
    assert live is None
    assert target.institution_id not in {
        i.institution_id for i in company.gateway.iter_institutions(page_size=100)
    }


def test_alipays_refusal_leaves_the_cache_unchanged(company: Company) -> None:
    svc = service(company)
    target = institution_summaries(company.database)[0]
    leaver = company.employee_ids()[-1]
    company.gateway.delete_employee(leaver)  # gone at Alipay, still in the cache
    before = snapshot(company)
    with pytest.raises(AlipayError) as raised:
        svc.change_members(target.institution_id, MemberType.EMPLOYEE, add=[leaver])
    assert raised.value.sub_code == "MEMBER_NOT_EXIST"
    with pytest.raises(AlipayError):
        svc.modify_rule(target.institution_id, "no-such-rule", LUNCH)
    assert snapshot(company) == before


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (RuleDraft(name="", daily_cap="10"), "rule_name"),
        (RuleDraft(name="x" * 65, daily_cap="10"), "rule_name"),
        (RuleDraft(name="规则"), "conditions"),
        (RuleDraft(name="规则", daily_cap="abc"), "daily_cap"),
        (RuleDraft(name="规则", monthly_cap="0"), "monthly_cap"),
        (RuleDraft(name="规则", total_cap="1.234"), "total_cap"),
        (RuleDraft(name="规则", total_cap="1000000.01"), "total_cap"),
        (RuleDraft(name="规则", time_windows="25:00-26:00"), "time_windows"),
        (RuleDraft(name="规则", time_windows="11:00-11:00"), "time_windows"),
        (RuleDraft(name="规则", mcc_codes="58a2"), "mcc_codes"),
        (RuleDraft(name="规则", merchant_ids="ok,not ok!"), "merchant_ids"),
        (RuleDraft(name="规则", valid_from=dt.datetime(2026, 1, 1)), "valid_to"),
        (
            RuleDraft(
                name="规则", valid_from=dt.datetime(2026, 2, 1), valid_to=dt.datetime(2026, 1, 1)
            ),
            "valid_to",
        ),
    ],
)
def test_bad_rules_are_named_and_never_sent(company: Company, draft: RuleDraft, field: str) -> None:
    svc = service(company)
    target = institution_summaries(company.database)[0]
    before = snapshot(company)
    standards = len(company.gateway.query_institution(target.institution_id).rules)
    with pytest.raises(ValidationError) as raised:
        svc.create_rule(target.institution_id, draft)
    assert raised.value.field == field
    assert raised.value.message_zh.startswith(field) and raised.value.message_en.startswith(field)
    assert snapshot(company) == before
    assert len(company.gateway.query_institution(target.institution_id).rules) == standards


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": " "}, "institution_name"),
        ({"expense_type": "TRAVEL"}, "expense_type"),
        ({"effective_end": dt.datetime(2025, 1, 1)}, "effective_end"),
        ({"member_ids": ("no-such-employee",)}, "member_ids"),
        ({"rules": (RuleDraft(name="空规则"),)}, "conditions"),
    ],
)
def test_bad_institutions_are_named_and_never_sent(
    company: Company, change: dict[str, Any], field: str
) -> None:
    base = InstitutionDraft(name="新制度", effective_start=dt.datetime(2026, 1, 1))
    before = snapshot(company)
    count = len(list(company.gateway.iter_institutions(page_size=100)))
    with pytest.raises(ValidationError) as raised:
        service(company).create_institution(InstitutionDraft(**{**base.__dict__, **change}))
    assert raised.value.field == field
    assert snapshot(company) == before
    assert len(list(company.gateway.iter_institutions(page_size=100))) == count


def test_rule_conditions_this_form_does_not_edit_survive_an_edit() -> None:
    shop = RuleCondition("SHOP", "S1,S2")
    draft = RuleDraft(name="门店餐补", daily_cap="30", other=(shop, RuleCondition("MCC", "1234")))
    conditions = validate_rule(draft).conditions
    assert shop in conditions
    assert all(c.rule_value != "1234" for c in conditions)  # MCC is edited by the form itself
