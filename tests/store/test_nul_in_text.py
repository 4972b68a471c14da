"""An article holding U+0000: SQLite's length() and substr() stop at a NUL, so the store
measures and cuts such text in Python. Spans after the NUL are inside the article."""

import json

import pytest

from annotator.core.errors import EditRefused
from annotator.core.model import SUGGESTED, Span
from annotator.formats.importer import import_paths
from tests.conftest import on_disk

TEXT = "Before \x00 the strike in Basra\x00 killed a commander."


@pytest.fixture
def article(store, tmp_path):
    source = tmp_path / "nul.jsonl"
    source.write_text(json.dumps({"id": "n1", "text": TEXT}) + "\n", encoding="utf-8")
    assert import_paths(store, [source]).articles == 1
    [(article_id, text)] = on_disk(store, "SELECT id, text FROM articles")
    assert text == TEXT
    return article_id


def test_spans_after_a_nul_are_inside_the_article_and_the_end_is_still_checked(store, article):
    basra = TEXT.index("Basra")
    store.insert_span(Span(None, article, basra, basra + 5, "GPE"))
    store.insert_span(Span(None, article, len(TEXT) - 10, len(TEXT), "PERSON"))
    assert [TEXT[s:e] for s, e in on_disk(store, "SELECT start, end FROM spans ORDER BY id")] == [
        "Basra", "commander."]
    with pytest.raises(EditRefused, match=f"outside article {article} \\(0-{len(TEXT)}\\)"):
        store.insert_span(Span(None, article, len(TEXT) - 2, len(TEXT) + 1, "GPE"))


def test_the_review_queue_shows_a_suggestion_after_or_over_a_nul(store, article):
    for word in ("Basra\x00 killed", "commander"):
        start = TEXT.index(word)
        store.insert_span(Span(None, article, start, start + len(word), "GPE",
                               origin="suggest:test", state=SUGGESTED, score=0.9))
    assert [row[2] for row in store.queue_rows()] == ["Basra\x00 killed", "commander"]
