"""Events in the window: the selected event's links drawn in the view, and the event panel's
requests (choose an event or a role, delete, change type) passed to the core's interaction.

Which event is selected and which role waits for a filler live in the core
(annotator.core.interaction); this class draws and forwards.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from annotator.core.annotations import Change
from annotator.core.model import Event
from annotator.qt.widgets.arc_layout import Link


class EventController(QObject):
    eventSelected = Signal(object)  # event id, or None
    pendingChanged = Signal(object)  # (event id, role) waiting for a filler, or None

    def __init__(self, annotation, parent=None):
        super().__init__(parent)
        self.annotation = annotation  # the AnnotationController: session, view, interaction
        self.session = annotation.session
        self.interaction = annotation.interaction
        self.view = annotation.view
        self._shown_event: int | None = None  # the event the panel was last told of
        self._arcs_of: tuple = ()  # what the arcs were made from (see _all_links)
        self._arcs: list[Link] = []
        self._change_seen: Change | None = None  # the last edit whose arcs were made again
        self._by_event: dict[int | None, list[Link]] = {}
        # The arcs the last patch took away and brought (None: the list was made whole).
        self._removed: list[Link] | None = None
        self._added: list[Link] | None = None
        self._shown_pending: tuple[int, str] | None = None
        self.view.arcClicked.connect(self.select_event)

    def refresh(self) -> None:
        """Every event's arcs as the session has them, the selected event's drawn, and the
        panel told which event is selected."""
        self.refresh_arcs()
        self.show_selected()

    def refresh_arcs(self) -> None:
        """Every event's arcs, after an edit or a new article: the room above the lines. Each
        edit's arcs are patched as it comes (the next edit's change replaces its Change)."""
        links = self._all_links()
        self.view.set_arcs(links, self._removed, self._added)
        self._removed = self._added = None  # given to the view once

    def show_selected(self) -> None:
        """The selected event's arcs drawn, the panel told which event and role are chosen:
        once per action (AnnotationController.one_redraw), however often the selection and
        the spans changed during it."""
        event = self.interaction.current_event()
        event_id = event.id if event else None
        self.view.set_links(self.links_of(event) if event else [], event_id)
        # No event before and none now (every mouse move of a drag, most article switches):
        # the panel has nothing to change, and on a long article it would walk every row.
        if event_id is not None or self._shown_event is not None:
            self.eventSelected.emit(event_id)
        self._shown_event = event_id
        if self.interaction.pending != self._shown_pending:
            self._shown_pending = self.interaction.pending
            self.pendingChanged.emit(self._shown_pending)

    def _all_links(self) -> list[Link]:
        """Every event's arcs (events by id, each event's arguments in order), made whole
        again only when the session read its lists anew (a new article, another program's
        change); after an edit, which patches those lists in place, only the arcs of the
        events its Change names are made again and the view re-slots the lines they touch."""
        session = self.session
        change = session.last_change
        key = (id(session.article), id(session.events), id(session.spans), id(session.suggestions))
        if key == self._arcs_of and change is self._change_seen:
            return self._arcs
        if key == self._arcs_of and change is not None:
            self._change_seen = change
            self._patch(change)
            return self._arcs
        self._arcs_of, self._change_seen = key, change
        self._by_event = {event.id: self.links_of(event) for event in session.events}
        self._arcs = [link for links in self._by_event.values() for link in links]
        self._removed = self._added = None
        return self._arcs

    def _patch(self, change: Change) -> None:
        """The arcs of the events an edit touched, or that use a span it touched."""
        session = self.session
        ids = set(change.affected_events)
        ids.update(event.id for event in [*change.events_before, *change.events_after])
        removed: list[Link] = []
        added: list[Link] = []
        for event_id in ids:
            old = self._by_event.pop(event_id, [])
            event = session.event_by_id(event_id)
            new = self.links_of(event) if event is not None else []
            if event is not None:
                self._by_event[event_id] = new
            if old != new:
                removed.extend(old)
                added.extend(new)
        if not removed and not added:
            return
        self._arcs = [link for event in session.events for link in self._by_event.get(event.id, ())]
        self._removed, self._added = removed, added

    def links_of(self, event: Event) -> list[Link]:
        trigger = self.session.span_by_id(event.trigger_id)
        colour = self.session.store.schema.colour_of(event.type) or "#888888"
        links = []
        for index, arg in enumerate(event.arguments):
            target = self.session.filler_span(arg)
            if trigger is not None and target is not None:
                links.append(
                    Link(
                        trigger, target, arg.role, colour, arg.override, event.id, event.type, index
                    )
                )
        return links

    # -- the event panel's requests ----------------------------------------------------------

    def add_event(self, event_type: str) -> None:
        self.annotation.act(self.interaction.add_event, event_type)

    def select_event(self, event_id: int) -> None:
        with self.annotation.one_redraw():
            self.interaction.select_event(event_id)

    def start_named_role(self, event_id: int, role: str) -> None:
        self.annotation.act(self.interaction.start_named_role, event_id, role)

    def delete_event(self, event_id: int) -> None:
        self.annotation.act(self.interaction.delete_event, event_id)

    def delete_argument(self, event_id: int, argument_id: int) -> None:
        self.annotation.act(self.interaction.delete_argument, event_id, argument_id)

    def change_type(self, event_id: int, event_type: str) -> None:
        self.annotation.act(self.interaction.change_event_type, event_id, event_type)
