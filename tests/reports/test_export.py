"""CSV/XLSX export: golden files, round-trips of arbitrary text and money, bounded memory, and
no half-written file after a failure or a cancel."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import threading
import tracemalloc
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workstation.errors import ValidationError
from workstation.reports import export
from workstation.reports.export import (
    MONEY_FORMAT,
    Cell,
    ExportCancelled,
    ExportError,
    ExportFormat,
    ExportTooLarge,
    export_csv,
    export_file,
    export_xlsx,
    format_for_path,
)

GOLDEN = Path(__file__).parent / "golden"
# UPDATE_GOLDEN=1 rewrites the golden files; review the diff before keeping it.
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

HEADERS = ["交易时间", "员工", "商户", "金额", "笔数", "备注"]
TITLE = "账单 2026-11-01 至 2026-11-22 · 财务部"
SUMMARY: list[tuple[str, Cell]] = [("笔数", 4), ("企业支付合计", Decimal("1234567.89"))]


def small_rows() -> Iterator[list[Cell]]:
    """Every kind of cell a tab hands over, and the texts a spreadsheet would run as formulas."""
    yield [
        dt.datetime(2026, 11, 1, 9, 30, 5),
        "张三",
        "星巴克（国贸店）",
        Decimal("38.00"),
        1,
        None,
    ]
    yield [dt.date(2026, 11, 2), "李四", '逗号, 引号" 与\n换行', Decimal("1234567.8"), 12, "=1+2"]
    yield [dt.datetime(2026, 11, 3, 18, 0), "王五", "+86 电话", Decimal("-45.50"), -3, "@SUM(A1)"]
    yield [None, "-张", "\t制表", Decimal("0"), 0, "\r回车"]


def check_golden(name: str, actual: bytes) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_bytes(actual)
    assert path.exists(), f"missing golden file {path}; run with UPDATE_GOLDEN=1 and review it"
    assert actual == path.read_bytes()


def excel_unescape(text: str) -> str:
    """What Excel shows for an inline string: ``_xHHHH_`` is an escaped character."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)


# -- golden files -------------------------------------------------------------------------------


def test_csv_matches_the_golden_bytes(tmp_path: Path) -> None:
    path = tmp_path / "bills.csv"
    count = export_csv(path, HEADERS, small_rows(), title=TITLE, summary=SUMMARY)
    assert count == 4
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    check_golden("small_table.csv", data)


def test_csv_cells_read_back_as_a_spreadsheet_would(tmp_path: Path) -> None:
    path = tmp_path / "bills.csv"
    export_csv(path, HEADERS, small_rows())
    with path.open(encoding="utf-8-sig", newline="") as fh:
        table = list(csv.reader(fh))
    assert table[0] == HEADERS
    assert table[1] == ["2026-11-01 09:30:05", "张三", "星巴克（国贸店）", "38.00", "1", ""]
    # Money is plain (no ¥, no separators); formula-like text is defused, numbers are not.
    assert table[2] == ["2026-11-02", "李四", '逗号, 引号" 与\n换行', "1234567.80", "12", "'=1+2"]
    assert table[3] == ["2026-11-03 18:00:00", "王五", "'+86 电话", "-45.50", "-3", "'@SUM(A1)"]
    assert table[4] == ["", "'-张", "'\t制表", "0.00", "0", "'\r回车"]
    assert len(table) == 5


def xlsx_cells(path: Path) -> list[list[list[object]]]:
    """Every non-empty row as ``[value, type, number format]`` triples (JSON-friendly)."""
    sheet = openpyxl.load_workbook(path).worksheets[0]
    out = []
    for row in sheet.iter_rows():
        cells = []
        for cell in row:
            value = cell.value
            if isinstance(value, dt.datetime):
                value = value.isoformat()
            cells.append([value, type(cell.value).__name__, cell.number_format])
        out.append(cells)
    return out


def test_xlsx_matches_the_golden_cells(tmp_path: Path) -> None:
    path = tmp_path / "bills.xlsx"
    count = export_xlsx(
        path, HEADERS, small_rows(), title=TITLE, summary=SUMMARY, sheet_name="账单"
    )
    assert count == 4
    actual = json.dumps(xlsx_cells(path), ensure_ascii=False, indent=1).encode() + b"\n"
    check_golden("small_table.xlsx.json", actual)

    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    assert sheet.title == "账单"
    # Title, 2 summary rows, a blank row, then the header on row 5: frozen, filtered, bold.
    assert sheet["A1"].value == TITLE and sheet["A1"].font.b
    assert sheet["B3"].value == 1234567.89 and sheet["B3"].number_format == MONEY_FORMAT
    assert [c.value for c in sheet[5]] == HEADERS
    assert all(c.font.b for c in sheet[5])
    assert sheet.freeze_panes == "A6"
    assert sheet.auto_filter.ref == "A5:F9"
    # Money cells are numbers with the ¥ format; text that looks like a formula stays text.
    assert sheet["D7"].value == 1234567.8 and sheet["D7"].number_format == MONEY_FORMAT
    assert sheet["D8"].value == -45.5 and sheet["D8"].number_format == MONEY_FORMAT
    assert sheet["F7"].value == "=1+2" and sheet["F7"].data_type == "s"
    assert sheet["A6"].value == dt.datetime(2026, 11, 1, 9, 30, 5)
    assert sheet["A6"].number_format == export.DATETIME_FORMAT
    assert (
        sheet["A7"].value == dt.datetime(2026, 11, 2) and sheet["A7"].number_format == "yyyy-mm-dd"
    )
    # Columns are sized to their content: the merchant column is wider than the count column.
    widths = {k: v.width for k, v in sheet.column_dimensions.items()}
    assert widths["C"] > widths["E"] >= 8


def test_without_title_or_summary_the_header_is_the_first_row(tmp_path: Path) -> None:
    xlsx = tmp_path / "t.xlsx"
    export_xlsx(xlsx, ["a", "b"], [["x", 1]])
    sheet = openpyxl.load_workbook(xlsx).worksheets[0]
    assert [c.value for c in sheet[1]] == ["a", "b"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:B2"
    csv_path = tmp_path / "t.csv"
    export_csv(csv_path, ["a", "b"], [["x", 1]])
    assert csv_path.read_bytes() == b"\xef\xbb\xbfa,b\r\nx,1\r\n"


def test_xlsx_keeps_long_ids_and_markup_like_text_exact(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    rows: list[list[Cell]] = [[2088000000000000123, "<r><t>注入</t></r>", "_x0041_"]]
    export_xlsx(path, ["id", "text", "escape"], rows)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    # An int Excel would round (more than 15 digits) goes in as text, every digit kept.
    assert sheet["A2"].value == "2088000000000000123"
    # XlsxWriter would copy rich-text-shaped strings into the XML raw; ours stay plain text.
    assert sheet["B2"].value == "<r><t>注入</t></r>"
    assert excel_unescape(sheet["C2"].value) == "_x0041_"


# -- round trips --------------------------------------------------------------------------------

texts = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)
money = st.decimals(
    min_value=Decimal("-9999999999999.99"),
    max_value=Decimal("9999999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
any_decimal = st.decimals(allow_nan=False, allow_infinity=False)
rows_strategy = st.lists(st.tuples(texts, any_decimal, money), min_size=1, max_size=8)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=rows_strategy)
def test_arbitrary_text_and_decimals_round_trip_through_csv(
    tmp_path: Path, rows: list[tuple[str, Decimal, Decimal]]
) -> None:
    path = tmp_path / "round.csv"
    assert export_csv(path, ["文本", "数", "金额"], ([t, d, m] for t, d, m in rows)) == len(rows)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        back = list(csv.reader(fh))
    assert back[0] == ["文本", "数", "金额"]
    assert len(back) == len(rows) + 1
    for (text, number, amount), (text_back, number_back, amount_back) in zip(
        rows, back[1:], strict=True
    ):
        defused = text.startswith(("=", "+", "-", "@", "\t", "\r"))
        assert text_back == ("'" + text if defused else text)
        assert Decimal(number_back) == number  # every digit kept, no ¥, no separators
        assert Decimal(amount_back) == amount
        assert re.fullmatch(r"-?\d+\.\d\d", amount_back)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.tuples(texts, money), min_size=1, max_size=8))
def test_arbitrary_text_and_money_round_trip_through_xlsx(
    tmp_path: Path, rows: list[tuple[str, Decimal]]
) -> None:
    path = tmp_path / "round.xlsx"
    assert export_xlsx(path, ["文本", "金额"], ([t, m] for t, m in rows)) == len(rows)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    back = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(back) == len(rows)
    for (text, amount), (text_back, amount_back) in zip(rows, back, strict=True):
        # No CSV-style quote here: XLSX cells are typed, text is never run as a formula.
        assert (excel_unescape(text_back) if text_back is not None else "") == text
        assert isinstance(amount_back, int | float)
        assert Decimal(repr(amount_back)).quantize(Decimal("0.01")) == amount


# -- robustness ---------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_failing_source_leaves_no_file_and_keeps_the_old_one(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"out.{suffix}"
    path.write_bytes(b"previous export")

    def rows() -> Iterator[list[Cell]]:
        for i in range(2500):
            yield [f"row {i}", Decimal(i)]
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError, match="database went away"):
        export_file(path, ["a", "b"], rows())
    assert path.read_bytes() == b"previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_cancel_stops_the_export_and_writes_nothing(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"out.{suffix}"
    cancel = threading.Event()
    seen: list[int] = []

    def on_progress(count: int) -> None:
        seen.append(count)
        if count >= 3000:
            cancel.set()

    endless = ([i, f"行 {i}"] for i in range(10**9))
    with pytest.raises(ExportCancelled) as caught:
        export_file(path, ["n", "text"], endless, progress=on_progress, cancel=cancel)
    assert caught.value.message_zh == "导出已取消"
    assert seen == [1000, 2000, 3000]
    assert list(tmp_path.iterdir()) == []


def test_progress_reports_the_final_count(tmp_path: Path) -> None:
    seen: list[int] = []
    count = export_csv(tmp_path / "p.csv", ["n"], ([i] for i in range(2345)), progress=seen.append)
    assert count == 2345
    assert seen == [1000, 2000, 2345]


def test_unwritable_target_is_a_bilingual_export_error(tmp_path: Path) -> None:
    path = tmp_path / "missing-folder" / "out.xlsx"
    with pytest.raises(ExportError) as caught:
        export_xlsx(path, ["a"], [["x"]])
    assert str(path) in caught.value.message_zh and "无法写入文件" in caught.value.message_zh
    assert caught.value.message_en.startswith("cannot write")


def test_more_rows_than_a_sheet_holds_is_refused_not_truncated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A real sheet holds 1 048 576 rows; a small limit shows the same check without the wait.
    monkeypatch.setattr(export, "XLSX_MAX_ROWS", 50)
    path = tmp_path / "big.xlsx"
    with pytest.raises(ExportTooLarge) as caught:
        export_xlsx(path, ["n"], ([i] for i in range(100)), title="t")
    assert "CSV" in caught.value.message_zh and caught.value.limit == 47
    assert not path.exists()
    assert export_xlsx(path, ["n"], ([i] for i in range(47)), title="t") == 47


def test_the_file_name_picks_the_format() -> None:
    assert format_for_path("a/账单.XLSX") is ExportFormat.XLSX
    assert format_for_path("b.csv") is ExportFormat.CSV
    with pytest.raises(ValidationError) as caught:
        format_for_path("c.xls")
    assert caught.value.field == "文件名" and ".xlsx" in caught.value.message_en


# -- memory -------------------------------------------------------------------------------------

ROWS = 200_000


def generated_rows(n: int) -> Iterator[list[Cell]]:
    start = dt.datetime(2026, 1, 1)
    for i in range(n):
        yield [
            start + dt.timedelta(minutes=i),
            f"员工{i % 997:04d}",
            f"商户 {i % 7919}",
            Decimal(i % 100_000) / 100,
            i,
            f"2088{i:012d}",
        ]


def held_bytes(n: int) -> int:
    """What holding ``n`` generated rows in a list takes (tracemalloc's count)."""
    tracemalloc.start()
    try:
        rows = list(generated_rows(n))
        size, _ = tracemalloc.get_traced_memory()
        del rows
    finally:
        tracemalloc.stop()
    return size


def traced_peak(path: Path, n: int) -> int:
    tracemalloc.start()
    try:
        assert export_file(path, [str(i) for i in range(6)], generated_rows(n)) == n
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


@pytest.mark.slow
def test_exporting_200k_rows_to_csv_streams_in_bounded_memory(tmp_path: Path) -> None:
    holding = held_bytes(10_000) * (ROWS // 10_000)
    path = tmp_path / "big.csv"
    peak = traced_peak(path, ROWS)
    # Holding the rows would take ~100 MB; streaming stays at a few MB whatever the row count.
    assert holding > 50 * 2**20
    assert peak < 16 * 2**20, f"peak {peak / 2**20:.1f} MiB"
    assert peak < holding / 8
    with path.open(encoding="utf-8-sig", newline="") as fh:
        assert sum(1 for _ in csv.reader(fh)) == ROWS + 1


@pytest.mark.slow
def test_xlsx_memory_does_not_grow_with_the_row_count(tmp_path: Path) -> None:
    # XlsxWriter needs ~150 µs a row (≈75 s for 200 000 under tracemalloc), so this shows the
    # same bound by growth instead: five times the rows, (almost) the same peak.
    export_xlsx(tmp_path / "warm.xlsx", ["a"], [[1]])  # XlsxWriter's import is not the export
    small = traced_peak(tmp_path / "small.xlsx", 5_000)
    large = traced_peak(tmp_path / "large.xlsx", 25_000)
    holding = held_bytes(25_000)
    assert large < small * 1.25 + 2**20, f"{small / 2**20:.1f} → {large / 2**20:.1f} MiB"
    assert large < holding / 4
    book = openpyxl.load_workbook(tmp_path / "large.xlsx", read_only=True)
    assert book.worksheets[0].max_row == 25_001
    book.close()
