"""Counts over the whole project, for `annotator stats` and the Statistics panel
(core/statistics.py puts them together): a GROUP BY each, never a row load."""

from __future__ import annotations

import sqlite3

from annotator.core.layers import GOLD, UNNAMED
from annotator.core.model import ACCEPTED, DONE, ENTITY
from annotator.store.base import StoreBase
from annotator.store.import_runs import HIDDEN_IDS, visible


class StatsQueries(StoreBase):
    """ProjectStore's project-wide counts (a mixin)."""

    conn: sqlite3.Connection

    def label_counts(self) -> dict[str, int]:
        """Accepted entity spans per label, by label name."""
        return dict(
            self.conn.execute(
                f"SELECT label, count(*) FROM spans WHERE state = ? AND kind = '{ENTITY}' "
                f"AND article_id NOT IN {HIDDEN_IDS} GROUP BY label ORDER BY label",
                (ACCEPTED,),
            ).fetchall()
        )

    def annotator_counts(self) -> dict[str, dict[str, int]]:
        """Each annotator's accepted entity spans and events (their layer's size); rows from
        before names were kept count under UNNAMED. Stats add up every layer: two people
        labelling the same name make two spans."""
        counts: dict[str, dict[str, int]] = {}
        for (name, _), n in self.entity_counts().items():
            entry = counts.setdefault(name, {"spans": 0, "events": 0})
            entry["spans"] += n
        for name, n in self.event_counts_by_annotator().items():
            counts.setdefault(name, {"spans": 0, "events": 0})["events"] = n
        return dict(sorted(counts.items()))

    def entity_counts(self) -> dict[tuple[str, str], int]:
        """Accepted entity spans per (annotator, label): one pass over the spans gives both
        the labels' and the annotators' counts (the slowest count on a big project)."""
        return {
            (UNNAMED if name is None else name, label): n
            for name, label, n in self.conn.execute(
                f"SELECT annotator, label, count(*) FROM spans WHERE state = ? "
                f"AND kind = '{ENTITY}' AND article_id NOT IN {HIDDEN_IDS} "
                "GROUP BY annotator, label",
                (ACCEPTED,),
            )
        }

    def event_counts_by_annotator(self) -> dict[str, int]:
        return {
            UNNAMED if name is None else name: n
            for name, n in self.conn.execute(
                f"SELECT annotator, count(*) FROM events WHERE article_id NOT IN {HIDDEN_IDS} "
                "GROUP BY annotator"
            )
        }

    def event_stats(self) -> dict:
        """Events per type, their arguments per role (also split by type), relations per type:
        the annotators' layers. The gold layer is an adjudicated copy of what they agreed on,
        not more events: its figures come apart, under "gold"."""
        per_type: dict[str, dict[str, int]] = {"events": {}, "relations": {}}
        gold: dict[str, dict[str, int]] = {"events": {}, "relations": {}}  # relations: unshown
        for relation, event_type, in_gold, count in self.conn.execute(
            "SELECT relation, type, annotator IS ?, count(*) FROM events "
            f"WHERE article_id NOT IN {HIDDEN_IDS} GROUP BY relation, type, 3 ORDER BY type",
            (GOLD,),
        ):
            (gold if in_gold else per_type)["relations" if relation else "events"][event_type] = (
                count
            )
        roles: dict[str, int] = {}
        by_type: dict[str, dict[str, int]] = {}
        for event_type, role, count in self.conn.execute(
            "SELECT e.type, a.role, count(*) FROM event_arguments a JOIN events e "
            "ON e.id = a.event_id WHERE e.relation = 0 AND e.annotator IS NOT ? "
            f"AND e.article_id NOT IN {HIDDEN_IDS} GROUP BY e.type, a.role "
            "ORDER BY e.type, a.role",
            (GOLD,),
        ):
            roles[role] = roles.get(role, 0) + count
            by_type.setdefault(event_type, {})[role] = count
        return {
            "events": sum(per_type["events"].values()),
            "events_per_type": per_type["events"],
            "arguments": sum(roles.values()),
            "arguments_per_role": dict(sorted(roles.items())),
            "arguments_per_type_and_role": by_type,
            "relations": sum(per_type["relations"].values()),
            "relations_per_type": per_type["relations"],
            "gold_events_per_type": gold["events"],
        }

    def article_label_counts(self, article_id: int, gold: bool = False) -> dict[str, int]:
        """Accepted entity spans per label in one article (the panel's "this article"): the
        annotators' layers, or (gold=True) the gold layer alone."""
        return dict(
            self.conn.execute(
                f"SELECT label, count(*) FROM spans WHERE article_id = ? AND state = ? "
                f"AND kind = '{ENTITY}' AND (annotator IS ?) = ? GROUP BY label ORDER BY label",
                (article_id, ACCEPTED, GOLD, gold),
            ).fetchall()
        )

    def done_per_day(self) -> list[tuple[str, int]]:
        """Articles now done, by the local day they were marked done, oldest day first.
        articles.updated is the time an article's status was last set (store/articles.py,
        spans.py: span counts leave it alone), so a done article's is when it became done."""
        return self.conn.execute(
            "SELECT date(updated, 'unixepoch', 'localtime') AS day, count(*) FROM articles "
            f"WHERE status = ? AND updated IS NOT NULL AND {visible()} GROUP BY day ORDER BY day",
            (DONE,),
        ).fetchall()

    def annotator_articles(self) -> dict[str, tuple[int, int]]:
        """Per annotator: the articles holding their accepted spans or their events, and how
        many of those are done (who pressed Done is not recorded: a done article counts for
        everyone whose work is in it). UNNAMED for rows from before names were kept."""
        rows = self.conn.execute(
            "SELECT w.annotator, count(*), sum(a.status = ?) FROM ("
            "SELECT annotator, article_id FROM spans WHERE state = ? "
            "UNION SELECT annotator, article_id FROM events) AS w "
            f"JOIN articles a ON a.id = w.article_id WHERE {visible('a')} GROUP BY w.annotator",
            (DONE, ACCEPTED),
        ).fetchall()
        return {UNNAMED if name is None else name: (n, done or 0) for name, n, done in rows}
