"""The 企业 tab against a live sandbox: state from the cache, invite as a scannable QR code, and
modify / unsign / delete going service → gateway → cache off the GUI thread."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from org.org_fixtures import OrgSandbox, build_template, org_sandbox
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from qr_decode import decode_qr

from workstation.alipay.errors import AlipayError
from workstation.enterprise.models import EnterpriseStatus
from workstation.enterprise.service import load_enterprise
from workstation.ui.context import TabContext
from workstation.ui.dialogs.enterprise_dialogs import (
    EnterpriseConfirmDialog,
    EnterpriseModifyDialog,
)
from workstation.ui.tabs.enterprise import EnterpriseTab
from workstation.ui.tasks import TaskRunner

TIMEOUT = 15_000


@pytest.fixture(scope="module")
def enterprise_tab_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_template(tmp_path_factory.mktemp("enterprise-tab-template"))


@pytest.fixture
def env(enterprise_tab_template: Path, tmp_path: Path) -> Iterator[OrgSandbox]:
    with org_sandbox(enterprise_tab_template, tmp_path) as sandbox:
        yield sandbox


def _ctx(env: OrgSandbox, tmp_path: Path, *, online: bool = True) -> TabContext:
    return TabContext(
        database=env.database,
        runner=TaskRunner(busy_delay_ms=10_000),
        qsettings=QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat),
        gateway=env.gateway if online else None,
        enterprise_id=env.enterprise_id,
    )


@pytest.fixture
def tab(qapp: Any, env: OrgSandbox, tmp_path: Path) -> Iterator[EnterpriseTab]:
    ctx = _ctx(env, tmp_path)
    widget = EnterpriseTab(ctx)
    widget.resize(1280, 760)
    widget.show()
    yield widget
    ctx.runner.wait(TIMEOUT)
    widget.close()
    widget.deleteLater()


def test_shows_the_cached_enterprise(tab: EnterpriseTab, env: OrgSandbox) -> None:
    info = load_enterprise(env.database, env.enterprise_id)
    assert info is not None
    assert tab.values["name"].text() == info.name
    assert tab.values["enterprise_id"].text() == env.enterprise_id
    assert tab.values["account_id"].text() == info.account_id
    assert tab.values["status"].text() == "已签约"
    assert tab.values["sign_status"].text() == "已签约（SIGNED）"
    headers, rows = tab.export_table()
    assert headers == ["项目", "内容"]
    assert ["企业名称", info.name] in list(rows)
    assert tab.search_widget() is None


def test_invite_shows_a_qr_that_decodes_to_the_link(
    tab: EnterpriseTab, env: OrgSandbox, qtbot: QtBot
) -> None:
    assert not tab.qr.text()
    with qtbot.waitSignal(tab.ctx.events.changed, timeout=TIMEOUT):
        tab.invite_button.click()
    cached = load_enterprise(env.database, env.enterprise_id)
    assert cached is not None and cached.invite_url
    assert tab.link.text() == cached.invite_url
    assert decode_qr(tab.qr.grab()) == [cached.invite_url]
    assert "有效期至" in tab.qr_caption.text()
    image = tab.grab()
    assert image.save(str(Path(tab.ctx.qsettings.fileName()).with_name("enterprise.png")))


def test_modify_through_the_dialog(tab: EnterpriseTab, env: OrgSandbox, qtbot: QtBot) -> None:
    tab.modify_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, EnterpriseModifyDialog)
    dialog.name_edit.setText("")
    dialog.ok_button.click()
    qtbot.waitUntil(dialog.error_label.isVisible, timeout=TIMEOUT)
    assert "企业名称不能为空" in dialog.error_label.text()
    dialog.name_edit.setText("北京云帆科技有限公司")
    dialog.alias_edit.setText("云帆科技")
    with qtbot.waitSignal(tab.ctx.events.changed, timeout=TIMEOUT):
        dialog.ok_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)
    assert tab.values["name"].text() == "北京云帆科技有限公司"
    assert tab.values["alias"].text() == "云帆科技"
    assert env.gateway.query_enterprise().enterprise_name == "北京云帆科技有限公司"


def test_unsign_names_the_consequences_then_shows_the_unsign_link(
    tab: EnterpriseTab, env: OrgSandbox, qtbot: QtBot
) -> None:
    tab.unsign_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, EnterpriseConfirmDialog)
    text = dialog.consequences.text()
    assert "不能再用企业码因公付款" in text
    assert "本地缓存的数据不会删除" in text
    with qtbot.waitSignal(tab.ctx.events.changed, timeout=TIMEOUT):
        dialog.action_button.click()
    assert tab.values["status"].text() == "已解约"
    cached = load_enterprise(env.database, env.enterprise_id)
    assert cached is not None and cached.status is EnterpriseStatus.UNSIGNED
    assert cached.unsign_url and tab.link.text() == cached.unsign_url
    assert decode_qr(tab.qr.grab()) == [cached.unsign_url]
    assert not tab.unsign_button.isEnabled()  # nothing left to unsign
    assert "员工暂时不能用企业码付款" in tab.notice.text()


def test_delete_asks_for_the_name_and_keeps_the_local_history(
    tab: EnterpriseTab, env: OrgSandbox, qtbot: QtBot
) -> None:
    name = tab.values["name"].text()
    tab.delete_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, EnterpriseConfirmDialog)
    assert "不可恢复" in dialog.findChild(type(dialog.consequences), "confirm_question").text()
    assert "供查阅与对账" in dialog.consequences.text()
    assert dialog.name_edit is not None
    assert not dialog.action_button.isEnabled()
    dialog.name_edit.setText("别的公司")
    assert not dialog.action_button.isEnabled()
    dialog.name_edit.setText(name)
    assert dialog.action_button.isEnabled()
    with qtbot.waitSignal(tab.ctx.events.changed, timeout=TIMEOUT):
        dialog.action_button.click()
    assert tab.values["status"].text() == "已注销"
    assert "仍保留" in tab.notice.text()
    with pytest.raises(AlipayError):
        env.gateway.query_enterprise()
    assert not tab.modify_button.isEnabled()


def test_a_business_error_is_shown_and_leaves_the_cache_unchanged(
    tab: EnterpriseTab, env: OrgSandbox, qtbot: QtBot
) -> None:
    env.gateway.delete_enterprise()  # gone at Alipay; the cache does not know yet
    before = env.snapshot()
    tab.refresh_button.click()
    qtbot.waitUntil(lambda: tab.findChild(QMessageBox, "error_box") is not None, timeout=TIMEOUT)
    box = tab.findChild(QMessageBox, "error_box")
    assert box.text() == "刷新企业信息失败"
    assert "企业不存在" in box.informativeText()
    assert "ENTERPRISE_NOT_EXIST" in box.informativeText()
    assert env.snapshot() == before
    assert tab.values["status"].text() == "已签约"
    box.close()


def test_without_a_gateway_actions_are_disabled_and_say_why(
    env: OrgSandbox, tmp_path: Path, qtbot: QtBot
) -> None:
    tab = EnterpriseTab(_ctx(env, tmp_path, online=False))
    qtbot.addWidget(tab)
    assert tab.values["enterprise_id"].text() == env.enterprise_id
    for button in (
        tab.refresh_button,
        tab.modify_button,
        tab.invite_button,
        tab.unsign_button,
        tab.delete_button,
    ):
        assert not button.isEnabled()
        assert "未配置支付宝应用" in button.toolTip()
    assert "未配置支付宝应用" in tab.notice.text()
