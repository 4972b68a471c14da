"""The exports' chunk reader (issue 16): a chunk of articles in one query per table gives each
article exactly what the per-article reads give, whichever layer is read."""

import pytest

from annotator.core.layers import UNNAMED
from annotator.core.model import REJECTED, TRIGGER, Argument, Event, Span
from annotator.formats.export_common import answered_reject

TEXT = "Militants attacked a convoy near Mosul on Monday, officials in Baghdad said."


def at(word: str) -> tuple[int, int]:
    return TEXT.index(word), TEXT.index(word) + len(word)


def annotate(store, article_id: int, n: int) -> None:
    """Spans of two people and of nobody (stored before names were kept), an event filled by
    a span and by another event, a relation, attributes, a span answered reject in an import,
    a rejected suggestion, and a pending one."""
    store.annotator = "alice"
    militants = store.insert_span(Span(None, article_id, *at("Militants"), "ORG"))
    attack = store.insert_span(Span(None, article_id, *at("attacked"), "Conflict.Attack",
                                    kind=TRIGGER))
    said = store.insert_span(Span(None, article_id, *at("said"), "Contact.Statement",
                                  kind=TRIGGER))
    event = store.insert_event(
        Event(None, article_id, "Conflict.Attack", attack.id,
              (Argument(None, None, "Attacker", militants.id),)),
        meta={"attributes": {"Realis": "actual"}} if n % 2 else None,
    )
    store.insert_event(Event(None, article_id, "Contact.Statement", said.id,
                             (Argument(None, None, "Content", arg_event_id=event.id),)))
    store.annotator = "bob"
    mosul = store.insert_span(Span(None, article_id, *at("Mosul"), "GPE"))
    store.insert_argument(Argument(None, event.id, "Place", mosul.id))  # bob's, in alice's event
    baghdad = store.insert_span(Span(None, article_id, *at("Baghdad"), "GPE"))
    store.insert_event(Event(None, article_id, "Located", None,
                             (Argument(None, None, "Arg1", mosul.id),
                              Argument(None, None, "Arg2", baghdad.id)), relation=True))
    store.set_annotation_meta("spans", mosul.id, {"notes": [f"checked {n}"]})
    store.annotator = None
    store.insert_span(Span(None, article_id, *at("Monday"), "DATE"))
    store.insert_span(Span(None, article_id, *at("convoy"), "VEHICLE", state=REJECTED))
    with store.write():
        store.replace_suggestions("suggest:m", [article_id],
                                  [(article_id, *at("officials"), "PERSON", 0.8),
                                   (article_id, *at("Baghdad"), "LOC", 0.4)])
    suggestions = store.spans(article_id, ("suggested",))
    store.annotator = "alice"
    store.decide(suggestions[0].id, REJECTED, "rejected")


def per_article(store, article_id: int) -> tuple:
    spans = store.spans(article_id)
    span_meta, event_meta = store.annotation_meta(article_id)
    rejected = answered_reject(store, article_id)
    events = store.events(article_id)
    # The per-article reads give every meta of the article; an export looks up only its own
    # spans' and events'.
    wanted = {span.id for span in spans + rejected}
    return (store.article(article_id), spans, rejected, events,
            {k: v for k, v in span_meta.items() if k in wanted},
            {k: v for k, v in event_meta.items() if k in {e.id for e in events}})


@pytest.mark.parametrize("layer", [None, "alice", "bob", UNNAMED])
def test_a_chunk_reads_what_each_article_reads(store, layer):
    ids = []
    for n in range(5):
        article_id = store.insert_article_row(f"{TEXT} ({n})", title=f"t{n}", ext_id=f"a{n}",
                                              digest=str(n), meta={"n": n}, source="t")
        ids.append(article_id)
        if n != 3:  # one article without annotations: a negative example
            annotate(store, article_id, n)
    store.read_layer = layer
    chunk = store.exported_articles(ids[::-1])  # in the order asked
    assert [item.article.id for item in chunk] == ids[::-1]
    assert [tuple(item) for item in chunk] == [per_article(store, i) for i in ids[::-1]]
    spans = sum(len(item.spans) for item in chunk)
    assert spans == {None: 24, "alice": 12, "bob": 8, UNNAMED: 4}[layer]
    assert sum(len(item.rejected) for item in chunk) == (4 if layer in (None, UNNAMED) else 0)
    assert any(item.span_meta for item in chunk) == (layer in (None, "bob"))
    assert any(item.event_meta for item in chunk) == (layer in (None, "alice"))


def test_a_chunk_leaves_out_an_article_that_is_not_there_any_more(store):
    # Deleted by another connection after the export chose it: the export says so (its
    # report's deleted ids), rather than failing for it.
    first = store.insert_article_row(TEXT, title="t", ext_id="a", digest="a", meta={},
                                     source="t")
    assert store.exported_articles([]) == []
    chunk = store.exported_articles([first + 1, first, first + 2])
    assert [item.article.id for item in chunk] == [first]
