"""An edit in the person's words, with the text it is about: "Add PERSON 'Kataib Hezbollah'".

The status bar says it after an undo or a redo ("Undone: …", "Redone: …"), so a person who
pressed Ctrl+Z sees what came back or went, not only that something did. The edit's own
description (its undo step's name, also kept in the project's undo log) stays short; the
quoted text is read from the article it touched, which the undo has just opened.
"""

from __future__ import annotations

from annotator.core.edits import (
    AddArgument,
    AddEvent,
    AddSpan,
    Decide,
    Edit,
    RelabelSpan,
    Remove,
    ResizeSpan,
)

QUOTE_LIMIT = 40  # characters of the text quoted; a longer span is cut with "…"


def _bounds(edit: Edit) -> tuple[int, int] | None:
    """The characters the edit is about, where it is about one span."""
    if isinstance(edit, (AddSpan, RelabelSpan)):
        return edit.span.start, edit.span.end
    if isinstance(edit, Decide):
        return edit.bounds or (edit.span.start, edit.span.end)
    if isinstance(edit, ResizeSpan):
        return edit.start, edit.end
    if isinstance(edit, AddEvent):
        trigger = edit.trigger
        return (trigger.start, trigger.end) if trigger is not None else None
    if isinstance(edit, AddArgument) and edit.new_span is not None:
        return edit.new_span.span.start, edit.new_span.span.end
    if isinstance(edit, Remove) and edit.removal is not None:
        targets = set(edit._targets[0])
        spans = [s for s in edit.removal.spans if s.id in targets]
        if len(spans) == 1:
            return spans[0].start, spans[0].end
    return None


def quoted(text: str, start: int, end: int) -> str:
    piece = " ".join(text[start:end].split())  # line breaks inside a span read as spaces
    if len(piece) > QUOTE_LIMIT:
        piece = piece[: QUOTE_LIMIT - 1].rstrip() + "…"
    return f"'{piece}'"


def edit_text(edit: Edit, description: str, text: str | None) -> str:
    """`description` (the undo step's name) capitalised, with the text of the span it is
    about quoted when `text` (its article's) is given and holds it."""
    said = description[:1].upper() + description[1:]
    bounds = _bounds(edit)
    if text is None or bounds is None:
        return said
    start, end = bounds
    if not 0 <= start < end <= len(text):
        return said
    return f"{said} {quoted(text, start, end)}"
