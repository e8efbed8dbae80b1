"""A printable invite sheet: each pending employee's name and sign-link QR code, six per A4 page.

Drawn with :func:`workstation.ui.qr.paint_qr` straight onto the printer, so the codes are crisp at
the printer's resolution (the same painter serves screen, PNG and paper)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, Qt
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPen
from PySide6.QtPrintSupport import QPrinter

from workstation.org.service import EmployeeInvite
from workstation.ui.qr import paint_qr, qr_matrix

__all__ = ["COLUMNS", "ROWS", "OrgInviteSheet"]

COLUMNS = 2
ROWS = 3
PER_PAGE = COLUMNS * ROWS


class OrgInviteSheet:
    """``title`` heads every page (e.g. the department's path); ``departments`` maps ids to the
    names printed under each employee."""

    def __init__(
        self,
        title: str,
        invites: Sequence[EmployeeInvite],
        departments: dict[str, str] | None = None,
        printed_on: dt.date | None = None,
    ) -> None:
        self.title = title
        self.invites = list(invites)
        self.departments = dict(departments or {})
        self.printed_on = printed_on or dt.date.today()

    @property
    def page_count(self) -> int:
        return max(1, -(-len(self.invites) // PER_PAGE))

    @staticmethod
    def prepare(printer: QPrinter) -> None:
        """A4 portrait with 12 mm margins."""
        printer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Portrait,
                QMarginsF(12, 12, 12, 12),
                QPageLayout.Unit.Millimeter,
            )
        )

    def print_to(self, printer: QPrinter) -> int:
        """Paint every page on ``printer``; returns the number of pages."""
        painter = QPainter()
        if not painter.begin(printer):
            raise OSError("could not start printing")
        try:
            for page in range(self.page_count):
                if page:
                    printer.newPage()
                area = printer.pageLayout().paintRectPixels(printer.resolution()).toRectF()
                area.moveTo(0, 0)
                self._paint_page(painter, area, page, printer.resolution())
        finally:
            painter.end()
        return self.page_count

    def _paint_page(self, painter: QPainter, area: QRectF, page: int, dpi: int) -> None:
        mm = dpi / 25.4
        painter.save()
        title_font = QFont()
        title_font.setPointSizeF(16)
        title_font.setBold(True)
        painter.setFont(title_font)
        header = QRectF(area.left(), area.top(), area.width(), 12 * mm)
        painter.drawText(
            header, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.title
        )
        small = QFont()
        small.setPointSizeF(9)
        painter.setFont(small)
        stamp = (
            QCoreApplication.translate("OrgInviteSheet", "打印日期 %1　第 %2/%3 页")
            .replace("%1", self.printed_on.isoformat())
            .replace("%2", str(page + 1))
            .replace("%3", str(self.page_count))
        )
        painter.drawText(header, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, stamp)
        hint = QRectF(area.left(), header.bottom(), area.width(), 8 * mm)
        painter.drawText(
            hint,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QCoreApplication.translate(
                "OrgInviteSheet",
                "请用支付宝扫描本人二维码，按提示完成企业码签约激活后即可因公付款。",
            ),
        )
        painter.setPen(QPen(Qt.GlobalColor.gray, max(1.0, 0.2 * mm)))
        painter.drawLine(hint.bottomLeft(), hint.bottomRight())

        grid_top = hint.bottom() + 4 * mm
        cell_w = area.width() / COLUMNS
        cell_h = (area.bottom() - grid_top) / ROWS
        chunk = self.invites[page * PER_PAGE : (page + 1) * PER_PAGE]
        if not chunk:
            painter.setPen(Qt.GlobalColor.black)
            painter.drawText(
                QRectF(area.left(), grid_top, area.width(), cell_h),
                Qt.AlignmentFlag.AlignCenter,
                QCoreApplication.translate("OrgInviteSheet", "没有待激活的员工"),
            )
        for slot, invite in enumerate(chunk):
            left = area.left() + (slot % COLUMNS) * cell_w
            top = grid_top + (slot // COLUMNS) * cell_h
            self._paint_cell(painter, QRectF(left, top, cell_w, cell_h), invite, mm)
        painter.restore()

    def _paint_cell(
        self, painter: QPainter, cell: QRectF, invite: EmployeeInvite, mm: float
    ) -> None:
        pad = 3 * mm
        painter.setPen(QPen(Qt.GlobalColor.lightGray, max(1.0, 0.2 * mm), Qt.PenStyle.DashLine))
        painter.drawRect(cell.adjusted(pad / 2, pad / 2, -pad / 2, -pad / 2))
        text_h = 16 * mm
        side = min(cell.width() - 2 * pad, cell.height() - 2 * pad - text_h)
        square = QRectF(cell.center().x() - side / 2, cell.top() + pad, side, side)
        paint_qr(painter, square.toRect(), qr_matrix(invite.sign_url))
        painter.setPen(Qt.GlobalColor.black)
        name_font = QFont()
        name_font.setPointSizeF(13)
        name_font.setBold(True)
        painter.setFont(name_font)
        below = QRectF(cell.left() + pad, square.bottom() + 1 * mm, cell.width() - 2 * pad, 7 * mm)
        painter.drawText(below, Qt.AlignmentFlag.AlignCenter, invite.name)
        detail_font = QFont()
        detail_font.setPointSizeF(9)
        painter.setFont(detail_font)
        parts = []
        if invite.employee_no:
            parts.append(
                QCoreApplication.translate("OrgInviteSheet", "工号 %1").replace(
                    "%1", invite.employee_no
                )
            )
        department = self.departments.get(invite.department_id or "")
        if department:
            parts.append(department)
        detail = QRectF(below.left(), below.bottom(), below.width(), 6 * mm)
        painter.drawText(detail, Qt.AlignmentFlag.AlignCenter, "　".join(parts))
