"""The project file: WAL mode, survives reopening, refuses what it can't read, and never
changes a file it refuses."""

import sqlite3

import pytest

from annotator.core.errors import ProjectError
from annotator.core.model import Span
from annotator.core.schema import Schema
from annotator.store import migrations, open_project


def add_article(store, text="Kataib Hezbollah commander killed in Baghdad.", title="T"):
    with store.write():
        article_id = store.insert_article_row(text, title=title, ext_id=None,
                                              digest=str(hash(text)), meta={}, source="test")
    return article_id


def fingerprint(path):
    return path.read_bytes(), sorted(p.name for p in path.parent.iterdir())


def test_a_new_project_is_in_wal_mode_and_stamped_as_ours(tmp_path):
    store = open_project(tmp_path / "p.db")
    store.close()
    conn = sqlite3.connect(tmp_path / "p.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
    assert conn.execute("PRAGMA application_id").fetchone()[0] == migrations.APPLICATION_ID
    applied = [row[0] for row in conn.execute("SELECT name FROM migrations ORDER BY version")]
    assert applied == [name for name, _ in migrations.MIGRATIONS]


def test_an_edit_is_committed_before_the_call_returns(tmp_path):
    store = open_project(tmp_path / "p.db")
    article_id = add_article(store)
    store.insert_span(Span(None, article_id, 0, 6, "ORG"))
    # Another connection (another process) sees it: no Save needed.
    other = sqlite3.connect(tmp_path / "p.db")
    assert other.execute("SELECT label FROM spans").fetchall() == [("ORG",)]
    assert other.execute("SELECT n_spans FROM articles").fetchall() == [(1,)]
    store.close()


def test_reopening_keeps_articles_spans_and_the_schema_the_project_was_created_with(tmp_path):
    schema = Schema.from_dict({"name": "Mine", "entities": [
        {"label": "ARMED_GROUP", "color": "#ff0000", "key": "a"}]})
    store = open_project(tmp_path / "p.db", schema)
    article_id = add_article(store)
    store.insert_span(Span(None, article_id, 0, 16, "ARMED_GROUP"))
    store.set_status(article_id, "done")
    store.close()
    # Reopened with no schema (or another one), the project keeps its own.
    store = open_project(tmp_path / "p.db", Schema(name="Other"))
    assert store.schema == schema
    assert store.article(article_id).status == "done"
    assert [(s.start, s.end, s.label) for s in store.spans(article_id)] == [(0, 16, "ARMED_GROUP")]
    store.close()


def test_a_project_from_a_newer_annotator_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "newer.db"
    open_project(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = fingerprint(path)
    with pytest.raises(ProjectError) as error:
        open_project(path)
    message = str(error.value)
    assert str(path) in message and "newer annotator" in message and "upgrade" in message
    assert fingerprint(path) == before


def test_a_file_that_is_not_sqlite_is_refused_with_its_name_and_left_alone(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"These are my notes, not a database.\n" * 200)
    before = fingerprint(path)
    with pytest.raises(ProjectError) as error:
        open_project(path)
    assert str(path) in str(error.value) and "not an annotator project" in str(error.value)
    assert fingerprint(path) == before


def test_another_programs_sqlite_database_is_refused_and_not_switched_to_wal(tmp_path):
    path = tmp_path / "browser-history.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE visits (url TEXT, at REAL)")
    conn.execute("INSERT INTO visits VALUES ('https://example.org', 1.0)")
    conn.commit()
    conn.close()
    before = fingerprint(path)
    with pytest.raises(ProjectError) as error:
        open_project(path)
    assert str(path) in str(error.value) and "not an annotator project" in str(error.value)
    assert fingerprint(path) == before
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0


def test_a_project_in_a_missing_folder_is_refused(tmp_path):
    path = tmp_path / "no" / "such" / "p.db"
    with pytest.raises(ProjectError, match="does not exist"):
        open_project(path)
    assert not (tmp_path / "no").exists()


def test_an_empty_file_becomes_a_new_project(tmp_path):
    path = tmp_path / "touched.db"
    path.touch()
    store = open_project(path)
    assert store.count_articles() == 0
    store.close()


def test_a_project_written_before_the_latest_migration_opens_and_is_upgraded(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    with monkeypatch.context() as old_version:
        old_version.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:1])
        old_version.setattr(migrations, "SCHEMA_VERSION", 1)
        store = open_project(path)
        # Written as the app of that version wrote it: articles had no n_events yet.
        article_id = store.conn.execute(
            "INSERT INTO articles (text, text_hash, title, status, n_spans, meta) "
            "VALUES ('Kataib Hezbollah', 'x', 'T', 'new', 0, '{}')").lastrowid
        store.conn.execute("INSERT INTO spans (article_id, start, end, label) VALUES (?, 0, 6, 'ORG')",
                           (article_id,))
        store.conn.commit()
        store.close()
    store = open_project(path)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
    assert [(s.start, s.end, s.label) for s in store.spans(article_id)] == [(0, 6, "ORG")]
    assert store.events(article_id) == []  # tables of later steps exist and are empty
    store.close()
