"""The person's own preferences (Edit › Settings…): the article's font and zoom, the theme,
the size of the tags, whether selections snap to tokens when the app starts. User-level, in
QSettings (qt.user_settings): they follow the person from project to project. The keys of the
commands are the project's instead (qt.project_keys): they travel with the project.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QFont

from annotator.qt.user_settings import user_settings

LIGHT, DARK, SYSTEM = "light", "dark", "system"
THEMES = {SYSTEM: "Follow the system", LIGHT: "Light", DARK: "Dark"}
# Zoom steps as browsers and office programs offer them; Ctrl+= and Ctrl+- go one step.
ZOOM_STEPS = (50, 67, 75, 80, 90, 100, 110, 125, 150, 175, 200, 250, 300)
TAG_SIZES = range(40, 101, 5)  # a tag's text, in percent of the article's text
# The article's text: a quarter larger than the desktop's font (at least 10 pt), which is
# sized for menus, not for hours of reading.
TEXT_SCALE = 1.25
MIN_BASE = 10.0


@dataclass(frozen=True)
class Preferences:
    font_family: str = ""  # "" = the desktop's font
    font_size: float = 0.0  # points at 100 % zoom; 0 = the desktop's font a quarter larger
    zoom: int = 100  # percent
    theme: str = SYSTEM
    tag_size: int = 60  # percent of the text's size
    snap: bool = True  # selections snap to whole tokens when a window opens (Ctrl+T toggles)

    def text_size(self, base: QFont) -> float:
        """The article's text size in points at 100 % zoom."""
        return self.font_size or max(base.pointSizeF(), MIN_BASE) * TEXT_SCALE

    def fonts(self, base: QFont) -> tuple[QFont, QFont]:
        """The article's text font and its tags' font, zoomed."""
        text = QFont(base)
        if self.font_family:
            text.setFamily(self.font_family)
        size = self.text_size(base) * self.zoom / 100
        text.setPointSizeF(size)
        tag = QFont(text)
        tag.setPointSizeF(max(size * self.tag_size / 100, 4.0))
        tag.setBold(True)
        return text, tag


_KEYS = {  # field -> QSettings key, and the type QSettings gives back
    "font_family": ("view/font_family", str),
    "font_size": ("view/font_size", float),
    "zoom": ("view/zoom", int),
    "theme": ("view/theme", str),
    "tag_size": ("view/tag_size", int),
    "snap": ("edit/snap", bool),
}


def load() -> Preferences:
    settings, default = user_settings(), Preferences()
    values = {
        field: settings.value(key, getattr(default, field), kind)
        for field, (key, kind) in _KEYS.items()
    }
    prefs = Preferences(**values)
    # What an older or hand-edited file may hold is brought back into range, never refused.
    zoom = min(ZOOM_STEPS, key=lambda step: abs(step - prefs.zoom))
    tag = min(max(prefs.tag_size, TAG_SIZES.start), TAG_SIZES.stop - 1)
    theme = prefs.theme if prefs.theme in THEMES else SYSTEM
    return Preferences(
        prefs.font_family,
        max(prefs.font_size, 0.0),
        zoom,
        theme,
        tag,
        prefs.snap,
    )


def save(prefs: Preferences) -> None:
    settings = user_settings()
    for field, (key, _kind) in _KEYS.items():
        settings.setValue(key, getattr(prefs, field))


def zoomed(zoom: int, steps: int) -> int:
    """`steps` zoom steps in (+) or out (-) from `zoom`, stopping at the ends; 0 resets."""
    if steps == 0:
        return 100
    nearest = min(range(len(ZOOM_STEPS)), key=lambda n: abs(ZOOM_STEPS[n] - zoom))
    return ZOOM_STEPS[min(max(nearest + steps, 0), len(ZOOM_STEPS) - 1)]
