"""Frozen results (and a few inputs) of the Alipay gateway.

Money is ``Decimal`` yuan everywhere, whatever unit Alipay used on the wire. Times are naive
``datetime`` in Beijing time, as Alipay sends them. ``raw`` keeps the whole response object for
fields this module does not model yet (excluded from equality and hashing).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import Enum, StrEnum
from types import MappingProxyType
from typing import Any, Generic, TypeVar

__all__ = [
    "BatchEmployeeFailure",
    "BatchEmployeeSuccess",
    "BatchResult",
    "Bill",
    "BillDetail",
    "Department",
    "Employee",
    "EmployeeAdded",
    "EmployeeDepartment",
    "EmployeeStatus",
    "Enterprise",
    "ExpenseRule",
    "ExpenseRuleSpec",
    "InstitutionBasic",
    "InstitutionCreated",
    "InstitutionDetail",
    "Invite",
    "IssueRule",
    "IssueRuleSpec",
    "NewEmployee",
    "Page",
    "Quota",
    "QuotaAction",
    "QuotaCheckFailure",
    "QuotaCreated",
    "RegisterInvite",
    "RuleCondition",
    "Voucher",
]

T = TypeVar("T")

_EMPTY: Mapping[str, Any] = MappingProxyType({})


def _empty() -> Mapping[str, Any]:
    return _EMPTY


def _raw() -> Mapping[str, Any]:
    return field(default_factory=_empty, repr=False, compare=False, hash=False)


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a paged query; ``total_pages``/``total_count`` are None if Alipay omits them."""

    items: tuple[T, ...]
    page_num: int
    page_size: int
    total_pages: int | None = None
    total_count: int | None = None

    @property
    def has_next(self) -> bool:
        if not self.items:
            return False
        if self.total_pages is not None:
            return self.page_num < self.total_pages
        return len(self.items) >= self.page_size


# --- enterprise -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterInvite:
    pc_invite_url: str
    expire_time: datetime | None
    raw: Mapping[str, Any] = _raw()


@dataclass(frozen=True)
class Enterprise:
    enterprise_id: str
    enterprise_name: str | None
    enterprise_alias: str | None
    enterprise_code: str | None  # 统一社会信用代码
    enterprise_email: str | None
    account_id: str | None
    activate: str | None  # 因公签约状态 ACTIVATED / UNACTIVATED
    auth_level: str | None
    auth_status: str | None  # NO_AUTH / IN_AUTH / HAS_AUTH
    auth_time: datetime | None
    sign_status: str | None
    status: str | None
    out_biz_no: str | None
    gmt_create: datetime | None
    gmt_modified: datetime | None
    raw: Mapping[str, Any] = _raw()


# --- department -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Department:
    department_id: str
    name: str | None
    code: str | None
    parent_id: str | None  # "-1" for the root department
    charge_employee_id: str | None
    gmt_create: datetime | None
    gmt_modified: datetime | None
    raw: Mapping[str, Any] = _raw()


# --- employee ---------------------------------------------------------------------------------


class EmployeeStatus(Enum):
    """Derived from ``activate``: whether the employee signed 因公付 and can pay."""

    ACTIVATED = "ACTIVATED"
    ACTIVATING = "ACTIVATING"
    UNACTIVATED = "UNACTIVATED"
    UNKNOWN = "UNKNOWN"

    @classmethod
    def from_activate(cls, value: object) -> EmployeeStatus:
        text = str(value).strip().upper() if value is not None else ""
        if text in {"ACTIVATED", "ACTIVE", "Y", "TRUE", "1"}:
            return cls.ACTIVATED
        if text in {"ACTIVATING"}:
            return cls.ACTIVATING
        if text in {"UNACTIVATED", "INACTIVE", "NOT_ACTIVATED", "N", "FALSE", "0"}:
            return cls.UNACTIVATED
        return cls.UNKNOWN


@dataclass(frozen=True)
class NewEmployee:
    """Input row of :meth:`AlipayGateway.batch_create_employees`."""

    name: str
    mobile: str | None = None
    email: str | None = None
    department_ids: tuple[str, ...] = ()
    employee_no: str | None = None


@dataclass(frozen=True)
class EmployeeAdded:
    employee_id: str
    sign_url: str | None
    share_code: str | None
    raw: Mapping[str, Any] = _raw()


@dataclass(frozen=True)
class BatchEmployeeSuccess:
    employee_id: str
    name: str | None
    mobile: str | None
    email: str | None
    employee_no: str | None


@dataclass(frozen=True)
class BatchEmployeeFailure:
    name: str | None
    mobile: str | None
    email: str | None
    employee_no: str | None
    reason: str | None


@dataclass(frozen=True)
class BatchResult:
    success: tuple[BatchEmployeeSuccess, ...]
    failed: tuple[BatchEmployeeFailure, ...]
    raw: Mapping[str, Any] = _raw()


@dataclass(frozen=True)
class EmployeeDepartment:
    department_id: str
    name: str | None


@dataclass(frozen=True)
class Employee:
    employee_id: str
    name: str | None
    mobile: str | None
    email: str | None
    employee_no: str | None
    departments: tuple[EmployeeDepartment, ...]
    activate: str | None
    status: EmployeeStatus
    user_id: str | None
    open_id: str | None
    label_names: tuple[str, ...]
    role_list: tuple[str, ...]
    gmt_create: datetime | None
    gmt_modified: datetime | None
    raw: Mapping[str, Any] = _raw()

    @property
    def department_ids(self) -> tuple[str, ...]:
        return tuple(d.department_id for d in self.departments)


@dataclass(frozen=True)
class Invite:
    sign_url: str | None
    mini_app_sign_url: str | None
    share_code: str | None
    raw: Mapping[str, Any] = _raw()


# --- institutions and rules -------------------------------------------------------------------


@dataclass(frozen=True)
class RuleCondition:
    """One condition of an expense rule, e.g. ``RuleCondition("QUOTA_DAY", "100")``."""

    rule_factor: str
    rule_value: str
    rule_operator: str | None = None
    rule_name: str | None = None
    rule_id: str | None = None


@dataclass(frozen=True)
class ExpenseRuleSpec:
    """Input: a use rule created together with an institution."""

    name: str
    conditions: tuple[RuleCondition, ...]
    description: str | None = None
    outer_source_id: str | None = None
    consume_mode: str | None = None
    payment_policy: str | None = None
    expense_type_sub_category: str | None = None


@dataclass(frozen=True)
class IssueRuleSpec:
    """Input: an issue (发放) rule created together with an institution. Amount in yuan."""

    name: str
    amount: Decimal
    issue_type: str  # e.g. ISSUE_MONTH / ISSUE_DAY
    quota_type: str = "CAP"  # CAP (余额) / COUPON (点券)
    start: datetime | None = None
    end: datetime | None = None
    invalid_mode: int = 0
    share_mode: int = 0
    outer_source_id: str | None = None


@dataclass(frozen=True)
class ExpenseRule:
    standard_id: str | None
    name: str | None
    description: str | None
    outer_source_id: str | None
    consume_mode: str | None
    payment_policy: str | None
    expense_type_sub_category: str | None
    conditions: tuple[RuleCondition, ...]
    raw: Mapping[str, Any] = _raw()


@dataclass(frozen=True)
class IssueRule:
    issue_rule_id: str | None
    name: str | None
    issue_type: str | None
    quota_type: str | None
    amount: Decimal | None  # issue_amount_value, yuan
    start: datetime | None
    end: datetime | None
    effective_period: str | None
    invalid_mode: int | None
    invalid_mode_value: str | None
    share_mode: int | None
    target_id: str | None
    target_type: str | None
    outer_source_id: str | None
    raw: Mapping[str, Any] = _raw()


@dataclass(frozen=True)
class InstitutionCreated:
    institution_id: str
    standard_ids: Mapping[str, str]  # outer_source_id → standard_id
    issue_rule_ids: Mapping[str, str]  # outer_source_id → issue_rule_id
    raw: Mapping[str, Any] = _raw()


@dataclass(frozen=True)
class InstitutionBasic:
    institution_id: str
    name: str | None
    description: str | None
    enabled: bool | None  # effective "1"/"0"
    effective_start: datetime | None
    effective_end: datetime | None
    consult_mode: str | None
    currency: str | None
    multi_employee_share_mode: str | None
    raw: Mapping[str, Any] = _raw()


@dataclass(frozen=True)
class InstitutionDetail:
    institution_id: str
    name: str | None
    description: str | None
    expense_type: str | None
    enabled: bool | None
    effective_start: datetime | None
    effective_end: datetime | None
    adapter_type: str | None  # EMPLOYEE_ALL / EMPLOYEE_SELECT / EMPLOYEE_DEPARTMENT
    owner_type: str | None
    owner_ids: tuple[str, ...]
    consult_mode: str | None
    currency: str | None
    multi_employee_share_mode: str | None
    outer_source_id: str | None
    scene_type: str | None
    rules: tuple[ExpenseRule, ...]
    issue_rules: tuple[IssueRule, ...]
    raw: Mapping[str, Any] = _raw()


# --- quotas -----------------------------------------------------------------------------------


class QuotaAction(StrEnum):
    """``quota.modify`` actions (from the official .NET SDK's model description)."""

    ADD = "ADD"
    DEDUCT = "DEDUCT"
    UPDATE_BALANCE = "UPDATE_BALANCE"
    ENABLE = "ENABLE"
    DISABLE = "DISABLE"


@dataclass(frozen=True)
class QuotaCheckFailure:
    owner_id: str | None
    owner_type: str | None
    amount: Decimal | None
    message: str | None


@dataclass(frozen=True)
class QuotaCreated:
    quota_id: str | None  # None when every target failed its check
    issue_batch_id: str | None
    failed: tuple[QuotaCheckFailure, ...]
    raw: Mapping[str, Any] = _raw()


@dataclass(frozen=True)
class Quota:
    quota_id: str
    owner_id: str | None
    owner_type: str | None
    owner_open_id: str | None
    target_id: str | None  # institution id when target_type == INSTITUTION
    target_type: str | None
    quota_type: str | None
    total: Decimal  # Alipay sends fen; converted to yuan
    available: Decimal
    used: Decimal
    locked: Decimal | None
    currency: str | None
    frozen: bool
    valid_from: datetime | None
    valid_to: datetime | None
    enterprise_id: str | None
    raw: Mapping[str, Any] = _raw()


# --- bills and vouchers -----------------------------------------------------------------------


@dataclass(frozen=True)
class Voucher:
    voucher_id: str | None
    voucher_type: str | None
    voucher_source: str | None
    voucher_date: datetime | None
    voucher_content: str | None
    employee_id: str | None
    enterprise_id: str | None
    user_id: str | None
    match_result_type: str | None  # 0 fuzzy / 1 exact bill match
    raw: Mapping[str, Any] = _raw()


@dataclass(frozen=True)
class Bill:
    pay_no: str
    consume_type: str | None  # CONSUME / REFUND / TRANSFER
    employee_id: str | None
    enterprise_id: str | None
    amount: Decimal  # consume_amount
    enterprise_paid: Decimal  # peer_pay_amount
    personal_paid: Decimal  # amount - enterprise_paid, never negative
    benefit: Decimal  # benefit_amount
    refund_amount: Decimal
    refund_status: str | None
    merchant_name: str | None
    merchant_id: str | None
    category: str | None  # category_name, e.g. 餐饮
    consume_category: str | None  # the employee's own bookkeeping class (cater, trip, …)
    trade_time: datetime | None  # gmt_receive_pay, else gmt_biz_create
    gmt_modified: datetime | None
    related_pay_no: str | None  # refund → original consume bill
    expense_rule_group_id: str | None
    expense_type: str | None
    summary_apply_id: str | None
    voucher_id: str | None
    raw: Mapping[str, Any] = _raw()


@dataclass(frozen=True)
class BillDetail:
    bill: Bill
    refunds: tuple[Bill, ...]
    vouchers: tuple[Voucher, ...]
    raw: Mapping[str, Any] = _raw()
