"""Column and splitter persistence for every view a tab holds, found by object name."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QSplitter, QTableView, QTreeView, QWidget

from workstation.ui.table_tools import HeaderTools, install_header_tools, save_splitter

__all__ = ["install_view_tools"]


def install_view_tools(tab: QWidget, qsettings: QSettings, key: str) -> int:
    """Give each named table/tree view in ``tab`` a column chooser and a remembered header,
    and each named splitter remembered sizes, keyed ``<tab key>/<object name>``. Returns how
    many views got tools. Views without an object name are left alone (nothing stable to key
    their state by)."""
    count = 0
    for view in tab.findChildren(QTableView) + tab.findChildren(QTreeView):
        name = view.objectName()
        if not name or view.findChild(HeaderTools) is not None:
            continue
        install_header_tools(view, qsettings, f"{key}/{name}")
        count += 1
    for splitter in tab.findChildren(QSplitter):
        if splitter.objectName():
            save_splitter(splitter, qsettings, f"{key}/{splitter.objectName()}")
    return count
