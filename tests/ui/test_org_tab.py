"""The 组织架构 tab against a live sandbox: clerk actions go service → gateway → cache off the GUI
thread; invites show as QR codes that decode (zxing-cpp) to exactly Alipay's link."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from org.org_fixtures import OrgSandbox, build_template, org_sandbox
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot
from qr_decode import decode_qr

from workstation.alipay.errors import AlipayError
from workstation.org.service import EmployeeInput, OrgService
from workstation.ui.context import TabContext
from workstation.ui.dialogs.org_department_dialog import OrgMoveDepartmentDialog
from workstation.ui.dialogs.org_employee_dialog import OrgEmployeeDialog
from workstation.ui.dialogs.org_import_dialog import OrgImportDialog
from workstation.ui.models.org_department_tree_model import OrgDepartmentTreeModel
from workstation.ui.tabs.org import OrgTab
from workstation.ui.tasks import TaskRunner

TIMEOUT = 15_000


@pytest.fixture(scope="module")
def org_tab_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_template(tmp_path_factory.mktemp("org-tab-template"))


@pytest.fixture
def env(org_tab_template: Path, tmp_path: Path) -> Iterator[OrgSandbox]:
    with org_sandbox(org_tab_template, tmp_path) as sandbox:
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
def tab(qapp: Any, env: OrgSandbox, tmp_path: Path) -> Iterator[OrgTab]:
    # Not handed to qtbot: qtmodeltester must be able to disconnect from the models first.
    ctx = _ctx(env, tmp_path)
    widget = OrgTab(ctx)
    widget.resize(1280, 760)
    widget.show()
    yield widget
    ctx.runner.wait(TIMEOUT)
    widget.close()
    widget.deleteLater()


def _names(tab: OrgTab) -> list[str]:
    model = tab.employee_model
    return [model.employee_at(r).name for r in range(model.rowCount())]  # type: ignore[union-attr]


def _submit(qtbot: QtBot, tab: OrgTab, dialog: Any) -> None:
    with qtbot.waitSignal(tab.ctx.events.changed, timeout=TIMEOUT):
        dialog.ok_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)


def test_models_pass_the_model_tester(tab: OrgTab, env: OrgSandbox, qtmodeltester: Any) -> None:
    qtmodeltester.check(tab.tree_model, force_py=True)
    tab.select_department(env.department_id("技术研发中心"))
    assert tab.employee_model.rowCount() > 0
    qtmodeltester.check(tab.employee_model, force_py=True)
    move = OrgDepartmentTreeModel(with_counts=False)
    move.set_tree(tab.tree_model.tree)
    move.set_disabled({env.department_id("财务部")})
    qtmodeltester.check(move, force_py=True)


def test_the_tree_counts_everyone_below_a_department(tab: OrgTab, env: OrgSandbox) -> None:
    tree = tab.tree_model.tree
    root = tree.root
    assert root is not None
    assert tab.tree_model.total(root.department_id) == 30
    tech = env.department_id("技术研发中心")
    tab.select_department(tech)
    shown = tab.employee_model.rowCount()
    assert shown == tab.tree_model.total(tech)
    below = {tech, *tree.descendants(tech)}
    for row in range(shown):
        assert tab.employee_model.employee_at(row).department_id in below  # type: ignore[union-attr]
    assert tab.count_label.text() == f"{shown} 人"
    assert tab.tree_view.objectName() == "org_department_tree"
    assert tab.employee_view.objectName() == "org_employee_table"


def test_search_by_name_phone_and_email(tab: OrgTab, qtbot: QtBot) -> None:
    everyone = tab.employee_model.rowCount()
    first = tab.employee_model.employee_at(0)
    assert first is not None and first.phone and first.email
    for text in (first.name, first.phone[-6:], first.email.split("@")[0]):
        tab.search_widget().setText(text)  # type: ignore[union-attr]
        qtbot.waitUntil(lambda: tab.employee_model.rowCount() < everyone, timeout=TIMEOUT)
        assert first.name in _names(tab)
    tab.search_edit.clear()
    qtbot.waitUntil(lambda: tab.employee_model.rowCount() == everyone, timeout=TIMEOUT)
    headers, rows = tab.export_table()
    assert headers[:3] == ["姓名", "工号", "手机"]
    assert len(list(rows)) == everyone


def test_add_employee_appears_in_the_tree_and_the_sandbox(
    tab: OrgTab, env: OrgSandbox, qtbot: QtBot
) -> None:
    admin = env.department_id("行政部")
    tab.select_department(admin)
    before = tab.tree_model.total(admin)
    tab.add_employee_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, OrgEmployeeDialog)
    assert dialog.department_box.currentData() == admin
    dialog.name_edit.setText("林晓新")
    dialog.mobile_edit.setText("13911112222")
    dialog.no_edit.setText("X9001")
    _submit(qtbot, tab, dialog)

    assert tab.tree_model.total(admin) == before + 1
    assert "林晓新" in _names(tab)
    remote = env.gateway.call(
        "alipay.commerce.ec.employee.info.query",
        {"enterprise_id": env.enterprise_id, "mobile": "13911112222"},
    )["employee_info"]
    assert remote["employee_name"] == "林晓新"
    assert [d["department_id"] for d in remote["department_list"]] == [admin]
    # The new employee is selected and their invite is on screen, ready to scan.
    qtbot.waitUntil(lambda: bool(tab.invite_panel.qr.text()), timeout=TIMEOUT)
    assert tab.invite_panel.title.text() == "林晓新"


def test_invalid_input_keeps_the_dialog_open_and_names_the_field(
    tab: OrgTab, env: OrgSandbox, qtbot: QtBot
) -> None:
    before = env.snapshot()
    tab.add_employee_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, OrgEmployeeDialog)
    dialog.name_edit.setText("号码错")
    dialog.mobile_edit.setText("1391111")
    dialog.ok_button.click()
    qtbot.waitUntil(dialog.error_label.isVisible, timeout=TIMEOUT)
    assert "手机号" in dialog.error_label.text() and "mobile" in dialog.error_label.text()
    assert dialog.isVisible()
    assert dialog.focusWidget() is dialog.mobile_edit
    assert env.snapshot() == before
    dialog.reject()


def test_a_business_error_is_shown_and_leaves_the_cache_unchanged(
    tab: OrgTab, env: OrgSandbox, qtbot: QtBot
) -> None:
    env.gateway.add_employee("别处添加", mobile="13922223333")  # Alipay has it; the cache not
    before = env.snapshot()
    tab.add_employee_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, OrgEmployeeDialog)
    dialog.name_edit.setText("晚来一步")
    dialog.mobile_edit.setText("13922223333")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.findChild(QMessageBox, "error_box") is not None, timeout=TIMEOUT)
    box = dialog.findChild(QMessageBox, "error_box")
    assert box.text() == "添加员工失败"
    assert "员工已存在" in box.informativeText()
    assert "EMPLOYEE_ALREADY_EXIST" in box.informativeText()
    assert dialog.isVisible()  # the clerk can correct the phone and try again
    assert env.snapshot() == before
    box.close()
    dialog.reject()


def test_move_a_department(tab: OrgTab, env: OrgSandbox, qtbot: QtBot) -> None:
    data = env.department_id("数据平台部")
    legal = env.department_id("法务部")
    tab.select_department(data)
    assert tab.move_department_button.isEnabled()
    tab.move_department_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, OrgMoveDepartmentDialog)
    # Its own subtree cannot be chosen.
    algorithm = dialog.model.index_of(env.department_id("算法组"))
    assert not dialog.model.flags(algorithm)
    dialog.select(legal)
    _submit(qtbot, tab, dialog)

    index = tab.tree_model.index_of(data)
    assert tab.tree_model.department_at(index.parent()).department_id == legal  # type: ignore[union-attr]
    assert tab.current_department().department_id == data  # type: ignore[union-attr]
    assert env.gateway.query_department(data).parent_id == legal
    assert tab.tree_model.tree.path(data).endswith("法务部/数据平台部")


def test_delete_an_employee_after_confirming(tab: OrgTab, env: OrgSandbox, qtbot: QtBot) -> None:
    service = OrgService(env.database, env.gateway, env.enterprise_id)
    added = service.add_employee(EmployeeInput(name="将离职", mobile="13933334444"))
    tab.reload(select_employee=added.employee_id)
    assert tab.current_employee().employee_id == added.employee_id  # type: ignore[union-attr]
    tab.delete_employee_button.click()
    box = tab.confirm_box
    assert box is not None and "将离职" in box.text()
    assert "不能再用企业码付款" in box.informativeText()
    with qtbot.waitSignal(tab.ctx.events.changed, timeout=TIMEOUT):
        box.findChild(QPushButton, "confirm_yes").click()
    assert "将离职" not in _names(tab)
    with pytest.raises(AlipayError):
        env.gateway.query_employee(added.employee_id)


def test_pending_employee_invite_qr_decodes_to_the_link(
    tab: OrgTab, env: OrgSandbox, qtbot: QtBot
) -> None:
    service = OrgService(env.database, env.gateway, env.enterprise_id)
    added = service.add_employee(EmployeeInput(name="扫码人", mobile="13944445555"))
    expected = env.gateway.query_employee_invite(added.employee_id).sign_url
    tab.reload(select_employee=added.employee_id)
    qtbot.waitUntil(lambda: tab.invite_panel.qr.text() == expected, timeout=TIMEOUT)
    assert decode_qr(tab.invite_panel.qr.grab()) == [expected]
    assert tab.invite_panel.link.text() == expected
    # A fresh fetch (off the GUI thread) shows the same link.
    tab.invite_panel.qr.set_text("")
    tab.invite_panel.refresh_button.click()
    qtbot.waitUntil(lambda: tab.invite_panel.qr.text() == expected, timeout=TIMEOUT)
    tab.invite_panel.copy_button.click()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == expected


def test_invite_sheet_prints_every_pending_employee(
    tab: OrgTab, env: OrgSandbox, qtbot: QtBot, tmp_path: Path
) -> None:
    service = OrgService(env.database, env.gateway, env.enterprise_id)
    finance = env.department_id("财务部")
    tax = env.department_id("税务组")
    added = [
        service.add_employee(
            EmployeeInput(
                name=f"财务新人{i}",
                mobile=f"1395555000{i}",
                department_ids=(tax if i % 2 else finance,),
            )
        )
        for i in range(7)
    ]
    expected = {env.gateway.query_employee_invite(e.employee_id).sign_url for e in added}
    tab.reload(select_department=finance)
    tab.print_button.click()
    qtbot.waitUntil(lambda: tab.invite_sheet is not None, timeout=TIMEOUT)
    sheet = tab.invite_sheet
    assert sheet is not None and {i.sign_url for i in sheet.invites} == expected
    assert tab.preview_dialog is not None
    tab.preview_dialog.close()

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "invites.pdf"))
    sheet.prepare(printer)
    assert sheet.print_to(printer) == 2  # six per page
    subprocess.run(
        ["pdftoppm", "-r", "110", "-png", str(tmp_path / "invites.pdf"), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 2
    decoded = [decode_qr(QImage(str(page))) for page in pages]
    assert [len(d) for d in decoded] == [6, 1]
    assert {text for page in decoded for text in page} == expected


def test_bulk_import_reports_bad_rows_without_applying_them(
    tab: OrgTab, env: OrgSandbox, qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "staff.csv"
    path.write_bytes(
        "姓名,手机,邮箱,工号,部门\n"
        "导入甲,13966660001,,,财务部\n"
        "导入乙,13966660002,,,财务部/税务组\n"
        "坏手机,139666,,,\n"
        "无部门,13966660003,,,不存在部\n".encode("gbk")
    )
    tab.import_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, OrgImportDialog)
    with qtbot.waitSignal(dialog.preview_ready, timeout=TIMEOUT):
        dialog.load_file(path)
    assert "新增 2" in dialog.summary.text() and "有误 2" in dialog.summary.text()
    assert dialog.view.objectName() == "org_import_table"
    assert dialog.model.rowCount() == 4
    assert dialog.model.index(2, dialog.model.Column.ACTION).data() == "有误"
    assert "手机号" in dialog.model.index(2, dialog.model.Column.DETAIL).data()
    with qtbot.waitSignals([dialog.applied, tab.ctx.events.changed], timeout=TIMEOUT):
        dialog.apply_button.click()
    assert "成功 2" in dialog.summary.text()
    assert dialog.model.index(0, dialog.model.Column.RESULT).data() == "成功"
    assert dialog.model.index(3, dialog.model.Column.RESULT).data() == "未发送"

    def at_alipay(mobile: str) -> bool:
        try:
            env.gateway.call(
                "alipay.commerce.ec.employee.info.query",
                {"enterprise_id": env.enterprise_id, "mobile": mobile},
            )
        except AlipayError:
            return False
        return True

    assert at_alipay("13966660001") and at_alipay("13966660002")
    assert not at_alipay("139666") and not at_alipay("13966660003")
    tab.select_department(env.department_id("财务部"))
    assert {"导入甲", "导入乙"} <= set(_names(tab))
    assert dialog.save_report(tmp_path / "problems.csv") == 2
    text = (tmp_path / "problems.csv").read_text(encoding="utf-8-sig")
    assert "坏手机" in text and "无部门" in text and "导入甲" not in text
    dialog.reject()


def test_without_a_gateway_actions_are_disabled_and_say_why(
    env: OrgSandbox, tmp_path: Path, qtbot: QtBot
) -> None:
    ctx = _ctx(env, tmp_path, online=False)
    tab = OrgTab(ctx)
    qtbot.addWidget(tab)
    assert tab.employee_model.rowCount() == 30  # the cache is still shown
    for button in (
        tab.add_employee_button,
        tab.new_department_button,
        tab.import_button,
        tab.print_button,
        tab.invite_panel.refresh_button,
    ):
        assert not button.isEnabled()
        assert "未配置支付宝应用" in button.toolTip()


def test_render_for_a_look(tab: OrgTab, env: OrgSandbox, qtbot: QtBot, tmp_path: Path) -> None:
    tab.select_department(env.department_id("销售中心"))
    for row in range(tab.employee_model.rowCount()):
        if tab.employee_model.employee_at(row).pending:  # type: ignore[union-attr]
            tab.employee_view.selectRow(row)
            qtbot.waitUntil(lambda: bool(tab.invite_panel.qr.text()), timeout=TIMEOUT)
            break
    image = tab.grab()
    assert image.save(str(tmp_path / "org.png"))
    assert image.width() >= 1200
