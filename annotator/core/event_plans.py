"""Planning edits of events, relations and their arguments, checked against the schema's
roles before anything is written (a mixin of Session: the article it has open, its spans
and events)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.edits import AddArgument, AddEvent, AddSpan, ChangeEventType, Remove
from annotator.core.errors import EditRefused
from annotator.core.layers import GOLD
from annotator.core.model import ENTITY, TRIGGER, Argument, Article, Event, Span
from annotator.core.storage import Store


class RoleRefused(EditRefused):
    """The schema doesn't allow this filler in this role; the person may override it."""


class EventPlans:
    store: Store

    if TYPE_CHECKING:  # Session's, declared for the checker

        @property
        def events(self) -> list[Event]: ...

        def _open(self) -> Article: ...
        def events_on(self, span: Span) -> list[Event]: ...
        def span_for_selection(
            self, start: int, end: int, label: str, kind: str = ENTITY
        ) -> Span: ...

    # -- adjudicating: every layer is in the view, only gold is edited ----------------------

    @property
    def adjudicating(self) -> bool:
        """Review › Adjudicate is on: the window writes as GOLD."""
        return self.store.annotator == GOLD

    def editable(self, row: Span | Event | Argument) -> bool:
        """Whether an edit may change this row: in adjudication, only gold's (the others
        are the annotators' layers, shown beside gold to decide from)."""
        return not self.adjudicating or row.annotator == GOLD

    def check_editable(self, row: Span | Event | Argument, what: str) -> None:
        if not self.editable(row):
            raise EditRefused(
                f"this {what} is {row.annotator or 'unnamed'}'s: while adjudicating only gold "
                "(★) is edited; decide the conflict in its list, or label the text for gold"
            )

    def plan_add_event(
        self,
        event_type: str,
        *,
        selection: tuple[int, int] | None = None,
        on_span: Span | None = None,
    ) -> AddEvent:
        """A new event of `event_type`, triggered by the selected text or by a selected span.

        A trigger span of the same type is shared (one trigger, several events); any other
        span lends its offsets to a new trigger span, as brat does.
        """
        if self.store.schema.event_type(event_type) is None:
            raise EditRefused(f"event type {event_type!r} is not in the project's schema")
        article_id = self._open().id
        # An annotator's span, while adjudicating, only lends its offsets to a gold trigger.
        if (
            on_span is not None
            and on_span.kind == TRIGGER
            and on_span.label == event_type
            and self.editable(on_span)
        ):
            return AddEvent(Event(None, article_id, event_type, on_span.id))
        if on_span is not None:
            trigger = Span(None, article_id, on_span.start, on_span.end, event_type, kind=TRIGGER)
        elif selection is not None:
            trigger = self.span_for_selection(*selection, event_type, TRIGGER)
        else:
            raise EditRefused('select the trigger word first (e.g. "strike", "killed")')
        return AddEvent(Event(None, article_id, event_type, None), trigger)

    def check_role(self, event: Event, role: str, filler_label: str, filler_is_event: bool) -> None:
        event_type = self.store.schema.event_type(event.type) or self.store.schema.relation_type(
            event.type
        )
        if event_type is None:
            raise EditRefused(f"event type {event.type!r} is not in the project's schema")
        spec = event_type.role(role)
        if spec is None:
            roles = ", ".join(r.name for r in event_type.roles) or "none"
            raise RoleRefused(f"{event.type} has no role {role} (its roles: {roles})")
        if not spec.allows(filler_label, filler_is_event):
            raise RoleRefused(
                f"{role} of {event.type} takes {' or '.join(spec.fillers)}, not {filler_label}"
            )

    def plan_add_argument(
        self, event: Event, role: str, filler: Span, override: bool = False
    ) -> AddArgument:
        """Fill a role with a span: an entity, or another event's trigger (then that event)."""
        self.check_editable(event, "event")
        self.check_editable(filler, "span")
        filler_events = self.events_on(filler) if filler.kind == TRIGGER else []
        if filler_events and event.id in {e.id for e in filler_events}:
            raise EditRefused("an event cannot fill a role of its own")
        if filler.id == event.trigger_id:
            raise EditRefused("an event's trigger cannot fill one of its roles")
        if not override:
            self.check_role(event, role, filler.label, bool(filler_events))
        if filler_events:
            argument = Argument(
                None, event.id, role, arg_event_id=filler_events[0].id, override=override
            )
        else:
            argument = Argument(None, event.id, role, span_id=filler.id, override=override)
        for existing in event.arguments:
            if (existing.role, existing.span_id, existing.arg_event_id) == (
                role,
                argument.span_id,
                argument.arg_event_id,
            ):
                raise EditRefused(f"this already fills {role}")
        return AddArgument(event.article_id, argument, f"add {role} to {event.type}")

    def plan_add_new_argument(
        self, event: Event, role: str, start: int, end: int, label: str, override: bool = False
    ) -> AddArgument:
        """Label the selection as an entity and make it fill the role, in one step."""
        self.check_editable(event, "event")
        if not override:
            self.check_role(event, role, label, False)
        span = self.span_for_selection(start, end, label)
        argument = Argument(None, event.id, role, override=override)
        return AddArgument(
            event.article_id,
            argument,
            f"add {label} as {role} of {event.type}",
            new_span=AddSpan(span, len(self._open().text)),
        )

    def plan_remove_event(self, event: Event) -> Remove:
        self.check_editable(event, "event")
        return Remove(event.article_id, f"delete event {event.type}", events=[event.id])

    def plan_remove_argument(self, argument: Argument) -> Remove:
        self.check_editable(argument, "argument")
        return Remove(self._open().id, f"delete {argument.role}", arguments=[argument.id])

    def plan_change_event_type(self, event: Event, event_type: str) -> ChangeEventType:
        self.check_editable(event, "event")
        schema = self.store.schema
        new_type = schema.event_type(event_type)
        if new_type is None:
            raise EditRefused(f"event type {event_type!r} is not in the project's schema")
        if len([e for e in self.events if e.trigger_id == event.trigger_id]) > 1:
            raise EditRefused("this trigger carries several events; add a new event instead")
        misfits = [a.role for a in event.arguments if new_type.role(a.role) is None]
        if misfits:
            raise EditRefused(
                f"{event_type} has no role {', '.join(sorted(set(misfits)))}; "
                "delete those arguments first"
            )
        return ChangeEventType(event, event_type)
