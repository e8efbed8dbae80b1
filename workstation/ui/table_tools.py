"""Column persistence and a column chooser for every table, and splitter persistence.

Clerks size, order and hide columns once and expect them back next time. Header state lives in
QSettings under ``views/<key>/header`` (Qt's own ``saveState`` blob: widths, order, hidden
columns, sort indicator) with the column count beside it under ``views/<key>/columns``: a state
saved for another set of columns is ignored rather than applied to the wrong ones.

Writes are debounced (a drag-resize emits a signal per pixel) and flushed when the view hides,
when the application quits and when the view is destroyed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QEvent,
    QObject,
    QPoint,
    QSettings,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHeaderView, QMenu, QSplitter, QTableView, QTreeView, QWidget

__all__ = [
    "CHOOSER_SHORTCUT",
    "RESTORED_PROPERTY",
    "SAVE_DELAY_MS",
    "HeaderTools",
    "SplitterTools",
    "header_key",
    "install_header_tools",
    "save_splitter",
]

SAVE_DELAY_MS = 400
CHOOSER_SHORTCUT = QKeySequence("Ctrl+Shift+L")
# Set on a view whose widths came from settings, so a tab can skip its own auto-sizing.
RESTORED_PROPERTY = "headerStateRestored"


def header_key(key: str) -> str:
    return f"views/{key}/header"


def _columns_key(key: str) -> str:
    return f"views/{key}/columns"


def _splitter_key(key: str) -> str:
    return f"views/{key}/splitter"


class _Pending:
    """The last state seen, kept in plain Python so it can still be written after the Qt
    objects that produced it are gone (``destroyed`` fires after a widget's children died)."""

    def __init__(self, qsettings: QSettings, values: Callable[[], dict[str, Any] | None]) -> None:
        self.qsettings = qsettings
        self.values = values
        self.snapshot: dict[str, Any] | None = None
        self.dirty = False

    def capture(self) -> None:
        values = self.values()
        if values is not None:
            self.snapshot = values
            self.dirty = True

    def write(self) -> None:
        if not self.dirty or self.snapshot is None:
            return
        self.dirty = False
        try:
            for name, value in self.snapshot.items():
                self.qsettings.setValue(name, value)
        except RuntimeError:  # the QSettings object itself was deleted first (shutdown)
            pass


class _Persister(QObject):
    """Debounces writes of one widget's state and flushes them on hide, quit and destroy.

    A change is captured at once (in case the widget dies before the event loop runs again) and
    re-captured when control returns to the event loop, because Qt emits some signals halfway
    through an operation: a header re-hiding a column during a sort reports a total length that
    does not yet match its sections, and such a state fails to restore."""

    def __init__(
        self,
        widget: QWidget,
        qsettings: QSettings,
        values: Callable[[], dict[str, Any] | None],
        delay_ms: int,
    ) -> None:
        super().__init__(widget)
        self.pending = _Pending(qsettings, values)
        self.settle_timer = QTimer(self)
        self.settle_timer.setSingleShot(True)
        self.settle_timer.setInterval(0)
        self.settle_timer.timeout.connect(self.on_settled)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self.flush)
        widget.installEventFilter(self)
        pending = self.pending
        # A plain function, not a slot of this object: by then this QObject is gone too.
        widget.destroyed.connect(lambda *_: pending.write())
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.flush)

    def changed(self) -> None:
        self.pending.capture()
        self.settle_timer.start()
        self.timer.start()

    def on_settled(self) -> None:
        if self.pending.dirty:
            self.pending.capture()

    def flush(self) -> None:
        """Write a pending change now."""
        self.timer.stop()
        if self.pending.dirty:
            self.pending.capture()
        self.pending.write()

    def save_now(self) -> None:
        """Write the current state now, changed or not."""
        self.pending.capture()
        self.flush()

    def cancel(self) -> None:
        self.timer.stop()
        self.settle_timer.stop()
        self.pending.dirty = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Hide:
            self.flush()
        return False


class HeaderTools(QObject):
    """Persistence and the column chooser for one view's horizontal header."""

    def __init__(
        self,
        view: QTableView | QTreeView,
        qsettings: QSettings,
        key: str,
        *,
        save_delay_ms: int = SAVE_DELAY_MS,
    ) -> None:
        super().__init__(view)
        self.setObjectName(f"{key}_header_tools")
        self.view = view
        self.qsettings = qsettings
        self.key = key
        self.header: QHeaderView = (
            view.horizontalHeader() if isinstance(view, QTableView) else view.header()
        )
        self.restored = False
        self.menu: QMenu | None = None
        self._default: QByteArray | None = None
        self._quiet = False
        self._persister = _Persister(view, qsettings, self._values, save_delay_ms)

        header = self.header
        header.setSectionsMovable(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self.on_header_menu_requested)
        header.sectionResized.connect(self.on_header_changed)
        header.sectionMoved.connect(self.on_header_changed)
        header.sortIndicatorChanged.connect(self.on_header_changed)
        header.sectionCountChanged.connect(self.on_section_count_changed)

        self.chooser_action = QAction(self.tr("选择显示的列…"), view)
        self.chooser_action.setObjectName("column_chooser_action")
        self.chooser_action.setShortcut(CHOOSER_SHORTCUT)
        self.chooser_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.chooser_action.triggered.connect(self.on_chooser_triggered)
        view.addAction(self.chooser_action)

        if header.count() > 0:
            self._initialise()

    # -- state ------------------------------------------------------------------------------
    def _values(self) -> dict[str, Any] | None:
        # During destruction the header dies before the view's last Hide event. No columns means
        # the model is going away (a tab closing deletes its model before its view): that empty
        # header must not overwrite the clerk's layout.
        if self._default is None or not shiboken6.isValid(self.header):
            return None
        if self.header.count() == 0:
            return None
        return {
            header_key(self.key): self.header.saveState(),
            _columns_key(self.key): self.header.count(),
        }

    def _initialise(self) -> None:
        """Remember the view's own layout as the default, then apply the saved one if it fits."""
        self._default = self.header.saveState()
        saved: Any = self.qsettings.value(header_key(self.key))
        columns: Any = self.qsettings.value(_columns_key(self.key))
        try:
            saved_columns = int(columns)
        except (TypeError, ValueError):
            saved_columns = -1
        if not isinstance(saved, QByteArray | bytes) or saved_columns != self.header.count():
            return
        self._quiet = True
        try:
            ok = self.header.restoreState(QByteArray(saved))
            if not ok or self.header.count() != saved_columns or self.visible_count() == 0:
                self.header.restoreState(self._default)
                return
        finally:
            self._quiet = False
        self.restored = True
        self.view.setProperty(RESTORED_PROPERTY, True)
        self._apply_sort()

    def _apply_sort(self) -> None:
        """``restoreState`` moves the indicator only; a sorting view must sort to match it."""
        section = self.header.sortIndicatorSection()
        if self.view.isSortingEnabled() and 0 <= section < self.header.count():
            self.view.sortByColumn(section, self.header.sortIndicatorOrder())

    def on_section_count_changed(self, old: int, new: int) -> None:
        if self._default is None and new > 0:
            self._initialise()
        elif old != new:
            self.on_header_changed()

    def on_header_changed(self, *_: object) -> None:
        if not self._quiet:
            self._persister.changed()

    def save(self) -> None:
        """Write the current state now (the lead's window calls this in its close handler)."""
        self._persister.save_now()

    # -- columns ----------------------------------------------------------------------------
    def column_title(self, logical: int) -> str:
        model = self.header.model()
        title = model.headerData(logical, Qt.Orientation.Horizontal) if model else None
        return str(title) if title not in (None, "") else str(logical + 1)

    def visible_count(self) -> int:
        header = self.header
        return sum(1 for i in range(header.count()) if not header.isSectionHidden(i))

    def set_column_visible(self, logical: int, visible: bool) -> bool:
        """Show or hide a column; refuses to hide the last visible one (a table with no columns
        cannot even be right-clicked to bring one back)."""
        header = self.header
        if not 0 <= logical < header.count():
            return False
        if not visible and not header.isSectionHidden(logical) and self.visible_count() <= 1:
            return False
        header.setSectionHidden(logical, not visible)
        if visible and header.sectionSize(logical) == 0:
            header.resizeSection(logical, header.defaultSectionSize())
        self.on_header_changed()
        return True

    def restore_defaults(self) -> None:
        """Back to the layout the view had before any saved state (and forget the saved one)."""
        if self._default is None:
            return
        self._quiet = True
        try:
            self.header.restoreState(self._default)
        finally:
            self._quiet = False
        self._persister.cancel()
        self.qsettings.remove(header_key(self.key))
        self.qsettings.remove(_columns_key(self.key))
        self.restored = False
        self.view.setProperty(RESTORED_PROPERTY, False)
        self._apply_sort()

    def build_column_menu(self) -> QMenu:
        """A checkable action per column in on-screen order, then "恢复默认列"."""
        menu = QMenu(self.view)
        menu.setObjectName("column_chooser_menu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        header = self.header
        only_one = self.visible_count() <= 1
        for visual in range(header.count()):
            logical = header.logicalIndex(visual)
            action = menu.addAction(self.column_title(logical))
            action.setCheckable(True)
            shown = not header.isSectionHidden(logical)
            action.setChecked(shown)
            action.setEnabled(not (shown and only_one))
            action.setData(logical)
            action.toggled.connect(
                lambda checked, column=logical: self.set_column_visible(column, checked)
            )
        menu.addSeparator()
        reset = menu.addAction(self.tr("恢复默认列"))
        reset.setObjectName("restore_default_columns_action")
        reset.triggered.connect(self.restore_defaults)
        return menu

    def show_column_menu(self, global_pos: QPoint | None = None) -> QMenu:
        """Pop up the chooser (at the header for a right-click, at the view for the shortcut)."""
        if self.menu is not None:
            with contextlib.suppress(RuntimeError):  # closed menus delete themselves
                self.menu.close()
        self.menu = self.build_column_menu()
        if global_pos is None:
            global_pos = self.view.viewport().mapToGlobal(QPoint(0, 0))
        self.menu.popup(global_pos)
        # Keyboard users land on the first column's entry, ready for the arrow keys and Space.
        actions = self.menu.actions()
        if actions:
            self.menu.setActiveAction(actions[0])
        return self.menu

    def on_chooser_triggered(self) -> None:
        self.show_column_menu()

    def on_header_menu_requested(self, pos: QPoint) -> None:
        self.show_column_menu(self.header.mapToGlobal(pos))


def install_header_tools(
    view: QTableView | QTreeView,
    qsettings: QSettings,
    key: str,
    *,
    save_delay_ms: int = SAVE_DELAY_MS,
) -> HeaderTools:
    """Restore ``view``'s header from ``views/<key>/header`` and keep it saved; add the column
    chooser (header right-click, or Ctrl+Shift+L with focus in the view).

    Call it after the view has its model (or before: the state is applied once the header gets
    columns). The returned object is owned by the view; ``view.findChild(HeaderTools)`` finds it.
    A view whose state was restored carries the dynamic property ``headerStateRestored`` = True,
    so its tab can skip ``resizeColumnsToContents`` (which would override the clerk's widths)."""
    return HeaderTools(view, qsettings, key, save_delay_ms=save_delay_ms)


class SplitterTools(QObject):
    """Persistence for one splitter's sizes under ``views/<key>/splitter``."""

    def __init__(
        self, splitter: QSplitter, qsettings: QSettings, key: str, *, save_delay_ms: int
    ) -> None:
        super().__init__(splitter)
        self.splitter = splitter
        self.key = key
        self.restored = False
        saved: Any = qsettings.value(_splitter_key(key))
        if isinstance(saved, QByteArray | bytes):
            self.restored = bool(splitter.restoreState(QByteArray(saved)))
        self._persister = _Persister(
            splitter,
            qsettings,
            lambda: (
                {_splitter_key(key): splitter.saveState()} if shiboken6.isValid(splitter) else None
            ),
            save_delay_ms,
        )
        splitter.splitterMoved.connect(lambda *_: self._persister.changed())

    def save(self) -> None:
        self._persister.save_now()


def save_splitter(
    splitter: QSplitter, qsettings: QSettings, key: str, *, save_delay_ms: int = SAVE_DELAY_MS
) -> SplitterTools:
    """Restore ``splitter``'s sizes from ``views/<key>/splitter`` and save them when moved."""
    return SplitterTools(splitter, qsettings, key, save_delay_ms=save_delay_ms)
