"""Agreed units into gold, decisions recorded, progress counted (a mixin of ProjectStore).

Each agreed unit the fill writes is marked in `adjudication_decisions` (key "agreed:…",
choice "auto"; core/adjudication/fill.py): the fill writes only units never marked, so a
gold row a person deleted or relabelled by hand stays as they left it when the article is
opened again, or `adjudicate --auto` runs again.

The open count is counted again from the layers and the decisions whenever one is made or
undone: a count stored with the edit would be stale once the policy changed in between.
An article fewer than two people annotated has nothing to adjudicate and gets no progress.

Filling gold over the whole corpus (fill_gold) reads the layers in batches of articles and
writes each batch in one short transaction: memory stays bounded and a person's edit in the
window waits a moment at most.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from annotator.core.adjudication.classify import Adjudication, adjudicate
from annotator.core.adjudication.edit import GoldRows
from annotator.core.adjudication.fill import AUTO, PREFIX, held_by, to_fill
from annotator.core.adjudication.units import article_units
from annotator.core.layers import GOLD, Layer
from annotator.store.adjudication import GoldLayer

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


class GoldFill(GoldLayer):
    # -- decisions -----------------------------------------------------------------------------

    def record_decision(self, article_id: int, key: str, choice: str) -> None:
        with self.write():
            self.conn.execute(
                "INSERT INTO adjudication_decisions (article_id, key, choice, annotator, made) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(article_id, key) DO UPDATE SET "
                "choice = excluded.choice, annotator = excluded.annotator, made = excluded.made",
                (article_id, key, choice, self.annotator, time.time()),
            )
            self._count(article_id)

    def drop_decision(self, article_id: int, key: str) -> None:
        with self.write():
            self.conn.execute(
                "DELETE FROM adjudication_decisions WHERE article_id = ? AND key = ?",
                (article_id, key),
            )
            self._count(article_id)

    def add_held_arguments(self, article_id: int, conflict_key: str) -> GoldRows:
        """The agreed arguments that waited for span conflict `conflict_key`, into gold now
        that it is decided (those whose filler gold has a span for); the rows made."""
        with self.write():
            found, _ = self.article_adjudication(article_id)
            spans, events, _ = self._gold_of(article_id)
            units = held_by(found, conflict_key, {key[:2] for key in spans}, events)
            return self.add_gold(article_id, units) if units else GoldRows()

    def set_progress(self, article_id: int, conflicts: int, open_now: int) -> None:
        with self.write():
            self.conn.execute(
                "INSERT INTO adjudication_progress (article_id, conflicts, open, updated) "
                "VALUES (?, ?, ?, ?) ON CONFLICT(article_id) DO UPDATE SET "
                "conflicts = excluded.conflicts, open = excluded.open, updated = excluded.updated",
                (article_id, conflicts, open_now, time.time()),
            )

    # -- filling -------------------------------------------------------------------------------

    def fill_article_gold(self, article_id: int, policy: str | None = None) -> Adjudication:
        """One article: its agreed units never filled into gold, its progress counted (one
        transaction). Nothing is written when there is nothing to: the window calls this on
        every article it opens while adjudicating."""
        found, decided = self.article_adjudication(article_id, policy)
        if (
            self._progress_wanted(found, decided) == self._progress_row(article_id)
            and not (self._owed(article_id, found, decided)[0][1])
        ):
            return found
        with self.write():  # read again under the lock: another program may have written
            found, decided = self.article_adjudication(article_id, policy)
            self._fill(article_id, found, decided)
        return found

    def fill_gold(
        self,
        policy: str | None = None,
        *,
        write: bool = True,
        progress: Callable[[int, int], object] | None = None,
        batch: int = _BATCH,
    ) -> FillReport:
        """Every article two or more people annotated: agreed units never filled into gold
        (with `write`; without, only counted), conflicts counted. Streams: a batch of articles
        read, then written in one short transaction."""
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
                        report.added += self._fill(article_id, adjudication, decided)
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

    # -- helpers -------------------------------------------------------------------------------

    def _fill(self, article_id: int, found: Adjudication, decided: dict[str, str]) -> int:
        """Inside a write: what the article's gold is owed, written and marked; its progress
        counted. How many rows were added."""
        (units, keys), gold = self._owed(article_id, found, decided)
        rows = self.add_gold(article_id, units, gold) if units else GoldRows()
        now = time.time()
        self.conn.executemany(
            "INSERT OR IGNORE INTO adjudication_decisions "
            "(article_id, key, choice, annotator, made) VALUES (?, ?, ?, ?, ?)",
            [(article_id, key, AUTO, GOLD, now) for key in keys],
        )
        self._set_or_drop_progress(article_id, self._progress_wanted(found, decided))
        return len(rows.spans) + len(rows.events) + len(rows.arguments)

    def _owed(self, article_id: int, found: Adjudication, decided: dict[str, str]):
        """((units owed to gold, their keys), gold as read): to_fill over the marks."""
        filled = {
            key
            for (key,) in self.conn.execute(
                "SELECT key FROM adjudication_decisions WHERE article_id = ? AND choice = ? "
                "AND key LIKE ?",
                (article_id, AUTO, PREFIX + "%"),
            )
        }
        gold = self._gold_of(article_id)
        spans, events, _ = gold
        return to_fill(found, decided, filled, {key[:2] for key in spans}, events), gold

    def recount_progress(self, article_ids: list[int]) -> None:
        """Count again the conflicts of those of these articles that were adjudicated (a
        merge changed their layers, so the list must not go on saying all is decided). Runs
        inside the caller's transaction."""
        for article_id in self.adjudication_progress(article_ids):
            self._count(article_id)

    def _count(self, article_id: int) -> None:
        found, decided = self.article_adjudication(article_id)
        self._set_or_drop_progress(article_id, self._progress_wanted(found, decided))

    @staticmethod
    def _progress_wanted(found: Adjudication, decided: dict[str, str]) -> tuple[int, int] | None:
        """(conflicts, open), or None for an article fewer than two people annotated: the
        panel has nothing to adjudicate there, so the list must not count anything open."""
        if len(found.annotators) < 2:
            return None
        return len(found.conflicts), len(found.open(decided))

    def _progress_row(self, article_id: int) -> tuple[int, int] | None:
        return self.adjudication_progress([article_id]).get(article_id)

    def _set_or_drop_progress(self, article_id: int, wanted: tuple[int, int] | None) -> None:
        if wanted is not None:
            self.set_progress(article_id, *wanted)
        elif self._progress_row(article_id) is not None:
            self.conn.execute(
                "DELETE FROM adjudication_progress WHERE article_id = ?", (article_id,)
            )

    def _people_layers(self, batch: int) -> Iterator[tuple[int, dict[str, Layer]]]:
        """Articles with two or more people's layers (gold is not a person), streamed."""
        for article_id, layers in self.iter_layers(batch=batch * 5):
            if len([name for name in layers if name != GOLD]) >= 2:
                yield article_id, layers


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
