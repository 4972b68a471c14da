"""Suggestions headless: sources, runs, re-runs, decisions with provenance, training."""

import json
import random

import numpy
import pytest
import spacy

from annotator.core.session import Session
from annotator.formats.importer import import_paths
from annotator.store import open_project
from annotator.suggest.runner import run_suggestions
from annotator.suggest.train import train_model

TEXTS = [
    "Kataib Hezbollah fighters left Baghdad on Monday.",
    "The Pentagon said Kataib Hezbollah was behind the attack in Jordan.",
    "Protesters in Baghdad chanted against the Pentagon.",
]


@pytest.fixture
def store(store, tmp_path):
    """The shared empty project with TEXTS imported."""
    path = tmp_path / "articles.jsonl"
    path.write_text("".join(json.dumps({"id": f"a{i}", "text": t}) + "\n" for i, t in enumerate(TEXTS)))
    import_paths(store, [path])
    return store


@pytest.fixture
def ruler_model(tmp_path):
    """A real pipeline on disk: a blank English EntityRuler, labels in the model's own names."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "ORGANIZATION", "pattern": "Kataib Hezbollah"},
                        {"label": "CITY", "pattern": "Baghdad"},
                        {"label": "ORGANIZATION", "pattern": "The Pentagon"},
                        {"label": "MISC", "pattern": "Monday"}])
    nlp.to_disk(tmp_path / "ruler-model")
    return tmp_path / "ruler-model"


def suggested(store):
    return store.conn.execute(
        "SELECT a.ext_id, substr(a.text, s.start + 1, s.end - s.start), s.label, s.state, "
        "s.origin, s.decision FROM spans s JOIN articles a ON a.id = s.article_id "
        "ORDER BY a.id, s.start").fetchall()


def test_a_model_source_with_a_label_mapping(store, ruler_model):
    store.add_source("ruler", "model", str(ruler_model), {"ORGANIZATION": "ORG", "CITY": "GPE"})
    report = run_suggestions(store, "ruler")
    assert report.articles == 3 and report.suggestions == 5  # "the Pentagon": case differs
    rows = suggested(store)
    assert ("a0", "Kataib Hezbollah", "ORG", "suggested", "suggest:ruler", None) in rows
    assert ("a0", "Baghdad", "GPE", "suggested", "suggest:ruler", None) in rows
    assert not [r for r in rows if r[1] == "Monday"]  # MISC is not mapped: ignored
    # The pipeline's labels are recorded for the dialog, as they acted: MISC left out.
    assert store.source("ruler").mapping == {"ORGANIZATION": "ORG", "CITY": "GPE", "MISC": None}
    assert store.conn.execute("SELECT sum(n_spans) FROM articles").fetchone()[0] == 0


def test_an_article_named_twice_gets_its_suggestions_once(store, ruler_model):
    store.add_source("ruler", "model", str(ruler_model), {"ORGANIZATION": "ORG", "CITY": "GPE"})
    first = store.first_article_id()
    report = run_suggestions(store, "ruler", [first, first, first])
    assert report.articles == 1 and report.suggestions == 2
    assert len(suggested(store)) == 2


def test_an_sqlite_without_json_functions_is_named(store, ruler_model):
    import sqlite3

    from annotator.core.errors import AnnotatorError

    class NoJson:
        def __init__(self, conn):
            self.conn = conn

        def execute(self, sql, *args):
            if "json_" in sql:
                raise sqlite3.OperationalError("no such table: json_each")
            return self.conn.execute(sql, *args)

    store.add_source("ruler", "model", str(ruler_model), {})
    real = store.conn
    store.conn = NoJson(real)
    try:
        with pytest.raises(AnnotatorError, match="suggestions need SQLite 3.38 or newer"):
            run_suggestions(store, "ruler")
    finally:
        store.conn = real
    assert suggested(store) == []


def test_a_pattern_file_and_rerunning_keeps_decisions(store, tmp_path):
    terms = tmp_path / "terms.tsv"
    terms.write_text("# label<TAB>term\nORG\tkataib hezbollah\nGPE\tBaghdad\n")
    store.add_source("terms", "patterns", str(terms))
    run_suggestions(store, "terms")
    session = Session(store)
    session.open_first()
    [kataib, baghdad] = sorted(session.suggestions, key=lambda s: s.start)
    session.apply(session.plan_decide(kataib, accept=True))
    session.apply(session.plan_decide(baghdad, accept=False))
    report = run_suggestions(store, "terms")
    # Decided spans are not suggested again; the other articles' open ones are replaced.
    assert report.suggestions == 2
    rows = [r for r in suggested(store) if r[0] == "a0"]
    assert rows == [("a0", "Kataib Hezbollah", "ORG", "accepted", "suggest:terms", "accepted"),
                    ("a0", "Baghdad", "GPE", "rejected", "suggest:terms", "rejected")]
    assert store.conn.execute("SELECT n_spans FROM articles WHERE ext_id = 'a0'").fetchone() == (1,)


def test_relabel_resize_and_precision_per_source_and_label(store, ruler_model):
    store.add_source("ruler", "model", str(ruler_model), {"ORGANIZATION": "ORG", "CITY": "GPE"})
    run_suggestions(store, "ruler")
    session = Session(store)
    session.open_first()
    kataib, baghdad = sorted(session.suggestions, key=lambda s: s.start)
    session.apply(session.plan_decide(kataib, True, bounds=(kataib.start, kataib.start + 6)))  # just "Kataib"
    session.apply(session.plan_decide(baghdad, True, label="LOC"))
    session.go(+1)
    session.apply(session.plan_decide_all(accept=False, label="ORG"))  # The Pentagon, Kataib Hezbollah
    session.go(+1)
    edit = session.apply(session.plan_decide_all(accept=True))  # Baghdad
    stats = {(s["source"], s["label"]): s for s in store.suggestion_stats()}
    assert stats[("ruler", "ORG")]["resized"] == 1 and stats[("ruler", "ORG")]["rejected"] == 2
    assert stats[("ruler", "GPE")]["relabelled"] == 1 and stats[("ruler", "GPE")]["accepted"] == 1
    assert stats[("ruler", "ORG")]["precision"] == 0.0
    assert stats[("ruler", "GPE")]["precision"] == 0.5
    session.revert(edit)  # one undo takes the whole batch back
    assert len(session.suggestions) == 1


def test_labelling_a_selection_over_a_suggestion_corrects_it(store, ruler_model):
    store.add_source("ruler", "model", str(ruler_model), {"ORGANIZATION": "ORG", "CITY": "GPE"})
    run_suggestions(store, "ruler")
    session = Session(store)
    session.open_first()
    text = session.article.text
    start = text.index("Kataib Hezbollah fighters")
    edit = session.apply(session.plan_label_selection(start, start + len("Kataib Hezbollah fighters"), "ORG"))
    assert edit.decision == "resized"
    span = session.span_by_id(edit.span.id)
    assert (text[span.start:span.end], span.state, span.origin) == (
        "Kataib Hezbollah fighters", "accepted", "suggest:ruler")


@pytest.mark.slow
def test_train_a_tiny_model_then_use_it_as_a_source(store, tmp_path):
    rng = random.Random(3)
    people, places = ["Ali Hassan", "Maria Lopez", "John Smith"], ["Mosul", "Basra", "Erbil"]
    records = []
    for i in range(40):
        person, place = rng.choice(people), rng.choice(places)
        text = f"{person} arrived in {place} on day {i}."
        records.append({"text": text, "spans": [
            {"start": 0, "end": len(person), "label": "PERSON"},
            {"start": text.index(place), "end": text.index(place) + len(place), "label": "GPE"}]})
    path = tmp_path / "train.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    import_paths(store, [path])
    rows = []
    report = train_model(store, tmp_path / "trained", max_steps=100, eval_frequency=25,
                         progress=lambda row: rows.append(row) or True)
    assert rows and rows[-1]["step"] == 100
    assert set(report.per_label) == {"PERSON", "GPE"}
    fresh = tmp_path / "fresh.jsonl"
    fresh.write_text(json.dumps({"text": "Maria Lopez arrived in Erbil on day 99."}) + "\n")
    import_paths(store, [fresh])
    new_id = store.conn.execute("SELECT max(id) FROM articles").fetchone()[0]
    run_suggestions(store, report.source_name, [new_id])
    found = {(r[1], r[2]) for r in suggested(store) if r[3] == "suggested"}
    assert ("Maria Lopez", "PERSON") in found and ("Erbil", "GPE") in found


def test_exports_carry_the_provenance_of_accepted_suggestions(store, ruler_model, tmp_path):
    from spacy.tokens import DocBin

    from annotator.formats.jsonl.writer import export_jsonl
    from annotator.formats.spacy.writer import export_spacy

    store.add_source("ruler", "model", str(ruler_model), {"ORGANIZATION": "ORG", "CITY": "GPE"})
    run_suggestions(store, "ruler")
    session = Session(store)
    session.open_first()
    kataib, baghdad = sorted(session.suggestions, key=lambda s: s.start)
    session.apply(session.plan_decide(kataib, True))
    session.apply(session.plan_decide(baghdad, True, label="LOC"))
    session.apply(session.plan_add_span(session.article.text.index("Monday"), session.article.text.index("Monday") + 6, "DATE"))
    export_jsonl(store, tmp_path / "out.jsonl")
    [record] = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [(s["label"], s["origin"], s.get("decision")) for s in record["spans"]] == [
        ("ORG", "suggest:ruler", "accepted"), ("LOC", "suggest:ruler", "relabelled"),
        ("DATE", "manual", None)]
    export_spacy(store, tmp_path / "spacy", dev_share=0.0)
    nlp = spacy.blank("en")
    [doc] = list(DocBin().from_disk(tmp_path / "spacy" / "train" / "train-00000.spacy").get_docs(nlp.vocab))
    assert sorted((p["label"], p["origin"], p["decision"]) for p in doc.user_data["provenance"]) == [
        ("DATE", "manual", None), ("LOC", "suggest:ruler", "relabelled"),
        ("ORG", "suggest:ruler", "accepted")]
    # Suggestions still open or rejected are never exported as annotations.
    assert {e.label_ for e in doc.ents} == {"ORG", "LOC", "DATE"}


@pytest.fixture
def spancat_model(tmp_path):
    """A real spancat on disk, untrained and with threshold 0: it proposes every one- and
    two-token span as ORG, each with a score of its own."""
    from spacy.training import Example

    nlp = spacy.blank("en")
    nlp.add_pipe("spancat", config={
        "threshold": 0.0, "max_positive": 1,
        "suggester": {"@misc": "spacy.ngram_suggester.v1", "sizes": [1, 2]}})
    doc = nlp.make_doc(TEXTS[0])
    nlp.initialize(lambda: [Example.from_dict(doc, {"spans": {"sc": [(0, 16, "ORG")]}})])
    nlp.to_disk(tmp_path / "spancat-model")
    return tmp_path / "spancat-model"


def test_spancat_suggestions_keep_their_scores_and_skip_accepted_spans(store, spancat_model):
    session = Session(store)
    session.open_first()
    session.apply(session.plan_add_span(0, 16, "ORG"))  # "Kataib Hezbollah", labelled by hand before the run
    store.add_source("spans", "model", str(spancat_model), {})
    report = run_suggestions(store, "spans")

    nlp = spacy.load(spancat_model)
    expected = {}
    for article_id, text in store.conn.execute("SELECT id, text FROM articles ORDER BY id"):
        doc = nlp(text)
        group = doc.spans["sc"]
        for span, score in zip(group, group.attrs["scores"]):
            expected[(article_id, span.start_char, span.end_char)] = float(max(numpy.ravel(score)))
    del expected[(session.article.id, 0, 16)]
    rows = store.conn.execute(
        "SELECT article_id, start, end, label, score FROM spans WHERE state = 'suggested'").fetchall()
    assert len(rows) == report.suggestions == len(expected) and report.labels == {"ORG": len(expected)}
    assert {r[3] for r in rows} == {"ORG"}
    assert all(r[4] == pytest.approx(expected[r[:3]]) for r in rows)
    # The review queue's score filter works on what was stored.
    cut = sorted(score for *_, score in rows)[len(rows) // 2]
    queue = store.queue_rows(min_score=cut, limit=10_000)
    assert len(queue) == sum(1 for *_, score in rows if score >= cut) and all(q[4] >= cut for q in queue)
