"""The event panel: the article's events with their roles, beside the text.

Each event lists every role of its type (the role's digit, name, the labels it accepts and how
many fillers it takes) with the arguments that fill it beneath. The role waiting for a filler
(the core's pending role) is highlighted. Hovering a row outlines its trigger and arguments in
the text; clicking selects the event (its links are drawn over the text); double-clicking a
role starts filling it; Delete removes the row's argument, or on an event row the event.
"""

from __future__ import annotations

import time
from bisect import bisect_left

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import Event
from annotator.qt import idle_work
from annotator.qt.widgets.event_row_sizes import RowSizes
from annotator.qt.widgets.event_rows import KIND_ROLE, WAITING, EventRows

__all__ = ["KIND_ROLE", "EventPanel"]

HINT = (
    "No events yet. Select a trigger word (“strike”, “killed”) and press an event key "
    "(Shift+letter, see Labels)."
)


FIRST_ROWS = 80  # rows made before an article shows: more than the panel's height holds
# The later rows are the window's idle job "event rows" (idle_work.py): they share each turn's
# budget with the article's layout, after it. The first slice waits for the article to be
# painted, the others follow each other.
FILL_PAUSE_MS = 30
JOB = "event rows"

NO_EVENT_TYPES = (
    "This project's label schema has no event types (it keeps the schema it was "
    "created with). Create a project with a schema that declares [[events]] to "
    "annotate events."
)


class EventPanel(QWidget):
    eventChosen = Signal(int)
    roleChosen = Signal(int, str)
    hovered = Signal(object)  # set of span ids to outline
    deleteEvent = Signal(int)
    deleteArgument = Signal(int, int)
    changeType = Signal(int, str)

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.events_controller = controller
        self.session = controller.session
        self.heading = QLabel("Events")
        self.heading.setStyleSheet("font-weight: 600;")
        self.hint = QLabel(HINT)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: palette(mid);")
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        # Role rows name every label they accept: wrapped in a narrow panel, not cut short.
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.sizes = RowSizes(self.tree)  # each row's height, kept on the row
        self.rows = EventRows(self.session, self.sizes)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Row heights are measured for the column's width: measured again when it changes,
        # once for a burst of resizes (a splitter dragged).
        self._resize_rows = QTimer(self)
        self._resize_rows.setSingleShot(True)
        self._resize_rows.setInterval(0)
        self._resize_rows.timeout.connect(self.sizes.resize_all)
        self.tree.header().sectionResized.connect(lambda *_: self._resize_rows.start())
        self.tree.setMouseTracking(True)
        self.tree.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        layout.addWidget(self.tree, 1)
        self.tree.itemEntered.connect(self._hover)
        self.tree.itemClicked.connect(self._click)
        self.tree.itemDoubleClicked.connect(self._double_click)
        self.tree.customContextMenuRequested.connect(self._menu)
        self._building = False
        self._selected: int | None = None
        self._article_id: int | None = None
        self._signatures: dict[int, tuple | None] = {}
        self._items: dict[int, QTreeWidgetItem] = {}  # each event's row, by event id
        self._unfinished = False  # rows still to make (_fill_more)
        self._resume = 0  # the first event whose row may not be made yet
        self._pending: tuple[int, str] | None = None  # the role shown as waiting
        self._several = False  # several annotators' events on the article (rebuild)

    # -- showing -----------------------------------------------------------------------------

    def _signature(self, event: Event) -> tuple:
        """What a row shows of an event: the event and its trigger's and fillers' spans."""
        spans = [self.session.span_by_id(event.trigger_id)]
        spans += [self.session.filler_span(arg) for arg in event.arguments]
        return (event, tuple(spans), self._several)

    def rebuild(self, affected: set[int] | None = None) -> None:
        """Bring the tree in line with the session's events, touching only the rows whose
        event changed: an article may hold a thousand events. `affected`: the events an
        edit may have changed (Change.affected_events), the only rows then looked at;
        None looks at every row."""
        self._building = True
        schema = self.session.store.schema
        article_id = self.session.article.id if self.session.article else None
        if article_id != self._article_id:
            self.tree.clear()
            self._signatures = {}
            self._items = {}
            self._article_id = article_id
            affected = None
        # Whose event each row says, while several people's events share the article: when
        # that changes, every row does.
        several = len({e.annotator for e in self.session.events if e.annotator}) > 1
        if several != self._several:
            self._several, affected = several, None
        if affected is None:
            # A new article's first rows now, the rest in the next turns of the event loop.
            self._rebuild_all(schema, FIRST_ROWS if not self.tree.topLevelItemCount() else None)
        elif self._unfinished:
            # Rows are still being made (_fill_more, from the top): the edited ones already
            # made go, and are made again from the session's events with the rest.
            for event_id in affected:
                item = self._items.pop(event_id, None)
                if item is not None:
                    self.tree.takeTopLevelItem(self.tree.indexOfTopLevelItem(item))
                    self._signatures.pop(event_id, None)
            self._resume = 0  # rows above where the slices stopped went
        else:
            self._rebuild_rows(sorted(affected), schema)
        count = len(self.session.events)
        self.heading.setText(f"Events ({count})" if count else "Events")
        self.hint.setVisible(count == 0)
        # A project keeps the schema it was made with; one from before events has none.
        self.hint.setText(HINT if schema.events else NO_EVENT_TYPES)
        self._building = False
        waiting = self._role_row(self._pending) if self._pending else None
        if waiting is not None:  # a row made anew is plain: highlight the waiting one again
            self._style_role(waiting, waiting=True)
        self.show_selected(self._selected)

    def _rebuild_all(self, schema, limit: int | None = None) -> None:
        """Every row as the session's events are; with `limit`, only rows for about that
        many lines now (a screenful) and the rest in slices soon after (_fill_more): a
        thousand events are 7,000 rows, and a row costs Qt about 10 µs to make."""
        wanted = {event.id: self._signature(event) for event in self.session.events}
        for index in reversed(range(self.tree.topLevelItemCount())):
            event_id = self.tree.topLevelItem(index).data(0, KIND_ROLE)[1]
            if wanted.get(event_id) != self._signatures.get(event_id):
                self.tree.takeTopLevelItem(index)
                self._signatures.pop(event_id, None)
                self._items.pop(event_id, None)
        self._resume = 0
        self._make_rows(schema, limit, None)

    def _make_rows(
        self, schema, limit: int | None, deadline: float | None, until: int | None = None
    ) -> None:
        """The events' rows not made yet, from the top (from where the last slice stopped),
        until `limit` rows are made, the clock passes `deadline` or event `until`'s row is
        made."""
        made = 0
        self._unfinished = False
        events = self.session.events
        for index in range(self._resume, len(events)):
            event = events[index]
            item = self.tree.topLevelItem(index)
            if item is not None and item.data(0, KIND_ROLE)[1] == event.id:
                continue
            if (
                (limit is not None and made >= limit)
                # At least one row a slice, however late it was given its turn.
                or (deadline is not None and made and time.perf_counter() > deadline)
                or (until is not None and until in self._items)
            ):
                self._unfinished = True
                self._resume = index
                pause = 0 if deadline is not None else FILL_PAUSE_MS
                idle_work.schedule(self, JOB, self._fill_more, pause)
                return
            made += self._insert(index, event, self._signature(event), schema)

    def _fill_more(self, deadline: float) -> bool:
        """The next rows of a long article's events, until `deadline` (an idle slice of a
        few milliseconds, so a key pressed meanwhile waits no longer than that); whether
        rows are left."""
        if not self._unfinished:
            return False
        self._building = True
        self._make_rows(self.session.store.schema, None, deadline)
        self._building = False
        self.show_selected(self._selected)
        return self._unfinished

    def _rebuild_rows(self, event_ids: list[int], schema) -> None:
        """Only these events' rows, in ascending id order: the rows before each one's place
        are then already as the session's list (ordered by id) has them."""
        events = self.session.events
        for event_id in event_ids:
            event = self.session.event_by_id(event_id)
            wanted = self._signature(event) if event is not None else None
            item = self._items.get(event_id)
            if item is not None:
                if wanted == self._signatures.get(event_id):
                    continue
                if event is not None and self.rows.patch(item, event, schema, self._several):
                    self._signatures[event_id] = wanted  # only its changed rows changed
                    continue
                self.tree.takeTopLevelItem(self.tree.indexOfTopLevelItem(item))
                del self._items[event_id]
                self._signatures.pop(event_id, None)
            if event is not None:
                index = bisect_left(events, event_id, key=lambda e: e.id)
                self._insert(index, event, wanted, schema)

    def _insert(self, index: int, event: Event, signature: tuple | None, schema) -> int:
        """Make an event's row at `index`; returns how many rows it and its roles took."""
        fresh = self.rows.make(event, schema, self._several)
        unmeasured = self.sizes.size_new(fresh)
        self.tree.insertTopLevelItem(index, fresh)
        fresh.setExpanded(True)
        for n in range(fresh.childCount()):  # expanded once in the tree, not before
            role = fresh.child(n)
            # A role with no filler has nothing to open: expanding it anyway would make the
            # tree keep a persistent index for it, which every row inserted or taken moves.
            if role.childCount():
                role.setExpanded(True)
        self.sizes.size_in_tree(unmeasured)
        self._signatures[event.id] = signature
        self._items[event.id] = fresh
        return (
            1
            + fresh.childCount()
            + sum(fresh.child(n).childCount() for n in range(fresh.childCount()))
        )

    def show_pending(self, pending: tuple[int, str] | None) -> None:
        """Highlight the role waiting for a filler (the core's pending role), plain the rest."""
        if pending == self._pending:
            return
        for key in (self._pending, pending):
            row = self._role_row(key) if key else None
            if row is not None:
                self._style_role(row, waiting=key == pending)
        self._pending = pending
        row = self._role_row(pending) if pending else None
        if row is not None:
            self.tree.scrollToItem(row)

    def _role_row(self, key: tuple[int, str]) -> QTreeWidgetItem | None:
        event_id, role = key
        item = self._items.get(event_id)  # not a walk over a thousand events' rows
        if item is None:
            return None
        for n in range(item.childCount()):
            if item.child(n).data(0, KIND_ROLE) == ("role", event_id, role):
                return item.child(n)
        return None

    def _style_role(self, row: QTreeWidgetItem, waiting: bool) -> None:
        font = QFont(row.font(0))
        font.setBold(waiting)
        row.setFont(0, font)
        words = row.text(0).removesuffix(WAITING)
        if waiting:
            colour = QColor(self.palette().color(QPalette.ColorRole.Highlight))
            colour.setAlpha(70)
            row.setBackground(0, QBrush(colour))
            row.setText(0, words + WAITING)
        else:
            row.setBackground(0, QBrush())
            row.setText(0, words)
        if row.treeWidget() is not None:  # bold and "← waiting" may wrap it otherwise
            self.sizes.size_in_tree([(row, 1)])

    def show_selected(self, event_id: int | None) -> None:
        self._selected = event_id
        if self._building:
            return
        current = self.tree.currentItem()
        if (
            current is not None
            and event_id is not None
            and current.data(0, KIND_ROLE)[1] == event_id
        ):
            return  # a role or argument row of the event was clicked: it stays the current row
        item = self._items.get(event_id) if event_id is not None else None
        if item is None and event_id is not None and self._unfinished:
            # Its row is not made yet: the rows down to it now, the rest in later slices.
            self._building = True
            self._make_rows(self.session.store.schema, None, None, until=event_id)
            self._building = False
            item = self._items.get(event_id)
        if item is not None:
            if self.tree.currentItem() is not item:
                self.tree.setCurrentItem(item)
            return
        if self.tree.selectionModel().hasSelection():  # clearing costs a walk of the rows
            self.tree.clearSelection()

    # -- interaction -------------------------------------------------------------------------

    def _spans_of(self, data) -> set[int]:
        event = self.session.event_by_id(data[1])
        if event is None:
            return set()
        ids = {event.trigger_id} if event.trigger_id else set()
        args = (
            event.arguments
            if data[0] != "argument"
            else [a for a in event.arguments if a.id == data[2]]
        )
        for arg in args:
            filler = self.session.filler_span(arg)
            if filler is not None:
                ids.add(filler.id)
        return ids

    def _hover(self, item: QTreeWidgetItem) -> None:
        self.hovered.emit(self._spans_of(item.data(0, KIND_ROLE)))

    def leaveEvent(self, event) -> None:
        self.hovered.emit(set())
        super().leaveEvent(event)

    def _click(self, item: QTreeWidgetItem) -> None:
        self.eventChosen.emit(item.data(0, KIND_ROLE)[1])

    def _double_click(self, item: QTreeWidgetItem) -> None:
        data = item.data(0, KIND_ROLE)
        if data[0] == "role":
            self.roleChosen.emit(data[1], data[2])

    def keyPressEvent(self, event) -> None:
        item = self.tree.currentItem()
        if item is not None and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self._delete(item.data(0, KIND_ROLE))
            return
        super().keyPressEvent(event)

    def _delete(self, data) -> None:
        if data[0] == "event":
            self.deleteEvent.emit(data[1])
        elif data[0] == "argument":
            self.deleteArgument.emit(data[1], data[2])

    def _menu(self, point) -> None:
        item = self.tree.itemAt(point)
        if item is None:
            return
        data = item.data(0, KIND_ROLE)
        event = self.session.event_by_id(data[1])
        schema = self.session.store.schema
        menu = QMenu(self)
        event_type = schema.event_type(event.type) if event else None
        if event_type:
            fill = menu.addMenu("Fill role")
            for role in event_type.roles:
                fill.addAction(role.name, lambda r=role.name: self.roleChosen.emit(event.id, r))
            change = menu.addMenu("Change type")
            for other in schema.events:
                if other.name != event.type:
                    change.addAction(
                        other.name, lambda t=other.name: self.changeType.emit(event.id, t)
                    )
        if data[0] in ("event", "argument"):
            menu.addAction("Delete", lambda: self._delete(data))
        menu.exec(self.tree.viewport().mapToGlobal(point))
