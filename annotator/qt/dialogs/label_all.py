"""Label all occurrences…: which text, which label, how it matches, where; the count in this
article shown as the choices change. It asks; suggest.propagate does the work."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
)

from annotator.core.keymap import DEFAULT, KeyMap
from annotator.core.occurrences import MatchOptions, find_occurrences
from annotator.core.schema import Schema
from annotator.qt.actions import key_text
from annotator.qt.qstring import as_qstring

ARTICLE, CORPUS = "article", "corpus"


@dataclass(frozen=True)
class LabelAllRequest:
    text: str
    label: str
    options: MatchOptions
    scope: str  # ARTICLE or CORPUS


class LabelAllDialog(QDialog):
    def __init__(
        self,
        schema: Schema,
        article_text: str | None,
        text: str = "",
        label: str | None = None,
        options: MatchOptions = MatchOptions(),
        scope: str = ARTICLE,
        parent=None,
        keymap: KeyMap = DEFAULT,
    ):
        super().__init__(parent)
        self.setWindowTitle("Label all occurrences")
        self.article_text = article_text
        self.text_box = QLineEdit(as_qstring(text))
        self.text_box.setAccessibleName("Text to label")
        self.labels = QComboBox()
        for entity in schema.entities:
            shown = f"{entity.name}  ({entity.key})" if entity.key else entity.name
            self.labels.addItem(shown, entity.name)
        if label is not None and self.labels.findData(label) >= 0:
            self.labels.setCurrentIndex(self.labels.findData(label))
        self.match_case = QCheckBox("Match &case (exact)")
        self.match_case.setChecked(options.match_case)
        self.whole_word = QCheckBox("&Whole word only")
        self.whole_word.setChecked(options.whole_word)
        matching = QHBoxLayout()
        matching.addWidget(self.match_case)
        matching.addWidget(self.whole_word)
        matching.addStretch(1)
        self.in_article = QRadioButton("This &article")
        self.in_corpus = QRadioButton("The whole c&orpus")
        self.in_article.setEnabled(article_text is not None)
        (self.in_corpus if scope == CORPUS or article_text is None else self.in_article).setChecked(
            True
        )
        where = QVBoxLayout()
        where.addWidget(self.in_article)
        where.addWidget(self.in_corpus)
        self.found = QLabel()
        explain = QLabel(
            "Each occurrence becomes a suggestion (source “propagated”), dashed with a ?, to "
            f"review as any other: {review_keys(keymap)}. Places "
            "already labelled, suggested or rejected, and hits inside a longer word, are "
            "skipped."
        )
        explain.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Text:", self.text_box)
        form.addRow("&Label:", self.labels)
        form.addRow("Match:", matching)
        form.addRow("In:", where)
        form.addRow("", self.found)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("&Suggest")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(explain)
        column.addWidget(buttons)
        for signal in (self.text_box.textChanged, self.match_case.toggled, self.whole_word.toggled):
            signal.connect(self._count)
        self.in_article.toggled.connect(self._count)
        self._count()
        self.resize(max(self.sizeHint().width(), 480), self.sizeHint().height())

    def _count(self) -> None:
        """How many times the text is in this article, as the choices stand (the corpus is
        counted by the run itself: it may be large)."""
        text = self.text_box.text()
        ready = bool(text.strip()) and self.labels.count() > 0
        self.ok.setEnabled(ready)
        if not text.strip():
            self.found.setText("Type the text to look for.")
        elif self.article_text is None:
            self.found.setText("")
        else:
            found = len(find_occurrences(self.article_text, text, self.options))
            self.found.setText(f"{found} in this article" if found else "Not in this article")

    @property
    def options(self) -> MatchOptions:
        return MatchOptions(self.match_case.isChecked(), self.whole_word.isChecked())

    def request(self) -> LabelAllRequest:
        return LabelAllRequest(
            self.text_box.text(),
            self.labels.currentData(),
            self.options,
            CORPUS if self.in_corpus.isChecked() else ARTICLE,
        )


def review_keys(keymap: KeyMap) -> str:
    """ "Space goes to the next, a accepts, x rejects", with the keys the key map has now
    (rebound in Settings, they are no longer a and x)."""

    def keys(action: str) -> str:
        return " / ".join(key_text(key) for key in keymap.keys(action))

    return (
        f"{keys('review.next')} goes to the next, {keys('review.accept')} accepts, "
        f"{keys('review.reject')} rejects"
    )
