"""付款码: the scan parameters and the pay-code jump link, built exactly as seed 000's
``PaymentService`` builds them, and the cache look-ups that choose their ids.

The seed's builder takes four ids. A clerk picks an employee and an institution; the rest comes
from the cache and the configuration:

=================  ==========================================================================
seed argument      where it comes from
=================  ==========================================================================
``payment_id``     the employee who pays (``t_employee.employee_id``)
``rule_group_id``  the chosen expense institution (``t_expense_institution.institution_id``)
``account_id``     the enterprise's joint account (共同账户ID); Alipay marks it deprecated and
                   asks new integrations to pass the enterprise id instead, so an enterprise
                   without one falls back to its enterprise id (reported as a note)
``isv_app_id``     our Alipay app id
=================  ==========================================================================

No Alipay call is involved (seed 000: "扫一扫/付款码跳转链接生成 | (本地生成,无支付宝API)"), so
everything here is a fast indexed read plus string building.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import Session

from workstation.enterprise.models import Enterprise
from workstation.errors import ValidationError
from workstation.institutions.models import (
    AdapterType,
    ExpenseInstitution,
    InstitutionMember,
    InstitutionStatus,
    MemberType,
)
from workstation.org.models import MAX_DEPARTMENT_DEPTH, Department, Employee, EmployeeStatus

__all__ = [
    "MAX_ID_LENGTH",
    "PAYMENT_CODE_URL_PREFIX",
    "EmployeeOption",
    "InstitutionOption",
    "PayCode",
    "PayCodeNote",
    "build_pay_code",
    "employee_option",
    "institution_options",
    "payment_code_params",
    "payment_code_url",
    "scan_params",
    "search_employees",
]

# Seed 000, generate_payment_code_url: the fixed part of the link, before the encoded JSON.
PAYMENT_CODE_URL_PREFIX = (
    "alipays://platformapi/startapp?appId=20000056"
    "&customBizCode=enterprisePayForThirdPart&customBizParams="
)
MAX_ID_LENGTH = 64  # every id column in the cache is String(64)

_ID_FIELDS = {
    "account_id": ("共同账户ID", "joint account id"),
    "rule_group_id": ("制度ID", "institution (rule group) id"),
    "payment_id": ("员工ID", "employee id"),
    "isv_app_id": ("应用ID", "app id"),
}


def _check_id(field: str, value: object) -> str:
    zh, en = _ID_FIELDS[field]
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(field, f"{zh}不能为空", f"the {en} is required", value)
    if len(value) > MAX_ID_LENGTH:
        raise ValidationError(
            field,
            f"{zh}不能超过 {MAX_ID_LENGTH} 个字符",
            f"the {en} must be at most {MAX_ID_LENGTH} characters",
            value,
        )
    return value


def scan_params(
    *, account_id: str, rule_group_id: str, payment_id: str, isv_app_id: str
) -> dict[str, str]:
    """Seed 000 ``PaymentService.generate_scan_params``: a flat dict of strings whose nested
    parts are JSON documents encoded *inside* the string values (``json.dumps`` with its default
    separators and ASCII escaping), in the seed's key order."""
    account_id = _check_id("account_id", account_id)
    rule_group_id = _check_id("rule_group_id", rule_group_id)
    payment_id = _check_id("payment_id", payment_id)
    isv_app_id = _check_id("isv_app_id", isv_app_id)
    return {
        "pdSubBizScene": "enterprisePay",
        "specifiedEnableChannelInfo": json.dumps(
            {
                "enableScene": "agreementpay",
                "assetInfo": {
                    "instId": "INST_ALIPAY",
                    "assetId": account_id,
                    "assetTypeCode": "ENTERPRISEPAY",
                    "assetType": "ENTERPRISEPAYASSET",
                },
            }
        ),
        "assignJointAccountId": account_id,
        "identityPayBizInfo": json.dumps(
            {
                "identityPaySubBizScene": "ISV_PAY",
                "bizGroupId": account_id,
                "groupId": account_id,
                "identityPayBizScene": "ENTERPRISE_CODE",
            }
        ),
        "CHANNEL_INDEX": '["ENTERPRISEPAYASSET_DC_ENTERPRISEPAY_DEFAULT"]',
        "enterprise_pay_info": json.dumps({"paymentId": payment_id, "ruleGroupId": rule_group_id}),
        "sourcePlatformInfo": json.dumps(
            {"paymentId": payment_id, "ruleGroupId": rule_group_id, "isvAppId": isv_app_id}
        ),
    }


def payment_code_params(
    *, account_id: str, rule_group_id: str, payment_id: str, isv_app_id: str
) -> dict[str, str]:
    """The scan parameters plus ``channelMode``, as the pay-code link carries them."""
    params = scan_params(
        account_id=account_id,
        rule_group_id=rule_group_id,
        payment_id=payment_id,
        isv_app_id=isv_app_id,
    )
    params["channelMode"] = "NONE_CHANNEL_MODE"
    return params


def payment_code_url(
    *, account_id: str, rule_group_id: str, payment_id: str, isv_app_id: str
) -> str:
    """Seed 000 ``PaymentService.generate_payment_code_url``: the whole parameter dict as one
    JSON document, percent-encoded once with nothing kept safe, appended to the fixed prefix."""
    params = payment_code_params(
        account_id=account_id,
        rule_group_id=rule_group_id,
        payment_id=payment_id,
        isv_app_id=isv_app_id,
    )
    return PAYMENT_CODE_URL_PREFIX + quote(json.dumps(params), safe="")


# ---------------------------------------------------------------------------------------------
# Choosing the ids from the cache


@dataclass(frozen=True)
class EmployeeOption:
    employee_id: str
    name: str
    employee_no: str | None
    department_id: str | None
    department_name: str | None
    status: EmployeeStatus
    enterprise_id: str


@dataclass(frozen=True)
class InstitutionOption:
    institution_id: str
    name: str
    adapter_type: AdapterType
    # False when the cache holds no member rows for an institution that lists its members:
    # the scope was never synced (or is empty), so it cannot rule the employee out.
    scope_known: bool


class PayCodeNote(enum.Enum):
    """Things a clerk should know about a code that was built anyway."""

    SCOPE_UNKNOWN = "scope_unknown"  # the institution's members are not in the cache
    ACCOUNT_IS_ENTERPRISE_ID = "account_is_enterprise_id"  # no joint account id cached


@dataclass(frozen=True)
class PayCode:
    employee: EmployeeOption
    institution: InstitutionOption
    enterprise_name: str
    account_id: str
    isv_app_id: str
    params: tuple[tuple[str, str], ...]  # the link's parameters, in the seed's order
    url: str
    notes: frozenset[PayCodeNote]


_EMPLOYEE_COLUMNS = (
    Employee.employee_id,
    Employee.name,
    Employee.employee_no,
    Employee.department_id,
    Department.name,
    Employee.status,
    Employee.enterprise_id,
)


def _employee_query() -> Select[str, str, str | None, str | None, str, EmployeeStatus, str]:
    return (
        select(*_EMPLOYEE_COLUMNS)
        .outerjoin(Department, Department.department_id == Employee.department_id)
        .where(Employee.deleted == false(), Employee.status != EmployeeStatus.DELETED)
    )


def _employee_of(row: Sequence[object]) -> EmployeeOption:
    employee_id, name, employee_no, department_id, department_name, status, enterprise_id = row
    return EmployeeOption(
        employee_id=str(employee_id),
        name=str(name),
        employee_no=None if employee_no is None else str(employee_no),
        department_id=None if department_id is None else str(department_id),
        department_name=None if department_name is None else str(department_name),
        status=status,  # type: ignore[arg-type]
        enterprise_id=str(enterprise_id),
    )


def search_employees(session: Session, text: str = "", limit: int = 50) -> list[EmployeeOption]:
    """Employees (not deleted) whose name, number, phone or id contains ``text``, by name.

    Pending employees are listed too, so a clerk who looks for one learns why no code can be
    made for them instead of not finding them."""
    query = _employee_query()
    needle = text.strip()
    if needle:
        query = query.where(
            or_(
                Employee.name.contains(needle, autoescape=True),
                Employee.employee_no.contains(needle, autoescape=True),
                Employee.phone.contains(needle, autoescape=True),
                Employee.employee_id.contains(needle, autoescape=True),
            )
        )
    rows = session.execute(query.order_by(Employee.name, Employee.employee_id).limit(limit))
    return [_employee_of(row) for row in rows]


def employee_option(session: Session, employee_id: str) -> EmployeeOption | None:
    row = session.execute(_employee_query().where(Employee.employee_id == employee_id)).first()
    return None if row is None else _employee_of(row)


def _department_chain(session: Session, department_id: str | None) -> list[str]:
    """The employee's department and every department above it (a department member covers
    its sub-departments)."""
    chain: list[str] = []
    current = department_id
    while current and current not in chain and len(chain) < MAX_DEPARTMENT_DEPTH:
        chain.append(current)
        current = session.execute(
            select(Department.parent_id).where(Department.department_id == current)
        ).scalar_one_or_none()
    return chain


def institution_options(session: Session, employee_id: str) -> list[InstitutionOption]:
    """Active institutions whose scope covers the employee, plus those whose scope the cache
    does not know (``scope_known=False``), by name."""
    employee = employee_option(session, employee_id)
    if employee is None:
        return []
    departments = _department_chain(session, employee.department_id)
    institutions = session.execute(
        select(
            ExpenseInstitution.institution_id,
            ExpenseInstitution.name,
            ExpenseInstitution.adapter_type,
        )
        .where(
            ExpenseInstitution.deleted == false(),
            ExpenseInstitution.status == InstitutionStatus.ACTIVE,
            ExpenseInstitution.enterprise_id == employee.enterprise_id,
        )
        .order_by(ExpenseInstitution.name, ExpenseInstitution.institution_id)
    ).all()
    with_members = set(
        session.execute(select(InstitutionMember.institution_id).distinct()).scalars()
    )
    covering = set(
        session.execute(
            select(InstitutionMember.institution_id).where(
                or_(
                    (InstitutionMember.member_type == MemberType.EMPLOYEE)
                    & (InstitutionMember.employee_id == employee_id),
                    (InstitutionMember.member_type == MemberType.DEPARTMENT)
                    & InstitutionMember.department_id.in_(departments),
                )
            )
        ).scalars()
    )
    options: list[InstitutionOption] = []
    for institution_id, name, adapter in institutions:
        everyone = adapter is AdapterType.EMPLOYEE_ALL
        known = everyone or institution_id in with_members
        if everyone or institution_id in covering or not known:
            options.append(InstitutionOption(institution_id, name, adapter, scope_known=known))
    return options


def build_pay_code(
    session: Session, *, employee_id: str, institution_id: str, isv_app_id: str
) -> PayCode:
    """The pay code for one employee under one institution, checked against the cache.

    Raises :class:`ValidationError` naming ``employee_id``, ``institution_id`` or ``isv_app_id``
    when one is missing, unknown, not active or (for the institution) does not cover the
    employee."""
    if not employee_id:
        raise ValidationError("employee_id", "请选择员工", "choose an employee", employee_id)
    if not institution_id:
        raise ValidationError(
            "institution_id", "请选择费控制度", "choose an expense institution", institution_id
        )
    if not isv_app_id:
        raise ValidationError(
            "isv_app_id",
            "尚未配置支付宝应用ID，请在“设置”中填写",
            "no Alipay app id is configured: fill it in under Settings",
            isv_app_id,
        )
    employee = employee_option(session, employee_id)
    if employee is None:
        raise ValidationError(
            "employee_id", "员工不存在或已删除", "no such employee (or deleted)", employee_id
        )
    if employee.status is not EmployeeStatus.ACTIVE:
        raise ValidationError(
            "employee_id",
            f"员工“{employee.name}”尚未激活企业码，不能生成付款码",
            f"employee {employee.name!r} has not activated Enterprise Code yet",
            employee_id,
        )
    status = session.execute(
        select(ExpenseInstitution.status).where(
            ExpenseInstitution.institution_id == institution_id,
            ExpenseInstitution.deleted == false(),
        )
    ).scalar_one_or_none()
    if status is None:
        raise ValidationError(
            "institution_id",
            "费控制度不存在或已删除",
            "no such expense institution (or deleted)",
            institution_id,
        )
    if status is not InstitutionStatus.ACTIVE:
        raise ValidationError(
            "institution_id",
            "费控制度未启用",
            "the expense institution is not active",
            institution_id,
        )
    institution = next(
        (
            o
            for o in institution_options(session, employee_id)
            if o.institution_id == institution_id
        ),
        None,
    )
    if institution is None:
        raise ValidationError(
            "institution_id",
            f"员工“{employee.name}”不在该制度的适用范围内",
            f"employee {employee.name!r} is not in this institution's scope",
            institution_id,
        )
    notes: set[PayCodeNote] = set()
    if not institution.scope_known:
        notes.add(PayCodeNote.SCOPE_UNKNOWN)
    enterprise = session.execute(
        select(Enterprise.name, Enterprise.account_id).where(
            Enterprise.enterprise_id == employee.enterprise_id
        )
    ).first()
    enterprise_name = enterprise[0] if enterprise is not None else ""
    account_id = enterprise[1] if enterprise is not None else None
    if not account_id:
        account_id = employee.enterprise_id
        notes.add(PayCodeNote.ACCOUNT_IS_ENTERPRISE_ID)
    ids = {
        "account_id": account_id,
        "rule_group_id": institution_id,
        "payment_id": employee_id,
        "isv_app_id": isv_app_id,
    }
    params = payment_code_params(**ids)
    return PayCode(
        employee=employee,
        institution=institution,
        enterprise_name=enterprise_name,
        account_id=account_id,
        isv_app_id=isv_app_id,
        params=tuple(params.items()),
        url=payment_code_url(**ids),
        notes=frozenset(notes),
    )
