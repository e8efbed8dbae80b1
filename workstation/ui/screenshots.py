"""``workstation screenshots DIR [--demo]``: render every tab offscreen, in 中文 and English,
light and dark, to ``DIR/<language>-<theme>/<tab>.png``."""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QSettings
from PySide6.QtWidgets import QApplication

from workstation.alipay.gateway import AlipayGateway
from workstation.config import AppPaths
from workstation.db.engine import Database
from workstation.sync.service import SyncService
from workstation.ui.i18n import LANGUAGES, current_language, install_language
from workstation.ui.main_window import MainWindow
from workstation.ui.theme import apply_theme, current_theme

__all__ = ["render_tabs", "run"]


VARIANTS = tuple((language, theme) for language in LANGUAGES for theme in ("light", "dark"))


def _settle(window: MainWindow, timeout_s: float = 5.0) -> None:
    """Let the tab's background reads (pages, totals) land before grabbing it."""
    deadline = time.monotonic() + timeout_s
    QApplication.processEvents()
    while window.runner.pending and time.monotonic() < deadline:
        window.runner.wait(50)
        QApplication.processEvents()
    QApplication.processEvents()


def render_tabs(window: MainWindow, out_dir: Path) -> list[Path]:
    """Show each tab in turn and grab the whole window (tab bar and status bar included)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for index, spec in enumerate(window.tab_specs):
        window.tab_widget.setCurrentIndex(index)
        _settle(window)
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
                written = _render_variants(
                    session.database,
                    session.service,
                    qsettings,
                    out_dir,
                    Path(tmp),
                    gateway=session.gateway,
                    enterprise_id=session.enterprise_id,
                )
            finally:
                session.stop()
        else:
            database = open_database(getattr(args, "database_url", None), paths)
            try:
                written = _render_variants(database, None, qsettings, out_dir, Path(tmp))
            finally:
                database.dispose()
    for path in written:
        print(path)
    return 0


def _render_variants(
    database: Database,
    service: SyncService | None,
    qsettings: QSettings,
    out_dir: Path,
    tmp: Path,
    *,
    gateway: AlipayGateway | None = None,
    enterprise_id: str = "",
) -> list[Path]:
    """Every tab in 中文 and English, light and dark, into ``out_dir/<language>-<theme>/``.
    A fresh window per variant, so every text is built in its language."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    language, theme = current_language(app), current_theme(app)
    written: list[Path] = []
    try:
        for lang, scheme in VARIANTS:
            install_language(app, lang, cache_dir=tmp / "qm")
            apply_theme(app, scheme)
            written += _render(
                database,
                service,
                qsettings,
                out_dir / f"{lang}-{scheme}",
                gateway=gateway,
                enterprise_id=enterprise_id,
            )
    finally:
        install_language(app, language, cache_dir=tmp / "qm")
        apply_theme(app, theme)
    return written


def _render(
    database: Database,
    service: SyncService | None,
    qsettings: QSettings,
    out_dir: Path,
    *,
    gateway: AlipayGateway | None,
    enterprise_id: str,
) -> list[Path]:
    window = MainWindow(
        database,
        service=service,
        qsettings=qsettings,
        gateway=gateway,
        enterprise_id=enterprise_id,
    )
    window.resize(1280, 800)
    try:
        window.show()
        return render_tabs(window, out_dir)
    finally:
        window.close()
        window.runner.wait(10_000)
        window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
