"""Light/dark: the palette really changes what is painted, and "system" follows the OS."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from workstation.errors import ValidationError
from workstation.ui.theme import (
    SEMANTIC_ROLES,
    apply_theme,
    contrast_ratio,
    current_theme,
    dark_palette,
    effective_scheme,
    is_dark,
    light_palette,
    semantic_color,
)


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    """The shared application, put back as it was (other tests expect the default look)."""
    palette = QPalette(qapp.palette())
    style = qapp.style().name()
    yield qapp
    apply_theme(qapp, "system")  # also stops forcing a colour scheme on the platform
    qapp.setStyle(style)
    qapp.setPalette(palette)


def mean_lightness(widget: QWidget) -> float:
    QApplication.processEvents()  # palette changes reach widgets as events
    image = widget.grab().toImage()
    values = [
        image.pixelColor(x, y).lightness()
        for y in range(0, image.height(), 3)
        for x in range(0, image.width(), 3)
    ]
    return sum(values) / len(values)


@pytest.fixture
def sample(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    widget.setAutoFillBackground(True)
    layout = QVBoxLayout(widget)
    layout.addWidget(QLabel("账单 Bills ¥1,234.50", widget))
    layout.addWidget(QLineEdit("2021000123456789", widget))
    widget.resize(240, 100)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_dark_darkens_what_is_painted_and_light_restores_it(
    app: QApplication, sample: QWidget
) -> None:
    apply_theme(app, "light")
    light = mean_lightness(sample)
    apply_theme(app, "dark")
    dark = mean_lightness(sample)
    assert effective_scheme(app) == "dark" and current_theme(app) == "dark"
    assert app.style().name().lower() == "fusion"
    assert light > 200 and dark < 90, (light, dark)
    apply_theme(app, "light")
    assert abs(mean_lightness(sample) - light) < 1
    assert effective_scheme(app) == "light"


def test_system_follows_the_os_until_a_theme_is_chosen(app: QApplication, sample: QWidget) -> None:
    hints = QGuiApplication.styleHints()
    apply_theme(app, "system")
    assert current_theme(app) == "system"
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # what the OS sends when it switches
    assert effective_scheme(app) == "dark"
    assert mean_lightness(sample) < 90
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert effective_scheme(app) == "light"

    apply_theme(app, "light")  # an explicit choice wins over the OS
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert effective_scheme(app) == "light"
    assert mean_lightness(sample) > 200


def test_unknown_theme_is_refused_and_changes_nothing(app: QApplication) -> None:
    apply_theme(app, "light")
    with pytest.raises(ValidationError) as info:
        apply_theme(app, "sepia")
    assert info.value.field == "theme"
    assert current_theme(app) == "light" and not is_dark(app.palette())


@pytest.mark.parametrize("palette_of", [light_palette, dark_palette], ids=["light", "dark"])
def test_meaningful_colours_stay_readable(palette_of: object) -> None:
    palette = palette_of()  # type: ignore[operator]
    for role in SEMANTIC_ROLES:
        color = semantic_color(role, palette)
        for background in (QPalette.ColorRole.Base, QPalette.ColorRole.Window):
            ratio = contrast_ratio(color, palette.color(background))
            assert ratio >= 4.5, (role, background, ratio)
    text = palette.color(QPalette.ColorRole.Text)
    assert contrast_ratio(text, palette.color(QPalette.ColorRole.Base)) >= 7
    placeholder = palette.color(QPalette.ColorRole.PlaceholderText)
    assert contrast_ratio(placeholder, palette.color(QPalette.ColorRole.Base)) >= 3
    with pytest.raises(ValueError):
        semantic_color("pink", palette)
