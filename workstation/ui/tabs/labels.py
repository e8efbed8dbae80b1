"""Chinese text for the codes and enum values the cache stores (services return data, not prose)."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping

from workstation.bills.models import BillStatus
from workstation.enterprise.models import EnterpriseStatus
from workstation.institutions.models import AdapterType, InstitutionStatus
from workstation.notifications.models import InboxStatus
from workstation.org.models import EmployeeStatus
from workstation.quotas.models import QuotaStatus

__all__ = ["ENUM_LABELS", "code_label", "enum_label"]

ENUM_LABELS: dict[enum.Enum, str] = {
    BillStatus.PAID: "已支付",
    BillStatus.REFUNDED: "已退款",
    BillStatus.CLOSED: "已关闭",
    EnterpriseStatus.REGISTERED: "已注册",
    EnterpriseStatus.SIGNED: "已签约",
    EnterpriseStatus.UNSIGNED: "已解约",
    EnterpriseStatus.DELETED: "已注销",
    EmployeeStatus.PENDING: "待激活",
    EmployeeStatus.ACTIVE: "已激活",
    EmployeeStatus.DELETED: "已删除",
    QuotaStatus.ACTIVE: "正常",
    QuotaStatus.FROZEN: "冻结",
    QuotaStatus.EXHAUSTED: "已用完",
    QuotaStatus.EXPIRED: "已过期",
    InstitutionStatus.ACTIVE: "启用",
    InstitutionStatus.INACTIVE: "停用",
    InstitutionStatus.DELETED: "已删除",
    AdapterType.EMPLOYEE_ALL: "全体员工",
    AdapterType.EMPLOYEE_SELECT: "指定员工",
    AdapterType.EMPLOYEE_DEPARTMENT: "指定部门",
    InboxStatus.RECEIVED: "已接收",
    InboxStatus.APPLIED: "已处理",
    InboxStatus.FAILED: "处理失败",
    InboxStatus.IGNORED: "已忽略",
}

# Alipay's string codes, per field.
CONSUME_TYPES = {"CONSUME": "消费", "REFUND": "退款"}
SIGN_STATUSES = {"SIGNED": "已签约", "UNSIGNED": "未签约"}
AUTH_STATUSES = {"AUTHED": "已授权", "UNAUTHED": "未授权"}
QUOTA_TYPES = {"CAP": "限额", "COUPON": "券"}
EXPENSE_TYPES = {"MEAL": "工作餐", "DEFAULT": "通用"}


def enum_label(value: enum.Enum) -> str:
    return ENUM_LABELS.get(value, str(value.value))


def code_label(labels: Mapping[str, str]) -> Callable[[object], str]:
    """A column formatter: the Chinese label of a known code, else the code itself."""

    def format_code(value: object) -> str:
        return "" if value is None else labels.get(str(value), str(value))

    return format_code
