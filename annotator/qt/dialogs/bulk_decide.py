"""Review › Accept (or Reject) all of one label…: which label, where (this article or the whole
corpus), and how many, asked before anything changes: "Accept 11 PERSON suggestions in this
article?" The button says what it does ("Accept 11"); nothing is decided blindly."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
)

from annotator.core.bulk_decisions import ARTICLE, CORPUS, BulkScope, bulk_scope
from annotator.core.session import Session

ALL_LABELS = "All labels"


class BulkDecideDialog(QDialog):
    def __init__(self, session: Session, accept: bool, labels: list[str], parent=None):
        super().__init__(parent)
        self.session, self.accept_them = session, accept
        verb = "Accept" if accept else "Reject"
        self.setWindowTitle(f"{verb} all of one label")
        self.label_box = QComboBox()
        for name in labels:
            self.label_box.addItem(name, name)
        self.label_box.addItem(ALL_LABELS, None)  # Review › Accept (Reject) all in this article
        self.scopes = QButtonGroup(self)
        self.article_button = QRadioButton()
        self.corpus_button = QRadioButton()
        for index, button in enumerate((self.article_button, self.corpus_button)):
            self.scopes.addButton(button, index)
        self.question = QLabel()
        self.question.setWordWrap(True)
        self.question.setStyleSheet("font-weight: 600; margin-top: 6px;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Label", self.label_box)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Where"))
        layout.addWidget(self.article_button)
        layout.addWidget(self.corpus_button)
        layout.addWidget(self.question)
        layout.addWidget(QLabel("One step: Ctrl+Z undoes all of it, in every article it touched."))
        layout.addWidget(self.buttons)
        # The open article's suggestions are what a person looks at: that is the default.
        self.article_button.setChecked(True)
        self.label_box.currentIndexChanged.connect(self._count)
        self.scopes.idToggled.connect(lambda _id, on: on and self._count())
        self._count()

    def chosen(self) -> BulkScope:
        scope = ARTICLE if self.article_button.isChecked() else CORPUS
        return bulk_scope(self.session, self.accept_them, self.label(), scope)

    def label(self) -> str | None:
        return self.label_box.currentData()

    def _count(self) -> None:
        """Both scopes' counts on their buttons; the question and the button for the one
        chosen. A scope with nothing to decide can't be chosen."""
        label = self.label()
        here = bulk_scope(self.session, self.accept_them, label, ARTICLE)
        everywhere = bulk_scope(self.session, self.accept_them, label, CORPUS)
        self.article_button.setText(f"This article ({here.count})")
        self.corpus_button.setText(
            f"The whole corpus ({everywhere.count} in {everywhere.articles} "
            f"article{'' if everywhere.articles == 1 else 's'})"
        )
        self.article_button.setEnabled(here.count > 0)
        if here.count == 0 and self.article_button.isChecked():
            self.corpus_button.setChecked(True)  # toggles: _count runs again for it
            return
        chosen = self.chosen()
        self.question.setText(chosen.question())
        verb = "Accept" if self.accept_them else "Reject"
        self.ok.setText(f"{verb} {chosen.count}")
        self.ok.setEnabled(chosen.count > 0)
