"""The tab registry: one module per tab, in the order the main window shows them.

Each tab's module is imported when the tab is first built (the window builds a tab when it is
first shown), so start-up loads only the code of the tab the clerk sees.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from workstation.ui.context import TabContext
from workstation.ui.marks import QT_TRANSLATE_NOOP

__all__ = ["TABS", "TabSpec"]


def _lazy(module: str, name: str) -> Callable[[TabContext], QWidget]:
    def factory(ctx: TabContext) -> QWidget:
        cls: Callable[[TabContext], QWidget] = getattr(
            importlib.import_module(f"workstation.ui.tabs.{module}"), name
        )
        return cls(ctx)

    factory.__qualname__ = name
    return factory


@dataclass(frozen=True)
class TabSpec:
    """``key`` names the tab in settings and screenshot files; ``title`` is what clerks see
    (Chinese source text, translated through the ``tabs`` context). ``factory(ctx)`` builds it."""

    key: str
    title: str
    factory: Callable[[TabContext], QWidget]


TABS: tuple[TabSpec, ...] = (
    TabSpec("enterprise", QT_TRANSLATE_NOOP("tabs", "企业"), _lazy("enterprise", "EnterpriseTab")),
    TabSpec("org", QT_TRANSLATE_NOOP("tabs", "组织架构"), _lazy("org", "OrgTab")),
    TabSpec(
        "institutions",
        QT_TRANSLATE_NOOP("tabs", "费控制度"),
        _lazy("institutions", "InstitutionsTab"),
    ),
    TabSpec("quotas", QT_TRANSLATE_NOOP("tabs", "额度"), _lazy("quotas", "QuotasTab")),
    TabSpec("bills", QT_TRANSLATE_NOOP("tabs", "账单"), _lazy("bills", "BillsTab")),
    TabSpec("vouchers", QT_TRANSLATE_NOOP("tabs", "凭证"), _lazy("vouchers", "VouchersTab")),
    TabSpec("paycode", QT_TRANSLATE_NOOP("tabs", "付款码"), _lazy("paycode", "PayCodeTab")),
    TabSpec(
        "notifications",
        QT_TRANSLATE_NOOP("tabs", "通知"),
        _lazy("notifications", "NotificationsTab"),
    ),
)
