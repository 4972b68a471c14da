"""Events, relations and their arguments in the store, and removals that cascade.

Deleting a span takes the arguments it fills with it (and, for a trigger, its events);
a Removal records every row that went, so one undo puts all of them back with their ids.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Iterable

from annotator.core.errors import EditRefused
from annotator.core.model import Argument, Event, Removal, Span, stored
from annotator.store.base import StoreBase


class EventQueries(StoreBase):
    def events(self, article_id: int) -> list[Event]:
        layer, who = self.layer_condition()
        rows = self.conn.execute(
            "SELECT id, article_id, type, trigger_id, relation, origin, annotator FROM events "
            f"WHERE article_id = ? {layer} ORDER BY id",
            (article_id, *who),
        ).fetchall()
        if not rows:
            return []
        args = defaultdict(list)
        for arg in self.conn.execute(
            "SELECT a.id, a.event_id, a.role, a.span_id, a.arg_event_id, a.override, a.annotator "
            "FROM event_arguments a JOIN events e ON e.id = a.event_id "
            "WHERE e.article_id = ? ORDER BY a.id",
            (article_id,),
        ):
            args[arg[1]].append(
                Argument(arg[0], arg[1], arg[2], arg[3], arg[4], bool(arg[5]), arg[6])
            )
        return [
            Event(r[0], r[1], r[2], r[3], tuple(args[r[0]]), bool(r[4]), r[5], r[6]) for r in rows
        ]

    def events_by_id(self, event_ids: Iterable[int]) -> dict[int, Event]:
        """The events with these ids that exist, with their arguments, by id."""
        ids = list(event_ids)
        found: dict[int, Event] = {}
        for at in range(0, len(ids), 500):
            chunk = ids[at : at + 500]
            marks = ",".join("?" * len(chunk))
            args = defaultdict(list)
            for arg in self.conn.execute(
                "SELECT id, event_id, role, span_id, arg_event_id, override, annotator "
                f"FROM event_arguments WHERE event_id IN ({marks}) ORDER BY id",
                chunk,
            ):
                args[arg[1]].append(
                    Argument(arg[0], arg[1], arg[2], arg[3], arg[4], bool(arg[5]), arg[6])
                )
            for r in self.conn.execute(
                "SELECT id, article_id, type, trigger_id, relation, origin, annotator FROM events "
                f"WHERE id IN ({marks})",
                chunk,
            ):
                found[r[0]] = Event(
                    r[0], r[1], r[2], r[3], tuple(args[r[0]]), bool(r[4]), r[5], r[6]
                )
        return found

    def event(self, event_id: int) -> Event | None:
        row = self.conn.execute(
            "SELECT article_id FROM events WHERE id = ?", (event_id,)
        ).fetchone()
        if row is None:
            return None
        return next(e for e in self.events(row[0]) if e.id == event_id)

    def insert_event(self, event: Event, meta: dict | None = None) -> Event:
        """Store an event and its arguments (keeping their ids when given)."""
        with self.write():
            return self._insert_event(event, meta)

    def _insert_event(self, event: Event, meta: dict | None = None) -> Event:
        now = time.time()
        cursor = self.conn.execute(
            "INSERT INTO events (id, article_id, type, trigger_id, relation, origin, meta, "
            "created, updated, annotator) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                event.id,
                event.article_id,
                event.type,
                event.trigger_id,
                int(event.relation),
                event.origin,
                json.dumps(meta or {}),
                now,
                now,
                event.annotator or self.annotator,  # a restored row keeps its author
            ),
        )
        event_id = cursor.lastrowid
        args = tuple(
            self._insert_argument(
                Argument(a.id, event_id, a.role, a.span_id, a.arg_event_id, a.override, a.annotator)
            )
            for a in event.arguments
        )
        self._bump_events(event.article_id, +1)
        return Event(
            event_id,
            event.article_id,
            event.type,
            event.trigger_id,
            args,
            event.relation,
            event.origin,
            event.annotator or self.annotator,
        )

    def insert_argument(self, arg: Argument) -> Argument:
        with self.write():
            return self._insert_argument(arg)

    def _insert_argument(self, arg: Argument) -> Argument:
        if (arg.span_id is None) == (arg.arg_event_id is None):
            raise EditRefused("an argument is filled by exactly one span or one event")
        who = arg.annotator or self.annotator  # a restored row keeps its author
        cursor = self.conn.execute(
            "INSERT INTO event_arguments (id, event_id, role, span_id, arg_event_id, override, "
            "annotator) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (arg.id, arg.event_id, arg.role, arg.span_id, arg.arg_event_id, int(arg.override), who),
        )
        return Argument(
            cursor.lastrowid,
            arg.event_id,
            arg.role,
            arg.span_id,
            arg.arg_event_id,
            arg.override,
            who,
        )

    def set_event_type(self, event_id: int, event_type: str) -> None:
        with self.write():
            self.conn.execute(
                "UPDATE events SET type = ?, updated = ? WHERE id = ?",
                (event_type, time.time(), event_id),
            )

    def _bump_events(self, article_id: int, delta: int) -> None:
        self.conn.execute(
            "UPDATE articles SET n_events = n_events + ? WHERE id = ?", (delta, article_id)
        )

    # -- removals ----------------------------------------------------------------------------

    def plan_removal(self, span_ids=(), event_ids=(), argument_ids=()) -> Removal:
        """Everything that must go with these rows for the store to stay consistent."""
        spans = {sid: self.span(sid) for sid in span_ids}
        events: dict[int, Event] = {}
        pending = list(event_ids)
        pending += [
            row[0]
            for sid in spans
            for row in self.conn.execute("SELECT id FROM events WHERE trigger_id = ?", (sid,))
        ]
        while pending:
            event_id = pending.pop()
            if event_id in events:
                continue
            event = self.event(event_id)
            if event is None:
                continue
            events[event_id] = event
            # A trigger nobody else uses goes with its last event.
            if event.trigger_id is not None and event.trigger_id not in spans:
                others = self.conn.execute(
                    "SELECT id FROM events WHERE trigger_id = ? AND id != ?",
                    (event.trigger_id, event_id),
                ).fetchall()
                if all(other[0] in events or other[0] in event_ids for other in others):
                    spans[event.trigger_id] = self.span(event.trigger_id)
                    pending += [o[0] for o in others]
        arguments: dict[int, Argument] = {}
        for arg_id in argument_ids:
            arguments[arg_id] = self._argument(arg_id)
        for sid in spans:
            for row in self.conn.execute(
                "SELECT id FROM event_arguments WHERE span_id = ?", (sid,)
            ):
                arguments[row[0]] = self._argument(row[0])
        for eid in events:
            for row in self.conn.execute(
                "SELECT id FROM event_arguments WHERE arg_event_id = ?", (eid,)
            ):
                arguments[row[0]] = self._argument(row[0])
        # Arguments of removed events travel inside those events.
        loose = [a for a in arguments.values() if a.event_id not in events]
        kept = [s for s in spans.values() if s]
        every_argument = [
            a.id for a in [*loose, *(a for e in events.values() for a in e.arguments)] if a.id
        ]
        columns = self._columns(kept, events, every_argument)
        return Removal(kept, list(events.values()), loose, columns)

    # The columns of spans and events that the model does not carry; restore_removal puts
    # them back (see Removal.columns).
    _EXTRA = {
        "spans": ("meta", "created", "updated", "suggested_label", "merge_source"),
        "events": ("meta", "created", "updated", "merge_source"),
        "event_arguments": ("merge_source",),
    }

    def _columns(
        self, spans: list[Span], events: dict[int, Event], argument_ids: list[int]
    ) -> list[dict]:
        found = []
        for table, ids in (
            ("spans", [s.id for s in spans]),
            ("events", list(events)),
            ("event_arguments", argument_ids),
        ):
            names = self._EXTRA[table]
            for row_id in ids:
                row = self.conn.execute(
                    f"SELECT {', '.join(names)} FROM {table} WHERE id = ?", (row_id,)
                ).fetchone()
                if row is not None:
                    found.append(
                        {"table": table, "id": row_id, **dict(zip(names, row, strict=True))}
                    )
        return found

    def _argument(self, arg_id: int) -> Argument:
        row = self.conn.execute(
            "SELECT id, event_id, role, span_id, arg_event_id, override, annotator "
            "FROM event_arguments WHERE id = ?",
            (arg_id,),
        ).fetchone()
        if row is None:
            raise EditRefused(f"argument {arg_id} does not exist")
        return Argument(row[0], row[1], row[2], row[3], row[4], bool(row[5]), row[6])

    def apply_removal(self, removal: Removal) -> None:
        with self.write():
            for arg in removal.arguments:
                self.conn.execute("DELETE FROM event_arguments WHERE id = ?", (arg.id,))
            for event in removal.events:
                self.conn.execute("DELETE FROM event_arguments WHERE event_id = ?", (event.id,))
            for event in removal.events:
                self.conn.execute("DELETE FROM events WHERE id = ?", (event.id,))
                self._bump_events(event.article_id, -1)
            for span in removal.spans:
                self._delete_span(stored(span.id))

    def restore_removal(self, removal: Removal) -> None:
        with self.write():
            for span in removal.spans:
                self._insert_span(span)
            for event in removal.events:
                # Arguments may point at each other's events: events first, then arguments.
                self._insert_event(
                    Event(
                        event.id,
                        event.article_id,
                        event.type,
                        event.trigger_id,
                        (),
                        event.relation,
                        event.origin,
                        event.annotator,
                    )
                )
            for event in removal.events:
                for arg in event.arguments:
                    self._insert_argument(arg)
            for arg in removal.arguments:
                self._insert_argument(arg)
            for row in removal.columns:
                names = [n for n in self._EXTRA.get(row["table"], ()) if n in row]
                if names:
                    self.conn.execute(
                        f"UPDATE {row['table']} SET {', '.join(f'{n} = ?' for n in names)} "
                        "WHERE id = ?",
                        (*(row[n] for n in names), row["id"]),
                    )
