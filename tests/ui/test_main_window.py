from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QAbstractItemView
from pytestqt.qtbot import QtBot

from workstation.db.engine import Database
from workstation.sync.events import EventBus, SyncFailed, SyncFinished
from workstation.sync.service import ENTITIES
from workstation.ui.bridge import SyncBridge
from workstation.ui.main_window import MainWindow
from workstation.ui.tabs import TABS
from workstation.ui.tabs.base import CachedTableTab
from workstation.ui.tabs.sql_table_model import ROW_ROLE, SORT_ROLE

TITLES = ["企业", "组织架构", "费控制度", "额度", "账单", "凭证", "付款码", "通知"]


class FakeScheduler:
    def __init__(self) -> None:
        self.calls: list[threading.Thread] = []

    def sync_now(self, entities: list[str] | None = None) -> None:
        self.calls.append(threading.current_thread())


def make_window(
    qtbot: QtBot, database: Database, qsettings: QSettings, **kwargs: Any
) -> MainWindow:
    window = MainWindow(database, qsettings=qsettings, **kwargs)
    qtbot.addWidget(window)
    return window


def test_eight_tabs_in_order(qtbot: QtBot, database: Database, qsettings: QSettings) -> None:
    window = make_window(qtbot, database, qsettings)
    tabs = window.tab_widget
    assert [tabs.tabText(i) for i in range(tabs.count())] == TITLES
    assert [spec.title for spec in TABS] == TITLES
    # Only the current tab is built at start-up; the others when first shown.
    assert list(window.built_tabs()) == [TABS[0].key]
    tabs.setCurrentIndex(4)
    assert list(window.built_tabs()) == [TABS[0].key, TABS[4].key]
    assert window.current_tab() is window.tabs[TABS[4].key]
    assert window.tabs[TABS[4].key].isVisibleTo(window)


@pytest.fixture
def synced_window(synced_database: Database, qsettings: QSettings) -> Iterator[MainWindow]:
    # Not handed to qtbot: the window (and its models) must outlive qtmodeltester's teardown,
    # which disconnects from the models; so this fixture comes first in the test's arguments.
    window = MainWindow(synced_database, qsettings=qsettings)
    yield window
    window.close()
    window.deleteLater()


def test_every_item_model_passes_the_model_tester(
    synced_window: MainWindow, qtmodeltester: Any, qtbot: QtBot
) -> None:
    checked: set[int] = set()
    # Tabs are built when first shown: build them all and let their first reads land.
    tabs = dict(synced_window.tabs.items())
    assert set(synced_window.built_tabs()) == {spec.key for spec in TABS}
    qtbot.waitUntil(lambda: not synced_window.runner.pending, timeout=10_000)
    for key, tab in tabs.items():
        views = tab.findChildren(QAbstractItemView)
        if key not in ("paycode", "enterprise"):  # 企业 is a form, not a table
            assert views, f"the {key} tab shows a table"
        if key not in ("paycode", "enterprise", "notifications"):  # no notifications yet
            qtbot.waitUntil(
                lambda views=views: any(v.model() and v.model().rowCount() for v in views),
                timeout=10_000,
            )
        for view in views:
            model = view.model()
            if model is None or id(model) in checked:
                continue
            checked.add(id(model))
            qtmodeltester.check(model, force_py=True)
    assert len(checked) >= 7


def test_pages_match_one_full_query_and_stay_bounded(
    qtbot: QtBot, synced_database: Database, qsettings: QSettings
) -> None:
    window = make_window(qtbot, synced_database, qsettings)
    tab = window.tabs["vouchers"]
    assert isinstance(tab, CachedTableTab)
    from workstation.ui.tabs.sql_table_model import SqlTableModel

    model = SqlTableModel(synced_database, tab.statement(), tab.columns(), page_size=7, max_pages=2)
    with synced_database.read_session() as session:
        everything = session.execute(tab.statement()).all()
    assert model.rowCount() == len(everything) > 20
    ids = [model.index(r, 0).data(SORT_ROLE) for r in range(model.rowCount())]
    assert ids == [row.voucher_id for row in everything]
    assert len(model._pages) <= 2
    assert model.index(0, 0).data(ROW_ROLE).voucher_id == everything[0].voucher_id
    amount = model.index(0, 7)
    assert amount.data().startswith("¥")
    assert amount.data(SORT_ROLE) == everything[0].invoice_amount


def test_vouchers_search_and_jump_to_the_bill(
    qtbot: QtBot, synced_database: Database, qsettings: QSettings
) -> None:
    window = make_window(qtbot, synced_database, qsettings)
    vouchers = window.tabs["vouchers"]
    assert isinstance(vouchers, CachedTableTab) and vouchers.search is not None
    first = vouchers.model.row_at(0)
    assert first is not None
    vouchers.search.setText(first.voucher_id)
    vouchers.apply_search()
    assert vouchers.model.rowCount() == 1
    vouchers.view.selectRow(0)
    assert first.voucher_id in vouchers.detail.toPlainText()  # type: ignore[attr-defined]
    vouchers.jump_button.click()  # type: ignore[attr-defined]
    assert window.current_tab_key() == "bills"
    bills = window.tabs["bills"]
    qtbot.waitUntil(lambda: not bills.model.loading and bills.model.rowCount() == 1)  # type: ignore[attr-defined]
    assert bills.model.row_at(0).pay_no == first.bill_id  # type: ignore[attr-defined]


def test_status_bar_follows_sync_events(
    qtbot: QtBot, database: Database, qsettings: QSettings
) -> None:
    bus = EventBus()
    bridge = SyncBridge(bus)
    window = make_window(qtbot, database, qsettings, bridge=bridge)
    assert set(window.status_labels) == set(ENTITIES)
    assert window.status_text("bills") == "账单 未同步"

    def publish(event: object) -> None:
        thread = threading.Thread(target=bus.publish, args=(event,))
        thread.start()
        thread.join()

    finished = SyncFinished("bills", 2, 0, 0, 0.1)
    with qtbot.waitSignal(bridge.sync_finished, timeout=5000):
        publish(finished)
    assert window.status_text("bills").startswith("账单 已同步 ")
    assert "新增 2" in window.status_labels["bills"].toolTip()

    with qtbot.waitSignal(bridge.sync_failed, timeout=5000):
        publish(SyncFailed("bills", "无法连接支付宝", "cannot reach Alipay", offline=True))
    assert window.status_text("bills").startswith("账单 离线 自 ")
    assert window.status_labels["bills"].toolTip() == "无法连接支付宝"

    with qtbot.waitSignal(bridge.sync_failed, timeout=5000):
        publish(SyncFailed("org", "签名错误", "bad signature", offline=False))
    assert window.status_text("org") == "组织架构 同步失败"
    bridge.close()


def test_f5_calls_sync_now_off_the_gui_thread(
    qtbot: QtBot, database: Database, qsettings: QSettings
) -> None:
    scheduler = FakeScheduler()
    window = make_window(qtbot, database, qsettings, scheduler=scheduler)
    assert window.sync_action.shortcut().toString() == "F5"
    window.sync_action.trigger()
    qtbot.waitUntil(lambda: bool(scheduler.calls), timeout=5000)
    assert scheduler.calls[0] is not threading.main_thread()


def test_f5_is_disabled_without_a_scheduler(
    qtbot: QtBot, database: Database, qsettings: QSettings
) -> None:
    window = make_window(qtbot, database, qsettings)
    assert not window.sync_action.isEnabled()


@pytest.mark.parametrize("key", ["bills", "notifications"])
def test_geometry_and_current_tab_are_restored(
    qtbot: QtBot, database: Database, qsettings: QSettings, key: str
) -> None:
    first = make_window(qtbot, database, qsettings)
    first.resize(700, 500)  # inside the offscreen 800×600 screen: restoring clamps to it
    first.tab_widget.setCurrentIndex([spec.key for spec in TABS].index(key))
    first.close()

    second = make_window(qtbot, database, qsettings)
    assert second.current_tab_key() == key
    assert second.size() == first.size()
    assert (second.width(), second.height()) == (700, 500)
