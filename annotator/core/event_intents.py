"""Events by key and from the event panel: an event type's key adds an event on the selected
trigger, a digit makes a role wait for its filler, a click or a label key fills it (a filler
the schema refuses becomes a question), and the panel's deletes and type changes."""

from __future__ import annotations

from collections.abc import Callable

from annotator.core.edits import Edit
from annotator.core.interaction_state import InteractionState
from annotator.core.model import Event, stored
from annotator.core.outcome import Outcome, removed_message
from annotator.core.session import RoleRefused


class EventIntents(InteractionState):
    def add_event(self, event_type: str) -> Outcome:
        """An event type's key (Shift+letter): a new event on the selected trigger or text."""
        span = self.selected_span()
        edit = self.session.plan_add_event(
            event_type, selection=None if span else self.selection(), on_span=span
        )

        def after(edit: Edit) -> str:
            self.chosen_event_id = edit.event.id  # type: ignore[attr-defined]
            self.select_span(edit.event.trigger_id)  # type: ignore[attr-defined]
            return f"{event_type} added: press 1-9 to fill its roles"

        return Outcome(edit, after=after)

    def start_role(self, number: int, event: Event | None = None) -> Outcome | None:
        """A digit: the role of that number waits for a filler (None: no event selected)."""
        event = event or self.current_event()
        if event is None:
            return None
        event_type = self.session.store.schema.event_type(event.type)
        roles = event_type.roles if event_type else ()
        if not 1 <= number <= len(roles):
            return Outcome(message=f"{event.type} has {len(roles)} role(s): press 1-{len(roles)}")
        return self.start_named_role(stored(event.id), roles[number - 1].name)

    def start_named_role(self, event_id: int, role: str) -> Outcome:
        event = self.session.event_by_id(event_id)
        if event is None:
            return Outcome()
        self.select_event(event_id)
        self.pending = (event_id, role)
        self._changed()
        return Outcome(
            message=f"{role} of {event.type}: Tab to the span that fills it and press Enter, "
            "click it, or select text and press its label key (Esc cancels)"
        )

    def fill_with_new_entity(self, label: str) -> Outcome | None:
        """With a role pending and text selected, a label key makes the filler on the spot
        (None: no role pending, so the key labels as usual)."""
        selection = self.selection()
        if self.pending is None or selection is None:
            return None
        event_id, role = self.pending
        event = self.session.event_by_id(event_id)
        if event is None:
            return None
        self.pending = None
        return self._fill(
            event,
            role,
            lambda override: self.session.plan_add_new_argument(
                event, role, *selection, label, override
            ),
        )

    def _fill(self, event: Event, role: str, plan: Callable[[bool], Edit]) -> Outcome:
        """Fill a role; a filler the schema doesn't allow becomes a question: add it anyway,
        marked as a deliberate exception?"""
        event_id = stored(event.id)

        def after(edit: Edit) -> str:
            self.select_event(event_id)
            return f"{role} of {event.type} saved"

        try:
            return Outcome(plan(False), after=after)
        except RoleRefused as refused:
            reason = str(refused)  # the name `refused` is gone once the except block ends

        def declined() -> str:
            self.select_event(event_id)
            return f"Not added: {reason}"

        return Outcome(
            question=f"{reason}.\n\nAdd it anyway, marked as a deliberate exception?",
            override=lambda: Outcome(plan(True), after=after),
            declined=declined,
        )

    def delete_event(self, event_id: int) -> Outcome:
        event = self.session.event_by_id(event_id)
        if event is None:
            return Outcome()

        def after(edit: Edit) -> str:
            self._changed()
            return removed_message(edit, f"Deleted event {event.type}")

        return Outcome(self.session.plan_remove_event(event), after=after)

    def delete_argument(self, event_id: int, argument_id: int) -> Outcome:
        event = self.session.event_by_id(event_id)
        arg = next((a for a in event.arguments if a.id == argument_id), None) if event else None
        if event is None or arg is None:
            return Outcome()

        def after(edit: Edit) -> str:
            self.select_event(event_id)
            return f"Deleted {arg.role} of {event.type}"

        return Outcome(self.session.plan_remove_argument(arg), after=after)

    def change_event_type(self, event_id: int, event_type: str) -> Outcome:
        event = self.session.event_by_id(event_id)
        if event is None or event.type == event_type:
            return Outcome()

        def after(edit: Edit) -> str:
            self.select_event(event_id)
            return ""

        return Outcome(self.session.plan_change_event_type(event, event_type), after=after)
