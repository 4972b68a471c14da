"""The review queue panel: the filter boxes over the queue's table; choosing a row opens its
article with the suggestion selected, and Space then walks the queue's filter across articles.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.keymap import DEFAULT, KeyMap
from annotator.qt.actions import key_text
from annotator.qt.models.review_queue import ReviewQueueModel
from annotator.store.project import ProjectStore


class ReviewQueuePanel(QWidget):
    suggestionChosen = Signal(int, int)  # span id, article id
    filterChanged = Signal(dict)

    def __init__(self, store: ProjectStore, parent=None):
        super().__init__(parent)
        self.store = store
        self.model = ReviewQueueModel(store, self)
        self.source_box = QComboBox()
        self.label_box = QComboBox()
        self.score_box = QDoubleSpinBox(minimum=0.0, maximum=1.0, singleStep=0.05, decimals=2)
        self.score_box.setSpecialValueText("any score")
        self.score_box.setPrefix("≥ ")
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Fixed widths (no per-row measuring), from the font: a label as long as CARDINAL
        # whole in the 300-odd pixels the panel has on a laptop; longer ones have a tooltip.
        metrics = self.table.fontMetrics()
        padding = 2 * self.style().pixelMetric(self.style().PixelMetric.PM_HeaderMargin) + 6
        for column, sample in ((1, "CARDINAL"), (2, "Score"), (3, "patterns")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, metrics.horizontalAdvance(sample) + padding)
        filters = QHBoxLayout()
        for widget in (self.source_box, self.label_box, self.score_box):
            filters.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.show_keys(DEFAULT)
        layout.addWidget(self.hint)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        self.refresh_choices()
        for box in (self.source_box, self.label_box):
            box.currentIndexChanged.connect(self._apply)
        self.score_box.valueChanged.connect(self._apply)
        self.table.clicked.connect(self._choose)
        self.table.activated.connect(self._choose)

    def show_keys(self, keymap: KeyMap) -> None:
        """The hint names the keys as the key map has them (and F1 and the menus write them):
        lower-case a accepts, where Shift+A makes an Attack event."""

        def keys(action: str) -> str:
            return " / ".join(key_text(key) for key in keymap.keys(action))

        self.hint.setText(
            f"Open suggestions in the corpus. {keys('review.next')} walks them; "
            f"{keys('review.accept')} accepts, {keys('review.reject')} rejects."
        )

    def refresh_choices(self) -> None:
        """Sources and labels to filter by; called when sources change."""
        for box, items, everything in (
            (self.source_box, self._source_names(), "All sources"),
            (self.label_box, self.store.schema.label_names, "All labels"),
        ):
            current = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(everything, None)
            for item in items:
                box.addItem(item, item)
            box.setCurrentIndex(max(0, box.findData(current)))
            box.blockSignals(False)
        self._apply()

    def _source_names(self) -> list[str]:
        names = [s.name for s in self.store.sources()]
        # Label all's suggestions have a source of their own, not a model to run again.
        if "propagated" not in names and self.store.has_open_propagated():
            names.append("propagated")
        return names

    def current_filter(self) -> dict:
        score = self.score_box.value()
        return {
            "source": self.source_box.currentData(),
            "label": self.label_box.currentData(),
            "min_score": score if score > 0 else None,
        }

    def _apply(self) -> None:
        flt = self.current_filter()
        self.model.set_filter(**flt)
        self.filterChanged.emit(flt)

    def _choose(self, index) -> None:
        span_id, article_id = index.data(Qt.ItemDataRole.UserRole)
        self.suggestionChosen.emit(span_id, article_id)
