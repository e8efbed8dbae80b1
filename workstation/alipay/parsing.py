"""Verified response dicts → the frozen types in :mod:`workstation.alipay.types`.

Parsers raise ``ValueError`` (``MoneyError`` is one) on a malformed value; the gateway turns that
into :class:`~workstation.alipay.errors.AlipayProtocolError` naming the method.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from workstation import money
from workstation.alipay.types import (
    BatchEmployeeFailure,
    BatchEmployeeSuccess,
    BatchResult,
    Bill,
    BillDetail,
    Department,
    Employee,
    EmployeeDepartment,
    EmployeeStatus,
    Enterprise,
    ExpenseRule,
    InstitutionBasic,
    InstitutionDetail,
    IssueRule,
    Quota,
    QuotaCheckFailure,
    RuleCondition,
    Voucher,
)

__all__ = [
    "BEIJING",
    "DATETIME_FORMAT",
    "fen",
    "format_datetime",
    "freeze",
    "opt_bool",
    "opt_datetime",
    "opt_int",
    "opt_str",
    "parse_batch_result",
    "parse_bill",
    "parse_bill_detail",
    "parse_department",
    "parse_employee",
    "parse_enterprise",
    "parse_institution_basic",
    "parse_institution_detail",
    "parse_quota",
    "parse_quota_failure",
    "parse_voucher",
    "req_str",
    "str_list",
    "yuan",
]

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
# China has had no DST since 1991: a fixed offset avoids needing tzdata on Windows.
BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")

Obj = Mapping[str, Any]


def freeze(obj: Obj) -> Mapping[str, Any]:
    return MappingProxyType(dict(obj))


def format_datetime(value: datetime) -> str:
    """Datetime → Alipay's ``yyyy-MM-dd HH:mm:ss`` in Beijing time (naive means Beijing)."""
    if value.tzinfo is not None:
        value = value.astimezone(BEIJING).replace(tzinfo=None)
    return value.strftime(DATETIME_FORMAT)


def opt_str(obj: Obj, key: str) -> str | None:
    value = obj.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool | dict | list):
        raise ValueError(f"{key}: expected a string, got {value!r}")
    return str(value)


def req_str(obj: Obj, key: str) -> str:
    value = opt_str(obj, key)
    if value is None:
        raise ValueError(f"{key}: missing from the response")
    return value


def opt_int(obj: Obj, key: str) -> int | None:
    value = obj.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"{key}: expected an integer, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise ValueError(f"{key}: expected an integer, got {value!r}")


def opt_bool(obj: Obj, key: str) -> bool | None:
    value = obj.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"true", "1", "y", "yes"}:
        return True
    if text in {"false", "0", "n", "no"}:
        return False
    raise ValueError(f"{key}: expected a boolean, got {value!r}")


def opt_datetime(obj: Obj, key: str) -> datetime | None:
    value = obj.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"{key}: expected 'yyyy-MM-dd HH:mm:ss', got {value!r}")
    text = value.strip()
    # Alipay's fixed "yyyy-MM-dd HH:mm:ss" (or a date only, for a few effective dates): the C
    # fromisoformat parses both ~10x faster than strptime, which matters a million times over.
    if len(text) in (10, 19) and (len(text) == 10 or text[10] == " "):
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            pass
    try:
        return datetime.strptime(text, DATETIME_FORMAT)
    except ValueError:
        return datetime.strptime(text, "%Y-%m-%d")


def yuan(obj: Obj, key: str, *, default: Decimal | None = None) -> Decimal | None:
    """A yuan amount (``"12.30"``); refunds may carry a sign, so negatives are accepted."""
    value = obj.get(key)
    if value is None or value == "":
        return default
    if not isinstance(value, str | int | Decimal) or isinstance(value, bool):
        raise ValueError(f"{key}: expected an amount, got {value!r}")
    return money.parse(value, allow_negative=True, field=key)


def fen(obj: Obj, key: str, *, default: Decimal | None = None) -> Decimal | None:
    """A fen amount (``"1230"`` = ¥12.30), as the quota query sends them."""
    value = obj.get(key)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise ValueError(f"{key}: expected fen, got {value!r}")
    if isinstance(value, int):
        return money.from_fen(value)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return money.from_fen(int(value))
    if isinstance(value, str):
        text = value.strip()
        digits = text[1:] if text[:1] == "-" else text
        if digits.isdigit() and digits.isascii():
            return money.from_fen(int(text))
    raise ValueError(f"{key}: expected an integer amount in fen, got {value!r}")


def _req_yuan(obj: Obj, key: str) -> Decimal:
    value = yuan(obj, key)
    if value is None:
        raise ValueError(f"{key}: missing from the response")
    return value


def str_list(obj: Obj, key: str) -> tuple[str, ...]:
    value = obj.get(key)
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        # Some gateways send list fields JSON-encoded in a string.
        try:
            value = json.loads(value)
        except ValueError:
            return (value,)
    if not isinstance(value, list):
        raise ValueError(f"{key}: expected a list, got {value!r}")
    return tuple(str(v) for v in value if v is not None and v != "")


def obj_list(obj: Obj, key: str) -> list[Obj]:
    value = obj.get(key)
    if value is None or value == "":
        return []
    if isinstance(value, dict):  # a single object where a list was documented
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ValueError(f"{key}: expected a list of objects, got {value!r}")
    return value


def sub_obj(obj: Obj, key: str) -> Obj:
    value = obj.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError(f"{key}: expected an object, got {value!r}")
    return value


# --- per type ---------------------------------------------------------------------------------


def parse_enterprise(info: Obj) -> Enterprise:
    return Enterprise(
        enterprise_id=req_str(info, "enterprise_id"),
        enterprise_name=opt_str(info, "enterprise_name"),
        enterprise_alias=opt_str(info, "enterprise_alias"),
        enterprise_code=opt_str(info, "enterprise_code"),
        enterprise_email=opt_str(info, "enterprise_email"),
        account_id=opt_str(info, "account_id"),
        activate=opt_str(info, "activate"),
        auth_level=opt_str(info, "auth_level"),
        auth_status=opt_str(info, "auth_status"),
        auth_time=opt_datetime(info, "auth_time"),
        sign_status=opt_str(info, "sign_status"),
        status=opt_str(info, "status"),
        out_biz_no=opt_str(info, "out_biz_no"),
        gmt_create=opt_datetime(info, "gmt_create"),
        gmt_modified=opt_datetime(info, "gmt_modified"),
        raw=freeze(info),
    )


def parse_department(info: Obj) -> Department:
    return Department(
        department_id=req_str(info, "department_id"),
        name=opt_str(info, "department_name"),
        code=opt_str(info, "department_code"),
        parent_id=opt_str(info, "parent_department_id"),
        charge_employee_id=opt_str(info, "dept_charge_employee_id"),
        gmt_create=opt_datetime(info, "gmt_create"),
        gmt_modified=opt_datetime(info, "gmt_modified"),
        raw=freeze(info),
    )


def parse_employee(info: Obj) -> Employee:
    departments = tuple(
        EmployeeDepartment(req_str(d, "department_id"), opt_str(d, "department_name"))
        for d in obj_list(info, "department_list")
    )
    if not departments:  # some answers carry bare ids only
        departments = tuple(EmployeeDepartment(d, None) for d in str_list(info, "department_ids"))
    activate = opt_str(info, "activate")
    return Employee(
        employee_id=req_str(info, "employee_id"),
        name=opt_str(info, "employee_name"),
        mobile=opt_str(info, "mobile") or opt_str(info, "employee_mobile"),
        email=opt_str(info, "email") or opt_str(info, "employee_email"),
        employee_no=opt_str(info, "employee_no"),
        departments=departments,
        activate=activate,
        status=EmployeeStatus.from_activate(activate),
        user_id=opt_str(info, "user_id"),
        open_id=opt_str(info, "open_id"),
        label_names=str_list(info, "label_names"),
        role_list=str_list(info, "role_list"),
        gmt_create=opt_datetime(info, "gmt_create"),
        gmt_modified=opt_datetime(info, "gmt_modified"),
        raw=freeze(info),
    )


def parse_batch_result(resp: Obj) -> BatchResult:
    success = tuple(
        BatchEmployeeSuccess(
            employee_id=req_str(s, "employee_id"),
            name=opt_str(s, "employee_name"),
            mobile=opt_str(s, "employee_mobile"),
            email=opt_str(s, "employee_email"),
            employee_no=opt_str(s, "employee_no"),
        )
        for s in obj_list(resp, "employee_add_success_list")
    )
    failed = tuple(
        BatchEmployeeFailure(
            name=opt_str(f, "employee_name"),
            mobile=opt_str(f, "employee_mobile"),
            email=opt_str(f, "employee_email"),
            employee_no=opt_str(f, "employee_no"),
            reason=opt_str(f, "fail_reason"),
        )
        for f in obj_list(resp, "employee_add_fail_list")
    )
    return BatchResult(success=success, failed=failed, raw=freeze(resp))


def parse_condition(c: Obj) -> RuleCondition:
    return RuleCondition(
        rule_factor=req_str(c, "rule_factor"),
        rule_value=opt_str(c, "rule_value") or "",
        rule_operator=opt_str(c, "rule_operator"),
        rule_name=opt_str(c, "rule_name"),
        rule_id=opt_str(c, "rule_id"),
    )


def parse_expense_rule(s: Obj) -> ExpenseRule:
    conditions = obj_list(s, "standard_condition_info_list") or obj_list(
        s, "expense_ctrl_rule_info_list"
    )
    return ExpenseRule(
        standard_id=opt_str(s, "standard_id"),
        name=opt_str(s, "standard_name"),
        description=opt_str(s, "standard_desc"),
        outer_source_id=opt_str(s, "outer_source_id"),
        consume_mode=opt_str(s, "consume_mode"),
        payment_policy=opt_str(s, "payment_policy"),
        expense_type_sub_category=opt_str(s, "expense_type_sub_category"),
        conditions=tuple(parse_condition(c) for c in conditions),
        raw=freeze(s),
    )


def parse_issue_rule(r: Obj) -> IssueRule:
    return IssueRule(
        issue_rule_id=opt_str(r, "issue_rule_id"),
        name=opt_str(r, "issue_rule_name"),
        issue_type=opt_str(r, "issue_type"),
        quota_type=opt_str(r, "quota_type"),
        amount=yuan(r, "issue_amount_value"),
        start=opt_datetime(r, "issue_start_date"),
        end=opt_datetime(r, "issue_end_date"),
        effective_period=opt_str(r, "effective_period"),
        invalid_mode=opt_int(r, "invalid_mode"),
        invalid_mode_value=opt_str(r, "invalid_mode_value"),
        share_mode=opt_int(r, "share_mode"),
        target_id=opt_str(r, "target_id"),
        target_type=opt_str(r, "target_type"),
        outer_source_id=opt_str(r, "outer_source_id"),
        raw=freeze(r),
    )


def parse_institution_basic(i: Obj) -> InstitutionBasic:
    return InstitutionBasic(
        institution_id=req_str(i, "institution_id"),
        name=opt_str(i, "institution_name"),
        description=opt_str(i, "institution_desc"),
        enabled=opt_bool(i, "effective"),
        effective_start=opt_datetime(i, "effective_start_date"),
        effective_end=opt_datetime(i, "effective_end_date"),
        consult_mode=opt_str(i, "consult_mode"),
        currency=opt_str(i, "currency"),
        multi_employee_share_mode=opt_str(i, "multi_employee_share_mode"),
        raw=freeze(i),
    )


def parse_institution_detail(d: Obj) -> InstitutionDetail:
    # The detail answer documents both a list (standard_info_detail_list) and a single object
    # (standard_info_list); take whichever is present.
    standards = obj_list(d, "standard_info_detail_list") or obj_list(d, "standard_info_list")
    return InstitutionDetail(
        institution_id=req_str(d, "institution_id"),
        name=opt_str(d, "institution_name"),
        description=opt_str(d, "institution_desc"),
        expense_type=opt_str(d, "expense_type"),
        enabled=opt_bool(d, "effective"),
        effective_start=opt_datetime(d, "effective_start_date"),
        effective_end=opt_datetime(d, "effective_end_date"),
        adapter_type=opt_str(d, "adapter_type"),
        owner_type=opt_str(d, "owner_type"),
        owner_ids=str_list(d, "owner_id_list"),
        consult_mode=opt_str(d, "consult_mode"),
        currency=opt_str(d, "currency"),
        multi_employee_share_mode=opt_str(d, "multi_employee_share_mode"),
        outer_source_id=opt_str(d, "outer_source_id"),
        scene_type=opt_str(d, "scene_type"),
        rules=tuple(parse_expense_rule(s) for s in standards),
        issue_rules=tuple(parse_issue_rule(r) for r in obj_list(d, "issue_rule_info_list")),
        raw=freeze(d),
    )


def parse_quota_failure(f: Obj) -> QuotaCheckFailure:
    return QuotaCheckFailure(
        owner_id=opt_str(f, "owner_id") or opt_str(f, "owner_open_id"),
        owner_type=opt_str(f, "owner_type"),
        amount=yuan(f, "issue_quota"),
        message=opt_str(f, "message"),
    )


def parse_quota(q: Obj) -> Quota:
    zero = money.ZERO
    return Quota(
        quota_id=req_str(q, "quota_id"),
        owner_id=opt_str(q, "owner_id"),
        owner_type=opt_str(q, "owner_type"),
        owner_open_id=opt_str(q, "owner_open_id"),
        target_id=opt_str(q, "target_id"),
        target_type=opt_str(q, "target_type"),
        quota_type=opt_str(q, "quota_type"),
        total=fen(q, "quota_total", default=zero) or zero,
        available=fen(q, "quota_available", default=zero) or zero,
        used=fen(q, "quota_used", default=zero) or zero,
        locked=fen(q, "quota_locked"),
        currency=opt_str(q, "currency"),
        frozen=bool(opt_bool(q, "freeze")),
        valid_from=opt_datetime(q, "effective_start_date"),
        valid_to=opt_datetime(q, "effective_end_date"),
        enterprise_id=opt_str(q, "enterprise_id"),
        raw=freeze(q),
    )


def parse_bill(c: Obj) -> Bill:
    amount = _req_yuan(c, "consume_amount")
    enterprise_paid = yuan(c, "peer_pay_amount")
    if enterprise_paid is None:  # named p_pay_amount in Alipay's integration guide
        enterprise_paid = yuan(c, "p_pay_amount", default=money.ZERO)
    assert enterprise_paid is not None
    personal = max(money.ZERO, amount - enterprise_paid)
    return Bill(
        pay_no=req_str(c, "pay_no"),
        consume_type=opt_str(c, "consume_type"),
        employee_id=opt_str(c, "employee_id"),
        enterprise_id=opt_str(c, "enterprise_id"),
        amount=amount,
        enterprise_paid=enterprise_paid,
        personal_paid=personal,
        benefit=yuan(c, "benefit_amount", default=money.ZERO) or money.ZERO,
        refund_amount=yuan(c, "refund_amount", default=money.ZERO) or money.ZERO,
        refund_status=opt_str(c, "refund_status"),
        merchant_name=opt_str(c, "merchant_name"),
        merchant_id=opt_str(c, "merchant_id"),
        category=opt_str(c, "category_name"),
        consume_category=opt_str(c, "consume_category"),
        trade_time=opt_datetime(c, "gmt_receive_pay") or opt_datetime(c, "gmt_biz_create"),
        gmt_modified=opt_datetime(c, "gmt_modified"),
        related_pay_no=opt_str(c, "related_pay_no"),
        expense_rule_group_id=opt_str(c, "expense_rule_group_id"),
        expense_type=opt_str(c, "expense_type"),
        summary_apply_id=opt_str(c, "summary_apply_id"),
        voucher_id=opt_str(c, "voucher_id"),
        raw=freeze(c),
    )


def parse_voucher(v: Obj) -> Voucher:
    check = sub_obj(v, "invoice_compliance_check_result")
    return Voucher(
        voucher_id=opt_str(v, "voucher_id"),
        voucher_type=opt_str(v, "voucher_type"),
        voucher_source=opt_str(v, "voucher_source"),
        voucher_date=opt_datetime(v, "voucher_date"),
        voucher_content=opt_str(v, "voucher_content"),
        employee_id=opt_str(v, "employee_id"),
        enterprise_id=opt_str(v, "enterprise_id"),
        user_id=opt_str(v, "user_id") or opt_str(v, "open_id"),
        match_result_type=opt_str(check, "match_result_type"),
        raw=freeze(v),
    )


def parse_bill_detail(resp: Obj) -> BillDetail:
    consume = sub_obj(resp, "consume_info")
    if not consume:
        raise ValueError("consume_info: missing from the response")
    return BillDetail(
        bill=parse_bill(consume),
        refunds=tuple(parse_bill(r) for r in obj_list(resp, "related_refund_list")),
        vouchers=tuple(parse_voucher(v) for v in obj_list(resp, "related_voucher_list")),
        raw=freeze(resp),
    )


def dump_list(items: Sequence[str]) -> list[str]:
    return [str(i) for i in items]
