"""An article's spans read in one go (issue 13: open a long article within 100 ms) are the
same records as those read one at a time: equal, hashing alike, and usable as any Span."""

from dataclasses import FrozenInstanceError, replace

import pytest

from annotator.core.model import SUGGESTED, Span
from annotator.store.rows import SPAN_COLUMNS, span_from_row, spans_from_rows


def test_spans_read_together_are_the_spans_read_one_by_one(store):
    with store.write():
        article_id = store.insert_article_row(
            "Baghdad and Basra.", title="t", ext_id="t", digest="t", meta={}, source="test"
        )
    store.insert_span(Span(None, article_id, 0, 7, "GPE", annotator="ana"))
    store.insert_span(Span(None, article_id, 12, 17, "GPE", state=SUGGESTED, score=0.5))
    rows = store.conn.execute(f"SELECT {SPAN_COLUMNS} FROM spans ORDER BY id").fetchall()
    together = spans_from_rows(rows)
    alone = [span_from_row(row) for row in rows]
    assert together == alone and [hash(s) for s in together] == [hash(s) for s in alone]
    assert {together[0]: 1}[alone[0]] == 1
    assert together[1].score == 0.5 and together[0].annotator == "ana"
    assert replace(together[0], label="LOC").label == "LOC"
    with pytest.raises(FrozenInstanceError):
        together[0].label = "LOC"  # type: ignore[misc]
    assert store.spans(article_id, states=("accepted", SUGGESTED)) == alone


def test_a_row_of_other_columns_is_refused():
    with pytest.raises(ValueError):
        spans_from_rows([(1, 2, 3)])
