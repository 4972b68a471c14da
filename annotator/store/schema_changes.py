"""Changing a project's schema where annotations already use it: what uses each name, and
adding, merging, renaming or removing a label or type with the annotations kept consistent.

What is allowed and the schema that results are the core's (core.schema_edit,
core.schema_in_use); here is what the rows need. Every change is one transaction: the schema
is read again, changed and written under the write lock, with the rows that name it, or not
at all; a change another process made meanwhile is built on, never overwritten. Nothing that
is in use is ever dropped without the person saying so. A rename, removal, merge or
replacement is refused while an import stages articles: its batches carry the names as they
were when it read them (adding a label is fine: the import's publish builds on it).
"""

from __future__ import annotations

import json
import sqlite3

from annotator.core.model import ACCEPTED, ENTITY
from annotator.core.patterns import pattern_file_labels
from annotator.core.schema import Schema
from annotator.core.schema_edit import SchemaChange, add_label, merge_schema
from annotator.core.schema_in_use import check_replacement, remove_from_schema, rename_in_schema
from annotator.store.base import StoreBase
from annotator.store.import_runs import HIDDEN_IDS


class SchemaChanges(StoreBase):
    """ProjectStore's schema changes (a mixin: it uses the store's write(), schema, sources)."""

    conn: sqlite3.Connection

    def label_usage(self) -> dict[str, int]:
        """How many annotations use each name: accepted spans (entities and triggers' events
        counted once, as events) and events or relations."""
        found: dict[str, int] = {}
        for name, count in self.conn.execute(
            f"SELECT label, count(*) FROM spans WHERE kind = '{ENTITY}' AND state = ? "
            f"AND article_id NOT IN {HIDDEN_IDS} GROUP BY label",
            (ACCEPTED,),
        ):
            found[name] = found.get(name, 0) + count
        for name, count in self.conn.execute(
            f"SELECT type, count(*) FROM events WHERE article_id NOT IN {HIDDEN_IDS} GROUP BY type"
        ):
            found[name] = found.get(name, 0) + count
        return found

    def _usage_of(self, name: str) -> int:
        """label_usage()[name], counted for that one name."""
        return self.conn.execute(
            f"SELECT (SELECT count(*) FROM spans WHERE label = :name AND kind = '{ENTITY}' "
            f"AND state = :accepted AND article_id NOT IN {HIDDEN_IDS}) + (SELECT count(*) FROM events "
            f"WHERE type = :name AND article_id NOT IN {HIDDEN_IDS})",
            {"name": name, "accepted": ACCEPTED},
        ).fetchone()[0]

    def suggestion_usage(self) -> dict[str, int]:
        """Suggestions per label that are open or were rejected (not annotations of anyone's)."""
        return dict(
            self.conn.execute(
                f"SELECT label, count(*) FROM spans WHERE kind = '{ENTITY}' AND state != ? "
                f"AND article_id NOT IN {HIDDEN_IDS} GROUP BY label",
                (ACCEPTED,),
            ).fetchall()
        )

    def add_label(
        self, name: str, key: str | None = None, color: str = "", description: str = ""
    ) -> Schema:
        """Add one entity label (core.schema_edit.add_label: no key given, a free one)."""
        with self.write():
            schema = add_label(self.reload_schema(), name, key, color, description)
            self.set_schema(schema)
        return schema

    def merge_schema(self, incoming: Schema, source: str = "the merged schema") -> SchemaChange:
        """Merge a schema (read with partial=True: its roles may name the project's labels)."""
        with self.write():
            self.refuse_while_importing("merge the schema")
            change = merge_schema(self.reload_schema(), incoming, str(source))
            if change.changed:
                self.set_schema(change.schema)
        return change

    def replace_schema(self, new: Schema) -> tuple[list[str], int]:
        """Make `new` the project's schema; refused if it leaves out a name annotations use, or
        makes one of them another kind of name. Returns the names dropped and how many
        suggestions (open or rejected) of dropped labels went with them."""
        with self.write():
            self.refuse_while_importing("replace the schema")
            current = self.reload_schema()
            dropped = check_replacement(current, new, self.label_usage())
            # Suggestions are entity spans: a label that leaves, or becomes a type, takes them along.
            gone = self._drop_suggestions([n for n in current.label_names if not new.label(n)])
            self.set_schema(new)
        return dropped, gone

    def rename_schema_name(self, old: str, new: str) -> int:
        """Rename a label, event type or relation type everywhere: the schema, role fillers,
        the spans or events that carry it, suggestion sources' mappings. When `new` already
        exists (and is of the same kind) the two merge: a span of `old` lying on a span of
        `new` becomes that one. Returns the annotations renamed."""
        with self.write():
            self.refuse_while_importing(f"rename {old}")
            kind, renamed = rename_in_schema(self.reload_schema(), old, new)
            span_kind = "entity" if kind == "entity" else "trigger"
            self._fold_twins(old, new, span_kind)
            changed = self.conn.execute(
                "UPDATE spans SET label = ? WHERE label = ? AND kind = ?", (new, old, span_kind)
            ).rowcount
            # An open suggestion now lying on an accepted span of its label suggests nothing.
            self.conn.execute(
                "DELETE FROM spans AS s WHERE s.label = ? AND s.kind = ? AND s.state = 'suggested' "
                "AND EXISTS (SELECT 1 FROM spans a WHERE a.article_id = s.article_id AND a.start = s.start "
                "AND a.end = s.end AND a.kind = s.kind AND a.label = s.label AND a.state = ?)",
                (new, span_kind, ACCEPTED),
            )
            if kind == "entity":
                self.conn.execute(
                    "UPDATE spans SET suggested_label = ? WHERE suggested_label = ?", (new, old)
                )
                self._remap_sources(old, new)
            else:
                changed = self.conn.execute(
                    "UPDATE events SET type = ? WHERE type = ?", (new, old)
                ).rowcount
            self.set_schema(renamed)
            # Logged edits name the old label: undoing one after a restart would bring it back
            # (as the window's own stack is cleared on a rename).
            self.clear_undo_log()
        return changed

    def remove_schema_name(self, name: str) -> int:
        """Take a label or type no annotation uses out of the schema; its open and rejected
        suggestions go with it. Returns how many suggestions went."""
        with self.write():
            self.refuse_while_importing(f"remove {name}")
            schema = self.reload_schema()
            # Only this name's count: the whole table's, grouped by label, held the write lock
            # 260 ms on 100,000 articles.
            smaller = remove_from_schema(schema, name, {name: self._usage_of(name)})
            gone = self._drop_suggestions([name] if schema.label(name) else [])
            self.set_schema(smaller)
        return gone

    def _drop_suggestions(self, labels: list[str]) -> int:
        """Open and rejected suggestions of labels that leave the schema go too: nobody can
        review them any more, and a rejection of a label that's gone guards nothing."""
        if not labels:
            return 0
        marks = ",".join("?" * len(labels))
        return self.conn.execute(
            f"DELETE FROM spans WHERE kind = '{ENTITY}' AND state != ? AND label IN ({marks})",
            (ACCEPTED, *labels),
        ).rowcount

    def _remap_sources(self, old: str, new: str) -> None:
        """Sources that still give the old name (a mapping onto it, a pattern file's label, a
        pipeline never run and so with no labels recorded) map it onto the new one, so that
        running them again still works."""
        for source in self.sources():
            mapping = {k: (new if v == old else v) for k, v in source.mapping.items()}
            from_file = pattern_file_labels(source.location) if source.kind == "patterns" else set()
            if old not in mapping and (
                old in from_file or (source.kind == "model" and not source.mapping)
            ):
                mapping[old] = new
            if mapping != source.mapping:
                self.conn.execute(
                    "UPDATE sources SET mapping = ? WHERE id = ?", (json.dumps(mapping), source.id)
                )

    def _fold_twins(self, old: str, new: str, span_kind: str) -> None:
        """A span of `old` on the same offsets as one of `new` would become its duplicate: an
        accepted one folds into the accepted twin (its arguments and events move there); a
        suggestion, or a rejection, into the same source's twin in the same state. Twins
        are one annotator's: two people's spans on the same words are two layers, not one."""
        twins = self.conn.execute(
            "SELECT o.id, min(n.id), o.article_id, o.state FROM spans o JOIN spans n "
            "ON n.article_id = o.article_id AND n.start = o.start AND n.end = o.end "
            "AND n.kind = o.kind AND n.label = ? AND n.state = o.state "
            "AND n.annotator IS o.annotator "
            "AND (o.state = ? OR n.origin = o.origin) "
            "WHERE o.label = ? AND o.kind = ? GROUP BY o.id",
            (new, ACCEPTED, old, span_kind),
        ).fetchall()
        for duplicate, keep, article_id, state in twins:
            self.conn.execute(
                "UPDATE event_arguments SET span_id = ? WHERE span_id = ?", (keep, duplicate)
            )
            self.conn.execute(
                "UPDATE events SET trigger_id = ? WHERE trigger_id = ?", (keep, duplicate)
            )
            self.conn.execute("DELETE FROM spans WHERE id = ?", (duplicate,))
            if state == ACCEPTED:
                self.adjust_span_count(article_id, -1)
            # An event that had both twins in one role now has the same filler twice there.
            self.conn.execute(
                "DELETE FROM event_arguments WHERE span_id = ? AND id NOT IN (SELECT min(id) FROM "
                "event_arguments WHERE span_id = ? GROUP BY event_id, role)",
                (keep, keep),
            )
