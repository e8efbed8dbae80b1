"""An institution's use rules, each with its conditions in plain words."""

from __future__ import annotations

import contextlib
import enum
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from workstation.alipay.types import RuleCondition
from workstation.institutions.service import RuleView
from workstation.money import MoneyError, format_money, parse
from workstation.ui.marks import QT_TRANSLATE_NOOP
from workstation.ui.models.institution_paging import ROW_ROLE, SORT_ROLE
from workstation.ui.models.list_model import ListTableModel

__all__ = ["ExpenseRuleColumn", "ExpenseRuleModel", "describe_condition", "describe_rule"]

_CONTEXT = "ExpenseRuleModel"
_Index = QModelIndex | QPersistentModelIndex


class ExpenseRuleColumn(enum.IntEnum):
    NAME = 0
    CONDITIONS = 1
    DESCRIPTION = 2
    RULE_ID = 3


_HEADERS = {
    ExpenseRuleColumn.NAME: QT_TRANSLATE_NOOP("ExpenseRuleModel", "规则名称"),
    ExpenseRuleColumn.CONDITIONS: QT_TRANSLATE_NOOP("ExpenseRuleModel", "使用条件"),
    ExpenseRuleColumn.DESCRIPTION: QT_TRANSLATE_NOOP("ExpenseRuleModel", "说明"),
    ExpenseRuleColumn.RULE_ID: QT_TRANSLATE_NOOP("ExpenseRuleModel", "规则ID"),
}
# factor → phrase; "%1" is the value
_PHRASES = {
    "QUOTA_DAY": QT_TRANSLATE_NOOP("ExpenseRuleModel", "每日限额 %1"),
    "QUOTA_WEEK": QT_TRANSLATE_NOOP("ExpenseRuleModel", "每周限额 %1"),
    "QUOTA_MONTH": QT_TRANSLATE_NOOP("ExpenseRuleModel", "每月限额 %1"),
    "QUOTA_TOTAL": QT_TRANSLATE_NOOP("ExpenseRuleModel", "累计限额 %1"),
    "SINGLE_LIMIT": QT_TRANSLATE_NOOP("ExpenseRuleModel", "单笔限额 %1"),
    "ALARM_CLOCK_TIME": QT_TRANSLATE_NOOP("ExpenseRuleModel", "可用时段 %1"),
    "MERCHANT": QT_TRANSLATE_NOOP("ExpenseRuleModel", "限定商户 %1"),
    "MEAL_MERCHANT": QT_TRANSLATE_NOOP("ExpenseRuleModel", "限定餐饮商户 %1"),
    "SHOP": QT_TRANSLATE_NOOP("ExpenseRuleModel", "限定门店 %1"),
    "MCC": QT_TRANSLATE_NOOP("ExpenseRuleModel", "商户类别 %1"),
    "EFFECTIVE_DATE": QT_TRANSLATE_NOOP("ExpenseRuleModel", "有效期 %1"),
}
_AMOUNTS = {"QUOTA_DAY", "QUOTA_WEEK", "QUOTA_MONTH", "QUOTA_TOTAL", "SINGLE_LIMIT"}
_LISTS = {"MERCHANT", "MEAL_MERCHANT", "SHOP", "MCC"}
_SHOWN_ITEMS = 3


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def describe_condition(c: RuleCondition) -> str:
    """ "每日限额 ¥60.00", "可用时段 11:00-14:00", "限定商户 A、B 等5个"…"""
    factor = c.rule_factor.upper()
    value = c.rule_value
    if factor in _AMOUNTS:
        with contextlib.suppress(MoneyError):
            value = format_money(parse(value, round_half_up=True))
    elif factor in _LISTS:
        items = [v.strip() for v in value.split(",") if v.strip()]
        value = "、".join(items[:_SHOWN_ITEMS])
        if len(items) > _SHOWN_ITEMS:
            value += QCoreApplication.translate("ExpenseRuleModel", " 等%1个").replace(
                "%1", str(len(items))
            )
    elif factor == "ALARM_CLOCK_TIME":
        value = "、".join(v.strip() for v in value.split(","))
    elif factor == "EFFECTIVE_DATE":
        value = value.replace("~", " 至 ")
    phrase = _PHRASES.get(factor)
    if phrase is None:
        return f"{c.rule_name or c.rule_factor} {c.rule_value}"
    return _tr(phrase).replace("%1", value)


def describe_rule(rule: RuleView) -> str:
    return "；".join(describe_condition(c) for c in rule.conditions)


class ExpenseRuleModel(ListTableModel[RuleView]):
    context = _CONTEXT
    headers = _HEADERS

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not self.checkIndex(index):
            return None
        rule = self._rows[index.row()]
        column = ExpenseRuleColumn(index.column())
        if role == ROW_ROLE:
            return rule
        values = {
            ExpenseRuleColumn.NAME: rule.name or "",
            ExpenseRuleColumn.CONDITIONS: describe_rule(rule),
            ExpenseRuleColumn.DESCRIPTION: rule.description or "",
            ExpenseRuleColumn.RULE_ID: rule.rule_id,
        }
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return values[column]
        if role == Qt.ItemDataRole.ToolTipRole and column is ExpenseRuleColumn.CONDITIONS:
            return "\n".join(describe_condition(c) for c in rule.conditions)
        return None
