"""The tab registry: one module per tab, in the order the main window shows them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from workstation.ui.context import TabContext
from workstation.ui.marks import QT_TRANSLATE_NOOP
from workstation.ui.tabs.bills import BillsTab
from workstation.ui.tabs.enterprise import EnterpriseTab
from workstation.ui.tabs.institutions import InstitutionsTab
from workstation.ui.tabs.notifications import NotificationsTab
from workstation.ui.tabs.org import OrgTab
from workstation.ui.tabs.paycode import PayCodeTab
from workstation.ui.tabs.quotas import QuotasTab
from workstation.ui.tabs.vouchers import VouchersTab

__all__ = ["TABS", "TabSpec"]


@dataclass(frozen=True)
class TabSpec:
    """``key`` names the tab in settings and screenshot files; ``title`` is what clerks see
    (Chinese source text, translated through the ``tabs`` context). ``factory(ctx)`` builds it."""

    key: str
    title: str
    factory: Callable[[TabContext], QWidget]


TABS: tuple[TabSpec, ...] = (
    TabSpec("enterprise", QT_TRANSLATE_NOOP("tabs", "企业"), EnterpriseTab),
    TabSpec("org", QT_TRANSLATE_NOOP("tabs", "组织架构"), OrgTab),
    TabSpec("institutions", QT_TRANSLATE_NOOP("tabs", "费控制度"), InstitutionsTab),
    TabSpec("quotas", QT_TRANSLATE_NOOP("tabs", "额度"), QuotasTab),
    TabSpec("bills", QT_TRANSLATE_NOOP("tabs", "账单"), BillsTab),
    TabSpec("vouchers", QT_TRANSLATE_NOOP("tabs", "凭证"), VouchersTab),
    TabSpec("paycode", QT_TRANSLATE_NOOP("tabs", "付款码"), PayCodeTab),
    TabSpec("notifications", QT_TRANSLATE_NOOP("tabs", "通知"), NotificationsTab),
)
