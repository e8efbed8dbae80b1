"""An institution's members, read page by page (an institution may hold 100 000 people)."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from workstation.db.engine import Database
from workstation.institutions.models import MemberType
from workstation.institutions.service import MemberView, member_count, member_page
from workstation.ui.marks import QT_TRANSLATE_NOOP
from workstation.ui.models.institution_paging import SORT_ROLE, Fetch, PagedTableModel
from workstation.ui.models.list_model import HeaderedTableModel

__all__ = ["InstitutionMemberModel", "MemberColumn"]

_CONTEXT = "InstitutionMemberModel"
_Index = QModelIndex | QPersistentModelIndex


class MemberColumn(enum.IntEnum):
    NAME = 0
    TYPE = 1
    EMPLOYEE_NO = 2
    DEPARTMENT = 3
    MEMBER_ID = 4


_HEADERS = {
    MemberColumn.NAME: QT_TRANSLATE_NOOP("InstitutionMemberModel", "成员"),
    MemberColumn.TYPE: QT_TRANSLATE_NOOP("InstitutionMemberModel", "类型"),
    MemberColumn.EMPLOYEE_NO: QT_TRANSLATE_NOOP("InstitutionMemberModel", "工号"),
    MemberColumn.DEPARTMENT: QT_TRANSLATE_NOOP("InstitutionMemberModel", "所属部门"),
    MemberColumn.MEMBER_ID: QT_TRANSLATE_NOOP("InstitutionMemberModel", "ID"),
}
_TYPE_TEXT = {
    MemberType.EMPLOYEE: QT_TRANSLATE_NOOP("InstitutionMemberModel", "员工"),
    MemberType.DEPARTMENT: QT_TRANSLATE_NOOP("InstitutionMemberModel", "部门"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


class InstitutionMemberModel(HeaderedTableModel, PagedTableModel[MemberView]):
    context = _CONTEXT
    headers = _HEADERS

    def __init__(
        self,
        database: Database,
        *,
        fetch: Fetch | None = None,
        page_size: int = 200,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(fetch=fetch, page_size=page_size, parent=parent)
        self.database = database
        self.institution_id: str | None = None
        self.text = ""

    def show(self, institution_id: str | None, text: str = "") -> None:
        self.institution_id, self.text = institution_id, text
        self.refresh()

    def count_rows(self) -> int:
        if self.institution_id is None:
            return 0
        return member_count(self.database, self.institution_id, self.text)

    def read_page(self, offset: int, limit: int) -> Sequence[MemberView]:
        if self.institution_id is None:
            return ()
        return member_page(self.database, self.institution_id, offset, limit, self.text)

    def cell(self, row: MemberView, column: int, role: int) -> Any:
        values = {
            MemberColumn.NAME: row.name,
            MemberColumn.TYPE: _tr(_TYPE_TEXT[row.member_type]),
            MemberColumn.EMPLOYEE_NO: row.employee_no or "",
            MemberColumn.DEPARTMENT: row.department_name or "",
            MemberColumn.MEMBER_ID: row.member_id,
        }
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return values[MemberColumn(column)]
        return None
