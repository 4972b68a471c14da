"""The article list's queries: keyset pages, status filters, full-text search, neighbours,
and the checks that keep bad spans out of the file."""

import json
import re

import pytest

from annotator.core.errors import EditRefused
from annotator.core.model import SUGGESTED, Span
from annotator.formats.importer import import_paths
from annotator.store import open_project
from annotator.core.model import ArticleFilter
from annotator.store.articles import fts_query

PLACES = ["Baghdad", "Geneva", "Kabul", "Nairobi", "Lima"]


@pytest.fixture
def store(store, tmp_path):
    """The shared empty project with 25 articles: ids 1-25, the place cycling through
    PLACES; some done, some skipped."""
    lines = [
        json.dumps(
            {
                "id": f"a{n}",
                "title": f"Report {n} from {PLACES[n % 5]}",
                "text": f"Report {n}. Militia commanders met in {PLACES[n % 5]} "
                f"{'after the drone strike' if n % 2 else 'for talks'}.",
            }
        )
        for n in range(1, 26)
    ]
    (tmp_path / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert import_paths(store, [tmp_path / "corpus.jsonl"]).articles == 25
    for n in (3, 6, 9, 12):
        store.set_status(n, "done")
    store.set_status(20, "skipped")
    return store


def all_pages(store, flt=None, limit=7):
    pages, after = [], 0
    while True:
        page = store.article_rows(flt, after_id=after, limit=limit)
        if not page:
            return pages
        pages.append(page)
        after = page[-1].id


def ids(pages):
    return [row.id for page in pages for row in page]


def test_keyset_pages_cover_every_article_once_in_order(store):
    pages = all_pages(store, limit=7)
    assert [len(p) for p in pages] == [7, 7, 7, 4]
    assert ids(pages) == list(range(1, 26))
    row = pages[0][1]
    assert (row.id, row.title, row.status, row.n_spans) == (2, "Report 2 from Kabul", "new", 0)


def test_a_status_filter_pages_the_same_way(store):
    done = ArticleFilter(status="done")
    assert ids(all_pages(store, done, limit=3)) == [3, 6, 9, 12]
    assert store.count_articles(done) == 4
    assert store.status_counts() == {"new": 20, "in_progress": 0, "done": 4, "skipped": 1}


def test_full_text_search_matches_words_and_a_prefix_of_the_last_one(store):
    geneva = [n for n in range(1, 26) if PLACES[n % 5] == "Geneva"]
    assert ids(all_pages(store, ArticleFilter(query="Geneva"))) == geneva
    assert ids(all_pages(store, ArticleFilter(query="genev"))) == geneva  # typing as you go
    assert ids(all_pages(store, ArticleFilter(query="drone Genev"))) == [n for n in geneva if n % 2]
    assert ids(all_pages(store, ArticleFilter(query="Geneva Kabul"))) == []  # every word must match
    assert store.count_articles(ArticleFilter(query="nothing-like-this")) == 0


def test_search_and_status_combine(store):
    flt = ArticleFilter(status="done", query="Kabul")  # 3, 6, 9, 12 are done; Kabul: n % 5 == 2
    assert ids(all_pages(store, flt)) == [12]


@pytest.mark.parametrize(
    "typed", ['"', "AND", "NEAR(", "a*", "-Geneva", "title:x", "(", "' OR 1=1 --"]
)
def test_search_syntax_typed_into_the_box_is_harmless(store, typed):
    store.article_rows(ArticleFilter(query=typed))  # no FTS5 syntax error reaches the person
    store.count_articles(ArticleFilter(query=typed))


def test_the_fts_query_quotes_every_word_and_makes_the_last_a_prefix():
    assert fts_query("drone  Bagh") == '"drone" "Bagh"*'
    assert fts_query("  ,;  ") == ""


def test_neighbours_first_and_position(store):
    assert store.first_article_id() == 1
    assert store.neighbour(1, +1) == 2 and store.neighbour(2, -1) == 1
    assert store.neighbour(25, +1) is None and store.neighbour(1, -1) is None
    done = ArticleFilter(status="done")
    assert store.first_article_id(done) == 3
    assert store.neighbour(3, +1, done) == 6 and store.neighbour(12, +1, done) is None
    assert store.neighbour(7, -1, done) == 6  # from an article outside the filter
    assert store.position(1) == 1 and store.position(25) == 25


def test_list_queries_search_an_index_and_never_scan_the_corpus(store):
    statements = []
    store.conn.set_trace_callback(statements.append)
    store.article_rows(ArticleFilter(status="done"), after_id=3, limit=50)
    store.article_rows(None, after_id=10, limit=50)
    store.article_rows(ArticleFilter(query="Genev"), after_id=10, limit=50)
    store.neighbour(3, +1, ArticleFilter(status="done"))
    store.neighbour(3, -1, ArticleFilter(status="done"))
    store.position(20)
    store.conn.set_trace_callback(None)
    # FTS5 reads its own config table the first time a connection uses the index: SQLite's
    # statement, not one of ours.
    selects = [s for s in statements if s.startswith("SELECT") and not s.endswith("_config'")]
    assert len(selects) == 6
    for sql in selects:
        assert "OFFSET" not in sql.upper()
        plan = [row[3] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
        assert not [step for step in plan if re.match(r"SCAN articles( |$)", step)], (sql, plan)


def test_spans_outside_the_text_are_refused_and_nothing_is_written(store):
    length = len(store.article(1).text)
    for start, end in [(-1, 3), (0, length + 1), (5, 5), (7, 3)]:
        with pytest.raises(EditRefused, match="outside article 1"):
            store.insert_span(Span(None, 1, start, end, "ORG"))
    assert store.spans(1) == [] and store.article_row(1).n_spans == 0
    store.insert_span(Span(None, 1, 0, length, "ORG"))  # the whole text is fine


def test_unknown_labels_are_refused_on_insert_and_relabel(store):
    with pytest.raises(EditRefused, match="not in the project's schema"):
        store.insert_span(Span(None, 1, 0, 6, "MILITIA"))
    span = store.insert_span(Span(None, 1, 0, 6, "ORG"))
    with pytest.raises(EditRefused, match="not in the project's schema"):
        store.relabel_span(span.id, "MILITIA")
    assert store.span(span.id).label == "ORG"


def test_a_span_on_a_missing_article_is_refused(store):
    with pytest.raises(EditRefused, match="does not exist"):
        store.insert_span(Span(None, 999, 0, 1, "ORG"))


def test_the_list_counts_accepted_spans_only(store):
    a = store.insert_span(Span(None, 4, 0, 6, "ORG"))
    store.insert_span(Span(None, 4, 7, 8, "CARDINAL", origin="en_core_web_sm", state=SUGGESTED))
    assert store.article_row(4).n_spans == 1
    store.delete_span(a.id)
    assert store.article_row(4).n_spans == 0
    with pytest.raises(EditRefused):
        store.delete_span(a.id)


def test_search_follows_text_changes_but_counters_do_not_reindex(tmp_path):
    from annotator.store import open_project

    store = open_project(tmp_path / "p.db")
    store.conn.execute(
        "INSERT INTO articles (text, text_hash, title, status, n_spans) "
        "VALUES ('Drones over Basra', 'h1', 'Basra', 'new', 0)"
    )
    store.conn.commit()
    trigger = store.conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'articles_au'"
    ).fetchone()[0]
    assert 'UPDATE OF "title", "text"' in trigger
    store.conn.execute("UPDATE articles SET text = 'Rockets over Mosul' WHERE id = 1")
    store.conn.execute("UPDATE articles SET n_spans = 3, status = 'done' WHERE id = 1")
    store.conn.commit()
    from annotator.core.model import ArticleFilter

    assert [r.id for r in store.article_rows(ArticleFilter(query="mosul"))] == [1]
    assert store.article_rows(ArticleFilter(query="basra drones")) == []
    store.close()
