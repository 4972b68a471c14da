"""The label palette: one chip per label with its colour, key and count in this article."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from annotator.core.model import Span
from annotator.core.schema import Schema
from annotator.qt.span_painter import text_colour_on


class LabelChip(QPushButton):
    def __init__(self, name: str, colour: str, key: str, description: str, parent=None):
        super().__init__(parent)
        self.name = name
        self.key = key
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys belong to the article view
        self.setToolTip(f"{name}: {description}" + (f"\nKey: {key}" if key else ""))
        border = QColor(colour).darker(150).name()
        ink = text_colour_on(QColor(colour)).name()
        self.setStyleSheet(
            f"QPushButton {{ background: {colour}; color: {ink}; border: 1px solid {border};"
            " border-radius: 6px; padding: 4px 8px; text-align: left; font-weight: 600; }"
            f"QPushButton:hover {{ border: 2px solid {border}; }}"
        )
        self.set_count(0)

    def set_count(self, count: int) -> None:
        key = f"[{self.key}]" if self.key else "   "
        self.setText(f"{key}  {self.name}" + (f"   {count}" if count else ""))
        self.count = count


class LabelPalette(QScrollArea):
    labelClicked = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.chips: dict[str, LabelChip] = {}
        self.setMinimumWidth(190)

    def set_schema(self, schema: Schema) -> None:
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(4)
        heading = QLabel("Labels")
        heading.setStyleSheet("font-weight: 600;")
        layout.addWidget(heading)
        self.chips = {}
        for label in schema.entities:
            chip = LabelChip(label.name, label.color, label.key, label.description)
            chip.clicked.connect(lambda _=False, name=label.name: self.labelClicked.emit(name))
            layout.addWidget(chip)
            self.chips[label.name] = chip
        if schema.events:
            events_heading = QLabel("Events (select the trigger word)")
            events_heading.setStyleSheet("font-weight: 600; margin-top: 8px;")
            layout.addWidget(events_heading)
        for event_type in schema.events:
            chip = LabelChip(event_type.name, event_type.color, event_type.key,
                             event_type.description)
            chip.clicked.connect(lambda _=False, name=event_type.name: self.labelClicked.emit(name))
            layout.addWidget(chip)
            self.chips[event_type.name] = chip
        layout.addStretch(1)
        self.setWidget(inner)

    def set_counts(self, spans: list[Span]) -> None:
        counts = Counter(span.label for span in spans)
        for name, chip in self.chips.items():
            chip.set_count(counts.get(name, 0))
