"""``workstation screenshots DIR [--demo]``: render every tab offscreen to ``DIR/<tab>.png``."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from workstation.config import AppPaths
from workstation.db.engine import Database
from workstation.sync.service import SyncService
from workstation.ui.main_window import MainWindow

__all__ = ["render_tabs", "run"]


def render_tabs(window: MainWindow, out_dir: Path) -> list[Path]:
    """Show each tab in turn and grab the whole window (tab bar and status bar included)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for index, spec in enumerate(window.tab_specs):
        window.tab_widget.setCurrentIndex(index)
        QApplication.processEvents()
        path = out_dir / f"{spec.key}.png"
        if not window.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        written.append(path)
    return written


def run(args: argparse.Namespace) -> int:
    # Offscreen unless the caller chose a platform: screenshots must work on a headless server.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from workstation.app import create_application
    from workstation.bootstrap import open_database
    from workstation.demo import start_demo

    create_application()
    out_dir = Path(args.dir)
    paths = AppPaths.default()
    with tempfile.TemporaryDirectory(prefix="workstation-shots-") as tmp:
        # Throwaway window state, so screenshots neither read nor overwrite the clerk's layout.
        qsettings = QSettings(str(Path(tmp) / "window.ini"), QSettings.Format.IniFormat)
        if args.demo:
            session = start_demo(
                paths, demo_dir=Path(tmp) / "demo", employees=40, bills=300, simulate=False
            )
            try:
                session.service.run_all()
                written = _render(session.database, session.service, qsettings, out_dir)
            finally:
                session.stop()
        else:
            database = open_database(getattr(args, "database_url", None), paths)
            try:
                written = _render(database, None, qsettings, out_dir)
            finally:
                database.dispose()
    for path in written:
        print(path)
    return 0


def _render(
    database: Database, service: SyncService | None, qsettings: QSettings, out_dir: Path
) -> list[Path]:
    window = MainWindow(database, service=service, qsettings=qsettings)
    window.resize(1280, 800)
    try:
        window.show()
        return render_tabs(window, out_dir)
    finally:
        window.close()
        window.deleteLater()
        QApplication.processEvents()
