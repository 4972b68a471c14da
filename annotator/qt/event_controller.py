"""Event annotation in the view: pick a trigger, then roles and the spans that fill them.

With an event selected (its trigger clicked, or its row in the event panel), a digit picks a
role; the next span clicked (or Tab-selected and confirmed with Enter) fills it, or the
selected text with a label key becomes a new entity that fills it. Fillers the schema doesn't
allow are refused, unless the person confirms them as a marked exception.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox

from annotator.core.model import TRIGGER, Event, Span
from annotator.core.session import RoleRefused
from annotator.qt.span_painter import Link


class EventController(QObject):
    eventSelected = Signal(object)  # event id, or None
    message = Signal(str)

    def __init__(self, annotation, parent=None):
        super().__init__(parent)
        self.annotation = annotation  # the AnnotationController: session, view, undo stack
        self.session = annotation.session
        self.view = annotation.view
        self.chosen_event_id: int | None = None
        self.pending: tuple[int, str] | None = None  # (event id, role) waiting for a filler

    # -- which event is selected -------------------------------------------------------------

    def current_event(self) -> Event | None:
        span = self.view.selected_span()
        if span is None or span.kind != TRIGGER:
            return None
        events = self.session.events_on(span)
        chosen = next((e for e in events if e.id == self.chosen_event_id), None)
        return chosen or (events[0] if events else None)

    def select_event(self, event_id: int) -> None:
        event = self.session.event_by_id(event_id)
        if event is None:
            return
        self.chosen_event_id = event_id
        self.view.select_span(event.trigger_id)
        self.refresh()

    def refresh(self) -> None:
        """Draw the selected event's links and tell the panel which event is selected."""
        event = self.current_event()
        self.view.set_links(self.links_of(event) if event else [])
        self.eventSelected.emit(event.id if event else None)

    def links_of(self, event: Event) -> list[Link]:
        trigger = self.session.span_by_id(event.trigger_id)
        schema = self.session.store.schema
        colour = schema.colour_of(event.type) or "#888888"
        links = []
        for arg in event.arguments:
            target = self.filler_span(arg)
            if trigger is not None and target is not None:
                links.append(Link(trigger, target, arg.role, colour, arg.override))
        return links

    def filler_span(self, arg) -> Span | None:
        if arg.span_id is not None:
            return self.session.span_by_id(arg.span_id)
        filler = self.session.event_by_id(arg.arg_event_id)
        return self.session.span_by_id(filler.trigger_id) if filler else None

    # -- making events and filling roles -----------------------------------------------------

    def add_event(self, event_type: str) -> None:
        span = self.view.selected_span()
        selection = self.view.selection()
        edit = self.annotation.do(lambda: self.session.add_event(
            event_type, selection=None if span else selection, on_span=span))
        if edit is not None:
            self.chosen_event_id = edit.event.id
            self.view.select_span(edit.event.trigger_id)
            self.refresh()
            self.message.emit(f"{event_type} added: press 1-9 to fill its roles")

    def start_role(self, number: int, event: Event | None = None) -> bool:
        event = event or self.current_event()
        if event is None:
            return False
        event_type = self.session.store.schema.event_type(event.type)
        roles = event_type.roles if event_type else ()
        if not 1 <= number <= len(roles):
            self.message.emit(f"{event.type} has {len(roles)} role(s): press 1-{len(roles)}")
            return True
        return self.start_named_role(event, roles[number - 1].name)

    def start_named_role(self, event: Event, role: str) -> bool:
        self.pending = (event.id, role)
        self.chosen_event_id = event.id
        self.message.emit(f"{role} of {event.type}: click the span that fills it, or select "
                          "text and press its label key (Esc cancels)")
        return True

    def cancel(self) -> None:
        if self.pending:
            self.pending = None
            self.message.emit("Cancelled")

    def on_span_clicked(self, span: Span) -> None:
        if self.pending is None:
            self.refresh()
            return
        event_id, role = self.pending
        event = self.session.event_by_id(event_id)
        if event is None or span.id == event.trigger_id:
            self.refresh()
            return
        self.pending = None
        self._fill(event, role, lambda override: self.session.add_argument(event, role, span, override))

    def fill_with_new_entity(self, label: str) -> bool:
        """With a role pending and text selected, a label key makes the filler on the spot."""
        if self.pending is None or self.view.selection() is None:
            return False
        event_id, role = self.pending
        event = self.session.event_by_id(event_id)
        if event is None:
            return False
        selection = self.view.selection()
        self.pending = None
        self._fill(event, role, lambda override: self.session.add_new_argument(
            event, role, *selection, label, override))
        return True

    def _fill(self, event: Event, role: str, make) -> None:
        try:
            edit = self.annotation.do(lambda: make(False), raise_refusal=RoleRefused)
        except RoleRefused as refusal:
            if not self.confirm_override(str(refusal)):
                self.message.emit(f"Not added: {refusal}")
                self.select_event(event.id)
                return
            edit = self.annotation.do(lambda: make(True))
        self.select_event(event.id)
        if edit is not None:
            self.message.emit(f"{role} of {event.type} saved")

    def confirm_override(self, reason: str) -> bool:
        answer = QMessageBox.question(
            self.view, "Not allowed by the schema",
            f"{reason}.\n\nAdd it anyway, marked as a deliberate exception?")
        return answer == QMessageBox.StandardButton.Yes

    # -- deleting ----------------------------------------------------------------------------

    def delete_event(self, event_id: int) -> None:
        event = self.session.event_by_id(event_id)
        if event is not None:
            edit = self.annotation.do(lambda: self.session.remove_event(event))
            self.annotation.say_removed(edit, f"Deleted event {event.type}")
            self.refresh()

    def delete_argument(self, event_id: int, argument_id: int) -> None:
        event = self.session.event_by_id(event_id)
        arg = next((a for a in event.arguments if a.id == argument_id), None) if event else None
        if arg is not None:
            self.annotation.do(lambda: self.session.remove_argument(arg))
            self.message.emit(f"Deleted {arg.role} of {event.type}")
            self.select_event(event_id)

    def change_type(self, event_id: int, event_type: str) -> None:
        event = self.session.event_by_id(event_id)
        if event is not None and event.type != event_type:
            self.annotation.do(lambda: self.session.change_event_type(event, event_type))
            self.select_event(event_id)
