"""What a person does to an annotation's attributes, notes and knowledge-base id (a key, the
side panel), planned as SetMeta edits on what is selected. No Qt, nothing written here: the
window pushes the edit on its undo stack, a test applies it.

What is selected: the event of the selected trigger (the chosen one of several) when the
attribute may sit on an event, else the selected span.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from annotator.core.errors import EditRefused
from annotator.core.meta_edits import (
    EVENTS,
    SPANS,
    SetMeta,
    with_attribute,
    with_kb_id,
    with_notes,
)
from annotator.core.model import SUGGESTED, TRIGGER, Event, Span, stored
from annotator.core.outcome import Outcome
from annotator.core.session import Session


@dataclass(frozen=True)
class Target:
    """An annotation whose meta is edited: a span, or an event."""

    table: str
    row_id: int
    article_id: int
    name: str  # its label or event type
    kind: str  # "entity", "event" or "relation" (as Schema.kind_of answers)
    text: str  # the text it covers (a new normalization keeps it)

    @property
    def what(self) -> str:
        return f"event {self.name}" if self.table == EVENTS else self.name


def span_target(session: Session, span: Span) -> Target:
    if span.state == SUGGESTED:
        raise EditRefused("Accept the suggestion first: a suggestion has no attributes or notes")
    text = session.article.text[span.start : span.end] if session.article else ""
    kind = "event" if span.kind == TRIGGER else "entity"
    return Target(SPANS, stored(span.id), span.article_id, span.label, kind, text)


def event_target(session: Session, event: Event) -> Target:
    trigger = session.span_by_id(event.trigger_id)
    text = ""
    if trigger is not None and session.article is not None:
        text = session.article.text[trigger.start : trigger.end]
    kind = "relation" if event.relation else "event"
    return Target(EVENTS, stored(event.id), event.article_id, event.type, kind, text)


def plan(
    session: Session, target: Target, change: Callable[[dict, str | None], dict], what: str
) -> SetMeta | None:
    """The edit that makes `change` of the target's meta as stored now; None if it changes
    nothing (a field left as it was)."""
    store = session.store
    before = store.annotation_meta_of(target.table, target.row_id)
    after = change(before, getattr(store, "annotator", None))
    if after == before:
        return None
    return SetMeta(target.article_id, target.table, target.row_id, before, after, what)


def plan_attribute(session: Session, target: Target, name: str, value: object) -> SetMeta | None:
    shown = "unset" if value in (None, False, "") else ("on" if value is True else value)
    return plan(
        session,
        target,
        lambda meta, who: with_attribute(meta, name, value, who),
        f"{name} of {target.what}: {shown}",
    )


def plan_notes(session: Session, target: Target, text: str) -> SetMeta | None:
    return plan(
        session, target, lambda meta, who: with_notes(meta, text, who), f"note on {target.what}"
    )


def plan_kb_id(session: Session, target: Target, ref: str) -> SetMeta | None:
    """The edit giving the target this knowledge-base id; refused (EditRefused) if the id
    holds a space: brat's N line is split on spaces, so such an id could not be exported."""
    if any(c.isspace() for c in ref.strip()):
        raise EditRefused(
            f"A knowledge-base id is one word: {ref.strip()!r} has a space (a Wikipedia "
            "title is written with _ for spaces, Wikipedia:Kataib_Hezbollah)"
        )
    return plan(
        session,
        target,
        lambda meta, who: with_kb_id(meta, ref, target.text, who),
        f"knowledge-base id of {target.what}: {ref.strip() or 'removed'}",
    )


def attribute_target(interaction, name: str) -> Target:
    """What attribute `name`'s key acts on: the current event if it may carry it, else the
    selected span if that may. EditRefused says why there is none."""
    session: Session = interaction.session
    attribute = session.store.schema.attribute(name)
    if attribute is None:
        raise EditRefused(f"the schema has no attribute {name!r}")
    event = interaction.current_event()
    if event is not None and attribute.applies_to(
        event.type, "relation" if event.relation else "event"
    ):
        return event_target(session, event)
    span = interaction.selected_span()
    if span is not None:
        target = span_target(session, span)
        if attribute.applies_to(target.name, target.kind):
            return target
        raise EditRefused(f"{name} does not apply to {target.name}")
    raise EditRefused(f"Select an annotation first: {name} applies to {_targets(attribute)}")


def _targets(attribute) -> str:
    words = {"<EVENT>": "events", "<ENTITY>": "entities", "<RELATION>": "relations"}
    return ", ".join(words.get(t, t) for t in attribute.targets) or "any annotation"


def cycle_attribute(interaction, name: str) -> Outcome:
    """An attribute's key: the selected event's (or span's) value moves to the next one (a
    flag toggles); Ctrl+Z puts it back."""
    try:
        target = attribute_target(interaction, name)
    except EditRefused as refusal:
        return Outcome(message=str(refusal))
    session: Session = interaction.session
    attribute = session.store.schema.attribute(name)
    assert attribute is not None
    current = (
        session.store.annotation_meta_of(target.table, target.row_id).get("attributes") or {}
    ).get(name)
    value = attribute.next_value(current)
    edit = plan_attribute(session, target, name, value)
    if edit is None:
        return Outcome()
    shown = "on" if value is True else ("off" if value is None else value)
    span_id = interaction.span_id
    event_id = interaction.chosen_event_id

    def after(_edit) -> str:
        # The selection stays on what was edited, so the key can be pressed again.
        interaction.select_span(span_id)
        interaction.chosen_event_id = event_id
        return f"{name}: {shown} ({target.what}; Ctrl+Z undoes)"

    return Outcome(edit, after=after)
