"""Migration 0011: arguments say which merged input they came from. A project merged with
format 10 opens; the arguments its merges wrote are marked as that input's, one another
person added in the project is not (so merging the input again keeps it)."""

import sqlite3

from annotator.core.model import TRIGGER, Argument, Event, Span
from annotator.store import migrations, open_project

TEXT = "Militants attacked a convoy near Mosul on Monday."


def at(w: str) -> tuple[int, int]:
    return TEXT.index(w), TEXT.index(w) + len(w)


def test_a_format_10_merged_project_marks_the_arguments_its_merge_wrote(tmp_path, monkeypatch):
    path = tmp_path / "merged-v10.db"
    with monkeypatch.context() as old:
        old.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:10])
        old.setattr(migrations, "SCHEMA_VERSION", 10)
        store = open_project(path)
        first = store.insert_article_row(TEXT, title="t", ext_id="a1", digest=TEXT, meta={},
                                         source="t")  # fmt: skip
        store.annotator = "alice"
        militants = store.insert_span(Span(None, first, *at("Militants"), "ORG"))
        mosul = store.insert_span(Span(None, first, *at("Mosul"), "GPE"))
        trigger = store.insert_span(Span(None, first, *at("attacked"), "Conflict.Attack", kind=TRIGGER))
        event = store.insert_event(
            Event(None, first, "Conflict.Attack", trigger.id, (Argument(None, None, "Attacker", militants.id),))
        )  # fmt: skip
        store.annotator = "carol"  # carol, adjudicating in the merged project
        store.insert_argument(Argument(None, event.id, "Place", mosul.id))
        with store.write():  # what format 10's merge of alice.db recorded
            store.conn.execute(
                "INSERT INTO merge_sources (id, path, state, annotators) "
                "VALUES (1, '/x/alice.db', 'merged', '[\"alice\"]')"
            )
            for table in ("spans", "events"):
                store.conn.execute(f"UPDATE {table} SET merge_source = 1")
        store.close()
    store = open_project(path)
    store.close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
        assert conn.execute(
            "SELECT role, annotator, merge_source FROM event_arguments ORDER BY id"
        ).fetchall() == [("Attacker", "alice", 1), ("Place", "carol", None)]
    finally:
        conn.close()
