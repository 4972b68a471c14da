"""The gold layer and adjudication progress (core/adjudication), a mixin of ProjectStore.

Gold rows are ordinary spans, events and arguments whose annotator is GOLD (origin
"adjudication"), so everything that reads layers reads gold too. Two tables of migration 12
keep what the layers alone can't say: `adjudication_decisions` (a person's decision on a
conflict, by its key: "neither" leaves nothing in gold, yet the conflict is closed) and
`adjudication_progress` (per article: how many conflicts, how many still open; the article
list shows it). The project's agreement policy (unanimous or majority) is in `meta`.

Filling gold over the whole corpus (fill_gold) reads the layers in batches of articles and
writes each batch in one short transaction: memory stays bounded and a person's edit in the
window waits a moment at most.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annotator.core.adjudication.classify import (
    POLICIES,
    UNANIMOUS,
    Adjudication,
    adjudicate,
)
from annotator.core.adjudication.edit import GoldRows
from annotator.core.adjudication.units import ArgUnit, Units, article_units
from annotator.core.errors import AnnotatorError
from annotator.core.layers import GOLD, Layer
from annotator.core.model import ACCEPTED, ENTITY, TRIGGER, Argument, Event
from annotator.store.base import StoreBase
from annotator.store.rows import INSERT_SPAN

POLICY_KEY = "adjudication_policy"
ORIGIN = "adjudication"
_BATCH = 50  # articles per transaction when gold is filled over the corpus (lock held ~tens of ms)


@dataclass
class FillReport:
    """What fill_gold did: articles seen, gold units added, conflicts left."""

    policy: str
    articles: int = 0
    added: int = 0  # spans, events and arguments written into gold
    open_by_article: dict[int, int] = field(default_factory=dict)  # articles with open ones
    open_by_label: Counter = field(default_factory=Counter)  # label, type or role

    @property
    def open(self) -> int:
        return sum(self.open_by_article.values())


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
                "SELECT key, choice FROM adjudication_decisions WHERE article_id = ?",
                (article_id,),
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

    def add_gold(self, article_id: int, units: Units) -> GoldRows:
        """Put `units` into the article's gold layer, each unit once (what gold has already,
        by offsets and label, type or role, is left as it is); returns the rows made. An
        argument whose filler gold lacks makes the filler too, from the argument's label."""
        spans: list[int] = []
        events: list[int] = []
        arguments: list[int] = []
        with self.write():
            have_spans, have_events, have_args = self._gold_of(article_id)
            for unit in units.spans:
                if (unit.start, unit.end, unit.label) not in have_spans:
                    span_id = self._gold_span(article_id, unit.start, unit.end, unit.label)
                    have_spans[(unit.start, unit.end, unit.label)] = span_id
                    spans.append(span_id)
            for event in units.events:
                event_id = have_events.get(event.key)
                if event_id is None:
                    trigger = self._gold_span(
                        article_id, event.start, event.end, event.type, TRIGGER
                    )
                    spans.append(trigger)
                    made = self._insert_event(
                        Event(None, article_id, event.type, trigger, annotator=GOLD, origin=ORIGIN)
                    )
                    event_id = made.id or 0
                    have_events[event.key] = event_id
                    events.append(event_id)
                for argument in event.arguments:
                    if (event_id, *argument.key) in have_args:
                        continue
                    filler, arg_event = self._filler(
                        article_id, argument, have_spans, have_events, spans
                    )
                    made_arg = self._insert_argument(
                        Argument(None, event_id, argument.role, filler, arg_event, annotator=GOLD)
                    )
                    have_args.add((event_id, *argument.key))
                    arguments.append(made_arg.id or 0)
        return GoldRows(tuple(spans), tuple(events), tuple(arguments))

    def record_decision(self, article_id: int, key: str, choice: str, open_after: int) -> None:
        with self.write():
            self.conn.execute(
                "INSERT INTO adjudication_decisions (article_id, key, choice, annotator, made) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(article_id, key) DO UPDATE SET "
                "choice = excluded.choice, annotator = excluded.annotator, made = excluded.made",
                (article_id, key, choice, self.annotator, time.time()),
            )
            self.conn.execute(
                "UPDATE adjudication_progress SET open = ?, updated = ? WHERE article_id = ?",
                (open_after, time.time(), article_id),
            )

    def drop_decision(self, article_id: int, key: str, open_before: int) -> None:
        with self.write():
            self.conn.execute(
                "DELETE FROM adjudication_decisions WHERE article_id = ? AND key = ?",
                (article_id, key),
            )
            self.conn.execute(
                "UPDATE adjudication_progress SET open = ?, updated = ? WHERE article_id = ?",
                (open_before, time.time(), article_id),
            )

    def set_progress(self, article_id: int, conflicts: int, open_now: int) -> None:
        with self.write():
            self.conn.execute(
                "INSERT INTO adjudication_progress (article_id, conflicts, open, updated) "
                "VALUES (?, ?, ?, ?) ON CONFLICT(article_id) DO UPDATE SET "
                "conflicts = excluded.conflicts, open = excluded.open, updated = excluded.updated",
                (article_id, conflicts, open_now, time.time()),
            )

    def recount_progress(self, article_ids: list[int]) -> None:
        """Count again the conflicts of those of these articles that were adjudicated (a
        merge changed their layers, so the list must not go on saying all is decided). Runs
        inside the caller's transaction."""
        for article_id in self.adjudication_progress(article_ids):
            found, decided = self.article_adjudication(article_id)
            self.conn.execute(
                "UPDATE adjudication_progress SET conflicts = ?, open = ?, updated = ? "
                "WHERE article_id = ?",
                (len(found.conflicts), len(found.open(decided)), time.time(), article_id),
            )

    def fill_article_gold(self, article_id: int, policy: str | None = None) -> Adjudication:
        """One article: its agreed units into gold, its progress counted (one transaction).
        Nothing is written when gold and the count are as they should be already: the window
        calls this on every article it opens while adjudicating."""
        found, decided = self.article_adjudication(article_id, policy)
        counted = (len(found.conflicts), len(found.open(decided)))
        if self.adjudication_progress([article_id]).get(article_id) == counted and self._in_gold(
            article_id, found.agreed
        ):
            return found
        with self.write():  # read again under the lock: another program may have written
            found, decided = self.article_adjudication(article_id, policy)
            self.add_gold(article_id, found.agreed)
            self.set_progress(article_id, len(found.conflicts), len(found.open(decided)))
        return found

    def fill_gold(
        self,
        policy: str | None = None,
        *,
        write: bool = True,
        progress: Callable[[int, int], object] | None = None,
        batch: int = _BATCH,
    ) -> FillReport:
        """Every article two or more people annotated: agreed units into gold (with `write`;
        without, only counted), conflicts counted. Streams: a batch of articles read, then
        written in one short transaction."""
        policy = policy or self.adjudication_policy()
        report = FillReport(policy)
        total = self.annotated_article_count()
        for chunk in _chunks(self._people_layers(batch), batch):
            found = []
            for article_id, layers in chunk:
                adjudication = adjudicate(article_units(layers), policy)
                found.append((article_id, adjudication, self.decisions(article_id)))
            if write:
                with self.write():
                    for article_id, adjudication, decided in found:
                        rows = self.add_gold(article_id, adjudication.agreed)
                        report.added += len(rows.spans) + len(rows.events) + len(rows.arguments)
                        open_ = adjudication.open(decided)
                        self.set_progress(article_id, len(adjudication.conflicts), len(open_))
            for article_id, adjudication, decided in found:
                report.articles += 1
                open_ = adjudication.open(decided)
                if open_:
                    report.open_by_article[article_id] = len(open_)
                for conflict in open_:
                    report.open_by_label[_conflict_label(conflict)] += 1
            if progress is not None:
                progress(report.articles, total)
        return report

    def _in_gold(self, article_id: int, units: Units) -> bool:
        """Whether gold holds every one of `units` (spans, events, arguments) already."""
        spans, events, arguments = self._gold_of(article_id)
        if any((u.start, u.end, u.label) not in spans for u in units.spans):
            return False
        for event in units.events:
            event_id = events.get(event.key)
            if event_id is None or any(
                (event_id, *a.key) not in arguments for a in event.arguments
            ):
                return False
        return True

    # -- helpers -------------------------------------------------------------------------------

    def _people_layers(self, batch: int) -> Iterator[tuple[int, dict[str, Layer]]]:
        """Articles with two or more people's layers (gold is not a person), streamed."""
        for article_id, layers in self.iter_layers(batch=batch * 5):
            if len([name for name in layers if name != GOLD]) >= 2:
                yield article_id, layers

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

    def _filler(
        self,
        article_id: int,
        argument: ArgUnit,
        have_spans: dict[tuple[int, int, str], int],
        have_events: dict[tuple[str, int, int], int],
        made: list[int],
    ) -> tuple[int | None, int | None]:
        """(span id, event id) filling an argument in gold, making the span if none is there."""
        if argument.kind == TRIGGER:
            event_id = have_events.get((argument.label, argument.start, argument.end))
            if event_id is not None:
                return None, event_id
        same_place = [
            span_id
            for (start, end, _), span_id in have_spans.items()
            if (start, end) == (argument.start, argument.end)
        ]
        if same_place:
            return same_place[0], None
        span_id = self._gold_span(article_id, argument.start, argument.end, argument.label)
        have_spans[(argument.start, argument.end, argument.label)] = span_id
        made.append(span_id)
        return span_id, None


def _conflict_label(conflict) -> str:
    """What the CLI's count of open conflicts is grouped by: the labels, types or role."""
    if conflict.role:
        return f"role {conflict.role}"
    names = set()
    for _, units in conflict.options:
        names |= {span.label for span in units.spans} | {event.type for event in units.events}
    return " / ".join(sorted(names)) or conflict.kind


def _chunks(items: Iterator, size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
