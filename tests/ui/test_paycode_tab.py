"""付款码 tab: choose an employee and an institution from a synced cache; the code on screen, in
the PNG, on the printed page and in the presenter decodes (zxing-cpp) to exactly the link."""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from qr_decode import decode_qr
from sqlalchemy import delete, select, update

from workstation.config import Settings
from workstation.db.engine import Database
from workstation.enterprise.models import Enterprise
from workstation.institutions.models import InstitutionMember
from workstation.org.models import Employee, EmployeeStatus
from workstation.payments.paylink import (
    EmployeeOption,
    InstitutionOption,
    institution_options,
    payment_code_url,
    search_employees,
)
from workstation.ui.context import TabContext
from workstation.ui.tabs.paycode import PayCodeTab
from workstation.ui.tasks import TaskRunner
from workstation.ui.widgets.paycode_presenter import PayCodePresenter

APP_ID = "2021000000000001"


def _tab(qtbot: QtBot, database: Database, qsettings: QSettings, app_id: str) -> PayCodeTab:
    runner = TaskRunner()
    ctx = TabContext(
        database=database, runner=runner, qsettings=qsettings, settings=Settings(app_id=app_id)
    )
    tab = PayCodeTab(ctx)
    runner.setParent(tab)
    qtbot.addWidget(tab)
    tab.resize(1280, 760)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


@pytest.fixture
def tab(qtbot: QtBot, synced_database: Database, qsettings: QSettings) -> PayCodeTab:
    return _tab(qtbot, synced_database, qsettings, APP_ID)


def _payer(database: Database) -> tuple[EmployeeOption, list[InstitutionOption], str]:
    """An active employee covered by at least two institutions, and the joint account id."""
    with database.read_session() as s:
        for employee in search_employees(s, "", limit=1000):
            options = institution_options(s, employee.employee_id)
            if employee.status is EmployeeStatus.ACTIVE and len(options) >= 2:
                account = s.execute(select(Enterprise.account_id)).scalar_one()
                return employee, options, str(account)
    raise AssertionError("the demo company has no employee in two institutions")


def _url(employee: EmployeeOption, institution: InstitutionOption, account: str) -> str:
    return payment_code_url(
        account_id=account,
        rule_group_id=institution.institution_id,
        payment_id=employee.employee_id,
        isv_app_id=APP_ID,
    )


def test_keyboard_choice_shows_params_link_and_a_scannable_code(
    qtbot: QtBot, tab: PayCodeTab, synced_database: Database, qtmodeltester: Any
) -> None:
    employee, options, account = _payer(synced_database)
    assert tab.search_widget() is tab.employee_picker
    assert not tab.copy_button.isEnabled()

    # Chinese text cannot be typed through QTest (ASCII keys only): search by name directly,
    # then type the employee number and pick with the keyboard.
    assert employee.employee_no
    tab.employee_picker.on_text_edited(employee.name[:1])
    names = [o.name for o in tab.employee_picker.search(employee.name[:1])]
    assert employee.name in names and all(employee.name[:1] in n for n in names)
    tab.employee_picker.clear()
    tab.employee_picker.setFocus()
    qtbot.keyClicks(tab.employee_picker, employee.employee_no)
    popup = tab.employee_picker.popup()
    qtbot.waitUntil(popup.isVisible)
    assert popup.model().rowCount() == 1
    assert popup.model().index(0, 0).data().startswith(employee.name)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert tab.employee_picker.employee_id() == employee.employee_id

    combo = tab.institution_combo
    assert [combo.itemData(i) for i in range(combo.count())] == [o.institution_id for o in options]
    assert tab.code is not None
    expected = _url(employee, options[0], account)
    assert tab.code.url == expected
    assert tab.link_edit.toPlainText() == expected
    shown = [
        (tab.params_model.item(r, 0).text(), tab.params_model.item(r, 1).text())
        for r in range(tab.params_model.rowCount())
    ]
    assert shown == list(tab.code.params)
    assert shown[-1] == ("channelMode", "NONE_CHANNEL_MODE")
    qtmodeltester.check(tab.params_model, force_py=True)
    headers, rows_out = tab.export_table()
    assert headers == ["参数", "值"] and [tuple(r) for r in rows_out] == shown
    assert decode_qr(tab.qr.grab()) == [expected]
    assert tab.caption.text() == f"{employee.name} · {options[0].name}"

    combo.setCurrentIndex(1)
    second = _url(employee, options[1], account)
    assert tab.code.url == second
    assert decode_qr(tab.qr.grab()) == [second]


def test_copy_puts_the_link_on_the_clipboard(qtbot: QtBot, tab: PayCodeTab) -> None:
    employee, options, _ = _payer(tab.ctx.database)
    tab.select(employee.employee_id, options[1].institution_id)
    assert tab.code is not None and tab.code.institution == options[1]
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("")
    qtbot.mouseClick(tab.copy_button, Qt.MouseButton.LeftButton)
    assert clipboard.text() == tab.code.url

    clipboard.setText("")
    tab.link_edit.setFocus()
    qtbot.keyClick(
        tab.link_edit,
        Qt.Key.Key_C,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert clipboard.text() == tab.code.url
    assert tab.status_label.text() == "已复制付款码链接"


def test_saved_png_decodes_to_the_link(qtbot: QtBot, tab: PayCodeTab, tmp_path: Path) -> None:
    employee, options, _ = _payer(tab.ctx.database)
    tab.select(employee.employee_id, options[0].institution_id)
    dialog = tab.on_save_requested()
    assert dialog is not None and dialog.isVisible()
    assert dialog.selectedFiles()[0].endswith(f"付款码-{employee.name}-{options[0].name}.png")
    target = tmp_path / "saved" / "code.png"
    target.parent.mkdir()
    dialog.selectFile(str(target))
    dialog.accept()
    assert target.exists()
    image = QImage(str(target))
    assert image.width() >= 1000
    assert decode_qr(image) == [tab.code.url if tab.code else ""]
    assert tab.ctx.qsettings.value("paycode/last_directory") == str(target.parent)

    assert not tab.save_png(str(tmp_path / "no-such-folder" / "code.png"))
    box = tab.findChild(QMessageBox, "error_box")
    assert box is not None and "保存付款码图片" in box.text()


def test_printed_page_decodes_to_the_link(qtbot: QtBot, tab: PayCodeTab, tmp_path: Path) -> None:
    employee, options, _ = _payer(tab.ctx.database)
    tab.select(employee.employee_id, options[0].institution_id)
    assert tab.code is not None
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    pdf = tmp_path / "code.pdf"
    printer.setOutputFileName(str(pdf))
    tab.print_to(printer)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", str(pdf), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    assert decode_qr(QImage(str(tmp_path / "page.png"))) == [tab.code.url]
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, timeout=60
    ).stdout.decode()
    # pdftotext maps some CJK glyphs to their Kangxi-radical twins (⼯ for 工); NFKC folds them.
    text = unicodedata.normalize("NFKC", text)
    assert "因公付款码" in text
    assert employee.name in text and options[0].name in text
    assert "customBizCode=enterprisePayForThirdPart" in "".join(text.split())

    preview = tab.on_print_requested()
    assert isinstance(preview, QPrintPreviewDialog) and preview.isVisible()
    preview.close()


def test_presenter_is_full_screen_and_esc_closes_it(qtbot: QtBot, tab: PayCodeTab) -> None:
    employee, options, _ = _payer(tab.ctx.database)
    tab.select(employee.employee_id, options[0].institution_id)
    assert tab.code is not None
    presenter = tab.on_present_requested()
    assert isinstance(presenter, PayCodePresenter)
    qtbot.waitExposed(presenter)
    assert presenter.isFullScreen()
    assert presenter.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert presenter.geometry() == tab.screen().geometry()
    assert presenter.name_label.text() == employee.name
    assert presenter.institution_label.text() == options[0].name
    qr = presenter.qr.geometry()
    assert min(qr.width(), qr.height()) >= 0.6 * min(presenter.width(), presenter.height())
    assert decode_qr(presenter.grab()) == [tab.code.url]

    qtbot.keyClick(presenter, Qt.Key.Key_Escape)
    assert not presenter.isVisible()
    qtbot.waitUntil(lambda: tab.presenter is None)


def test_validation_errors_are_shown_by_field(
    qtbot: QtBot, synced_database: Database, qsettings: QSettings
) -> None:
    tab = _tab(qtbot, synced_database, qsettings, APP_ID)
    employee, _, _ = _payer(synced_database)
    with synced_database.read_session() as s:
        pending = s.execute(
            select(Employee.employee_id).where(Employee.status == EmployeeStatus.PENDING)
        ).scalar()
    assert pending is not None
    tab.select(pending)
    assert tab.code is None and tab.qr.text() == ""
    assert "尚未激活" in tab.error_label.text()
    assert "employee_id: " in tab.error_label.text()
    assert not any(
        b.isEnabled()
        for b in (tab.copy_button, tab.save_button, tab.print_button, tab.present_button)
    )

    # The employee leaves every institution's scope (a sync): the tab follows the cache.
    tab.select(employee.employee_id)
    assert tab.code is not None
    with synced_database.session() as s:
        s.execute(
            delete(InstitutionMember).where(InstitutionMember.employee_id == employee.employee_id)
        )
    tab.ctx.events.changed.emit("institutions")
    assert tab.institution_combo.count() == 0
    assert tab.code is None
    assert "institution_id" in tab.error_label.text()
    assert "不在任何启用中的费控制度" in tab.scope_note.text()

    # A renamed employee is re-read when the org chart changes.
    with synced_database.session() as s:
        s.execute(
            update(Employee)
            .where(Employee.employee_id == employee.employee_id)
            .values(name="新名字")
        )
    tab.ctx.events.changed.emit("org")
    assert tab.employee_picker.text().startswith("新名字")


def test_missing_app_id_is_named(
    qtbot: QtBot, synced_database: Database, qsettings: QSettings
) -> None:
    tab = _tab(qtbot, synced_database, qsettings, "")
    employee, options, _ = _payer(synced_database)
    tab.select(employee.employee_id, options[0].institution_id)
    assert tab.code is None
    assert "isv_app_id：" in tab.error_label.text()
    assert "isv_app_id: " in tab.error_label.text()


def test_unknown_scope_and_missing_joint_account_are_noted(
    qtbot: QtBot, synced_database: Database, qsettings: QSettings
) -> None:
    employee, options, _ = _payer(synced_database)
    unknown = options[1]
    with synced_database.session() as s:
        s.execute(
            delete(InstitutionMember).where(
                InstitutionMember.institution_id == unknown.institution_id
            )
        )
        s.execute(update(Enterprise).values(account_id=None))
    tab = _tab(qtbot, synced_database, qsettings, APP_ID)
    tab.select(employee.employee_id, unknown.institution_id)
    assert tab.institution_combo.currentText() == f"{unknown.name}（成员未知）"
    assert tab.scope_note.isVisible() and "成员未知" in tab.scope_note.text()
    assert tab.code is not None
    assert "使用企业ID代替" in tab.error_label.text()
    assert dict(tab.code.params)["assignJointAccountId"] == employee.enterprise_id
    assert decode_qr(tab.qr.grab()) == [tab.code.url]
