"""Events in the window: the selected event's links drawn in the view, and the event panel's
requests (choose an event or a role, delete, change type) passed to the core's interaction.

Which event is selected and which role waits for a filler live in the core
(annotator.core.interaction); this class draws and forwards.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from annotator.core.model import Event
from annotator.qt.widgets.arc_layout import Link


class EventController(QObject):
    eventSelected = Signal(object)  # event id, or None

    def __init__(self, annotation, parent=None):
        super().__init__(parent)
        self.annotation = annotation  # the AnnotationController: session, view, interaction
        self.session = annotation.session
        self.interaction = annotation.interaction
        self.view = annotation.view
        self._shown_event: int | None = None  # the event the panel was last told of
        self._arcs_of: tuple = ()  # what the arcs were made from (see _all_links)
        self._arcs: list[Link] = []

    def refresh(self) -> None:
        """Draw the selected event's links and tell the panel which event is selected."""
        event = self.interaction.current_event()
        event_id = event.id if event else None
        self.view.set_arcs(self._all_links())
        self.view.set_links(self.links_of(event) if event else [], event_id)
        # No event before and none now (every mouse move of a drag, most article switches):
        # the panel has nothing to change, and on a long article it would walk every row.
        if event_id is not None or self._shown_event is not None:
            self.eventSelected.emit(event_id)
        self._shown_event = event_id

    def _all_links(self) -> list[Link]:
        """Every event's arcs, made again only when the session's spans or events were read
        anew (it replaces those lists on every edit; a selection change keeps them) or a span
        an arc ends on is no longer the session's."""
        session = self.session
        key = (
            id(session.article),
            id(session.events),
            len(session.events),
            id(session.spans),
            len(session.spans),
            id(session.suggestions),
        )
        by_id = session.span_by_id
        if key != self._arcs_of or any(
            # A span edited in place (its edges moved by key) leaves the lists as they were.
            by_id(link.trigger.id) is not link.trigger
            or by_id(link.argument.id) is not link.argument
            for link in self._arcs
        ):
            self._arcs_of = key
            self._arcs = [link for event in session.events for link in self.links_of(event)]
        return self._arcs

    def links_of(self, event: Event) -> list[Link]:
        trigger = self.session.span_by_id(event.trigger_id)
        colour = self.session.store.schema.colour_of(event.type) or "#888888"
        links = []
        for arg in event.arguments:
            target = self.session.filler_span(arg)
            if trigger is not None and target is not None:
                links.append(
                    Link(trigger, target, arg.role, colour, arg.override, event.id, event.type)
                )
        return links

    # -- the event panel's requests ----------------------------------------------------------

    def add_event(self, event_type: str) -> None:
        self.annotation.act(self.interaction.add_event, event_type)

    def select_event(self, event_id: int) -> None:
        self.interaction.select_event(event_id)

    def start_named_role(self, event_id: int, role: str) -> None:
        self.annotation.act(self.interaction.start_named_role, event_id, role)

    def delete_event(self, event_id: int) -> None:
        self.annotation.act(self.interaction.delete_event, event_id)

    def delete_argument(self, event_id: int, argument_id: int) -> None:
        self.annotation.act(self.interaction.delete_argument, event_id, argument_id)

    def change_type(self, event_id: int, event_type: str) -> None:
        self.annotation.act(self.interaction.change_event_type, event_id, event_type)
