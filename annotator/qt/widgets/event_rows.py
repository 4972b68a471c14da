"""One event's rows in the event panel: the event, every role of its type (its digit, name, the
labels it accepts and how many fillers it takes) and the arguments under their roles; made
whole for a new event, or patched in place when an edit changed the event.

Patching matters on a long article. Taking an event's rows out of the tree and putting new
ones in moves every persistent index after them and drops the current row, which Qt then
sets again with a walk over the rows (7,000 for a thousand events); an argument added or
removed instead inserts or takes its one row. Qt's QTreeWidget still lays its rows out again
after any insertion, but in C++ (under 1 ms for 7,000 rows): a QTreeView over an item model
written in Python calls Python for every row of that layout, measured 23 ms for the same
7,000, so the panel keeps Qt's own item model and changes only the rows that changed.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QTreeWidgetItem

from annotator.core.model import Event
from annotator.core.role_text import role_text
from annotator.qt.widgets.event_row_sizes import RowSizes

KIND_ROLE = Qt.ItemDataRole.UserRole  # ("event", event id) | ("argument", event id, arg id)
# | ("role", event id, role name)
WAITING = "\u00a0\u00a0←\u00a0waiting"  # kept on one line when the row wraps
ROLE_TIP = "Press its digit (or double-click), then Tab to a span and Enter"


@cache
def swatch(colour: str) -> QIcon:
    # One icon per colour (a pixmap costs more than the row): a long article has 1,000 rows.
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class EventRows:
    def __init__(self, session, sizes: RowSizes):
        self.session = session
        self.sizes = sizes

    def make(self, event: Event, schema, several: bool) -> QTreeWidgetItem:
        """The event's row with its roles and arguments beneath, not yet in the tree."""
        trigger = self.session.span_by_id(event.trigger_id)
        text = self.session.article.text
        words = f" — “{text[trigger.start : trigger.end]}”" if trigger else " (relation)"
        if event.annotator and several:
            words += f" · {event.annotator}"
        item = QTreeWidgetItem([f"{event.type}{words}"])
        item.setIcon(0, swatch(schema.colour_of(event.type) or "#888888"))
        item.setData(0, KIND_ROLE, ("event", event.id))
        event_type = schema.event_type(event.type) or schema.relation_type(event.type)
        roles = list(event_type.roles) if event_type else []
        by_role: dict[str, list] = {}
        for arg in event.arguments:
            by_role.setdefault(arg.role, []).append(arg)
        for number, role in enumerate(roles, start=1):
            row = self._role_item(event, role.name, role_text(number, role))
            row.setToolTip(0, ROLE_TIP)
            item.addChild(row)
            for arg in by_role.pop(role.name, []):
                row.addChild(self._argument_item(event, arg))
        for name, args in by_role.items():  # roles the schema doesn't have (overrides)
            row = self._role_item(event, name, f"⚠ {name} · not in the schema")
            item.addChild(row)
            for arg in args:
                row.addChild(self._argument_item(event, arg))
        return item

    @staticmethod
    def _role_item(event: Event, name: str, words: str) -> QTreeWidgetItem:
        row = QTreeWidgetItem([words])
        row.setData(0, KIND_ROLE, ("role", event.id, name))
        return row

    def _argument_item(self, event: Event, arg) -> QTreeWidgetItem:
        filler = self.session.filler_span(arg)
        text = self.session.article.text
        shown = f"“{text[filler.start : filler.end]}” ({filler.label})" if filler else "?"
        mark = "  ⚠ exception" if arg.override else ""
        child = QTreeWidgetItem([f"{shown}{mark}"])
        child.setData(0, KIND_ROLE, ("argument", event.id, arg.id))
        child.setToolTip(
            0,
            "Added against the schema, on purpose"
            if arg.override
            else "Delete removes this argument (Ctrl+Z brings it back)",
        )
        return child

    def patch(self, item: QTreeWidgetItem, event: Event, schema, several: bool) -> bool:
        """Bring an event's row, in the tree, in line with the event: its words, and the
        arguments under each role, inserting and taking only the rows that came and went.
        False when the rows can't be patched (its type changed, an exception's role came or
        went, arguments changed order): then the caller makes the row anew."""
        fresh = self.make(event, schema, several)
        count = item.childCount()
        if fresh.childCount() != count:
            return False
        roles = [(item.child(n), fresh.child(n).takeChildren()) for n in range(count)]
        for n, (role, came) in enumerate(roles):
            shown = fresh.child(n)
            words = role.text(0).removesuffix(WAITING)
            if shown.data(0, KIND_ROLE) != role.data(0, KIND_ROLE) or shown.text(0) != words:
                return False
            wanted = [row.data(0, KIND_ROLE) for row in came]
            kept = [role.child(i).data(0, KIND_ROLE) for i in range(role.childCount())]
            if [key for key in kept if key in wanted] != [key for key in wanted if key in kept]:
                return False
        self._same_words(item, fresh, 0)
        if item.icon(0).cacheKey() != fresh.icon(0).cacheKey():
            item.setIcon(0, fresh.icon(0))
        for role, came in roles:
            self._patch_role(role, came)
        return True

    def _patch_role(self, role: QTreeWidgetItem, came: list[QTreeWidgetItem]) -> None:
        """The role's argument rows as `came` (made for the event as it is now): rows of
        arguments that went are taken, those of arguments that came are put in their place
        (each made once), the others keep their row and get its words."""
        keep = {row.data(0, KIND_ROLE) for row in came}
        for n in reversed(range(role.childCount())):  # the arguments that went
            if role.child(n).data(0, KIND_ROLE) not in keep:
                role.takeChild(n)
        had_any = role.childCount() > 0
        for n, row in enumerate(came):
            shown = role.child(n)
            if shown is not None and shown.data(0, KIND_ROLE) == row.data(0, KIND_ROLE):
                self._same_words(shown, row, 2)
                continue
            unmeasured = self.sizes.size_new(row, depth=2)
            role.insertChild(n, row)
            self.sizes.size_in_tree(unmeasured)
        # Only roles with fillers are open, as in a row made whole (EventPanel._insert): an
        # open row costs a persistent index that every row inserted or taken moves.
        if role.childCount() and not had_any:
            role.setExpanded(True)
        elif not role.childCount() and role.isExpanded():
            role.setExpanded(False)

    def _same_words(self, row: QTreeWidgetItem, fresh: QTreeWidgetItem, depth: int) -> None:
        """A row that stays: its words and tooltip as the fresh one's, measured if they
        changed (a trigger moved or relabelled, a filler's label changed)."""
        if row.toolTip(0) != fresh.toolTip(0):
            row.setToolTip(0, fresh.toolTip(0))
        if row.text(0) != fresh.text(0):
            row.setText(0, fresh.text(0))
            self.sizes.size_in_tree([(row, depth)])
