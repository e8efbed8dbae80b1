"""Print the current view: a paged table painted with QPainter, shown in a print preview.

Every page repeats the header row and carries "第 i / N 页"; the first page has the title and the
summary (笔数, 合计…). Money is right-aligned as ``¥1,234.50``. Columns that do not fit the page
are narrowed and their text elided; a view with many columns prints landscape.

Printing is capped (:data:`MAX_PRINT_ROWS`): a million-row bill list helps no one on paper, so
the last page says how many rows were left out and points to Ctrl+E (export). The rows to print
are read off the GUI thread once and kept, because the preview repaints (page setup, zoom, the
final print) from the same rows.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QCoreApplication, QLineF, QMarginsF, QObject, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPen,
)
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from workstation.money import format_money
from workstation.ui.errors import show_error
from workstation.ui.tasks import TaskRunner

__all__ = [
    "COUNT_CAP",
    "LANDSCAPE_COLUMNS",
    "MAX_PRINT_ROWS",
    "PrintJob",
    "PrintTable",
    "cell_text",
    "paint_table",
    "prepare_printer",
    "print_view",
    "render_to_printer",
]

MAX_PRINT_ROWS = 5000
# Without a row count from the tab, rows past the cap are counted by reading them, up to this.
COUNT_CAP = 100_000
# More columns than this print landscape.
LANDSCAPE_COLUMNS = 6
_WIDTH_SAMPLE = 1000  # rows measured to size the columns
_BODY_PT, _TITLE_PT, _SUMMARY_PT, _FOOTER_PT = 8.5, 14.0, 9.0, 8.0
_HEADER_FILL = QColor("#E8ECF0")
_STRIPE_FILL = QColor("#F6F8FA")
_GRID = QColor("#B0B7C0")


def cell_text(value: object) -> str:
    """A value as printed: money with ¥ and separators, dates ISO, nothing for ``None``."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_money(value) if value.is_finite() else str(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return (
            QCoreApplication.translate("printing", "是")
            if value
            else QCoreApplication.translate("printing", "否")
        )
    return str(value)


def _is_number(value: object) -> bool:
    return isinstance(value, Decimal | int) and not isinstance(value, bool)


@dataclass
class PrintTable:
    """The rows to print, read once: ``rows`` holds at most ``max_rows``; ``left_out`` is how
    many more the view has, ``left_out_capped`` that counting stopped there (there are more)."""

    headers: list[str]
    rows: list[Sequence[object]]
    title: str | None = None
    summary: list[tuple[str, object]] = field(default_factory=list)
    left_out: int = 0
    left_out_capped: bool = False

    @classmethod
    def read(
        cls,
        headers: Sequence[str],
        rows: Iterable[Sequence[object]],
        *,
        title: str | None = None,
        summary: Iterable[tuple[str, object]] = (),
        max_rows: int = MAX_PRINT_ROWS,
        total_rows: int | None = None,
        count_cap: int = COUNT_CAP,
    ) -> PrintTable:
        """Take the first ``max_rows`` rows; count the rest (``total_rows`` if the tab knows it,
        else by reading on, at most ``count_cap`` more)."""
        iterator: Iterator[Sequence[object]] = iter(rows)
        kept = list(itertools.islice(iterator, max_rows))
        capped = False
        if total_rows is not None:
            left_out = max(0, total_rows - len(kept))
        else:
            left_out = sum(1 for _ in itertools.islice(iterator, count_cap + 1))
            if left_out > count_cap:
                left_out, capped = count_cap, True
        return cls(list(headers), kept, title, list(summary), left_out, capped)


# -- layout -------------------------------------------------------------------------------------


def _fonts() -> dict[str, QFont]:
    def font(points: float, bold: bool = False) -> QFont:
        f = QFont()
        f.setPointSizeF(points)
        f.setBold(bold)
        return f

    return {
        "body": font(_BODY_PT),
        "head": font(_BODY_PT, True),
        "title": font(_TITLE_PT, True),
        "summary": font(_SUMMARY_PT),
        "footer": font(_FOOTER_PT),
    }


def _natural_widths(
    table: PrintTable, body: QFontMetricsF, head: QFontMetricsF, pad: float
) -> tuple[list[float], list[float], list[bool]]:
    """Per column: the header's width, the widest sampled cell's, and whether it holds numbers
    (right-aligned, never elided)."""
    n = len(table.headers)
    header_widths = [head.horizontalAdvance(h) + 2 * pad for h in table.headers]
    cell_widths = [2 * pad] * n
    numeric = [False] * n
    typed = [False] * n
    for row in table.rows[:_WIDTH_SAMPLE]:
        for c, value in enumerate(row[:n]):
            if value is None:
                continue
            if not typed[c]:
                typed[c], numeric[c] = True, _is_number(value)
            cell_widths[c] = max(cell_widths[c], body.horizontalAdvance(cell_text(value)) + 2 * pad)
    return header_widths, cell_widths, numeric


def _water_fill(widths: Sequence[float], available: float) -> list[float]:
    """Narrow the widest columns first: each keeps ``min(natural, cap)``, with the one cap that
    fills ``available``."""
    ordered = sorted(widths)
    remaining = available
    cap = available / max(1, len(widths))
    for i, w in enumerate(ordered):
        share = remaining / (len(ordered) - i)
        if w > share:
            cap = share
            break
        remaining -= w
    return [min(w, cap) for w in widths]


def _fit(
    header_widths: Sequence[float],
    cell_widths: Sequence[float],
    numeric: Sequence[bool],
    available: float,
) -> list[float]:
    """Column widths for the page: natural widths stretched to fill it, or narrowed to fit.
    Text columns give way before number columns (an elided name still says whose row it is, an
    elided amount says nothing), and a number column's header wraps before its cells shrink.
    Only when the numbers alone crowd the page do they narrow too."""
    natural = [max(h, c) for h, c in zip(header_widths, cell_widths, strict=True)]
    total = sum(natural)
    if not natural or total <= 0:
        return natural
    if total <= available:
        return [w * available / total for w in natural]
    kept = [c if n else 0.0 for c, n in zip(cell_widths, numeric, strict=True)]
    fixed = sum(kept)
    text = [w for w, n in zip(natural, numeric, strict=True) if not n]
    if not text or fixed > available * 0.7:
        return _water_fill(natural, available)
    fitted = iter(_water_fill(text, available - fixed))
    widths = [k if n else next(fitted) for k, n in zip(kept, numeric, strict=True)]
    # Room left once the text is at its natural width goes to the number columns' headers.
    spare = available - sum(widths)
    wants = [(nat - w) if n else 0.0 for nat, w, n in zip(natural, widths, numeric, strict=True)]
    wanted = sum(wants)
    if spare > 0 and wanted > 0:
        share = min(1.0, spare / wanted)
        widths = [w + want * share for w, want in zip(widths, wants, strict=True)]
    return widths


def prepare_printer(printer: QPrinter, column_count: int) -> None:
    """A4 with 12 mm margins; landscape for wide tables."""
    orientation = (
        QPageLayout.Orientation.Landscape
        if column_count > LANDSCAPE_COLUMNS
        else QPageLayout.Orientation.Portrait
    )
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            orientation,
            QMarginsF(12, 12, 12, 12),
            QPageLayout.Unit.Millimeter,
        )
    )


@dataclass
class _Layout:
    area: QRectF
    fonts: dict[str, QFont]
    row_h: float
    header_h: float
    pad: float
    widths: list[float]
    numeric: list[bool]
    title_h: float
    summary_lines: list[str]
    summary_h: float
    footer_h: float
    note: str
    note_h: float
    pages: list[tuple[int, int]]  # (first row, end row) per page


def _summary_lines(summary: list[tuple[str, object]], fm: QFontMetricsF, width: float) -> list[str]:
    """``label：value`` pairs, as many to a line as fit."""
    lines: list[str] = []
    current = ""
    for label, value in summary:
        item = f"{label}：{cell_text(value)}"
        candidate = f"{current}　　{item}" if current else item
        if current and fm.horizontalAdvance(candidate) > width:
            lines.append(current)
            current = item
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def _note(table: PrintTable) -> str:
    if not table.left_out:
        return ""
    if table.left_out_capped:
        text = QCoreApplication.translate("printing", "只打印了前 %1 行，另有超过 %2 行未打印。")
    else:
        text = QCoreApplication.translate(
            "printing", "只打印了前 %1 行，另有 %2 行未打印（共 %3 行）。"
        )
    text = (
        text.replace("%1", f"{len(table.rows):,}")
        .replace("%2", f"{table.left_out:,}")
        .replace("%3", f"{len(table.rows) + table.left_out:,}")
    )
    return text + QCoreApplication.translate("printing", "需要全部数据请使用“导出”（Ctrl+E）。")


def _layout(painter: QPainter, device: QPagedPaintDevice, table: PrintTable) -> _Layout:
    dpi = device.logicalDpiY()  # a printer's resolution, a PDF writer's too
    mm = dpi / 25.4
    area = device.pageLayout().paintRectPixels(dpi).toRectF()
    area.moveTo(0, 0)
    fonts = _fonts()
    body = QFontMetricsF(fonts["body"], device)
    head = QFontMetricsF(fonts["head"], device)
    pad = 1.2 * mm
    row_h = body.height() * 1.55
    header_widths, cell_widths, numeric = _natural_widths(table, body, head, pad)
    widths = _fit(header_widths, cell_widths, numeric, area.width())
    # A header that does not fit its column wraps onto a second line rather than lose its end.
    header_h = row_h
    if any(
        head.horizontalAdvance(h) > w - 2 * pad + 0.5
        for h, w in zip(table.headers, widths, strict=True)
    ):
        header_h = head.height() * 2 + (row_h - body.height())
    title_h = QFontMetricsF(fonts["title"], device).height() * 1.6 if table.title else 0.0
    summary_fm = QFontMetricsF(fonts["summary"], device)
    summary_lines = _summary_lines(table.summary, summary_fm, area.width())
    summary_h = summary_fm.height() * 1.4 * len(summary_lines) + (2 * mm if summary_lines else 0)
    footer_h = QFontMetricsF(fonts["footer"], device).height() * 2.0
    note = _note(table)
    note_h = body.height() * 3.0 if note else 0.0

    pages: list[tuple[int, int]] = []
    start = 0
    n = len(table.rows)
    first = True
    while True:
        top = (title_h + summary_h) if first else 0.0
        room = area.height() - footer_h - top - header_h
        per_page = max(1, math.floor(room / row_h))
        end = min(n, start + per_page)
        pages.append((start, end))
        start, first = end, False
        if start >= n:
            break
    # The note goes under the last row; if it does not fit there, it gets a page of its own.
    if note:
        last_start, last_end = pages[-1]
        used = (
            (title_h + summary_h if len(pages) == 1 else 0.0)
            + header_h
            + row_h * (last_end - last_start)
        )
        if used + note_h > area.height() - footer_h:
            pages.append((n, n))
    return _Layout(
        area,
        fonts,
        row_h,
        header_h,
        pad,
        widths,
        numeric,
        title_h,
        summary_lines,
        summary_h,
        footer_h,
        note,
        note_h,
        pages,
    )


# -- painting -----------------------------------------------------------------------------------


def render_to_printer(
    printer: QPagedPaintDevice,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    title: str | None = None,
    summary: Iterable[tuple[str, object]] = (),
    max_rows: int = MAX_PRINT_ROWS,
    total_rows: int | None = None,
    printed_at: dt.datetime | None = None,
) -> int:
    """Paint the table on ``printer`` (a :class:`QPrinter`, or a :class:`QPdfWriter`); returns
    the number of pages. ``rows`` is read here: pass a :class:`PrintTable`'s rows (or use
    :func:`paint_table`) when the rows come from SQL."""
    table = PrintTable.read(
        headers, rows, title=title, summary=summary, max_rows=max_rows, total_rows=total_rows
    )
    return paint_table(printer, table, printed_at=printed_at)


def paint_table(
    printer: QPagedPaintDevice, table: PrintTable, *, printed_at: dt.datetime | None = None
) -> int:
    """Paint an already-read :class:`PrintTable`; returns the number of pages."""
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(QCoreApplication.translate("printing", "无法开始打印"))
    try:
        layout = _layout(painter, printer, table)
        stamp = (printed_at or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
        total = len(layout.pages)
        for number, (start, end) in enumerate(layout.pages):
            if number:
                printer.newPage()
            _paint_page(
                painter,
                layout,
                table,
                number=number,
                total=total,
                start=start,
                end=end,
                stamp=stamp,
            )
    finally:
        painter.end()
    return len(layout.pages)


def _paint_page(
    painter: QPainter,
    lay: _Layout,
    table: PrintTable,
    *,
    number: int,
    total: int,
    start: int,
    end: int,
    stamp: str,
) -> None:
    area = lay.area
    y = area.top()
    left_align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    right_align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    if number == 0:
        if table.title:
            painter.setFont(lay.fonts["title"])
            painter.setPen(Qt.GlobalColor.black)
            painter.drawText(
                QRectF(area.left(), y, area.width(), lay.title_h), left_align, table.title
            )
            y += lay.title_h
        if lay.summary_lines:
            painter.setFont(lay.fonts["summary"])
            line_h = (lay.summary_h - lay.pad * 1.66) / len(lay.summary_lines)
            for line in lay.summary_lines:
                painter.drawText(QRectF(area.left(), y, area.width(), line_h), left_align, line)
                y += line_h
            y = area.top() + lay.title_h + lay.summary_h

    grid = QPen(_GRID)
    grid.setWidthF(max(1.0, lay.row_h / 60))
    table_top = y
    # Header row, repeated on every page (also on a page that holds only the note).
    painter.fillRect(QRectF(area.left(), y, sum(lay.widths), lay.header_h), _HEADER_FILL)
    painter.setFont(lay.fonts["head"])
    metrics = QFontMetricsF(lay.fonts["head"], painter.device())
    x = area.left()
    painter.setPen(Qt.GlobalColor.black)
    for c, header in enumerate(table.headers):
        w = lay.widths[c]
        inner = max(0.0, w - 2 * lay.pad)
        rect = QRectF(x + lay.pad, y, inner, lay.header_h)
        align = right_align if lay.numeric[c] else left_align
        if metrics.horizontalAdvance(header) <= inner:
            painter.drawText(rect, align, header)
        else:  # wrapped from the top; drawText clips what does not fit in two lines
            top = (align & ~Qt.AlignmentFlag.AlignVCenter) | Qt.AlignmentFlag.AlignTop
            painter.drawText(rect, top | Qt.TextFlag.TextWrapAnywhere, header)
        x += w
    y += lay.header_h

    painter.setFont(lay.fonts["body"])
    metrics = QFontMetricsF(lay.fonts["body"], painter.device())
    n = len(table.headers)
    for i in range(start, end):
        row = table.rows[i]
        if (i - start) % 2:
            painter.fillRect(QRectF(area.left(), y, sum(lay.widths), lay.row_h), _STRIPE_FILL)
        x = area.left()
        for c in range(n):
            value = row[c] if c < len(row) else None
            w = lay.widths[c]
            inner = max(0.0, w - 2 * lay.pad)
            text = metrics.elidedText(cell_text(value), Qt.TextElideMode.ElideRight, inner)
            align = right_align if _is_number(value) or lay.numeric[c] else left_align
            painter.drawText(QRectF(x + lay.pad, y, inner, lay.row_h), align, text)
            x += w
        y += lay.row_h

    # Grid: horizontal rules under the header and around the block, vertical column rules.
    painter.setPen(grid)
    right = area.left() + sum(lay.widths)
    painter.drawRect(QRectF(area.left(), table_top, right - area.left(), y - table_top))
    rule = table_top + lay.header_h
    painter.drawLine(QLineF(area.left(), rule, right, rule))
    x = area.left()
    for w in lay.widths[:-1]:
        x += w
        painter.drawLine(QLineF(x, table_top, x, y))

    if lay.note and number == total - 1:
        painter.setPen(Qt.GlobalColor.black)
        note_font = QFont(lay.fonts["body"])
        note_font.setBold(True)
        painter.setFont(note_font)
        painter.drawText(
            QRectF(area.left(), y + lay.row_h * 0.5, area.width(), lay.note_h),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
            lay.note,
        )

    painter.setFont(lay.fonts["footer"])
    painter.setPen(QColor("#555555"))
    footer = QRectF(area.left(), area.bottom() - lay.footer_h, area.width(), lay.footer_h)
    bottom = Qt.AlignmentFlag.AlignBottom
    page_text = (
        QCoreApplication.translate("printing", "第 %1 / %2 页")
        .replace("%1", str(number + 1))
        .replace("%2", str(total))
    )
    painter.drawText(footer, Qt.AlignmentFlag.AlignHCenter | bottom, page_text)
    painter.drawText(
        footer,
        Qt.AlignmentFlag.AlignRight | bottom,
        QCoreApplication.translate("printing", "打印于 %1").replace("%1", stamp),
    )
    if number and table.title:
        painter.drawText(footer, Qt.AlignmentFlag.AlignLeft | bottom, table.title)


# -- the print action ---------------------------------------------------------------------------


class PrintJob(QObject):
    """Reads the rows off the GUI thread, then opens the preview. ``preview_opened`` carries the
    :class:`QPrintPreviewDialog`; ``failed`` the exception (already shown to the clerk)."""

    preview_opened = Signal(object)
    failed = Signal(object)

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.table: PrintTable | None = None
        self.dialog: QPrintPreviewDialog | None = None
        self.printer: QPrinter | None = None
        self.pages = 0

    def on_read(self, table: PrintTable) -> None:
        self.table = table
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        prepare_printer(printer, len(table.headers))
        printer.setDocName(table.title or QCoreApplication.translate("printing", "打印"))
        self.printer = printer
        dialog = QPrintPreviewDialog(printer, self.parent_widget)
        dialog.setObjectName("table_print_preview")
        dialog.setWindowTitle(QCoreApplication.translate("printing", "打印预览"))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.paintRequested.connect(self.on_paint_requested)
        dialog.resize(1000, 760)
        self.dialog = dialog
        dialog.open()
        self.preview_opened.emit(dialog)

    def on_paint_requested(self, printer: QPrinter) -> None:
        if self.table is not None:
            self.pages = paint_table(printer, self.table)

    def on_failed(self, exc: BaseException) -> None:
        show_error(self.parent_widget, QCoreApplication.translate("printing", "打印"), exc)
        self.failed.emit(exc)


def _optional(source: object, name: str) -> Callable[[], Any] | None:
    method = getattr(source, name, None)
    return method if callable(method) else None


def print_view(
    parent: QWidget | None,
    source: object,
    *,
    runner: TaskRunner | None = None,
    max_rows: int = MAX_PRINT_ROWS,
) -> PrintJob:
    """Ctrl+P: print what ``source`` (a tab) shows through a print preview.

    Pass the window's ``runner`` so its busy indicator covers the read; without one the job
    reads on a runner of its own.

    ``source.export_table()`` and the optional ``export_title()`` are called here on the GUI
    thread and must be quick: they capture the current filter and return a lazy iterable. The
    optional ``export_summary()`` and ``export_row_count()`` and the iterable run on a pool
    thread, so they may only read cached values and do SQL reads with their own short sessions,
    never touch widgets."""
    job = PrintJob(parent)
    if runner is None:
        runner = TaskRunner(job, max_threads=1)
    try:
        headers, rows = source.export_table()  # type: ignore[attr-defined]
        title_fn = _optional(source, "export_title")
        summary_fn = _optional(source, "export_summary")
        count_fn = _optional(source, "export_row_count")
        title = title_fn() if title_fn else None
    except Exception as exc:
        job.on_failed(exc)
        return job

    def read() -> PrintTable:
        summary = list(summary_fn()) if summary_fn else []
        total = count_fn() if count_fn else None
        return PrintTable.read(
            headers, rows, title=title, summary=summary, max_rows=max_rows, total_rows=total
        )

    runner.run(read, job.on_read, job.on_failed)
    return job
