"""The gold layer and adjudication progress (core/adjudication), a mixin of ProjectStore.

Gold rows are ordinary spans, events and arguments whose annotator is GOLD (origin
"adjudication"), so everything that reads layers reads gold too. Two tables of migration 12
keep what the layers alone can't say: `adjudication_decisions` (a person's decision on a
conflict, by its key: "neither" leaves nothing in gold, yet the conflict is closed) and
`adjudication_progress` (per article: how many conflicts, how many still open; the article
list shows it). The project's agreement policy (unanimous or majority) is in `meta`.

Filling gold with the agreed units, and counting progress, is gold_fill.py's.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from annotator.core.adjudication.classify import POLICIES, UNANIMOUS, Adjudication, adjudicate
from annotator.core.adjudication.edit import GoldRows
from annotator.core.adjudication.fill import AUTO
from annotator.core.adjudication.units import ArgUnit, Units, article_units
from annotator.core.errors import AnnotatorError
from annotator.core.layers import GOLD, Layer
from annotator.core.model import ACCEPTED, ENTITY, TRIGGER, Argument, Event
from annotator.store.base import StoreBase
from annotator.store.rows import INSERT_SPAN

POLICY_KEY = "adjudication_policy"
ORIGIN = "adjudication"


class GoldLayer(StoreBase):
    if TYPE_CHECKING:  # from the other parts of ProjectStore (layers, events, spans)

        def _layers_between(
            self, first: int, last: int, annotators: Iterable[str] | None
        ) -> dict[int, dict[str, Layer]]: ...
        def annotators(self) -> list[str]: ...
        def annotated_article_count(self) -> int: ...
        def iter_layers(
            self, annotators: Iterable[str] | None = None, batch: int = ...
        ) -> Iterator[tuple[int, dict[str, Layer]]]: ...
        def _insert_event(self, event: Event, meta: dict | None = None) -> Event: ...
        def _insert_argument(self, arg: Argument) -> Argument: ...

    # -- the setting ---------------------------------------------------------------------------

    def adjudication_policy(self) -> str:
        found = self.conn.execute("SELECT value FROM meta WHERE key = ?", (POLICY_KEY,)).fetchone()
        return found[0] if found and found[0] in POLICIES else UNANIMOUS

    def set_adjudication_policy(self, policy: str) -> None:
        if policy not in POLICIES:
            raise AnnotatorError(
                f"agreement policy must be {' or '.join(POLICIES)}, not {policy!r}"
            )
        with self.write():
            self.conn.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (POLICY_KEY, policy),
            )

    # -- reading -------------------------------------------------------------------------------

    def has_gold(self) -> bool:
        """Whether the project holds any gold row (exports then take gold by default)."""
        return bool(
            self.conn.execute(
                "SELECT EXISTS (SELECT 1 FROM spans WHERE annotator = ? AND state = ?) OR "
                "EXISTS (SELECT 1 FROM events WHERE annotator = ?)",
                (GOLD, ACCEPTED, GOLD),
            ).fetchone()[0]
        )

    def gold_rows_on(self, article_id: int) -> int:
        """How many gold rows (spans, events) the article holds: a cheap look before and
        after filling tells whether the view must read the article again."""
        return self.conn.execute(
            "SELECT (SELECT count(*) FROM spans WHERE article_id = ? AND annotator = ?) + "
            "(SELECT count(*) FROM event_arguments a JOIN events e ON e.id = a.event_id "
            "WHERE e.article_id = ? AND a.annotator = ?)",
            (article_id, GOLD, article_id, GOLD),
        ).fetchone()[0]

    def article_adjudication(
        self, article_id: int, policy: str | None = None
    ) -> tuple[Adjudication, dict[str, str]]:
        """The article's agreed units and conflicts, and the decisions taken (key: choice)."""
        layers = self._layers_between(article_id, article_id, None).get(article_id, {})
        found = adjudicate(article_units(layers), policy or self.adjudication_policy())
        return found, self.decisions(article_id)

    def decisions(self, article_id: int) -> dict[str, str]:
        return dict(
            self.conn.execute(
                "SELECT key, choice FROM adjudication_decisions WHERE article_id = ? "
                "AND choice != ?",  # not the marks of agreed units filled (gold_fill.py)
                (article_id, AUTO),
            )
        )

    def adjudication_progress(self, article_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
        """(conflicts, still open) of the articles that were adjudicated, by id (a page of
        the list: looked up by key)."""
        ids = list(article_ids)
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return {
            row[0]: (row[1], row[2])
            for row in self.conn.execute(
                "SELECT article_id, conflicts, open FROM adjudication_progress "
                f"WHERE article_id IN ({marks})",
                ids,
            )
        }

    def export_layer(self, annotator: str | None, all_layers: bool, where: str) -> str | None:
        """The layer an export reads (None: every layer together): the one named, every one
        when asked, else gold when the project has any, else every layer. AnnotatorError for
        a name that has no annotations here."""
        if annotator is not None:
            known = self.annotators()
            if annotator not in known:
                raise AnnotatorError(
                    f"{where}: no annotator named {annotator!r}; the project has "
                    + (", ".join(repr(name) for name in known) or "no annotations")
                )
            return annotator
        if all_layers:
            return None
        return GOLD if self.has_gold() else None

    # -- writing gold ------------------------------------------------------------------------

    def add_gold(self, article_id: int, units: Units, gold: tuple | None = None) -> GoldRows:
        """Put `units` into the article's gold layer, each unit once (what gold has already,
        by offsets and label, type or role, is left as it is); returns the rows made. An
        argument whose filler gold lacks makes the filler too, from the argument's label.
        `gold`: _gold_of(article_id) as just read in this write (the fill reads it anyway)."""
        spans: list[int] = []
        events: list[int] = []
        arguments: list[int] = []
        with self.write():
            have_spans, have_events, have_args = gold or self._gold_of(article_id)
            for unit in units.spans:
                if (unit.start, unit.end, unit.label) not in have_spans:
                    span_id = self._gold_span(article_id, unit.start, unit.end, unit.label)
                    have_spans[(unit.start, unit.end, unit.label)] = span_id
                    spans.append(span_id)
            # Every event first, then the arguments: an argument filled by another event
            # finds that event in gold, whatever the order they come in.
            for event in units.events:
                if event.key not in have_events:
                    events.append(self._gold_event(article_id, event.type, event.start,
                                                   event.end, have_events, spans))  # fmt: skip
            for event in units.events:
                event_id = have_events[event.key]
                for argument in event.arguments:
                    if (event_id, *argument.key) in have_args:
                        continue
                    filler, arg_event = self._filler(
                        article_id, argument, have_spans, have_events, spans, events
                    )
                    made_arg = self._insert_argument(
                        Argument(None, event_id, argument.role, filler, arg_event, annotator=GOLD)
                    )
                    have_args.add((event_id, *argument.key))
                    arguments.append(made_arg.id or 0)
        return GoldRows(tuple(spans), tuple(events), tuple(arguments))

    # -- helpers -------------------------------------------------------------------------------

    def _gold_of(self, article_id: int):
        spans: dict[tuple[int, int, str], int] = {}
        triggers: dict[int, tuple[int, int]] = {}
        for span_id, start, end, label, kind in self.conn.execute(
            "SELECT id, start, end, label, kind FROM spans WHERE article_id = ? AND "
            "annotator = ? AND state = ?",
            (article_id, GOLD, ACCEPTED),
        ):
            if kind == TRIGGER:
                triggers[span_id] = (start, end)
            else:
                spans[(start, end, label)] = span_id
        events: dict[tuple[str, int, int], int] = {}
        for event_id, kind, trigger_id in self.conn.execute(
            "SELECT id, type, trigger_id FROM events WHERE article_id = ? AND annotator = ?",
            (article_id, GOLD),
        ):
            if trigger_id in triggers:
                events[(kind, *triggers[trigger_id])] = event_id
        arguments: set[tuple] = set()
        offsets = {span_id: key[:2] for key, span_id in spans.items()}
        offsets.update(triggers)
        event_triggers = {event_id: key[1:] for key, event_id in events.items()}
        for event_id, role, span_id, arg_event in self.conn.execute(
            "SELECT a.event_id, a.role, a.span_id, a.arg_event_id FROM event_arguments a "
            "JOIN events e ON e.id = a.event_id WHERE e.article_id = ? AND e.annotator = ?",
            (article_id, GOLD),
        ):
            where = offsets.get(span_id) if span_id is not None else event_triggers.get(arg_event)
            if where is not None:
                arguments.add((event_id, role, *where))
        return spans, events, arguments

    def _gold_span(
        self, article_id: int, start: int, end: int, label: str, kind: str = ENTITY
    ) -> int:
        """A gold span, written as it stands: its offsets and label come from a layer's row
        (the schema is not asked again: a merged layer may carry a label only in its copy's
        schema, and a decision must not fail over it)."""
        now = time.time()
        cursor = self.conn.execute(
            INSERT_SPAN,
            (None, article_id, ORIGIN, start, end, label, kind, ACCEPTED, None, None, "{}",
             now, now, GOLD),
        )  # fmt: skip
        self._bump_count(article_id, +1)
        return int(cursor.lastrowid or 0)

    def _gold_event(
        self,
        article_id: int,
        kind: str,
        start: int,
        end: int,
        have_events: dict[tuple[str, int, int], int],
        spans: list[int],
    ) -> int:
        """A gold event with its trigger span; its id (kept in `have_events`)."""
        trigger = self._gold_span(article_id, start, end, kind, TRIGGER)
        spans.append(trigger)
        made = self._insert_event(
            Event(None, article_id, kind, trigger, annotator=GOLD, origin=ORIGIN)
        )
        have_events[(kind, start, end)] = made.id or 0
        return made.id or 0

    def _filler(
        self,
        article_id: int,
        argument: ArgUnit,
        have_spans: dict[tuple[int, int, str], int],
        have_events: dict[tuple[str, int, int], int],
        made: list[int],
        made_events: list[int],
    ) -> tuple[int | None, int | None]:
        """(span id, event id) filling an argument in gold, making the filler if none is
        there: an event for an event's trigger (never an entity labelled with its type)."""
        place = (argument.start, argument.end)
        if argument.kind == TRIGGER:
            same = have_events.get((argument.label, *place))
            if same is None:
                same = next((i for key, i in have_events.items() if key[1:] == place), None)
            if same is None:
                same = self._gold_event(article_id, argument.label, *place, have_events, made)
                made_events.append(same)
            return None, same
        same_place = [
            span_id for (start, end, _), span_id in have_spans.items() if (start, end) == place
        ]
        if same_place:
            return same_place[0], None
        span_id = self._gold_span(article_id, argument.start, argument.end, argument.label)
        have_spans[(argument.start, argument.end, argument.label)] = span_id
        made.append(span_id)
        return span_id, None
