"""The event panel: the article's events with their roles, beside the text.

Hovering a row outlines its trigger and arguments in the text; clicking selects the event
(its links are drawn over the text); double-clicking an empty role starts filling it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QIcon, QPixmap
from PySide6.QtWidgets import QLabel, QMenu, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from annotator.core.model import Event

KIND_ROLE = Qt.ItemDataRole.UserRole  # ("event", event id) | ("argument", event id, arg id)
# | ("role", event id, role name)
HINT = (
    "No events yet. Select a trigger word (“strike”, “killed”) and press an event key "
    "(Shift+letter, see Labels)."
)


NO_EVENT_TYPES = (
    "This project's label schema has no event types (it keeps the schema it was "
    "created with). Create a project with a schema that declares [[events]] to "
    "annotate events."
)


def swatch(colour: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


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
        self._signatures: dict[int, tuple] = {}
        self._several = False  # several annotators' events on the article (rebuild)

    # -- showing -----------------------------------------------------------------------------

    def _signature(self, event: Event) -> tuple:
        """What a row shows of an event: the event and its trigger's and fillers' spans."""
        spans = [self.session.span_by_id(event.trigger_id)]
        spans += [self.session.filler_span(arg) for arg in event.arguments]
        return (event, tuple(spans))

    def rebuild(self) -> None:
        """Bring the tree in line with the session's events, touching only the rows whose
        event changed: an article may hold a thousand events."""
        self._building = True
        schema = self.session.store.schema
        article_id = self.session.article.id if self.session.article else None
        if article_id != self._article_id:
            self.tree.clear()
            self._signatures = {}
            self._article_id = article_id
        # Whose event each row says, while several people's events share the article.
        self._several = len({e.annotator for e in self.session.events if e.annotator}) > 1
        wanted = {
            event.id: (self._signature(event), self._several) for event in self.session.events
        }
        for index in reversed(range(self.tree.topLevelItemCount())):
            event_id = self.tree.topLevelItem(index).data(0, KIND_ROLE)[1]
            if wanted.get(event_id) != self._signatures.get(event_id):
                self.tree.takeTopLevelItem(index)
                self._signatures.pop(event_id, None)
        for index, event in enumerate(self.session.events):
            item = self.tree.topLevelItem(index)
            if item is not None and item.data(0, KIND_ROLE)[1] == event.id:
                continue
            fresh = self._event_item(event, schema)
            self.tree.insertTopLevelItem(index, fresh)
            fresh.setExpanded(True)
            self._signatures[event.id] = wanted[event.id]
        count = len(self.session.events)
        self.heading.setText(f"Events ({count})" if count else "Events")
        self.hint.setVisible(count == 0)
        # A project keeps the schema it was made with; one from before events has none.
        self.hint.setText(HINT if schema.events else NO_EVENT_TYPES)
        self._building = False
        self.show_selected(self._selected)

    def _event_item(self, event: Event, schema) -> QTreeWidgetItem:
        trigger = self.session.span_by_id(event.trigger_id)
        text = self.session.article.text
        words = f" — “{text[trigger.start : trigger.end]}”" if trigger else " (relation)"
        if event.annotator and self._several:
            words += f" · {event.annotator}"
        item = QTreeWidgetItem([f"{event.type}{words}"])
        item.setIcon(0, swatch(schema.colour_of(event.type) or "#888888"))
        item.setData(0, KIND_ROLE, ("event", event.id))
        event_type = schema.event_type(event.type) or schema.relation_type(event.type)
        roles = [r.name for r in event_type.roles] if event_type else []
        by_role: dict[str, list] = {}
        for arg in event.arguments:
            by_role.setdefault(arg.role, []).append(arg)
        for number, role in enumerate(roles, start=1):
            filled = by_role.pop(role, [])
            for arg in filled:
                item.addChild(self._argument_item(event, arg, f"{number}  {role}"))
            if not filled:
                empty = QTreeWidgetItem([f"{number}  {role}: —"])
                empty.setForeground(0, QBrush(QColor("#8a8f98")))
                empty.setToolTip(0, "Press the digit, or double-click, then pick the span")
                empty.setData(0, KIND_ROLE, ("role", event.id, role))
                item.addChild(empty)
        for role, args in by_role.items():  # roles the schema doesn't have (overrides)
            for arg in args:
                item.addChild(self._argument_item(event, arg, f"⚠ {role}"))
        return item

    def _argument_item(self, event: Event, arg, prefix: str) -> QTreeWidgetItem:
        filler = self.session.filler_span(arg)
        text = self.session.article.text
        shown = f"“{text[filler.start : filler.end]}” ({filler.label})" if filler else "?"
        mark = "  ⚠ exception" if arg.override else ""
        child = QTreeWidgetItem([f"{prefix}: {shown}{mark}"])
        child.setData(0, KIND_ROLE, ("argument", event.id, arg.id))
        if arg.override:
            child.setToolTip(0, "Added against the schema, on purpose")
        return child

    def show_selected(self, event_id: int | None) -> None:
        self._selected = event_id
        if self._building:
            return
        for index in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(index)
            if item.data(0, KIND_ROLE) == ("event", event_id):
                self.tree.setCurrentItem(item)
                return
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
