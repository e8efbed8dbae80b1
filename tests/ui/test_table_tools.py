"""Column persistence and the column chooser, on real views with real QSettings files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSettings,
    Qt,
)
from PySide6.QtWidgets import QLabel, QMenu, QSplitter, QTableView, QTreeView, QWidget
from pytestqt.qtbot import QtBot

from workstation.ui.table_tools import (
    RESTORED_PROPERTY,
    HeaderTools,
    header_key,
    install_header_tools,
    save_splitter,
)

COLUMNS = ["交易时间", "员工", "部门", "商户", "金额"]
ROWS = [
    ["2026-11-01", "张三", "财务部", "星巴克", "38.00"],
    ["2026-11-02", "李四", "市场部", "滴滴出行", "125.50"],
    ["2026-11-03", "王五", "研发部", "全家", "9.90"],
]
AnyIndex = QModelIndex | QPersistentModelIndex


class TableModel(QAbstractTableModel):
    """A plain table whose contents can be reset, as the SQL models do on refresh."""

    def __init__(self, columns: list[str], rows: list[list[str]]) -> None:
        super().__init__()
        self.columns = columns
        self.rows = rows

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self.rows[index.row()][index.column()]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self.rows.sort(key=lambda r: r[column], reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()

    def reset_rows(self, rows: list[list[str]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()


def make_view(
    qtbot: QtBot,
    qsettings: QSettings,
    *,
    columns: list[str] = COLUMNS,
    key: str = "bills/table",
    kind: type[QTableView] | type[QTreeView] = QTableView,
    sorting: bool = False,
) -> tuple[QTableView | QTreeView, HeaderTools, TableModel]:
    view = kind()
    view.setObjectName("table")
    qtbot.addWidget(view)
    model = TableModel(columns, [list(r[: len(columns)]) for r in ROWS])
    model.setParent(view)
    view.setModel(model)
    view.setSortingEnabled(sorting)
    tools = install_header_tools(view, qsettings, key, save_delay_ms=50)
    return view, tools, model


def header_of(view: QTableView | QTreeView) -> Any:
    return view.horizontalHeader() if isinstance(view, QTableView) else view.header()


def test_a_fresh_view_restores_hidden_moved_resized_columns_and_sort(
    qtbot: QtBot, qsettings: QSettings
) -> None:
    view, tools, _ = make_view(qtbot, qsettings, sorting=True)
    header = header_of(view)
    assert tools.set_column_visible(2, False)
    header.moveSection(header.visualIndex(0), 3)
    header.resizeSection(1, 222)
    header.setSortIndicator(4, Qt.SortOrder.DescendingOrder)
    # Saved after the debounce, without anything else happening.
    qtbot.waitUntil(lambda: qsettings.contains(header_key("bills/table")), timeout=3000)

    fresh, fresh_tools, model = make_view(qtbot, qsettings, sorting=True)
    h = header_of(fresh)
    assert fresh_tools.restored and fresh.property(RESTORED_PROPERTY) is True
    assert h.isSectionHidden(2)
    assert h.visualIndex(0) == 3
    assert h.sectionSize(1) == 222
    assert (h.sortIndicatorSection(), h.sortIndicatorOrder()) == (4, Qt.SortOrder.DescendingOrder)
    # A sorting view is sorted the way its indicator says (amount, descending as text).
    assert [r[4] for r in model.rows] == ["9.90", "38.00", "125.50"]


def test_destroying_the_view_flushes_a_pending_change(qtbot: QtBot, tmp_path: Path) -> None:
    ini = tmp_path / "views.ini"
    settings = QSettings(str(ini), QSettings.Format.IniFormat)
    view = QTreeView()
    model = TableModel(COLUMNS, [list(r) for r in ROWS])
    model.setParent(view)
    view.setModel(model)
    install_header_tools(view, settings, "org/tree", save_delay_ms=60_000)
    view.header().resizeSection(3, 301)
    assert not settings.contains(header_key("org/tree"))  # still waiting for the debounce
    view.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(view), timeout=3000)
    settings.sync()

    again = QSettings(str(ini), QSettings.Format.IniFormat)
    fresh, _, _ = make_view(qtbot, again, key="org/tree", kind=QTreeView)
    assert header_of(fresh).sectionSize(3) == 301


def test_hiding_the_view_flushes_a_pending_change(qtbot: QtBot, qsettings: QSettings) -> None:
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(TableModel(COLUMNS, [list(r) for r in ROWS]))
    install_header_tools(view, qsettings, "quotas/table", save_delay_ms=60_000)
    view.show()
    qtbot.waitExposed(view)
    view.horizontalHeader().resizeSection(0, 180)
    assert not qsettings.contains(header_key("quotas/table"))
    view.hide()  # switching tabs or closing the window hides the view
    assert qsettings.contains(header_key("quotas/table"))


def test_the_last_visible_column_cannot_be_hidden(qtbot: QtBot, qsettings: QSettings) -> None:
    view, tools, _ = make_view(qtbot, qsettings)
    header = header_of(view)
    for column in range(4):
        assert tools.set_column_visible(column, False)
    assert not tools.set_column_visible(4, False)
    assert not header.isSectionHidden(4) and tools.visible_count() == 1

    menu = tools.build_column_menu()
    columns = [a for a in menu.actions() if a.isCheckable()]
    assert [a.text() for a in columns] == COLUMNS
    last = next(a for a in columns if a.isChecked())
    assert last.text() == "金额" and not last.isEnabled()
    # Showing another column makes the last one hideable again.
    next(a for a in columns if a.text() == "员工").setChecked(True)
    assert not header.isSectionHidden(1)
    assert tools.set_column_visible(4, False)
    menu.deleteLater()


def test_menu_toggles_columns_and_restores_defaults(qtbot: QtBot, qsettings: QSettings) -> None:
    view, tools, _ = make_view(qtbot, qsettings)
    header = header_of(view)
    default_sizes = [header.sectionSize(i) for i in range(5)]
    header.moveSection(4, 0)
    header.resizeSection(2, 333)
    menu = tools.build_column_menu()
    # In on-screen order: the moved column comes first.
    assert next(a.text() for a in menu.actions() if a.isCheckable()) == "金额"
    next(a for a in menu.actions() if a.text() == "商户").trigger()
    assert header.isSectionHidden(3)
    tools.save()
    assert qsettings.contains(header_key("bills/table"))

    reset = menu.findChild(type(menu.actions()[0]), "restore_default_columns_action")
    assert reset is not None and reset.text() == "恢复默认列"
    reset.trigger()
    assert [header.logicalIndex(v) for v in range(5)] == [0, 1, 2, 3, 4]
    assert [header.sectionSize(i) for i in range(5)] == default_sizes
    assert not any(header.isSectionHidden(i) for i in range(5))
    assert not qsettings.contains(header_key("bills/table"))
    qtbot.wait(120)  # no late debounced write brings the old layout back
    assert not qsettings.contains(header_key("bills/table"))
    menu.deleteLater()


def test_state_saved_for_other_columns_is_ignored(qtbot: QtBot, qsettings: QSettings) -> None:
    view, tools, _ = make_view(qtbot, qsettings)
    tools.set_column_visible(0, False)
    header_of(view).resizeSection(1, 250)
    tools.save()

    # A later version shows three columns: the five-column state must not be forced on it.
    narrow, narrow_tools, _ = make_view(qtbot, qsettings, columns=COLUMNS[:3])
    h = header_of(narrow)
    assert not narrow_tools.restored
    assert h.count() == 3 and not any(h.isSectionHidden(i) for i in range(3))
    assert h.sectionSize(1) != 250
    # …and its own changes are saved for its own column count from then on.
    h.resizeSection(2, 190)
    narrow_tools.save()
    assert int(qsettings.value("views/bills/table/columns")) == 3
    again, again_tools, _ = make_view(qtbot, qsettings, columns=COLUMNS[:3])
    assert again_tools.restored and header_of(again).sectionSize(2) == 190


def test_garbage_in_settings_is_ignored(qtbot: QtBot, qsettings: QSettings) -> None:
    qsettings.setValue(header_key("bills/table"), QByteArray(b"\x00\x01not a header state"))
    qsettings.setValue("views/bills/table/columns", 5)
    view, tools, _ = make_view(qtbot, qsettings)
    h = header_of(view)
    assert not tools.restored
    assert h.count() == 5 and not any(h.isSectionHidden(i) for i in range(5))


def test_state_waits_for_a_model_and_survives_a_reset(qtbot: QtBot, qsettings: QSettings) -> None:
    view, tools, _ = make_view(qtbot, qsettings)
    tools.set_column_visible(3, False)
    header_of(view).resizeSection(0, 210)
    tools.save()

    late = QTableView()
    qtbot.addWidget(late)
    late_tools = install_header_tools(late, qsettings, "bills/table")  # no model yet
    late_model = TableModel(COLUMNS, [list(r) for r in ROWS])
    late.setModel(late_model)
    h = late.horizontalHeader()
    assert late_tools.restored
    assert h.isSectionHidden(3) and h.sectionSize(0) == 210
    late_model.reset_rows([list(ROWS[0])])  # a refresh keeps the clerk's layout
    assert h.isSectionHidden(3) and h.sectionSize(0) == 210


def test_keyboard_shortcut_and_right_click_open_the_chooser(
    qtbot: QtBot, qsettings: QSettings
) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    view = QTableView(window)
    view.setModel(TableModel(COLUMNS, [list(r) for r in ROWS]))
    view.resize(600, 200)
    tools = install_header_tools(view, qsettings, "bills/table")
    assert tools.chooser_action.shortcut().toString() == "Ctrl+Shift+L"
    with qtbot.waitActive(window):  # shortcuts reach only the active window
        window.show()
        window.activateWindow()
    view.setFocus()
    qtbot.keyClick(
        view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    qtbot.waitUntil(lambda: tools.menu is not None and tools.menu.isVisible(), timeout=3000)
    menu = tools.menu
    assert isinstance(menu, QMenu)
    assert menu.activeAction() is menu.actions()[0]  # keyboard focus on the first column
    # Enter toggles the highlighted column off, as a keyboard user would.
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.horizontalHeader().isSectionHidden(0), timeout=3000)
    tools.set_column_visible(0, True)

    header = view.horizontalHeader()
    header.customContextMenuRequested.emit(QPoint(10, 5))
    qtbot.waitUntil(lambda: tools.menu is not None and tools.menu.isVisible(), timeout=3000)
    shot = tools.menu.grab()
    shot.save(str(Path(qsettings.fileName()).parent / "column_chooser.png"))
    tools.menu.close()


def test_splitter_sizes_come_back(qtbot: QtBot, qsettings: QSettings) -> None:
    def build() -> QSplitter:
        splitter = QSplitter()
        qtbot.addWidget(splitter)
        splitter.addWidget(QLabel("列表"))
        splitter.addWidget(QLabel("详情"))
        splitter.resize(600, 300)
        splitter.show()
        qtbot.waitExposed(splitter)
        return splitter

    first = build()
    tools = save_splitter(first, qsettings, "bills/splitter", save_delay_ms=50)
    assert not tools.restored
    first.moveSplitter(420, 1)
    sizes = first.sizes()
    qtbot.waitUntil(lambda: qsettings.contains("views/bills/splitter/splitter"), timeout=3000)

    second = build()
    assert save_splitter(second, qsettings, "bills/splitter").restored
    assert second.sizes() == sizes


@pytest.mark.parametrize("kind", [QTableView, QTreeView])
def test_tools_are_found_by_type_on_any_view(
    qtbot: QtBot, qsettings: QSettings, kind: type[QTableView] | type[QTreeView]
) -> None:
    view, tools, _ = make_view(qtbot, qsettings, kind=kind)
    assert view.findChild(HeaderTools) is tools
    assert tools.chooser_action in view.actions()
