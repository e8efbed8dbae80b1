"""Chinese text for the codes and enum values the cache stores (services return data, not prose)."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping

from PySide6.QtCore import QCoreApplication

from workstation.bills.models import BillStatus
from workstation.enterprise.models import EnterpriseStatus
from workstation.institutions.models import AdapterType, InstitutionStatus
from workstation.notifications.models import InboxStatus
from workstation.org.models import EmployeeStatus
from workstation.quotas.models import QuotaStatus
from workstation.ui.marks import QT_TRANSLATE_NOOP

__all__ = ["ENUM_LABELS", "code_label", "enum_label"]


# Labels are marked for Qt Linguist (context "labels") and translated when shown.
ENUM_LABELS: dict[enum.Enum, str] = {
    BillStatus.PAID: QT_TRANSLATE_NOOP("labels", "已支付"),
    BillStatus.REFUNDED: QT_TRANSLATE_NOOP("labels", "已退款"),
    BillStatus.CLOSED: QT_TRANSLATE_NOOP("labels", "已关闭"),
    EnterpriseStatus.REGISTERED: QT_TRANSLATE_NOOP("labels", "已注册"),
    EnterpriseStatus.SIGNED: QT_TRANSLATE_NOOP("labels", "已签约"),
    EnterpriseStatus.UNSIGNED: QT_TRANSLATE_NOOP("labels", "已解约"),
    EnterpriseStatus.DELETED: QT_TRANSLATE_NOOP("labels", "已注销"),
    EmployeeStatus.PENDING: QT_TRANSLATE_NOOP("labels", "待激活"),
    EmployeeStatus.ACTIVE: QT_TRANSLATE_NOOP("labels", "已激活"),
    EmployeeStatus.DELETED: QT_TRANSLATE_NOOP("labels", "已删除"),
    QuotaStatus.ACTIVE: QT_TRANSLATE_NOOP("labels", "正常"),
    QuotaStatus.FROZEN: QT_TRANSLATE_NOOP("labels", "冻结"),
    QuotaStatus.EXHAUSTED: QT_TRANSLATE_NOOP("labels", "已用完"),
    QuotaStatus.EXPIRED: QT_TRANSLATE_NOOP("labels", "已过期"),
    InstitutionStatus.ACTIVE: QT_TRANSLATE_NOOP("labels", "启用"),
    InstitutionStatus.INACTIVE: QT_TRANSLATE_NOOP("labels", "停用"),
    InstitutionStatus.DELETED: QT_TRANSLATE_NOOP("labels", "已删除"),
    AdapterType.EMPLOYEE_ALL: QT_TRANSLATE_NOOP("labels", "全体员工"),
    AdapterType.EMPLOYEE_SELECT: QT_TRANSLATE_NOOP("labels", "指定员工"),
    AdapterType.EMPLOYEE_DEPARTMENT: QT_TRANSLATE_NOOP("labels", "指定部门"),
    InboxStatus.RECEIVED: QT_TRANSLATE_NOOP("labels", "已接收"),
    InboxStatus.APPLIED: QT_TRANSLATE_NOOP("labels", "已处理"),
    InboxStatus.FAILED: QT_TRANSLATE_NOOP("labels", "处理失败"),
    InboxStatus.IGNORED: QT_TRANSLATE_NOOP("labels", "已忽略"),
}

# Alipay's string codes, per field.
CONSUME_TYPES = {
    "CONSUME": QT_TRANSLATE_NOOP("labels", "消费"),
    "REFUND": QT_TRANSLATE_NOOP("labels", "退款"),
}
SIGN_STATUSES = {
    "SIGNED": QT_TRANSLATE_NOOP("labels", "已签约"),
    "UNSIGNED": QT_TRANSLATE_NOOP("labels", "未签约"),
}
AUTH_STATUSES = {
    "AUTHED": QT_TRANSLATE_NOOP("labels", "已授权"),
    "UNAUTHED": QT_TRANSLATE_NOOP("labels", "未授权"),
}
QUOTA_TYPES = {
    "CAP": QT_TRANSLATE_NOOP("labels", "限额"),
    "COUPON": QT_TRANSLATE_NOOP("labels", "券"),
}
EXPENSE_TYPES = {
    "MEAL": QT_TRANSLATE_NOOP("labels", "工作餐"),
    "DEFAULT": QT_TRANSLATE_NOOP("labels", "通用"),
}


def _t(text: str) -> str:
    return QCoreApplication.translate("labels", text)


def enum_label(value: enum.Enum) -> str:
    label = ENUM_LABELS.get(value)
    return _t(label) if label is not None else str(value.value)


def code_label(labels: Mapping[str, str]) -> Callable[[object], str]:
    """A column formatter: the Chinese label of a known code, else the code itself."""

    def format_code(value: object) -> str:
        if value is None:
            return ""
        label = labels.get(str(value))
        return _t(label) if label is not None else str(value)

    return format_code
