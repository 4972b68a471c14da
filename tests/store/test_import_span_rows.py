"""The rows an import's batch writes for spans (store/imports.py): every value where it
belongs, in the order given, whatever the batch's size; a span without a score stays NULL
and a score stays the number it was; open suggestions are nobody's."""

import random

from annotator.store.imports import NewArticle
from tests.conftest import on_disk


def _article(n: int, spans: list[tuple]) -> NewArticle:
    text = "Kyiv " * 400
    return NewArticle(f"a{n}", f"hash{n}", f"t{n}", text, "{}", "new", spans, [])


def test_scores_none_and_numbers_land_as_they_were(store):
    spans = [
        (0, 4, "GPE", "entity", "accepted", None, "{}"),
        (5, 9, "GPE", "entity", "suggested", 0.25, "{}"),
        (10, 14, "GPE", "entity", "suggested", 1, "{}"),
        (15, 19, "GPE", "entity", "accepted", 0.0, '{"notes": ["checked"]}'),
        (20, 24, "GPE", "entity", "rejected", None, "{}"),
    ]
    store.annotator = "ana"
    with store.write():
        store.insert_new_articles([_article(1, spans)], source="f", origin="import:f")
    assert on_disk(
        store,
        "SELECT start, state, score, typeof(score), annotator, origin, meta FROM spans ORDER BY id",
    ) == [
        (0, "accepted", None, "null", "ana", "import:f", "{}"),
        (5, "suggested", 0.25, "real", None, "import:f", "{}"),
        (10, "suggested", 1.0, "real", None, "import:f", "{}"),
        (15, "accepted", 0.0, "real", "ana", "import:f", '{"notes": ["checked"]}'),
        (20, "rejected", None, "null", "ana", "import:f", "{}"),
    ]
    # The note is found by the corpus search, as a span added by hand would be.
    assert on_disk(store, "SELECT words FROM annotation_search") == [("checked",)]


def test_a_large_batch_keeps_every_span_with_its_article_in_order(store):
    rng = random.Random(5)
    articles, expected = [], []
    for n in range(7):  # 0 to 1,500 spans an article: statements of every power of two
        spans = []
        for _ in range(rng.choice([0, 1, 3, 700, 1500])):
            start = rng.randrange(1990)
            span = (start, start + 4, rng.choice(["GPE", "ORG", "PERSON"]), "entity",
                    rng.choice(["accepted", "suggested"]), rng.choice([None, rng.random()]), "{}")
            spans.append(span)
        articles.append(_article(n, spans))
    with store.write():
        ids = store.insert_new_articles(articles, source="f", origin="import:f")
    for article_id, article in zip(ids, articles, strict=True):
        expected += [(article_id, *span[:6]) for span in article.spans]
    assert on_disk(
        store, "SELECT article_id, start, end, label, kind, state, score FROM spans ORDER BY id"
    ) == expected
    assert on_disk(store, "SELECT id, n_spans FROM articles ORDER BY id") == [
        (article_id, sum(1 for s in article.spans if s[4] == "accepted"))
        for article_id, article in zip(ids, articles, strict=True)
    ]
