"""Whether an edit can still be undone or redone: the rows its revert or re-apply writes must
be as the edit left them.

Between an edit and its undo, the project may have changed outside the window: the CLI
renamed or removed a label (deleting spans), an import replaced suggestions, another window
deleted the article, or the edit came from the undo log of an earlier run. Writing the step
then would fail half-way inside SQLite ("UNIQUE constraint failed"), or, worse, succeed on
rows that are no longer the edit's (a counter decremented for an event that is gone). So
before any write, the rows are looked up by key (a few indexed lookups: undo stays fast) and
a step that cannot apply whole is refused with a reason the person can read.
"""

from __future__ import annotations

from collections.abc import Iterable

from annotator.core.adjudication.edit import ResolveConflict
from annotator.core.edits import (
    AddArgument,
    AddEvent,
    AddSpan,
    Batch,
    ChangeEventType,
    Decide,
    Edit,
    RelabelSpan,
    Remove,
    ResizeSpan,
    SetStatus,
)
from annotator.core.meta_edits import SetMeta
from annotator.core.storage import Store

ARTICLES, SPANS, EVENTS, ARGUMENTS = "articles", "spans", "events", "event_arguments"
_NOUN = {ARTICLES: "article", SPANS: "span", EVENTS: "event", ARGUMENTS: "argument"}


class _Needs:
    """Rows that must exist, and rows that must not (those a step puts back with their id)."""

    def __init__(self) -> None:
        self.present: dict[str, set[int]] = {}
        self.absent: dict[str, set[int]] = {}

    def have(self, table: str, ids: Iterable[int | None]) -> None:
        self.present.setdefault(table, set()).update(i for i in ids if i is not None)

    def free(self, table: str, ids: Iterable[int | None]) -> None:
        self.absent.setdefault(table, set()).update(i for i in ids if i is not None)

    def problem(self, store: Store) -> str | None:
        for table, ids in self.present.items():
            if ids and store.present(table, ids) != ids:
                return f"its {_NOUN[table]} is gone from the project"
        for table, ids in self.absent.items():
            if ids and store.present(table, ids):
                return f"its {_NOUN[table]}'s id is in use again"
        return None


def why_not(edit: Edit, store: Store, *, undo: bool) -> str | None:
    """None if the undo (or the redo) of `edit` can be written whole, else why not."""
    needs = _Needs()
    needs.have(ARTICLES, [edit.article_id])
    _collect(edit, needs, undo)
    return needs.problem(store)


def ids_named(edit: Edit) -> dict[str, set[int]]:
    """Every row id, by table, that the undo or the redo of `edit` looks up or writes: what a
    project must never give to another row while the edit is in its undo history."""
    needs = _Needs()
    for undo in (True, False):
        _collect(edit, needs, undo)
    named: dict[str, set[int]] = {}
    for found in (needs.present, needs.absent):
        for table, ids in found.items():
            named.setdefault(table, set()).update(ids)
    return named


def _collect(edit: Edit, needs: _Needs, undo: bool) -> None:
    if isinstance(edit, Batch):
        for child in edit.edits:
            _collect(child, needs, undo)
    elif isinstance(edit, AddSpan):
        (needs.have if undo else needs.free)(SPANS, [edit.span.id])
    elif isinstance(edit, AddEvent):
        (needs.have if undo else needs.free)(EVENTS, [edit.event.id])
        if edit.trigger is not None:
            (needs.have if undo else needs.free)(SPANS, [edit.trigger.id])
        else:
            needs.have(SPANS, [edit.event.trigger_id])
    elif isinstance(edit, AddArgument):
        (needs.have if undo else needs.free)(ARGUMENTS, [edit.argument.id])
        needs.have(EVENTS, [edit.argument.event_id, edit.argument.arg_event_id])
        if edit.new_span is not None:
            _collect(edit.new_span, needs, undo)
        else:
            needs.have(SPANS, [edit.argument.span_id])
    elif isinstance(edit, Remove):
        _collect_removal(edit, needs, undo)
    elif isinstance(edit, ChangeEventType):
        needs.have(EVENTS, [edit.event.id])
        needs.have(SPANS, [edit.event.trigger_id])
    elif isinstance(edit, (Decide, RelabelSpan, ResizeSpan)):
        needs.have(SPANS, [edit.span.id])
    elif isinstance(edit, SetMeta):
        needs.have(edit.table, [edit.row_id])
    elif isinstance(edit, SetStatus):
        pass  # the article is all it needs
    elif isinstance(edit, ResolveConflict) and edit.rows is not None:
        # Its undo removes the gold rows it made; its redo puts those rows back, ids and all.
        (needs.have if undo else needs.free)(SPANS, edit.rows.spans)
        (needs.have if undo else needs.free)(EVENTS, edit.rows.events)
        (needs.have if undo else needs.free)(ARGUMENTS, edit.rows.arguments)


def _collect_removal(edit: Remove, needs: _Needs, undo: bool) -> None:
    span_ids, event_ids, argument_ids = edit._targets
    removal = edit.removal
    if not undo or removal is None:  # a redo plans the removal afresh from its targets
        needs.have(SPANS, span_ids)
        needs.have(EVENTS, event_ids)
        needs.have(ARGUMENTS, argument_ids)
        return
    gone_spans = {s.id for s in removal.spans}
    gone_events = {e.id for e in removal.events}
    needs.free(SPANS, gone_spans)
    needs.free(EVENTS, gone_events)
    args = [*removal.arguments, *(a for e in removal.events for a in e.arguments)]
    needs.free(ARGUMENTS, [a.id for a in args])
    # What the restored rows point at, where it was not removed with them.
    needs.have(SPANS, [e.trigger_id for e in removal.events if e.trigger_id not in gone_spans])
    needs.have(SPANS, [a.span_id for a in args if a.span_id not in gone_spans])
    needs.have(EVENTS, [a.event_id for a in args if a.event_id not in gone_events])
    needs.have(EVENTS, [a.arg_event_id for a in args if a.arg_event_id not in gone_events])
