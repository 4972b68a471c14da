"""An import indexes its articles for search in passes of its own (migration 0014), not row by
row: search finds every article as soon as the import returns, and a cancelled or failed
import leaves the full-text index exactly as the articles are (SQLite's own integrity check
of an external-content FTS5 index compares it with the table, word by word)."""

import json
import sqlite3

import pytest

import annotator.formats.record_writer as record_writer
from annotator.core.model import ArticleFilter
from annotator.formats.importer import import_paths
from annotator.formats.records import Cancelled
from tests.conftest import on_disk


def corpus(path, n, word, start=0):
    """n articles, each with its own word (`word`<i>) and the shared `word`."""
    lines = [
        json.dumps({"id": f"{word}{i}", "text": f"The {word} report {word}{i} from Basra.",
                    "spans": [{"start": 4, "end": 4 + len(word), "label": "ORG"}]})
        for i in range(start, start + n)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def index_is_whole(store) -> None:
    """FTS5's integrity-check with rank 1 compares the index with the articles' text."""
    conn = sqlite3.connect(store.path)
    try:
        conn.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
    finally:
        conn.close()


@pytest.fixture
def small_passes(monkeypatch):
    """Passes of a few articles, so that one import makes many of them."""
    monkeypatch.setattr(record_writer, "FIRST_CHARS", 200)
    monkeypatch.setattr(record_writer, "INDEX_CHARS_MAX", 400)


def test_search_finds_every_article_as_soon_as_the_import_returns(store, tmp_path, small_passes):
    import_paths(store, [corpus(tmp_path / "a.jsonl", 300, "drone")])
    assert store.count_articles(ArticleFilter(query="drone")) == 300
    assert store.count_articles(ArticleFilter(query="drone0")) == 1
    assert store.count_articles(ArticleFilter(query="drone299")) == 1
    # Indexed by passes (the run's mark reached its last article), not by the trigger.
    assert on_disk(store, "SELECT fts_upto FROM import_runs") == [(300,)]
    index_is_whole(store)


def test_a_cancelled_import_leaves_the_index_as_the_articles_are(store, tmp_path, small_passes):
    import_paths(store, [corpus(tmp_path / "kept.jsonl", 20, "kept")])
    asked = []

    def progress(done, total):
        asked.append(done)
        return done < 1000  # cancel after some batches and passes went in

    with pytest.raises(Cancelled):
        import_paths(store, [corpus(tmp_path / "gone.jsonl", 1500, "gone")], progress=progress)
    assert asked  # it ran for a while
    assert on_disk(store, "SELECT count(*) FROM articles") == [(20,)]
    assert store.count_articles(ArticleFilter(query="gone")) == 0
    assert store.count_articles(ArticleFilter(query="kept")) == 20
    index_is_whole(store)
    # An article edited afterwards is found by its new words only.
    first = store.first_article_id()
    with store.write():
        store.conn.execute("UPDATE articles SET title = 'Mosul', text = 'Militia seen in Mosul.' "
                           "WHERE id = ?",
                           (first,))
    assert store.count_articles(ArticleFilter(query="Mosul")) == 1
    assert store.count_articles(ArticleFilter(query="kept")) == 19
    index_is_whole(store)


def test_a_run_removed_half_indexed_leaves_the_index_whole(store, tmp_path):
    """What a killed import leaves: a run whose first articles a pass indexed and whose last
    ones no pass reached; its removal takes out exactly the indexed ones."""
    import_paths(store, [corpus(tmp_path / "kept.jsonl", 5, "kept")])
    from annotator.store.imports import NewArticle

    run = store.start_import_run("killed.jsonl")

    def batch(words):
        articles = [NewArticle(None, w, w, f"The {w} story.", "{}", "new", [], []) for w in words]
        with store.staging_write():
            return store.insert_new_articles(articles, source="k", origin="k", run_id=run)

    indexed = batch(["alpha", "bravo"])
    with store.staging_write():
        store.index_run_articles(run, indexed[-1])
    batch(["charlie"])  # no pass reached it
    assert on_disk(store, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'story'") \
        == [(2,)]  # fmt: skip
    store.discard_import_run(run)
    assert on_disk(store, "SELECT count(*) FROM articles") == [(5,)]
    assert on_disk(store, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'story'") \
        == [(0,)]  # fmt: skip
    index_is_whole(store)


def test_a_file_added_by_hand_is_still_indexed_by_the_trigger(store, tmp_path):
    """Articles outside an import (a merge, a test's insert_article_row) keep the trigger."""
    store.insert_article_row("Floods hit Dhaka.", title="t", ext_id=None, digest="d", meta={},
                             source="t")  # fmt: skip
    assert store.count_articles(ArticleFilter(query="Dhaka")) == 1
    index_is_whole(store)
