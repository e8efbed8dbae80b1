"""Light and dark appearance.

``apply_theme(app, "system")`` follows the OS light/dark setting and keeps following it;
``"light"``/``"dark"`` force one. Qt ≥ 6.8 can ask the platform for a colour scheme
(``QStyleHints.setColorScheme``), which also darkens native title bars and dialogs, but not every
platform honours it (the offscreen one used for screenshots does not, nor do some Linux desktops),
so we always pair it with the Fusion style and an explicit palette: what the clerk sees and what
``workstation screenshots`` renders are the same on every platform.

Colours that carry meaning (refunds, overdrafts, warnings) come from :func:`semantic_color`,
which picks a shade readable on the current palette's background.
"""

from __future__ import annotations

from typing import Literal

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QToolTip

from workstation.config import THEMES
from workstation.errors import ValidationError

__all__ = [
    "SEMANTIC_ROLES",
    "THEMES",
    "apply_theme",
    "contrast_ratio",
    "current_theme",
    "dark_palette",
    "effective_scheme",
    "is_dark",
    "light_palette",
    "semantic_color",
]

Scheme = Literal["light", "dark"]

_FOLLOWER = "workstation_theme_follower"
_STYLE = "Fusion"

_Role = QPalette.ColorRole
_Group = QPalette.ColorGroup

# (light, dark) pairs: each reaches WCAG AA contrast (≥ 4.5:1) on its palette's Base and Window.
_SEMANTIC: dict[str, tuple[str, str]] = {
    "positive": ("#1b6e34", "#7fd694"),  # income, refunds, "ok"
    "negative": ("#b3261e", "#ff8f87"),  # spending over quota, failures, negative money
    "warning": ("#8a5300", "#f2c063"),  # expiring quotas, offline
    "muted": ("#5f6368", "#a4a9ae"),  # secondary text: ids, timestamps
}
SEMANTIC_ROLES = tuple(_SEMANTIC)


def _palette(
    colors: dict[QPalette.ColorRole, str], disabled: dict[QPalette.ColorRole, str]
) -> QPalette:
    palette = QPalette()
    for role, value in colors.items():
        palette.setColor(_Group.All, role, QColor(value))
    for role, value in disabled.items():
        palette.setColor(_Group.Disabled, role, QColor(value))
    return palette


def light_palette() -> QPalette:
    return _palette(
        {
            _Role.Window: "#efefef",
            _Role.WindowText: "#1f1f1f",
            _Role.Base: "#ffffff",
            _Role.AlternateBase: "#f4f6f8",
            _Role.ToolTipBase: "#ffffdc",
            _Role.ToolTipText: "#1f1f1f",
            _Role.PlaceholderText: "#767676",
            _Role.Text: "#1f1f1f",
            _Role.Button: "#efefef",
            _Role.ButtonText: "#1f1f1f",
            _Role.BrightText: "#ffffff",
            _Role.Light: "#ffffff",
            _Role.Midlight: "#e3e3e3",
            _Role.Mid: "#b8b8b8",
            _Role.Dark: "#9f9f9f",
            _Role.Shadow: "#767676",
            _Role.Highlight: "#2a6fc9",
            _Role.HighlightedText: "#ffffff",
            _Role.Link: "#0b57d0",
            _Role.LinkVisited: "#6a3ab2",
            _Role.Accent: "#2a6fc9",
        },
        {
            _Role.WindowText: "#8c8c8c",
            _Role.Text: "#8c8c8c",
            _Role.ButtonText: "#8c8c8c",
            _Role.Base: "#f5f5f5",
            _Role.Highlight: "#c8c8c8",
            _Role.HighlightedText: "#1f1f1f",
        },
    )


def dark_palette() -> QPalette:
    return _palette(
        {
            _Role.Window: "#2b2d30",
            _Role.WindowText: "#e6e6e6",
            _Role.Base: "#1e1f22",
            _Role.AlternateBase: "#26282b",
            _Role.ToolTipBase: "#3c3f43",
            _Role.ToolTipText: "#f0f0f0",
            _Role.PlaceholderText: "#8e9297",
            _Role.Text: "#e6e6e6",
            _Role.Button: "#3a3d41",
            _Role.ButtonText: "#e6e6e6",
            _Role.BrightText: "#ffffff",
            _Role.Light: "#55585d",
            _Role.Midlight: "#45484c",
            _Role.Mid: "#303236",
            _Role.Dark: "#1a1b1d",
            _Role.Shadow: "#000000",
            _Role.Highlight: "#3d7bd6",
            _Role.HighlightedText: "#ffffff",
            _Role.Link: "#8ab4f8",
            _Role.LinkVisited: "#c58af9",
            _Role.Accent: "#3d7bd6",
        },
        {
            _Role.WindowText: "#7d8086",
            _Role.Text: "#7d8086",
            _Role.ButtonText: "#7d8086",
            _Role.Base: "#25272a",
            _Role.Button: "#2f3134",
            _Role.Highlight: "#45484c",
            _Role.HighlightedText: "#b0b0b0",
        },
    )


class _ThemeFollower(QObject):
    """Remembers the clerk's choice and re-applies "system" when the OS switches scheme."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.setObjectName(_FOLLOWER)
        self.theme = "system"
        self.scheme: Scheme = "light"
        QGuiApplication.styleHints().colorSchemeChanged.connect(self.on_color_scheme_changed)

    @Slot(Qt.ColorScheme)
    def on_color_scheme_changed(self, scheme: Qt.ColorScheme) -> None:
        if self.theme == "system":
            app = self.parent()
            assert isinstance(app, QApplication)
            _set_scheme(app, self, "dark" if scheme == Qt.ColorScheme.Dark else "light")


def _follower(app: QApplication) -> _ThemeFollower:
    found = app.findChild(_ThemeFollower, _FOLLOWER)
    return found if isinstance(found, _ThemeFollower) else _ThemeFollower(app)


def _set_scheme(app: QApplication, follower: _ThemeFollower, scheme: Scheme) -> None:
    follower.scheme = scheme
    if app.style().name().lower() != _STYLE.lower():
        app.setStyle(_STYLE)
    palette = dark_palette() if scheme == "dark" else light_palette()
    app.setPalette(palette)
    QToolTip.setPalette(palette)


def apply_theme(app: QApplication, theme: str) -> None:
    """Switch to ``theme`` (``"system"``, ``"light"`` or ``"dark"``) now; every widget repaints.

    With ``"system"`` the app keeps following the OS until another theme is applied."""
    if theme not in THEMES:
        raise ValidationError(
            "theme", f"可选：{', '.join(THEMES)}", f"one of {', '.join(THEMES)}", theme
        )
    hints = QGuiApplication.styleHints()
    follower = _follower(app)
    follower.theme = theme
    if theme == "system":
        hints.unsetColorScheme()
        scheme: Scheme = "dark" if hints.colorScheme() == Qt.ColorScheme.Dark else "light"
    else:
        scheme = "dark" if theme == "dark" else "light"
        hints.setColorScheme(Qt.ColorScheme.Dark if scheme == "dark" else Qt.ColorScheme.Light)
    _set_scheme(app, follower, scheme)


def current_theme(app: QApplication) -> str:
    """The clerk's choice last applied (``"system"`` before any)."""
    found = app.findChild(_ThemeFollower, _FOLLOWER)
    return found.theme if isinstance(found, _ThemeFollower) else "system"


def effective_scheme(app: QApplication) -> Scheme:
    """What is showing now, whatever was chosen: ``"light"`` or ``"dark"``."""
    return "dark" if is_dark(app.palette()) else "light"


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether ``palette`` (default: the application's) has a dark window background."""
    palette = palette if palette is not None else QGuiApplication.palette()
    return palette.color(_Role.Window).lightness() < 128


def semantic_color(role: str, palette: QPalette | None = None) -> QColor:
    """A meaning-carrying colour (``positive``, ``negative``, ``warning``, ``muted``) readable
    on ``palette`` (default: the application's), for text in tables and labels."""
    try:
        light, dark = _SEMANTIC[role]
    except KeyError:
        raise ValueError(f"unknown colour role {role!r}; one of {SEMANTIC_ROLES}") from None
    return QColor(dark if is_dark(palette) else light)


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio between two colours (1 … 21)."""

    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())
        )

    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
