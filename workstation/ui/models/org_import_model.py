"""The rows of a bulk import: first the preview (what would change), then the report (what did)."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from workstation.org.importer import (
    Action,
    FieldChange,
    ImportPreview,
    ImportReport,
    Outcome,
    PreviewRow,
    RowResult,
)

__all__ = ["OrgImportModel"]

_Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 2

_TINTS = {
    Action.INVALID: QColor("#fde2e1"),
    Action.NEW: QColor("#e3f4e6"),
    Action.UPDATE: QColor("#e6effc"),
}
_OUTCOME_TINTS = {
    Outcome.APPLIED: QColor("#e3f4e6"),
    Outcome.FAILED: QColor("#fde2e1"),
    Outcome.UNKNOWN: QColor("#fff4d6"),
    Outcome.NOT_ATTEMPTED: QColor("#fff4d6"),
}


class OrgImportModel(QAbstractTableModel):
    class Column(IntEnum):
        LINE = 0
        ACTION = 1
        RESULT = 2
        NAME = 3
        MOBILE = 4
        EMAIL = 5
        EMPLOYEE_NO = 6
        DEPARTMENT = 7
        DETAIL = 8
        DETAIL_EN = 9

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[PreviewRow] = []
        self._results: dict[int, RowResult] = {}
        self._paths: dict[str, str] = {}

    def set_preview(self, preview: ImportPreview, paths: dict[str, str] | None = None) -> None:
        self.beginResetModel()
        self._rows = list(preview.rows)
        self._results = {}
        self._paths = dict(paths or {})
        self.endResetModel()

    def set_report(self, report: ImportReport) -> None:
        self.beginResetModel()
        self._rows = [r.row for r in report.results]
        self._results = {r.row.line: r for r in report.results}
        self.endResetModel()

    def row_at(self, row: int) -> PreviewRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def result_at(self, row: int) -> RowResult | None:
        found = self.row_at(row)
        return self._results.get(found.line) if found is not None else None

    # -- texts -----------------------------------------------------------------------------
    def action_text(self, action: Action) -> str:
        return {
            Action.NEW: self.tr("新增"),
            Action.UPDATE: self.tr("更新"),
            Action.UNCHANGED: self.tr("无变化"),
            Action.INVALID: self.tr("有误"),
        }[action]

    def outcome_text(self, outcome: Outcome) -> str:
        return {
            Outcome.APPLIED: self.tr("成功"),
            Outcome.FAILED: self.tr("失败"),
            Outcome.SKIPPED: self.tr("未发送"),
            Outcome.NOT_ATTEMPTED: self.tr("未发送"),
            Outcome.UNKNOWN: self.tr("结果未知"),
        }[outcome]

    def field_text(self, field: str) -> str:
        return {
            "name": self.tr("姓名"),
            "mobile": self.tr("手机"),
            "email": self.tr("邮箱"),
            "employee_no": self.tr("工号"),
            "department": self.tr("部门"),
        }.get(field, field)

    def _change_text(self, change: FieldChange) -> str:
        old, new = change.old or "", change.new or ""
        if change.field == "department":
            old, new = self._paths.get(old, old), self._paths.get(new, new)
        return (
            self.tr("%1：%2 → %3")
            .replace("%1", self.field_text(change.field))
            .replace("%2", old or self.tr("（空）"))
            .replace("%3", new)
        )

    def _detail(self, row: PreviewRow, result: RowResult | None) -> tuple[str, str]:
        if result is not None and (
            result.outcome is not Outcome.SKIPPED or row.action is Action.UNCHANGED
        ):
            return result.reason_zh, result.reason_en
        if row.reasons:
            return "；".join(r.zh for r in row.reasons), "; ".join(r.en for r in row.reasons)
        if row.changes:
            return "；".join(self._change_text(c) for c in row.changes), ""
        return "", ""

    def headers(self) -> list[str]:
        return [
            self.tr("行号"),
            self.tr("操作"),
            self.tr("结果"),
            self.tr("姓名"),
            self.tr("手机"),
            self.tr("邮箱"),
            self.tr("工号"),
            self.tr("部门"),
            self.tr("变更或原因"),
            self.tr("原因（英文）"),
        ]

    # -- Qt --------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            headers = self.headers()
            return headers[section] if 0 <= section < len(headers) else None
        return section + 1

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not self.checkIndex(index):
            return None
        row = self._rows[index.row()]
        result = self._results.get(row.line)
        column = self.Column(index.column())
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.BackgroundRole:
            if result is not None:
                return _OUTCOME_TINTS.get(result.outcome, _TINTS.get(row.action))
            return _TINTS.get(row.action)
        if role == Qt.ItemDataRole.ToolTipRole and column in (
            self.Column.DETAIL,
            self.Column.DETAIL_EN,
        ):
            zh, en = self._detail(row, result)
            return "\n".join(t for t in (zh, en) if t) or None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        original = row.original
        if column == self.Column.LINE:
            return str(row.line)
        if column == self.Column.ACTION:
            return self.action_text(row.action)
        if column == self.Column.RESULT:
            if result is None:
                return ""
            if row.action is Action.UNCHANGED:
                return self.tr("无需修改")
            return self.outcome_text(result.outcome)
        if column == self.Column.NAME:
            return original.get("name", row.name)
        if column == self.Column.MOBILE:
            return row.mobile or original.get("mobile", "")
        if column == self.Column.EMAIL:
            return row.email or original.get("email", "")
        if column == self.Column.EMPLOYEE_NO:
            return row.employee_no or original.get("employee_no", "")
        if column == self.Column.DEPARTMENT:
            if row.department_id:
                return self._paths.get(row.department_id, row.department_text)
            return row.department_text
        zh, en = self._detail(row, result)
        return zh if column == self.Column.DETAIL else en
