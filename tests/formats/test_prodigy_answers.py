"""Prodigy's answers kept per article: accepted records without spans are negative examples
(JSONL and spaCy exports), rejected and ignored records are kept but left out, span-level
answers are respected, and entity-linking answers keep their knowledge-base ids."""

import json

import spacy
from spacy.tokens import DocBin
from spacy.training import Example

from annotator.formats.importer import import_paths
from annotator.formats.jsonl.writer import export_jsonl
from annotator.formats.spacy.writer import export_spacy
from annotator.store import open_project
from tests.conftest import on_disk
from formats_helpers import HEADLINES, ROOT, write_jsonl

EMERSON = ROOT / "tests" / "data" / "prodigy-nel-emerson.jsonl"


def docs_of(outdir):
    vocab = spacy.blank("en").vocab
    return [doc for name in ("train.spacy", "dev.spacy")
            for doc in DocBin(store_user_data=True).from_disk(outdir / name).get_docs(vocab)]


def test_accepted_headlines_without_spans_are_negative_examples(store, tmp_path):
    records = [json.loads(line) for line in HEADLINES.read_text(encoding="utf-8").splitlines()]
    negatives = {r["text"] for r in records if r["answer"] == "accept" and not r.get("spans")}
    assert len(negatives) == 58  # of the 150 records, all accepted
    report = import_paths(store, [HEADLINES])
    assert report.ok and report.articles == 150
    assert on_disk(store, "SELECT status, json_extract(meta, '$.answer'), count(*) FROM articles "
                          "GROUP BY 1, 2") == [("done", "accept", 150)]

    export_jsonl(store, tmp_path / "out.jsonl")
    tasks = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    empty = [t for t in tasks if not t["spans"]]
    assert {t["text"] for t in empty} == negatives
    assert {t["answer"] for t in empty} == {"accept"}
    assert all("answer" not in t["meta"] for t in tasks)  # at the top, where Prodigy reads it

    report = export_spacy(store, tmp_path / "spacy")
    assert report.negatives == 58
    assert "Docs with no entities (every token outside an entity: negative examples): 58" in (
        report.summary())
    docs = {doc.text: doc for doc in docs_of(tmp_path / "spacy")}
    assert set(docs) >= negatives
    for text in negatives:
        doc = docs[text]
        # Known to hold no entity (O), not unknown (""): training learns from it.
        assert not doc.ents and doc.has_annotation("ENT_IOB")
        assert {t.ent_iob_ for t in doc} == {"O"}
        assert set(Example(doc, doc).get_aligned_ner()) == {"O"}
    with_spans = next(d for d in docs.values() if d.ents)
    assert {t.ent_iob_ for t in with_spans} >= {"B", "O"}


def test_rejected_and_ignored_records_are_kept_skipped_and_left_out(store, tmp_path):
    path = write_jsonl(tmp_path / "teach.jsonl", [
        {"text": "Apple hires Tim.", "answer": "accept",
         "spans": [{"start": 0, "end": 5, "label": "ORG"}]},
        {"text": "Paris is lovely.", "answer": "reject",
         "spans": [{"start": 0, "end": 5, "label": "PERSON"}]},
        {"text": "Unclear one here.", "answer": "ignore"},
    ])
    report = import_paths(store, [path])
    assert report.ok and report.articles == 3 and not report.skipped
    assert report.notes == [
        f"{path}:2: answer is 'reject': kept as a skipped article with 1 rejected span(s); "
        "exports leave it out",
        f"{path}:3: answer is 'ignore': kept as a skipped article; exports leave it out",
    ]
    assert on_disk(store, "SELECT text, status, json_extract(meta, '$.answer') FROM articles "
                          "ORDER BY id") == [("Apple hires Tim.", "done", "accept"),
                                             ("Paris is lovely.", "skipped", "reject"),
                                             ("Unclear one here.", "skipped", "ignore")]
    assert on_disk(store, "SELECT label, state FROM spans ORDER BY id") == [
        ("ORG", "accepted"), ("PERSON", "rejected")]

    spacy_report = export_spacy(store, tmp_path / "spacy", dev_share=0)
    assert [d.text for d in docs_of(tmp_path / "spacy")] == ["Apple hires Tim."]
    line = "Articles answered reject or ignore in Prodigy (marked skipped), left out: 2"
    assert line in spacy_report.summary()
    jsonl_report = export_jsonl(store, tmp_path / "out.jsonl")
    assert jsonl_report.articles == 1 and line in jsonl_report.summary()

    # Taken back in by hand (marked done): exported as an accepted example, its rejected
    # span still no entity: written as Prodigy writes a rejected span, so it comes back one.
    paris = on_disk(store, "SELECT id FROM articles WHERE text LIKE 'Paris%'")[0][0]
    store.set_status(paris, "done")
    export_jsonl(store, tmp_path / "again.jsonl")
    tasks = [json.loads(line) for line in (tmp_path / "again.jsonl").read_text().splitlines()]
    text, answer, spans = [(t["text"], t["answer"], t["spans"]) for t in tasks][1]
    assert (text, answer) == ("Paris is lovely.", "accept")
    assert [(s["start"], s["end"], s["label"], s.get("answer")) for s in spans] == [
        (0, 5, "PERSON", "reject")]


def test_a_span_answered_reject_is_not_an_entity(store, tmp_path):
    path = write_jsonl(tmp_path / "review.jsonl", [
        {"text": "Obama met Merkel in Berlin.", "answer": "accept",
         "spans": [{"start": 0, "end": 5, "label": "PERSON", "answer": "accept"},
                   {"start": 10, "end": 16, "label": "ORG", "answer": "reject"},
                   {"start": 20, "end": 26, "label": "GPE", "answer": "ignore"}],
         "relations": [{"head": 0, "child": 2, "label": "Met",
                        "head_span": {"start": 0, "end": 5, "label": "PERSON"},
                        "child_span": {"start": 10, "end": 16, "label": "ORG"}}]},
    ])
    report = import_paths(store, [path])
    assert report.ok and report.spans == 1
    assert f"{path}:1: 2 span(s) answered reject or ignore: kept as rejected spans" in report.notes
    assert on_disk(store, "SELECT substr(a.text, s.start + 1, s.end - s.start), s.label, s.state "
                          "FROM spans s JOIN articles a ON a.id = s.article_id ORDER BY s.start") == [
        ("Obama", "PERSON", "accepted"), ("Merkel", "ORG", "rejected"), ("Berlin", "GPE", "rejected")]
    # The relation's one side was rejected: no relation holds a rejected span.
    assert on_disk(store, "SELECT count(*) FROM event_arguments a JOIN spans s ON s.id = a.span_id "
                          "WHERE s.state != 'accepted'") == [(0,)]
    export_spacy(store, tmp_path / "spacy", dev_share=0)
    (doc,) = docs_of(tmp_path / "spacy")
    assert [(e.text, e.label_) for e in doc.ents] == [("Obama", "PERSON")]
    assert [t.ent_iob_ for t in doc] == ["B", "O", "O", "O", "O", "O"]


def test_entity_linking_answers_keep_the_chosen_kb_id(store, tmp_path):
    records = [json.loads(line) for line in EMERSON.read_text(encoding="utf-8").splitlines()]
    report = import_paths(store, [EMERSON])
    assert report.ok and report.articles == 30 and report.spans == 30, report.summary()
    stored = on_disk(store, "SELECT a.text, s.meta FROM spans s JOIN articles a "
                            "ON a.id = s.article_id ORDER BY a.id")
    chosen = {r["text"]: r["accept"] for r in records}
    for text, meta in stored:
        (norm,) = json.loads(meta)["normalizations"]
        assert [norm["ref"]] == chosen[text] and norm["type"] == "Reference"
    tennis = next(json.loads(m) for t, m in stored if t.startswith("From 1963 to 1967"))
    assert tennis["normalizations"][0]["text"] == "Q312545: Australian tennis player"

    export_spacy(store, tmp_path / "spacy")
    docs = docs_of(tmp_path / "spacy")
    assert len(docs) == 30
    for doc in docs:
        (ent,) = doc.ents
        assert [ent.kb_id_] == chosen[doc.text] and ent.text == "Emerson"
        assert [s.kb_id_ for s in doc.spans["sc"]] == chosen[doc.text]

    # JSONL: the id as Prodigy and spaCy name it, and back in once, not twice.
    export_jsonl(store, tmp_path / "out.jsonl")
    tasks = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert all([t["spans"][0]["kb_id"]] == chosen[t["text"]] for t in tasks)
    fresh = open_project(tmp_path / "fresh.db")
    import_paths(fresh, [tmp_path / "out.jsonl"])
    assert sorted(m for _, m in on_disk(fresh, "SELECT id, meta FROM spans")) == sorted(
        m for _, m in stored)
    fresh.close()


def test_a_span_kb_id_and_a_choice_without_one_span(store, tmp_path):
    path = write_jsonl(tmp_path / "el.jsonl", [
        {"text": "Berlin is big.", "answer": "accept",
         "spans": [{"start": 0, "end": 6, "label": "GPE", "kb_id": "Q64"}]},
        {"text": "A sports story.", "answer": "accept", "options": [{"id": "SPORTS"}],
         "accept": ["SPORTS"]},
    ])
    report = import_paths(store, [path])
    assert report.ok and not report.skipped
    assert [json.loads(m) for (m,) in on_disk(store, "SELECT meta FROM spans")] == [
        {"normalizations": [{"type": "Reference", "ref": "Q64", "text": ""}]}]
    # A text category choice belongs to the article.
    assert on_disk(store, "SELECT json_extract(meta, '$.accept') FROM articles ORDER BY id") == [
        (None,), ('["SPORTS"]',)]
