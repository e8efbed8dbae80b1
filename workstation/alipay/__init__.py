"""The only door to Alipay: typed, verified, retrying calls to the Enterprise Code APIs.

No Qt, no database. Blocking: call from worker threads.

Names load lazily: ``workstation.alipay.errors`` (wanted by the window to word errors) must not
pull in the Alipay SDK and its crypto, which the gateway module needs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workstation.alipay.errors import (
        AlipayError,
        AlipayGatewayError,
        AlipayProtocolError,
        AlipaySignatureError,
        AlipayTlsError,
        AlipayUnavailable,
    )
    from workstation.alipay.gateway import AlipayGateway, GatewayConfig, backoff_delay
    from workstation.alipay.transport import HttpTransport, Transport, TransportError
    from workstation.alipay.types import (
        BatchEmployeeFailure,
        BatchEmployeeSuccess,
        BatchResult,
        Bill,
        BillDetail,
        Department,
        Employee,
        EmployeeAdded,
        EmployeeDepartment,
        EmployeeStatus,
        Enterprise,
        ExpenseRule,
        ExpenseRuleSpec,
        InstitutionBasic,
        InstitutionCreated,
        InstitutionDetail,
        Invite,
        IssueRule,
        IssueRuleSpec,
        NewEmployee,
        Page,
        Quota,
        QuotaAction,
        QuotaCheckFailure,
        QuotaCreated,
        RegisterInvite,
        RuleCondition,
        Voucher,
    )

__all__ = [
    "AlipayError",
    "AlipayGateway",
    "AlipayGatewayError",
    "AlipayProtocolError",
    "AlipaySignatureError",
    "AlipayTlsError",
    "AlipayUnavailable",
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
    "GatewayConfig",
    "HttpTransport",
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
    "Transport",
    "TransportError",
    "Voucher",
    "backoff_delay",
]

_MODULES = {
    "AlipayError": "workstation.alipay.errors",
    "AlipayGatewayError": "workstation.alipay.errors",
    "AlipayProtocolError": "workstation.alipay.errors",
    "AlipaySignatureError": "workstation.alipay.errors",
    "AlipayTlsError": "workstation.alipay.errors",
    "AlipayUnavailable": "workstation.alipay.errors",
    "AlipayGateway": "workstation.alipay.gateway",
    "GatewayConfig": "workstation.alipay.gateway",
    "backoff_delay": "workstation.alipay.gateway",
    "HttpTransport": "workstation.alipay.transport",
    "Transport": "workstation.alipay.transport",
    "TransportError": "workstation.alipay.transport",
    "BatchEmployeeFailure": "workstation.alipay.types",
    "BatchEmployeeSuccess": "workstation.alipay.types",
    "BatchResult": "workstation.alipay.types",
    "Bill": "workstation.alipay.types",
    "BillDetail": "workstation.alipay.types",
    "Department": "workstation.alipay.types",
    "Employee": "workstation.alipay.types",
    "EmployeeAdded": "workstation.alipay.types",
    "EmployeeDepartment": "workstation.alipay.types",
    "EmployeeStatus": "workstation.alipay.types",
    "Enterprise": "workstation.alipay.types",
    "ExpenseRule": "workstation.alipay.types",
    "ExpenseRuleSpec": "workstation.alipay.types",
    "InstitutionBasic": "workstation.alipay.types",
    "InstitutionCreated": "workstation.alipay.types",
    "InstitutionDetail": "workstation.alipay.types",
    "Invite": "workstation.alipay.types",
    "IssueRule": "workstation.alipay.types",
    "IssueRuleSpec": "workstation.alipay.types",
    "NewEmployee": "workstation.alipay.types",
    "Page": "workstation.alipay.types",
    "Quota": "workstation.alipay.types",
    "QuotaAction": "workstation.alipay.types",
    "QuotaCheckFailure": "workstation.alipay.types",
    "QuotaCreated": "workstation.alipay.types",
    "RegisterInvite": "workstation.alipay.types",
    "RuleCondition": "workstation.alipay.types",
    "Voucher": "workstation.alipay.types",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
