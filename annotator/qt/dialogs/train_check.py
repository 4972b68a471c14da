"""Review › Train a model…, before anything runs: the examples per label in the training and
dev articles, and whether that is enough (suggest.train_check). Below the minimum, Train is
off and the reason names the labels and counts; "Train anyway" stays possible, with a warning."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from annotator.suggest.train_check import TrainingCounts


class TrainCheckDialog(QDialog):
    def __init__(self, counts: TrainingCounts, parent=None):
        super().__init__(parent)
        self.counts = counts
        self.anyway = False  # the person chose Train anyway
        self.setWindowTitle("Train a model")
        self.summary = QLabel(
            f"spaCy NER trains on {_articles(counts.train_articles)} and measures on "
            f"{counts.dev_articles} (the export's split). Accepted entities per label "
            "(the ones below the minimum in bold):"
        )
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Label", "Training", "Dev"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a table to read, not to edit
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.minimum = QSpinBox(minimum=1, maximum=100_000, value=counts.min_examples)
        self.minimum.setSuffix(" examples per label")
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.train_button = QPushButton("Train…")
        self.anyway_button = QPushButton("Train anyway…")
        buttons.addButton(self.train_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.anyway_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.train_button.clicked.connect(lambda: self._go(anyway=False))
        self.anyway_button.clicked.connect(lambda: self._go(anyway=True))
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(QLabel("Refuse below"))
        row.addWidget(self.minimum, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.verdict)
        layout.addWidget(buttons)
        self.minimum.valueChanged.connect(self._judge)
        self._judge()
        self.resize(460, 420)

    def _judge(self) -> None:
        """The table and the verdict for the minimum now set."""
        counts = self.counts
        counts.min_examples = self.minimum.value()
        labels = counts.labels
        self.table.setRowCount(len(labels))
        for row, label in enumerate(labels):
            train, dev = counts.train.get(label, 0), counts.dev.get(label, 0)
            cells = (
                QTableWidgetItem(label),
                QTableWidgetItem(str(train)),
                QTableWidgetItem(str(dev)),
            )
            for column, cell in enumerate(cells):
                if column:
                    cell.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if train < counts.min_examples:  # bold, in either theme: below the minimum
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)
                    cell.setToolTip(f"Fewer than {counts.min_examples} training examples")
                self.table.setItem(row, column, cell)
        problems = counts.problems()
        notes = counts.notes()
        if problems:
            self.verdict.setText(
                "<b>Too few examples to train:</b> "
                + "; ".join(problems)
                + ". A model trained on this learns nothing measurable (F 0.0 after minutes). "
                "Label more, lower the minimum, or train anyway."
            )
        else:
            self.verdict.setText(
                "Enough examples of every label." + "".join(f" Note: {n}." for n in notes)
            )
        self.train_button.setEnabled(not problems)
        self.anyway_button.setVisible(bool(problems))
        self.train_button.setDefault(not problems)

    def _go(self, anyway: bool) -> None:
        self.anyway = anyway
        self.accept()

    def options(self) -> dict:
        """train_model's keyword arguments for what was chosen here."""
        return {"min_examples": self.minimum.value(), "anyway": self.anyway}


def _articles(count: int) -> str:
    return "1 article" if count == 1 else f"{count} articles"
