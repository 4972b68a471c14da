"""Exporting the gold layer: an article adjudicated to "nothing here" is a negative example
and goes out; the report says which annotated articles were left out for holding no gold,
and how many conflicts the exported articles still have open."""

import json

from annotator.core.adjudication.edit import plan_resolution
from annotator.core.agreement import LayerSpan, LayerUnits
from annotator.core.session import Session
from annotator.formats.importer import import_paths
from annotator.formats.jsonl.writer import export_jsonl
from tests.agreement_helpers import ROOT, two_layers


def corpus(store):
    """Article 1: ann and bob (5 conflicts); 2: ann only; 3: ann ORG / bob GPE on one word."""
    two_layers(store)
    seeds = [p for p in sorted((ROOT / "seeds").glob("demo-*.txt"))][:2]
    import_paths(store, seeds)
    store.write_layers([(2, "ann", LayerUnits((LayerSpan(0, 5, "ORG"),)))])
    store.write_layers([(3, "ann", LayerUnits((LayerSpan(0, 5, "ORG"),))),
                        (3, "bob", LayerUnits((LayerSpan(0, 5, "GPE"),)))])  # fmt: skip
    store.fill_gold()


def test_an_article_adjudicated_to_no_entities_goes_out_as_a_negative_example(store, tmp_path):
    """Article 3's only conflict decided "neither": adjudicated, its gold is "nothing here"
    (a negative example), and the gold export takes it though it holds no gold row."""
    corpus(store)
    session = Session(store)
    session.open_article(3)
    found, _ = store.article_adjudication(3)
    [conflict] = found.conflicts
    session.apply(plan_resolution(3, conflict, "neither", 1))
    assert store.adjudication_progress([3]) == {3: (1, 0)}  # fully adjudicated
    store.read_layer = store.export_layer(None, False, "p")
    report = export_jsonl(store, tmp_path / "gold.jsonl")
    ids = [json.loads(line)["meta"].get("article_id") for line in open(tmp_path / "gold.jsonl")]
    texts = [json.loads(line)["text"] for line in open(tmp_path / "gold.jsonl")]
    assert any(store.article(3).text == t for t in texts), (ids, report.summary())
    line = next(json.loads(x) for x in open(tmp_path / "gold.jsonl") if json.loads(x)["text"]
                == store.article(3).text)  # fmt: skip
    assert line["spans"] == []


def test_the_gold_export_report_counts_what_it_left_out_and_the_open_conflicts(store, tmp_path):
    corpus(store)
    store.read_layer = store.export_layer(None, False, "p")
    summary = export_jsonl(store, tmp_path / "gold.jsonl").summary()
    # Articles 2 and 3 hold annotations but no gold: two articles silently gone; article 1
    # goes out as gold with 5 of its conflicts undecided (Iraq, the Target, ... missing).
    assert "2 article(s) with annotations left out" in summary, summary
    assert "1 exported article(s) still have 5 conflict(s) open" in summary, summary
