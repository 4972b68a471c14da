"""The undo history kept in the project: every edit as a plain, JSON-able dict and back.

The window logs each edit it makes in the same transaction as the edit (store.log_edit), so
after a restart or a crash its undo stack is rebuilt from the file and Ctrl+Z undoes exactly
the last edit made before it. An edit is encoded as it stands after it was applied: with the
ids the store gave its rows and what it changed on the side (a status it moved, the rows a
removal took), which is what its revert needs.

The payload carries a version ("v"). An entry is read into its edit only when its undo or
redo needs it (a window opening on a full log reads 1,000 descriptions, not 1,000 edits); one
this version cannot read (a newer annotator wrote it, or the file was damaged) is refused
then, like any step that cannot be written, and the stack stays where it was.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from annotator.core.adjudication import edit as adjudication
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
from annotator.core.errors import EditRefused
from annotator.core.meta_edits import SetMeta
from annotator.core.model import Argument, Event, Removal, Span

VERSION = 1
UNDO_LIMIT = 1000  # entries kept in the project; the oldest go first


@dataclass(frozen=True)
class LogEntry:
    """One row of the project's undo log."""

    seq: int
    description: str
    payload: str  # the JSON text encode() gave, read only when needed
    done: bool  # False once undone (the undone tail goes when a new edit is made)
    made: float  # when it was logged; with seq, what names this row (seqs are reused)


class UnreadableEdit(ValueError):
    """A payload this version cannot decode."""


# -- records -------------------------------------------------------------------------------


def _span(span: Span | None) -> dict | None:
    return None if span is None else asdict(span)


def _to_span(data: dict | None) -> Span | None:
    return None if data is None else Span(**data)


def _argument(arg: Argument) -> dict:
    return asdict(arg)


def _to_argument(data: dict) -> Argument:
    return Argument(**data)


def _event(event: Event) -> dict:
    data = asdict(event)
    data["arguments"] = [_argument(a) for a in event.arguments]
    return data


def _to_event(data: dict) -> Event:
    data = dict(data)
    data["arguments"] = tuple(_to_argument(a) for a in data["arguments"])
    return Event(**data)


def _removal(removal: Removal | None) -> dict | None:
    if removal is None:
        return None
    return {
        "spans": [_span(s) for s in removal.spans],
        "events": [_event(e) for e in removal.events],
        "arguments": [_argument(a) for a in removal.arguments],
        "columns": removal.columns,
    }


def _to_removal(data: dict | None) -> Removal | None:
    if data is None:
        return None
    return Removal(
        [Span(**s) for s in data["spans"]],
        [_to_event(e) for e in data["events"]],
        [_to_argument(a) for a in data["arguments"]],
        data.get("columns", []),  # absent from undo logs written before it was kept
    )


# -- edits ---------------------------------------------------------------------------------


def _add_span(edit: AddSpan) -> dict:
    return {"span": _span(edit.span), "text_length": edit._text_length, "started": edit.started}


def _to_add_span(d: dict) -> AddSpan:
    edit = AddSpan(Span(**d["span"]), d["text_length"])
    edit.started = d["started"]
    return edit


def _remove(edit: Remove) -> dict:
    spans, events, arguments = edit._targets
    return {
        "article_id": edit.article_id,
        "targets": [list(spans), list(events), list(arguments)],
        "removal": _removal(edit.removal),
    }


def _to_remove(d: dict) -> Remove:
    spans, events, arguments = d["targets"]
    edit = Remove(d["article_id"], "", spans=spans, events=events, arguments=arguments)
    edit.removal = _to_removal(d["removal"])
    return edit


def _add_event(edit: AddEvent) -> dict:
    return {"event": _event(edit.event), "trigger": _span(edit.trigger), "started": edit.started}


def _to_add_event(d: dict) -> AddEvent:
    edit = AddEvent(_to_event(d["event"]), _to_span(d["trigger"]))
    edit.started = d["started"]
    return edit


def _add_argument(edit: AddArgument) -> dict:
    return {
        "article_id": edit.article_id,
        "argument": _argument(edit.argument),
        "new_span": None if edit.new_span is None else _add_span(edit.new_span),
    }


def _to_add_argument(d: dict) -> AddArgument:
    new_span = None if d["new_span"] is None else _to_add_span(d["new_span"])
    return AddArgument(d["article_id"], _to_argument(d["argument"]), "", new_span)


def _change_type(edit: ChangeEventType) -> dict:
    return {"event": _event(edit.event), "event_type": edit.event_type}


def _to_change_type(d: dict) -> ChangeEventType:
    return ChangeEventType(_to_event(d["event"]), d["event_type"])


def _decide(edit: Decide) -> dict:
    return {
        "span": _span(edit.span),
        "state": edit.state,
        "decision": edit.decision,
        "label": edit.label,
        "bounds": None if edit.bounds is None else list(edit.bounds),
        "started": edit.started,
    }


def _to_decide(d: dict) -> Decide:
    bounds = None if d["bounds"] is None else (d["bounds"][0], d["bounds"][1])
    edit = Decide(Span(**d["span"]), d["state"], d["decision"], d["label"], bounds)
    edit.started = d["started"]
    return edit


def _batch(edit: Batch) -> dict:
    return {"edits": [encode(child) for child in edit.edits], "article_id": edit.article_id}


def _to_batch(d: dict) -> Batch:
    # "article_id": the article a corpus-wide batch was made from (absent before it was kept).
    return Batch([decode(child) for child in d["edits"]], "", d.get("article_id"))


def _relabel(edit: RelabelSpan) -> dict:
    return {"span": _span(edit.span), "label": edit.label}


def _to_relabel(d: dict) -> RelabelSpan:
    return RelabelSpan(Span(**d["span"]), d["label"])


def _resize(edit: ResizeSpan) -> dict:
    return {"span": _span(edit.span), "bounds": [edit.start, edit.end]}


def _to_resize(d: dict) -> ResizeSpan:
    return ResizeSpan(Span(**d["span"]), d["bounds"][0], d["bounds"][1])


def _set_status(edit: SetStatus) -> dict:
    return {"article_id": edit.article_id, "status": edit.status, "old": edit._old}


def _to_set_status(d: dict) -> SetStatus:
    edit = SetStatus(d["article_id"], d["status"])
    edit._old = d["old"]
    return edit


def _resolve(edit: adjudication.ResolveConflict) -> dict:
    return {**adjudication.encode(edit), "removal": _removal(edit.removal)}


def _to_resolve(d: dict) -> adjudication.ResolveConflict:
    edit = adjudication.decode(d)
    edit.removal = _to_removal(d["removal"])
    return edit


def _set_meta(edit: SetMeta) -> dict:
    return {
        "article_id": edit.article_id,
        "table": edit.table,
        "row_id": edit.row_id,
        "before": edit.before,
        "after": edit.after,
    }


def _to_set_meta(d: dict) -> SetMeta:
    return SetMeta(d["article_id"], d["table"], d["row_id"], d["before"], d["after"], "")


# One entry per kind of edit: its name in the payload, how it is written and read back.
KINDS: dict[type, tuple[str, Callable[[Any], dict], Callable[[dict], Edit]]] = {
    AddSpan: ("add_span", _add_span, _to_add_span),
    Remove: ("remove", _remove, _to_remove),
    AddEvent: ("add_event", _add_event, _to_add_event),
    AddArgument: ("add_argument", _add_argument, _to_add_argument),
    ChangeEventType: ("change_event_type", _change_type, _to_change_type),
    Decide: ("decide", _decide, _to_decide),
    Batch: ("batch", _batch, _to_batch),
    RelabelSpan: ("relabel_span", _relabel, _to_relabel),
    ResizeSpan: ("resize_span", _resize, _to_resize),
    SetStatus: ("set_status", _set_status, _to_set_status),
    adjudication.ResolveConflict: ("resolve_conflict", _resolve, _to_resolve),
    SetMeta: ("set_meta", _set_meta, _to_set_meta),
}
_BY_NAME = {name: read for name, _, read in KINDS.values()}


def encode(edit: Edit) -> dict:
    """The edit as a JSON-able dict (its description included), as it stands now."""
    try:
        name, write, _ = KINDS[type(edit)]
    except KeyError:
        raise TypeError(f"no log form for {type(edit).__name__}") from None
    return {"v": VERSION, "kind": name, "description": edit.description, **write(edit)}


def decode(payload: str | dict) -> Edit:
    """The edit a payload of encode() (or its JSON text) describes; UnreadableEdit if this
    version can't read it."""
    if isinstance(payload, str):
        try:
            payload = json.loads(payload)
        except ValueError as error:
            raise UnreadableEdit(f"damaged undo log entry ({error})") from error
    if not isinstance(payload, dict) or payload.get("v") != VERSION:
        raise UnreadableEdit(f"undo log entry of another version: {str(payload)[:80]}")
    read = _BY_NAME.get(payload.get("kind"))  # type: ignore[arg-type]
    if read is None:
        raise UnreadableEdit(f"undo log entry of an unknown kind: {payload.get('kind')!r}")
    try:
        edit = read(payload)
    except (KeyError, TypeError, IndexError, ValueError) as error:
        raise UnreadableEdit(f"damaged undo log entry ({error})") from error
    edit.description = payload.get("description", edit.description)
    return edit


class LoggedEdit:
    """An entry of the log as a step of the undo stack, read into its edit on first use."""

    def __init__(self, entry: LogEntry):
        self.entry = entry
        self.description = entry.description
        self.done = entry.done
        self._edit: Edit | None = None

    def edit(self) -> Edit:
        """The edit, tied to its entry; EditRefused if this version cannot read it."""
        if self._edit is None:
            try:
                edit = decode(self.entry.payload)
            except UnreadableEdit as error:
                raise EditRefused(
                    f"Cannot undo or redo “{self.description}”: its undo log entry "
                    f"cannot be read ({error}). Nothing was changed."
                ) from error
            edit.log_entry = (self.entry.seq, self.entry.made)
            self._edit = edit
        return self._edit
