from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from workstation.cli import main
from workstation.ui.tabs import TABS


def test_screenshots_writes_one_png_per_tab(
    qtbot: QtBot, home: Path, tmp_path: Path, capsys: object
) -> None:
    out = tmp_path / "shots"
    url = f"sqlite:///{tmp_path / 'cache.db'}"
    assert main(["screenshots", str(out), "--database-url", url]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{spec.key}.png" for spec in TABS)
    image = QImage(str(out / "bills.png"))
    assert not image.isNull()
    assert image.width() >= 800


def test_screenshots_of_a_synced_demo(qtbot: QtBot, home: Path, tmp_path: Path) -> None:
    out = tmp_path / "shots"
    assert main(["screenshots", str(out), "--demo"]) == 0
    assert len(list(out.glob("*.png"))) == len(TABS)
    # The demo lives in a temporary folder: nothing is left in the clerk's demo folder.
    assert not (home / "data" / "demo").exists()
