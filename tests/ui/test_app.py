from __future__ import annotations

import argparse
import functools
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from workstation import app as app_module
from workstation import demo as demo_module
from workstation.demo import start_demo
from workstation.ui.main_window import MainWindow


@pytest.fixture
def user_qsettings(tmp_path: Path) -> None:
    # The app uses the organisation/application QSettings; keep it out of the real home.
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))


def drive(qtbot: QtBot, check: Callable[[MainWindow], bool], seen: list[str]):
    """A ``run_loop`` for app.main: wait (processing events) until ``check`` holds."""

    def run_loop(_app: object, window: MainWindow) -> int:
        qtbot.waitUntil(lambda: check(window), timeout=30_000)
        seen.append(window.statusBar().currentMessage())
        seen.append(window.status_text("enterprise"))
        return 0

    return run_loop


def test_without_alipay_settings_the_window_opens_on_the_cache(
    qtbot: QtBot, home: Path, user_qsettings: None
) -> None:
    seen: list[str] = []
    loop = drive(qtbot, lambda window: window.isVisible(), seen)
    assert app_module.main(argparse.Namespace(demo=False, database_url=None), run_loop=loop) == 0
    message, enterprise = seen
    assert "尚未配置支付宝应用" in message
    assert enterprise == "企业 未同步"
    assert (home / "data" / "workstation.db").exists()


def test_demo_mode_syncs_from_the_sandbox(
    qtbot: QtBot, home: Path, user_qsettings: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    tiny = functools.partial(start_demo, employees=20, bills=60, simulate=False)
    monkeypatch.setattr(demo_module, "start_demo", tiny)  # main() imports it when needed
    seen: list[str] = []
    loop = drive(qtbot, lambda window: "已同步" in window.status_text("enterprise"), seen)
    assert app_module.main(argparse.Namespace(demo=True, database_url=None), run_loop=loop) == 0
    message, enterprise = seen
    assert message.startswith("演示模式")
    assert enterprise.startswith("企业 已同步")
    assert (home / "data" / "demo" / "workstation.db").exists()
