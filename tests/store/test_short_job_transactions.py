"""A corpus-wide suggestion run writes its batches in short transactions of whole articles:
a page of long articles with thousands of suggestions never holds the write lock for long,
and a failure leaves each article with all of its new suggestions or none."""

import pytest

from annotator.store import jobs
from annotator.store.articles import text_hash
from tests.conftest import on_disk

ORIGIN = "suggest:model"


def articles(store, n):
    ids = []
    for i in range(n):
        text = f"Article {i}. " + "Kataib Hezbollah struck again. " * 10
        ids.append(store.insert_article_row(text, title=f"a{i}", ext_id=None,
                                            digest=text_hash(text), meta={}, source="test"))
    return ids


def suggestions(ids, per_article):
    return [(article_id, start, start + 6, "ORG", 0.5)
            for article_id in ids for start in range(0, per_article * 7, 7)]


def transactions(store, run):
    statements = []
    store.conn.set_trace_callback(statements.append)
    try:
        result = run()
    finally:
        store.conn.set_trace_callback(None)
    return result, statements.count("BEGIN IMMEDIATE")


@pytest.mark.parametrize("per_article, expected", [(25, 5), (4, 3)])
def test_a_suggestion_batch_is_split_into_transactions_of_whole_articles(
        store, monkeypatch, per_article, expected):
    monkeypatch.setattr(jobs, "ROWS_PER_TRANSACTION", 10)
    ids = articles(store, 5)

    added, begins = transactions(
        store, lambda: store.write_suggestion_batch(ORIGIN, ids, suggestions(ids, per_article)))

    # 25 a piece: one article a transaction, never cut; 4 a piece: two articles a transaction.
    assert begins == expected
    assert added == {"ORG": 5 * per_article}
    per = dict(on_disk(store, "SELECT article_id, count(*) FROM spans WHERE state = 'suggested' "
                              "GROUP BY article_id"))
    assert per == dict.fromkeys(ids, per_article)


def test_a_failure_mid_batch_leaves_whole_articles_done_or_untouched(store, monkeypatch):
    monkeypatch.setattr(jobs, "ROWS_PER_TRANSACTION", 10)
    ids = articles(store, 4)
    store.write_suggestion_batch(ORIGIN, ids, suggestions(ids, 3))  # an earlier run's
    real = type(store).replace_suggestions
    calls = []

    def failing_second(self, origin, article_ids, rows):
        calls.append(article_ids)
        if len(calls) == 2:
            real(self, origin, article_ids, rows)  # written, then the disk fails
            raise OSError("disk full")
        return real(self, origin, article_ids, rows)

    monkeypatch.setattr(type(store), "replace_suggestions", failing_second)
    with pytest.raises(OSError):
        store.write_suggestion_batch(ORIGIN, ids, suggestions(ids, 8))

    per = dict(on_disk(store, "SELECT article_id, count(*) FROM spans WHERE state = 'suggested' "
                              "GROUP BY article_id"))
    first = calls[0]
    assert per == {i: (8 if i in first else 3) for i in ids}  # the new run's or the old one's
