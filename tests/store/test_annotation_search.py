"""The corpus search finds notes and knowledge-base ids (annotation_search, migration
0013): kept in step with edits, undos and deletes by triggers, built on upgrade from the
meta an older project holds."""

import json
from pathlib import Path

from annotator.core.model import ArticleFilter
from annotator.core.session import Session
from annotator.formats.importer import import_paths
from annotator.store import migrations, open_project

ROOT = Path(__file__).resolve().parents[2]


def found(store, typed):
    flt = ArticleFilter.from_search(None, typed)
    return store.count_articles(flt), store.first_article_id(flt)


def two_articles(store, tmp_path):
    (tmp_path / "a.txt").write_text("Kataib Hezbollah claimed the attack.\n")
    (tmp_path / "b.txt").write_text("Protesters gathered in Basra.\n")
    import_paths(store, [tmp_path / "a.txt", tmp_path / "b.txt"])
    session = Session(store)
    session.open_article(store.first_article_id())
    return session


def test_notes_and_kb_ids_are_found_and_forgotten_with_their_annotation(store, tmp_path):
    session = two_articles(store, tmp_path)
    first = session.article.id
    span = session.apply(session.plan_add_span(0, 16, "ORG")).span
    assert found(store, "militia") == (0, None)
    with store.write():
        store.set_annotation_meta("spans", span.id, {
            "notes": ["Iran-backed militia"],
            "normalizations": [{"type": "Reference", "ref": "Q1530", "text": ""}]})
    assert found(store, "Iran-backed militia") == (1, first)
    assert found(store, "Q1530") == (1, first)
    assert found(store, "q153") == (1, first)  # the last word as a prefix, as for text
    # Other words of the article's text still find it; the note's words only this one.
    assert found(store, "Basra")[0] == 1
    store.set_annotation_meta("spans", span.id, {"notes": ["a different thought"]})
    assert found(store, "militia") == (0, None) and found(store, "thought") == (1, first)
    session.apply(session.plan_remove(session.span_by_id(span.id)))
    assert found(store, "thought") == (0, None)


def test_an_events_note_is_found_until_the_event_goes(store, tmp_path):
    session = two_articles(store, tmp_path)
    start = session.article.text.index("attack")
    event = session.apply(
        session.plan_add_event("Conflict.Attack", selection=(start, start + 6))).event
    store.set_annotation_meta("events", event.id, {"notes": ["claimed online"]})
    assert found(store, "claimed online")[0] == 1
    rows = store.conn.execute("SELECT rowid FROM annotation_search").fetchall()
    assert rows == [(-event.id,)]  # events by minus their id: spans keep theirs
    session.apply(session.plan_remove(session.span_by_id(event.trigger_id)))
    assert found(store, "online") == (0, None)


def test_importing_brat_notes_indexes_them(store):
    intro = ROOT / "tests" / "data" / "brat" / "news-tutorial" / "000-introduction.txt"
    import_paths(store, [intro])
    # 000-introduction's #1 note on the money span: "100000000 USD".
    assert found(store, "100000000")[0] == 1


def test_an_older_project_gets_its_notes_indexed_on_upgrade(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    # The steps before 0013 (a later one would run twice).
    names = [name for name, _ in migrations.MIGRATIONS]
    before = migrations.MIGRATIONS[: names.index("0013_annotation_search")]
    with monkeypatch.context() as old_version:
        old_version.setattr(migrations, "MIGRATIONS", before)
        old_version.setattr(migrations, "SCHEMA_VERSION", len(before))
        store = open_project(path)
        session = two_articles(store, tmp_path)
        span = session.apply(session.plan_add_span(0, 16, "ORG")).span
        with store.write():
            store.conn.execute("UPDATE spans SET meta = ? WHERE id = ?",
                               (json.dumps({"notes": ["seen in 2019"]}), span.id))
        store.close()
    store = open_project(path)
    assert found(store, "2019") == (1, span.article_id)
    store.close()
