"""The institutions tab against a live sandbox company: create an institution with a rule and
members through the dialogs, edit it, manage rules and members, delete; refusals change nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from quotas.live_company import Company, build_template, live_company
from sqlalchemy import select

from workstation.alipay.types import RuleCondition
from workstation.institutions.models import (
    AdapterType,
    ExpenseInstitution,
    ExpenseRule,
    InstitutionMember,
    MemberType,
    RuleFactor,
)
from workstation.institutions.service import (
    RuleView,
    institution_summaries,
    member_page,
    rules_of,
)
from workstation.ui.context import TabContext
from workstation.ui.dialogs.institution_dialog import InstitutionDialog
from workstation.ui.dialogs.institution_member_dialog import MemberPickerDialog
from workstation.ui.dialogs.institution_rule_dialog import ExpenseRuleDialog
from workstation.ui.models.institution_member_model import InstitutionMemberModel
from workstation.ui.models.institution_picker_model import EmployeePickerModel
from workstation.ui.models.institution_rule_model import (
    ExpenseRuleColumn,
    ExpenseRuleModel,
    describe_rule,
)
from workstation.ui.models.institution_table_model import InstitutionTableModel
from workstation.ui.tabs.institutions import InstitutionsTab
from workstation.ui.tasks import TaskRunner


@pytest.fixture(scope="module")
def company_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_template(tmp_path_factory.mktemp("institution_tab_company"))


@pytest.fixture
def company(company_template: Path, tmp_path: Path) -> Iterator[Company]:
    with live_company(company_template, tmp_path, max_attempts=1) as c:
        yield c


def make_tab(
    qtbot: QtBot, company: Company, tmp_path: Path, *, online: bool = True
) -> InstitutionsTab:
    runner = TaskRunner()
    ctx = TabContext(
        database=company.database,
        runner=runner,
        qsettings=QSettings(str(tmp_path / "tab.ini"), QSettings.Format.IniFormat),
        gateway=company.gateway if online else None,
        enterprise_id=company.enterprise_id,
    )
    tab = InstitutionsTab(ctx)
    runner.setParent(tab)
    qtbot.addWidget(tab)
    tab.resize(1280, 760)
    tab.show()
    qtbot.waitUntil(lambda: tab.member_model.loaded and bool(tab.departments), timeout=10_000)
    return tab


def snapshot(company: Company) -> dict[str, list[tuple[Any, ...]]]:
    with company.database.read_session() as s:
        return {
            t.__tablename__: [tuple(r) for r in s.execute(select(t.__table__).order_by("id"))]
            for t in (ExpenseInstitution, ExpenseRule, InstitutionMember)
        }


def confirm(qtbot: QtBot, parent: QWidget) -> None:
    [box] = [b for b in parent.findChildren(QMessageBox, "confirm_box") if b.isVisible()]
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)


def test_create_an_institution_with_a_rule_and_members(
    qtbot: QtBot, company: Company, tmp_path: Path
) -> None:
    tab = make_tab(qtbot, company, tmp_path)
    count = tab.model.rowCount()
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, InstitutionDialog)
    dialog.name.setText("季度团建制度")
    dialog.description.setText("团建聚餐")

    # A rule, through the rule dialog.
    qtbot.mouseClick(dialog.add_rule_button, Qt.MouseButton.LeftButton)
    rule_dialog = dialog.rule_dialog
    assert isinstance(rule_dialog, ExpenseRuleDialog)
    rule_dialog.name.setText("团建聚餐")
    rule_dialog.daily_cap.setText("300")
    rule_dialog.time_windows.setText("18:00-22:00")
    with qtbot.waitSignal(rule_dialog.succeeded, timeout=10_000):
        qtbot.mouseClick(rule_dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.rule_list.count() == 1

    # Members, through the picker: everyone of one department found by search.
    qtbot.mouseClick(dialog.pick_button, Qt.MouseButton.LeftButton)
    picker = dialog.picker
    assert isinstance(picker, MemberPickerDialog)
    qtbot.waitUntil(lambda: picker.model.loaded, timeout=10_000)
    first_two = [picker.model.row_at(r) for r in range(2)]
    assert all(e is not None for e in first_two)
    for row in range(2):
        picker.model.setData(
            picker.model.index(row, 0), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole
        )
    assert picker.count_label.text() == "已选 2 人"
    picker.accept()
    assert dialog.members_label.text() == "已选 2 人"

    with qtbot.waitSignal(dialog.succeeded, timeout=15_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # a double click
    qtbot.waitUntil(lambda: tab.model.rowCount() == count + 1, timeout=10_000)
    created = tab.current_institution()
    assert created is not None and created.name == "季度团建制度"
    assert (created.member_count, created.rule_count) == (2, 1)
    assert [i.name for i in company.gateway.iter_institutions(page_size=100)].count(
        "季度团建制度"
    ) == 1
    detail = company.gateway.query_institution(created.institution_id)
    assert set(detail.owner_ids) == {e.employee_id for e in first_two if e is not None}
    assert tab.rule_model.rowCount() == 1
    text = tab.rule_model.index(0, ExpenseRuleColumn.CONDITIONS).data()
    assert text == "每日限额 ¥300.00；可用时段 18:00-22:00"
    qtbot.waitUntil(lambda: tab.member_model.rowCount() == 2, timeout=10_000)


def test_edit_an_institution_and_its_rules(qtbot: QtBot, company: Company, tmp_path: Path) -> None:
    tab = make_tab(qtbot, company, tmp_path)
    institution = tab.current_institution()
    assert institution is not None
    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, InstitutionDialog)
    assert dialog.name.text() == institution.name
    dialog.name.setText(institution.name + "（新）")
    dialog.enabled.setChecked(False)
    with qtbot.waitSignal(dialog.succeeded, timeout=15_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "（新）" in tab.title.text(), timeout=10_000)
    assert "停用" in tab.facts.text()

    # A new rule, then edit it.
    before = tab.rule_model.rowCount()
    qtbot.mouseClick(tab.new_rule_button, Qt.MouseButton.LeftButton)
    rule_dialog = tab.dialog
    assert isinstance(rule_dialog, ExpenseRuleDialog)
    rule_dialog.name.setText("月度上限")
    rule_dialog.monthly_cap.setText("1,500")
    rule_dialog.mcc_codes.setText("5812，5814")
    with qtbot.waitSignal(rule_dialog.succeeded, timeout=15_000):
        qtbot.mouseClick(rule_dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.rule_model.rowCount() == before + 1, timeout=10_000)
    row = next(n for n, r in enumerate(tab.rule_model.rows()) if r.name == "月度上限")
    tab.rule_view.selectRow(row)
    qtbot.mouseClick(tab.edit_rule_button, Qt.MouseButton.LeftButton)
    edit = tab.dialog
    assert isinstance(edit, ExpenseRuleDialog)
    assert edit.monthly_cap.text() == "1,500.00"
    assert edit.mcc_codes.text() == "5812, 5814"
    edit.monthly_cap.setText("1800")
    with qtbot.waitSignal(edit.succeeded, timeout=15_000):
        qtbot.mouseClick(edit.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: any("¥1,800.00" in describe_rule(r) for r in tab.rule_model.rows()),
        timeout=10_000,
    )

    # Delete it.
    row = next(n for n, r in enumerate(tab.rule_model.rows()) if r.name == "月度上限")
    tab.rule_view.selectRow(row)
    qtbot.mouseClick(tab.delete_rule_button, Qt.MouseButton.LeftButton)
    confirm(qtbot, tab)
    qtbot.waitUntil(lambda: tab.rule_model.rowCount() == before, timeout=10_000)
    assert "月度上限" not in {
        r.name for r in company.gateway.query_institution(institution.institution_id).rules
    }


def test_members_are_added_removed_and_switched(
    qtbot: QtBot, company: Company, tmp_path: Path
) -> None:
    tab = make_tab(qtbot, company, tmp_path)
    institution = tab.current_institution()
    assert institution is not None
    members = institution.member_count
    qtbot.mouseClick(tab.add_employees_button, Qt.MouseButton.LeftButton)
    picker = tab.dialog
    assert isinstance(picker, MemberPickerDialog)
    qtbot.waitUntil(lambda: picker.model.loaded, timeout=10_000)
    current = {
        m.member_id for m in member_page(company.database, institution.institution_id, 0, 999)
    }
    outsiders = [
        r for r in range(picker.model.rowCount())
        if (e := picker.model.row_at(r)) is not None and e.employee_id not in current
    ][:3]  # fmt: skip
    for row in outsiders:
        picker.model.set_checked(row, True)
    qtbot.mouseClick(
        picker.buttons.button(picker.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(
        lambda: (c := tab.current_institution()) is not None and c.member_count == members + 3,
        timeout=15_000,
    )
    qtbot.waitUntil(lambda: tab.member_model.rowCount() == members + 3, timeout=10_000)

    tab.member_view.selectRow(0)
    removed = tab.selected_members()[0]
    qtbot.mouseClick(tab.remove_members_button, Qt.MouseButton.LeftButton)
    confirm(qtbot, tab)
    qtbot.waitUntil(lambda: tab.member_model.rowCount() == members + 2, timeout=15_000)
    assert removed.member_id not in set(
        company.gateway.iter_institution_scope(institution.institution_id)
    )

    # Departments instead: the employees go (after a warning).
    qtbot.mouseClick(tab.add_departments_button, Qt.MouseButton.LeftButton)
    picker = tab.dialog
    assert isinstance(picker, MemberPickerDialog)
    department = company.department_ids()[2]
    picker.check_department(department)
    assert picker.chosen_ids() == [department]
    picker.accept()
    confirm(qtbot, tab)
    qtbot.waitUntil(
        lambda: (
            (c := tab.current_institution()) is not None
            and c.adapter_type is AdapterType.EMPLOYEE_DEPARTMENT
        ),
        timeout=15_000,
    )
    qtbot.waitUntil(lambda: tab.member_model.rowCount() == 1, timeout=10_000)
    [only] = tab.member_model.loaded_rows()
    assert (only.member_type, only.member_id) == (MemberType.DEPARTMENT, department)


def test_a_refusal_shows_the_reason_and_changes_nothing(
    qtbot: QtBot, company: Company, tmp_path: Path
) -> None:
    tab = make_tab(qtbot, company, tmp_path)
    institution = tab.current_institution()
    assert institution is not None
    leaver = company.employee_ids()[-1]
    company.gateway.delete_employee(leaver)  # gone at Alipay, still in the cache
    before = snapshot(company)
    tab.add_members(institution, MemberType.EMPLOYEE, [leaver])
    qtbot.waitUntil(lambda: tab.running == 0, timeout=15_000)
    [box] = [b for b in tab.findChildren(QMessageBox, "error_box") if b.isVisible()]
    assert box.text() == "添加制度成员失败"
    assert "MEMBER_NOT_EXIST" in box.informativeText()
    assert snapshot(company) == before


def test_bad_rule_input_is_named_before_any_call(
    qtbot: QtBot, company: Company, tmp_path: Path
) -> None:
    tab = make_tab(qtbot, company, tmp_path)
    qtbot.mouseClick(tab.new_rule_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, ExpenseRuleDialog)
    dialog.name.setText("坏规则")
    dialog.time_windows.setText("25:00-26:00")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.busy
    assert "time_windows" in dialog.error_label.text()
    assert dialog.focusWidget() is dialog.time_windows
    dialog.time_windows.clear()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "至少设置一个条件" in dialog.error_label.text()
    dialog.reject()


def test_delete_an_institution(qtbot: QtBot, company: Company, tmp_path: Path) -> None:
    tab = make_tab(qtbot, company, tmp_path)
    institution = tab.current_institution()
    assert institution is not None
    count = tab.model.rowCount()
    qtbot.mouseClick(tab.delete_button, Qt.MouseButton.LeftButton)
    confirm(qtbot, tab)
    qtbot.waitUntil(lambda: tab.model.rowCount() == count - 1, timeout=15_000)
    assert institution.institution_id not in {
        i.institution_id for i in institution_summaries(company.database)
    }
    assert rules_of(company.database, institution.institution_id) == ()


def test_offline_search_and_export(qtbot: QtBot, company: Company, tmp_path: Path) -> None:
    tab = make_tab(qtbot, company, tmp_path, online=False)
    for button in (tab.new_button, tab.edit_button, tab.new_rule_button, tab.add_employees_button):
        assert not button.isEnabled()
        assert "设置" in button.toolTip()
    everything = tab.model.rowCount()
    name = tab.model.rows()[1].name
    assert tab.search_widget() is tab.search
    tab.search.setText(name)
    qtbot.keyClick(tab.search, Qt.Key.Key_Return)
    assert name in [r.name for r in tab.model.rows()]
    assert 0 < tab.model.rowCount() < everything
    assert all(name in r.name + (r.description or "") for r in tab.model.rows())
    headers, rows = tab.export_table()
    assert headers[0] == "制度名称"
    assert [r[0] for r in rows] == [r.name for r in tab.model.rows()]


def test_every_institution_model_passes_the_model_tester(
    qtbot: QtBot, company: Company, qtmodeltester: Any
) -> None:
    institutions = InstitutionTableModel()
    institutions.set_rows(institution_summaries(company.database))
    qtmodeltester.check(institutions, force_py=True)
    rules = ExpenseRuleModel()
    rules.set_rows(
        [
            *rules_of(company.database, company.institution_ids()[0]),
            RuleView("x", "i", "其他", None, RuleFactor.OTHER, None, None, None, (), None,
                     (RuleCondition("SHOP", "S1,S2,S3,S4"),)),
        ]
    )  # fmt: skip
    qtmodeltester.check(rules, force_py=True)
    assert rules.index(rules.rowCount() - 1, ExpenseRuleColumn.CONDITIONS).data() == (
        "限定门店 S1、S2、S3 等4个"
    )
    members = InstitutionMemberModel(company.database, page_size=3)
    members.show(company.institution_ids()[0])
    assert members.rowCount() > 3
    qtmodeltester.check(members, force_py=True)
    picker = EmployeePickerModel(company.database, page_size=4)
    picker.refresh()
    picker.set_checked(1, True)
    qtmodeltester.check(picker, force_py=True)
    assert picker.index(1, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
