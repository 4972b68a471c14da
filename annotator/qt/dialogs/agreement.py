"""Review › Agreement…: the figures of `annotator agree` per pair of annotators (or overall)
and per label, event type and role, measured by a background job (a large project takes
seconds) on a connection of its own."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.agreement.table import number

SPAN_COLUMNS = ["label", "a", "b", "F1 exact", "F1 overlap", "kappa (tokens)", "alpha_u"]
EVENT_COLUMNS = ["event type / role", "a", "b", "trigger F1", "argument F1"]


def _table(columns: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, len(columns)):
        table.horizontalHeader().setSectionResizeMode(
            column, QHeaderView.ResizeMode.ResizeToContents
        )
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)


class AgreementDialog(QDialog):
    """Shows a report (core.agreement.run.project_agreement's dict) once it is measured."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Agreement between annotators")
        self.report: dict | None = None
        self.job: object | None = None  # the job measuring it, kept alive with the panel
        self.summary = QLabel("Measuring agreement…")
        self.summary.setWordWrap(True)
        self.choice = QComboBox()
        self.choice.setEnabled(False)
        self.choice.currentIndexChanged.connect(self._show_choice)
        self.spans = _table(SPAN_COLUMNS)
        self.events = _table(EVENT_COLUMNS)
        self.note = QLabel(
            "Counts: how many each annotator made. F1 = 2·matched / (a + b). Kappa: Cohen's, on "
            "tokens (IO). alpha_u: Krippendorff's alpha for unitized data. Argument F1: role "
            "and filler, on events whose trigger and type match. Details: docs/agreement.md."
        )
        self.note.setWordWrap(True)
        choose = QHBoxLayout()
        choose.addWidget(QLabel("&Compare:"))
        choose.itemAt(0).widget().setBuddy(self.choice)
        choose.addWidget(self.choice, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(choose)
        layout.addWidget(QLabel("Spans"))
        layout.addWidget(self.spans, 3)
        layout.addWidget(QLabel("Events and their arguments"))
        layout.addWidget(self.events, 2)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.resize(760, 620)

    def show_failure(self, message: str) -> None:
        self.summary.setText(message)

    def show_report(self, report: dict) -> None:
        self.report = report
        label = f", label {report['label']}" if report.get("label") else ""
        self.summary.setText(
            f"{len(report['annotators'])} annotators ({', '.join(report['annotators'])}){label}; "
            f"{report['articles']} article(s) annotated by at least one of them."
        )
        self.choice.blockSignals(True)
        self.choice.clear()
        for pair in report["pairs"]:
            self.choice.addItem(
                f"{pair['a']} and {pair['b']} ({pair['articles']} shared article(s))"
            )
        if len(report["pairs"]) > 1:
            self.choice.addItem("Overall (all pairs)")
        self.choice.blockSignals(False)
        self.choice.setEnabled(True)
        self.choice.setCurrentIndex(0)
        self._show_choice(0)

    def _show_choice(self, index: int) -> None:
        if self.report is None or index < 0:
            return
        pairs = self.report["pairs"]
        part = pairs[index] if index < len(pairs) else self.report["overall"]
        spans, events = part["spans"], part["events"]
        # The count columns carry the annotators' names; overall, every pair's first and
        # second annotator pooled.
        a, b = (part["a"], part["b"]) if index < len(pairs) else ("first", "second")
        self.spans.setHorizontalHeaderLabels(["label", a, b, *SPAN_COLUMNS[3:]])
        self.events.setHorizontalHeaderLabels([EVENT_COLUMNS[0], a, b, *EVENT_COLUMNS[3:]])
        rows = [("all labels", spans)] + list(spans["by_label"].items())
        _fill(
            self.spans,
            [
                [
                    name,
                    str(f["a"]),
                    str(f["b"]),
                    number(f["f1_exact"]),
                    number(f["f1_overlap"]),
                    number(f["kappa_tokens"]),
                    number(f["alpha_u"]),
                ]
                for name, f in rows
            ],
        )
        event_rows = [
            [
                "all events",
                str(events["a"]),
                str(events["b"]),
                number(events["trigger_f1"]),
                number(events["argument_f1"]),
            ]
        ]
        for kind, f in events["by_type"].items():
            event_rows.append([kind, str(f["a"]), str(f["b"]), number(f["trigger_f1"]), ""])
        for role, f in events["by_role"].items():
            event_rows.append(
                [f"  role {role}", str(f["a"]), str(f["b"]), "", number(f["argument_f1"])]
            )
        _fill(self.events, event_rows)
