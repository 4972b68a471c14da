"""What the selected span carries beside its label, read-only: its normalizations (knowledge-
base ids: brat's N lines, Prodigy's entity linking), attributes and notes, and those of the
events it triggers. Editing them comes with the workbench; here they are only shown, so an
annotator sees that a span has them before an export keeps or drops them.

The panel listens to the view's selection itself and asks the store for the article's
annotation meta (one indexed query, spans and events with meta only) when it changes.
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
        span_meta, event_meta = self.store.annotation_meta(span.article_id)
        lines = _describe(span_meta.get(span.id, {}))
        for event in self.store.events(span.article_id):
            if event.trigger_id == span.id and event_meta.get(event.id):
                lines += [
                    f"Event {escape(event.type)}: {line}"
                    for line in _describe(event_meta[event.id])
                ]
        head = f"<b>{escape(span.label)}</b> · {escape(span.origin)}"
        if not lines:
            lines = ["<span style='color: gray'>No normalizations, attributes or notes.</span>"]
        return "<br>".join([head, *lines])
