"""Light, dark, or what the desktop uses: one palette for the whole application.

Dark is Qt's Fusion style with a dark palette: Fusion draws every widget from the palette (the
platform styles may not), so lists, menus, dialogs and the article view all turn dark. Light
is what the application started with (the desktop's style and palette), or Fusion's light
palette where the desktop itself is dark. The article view paints from the same palette
(Base, Text, Highlight) and keeps its tags readable on either (core.colours).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from annotator.qt.preferences import DARK, LIGHT, SYSTEM

_DARK = {  # role -> (active, disabled)
    QPalette.ColorRole.Window: ("#2b2b2e", "#2b2b2e"),
    QPalette.ColorRole.WindowText: ("#e4e4e4", "#7d7d7d"),
    QPalette.ColorRole.Base: ("#1f1f22", "#262629"),
    QPalette.ColorRole.AlternateBase: ("#27272b", "#27272b"),
    QPalette.ColorRole.ToolTipBase: ("#34343a", "#34343a"),
    QPalette.ColorRole.ToolTipText: ("#e4e4e4", "#9a9a9a"),
    QPalette.ColorRole.PlaceholderText: ("#8c8c8c", "#6a6a6a"),
    QPalette.ColorRole.Text: ("#e4e4e4", "#7d7d7d"),
    QPalette.ColorRole.Button: ("#36363b", "#303034"),
    QPalette.ColorRole.ButtonText: ("#e4e4e4", "#7d7d7d"),
    QPalette.ColorRole.BrightText: ("#ff6b6b", "#ff6b6b"),
    QPalette.ColorRole.Light: ("#4a4a50", "#4a4a50"),
    QPalette.ColorRole.Midlight: ("#3e3e44", "#3e3e44"),
    QPalette.ColorRole.Mid: ("#2a2a2e", "#2a2a2e"),
    QPalette.ColorRole.Dark: ("#18181a", "#18181a"),
    QPalette.ColorRole.Shadow: ("#000000", "#000000"),
    # White on this blue reads at 5.4:1 (a selected row, a focused list item).
    QPalette.ColorRole.Highlight: ("#2f67b8", "#3a3a40"),
    QPalette.ColorRole.HighlightedText: ("#ffffff", "#9a9a9a"),
    QPalette.ColorRole.Link: ("#7ab7ff", "#7ab7ff"),
    QPalette.ColorRole.LinkVisited: ("#c49bff", "#c49bff"),
}

_started_with: tuple[str, QPalette] | None = None  # the desktop's style name and palette
_shown: str | None = None  # LIGHT or DARK as last given; None: the app's own look, untouched


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, (active, disabled) in _DARK.items():
        palette.setColor(QPalette.ColorGroup.Active, role, QColor(active))
        palette.setColor(QPalette.ColorGroup.Inactive, role, QColor(active))
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled))
    return palette


def desktop_is_dark() -> bool:
    """Whether the desktop asks for dark colours (Qt 6.5+ knows; else its palette says)."""
    scheme = QGuiApplication.styleHints().colorScheme()
    if scheme != Qt.ColorScheme.Unknown:
        return scheme == Qt.ColorScheme.Dark
    return _started().lightnessF() < 0.5 if _started_with else False


def _started() -> QColor:
    assert _started_with is not None
    return _started_with[1].color(QPalette.ColorRole.Window)


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def apply_theme(choice: str) -> bool:
    """Give the whole application the theme chosen (LIGHT, DARK, SYSTEM); whether it is
    dark now. Widgets repaint from the new palette at once: nothing needs a restart."""
    global _started_with, _shown
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    dark = choice == DARK or (choice == SYSTEM and desktop_is_dark())
    wanted = DARK if dark else LIGHT
    if _shown is None and dark == is_dark(app.palette()):
        # The look the application has already (a window opening with the defaults): left
        # as it is, style and palette, whoever set them (a script's fixed Fusion look).
        return dark
    if wanted == _shown:
        return dark
    if _started_with is None:
        _started_with = (app.style().name(), QPalette(app.palette()))
    _shown = wanted
    desktop_style, desktop_palette = _started_with
    if dark:
        if is_dark(desktop_palette):  # the desktop's own dark look: keep it
            _set(app, desktop_style, desktop_palette)
        else:
            _set(app, "Fusion", dark_palette())
    elif is_dark(desktop_palette):  # light asked for on a dark desktop
        fusion = QStyleFactory.create("Fusion")
        _set(app, "Fusion", fusion.standardPalette())
    else:
        _set(app, desktop_style, desktop_palette)
    return dark


def _set(app: QApplication, style: str, palette: QPalette) -> None:
    if app.style().name().lower() != style.lower():
        app.setStyle(style)
    app.setPalette(palette)
