"""The Guidelines tab: what the schema says about the label under the selection (its
description, examples, key, and an event type's roles), or about every label when no span is
selected, so the annotation guide is at hand without leaving the text.

It follows the article view's selection itself and reads the schema when it shows something,
so a schema changed meanwhile (Edit › Label schema, another program) is what it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtWidgets import QTextBrowser

from annotator.core.guidelines import Guideline, all_guidelines, guideline_for
from annotator.core.schema import Schema
from annotator.qt.widgets.span_painter import text_colour_on

KIND_WORDS = {"entity": "entity label", "event": "event type", "relation": "relation type"}


def _chip(item: Guideline) -> str:
    from PySide6.QtGui import QColor

    ink = text_colour_on(QColor(item.color)).name()
    return (
        f"<span style='background:{item.color}; color:{ink}; font-weight:600'>"
        f"&nbsp;{escape(item.name)}&nbsp;</span>"
    )


def describe(item: Guideline, full: bool = True) -> str:
    """One label's guideline as HTML (everything escaped: a schema is a user's file)."""
    head = _chip(item) + f" <small>{KIND_WORDS[item.kind]}"
    head += f" · key {escape(item.key)}</small>" if item.key else "</small>"
    lines = [head]
    lines.append(
        escape(item.description) if item.description else "<i>No description in the schema.</i>"
    )
    if item.examples:
        lines.append("<b>Examples:</b> " + "; ".join(f"“{escape(e)}”" for e in item.examples))
    if full and item.roles:
        roles = "".join(
            f"<li><b>{escape(role)}</b>: {escape(', '.join(fillers)) if fillers else 'anything'}"
            "</li>"
            for role, fillers in item.roles
        )
        lines.append(f"<b>Roles</b> (and what may fill them):<ul>{roles}</ul>")
    return "<br>".join(lines)


class GuidelinesPanel(QTextBrowser):
    def __init__(self, schema: Callable[[], Schema], view, parent=None):
        super().__init__(parent)
        self.setObjectName("guidelines")
        self.schema, self.view = schema, view
        self.setOpenExternalLinks(False)  # links open only through Help › Guidelines
        self.shown: str | None = None  # the label shown, None for all of them
        self._html = ""  # what setHtml was last given
        view.selectionChanged.connect(self.refresh)
        self.refresh(hidden_too=True)

    def refresh(self, hidden_too: bool = False) -> None:
        # Every selection change calls this (three as an argument is added): a hidden tab
        # waits for showEvent, and the same words are not laid out again.
        if not (hidden_too or self.isVisible()):
            return
        span = self.view.selected_span()
        schema = self.schema()
        item = guideline_for(schema, span.label) if span is not None else None
        if item is not None:
            self.shown = item.name
            self._show(describe(item))
            return
        self.shown = None
        parts = ["<p><i>Select a span to see its label's guideline. All labels:</i></p>"]
        parts += [f"<p>{describe(g, full=False)}</p>" for g in all_guidelines(schema)]
        self._show("".join(parts))

    def _show(self, html: str) -> None:
        if html != self._html:
            self._html = html
            self.setHtml(html)

    def showEvent(self, event) -> None:
        # A schema changed while the tab was hidden (Edit › Label schema, another program)
        # shows as it is now.
        self.refresh(hidden_too=True)
        super().showEvent(event)
