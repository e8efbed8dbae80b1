"""Export a table of display values to CSV or XLSX, streaming and atomically.

The UI hands over ``headers`` and a lazy iterable of rows (the bills tab yields up to a million
filtered rows page by page), so both writers hold one row at a time: the CSV writer streams to a
text file, the XLSX writer uses XlsxWriter's ``constant_memory`` mode. Cell values are ``str``,
``int``, ``Decimal`` (money), ``datetime``/``date`` or ``None``.

Both write to a temporary file beside the target and move it into place only when every row is
written, so a failed or cancelled export never leaves half a file (nor clobbers an older one).
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import os
import re
import secrets
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from workstation.errors import ValidationError, WorkstationError
from workstation.money import format_money

__all__ = [
    "CSV_FORMULA_PREFIXES",
    "DATETIME_FORMAT",
    "DATE_FORMAT",
    "MONEY_FORMAT",
    "PROGRESS_EVERY",
    "XLSX_MAX_ROWS",
    "Cell",
    "ExportCancelled",
    "ExportError",
    "ExportFormat",
    "ExportTooLarge",
    "Progress",
    "csv_text",
    "export_csv",
    "export_file",
    "export_xlsx",
    "format_for_path",
]

Cell = str | int | Decimal | dt.datetime | dt.date | None
Progress = Callable[[int], None]

# Excel and LibreOffice treat a cell starting with one of these as a formula (CWE-1236).
CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = "¥#,##0.00"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
DATE_FORMAT = "yyyy-mm-dd"
# How often (in rows) the writers report progress and look at the cancel flag.
PROGRESS_EVERY = 1000
# Column widths are measured on the first rows only: enough to size a column, cheap for 1M rows.
_WIDTH_SAMPLE = 1000
_MIN_WIDTH, _MAX_WIDTH = 8, 60
# Rows in one Excel worksheet (header and title rows included).
XLSX_MAX_ROWS = 1_048_576
# Excel keeps 15 significant digits; larger ints (ids) go in as text so no digit is lost.
_MAX_EXACT_INT = 10**15
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


class ExportFormat(Enum):
    CSV = "csv"
    XLSX = "xlsx"


class ExportError(WorkstationError):
    """The file could not be written (no permission, disk full, open in Excel on Windows)."""

    def __init__(self, path: Path, exc: OSError) -> None:
        self.path = path
        reason = exc.strerror or str(exc)
        if isinstance(exc, PermissionError):
            zh_hint, en_hint = "（文件可能正在被其他程序打开）", " (is it open in another program?)"
        else:
            zh_hint = en_hint = ""
        super().__init__(
            f"无法写入文件 {path}：{reason}{zh_hint}",
            f"cannot write {path}: {reason}{en_hint}",
        )


class ExportTooLarge(WorkstationError):
    """More rows than an Excel sheet holds; XlsxWriter would silently drop the rest."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(
            f"XLSX 工作表最多容纳 {limit:,} 行数据，请缩小筛选范围或导出为 CSV",
            f"an XLSX sheet holds at most {limit:,} data rows: narrow the filter or export CSV",
        )


class ExportCancelled(WorkstationError):
    """The clerk cancelled; nothing was written."""

    def __init__(self) -> None:
        super().__init__("导出已取消", "export cancelled")


def format_for_path(path: str | os.PathLike[str]) -> ExportFormat:
    """The format a file name asks for; anything but ``.csv``/``.xlsx`` is a clear error."""
    suffix = Path(path).suffix.lower().lstrip(".")
    for fmt in ExportFormat:
        if fmt.value == suffix:
            return fmt
    raise ValidationError(
        "文件名",
        "导出文件必须以 .xlsx 或 .csv 结尾",
        "the export file must end in .xlsx or .csv",
        str(path),
    )


def export_file(
    path: str | os.PathLike[str],
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    title: str | None = None,
    summary: Iterable[tuple[str, Cell]] = (),
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> int:
    """Export in the format the file name asks for. Returns the number of data rows written."""
    if format_for_path(path) is ExportFormat.CSV:
        return export_csv(
            path, headers, rows, title=title, summary=summary, progress=progress, cancel=cancel
        )
    return export_xlsx(
        path, headers, rows, title=title, summary=summary, progress=progress, cancel=cancel
    )


# -- CSV ----------------------------------------------------------------------------------------


def csv_text(value: Cell) -> str:
    """One cell as CSV text: money as plain ``1234.50`` (spreadsheets read it as a number), dates
    ISO, and text that a spreadsheet would run as a formula defused with a leading ``'``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(CSV_FORMULA_PREFIXES) else value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return csv_text(str(value))


def _decimal_text(value: Decimal) -> str:
    if not value.is_finite():
        return str(value)
    if value.is_zero():
        value = abs(value)  # "-0.00" would read as text to a clerk
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    # Money has two places; a value with more (a rate) keeps every digit it has.
    return f"{value:.2f}" if exponent >= -2 else f"{value:f}"


def export_csv(
    path: str | os.PathLike[str],
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    title: str | None = None,
    summary: Iterable[tuple[str, Cell]] = (),
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> int:
    """UTF-8 with a BOM (so Excel on a Chinese Windows opens it as UTF-8), CRLF rows.

    Layout: the title and ``label, value`` summary lines (if any) and a blank line, then the
    header row and the data rows. Returns the number of data rows written."""
    target = Path(path)
    with _atomic(target) as tmp:
        with _open_text(target, tmp) as fh:
            writer = csv.writer(fh)
            preamble = False
            if title:
                writer.writerow([csv_text(title)])
                preamble = True
            for label, value in summary:
                writer.writerow([csv_text(label), csv_text(value)])
                preamble = True
            if preamble:
                writer.writerow([])
            writer.writerow([csv_text(h) for h in headers])
            count = 0
            for row in _checked(rows, progress, cancel):
                writer.writerow([csv_text(v) for v in row])
                count += 1
        return count


@contextmanager
def _open_text(target: Path, tmp: Path) -> Iterator[Any]:
    try:
        fh = open(tmp, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
    except OSError as exc:
        raise ExportError(target, exc) from exc
    with fh:
        yield fh
        try:
            fh.flush()
            os.fsync(fh.fileno())
        except OSError as exc:
            raise ExportError(target, exc) from exc


# -- XLSX ---------------------------------------------------------------------------------------


def export_xlsx(
    path: str | os.PathLike[str],
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    title: str | None = None,
    summary: Iterable[tuple[str, Cell]] = (),
    sheet_name: str = "数据",
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> int:
    """One worksheet: title and summary rows (if any), a bold header row that is frozen and has
    an autofilter, then the data. Money is numeric with ``¥#,##0.00``; dates are real Excel
    dates. Returns the number of data rows written."""
    import xlsxwriter  # imported on first export: start-up does not pay for it
    import xlsxwriter.exceptions

    target = Path(path)
    with _atomic(target) as tmp:
        workbook = xlsxwriter.Workbook(
            str(tmp),
            {
                "constant_memory": True,
                "remove_timezone": True,  # Excel has no time zones: keep the wall-clock time
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        try:
            sheet = workbook.add_worksheet(_sheet_name(sheet_name))
            writer = _XlsxRows(workbook, sheet, len(headers))
            r = 0
            if title:
                sheet.write_string(r, 0, title, writer.title_format)
                sheet.set_row(r, 24)
                r += 1
            summary_rows = list(summary)
            for label, value in summary_rows:
                sheet.write_string(r, 0, label, writer.label_format)
                writer.cell(r, 1, value)
                writer.measure(0, label)
                r += 1
            if title or summary_rows:
                r += 1
            header_row = r
            for c, header in enumerate(headers):
                sheet.write_string(r, c, header, writer.header_format)
                writer.measure(c, header, extra=2)  # room for the autofilter's drop-down button
            count = 0
            for row in _checked(rows, progress, cancel):
                r += 1
                if r >= XLSX_MAX_ROWS:
                    raise ExportTooLarge(XLSX_MAX_ROWS - header_row - 1)
                for c, value in enumerate(row):
                    writer.cell(r, c, value)
                    if count < _WIDTH_SAMPLE:
                        writer.measure(c, value)
                count += 1
            # constant_memory streams cells, but panes, filter and widths are written at close.
            sheet.freeze_panes(header_row + 1, 0)
            if headers:
                sheet.autofilter(header_row, 0, header_row + count, len(headers) - 1)
            for c, width in writer.widths.items():
                sheet.set_column(c, c, width)
        except BaseException:
            _discard(workbook)
            raise
        try:
            workbook.close()
        except OSError as exc:
            raise ExportError(target, exc) from exc
        except xlsxwriter.exceptions.FileCreateError as exc:  # wraps the OSError it hit
            cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else OSError(exc)
            raise ExportError(target, cause) from exc
        _fsync(target, tmp)
        return count


class _XlsxRows:
    """Formats and typed cell writes for one sheet; tracks column widths as it goes."""

    def __init__(self, workbook: Any, sheet: Any, columns: int) -> None:
        self.sheet = sheet
        self.title_format = workbook.add_format({"bold": True, "font_size": 14})
        self.label_format = workbook.add_format({"bold": True})
        self.header_format = workbook.add_format(
            {"bold": True, "bg_color": "#E8ECF0", "bottom": 1, "valign": "vcenter"}
        )
        self.money_format = workbook.add_format({"num_format": MONEY_FORMAT})
        self.datetime_format = workbook.add_format({"num_format": DATETIME_FORMAT})
        self.date_format = workbook.add_format({"num_format": DATE_FORMAT})
        self.widths: dict[int, int] = dict.fromkeys(range(columns), _MIN_WIDTH)

    def cell(self, r: int, c: int, value: Cell) -> None:
        sheet = self.sheet
        if value is None:
            return
        if isinstance(value, str):
            _write_text(sheet, r, c, value)
        elif isinstance(value, bool):
            sheet.write_boolean(r, c, value)
        elif isinstance(value, int):
            if abs(value) < _MAX_EXACT_INT:
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, str(value))
        elif isinstance(value, Decimal):
            if value.is_finite():
                sheet.write_number(r, c, value, self.money_format)
            else:
                sheet.write_string(r, c, str(value))
        elif isinstance(value, dt.datetime):
            sheet.write_datetime(r, c, value, self.datetime_format)
        elif isinstance(value, dt.date):
            sheet.write_datetime(r, c, value, self.date_format)
        else:
            _write_text(sheet, r, c, str(value))

    def measure(self, c: int, value: Cell, *, extra: int = 0) -> None:
        width = min(_display_width(value) + 2 + extra, _MAX_WIDTH)
        if width > self.widths.get(c, 0):
            self.widths[c] = width


def _discard(workbook: Any) -> None:
    """Drop a failed workbook without assembling it: ``close()`` would copy every row written so
    far into a file that is about to be deleted. Only constant_memory's row files need removing."""
    for sheet in workbook.worksheets():
        fh = getattr(sheet, "row_data_fh", None)
        name = getattr(sheet, "row_data_filename", None)
        if fh is not None:
            fh.close()
        if name:
            Path(name).unlink(missing_ok=True)


def _write_text(sheet: Any, r: int, c: int, text: str) -> None:
    if text.startswith("<r>") and text.endswith("</r>"):
        # XlsxWriter's constant_memory mode copies a string shaped like its own rich-text markup
        # into the XML unescaped; as a rich string of plain fragments it is escaped like any text.
        sheet.write_rich_string(r, c, text[:1], text[1:-1], text[-1:])
    else:
        sheet.write_string(r, c, text)


def _display_width(value: Cell) -> int:
    """Roughly how many character cells a value takes in Excel (CJK counts double)."""
    if value is None:
        return 0
    if isinstance(value, Decimal):
        return len(format_money(value)) if value.is_finite() else len(str(value))
    if isinstance(value, dt.datetime):
        return 19
    if isinstance(value, dt.date):
        return 10
    text = value if isinstance(value, str) else str(value)
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _sheet_name(name: str) -> str:
    """Excel refuses sheet names over 31 characters or with ``[]:*?/\\``."""
    cleaned = _SHEET_NAME_BAD.sub("_", name).strip("'")[:31]
    return cleaned or "Sheet1"


# -- shared -------------------------------------------------------------------------------------


def _checked(
    rows: Iterable[Sequence[Cell]], progress: Progress | None, cancel: threading.Event | None
) -> Iterator[Sequence[Cell]]:
    """The rows, reporting progress and honouring cancel every :data:`PROGRESS_EVERY` rows."""
    count = 0
    for row in rows:
        yield row
        count += 1
        if count % PROGRESS_EVERY == 0:
            if cancel is not None and cancel.is_set():
                raise ExportCancelled
            if progress is not None:
                progress(count)
    if cancel is not None and cancel.is_set():
        raise ExportCancelled
    if progress is not None:
        progress(count)


@contextmanager
def _atomic(target: Path) -> Iterator[Path]:
    """A fresh temporary path beside ``target``, moved over it only if the block succeeds."""
    directory = target.parent
    for _ in range(10):
        tmp = directory / f".{target.name}.{secrets.token_hex(4)}.tmp"
        try:
            # O_EXCL: never reuse someone else's file; 0o666 lets the umask decide, as for any
            # file the clerk saves (mkstemp's 0o600 would surprise a shared folder).
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        except OSError as exc:
            raise ExportError(target, exc) from exc
        os.close(fd)
        break
    else:  # pragma: no cover - ten random names taken
        raise ExportError(target, OSError(errno.EEXIST, "temporary file name clash"))
    try:
        yield tmp
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise ExportError(target, exc) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _fsync(target: Path, tmp: Path) -> None:
    """Data on disk before the rename, so a power cut cannot leave an empty "finished" file."""
    try:
        fd = os.open(tmp, os.O_RDWR)  # Windows cannot flush a read-only handle
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise ExportError(target, exc) from exc
