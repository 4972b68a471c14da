"""What exports read: the articles an export takes, a page at a time, and annotation metadata.

Articles are paged by key (`WHERE id > ? LIMIT ?`), so an export of a large project never holds
every text at once; each comes through store.article(), the one row -> Article mapping.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from annotator.core.layers import GOLD
from annotator.core.model import ACCEPTED, DONE, ENTITY, SKIPPED, Article
from annotator.store.base import StoreBase
from annotator.store.import_runs import visible


# The words come from core.model (constants, not input), so they are written into the SQL.
def _has_spans(layer: str = "") -> str:
    """An article holds accepted spans (of one annotator's layer: `layer`, an `AND ...` on
    spans' columns, with its parameters bound by the caller)."""
    return (
        "EXISTS (SELECT 1 FROM spans WHERE spans.article_id = articles.id "
        f"AND state = '{ACCEPTED}' {layer})"
    )


_HAS_SPANS = _has_spans()


# An article adjudicated to the end (no conflict left open) is gold even with no gold row:
# every conflict decided "neither" says "nothing here", a negative example the export keeps.
_DECIDED = (
    "EXISTS (SELECT 1 FROM adjudication_progress p WHERE p.article_id = articles.id AND p.open = 0)"
)


def _selection(
    done_only: bool,
    unlabelled: bool = False,
    layer: str = "",
    events: str = "",
    decided: bool = False,
) -> str:
    """The articles an export takes. By default: every article marked done, and every other
    one with accepted spans unless the annotator skipped it (a skip means "not fit for
    training", as an ignore does in Prodigy); with `unlabelled`, those without spans too
    (exports to annotation tools, brat and doccano, carry the whole corpus). Never an
    import's articles still invisible.

    `layer`, `events`: one annotator's layer (the `AND ...` on spans' and on events'
    columns, parameters bound by the caller). Then an article must hold that layer's spans
    or events, done or not: an article's status is not anyone's own (in a merged project it
    is whoever marked it done), so an article only someone else finished would otherwise go
    out as this annotator's negative example, every token O. `decided` (the gold layer):
    an article adjudicated to the end goes out too (_DECIDED)."""
    if layer or events:
        mine = (
            f"({_has_spans(layer)} OR EXISTS (SELECT 1 FROM events "
            f"WHERE events.article_id = articles.id {events})"
            + (f" OR {_DECIDED})" if decided else ")")
        )
        wanted = f"status = '{DONE}'" if done_only else f"status != '{SKIPPED}'"
        return f"{wanted} AND {mine} AND {visible()}"
    if done_only:
        return f"status = '{DONE}' AND {visible()}"
    if unlabelled:
        return f"(status = '{DONE}' OR status != '{SKIPPED}') AND {visible()}"
    return f"(status = '{DONE}' OR (status != '{SKIPPED}' AND {_HAS_SPANS})) AND {visible()}"


class ExportQueries(StoreBase):
    def export_ids(self, done_only: bool, unlabelled: bool = False) -> list[int]:
        """The ids of the articles an export takes, in order."""
        sql = f"SELECT id FROM articles WHERE {self._selection(done_only, unlabelled)} ORDER BY id"
        return [row[0] for row in self.conn.execute(sql, self._layer_args())]

    def _selection(self, done_only: bool, unlabelled: bool) -> str:
        """_selection, of the layer read (read_layer) when one is."""
        return _selection(
            done_only,
            unlabelled,
            self.layer_condition("spans")[0],
            self.layer_condition("events")[0],
            self.read_layer == GOLD,
        )

    def gold_export_gaps(self, done_only: bool, unlabelled: bool = False) -> tuple[int, int, int]:
        """What a gold export (read_layer GOLD) leaves to be said: the articles every layer
        together would take that it leaves out (annotated, not adjudicated into gold), and
        how many of the articles it takes still have conflicts open, and how many those are."""
        every = _selection(done_only, unlabelled)
        gold = self._selection(done_only, unlabelled)
        left_out = self.conn.execute(
            f"SELECT count(*) FROM articles WHERE {every} AND NOT ({gold})", self._layer_args()
        ).fetchone()[0]
        articles, conflicts = self.conn.execute(
            "SELECT count(*), coalesce(sum(p.open), 0) FROM adjudication_progress p "
            f"JOIN articles ON articles.id = p.article_id WHERE p.open > 0 AND {gold}",
            self._layer_args(),
        ).fetchone()
        return left_out, articles, conflicts

    def _layer_args(self) -> tuple:
        """The parameters of _selection's layer conditions: the spans', then the events'."""
        who = self.layer_condition()[1]
        return (*who, *who)

    def export_status_counts(self, done_only: bool, unlabelled: bool = False) -> dict[str, int]:
        """How many articles of each status an export with these choices takes: the export
        dialog says it before anything is written."""
        sql = (
            f"SELECT status, count(*) FROM articles WHERE "
            f"{self._selection(done_only, unlabelled)} GROUP BY status"
        )
        return dict(self.conn.execute(sql, self._layer_args()).fetchall())

    def entity_counts_in(self, article_ids: list[int]) -> dict[str, int]:
        """Accepted entity spans per label in these articles: what an NER model trains on
        (triggers go to a span group, not to doc.ents). One statement, grouped by label in
        SQLite (a row per label, not per article and label). Of the layer read (read_layer);
        a place two layers both hold counts once, as doc.ents holds it once."""
        layer, who = self.layer_condition()
        return dict(
            self.conn.execute(
                "SELECT label, count(*) FROM (SELECT DISTINCT article_id, start, end, label "
                "FROM spans WHERE state = ? AND kind = ? "
                f"AND article_id IN (SELECT value FROM json_each(?)) {layer}) GROUP BY label",
                (ACCEPTED, ENTITY, json.dumps(article_ids), *who),
            ).fetchall()
        )

    def skipped_with_spans(self) -> int:
        """Skipped articles that hold spans (of the layer read): left out of an export, so
        reports say how many."""
        layer, who = self.layer_condition("spans")
        sql = (
            f"SELECT count(*) FROM articles WHERE status = '{SKIPPED}' AND {_has_spans(layer)} "
            f"AND {visible()}"
        )
        return self.conn.execute(sql, who).fetchone()[0]

    def answered_out(self) -> int:
        """Articles answered reject or ignore in an imported Prodigy file (meta "answer"), left
        out of exports while they stay skipped: reports say how many."""
        sql = (
            f"SELECT count(*) FROM articles WHERE status = '{SKIPPED}' AND "
            "json_extract(meta, '$.answer') IN ('reject', 'ignore') AND " + visible()
        )
        return self.conn.execute(sql).fetchone()[0]

    def export_articles(
        self, done_only: bool, page: int = 200, unlabelled: bool = False
    ) -> Iterator[Article]:
        """The articles an export takes, in id order, read a page of ids at a time."""
        sql = (
            f"SELECT id FROM articles WHERE id > ? AND {self._selection(done_only, unlabelled)} "
            "ORDER BY id LIMIT ?"
        )
        after = 0
        layer = self._layer_args()
        while True:
            ids = [row[0] for row in self.conn.execute(sql, (after, *layer, page))]
            if not ids:
                return
            for article_id in ids:
                yield self.article(article_id)
            after = ids[-1]

    def span_annotation_meta(self, span_id: int) -> tuple[dict, list[tuple[str, dict]]]:
        """One span's attributes, notes and normalizations, and (type, meta) of the events it
        triggers that have any: what the window shows for a selection, two indexed lookups
        (the article's whole meta would be read at every click on a long article)."""
        row = self.conn.execute("SELECT meta FROM spans WHERE id = ?", (span_id,)).fetchone()
        events = [
            (kind, json.loads(meta))
            for kind, meta in self.conn.execute(
                "SELECT type, meta FROM events WHERE trigger_id = ? AND meta IS NOT NULL "
                "AND meta != '{}' ORDER BY id",
                (span_id,),
            )
        ]
        return (json.loads(row[0]) if row and row[0] else {}), events

    def annotation_meta(self, article_id: int) -> tuple[dict[int, dict], dict[int, dict]]:
        """Attributes and notes of the article's spans and of its events, by id (non-empty
        ones only)."""
        spans = {
            row[0]: json.loads(row[1])
            for row in self.conn.execute(
                "SELECT id, meta FROM spans WHERE article_id = ? AND meta IS NOT NULL "
                "AND meta != '{}'",
                (article_id,),
            )
        }
        events = {
            row[0]: json.loads(row[1])
            for row in self.conn.execute(
                "SELECT id, meta FROM events WHERE article_id = ? AND meta IS NOT NULL "
                "AND meta != '{}'",
                (article_id,),
            )
        }
        return spans, events
