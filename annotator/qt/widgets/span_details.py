"""What the selected span carries beside its label, read-only: its normalizations (knowledge-
base ids: brat's N lines, Prodigy's entity linking), attributes and notes, and those of the
events it triggers. Editing them comes with the workbench; here they are only shown, so an
annotator sees that a span has them before an export keeps or drops them.

The panel listens to the view's selection itself and asks the store for that one span's meta
and its events' (two indexed lookups) when it changes.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout

from annotator.core.model import Span


def _describe(meta: dict) -> list[str]:
    """Lines of HTML (every value escaped: imported data is untrusted) for one meta dict."""
    lines = []
    for norm in meta.get("normalizations") or []:
        if not isinstance(norm, dict):
            continue
        shown = f"<b>{escape(str(norm.get('ref', '')))}</b>"
        if norm.get("text"):
            shown += f" ({escape(str(norm['text']))})"
        lines.append(f"{escape(str(norm.get('type') or 'Reference'))}: {shown}")
    attributes = meta.get("attributes") or {}
    if isinstance(attributes, dict) and attributes:
        parts = [
            escape(str(name)) if value is True else f"{escape(str(name))} = {escape(str(value))}"
            for name, value in attributes.items()
        ]
        lines.append("Attributes: " + "; ".join(parts))
    for note in meta.get("notes") or []:
        lines.append(f"Note: <i>{escape(str(note))}</i>")
    return lines


class SpanDetails(QFrame):
    """Hidden while no span is selected; else the span, then what it carries."""

    def __init__(self, store, view, parent=None):
        super().__init__(parent)
        self.store, self.view = store, view
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.label)
        self.setVisible(False)
        view.selectionChanged.connect(self.refresh)

    def refresh(self) -> None:
        span = self.view.selected_span()
        if span is None or span.id is None:
            self.setVisible(False)
            return
        self.label.setText(self.describe(span))
        self.setVisible(True)

    def describe(self, span: Span) -> str:
        span_meta, events = self.store.span_annotation_meta(span.id)
        lines = _describe(span_meta)
        for kind, meta in events:
            lines += [f"Event {escape(kind)}: {line}" for line in _describe(meta)]
        head = f"<b>{escape(span.label)}</b> · {escape(span.origin)}"
        if not lines:
            lines = ["<span style='color: gray'>No normalizations, attributes or notes.</span>"]
        return "<br>".join([head, *lines])
