"""View › Statistics: the project's figures as charts and tables, one tab per subject.

Shows what core.statistics.gather computed (the same dict `annotator stats --json` prints):
labels per type in the corpus and the open article, events and their roles, articles done per
day, per annotator, and what became of each source's suggestions per label. Each table saves
as CSV (core.statistics.write_csv, as `annotator stats --csv` writes it), each tab's charts as
one PNG, and Save all… writes every table and every chart into a folder.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.schema import Schema
from annotator.core.statistics import DECIDED, GOLD_SERIES, Table, tables, write_csv
from annotator.qt.widgets.stat_charts import (
    NEUTRAL,
    PAPER,
    SERIES_COLOURS,
    Chart,
    Series,
    bar_chart,
    chart_image,
    column_chart,
    line_chart,
    on_paper,
)


def _colour(schema: Schema, name: str) -> str:
    return schema.colour_of(name) or NEUTRAL


def _charts(stats: dict, schema: Schema, article_title: str) -> dict[str, list[tuple[str, Chart]]]:
    """Each tab's charts, with the file name each is saved under."""
    gold = stats["gold"]
    has_gold = bool(gold["spans"] or gold["events"])
    corpus = stats["spans_per_label"]
    article = stats.get("article", {}).get("spans_per_label", {})
    # Gold's labels stand beside the annotators' (their own series), never added to them.
    gold_corpus = gold["spans_per_label"] if has_gold else {}
    gold_article = stats.get("article", {}).get("gold_spans_per_label", {}) if has_gold else {}
    events = stats["events_per_type"]
    roles = [
        (t, role, n)
        for t, by_role in stats["arguments_per_type_and_role"].items()
        for role, n in by_role.items()
    ]
    days = stats["done_per_day"]
    people = dict(stats["annotators"])
    if has_gold:  # last and by its own name: the adjudicated copy, not a person
        people[GOLD_SERIES] = gold
    rows = stats["suggestions"]
    short = article_title if len(article_title) <= 22 else article_title[:21] + "…"
    where = f"“{short}”" if short else "the open article"

    def labelled(values: list, colour_names: list[str]) -> Series:
        """One series whose bars take the colours of these labels (or event types)."""
        return Series("", values, [_colour(schema, c) for c in colour_names])

    def per_label(layers: dict[str, int], in_gold: dict[str, int]) -> tuple[list, list[Series]]:
        """Names and series of a labels chart: the layers' counts, and gold's beside them."""
        names = list(dict.fromkeys([*layers, *in_gold]))
        if not in_gold:
            return names, [labelled([layers[n] for n in names], names)]
        return names, [
            Series(
                "annotators' layers",
                [layers.get(n, 0) for n in names],
                [_colour(schema, n) for n in names],
                legend="#7f7f7f",  # full: each bar is its label's colour
            ),
            Series(
                GOLD_SERIES,
                [in_gold.get(n, 0) for n in names],
                [QColor(_colour(schema, n)).lighter(135).name() for n in names],
                legend="#e3e3e3",  # light: each bar is its label's colour, lightened
            ),
        ]

    corpus_names, corpus_series = per_label(corpus, gold_corpus)
    article_names, article_series = per_label(article, gold_article)
    return {
        "Labels": [
            (
                "labels-corpus",
                bar_chart(
                    "Spans per label: the corpus",
                    "accepted spans",
                    corpus_names,
                    corpus_series,
                    empty="No accepted spans yet",
                ),
            ),
            (
                "labels-article",
                bar_chart(
                    f"Spans per label: {where}",
                    "accepted spans",
                    article_names,
                    article_series,
                    empty="No article open" if "article" not in stats else "No spans here yet",
                ),
            ),
        ],
        "Events": [
            (
                "events",
                bar_chart(
                    "Events per type",
                    "events",
                    list(events),
                    [labelled(list(events.values()), list(events))],
                    empty="No events yet",
                ),
            ),
            (
                "event-roles",
                bar_chart(
                    "Arguments per event type and role",
                    "arguments",
                    [f"{t} · {role}" for t, role, _ in roles],
                    [labelled([n for *_, n in roles], [t for t, *_ in roles])],
                    empty="No event arguments yet",
                ),
            ),
        ],
        "Progress": [
            (
                "progress-per-day",
                column_chart(
                    "Articles marked done per day",
                    "articles done",
                    [d["day"] for d in days],
                    [d["done"] for d in days],
                ),
            ),
            (
                "progress-total",
                line_chart(
                    "Articles done in all",
                    "articles done",
                    [d["day"] for d in days],
                    [d["total_done"] for d in days],
                ),
            ),
        ],
        "Annotators": [
            (
                "annotators",
                bar_chart(
                    "Per annotator",
                    "count",
                    list(people),
                    [
                        Series(what, [p[key] for p in people.values()], [colour] * len(people))
                        for (what, key), colour in zip(
                            (
                                ("spans", "spans"),
                                ("events", "events"),
                                ("articles done", "done"),
                            ),
                            SERIES_COLOURS,
                            strict=False,
                        )
                    ],
                    empty="No annotations yet",
                ),
            )
        ],
        "Suggestions": [
            (
                "suggestions",
                bar_chart(
                    "Suggestions per source and label: acceptance and precision",
                    "share of the decided suggestions",
                    [f"{r['source']} · {r['label']}" for r in rows],
                    [
                        Series(
                            "acceptance (taken, changed or not)",
                            [r["acceptance"] for r in rows],
                            [QColor(_colour(schema, r["label"])).lighter(135).name() for r in rows],
                            legend="#e3e3e3",  # light: each bar is its label's colour, lightened
                        ),
                        Series(
                            "precision (taken unchanged)",
                            [r["precision"] for r in rows],
                            [_colour(schema, r["label"]) for r in rows],
                            legend="#7f7f7f",  # full: each bar is its label's colour
                        ),
                    ],
                    percent=True,
                    empty="No suggestions yet (Review › Suggest labels…)",
                ),
            )
        ],
    }


# Which tables each tab shows, by core.statistics table name.
TAB_TABLES = {
    "Labels": ("labels",),
    "Events": ("events", "event_roles"),
    "Progress": ("progress",),
    "Annotators": ("annotators",),
    "Suggestions": ("suggestions",),
}
NOTES = {
    "Progress": "The day an article was last marked done; articles done before this version "
    "count on the day their status was last set.",
    "Annotators": "Articles: those holding the annotator's spans or events; done: those of "
    f"them marked done (who pressed Done is not recorded). {GOLD_SERIES}: the copy of what "
    "annotators agreed on, listed apart and never added to their counts.",
    "Suggestions": "Acceptance: accepted, relabelled or resized ÷ decided. Precision: accepted "
    f"unchanged ÷ decided ({', '.join(DECIDED)}).",
}


def table_widget(table: Table) -> QTableWidget:
    widget = QTableWidget(len(table.rows), len(table.columns))
    widget.setObjectName(table.name)
    widget.setHorizontalHeaderLabels(list(table.columns))
    widget.verticalHeader().setVisible(False)
    widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row):
            if isinstance(cell, float):
                text = f"{cell * 100:.0f}%"
            else:
                text = "—" if cell is None else f"{cell}"
            item = QTableWidgetItem(text)
            if isinstance(cell, int | float):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            widget.setItem(r, c, item)
    widget.resizeColumnsToContents()
    # Every row if there is room (no more: the charts take the rest), at least a few.
    whole = (
        widget.horizontalHeader().sizeHint().height()
        + sum(widget.rowHeight(r) for r in range(len(table.rows)))
        + 2 * widget.frameWidth()
        + widget.horizontalScrollBar().sizeHint().height()
    )
    widget.setMinimumHeight(min(60 + 24 * len(table.rows), 220, whole))
    widget.setMaximumHeight(max(whole, 60))
    return widget


class StatisticsDialog(QDialog):
    def __init__(
        self,
        stats: dict,
        schema: Schema,
        article_title: str = "",
        refresh: Callable[[], None] | None = None,
        parent=None,
    ):
        super().__init__(parent)
        self.setWindowTitle("Statistics")
        self.setObjectName("statistics")
        self.refresh_with = refresh
        self.tabs = QTabWidget()
        buttons = QHBoxLayout()
        if refresh is not None:
            again = QPushButton("&Refresh")
            again.clicked.connect(self.refresh)
            buttons.addWidget(again)
        save_all = QPushButton("Save &all (CSV and PNG)…")
        save_all.clicked.connect(self._ask_save_all)
        buttons.addWidget(save_all)
        buttons.addStretch(1)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self.resize(960, 720)
        self.show_stats(stats, schema, article_title)

    def show_stats(self, stats: dict, schema: Schema, article_title: str = "") -> None:
        current = self.tabs.currentIndex()
        self.stats, self.schema, self.article_title = stats, schema, article_title
        self.tables = {t.name: t for t in tables(stats)}
        self.charts: dict[str, list[tuple[str, Chart]]] = _charts(stats, schema, article_title)
        self.tabs.clear()
        for title, charts in self.charts.items():
            self.tabs.addTab(self._page(title, charts), title)
        self.tabs.setCurrentIndex(max(current, 0))

    def _page(self, title: str, charts: list[tuple[str, Chart]]) -> QWidget:
        area = QWidget()
        row = QHBoxLayout(area)
        row.setContentsMargins(0, 0, 0, 0)
        for _, chart in charts:
            row.addWidget(chart.widget)
        page = QWidget()
        column = QVBoxLayout(page)
        column.addWidget(area, 3)
        if title in NOTES:
            note = QLabel(NOTES[title])
            note.setWordWrap(True)
            # A wrapped label makes the scroll area give the page its preferred height (the
            # charts' 480 px), pushing the table out of sight: two or three lines instead.
            policy = note.sizePolicy()
            policy.setHeightForWidth(False)
            note.setSizePolicy(policy)
            lines = note.fontMetrics().lineSpacing()
            note.setMinimumHeight(lines * 2)
            note.setMaximumHeight(lines * 3)
            column.addWidget(note)
        buttons = QHBoxLayout()
        for name in TAB_TABLES[title]:
            table = self.tables[name]
            column.addWidget(table_widget(table), 1)
            button = QPushButton(f"Save “{table.title}” as CSV…")
            button.clicked.connect(lambda _=False, name=name: self._ask_csv(name))
            buttons.addWidget(button)
        png = QPushButton("Save the chart(s) as PNG…")
        png.clicked.connect(lambda _=False, title=title: self._ask_png(title))
        buttons.addWidget(png)
        buttons.addStretch(1)
        column.addLayout(buttons)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        return scroll

    # -- saving --------------------------------------------------------------------------------

    def save_csv(self, name: str, path: Path) -> Path:
        return write_csv(self.tables[name], path)

    def _images(self, title: str) -> list[tuple[str, QImage]]:
        """A tab's charts drawn anew for a file (dark on white, twice the size shown)."""
        with on_paper():
            fresh = _charts(self.stats, self.schema, self.article_title)[title]
        return [
            (name, chart_image(chart, shown.widget.size()))
            for (name, chart), (_, shown) in zip(fresh, self.charts[title], strict=True)
        ]

    def save_png(self, title: str, path: Path) -> Path:
        """A tab's charts, side by side as shown, in one PNG."""
        images = [image for _, image in self._images(title)]
        sheet = QImage(
            sum(i.width() for i in images),
            max(i.height() for i in images),
            QImage.Format.Format_ARGB32,
        )
        sheet.fill(PAPER)
        painter = QPainter(sheet)
        left = 0
        for image in images:
            painter.drawImage(left, 0, image)
            left += image.width()
        painter.end()
        return _saved(sheet, path)

    def save_all(self, folder: Path) -> list[Path]:
        """Every table as NAME.csv and every chart as its own PNG, into `folder`."""
        folder.mkdir(parents=True, exist_ok=True)
        written = [self.save_csv(name, folder / f"{name}.csv") for name in self.tables]
        for title in self.charts:
            for name, image in self._images(title):
                written.append(_saved(image, folder / f"{name}.png"))
        return written

    def refresh(self) -> None:
        """Count again (the controller counts in the background, then calls show_stats)."""
        if self.refresh_with is not None:
            self.refresh_with()

    def _ask_csv(self, name: str) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save as CSV", f"{name}.csv", "CSV (*.csv)")
        if path:
            self._saving(lambda: [self.save_csv(name, Path(path))])

    def _ask_png(self, title: str) -> None:
        default = f"{title.lower()}.png"
        path, _ = QFileDialog.getSaveFileName(self, "Save as PNG", default, "PNG (*.png)")
        if path:
            self._saving(lambda: [self.save_png(title, Path(path))])

    def _ask_save_all(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Save every table and chart into")
        if folder:
            self._saving(lambda: self.save_all(Path(folder)))

    def _saving(self, work: Callable[[], list[Path]]) -> None:
        try:
            written = work()
        except OSError as error:
            QMessageBox.warning(self, "Not saved", f"Not saved: {error}")
            return
        shown = written[0] if len(written) == 1 else f"{len(written)} files in {written[0].parent}"
        QMessageBox.information(self, "Saved", f"Saved {shown}")


def _saved(image: QImage, path: Path) -> Path:
    if not image.save(str(path), "PNG"):
        raise OSError(f"{path}: the image could not be written")
    return path
