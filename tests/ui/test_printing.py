"""Printing the current view: a paged table painted to PDF, checked with poppler's tools
(page count, the header on every page, page numbers, right-aligned money, the truncation note)
and through the real print preview."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtGui import QPageLayout
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from workstation.ui.printing import (
    MAX_PRINT_ROWS,
    PrintJob,
    PrintTable,
    cell_text,
    paint_table,
    prepare_printer,
    print_view,
    render_to_printer,
)
from workstation.ui.tasks import TaskRunner

pytestmark = [
    pytest.mark.gui,
    pytest.mark.usefixtures("qapp"),  # QPrinter and fonts need a QGuiApplication
    pytest.mark.skipif(
        shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
        reason="poppler-utils (pdfinfo, pdftotext) not installed",
    ),
]

SHOTS = Path("/tmp/workstation-shots")
HEADERS = ["交易时间", "员工", "部门", "商户", "账单金额", "企业付", "状态", "支付单号"]
TITLE = "账单 2026-11-01 至 2026-11-22 · 财务部"
SUMMARY: list[tuple[str, object]] = [("笔数", 300), ("企业支付合计", Decimal("1234567.89"))]
# Noto CJK maps a few glyphs back to radicals in the PDF text layer; NFKC and this table fold
# them to the characters we printed.
# (Qt's PDF text layer reads a collection font's first face, so 户 comes back as 戶.)
_RADICALS = str.maketrans({"⻚": "页", "⻔": "门", "⻓": "长", "⻅": "见", "戶": "户"})


def bills(n: int) -> Iterator[list[object]]:
    start = dt.datetime(2026, 11, 1, 9, 0)
    for i in range(n):
        yield [
            start + dt.timedelta(minutes=37 * i),
            f"员工{i % 50:02d}",
            "财务部" if i % 3 else "市场部·华东大区销售二组",
            f"商户 {i} 星巴克咖啡（国贸三期店）",
            Decimal(i * 1234) / 100,
            Decimal(i * 1000) / 100,
            "已完成",
            f"2026110122001{i:08d}",
        ]


def pdf_printer(path: Path, columns: int) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    prepare_printer(printer, columns)
    return printer


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    match = re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)
    assert match, info.stdout
    return int(match.group(1))


def fold(text: str) -> str:
    """Whitespace removed, full-width punctuation and glyph quirks folded (NFKC)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).translate(_RADICALS))


def page_text(pdf: Path, page: int) -> str:
    """The page's text, :func:`fold`-ed."""
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return fold(out)


def words(pdf: Path, page: int) -> list[tuple[float, float, str]]:
    """``(x_max, y_min, text)`` for every word on a page."""
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.findall(
        r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="([\d.]+)" [^>]*>([^<]*)</word>', out
    )
    return [(float(x), float(y), w) for y, x, w in found]


def test_every_page_has_the_header_and_its_number_and_the_last_says_what_was_left_out(
    tmp_path: Path,
) -> None:
    pdf = tmp_path / "bills.pdf"
    pages = render_to_printer(
        pdf_printer(pdf, len(HEADERS)),
        HEADERS,
        bills(300),
        title=TITLE,
        summary=SUMMARY,
        max_rows=120,
        total_rows=300,
        printed_at=dt.datetime(2026, 11, 22, 14, 3),
    )
    assert pages == page_count(pdf) >= 3
    for page in range(1, pages + 1):
        text = page_text(pdf, page)
        for header in HEADERS:
            assert header in text, f"header {header} missing on page {page}"
        assert f"第{page}/{pages}页" in text
        assert "打印于2026-11-2214:03" in text
    first = page_text(pdf, 1)
    assert fold(TITLE) in first
    assert fold("笔数：300") in first and fold("企业支付合计：¥1,234,567.89") in first
    # Rows run in order across pages with none lost or repeated: row 0 … row 119.
    printed = [
        int(m)
        for p in range(1, pages + 1)
        for m in re.findall(r"商户(\d+)星巴克", page_text(pdf, p))
    ]
    assert printed == list(range(120))
    last = page_text(pdf, pages)
    assert fold("只打印了前120行，另有180行未打印（共300行）。") in last
    assert fold("“导出”（Ctrl+E）") in last
    for page in range(1, pages):
        assert "未打印" not in page_text(pdf, page)
    # A picture to look at: the first and the last page.
    SHOTS.mkdir(exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "70",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf),
            str(SHOTS / "print-first"),
        ],
        check=True,
    )
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "70",
            "-png",
            "-f",
            str(pages),
            "-l",
            str(pages),
            str(pdf),
            str(SHOTS / "print-last"),
        ],
        check=True,
    )


def test_money_is_right_aligned_with_yen_and_separators(tmp_path: Path) -> None:
    pdf = tmp_path / "money.pdf"
    amounts = [Decimal("1234567.8"), Decimal("5"), Decimal("42.10"), Decimal("-12.50")]
    rows = [[f"员工{i}", a, a / 2] for i, a in enumerate(amounts)]
    render_to_printer(pdf_printer(pdf, 3), ["员工", "账单金额", "企业付"], rows)
    printed = [(x, w) for x, _, w in words(pdf, 1) if "¥" in w]
    assert sorted(w for _, w in printed) == sorted(
        ["¥1,234,567.80", "¥617,283.90", "¥5.00", "¥2.50", "¥42.10", "¥21.05", "-¥12.50", "-¥6.25"]
    )
    # Two money columns; within each, every amount ends at the same x (right-aligned).
    clusters: list[list[float]] = []
    for x, _ in sorted(printed):
        if clusters and abs(x - clusters[-1][-1]) < 2:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    assert [len(c) for c in clusters] == [4, 4]
    for cluster in clusters:
        assert max(cluster) - min(cluster) < 0.5


def test_the_default_cap_prints_five_thousand_rows(tmp_path: Path) -> None:
    pdf = tmp_path / "capped.pdf"
    # No count from the tab: the rows past the cap are counted by reading them.
    pages = render_to_printer(pdf_printer(pdf, len(HEADERS)), HEADERS, bills(MAX_PRINT_ROWS + 1234))
    assert pages == page_count(pdf) > 100
    assert fold("只打印了前5,000行，另有1,234行未打印（共6,234行）。") in page_text(pdf, pages)
    assert f"第{pages}/{pages}页" in page_text(pdf, pages)


def test_without_a_cap_overflow_there_is_no_note(tmp_path: Path) -> None:
    pdf = tmp_path / "short.pdf"
    pages = render_to_printer(
        pdf_printer(pdf, 3),
        ["名称", "金额", "日期"],
        [["午餐", Decimal("38.5"), dt.date(2026, 11, 2)]],
    )
    assert pages == page_count(pdf) == 1
    text = page_text(pdf, 1)
    assert "午餐" in text and "¥38.50" in text and "2026-11-02" in text
    assert "未打印" not in text and "第1/1页" in text


def test_counting_stops_at_a_cap_and_says_so() -> None:
    endless = ([i] for i in range(10**9))
    table = PrintTable.read(["n"], endless, max_rows=10, count_cap=500)
    assert len(table.rows) == 10 and table.left_out == 500 and table.left_out_capped
    exact = PrintTable.read(["n"], ([i] for i in range(30)), max_rows=10, count_cap=500)
    assert exact.left_out == 20 and not exact.left_out_capped


def test_wide_tables_print_landscape_and_keep_amounts_whole(tmp_path: Path) -> None:
    narrow, wide = QPrinter(), QPrinter()
    prepare_printer(narrow, 5)
    prepare_printer(wide, 12)
    assert narrow.pageLayout().orientation() == QPageLayout.Orientation.Portrait
    assert wide.pageLayout().orientation() == QPageLayout.Orientation.Landscape

    headers = [f"很长的列标题第{i}列" for i in range(16)]
    rows = [
        [
            Decimal(r * 1000 + c) if c % 3 == 0 else f"单元格内容 {r}-{c} 比较长的一段文字"
            for c in range(16)
        ]
        for r in range(5)
    ]
    pdf = tmp_path / "wide.pdf"
    render_to_printer(pdf_printer(pdf, len(headers)), headers, rows)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert "842 x 595" in info.stdout  # A4 landscape, in points
    text = page_text(pdf, 1)
    # Text columns were elided to fit ("…", folded to "..."), amounts never.
    assert re.search(r"单元格[^.¥]{0,4}\.\.\.", text), text
    assert "比较长的一段文字" not in text
    assert all(f"¥4,{c:03d}.00" in text for c in range(0, 16, 3))


def test_cell_text() -> None:
    assert cell_text(Decimal("-1234.5")) == "-¥1,234.50"
    assert cell_text(dt.datetime(2026, 1, 2, 3, 4, 5)) == "2026-01-02 03:04:05"
    assert cell_text(dt.date(2026, 1, 2)) == "2026-01-02"
    assert cell_text(None) == "" and cell_text(7) == "7"


class Source:
    """A tab as the print action sees it."""

    def __init__(self, n: int, *, fail: bool = False) -> None:
        self.n = n
        self.fail = fail

    def export_title(self) -> str:
        return TITLE

    def export_summary(self) -> list[tuple[str, object]]:
        return [("笔数", self.n)]

    def export_row_count(self) -> int:
        return self.n

    def export_table(self) -> tuple[list[str], Iterable[list[object]]]:
        if self.fail:
            raise RuntimeError("数据库已关闭")
        return HEADERS, bills(self.n)


@pytest.mark.parametrize("window_runner", [True, False], ids=["window-runner", "own-runner"])
def test_print_view_opens_a_preview_of_the_paged_table(
    qtbot: QtBot, tmp_path: Path, window_runner: bool
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.resize(1000, 760)
    runner = TaskRunner(parent)
    job = print_view(parent, Source(90), runner=runner if window_runner else None, max_rows=60)
    assert isinstance(job, PrintJob)
    with qtbot.waitSignal(job.preview_opened, timeout=10_000) as blocker:
        pass
    dialog = blocker.args[0]
    assert isinstance(dialog, QPrintPreviewDialog)
    preview = dialog.findChild(QPrintPreviewWidget)
    assert preview is not None
    qtbot.waitUntil(lambda: job.pages > 0 and preview.pageCount() == job.pages, timeout=10_000)
    assert job.table is not None and len(job.table.rows) == 60 and job.table.left_out == 30
    assert dialog.windowTitle() == "打印预览"
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "print_preview.png"))
    # The preview's own "print" repaints from the kept rows: the same pages again, to PDF.
    pdf = tmp_path / "again.pdf"
    assert job.table is not None
    assert paint_table(pdf_printer(pdf, len(HEADERS)), job.table) == job.pages
    assert fold("另有30行未打印（共90行）") in page_text(pdf, job.pages)
    dialog.close()
    runner.wait(5000)


def test_a_view_that_cannot_be_read_shows_the_error(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    runner = TaskRunner(parent)
    job = print_view(parent, Source(5, fail=True), runner=runner)
    box = parent.findChild(QMessageBox, "error_box")
    assert box is not None and box.text() == "打印失败"
    assert "数据库已关闭" in box.informativeText()
    assert job.dialog is None and runner.pending == 0
