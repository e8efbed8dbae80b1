"""The quotas tab against a live sandbox company: issue (once, however often OK is pressed),
pending actions and their retry, refusals, adjust, delete, department batches, filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from quotas.live_company import Company, build_template, live_company
from sqlalchemy import select

from workstation.alipay.types import QuotaAction
from workstation.money import format_money
from workstation.quotas.models import IssueState, Quota, QuotaIssueAction
from workstation.quotas.service import (
    IssueOutcome,
    QuotaFilter,
    QuotaService,
    QuotaSort,
    quota_page,
)
from workstation.ui.context import TabContext
from workstation.ui.dialogs.quota_batch_dialog import BatchIssueDialog
from workstation.ui.dialogs.quota_issue_dialog import IssueQuotaDialog
from workstation.ui.dialogs.quota_modify_dialog import ModifyQuotaDialog
from workstation.ui.models.quota_action_model import IssueActionModel
from workstation.ui.models.quota_preview_model import BatchPreviewColumn, BatchPreviewModel
from workstation.ui.models.quota_table_model import (
    ROW_ROLE,
    SORT_ROLE,
    USAGE_ROLE,
    QuotaColumn,
    QuotaTableModel,
)
from workstation.ui.tabs.quotas import QuotasTab
from workstation.ui.tasks import TaskRunner
from workstation.ui.widgets.quota_usage_delegate import available_fraction

CREATE = "alipay.ebpp.invoice.expensecontrol.quota.create"


@pytest.fixture(scope="module")
def company_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_template(tmp_path_factory.mktemp("quota_tab_company"))


@pytest.fixture
def company(company_template: Path, tmp_path: Path) -> Iterator[Company]:
    with live_company(company_template, tmp_path, max_attempts=1) as c:
        yield c


def make_tab(qtbot: QtBot, company: Company, tmp_path: Path, *, online: bool = True) -> QuotasTab:
    runner = TaskRunner()
    ctx = TabContext(
        database=company.database,
        runner=runner,
        qsettings=QSettings(str(tmp_path / "tab.ini"), QSettings.Format.IniFormat),
        gateway=company.gateway if online else None,
        enterprise_id=company.enterprise_id,
    )
    tab = QuotasTab(ctx)
    runner.setParent(tab)
    qtbot.addWidget(tab)
    tab.resize(1280, 760)
    tab.show()
    qtbot.waitUntil(lambda: tab.model.loaded and bool(tab.institutions), timeout=10_000)
    return tab


def wait_settled(qtbot: QtBot, tab: QuotasTab) -> None:
    qtbot.waitUntil(lambda: tab.ctx.runner.pending == 0, timeout=15_000)


def alipay_quotas(company: Company, employee_id: str, institution_id: str) -> set[str]:
    return {
        q.quota_id
        for q in company.gateway.iter_quotas(
            owner_id=employee_id, institution_id=institution_id, page_size=100
        )
    }


def open_issue_dialog(qtbot: QtBot, tab: QuotasTab) -> IssueQuotaDialog:
    qtbot.mouseClick(tab.issue_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, IssueQuotaDialog)
    return dialog


def choose(dialog: IssueQuotaDialog, employee_id: str, institution_id: str, amount: str) -> None:
    dialog.employee.setCurrentIndex(dialog.employee.findData(employee_id))
    dialog.institution.setCurrentIndex(dialog.institution.findData(institution_id))
    dialog.amount.clear()
    dialog.amount.setFocus()
    for char in amount:
        dialog.amount.insert(char)
    dialog.amount.textEdited.emit(dialog.amount.text())


def error_box(widget: QWidget) -> QMessageBox | None:
    boxes = [b for b in widget.findChildren(QMessageBox, "error_box") if b.isVisible()]
    return boxes[-1] if boxes else None


def test_a_double_click_on_ok_issues_one_quota(
    qtbot: QtBot, company: Company, tmp_path: Path
) -> None:
    tab = make_tab(qtbot, company, tmp_path)
    employee, institution = company.employee_ids()[2], company.institution_ids()[0]
    before = alipay_quotas(company, employee, institution)
    rows_before = tab.model.rowCount()
    dialog = open_issue_dialog(qtbot, tab)
    choose(dialog, employee, institution, "123.45")
    company.sandbox.faults.latency = 0.3  # the first submit is still running at the second click

    with qtbot.waitSignal(dialog.succeeded, timeout=15_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert not dialog.ok_button.isEnabled()
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        dialog.on_ok_clicked()  # even a click that slipped through submits nothing
    company.sandbox.faults.latency = 0

    created = alipay_quotas(company, employee, institution) - before
    assert len(created) == 1
    qtbot.waitUntil(lambda: tab.model.rowCount() == rows_before + 1, timeout=10_000)
    with company.database.read_session() as s:
        attempts = s.scalars(select(QuotaIssueAction.attempts)).all()
    assert attempts == [1]


def test_ok_again_after_a_timeout_resends_the_same_intent(
    qtbot: QtBot, company: Company, tmp_path: Path
) -> None:
    from dataclasses import replace

    from workstation.alipay.gateway import AlipayGateway

    slow = AlipayGateway(replace(company.gateway.config, timeout=0.5))
    tab = make_tab(qtbot, company, tmp_path)
    tab.service.gateway = slow
    employee, institution = company.employee_ids()[4], company.institution_ids()[1]
    before = alipay_quotas(company, employee, institution)
    dialog = open_issue_dialog(qtbot, tab)
    choose(dialog, employee, institution, "50")
    key = dialog.outer_source_id
    company.sandbox.faults.update(timeout_next=1, timeout_seconds=1.0, methods=[CREATE])
    try:
        with qtbot.waitSignal(dialog.failed, timeout=15_000):
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and dialog.ok_button.isEnabled()
        assert "待确认" in dialog.error_label.text()
        box = error_box(dialog)
        assert box is not None and "发放额度" in box.text()
        box.close()
        # The pending action is listed in the tab with a retry button.
        qtbot.waitUntil(tab.pending_panel.isVisible, timeout=10_000)
        [pending] = tab.pending_model.rows()
        assert (pending.outer_source_id, pending.state) == (key, IssueState.PENDING)
        # Wait until the sandbox has done the work it answered too late for, then OK again.
        qtbot.waitUntil(
            lambda: bool(alipay_quotas(company, employee, institution) - before), timeout=10_000
        )
        assert dialog.outer_source_id == key  # nothing edited: the same intent
        with qtbot.waitSignal(dialog.succeeded, timeout=15_000):
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    finally:
        slow.close()
    assert len(alipay_quotas(company, employee, institution) - before) == 1
    qtbot.waitUntil(lambda: not tab.pending_panel.isVisible(), timeout=10_000)


def test_a_refusal_shows_alipays_words_and_leaves_the_cache_unchanged(
    qtbot: QtBot, company: Company, tmp_path: Path
) -> None:
    tab = make_tab(qtbot, company, tmp_path)
    company.sandbox.faults.update(
        business_error_next=1,
        business_sub_code="QUOTA_LIMIT",
        business_sub_msg="本月发放次数已达上限",
        methods=[CREATE],
    )
    with company.database.read_session() as s:
        before = [tuple(r) for r in s.execute(select(Quota.__table__))]
    dialog = open_issue_dialog(qtbot, tab)
    choose(dialog, company.employee_ids()[0], company.institution_ids()[0], "10")
    with qtbot.waitSignal(dialog.failed, timeout=15_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    box = error_box(dialog)
    assert box is not None
    assert box.text() == "发放额度失败"
    assert "本月发放次数已达上限" in box.informativeText()
    assert "QUOTA_LIMIT" in box.informativeText()
    assert "待确认" not in dialog.error_label.text()
    with company.database.read_session() as s:
        assert [tuple(r) for r in s.execute(select(Quota.__table__))] == before
    qtbot.waitUntil(tab.pending_panel.isVisible, timeout=10_000)
    [failed] = tab.pending_model.rows()
    assert failed.state is IssueState.FAILED
    box.close()
    dialog.reject()
    qtbot.mouseClick(tab.dismiss_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.pending_panel.isVisible(), timeout=10_000)


def test_bad_input_names_the_field_before_any_call(
    qtbot: QtBot, company: Company, tmp_path: Path
) -> None:
    tab = make_tab(qtbot, company, tmp_path)
    dialog = open_issue_dialog(qtbot, tab)
    choose(dialog, company.employee_ids()[0], company.institution_ids()[0], "12.345")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.busy  # refused on the spot: nothing was sent
    assert dialog.error_label.isVisible()
    assert "金额最多两位小数" in dialog.error_label.text()
    assert "amount" in dialog.error_label.text()
    assert dialog.focusWidget() is dialog.amount
    dialog.valid_to.setDateTime(dialog.valid_from.dateTime().addSecs(-60))
    choose(dialog, company.employee_ids()[0], company.institution_ids()[0], "12")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "失效时间必须晚于生效时间" in dialog.error_label.text()
    with company.database.read_session() as s:
        assert s.scalar(select(QuotaIssueAction.id)) is None


def test_retry_from_the_pending_list_after_a_restart(
    qtbot: QtBot, company: Company, tmp_path: Path
) -> None:
    # An issue recorded, then the app stopped before Alipay answered.
    service = QuotaService(company.database, company.gateway, company.enterprise_id)
    now = service.now()
    from workstation.quotas.service import ValidIssue

    key = service.new_outer_source_id()
    employee, institution = company.employee_ids()[5], company.institution_ids()[0]
    service._record(
        [ValidIssue(employee, institution, Decimal("77.00"), now, now + dt.timedelta(days=3))],
        [key],
        batch_id=None,
    )
    before = alipay_quotas(company, employee, institution)

    tab = make_tab(qtbot, company, tmp_path)
    qtbot.waitUntil(tab.pending_panel.isVisible, timeout=10_000)
    assert "1 笔发放待确认" in tab.pending_label.text()
    tab.pending_view.selectRow(0)
    qtbot.mouseClick(tab.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.pending_panel.isVisible(), timeout=15_000)
    assert len(alipay_quotas(company, employee, institution) - before) == 1
    found = quota_page(company.database, QuotaFilter(text=key[:0]), QuotaSort(), 0, 1000)
    assert key in {q.outer_source_id for q in found}


def test_adjust_and_delete_the_selected_quota(
    qtbot: QtBot, company: Company, tmp_path: Path
) -> None:
    tab = make_tab(qtbot, company, tmp_path)
    assert not tab.modify_button.isEnabled()
    tab.select_row(0)
    quota = tab.selected_quota()
    assert quota is not None and tab.modify_button.isEnabled()
    qtbot.mouseClick(tab.modify_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, ModifyQuotaDialog)
    dialog.action.setCurrentIndex(dialog.action.findData(QuotaAction.ADD.value))
    dialog.amount.setText("100")
    with qtbot.waitSignal(dialog.succeeded, timeout=15_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: any(
            q.quota_id == quota.quota_id and q.total == quota.total + 100
            for q in tab.model.loaded_rows()
        ),
        timeout=10_000,
    )

    row = next(n for n, q in enumerate(tab.model.loaded_rows()) if q.quota_id == quota.quota_id)
    tab.select_row(row)
    count = tab.model.rowCount()
    qtbot.mouseClick(tab.delete_button, Qt.MouseButton.LeftButton)
    [box] = [b for b in tab.findChildren(QMessageBox, "confirm_box") if b.isVisible()]
    assert format_money(quota.available + 100) in box.text()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.model.rowCount() == count - 1, timeout=10_000)
    assert quota.quota_id not in {q.quota_id for q in company.gateway.iter_quotas(page_size=500)}


def test_department_batch_previews_then_issues_everyone_once(
    qtbot: QtBot, company: Company, tmp_path: Path
) -> None:
    tab = make_tab(qtbot, company, tmp_path)
    qtbot.mouseClick(tab.batch_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, BatchIssueDialog)
    dialog.chunk_size = 4
    department = company.department_ids()[4]  # a department with sub-departments
    dialog.department.setCurrentIndex(dialog.department.findData(department))
    dialog.institution.setCurrentIndex(dialog.institution.findData(company.institution_ids()[2]))
    dialog.amount.setText("40")
    assert not dialog.issue_button.isEnabled()
    with qtbot.waitSignal(dialog.previewed, timeout=10_000) as previewed:
        qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    preview = previewed.args[0]
    lines = dialog.model.rows()
    assert len(lines) == len(preview.lines) > 4
    assert dialog.model.index(0, BatchPreviewColumn.AMOUNT).data() == "¥40.00"
    assert format_money(Decimal(40) * len(lines)) in dialog.summary.text()
    leaver = lines[0].employee_id
    company.gateway.delete_employee(leaver)

    with qtbot.waitSignal(dialog.issued, timeout=30_000) as issued:
        qtbot.mouseClick(dialog.issue_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.issue_button, Qt.MouseButton.LeftButton)
    done, failed, pending = issued.args[0]
    assert (done, failed, pending) == (len(lines) - 1, 1, 0)
    outcome = dialog.model.outcome(leaver)
    assert isinstance(outcome, IssueOutcome) and outcome.state is IssueState.FAILED
    row = [line.employee_id for line in lines].index(leaver)
    assert "失败" in dialog.model.index(row, BatchPreviewColumn.RESULT).data()
    assert dialog.retry_button.isVisible()
    for line in lines[1:]:
        assert len(alipay_quotas(company, line.employee_id, company.institution_ids()[2])) >= 1

    # Retrying the unfinished one issues nobody twice.
    issued_before = {
        line.employee_id: alipay_quotas(company, line.employee_id, company.institution_ids()[2])
        for line in lines[1:]
    }
    with qtbot.waitSignal(dialog.issued, timeout=30_000):
        qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
    for line in lines[1:]:
        assert (
            alipay_quotas(company, line.employee_id, company.institution_ids()[2])
            == issued_before[line.employee_id]
        )
    dialog.reject()


def test_filters_usage_bar_and_export(qtbot: QtBot, company: Company, tmp_path: Path) -> None:
    tab = make_tab(qtbot, company, tmp_path)
    total = tab.model.rowCount()
    assert total > 10
    assert tab.totals_label.text().startswith(f"共 {total} 笔")
    first = tab.model.index(0, QuotaColumn.TOTAL)
    assert first.data().startswith("¥")
    assert int(first.data(Qt.ItemDataRole.TextAlignmentRole)) & int(Qt.AlignmentFlag.AlignRight)
    usage = tab.model.index(0, QuotaColumn.USAGE).data(USAGE_ROLE)
    assert usage == (
        tab.model.index(0, 0).data(ROW_ROLE).total,
        tab.model.index(0, 0).data(ROW_ROLE).available,
    )

    # Use one quota up entirely: it is the only exhausted one.
    target = tab.model.index(3, 0).data(ROW_ROLE)
    service = QuotaService(company.database, company.gateway, company.enterprise_id)
    service.modify(
        target.quota_id, QuotaAction.DEDUCT, target.available, service.new_outer_source_id()
    )
    tab.ctx.events.changed.emit("quotas")
    tab.exhausted.setChecked(True)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=10_000)
    assert tab.model.index(0, 0).data(ROW_ROLE).quota_id == target.quota_id
    assert available_fraction(*tab.model.index(0, QuotaColumn.USAGE).data(USAGE_ROLE)) == 0
    tab.exhausted.setChecked(False)

    # "Expiring within N days": still valid, ending before now + N days.
    tab.expiring.setChecked(True)
    tab.expiring_days.setValue(365)
    qtbot.waitUntil(lambda: tab.model.loaded and tab.model.quota_filter.expiring_days == 365)
    wait_settled(qtbot, tab)
    now = tab.service.now()
    soon = tab.model.loaded_rows()
    assert soon and all(
        q.valid_to is not None and now <= q.valid_to <= now + dt.timedelta(days=365) for q in soon
    )
    tab.expiring.setChecked(False)
    qtbot.waitUntil(lambda: tab.model.rowCount() == total, timeout=10_000)

    institution = company.institution_ids()[0]
    tab.institution_filter.setCurrentIndex(tab.institution_filter.findData(institution))
    qtbot.waitUntil(lambda: tab.model.loaded and 0 < tab.model.rowCount() < total, timeout=10_000)
    assert {q.institution_id for q in tab.model.loaded_rows()} == {institution}
    tab.institution_filter.setCurrentIndex(0)
    qtbot.waitUntil(lambda: tab.model.rowCount() == total, timeout=10_000)

    name = tab.model.index(0, QuotaColumn.EMPLOYEE).data()
    assert tab.search_widget() is tab.search
    tab.search.setText(name)  # QTest cannot type Chinese
    qtbot.keyClick(tab.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.model.rowCount() < total, timeout=10_000)
    assert all(q.employee_name == name for q in tab.model.loaded_rows())

    tab.view.sortByColumn(QuotaColumn.AVAILABLE, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(
        lambda: tab.model.quota_sort.key == "available" and tab.model.loaded, timeout=10_000
    )
    qtbot.waitUntil(lambda: tab.ctx.runner.pending == 0, timeout=10_000)
    values = [
        tab.model.index(r, QuotaColumn.AVAILABLE).data(SORT_ROLE)
        for r in range(tab.model.rowCount())
    ]
    assert values == sorted(values, reverse=True)

    assert tab.export_title() == f"额度 · “{name}”"
    summary = dict(tab.export_summary())
    assert summary["笔数"] == tab.export_row_count() == tab.model.rowCount()
    assert summary["总额度合计"] == sum((q.total for q in tab.model.loaded_rows()), Decimal(0))
    headers, rows = tab.export_table()
    exported = list(rows)
    assert headers[QuotaColumn.TOTAL] == "总额度"
    assert len(exported) == tab.model.rowCount()
    assert all(isinstance(r[QuotaColumn.TOTAL], Decimal) for r in exported)


def test_actions_are_disabled_without_an_alipay_app(
    qtbot: QtBot, company: Company, tmp_path: Path
) -> None:
    tab = make_tab(qtbot, company, tmp_path, online=False)
    tab.select_row(0)
    for button in (tab.issue_button, tab.batch_button, tab.modify_button, tab.delete_button):
        assert not button.isEnabled()
        assert "设置" in button.toolTip()
    tab.on_issue_clicked()
    assert tab.dialog is None


def test_every_quota_model_passes_the_model_tester(
    qtbot: QtBot, company: Company, qtmodeltester: Any
) -> None:
    model = QuotaTableModel(company.database, page_size=7)
    model.refresh()
    assert model.rowCount() > 7
    qtmodeltester.check(model, force_py=True)
    actions = IssueActionModel()
    service = QuotaService(company.database, company.gateway, company.enterprise_id)
    from workstation.quotas.service import issue_actions

    now = service.now()
    preview = service.preview_department(
        company.department_ids()[0],
        company.institution_ids()[0],
        "5",
        now,
        now + dt.timedelta(days=1),
    )
    _, keys = service.start_batch(preview)
    actions.set_rows(issue_actions(company.database))
    assert actions.rowCount() == len(keys)
    qtmodeltester.check(actions, force_py=True)
    lines = BatchPreviewModel()
    lines.set_rows(preview.lines)
    lines.set_outcomes([IssueOutcome(keys[0], preview.lines[0].employee_id, IssueState.DONE, "q")])
    qtmodeltester.check(lines, force_py=True)
