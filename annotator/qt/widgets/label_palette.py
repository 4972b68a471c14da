"""The label palette: one chip per label with its colour, key and count in this article."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from annotator.core.guidelines import guideline, tooltip
from annotator.core.model import ACCEPTED, Span
from annotator.core.schema import Schema
from annotator.qt.actions import key_text
from annotator.qt.widgets.span_painter import text_colour_on


class LabelChip(QPushButton):
    def __init__(self, name: str, colour: str, key: str, description: str, parent=None):
        super().__init__(parent)
        self.name = name
        self.key = key
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys belong to the article view
        # The key as F1 and the menus write it: Shift+A for an event type's "A".
        self.setToolTip(f"{name}: {description}" + (f"\nKey: {key_text(key)}" if key else ""))
        border = QColor(colour).darker(150).name()
        ink = text_colour_on(QColor(colour)).name()
        self.setStyleSheet(
            f"QPushButton {{ background: {colour}; color: {ink}; border: 1px solid {border};"
            " border-radius: 6px; padding: 3px 6px; text-align: left; font-weight: 600; }"
            f"QPushButton:hover {{ border: 2px solid {border}; }}"
        )
        self.set_count(0)

    def set_count(self, count: int) -> None:
        key = f"[{self.key}]" if self.key else "   "
        self.setText(f"{key} {self.name}" + (f"  {count}" if count else ""))
        self.count = count


class LabelPalette(QScrollArea):
    labelClicked = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.chips: dict[str, LabelChip] = {}
        self.natural_width = 0  # what the chips need, whole
        self.width_cap: int | None = None  # a narrow screen's limit (screen_fit.pane_minimums)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def set_schema(self, schema: Schema) -> None:
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(4)
        self.chips = {}
        # Entity labels in two columns, so twenty-odd of them and the (longer) event type
        # names fit without scrolling.
        sections = [
            ("Labels", schema.entities, 2),
            ("Events: select the trigger word, Shift+key", schema.events, 1),
        ]
        for title, kinds, columns in sections:
            if not kinds:
                continue
            heading = QLabel(title)
            heading.setStyleSheet("font-weight: 600; margin-top: 4px;")
            layout.addWidget(heading)
            grid = QGridLayout()
            grid.setSpacing(4)
            for index, kind in enumerate(kinds):
                chip = LabelChip(kind.name, kind.color, kind.key, kind.description)
                chip.setToolTip(tooltip(guideline(kind)))  # the schema's guideline, examples too
                chip.clicked.connect(lambda _=False, name=kind.name: self.labelClicked.emit(name))
                grid.addWidget(chip, index // columns, index % columns)
                self.chips[kind.name] = chip
            layout.addLayout(grid)
        layout.addStretch(1)
        self.setWidget(inner)
        # As wide as the chips need and no wider: with no horizontal scroll bar a narrower
        # palette would cut their names, and a wider one takes room from the text.
        scroll_bar = self.style().pixelMetric(self.style().PixelMetric.PM_ScrollBarExtent)
        frame = 2 * self.frameWidth()
        self.natural_width = inner.minimumSizeHint().width() + scroll_bar + frame
        self.cap_width(self.width_cap)

    def cap_width(self, cap: int | None) -> None:
        """At most `cap` pixels wide even if the chips need more (then it scrolls sideways)."""
        self.width_cap = cap
        squeezed = cap is not None and cap < self.natural_width
        self.setMinimumWidth(
            min(self.natural_width, cap) if squeezed and cap else self.natural_width
        )
        self.setHorizontalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAsNeeded
            if squeezed
            else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )

    def set_counts(self, spans: list[Span]) -> None:
        counts = Counter(span.label for span in spans)
        for name, chip in self.chips.items():
            chip.set_count(counts.get(name, 0))

    def count_change(self, before: list[Span], after: list[Span]) -> None:
        """An edit's spans (as they were, as they are): the counts move by the difference,
        instead of counting an article's thousands of spans again."""
        delta = Counter(span.label for span in after if span.state == ACCEPTED)
        delta.subtract(span.label for span in before if span.state == ACCEPTED)
        for name, step in delta.items():
            chip = self.chips.get(name)
            if chip is not None and step:
                chip.set_count(chip.count + step)
