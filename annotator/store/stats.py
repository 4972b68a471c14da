"""Counts over the whole project, for `annotator stats`: a GROUP BY each, never a row load."""

from __future__ import annotations

import sqlite3

from annotator.core.layers import UNNAMED
from annotator.core.model import ACCEPTED, ENTITY
from annotator.store.base import StoreBase
from annotator.store.import_runs import HIDDEN_IDS


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
        for name, n in self.conn.execute(
            f"SELECT annotator, count(*) FROM spans WHERE state = ? AND kind = '{ENTITY}' "
            f"AND article_id NOT IN {HIDDEN_IDS} GROUP BY annotator",
            (ACCEPTED,),
        ):
            counts.setdefault(UNNAMED if name is None else name, {"spans": 0, "events": 0})[
                "spans"
            ] = n
        for name, n in self.conn.execute(
            f"SELECT annotator, count(*) FROM events WHERE article_id NOT IN {HIDDEN_IDS} "
            "GROUP BY annotator"
        ):
            counts.setdefault(UNNAMED if name is None else name, {"spans": 0, "events": 0})[
                "events"
            ] = n
        return dict(sorted(counts.items()))

    def event_stats(self) -> dict:
        """Events per type, their arguments per role (also split by type), relations per type."""
        per_type: dict[str, dict[str, int]] = {"events": {}, "relations": {}}
        for relation, event_type, count in self.conn.execute(
            f"SELECT relation, type, count(*) FROM events WHERE article_id NOT IN {HIDDEN_IDS} "
            "GROUP BY relation, type ORDER BY type"
        ):
            per_type["relations" if relation else "events"][event_type] = count
        roles: dict[str, int] = {}
        by_type: dict[str, dict[str, int]] = {}
        for event_type, role, count in self.conn.execute(
            "SELECT e.type, a.role, count(*) FROM event_arguments a JOIN events e "
            "ON e.id = a.event_id WHERE e.relation = 0 "
            f"AND e.article_id NOT IN {HIDDEN_IDS} GROUP BY e.type, a.role "
            "ORDER BY e.type, a.role"
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
        }
