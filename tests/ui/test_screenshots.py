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
    variants = sorted(p.name for p in out.iterdir())
    assert variants == ["en-dark", "en-light", "zh_CN-dark", "zh_CN-light"]
    for variant in variants:
        names = sorted(p.name for p in (out / variant).iterdir())
        assert names == sorted(f"{spec.key}.png" for spec in TABS)
    light = QImage(str(out / "zh_CN-light" / "bills.png"))
    dark = QImage(str(out / "zh_CN-dark" / "bills.png"))
    assert not light.isNull() and light.width() >= 800
    # Dark really is dark: compare the average lightness of the two renderings.
    assert _lightness(dark) < _lightness(light) - 60


def test_screenshots_of_a_synced_demo(qtbot: QtBot, home: Path, tmp_path: Path) -> None:
    out = tmp_path / "shots"
    assert main(["screenshots", str(out), "--demo"]) == 0
    assert len(list(out.glob("*/*.png"))) == 4 * len(TABS)
    # The demo lives in a temporary folder: nothing is left in the clerk's demo folder.
    assert not (home / "data" / "demo").exists()


def _lightness(image: QImage) -> float:
    step = 16
    values = [
        image.pixelColor(x, y).lightness()
        for x in range(0, image.width(), step)
        for y in range(0, image.height(), step)
    ]
    return sum(values) / len(values)
