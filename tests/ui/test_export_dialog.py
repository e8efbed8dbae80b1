"""Ctrl+E end to end: a filtered bills view exported off the GUI thread holds exactly the
filtered rows; cancel and failure leave no file; the save dialog proposes a sensible name."""

from __future__ import annotations

import csv
import datetime as dt
import threading
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import shiboken6
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from workstation.db.engine import Database
from workstation.ui.context import TabContext
from workstation.ui.dialogs.export_dialog import (
    LAST_DIR_KEY,
    LAST_FORMAT_KEY,
    ExportJob,
    ask_export_path,
    default_file_name,
    export_view,
)
from workstation.ui.models.bill_table_model import BillColumn
from workstation.ui.tabs.bills import BillsTab
from workstation.ui.tasks import TaskRunner

SHOTS = Path("/tmp/workstation-shots")


@pytest.fixture
def ctx(synced_database: Database, qsettings: QSettings) -> Iterator[TabContext]:
    runner = TaskRunner(busy_delay_ms=50)
    yield TabContext(database=synced_database, runner=runner, qsettings=qsettings)
    runner.wait(5000)


def paid_pay_nos(database: Database) -> list[str]:
    """The truth by plain SQL, independent of the tab's query code."""
    with database.engine.connect() as conn:
        return [
            r[0]
            for r in conn.execute(
                text(
                    "SELECT pay_no FROM t_bill WHERE status = 'paid' "
                    "ORDER BY trade_time DESC, id DESC"
                )
            )
        ]


def paid_bills_tab(qtbot: QtBot, ctx: TabContext) -> BillsTab:
    # The sandbox's few refunds fall on random days: make sure the filter leaves some bills out.
    with ctx.database.engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE t_bill SET status = 'closed' "
                "WHERE id IN (SELECT id FROM t_bill ORDER BY id LIMIT 3)"
            )
        )
    tab = BillsTab(ctx)
    qtbot.addWidget(tab)
    tab.period.setCurrentIndex(tab.period.findData("all"))
    tab.status.setCurrentIndex(tab.status.findData("paid"))
    qtbot.waitUntil(lambda: not tab.model.loading and tab.model.totals is not None, timeout=10_000)
    return tab


def finish(qtbot: QtBot, job: ExportJob | None) -> int:
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=20_000) as blocker:
        pass
    return int(blocker.args[0])


def test_exported_csv_holds_exactly_the_filtered_rows(
    qtbot: QtBot, ctx: TabContext, tmp_path: Path
) -> None:
    tab = paid_bills_tab(qtbot, ctx)
    truth = paid_pay_nos(ctx.database)
    with ctx.database.engine.connect() as conn:
        everything = conn.execute(text("SELECT count(*) FROM t_bill")).scalar_one()
    assert len(truth) < everything, "the filter must leave some bills out"
    path = tmp_path / "账单.csv"
    job = export_view(tab, ctx.runner, tab, path=path, qsettings=ctx.qsettings)
    assert finish(qtbot, job) == len(truth)

    with path.open(encoding="utf-8-sig", newline="") as fh:
        table = list(csv.reader(fh))
    blank = table.index([])
    title, *summary = table[:blank]
    assert title == [tab.export_title()]
    assert dict((r[0], r[1]) for r in summary)["笔数"] == str(len(truth))
    headers, *rows = table[blank + 1 :]
    assert headers == tab.export_table()[0]
    assert [r[BillColumn.PAY_NO] for r in rows] == truth
    # Money as plain numbers a spreadsheet reads, not "¥1,234.50".
    assert all(
        Decimal(r[BillColumn.AMOUNT]) == Decimal(r[BillColumn.AMOUNT]).quantize(Decimal("0.01"))
        for r in rows
    )
    # The clerk is told how many rows went where, and the folder is remembered.
    assert job is not None and job.done_box is not None
    assert job.done_box.text() == f"已导出 {len(truth):,} 行到 账单.csv。"
    assert job.done_box.informativeText() == f"位置：{tmp_path}"
    assert ctx.qsettings.value(LAST_DIR_KEY) == str(tmp_path)
    assert ctx.qsettings.value(LAST_FORMAT_KEY) == "csv"
    SHOTS.mkdir(exist_ok=True)
    job.done_box.grab().save(str(SHOTS / "export_done.png"))
    job.done_box.close()


def test_exported_xlsx_holds_exactly_the_filtered_rows(
    qtbot: QtBot, ctx: TabContext, tmp_path: Path
) -> None:
    tab = paid_bills_tab(qtbot, ctx)
    truth = paid_pay_nos(ctx.database)
    path = tmp_path / "账单.xlsx"
    assert finish(qtbot, export_view(tab, ctx.runner, tab, path=path)) == len(truth)
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    expected_headers = tuple(tab.export_table()[0])
    header_at = next(i for i, r in enumerate(rows) if r == expected_headers)
    data = rows[header_at + 1 :]
    assert [r[BillColumn.PAY_NO] for r in data] == truth
    assert all(isinstance(r[BillColumn.AMOUNT], int | float) for r in data)
    assert all(isinstance(r[BillColumn.TRADE_TIME], dt.datetime) for r in data)


class GatedSource:
    """An endless view that stops after ``gate_after`` rows until the test opens the gate."""

    def __init__(self, gate_after: int) -> None:
        self.gate_after = gate_after
        self.gate = threading.Event()
        self.produced = 0

    def export_title(self) -> str:
        return "无尽的列表"

    def export_table(self) -> tuple[list[str], Iterable[list[object]]]:
        def rows() -> Iterator[list[object]]:
            i = 0
            while True:
                if i == self.gate_after:
                    self.gate.wait(10)
                yield [i, f"行 {i}", Decimal(i) / 100]
                i += 1
                self.produced = i

        return ["序号", "名称", "金额"], rows()


def test_cancel_stops_the_export_and_leaves_no_file(
    qtbot: QtBot, qsettings: QSettings, tmp_path: Path
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.resize(700, 500)
    parent.show()
    runner = TaskRunner(parent)
    source = GatedSource(gate_after=2500)
    path = tmp_path / "endless.xlsx"
    job = export_view(parent, runner, source, path=path)
    assert job is not None
    progress = job.progress
    # The busy dialog appears once the export outlasts a blink, counting rows as they go.
    qtbot.waitUntil(progress.isVisible, timeout=5000)
    qtbot.waitUntil(lambda: "2,000" in progress.labelText(), timeout=5000)
    assert "endless.xlsx" in progress.labelText()
    SHOTS.mkdir(exist_ok=True)
    progress.grab().save(str(SHOTS / "export_progress.png"))

    cancel = progress.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "取消"
    with qtbot.waitSignal(job.cancelled, timeout=10_000):
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
        source.gate.set()
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []
    assert source.produced < 10_000  # stopped at the next checkpoint, not at the end of time
    assert job.done_box is None
    runner.wait(5000)


def test_closing_the_window_stops_a_running_export(qtbot: QtBot, tmp_path: Path) -> None:
    parent = QWidget()
    runner = TaskRunner()  # the window's runner would go with it; this one outlives the window
    source = GatedSource(gate_after=2500)
    path = tmp_path / "endless.csv"
    job = export_view(parent, runner, source, path=path)
    assert job is not None
    qtbot.waitUntil(lambda: source.produced >= 2500, timeout=5000)
    parent.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(parent), timeout=5000)
    source.gate.set()
    assert runner.wait(10_000)
    qtbot.wait(50)  # the (now ownerless) failure callback is delivered and ignored
    assert source.produced < 10_000
    assert list(tmp_path.iterdir()) == []


def test_a_failed_export_is_shown_in_both_languages(qtbot: QtBot, tmp_path: Path) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    runner = TaskRunner(parent)
    source = GatedSource(gate_after=10**9)
    path = tmp_path / "no such folder" / "out.csv"

    class Small:
        def export_table(self) -> tuple[list[str], Iterable[list[object]]]:
            return ["a"], iter([["x"]])

    job = export_view(parent, runner, Small(), path=path)
    assert job is not None
    with qtbot.waitSignal(job.failed, timeout=10_000):
        pass
    box = parent.findChild(QMessageBox, "error_box")
    assert box is not None and box.text() == "导出失败"
    assert "无法写入文件" in box.informativeText() and "cannot write" in box.informativeText()
    assert not path.parent.exists()
    del source


def test_a_bad_file_name_is_refused_before_anything_runs(qtbot: QtBot, tmp_path: Path) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    runner = TaskRunner(parent)
    source = GatedSource(gate_after=0)
    assert export_view(parent, runner, source, path=tmp_path / "out.xls") is None
    box = parent.findChild(QMessageBox, "error_box")
    assert (
        box is not None and "文件名" in box.informativeText() and ".xlsx" in box.informativeText()
    )
    assert runner.pending == 0 and source.produced == 0


def test_default_file_name_is_the_title_and_the_day() -> None:
    day = dt.date(2026, 11, 22)
    assert (
        default_file_name("账单 2026-11-01 ~ 2026-11-22 · 财务部", "xlsx", day)
        == "账单 2026-11-01 ~ 2026-11-22 · 财务部 2026-11-22.xlsx"
    )
    assert (
        default_file_name('a/b\\c:d*e?"f<g>h|i', "csv", day) == "a_b_c_d_e_f_g_h_i 2026-11-22.csv"
    )
    assert default_file_name(None, "csv", day) == "导出 2026-11-22.csv"
    assert default_file_name("  ...  ", "xlsx", day) == "导出 2026-11-22.xlsx"


def test_save_dialog_proposes_the_name_and_completes_a_bare_one(
    qtbot: QtBot, qsettings: QSettings, tmp_path: Path
) -> None:
    qsettings.setValue(LAST_DIR_KEY, str(tmp_path))
    qsettings.setValue(LAST_FORMAT_KEY, "csv")
    seen: dict[str, object] = {}

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(50, answer)
            return
        edit = dialog.findChild(QLineEdit)
        assert edit is not None
        seen["proposed"] = edit.text()
        seen["filter"] = dialog.selectedNameFilter()
        seen["folder"] = dialog.directory().absolutePath()
        SHOTS.mkdir(exist_ok=True)
        dialog.grab().save(str(SHOTS / "export_save_dialog.png"))
        edit.setText("本月报表")
        dialog.accept()

    QTimer.singleShot(50, answer)
    chosen = ask_export_path(None, "账单 · 财务部", qsettings)
    today = dt.date.today().isoformat()
    assert seen["proposed"] == f"账单 · 财务部 {today}.csv"
    assert str(seen["filter"]).startswith("CSV")
    assert seen["folder"] == str(tmp_path)
    # A name typed without an extension takes the chosen format's.
    assert chosen == tmp_path / "本月报表.csv"
