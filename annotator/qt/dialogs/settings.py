"""Edit › Settings…: the person's preferences (font, zoom, theme, tags, snapping) on one page,
the project's keys on another.

Preferences show in the window as they are changed (`previewed`), so a person sees what a size
or a theme looks like before keeping it; Cancel puts back what was there. Keys are kept in the
project when OK is pressed, after the editor has refused any key that would mean two things.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFontComboBox,
    QFormLayout,
    QLabel,
    QMainWindow,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.keymap import KeyMap
from annotator.core.schema import Schema
from annotator.qt.actions import menu_keys
from annotator.qt.preferences import TAG_SIZES, THEMES, ZOOM_STEPS, Preferences
from annotator.qt.widgets.key_map_editor import KeyMapEditor


class SettingsDialog(QDialog):
    previewed = Signal(object)  # Preferences, as the page shows them now

    def __init__(
        self,
        prefs: Preferences,
        base_font: QFont,
        keymap: KeyMap,
        defaults: KeyMap,
        schema: Schema | None,
        parent=None,
    ):
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.started_with = prefs
        self.base_font = base_font
        self.tabs = QTabWidget()
        self.tabs.addTab(self._appearance(prefs), "Appearance")
        self.keys = KeyMapEditor(keymap, defaults, schema)
        if isinstance(parent, QMainWindow):  # a key on a menu's Alt+letter would never act
            self.keys.menus = menu_keys(parent.menuBar())
        self.tabs.addTab(self.keys, "Keys (this project)")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.resize(860, 580)

    def _appearance(self, prefs: Preferences) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.family = QFontComboBox()
        self.family.setCurrentFont(QFont(prefs.font_family or self.base_font.family()))
        self.size = QDoubleSpinBox()
        self.size.setRange(6.0, 48.0)
        self.size.setSingleStep(0.5)
        self.size.setSuffix(" pt")
        self.size.setValue(prefs.text_size(self.base_font))
        self.zoom = QComboBox()
        for step in ZOOM_STEPS:
            self.zoom.addItem(f"{step} %", step)
        self.zoom.setCurrentIndex(ZOOM_STEPS.index(prefs.zoom))
        self.theme = QComboBox()
        for value, text in THEMES.items():
            self.theme.addItem(text, value)
        self.theme.setCurrentIndex(list(THEMES).index(prefs.theme))
        self.tag_size = QSpinBox()
        self.tag_size.setRange(TAG_SIZES.start, TAG_SIZES.stop - 1)
        self.tag_size.setSingleStep(TAG_SIZES.step)
        self.tag_size.setSuffix(" % of the text")
        self.tag_size.setValue(prefs.tag_size)
        self.snap = QCheckBox("Selections snap to whole tokens when a project opens")
        self.snap.setChecked(prefs.snap)
        form.addRow("Article font:", self.family)
        form.addRow("Text size:", self.size)
        form.addRow("Zoom (Ctrl+= / Ctrl+- / Ctrl+0):", self.zoom)
        form.addRow("Theme:", self.theme)
        form.addRow("Tag size (the label names under spans):", self.tag_size)
        form.addRow("", self.snap)
        note = QLabel(
            "These are yours: they apply to every project on this computer. The keys on the "
            "next page belong to this project and travel with it."
        )
        note.setWordWrap(True)
        form.addRow(note)
        for signal in (
            self.family.currentFontChanged,
            self.size.valueChanged,
            self.zoom.currentIndexChanged,
            self.theme.currentIndexChanged,
            self.tag_size.valueChanged,
            self.snap.toggled,
        ):
            signal.connect(lambda *_: self.previewed.emit(self.preferences()))
        return page

    def preferences(self) -> Preferences:
        """What the page says now. The desktop's font and size stay "the desktop's" (empty,
        0) until changed, so a new desktop font still reaches a person who never chose one."""
        family = self.family.currentFont().family()
        size = self.size.value()
        default = replace(self.started_with, font_size=0.0).text_size(self.base_font)
        return Preferences(
            font_family=""
            if family == self.base_font.family() and not self.started_with.font_family
            else family,
            font_size=0.0
            if abs(size - default) < 0.01 and not self.started_with.font_size
            else size,
            zoom=int(self.zoom.currentData()),
            theme=str(self.theme.currentData()),
            tag_size=self.tag_size.value(),
            snap=self.snap.isChecked(),
        )
