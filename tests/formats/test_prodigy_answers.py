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
from spacy_shards import shard_docs

EMERSON = ROOT / "tests" / "data" / "prodigy-nel-emerson.jsonl"


def docs_of(outdir):
    vocab = spacy.blank("en").vocab
    return shard_docs(outdir, vocab=vocab)


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


# Answers to one input (ner.teach, review, entity_linker.manual write one record per
# suggested span or mention) and what a binary or linking answer vouches for.

TEACH = "Apple hired Tim Cook in Cupertino."


def test_teach_answers_on_the_same_text_become_one_article(store, tmp_path):
    path = write_jsonl(tmp_path / "teach.jsonl", [
        {"text": TEACH, "_input_hash": 11, "answer": "reject", "_view_id": "ner",
         "spans": [{"start": 0, "end": 5, "label": "PERSON"}]},
        {"text": TEACH, "_input_hash": 11, "answer": "accept", "_view_id": "ner",
         "spans": [{"start": 12, "end": 20, "label": "PERSON"}]},
    ])
    report = import_paths(store, [path])
    assert report.ok and report.articles == 1 and report.spans == 1 and not report.duplicates
    assert f"{path}: 2 answers to 1 input(s) merged, one article per input (the first: lines " \
           "1, 2); 1 span(s) answered reject or ignore kept as rejected spans" in report.notes
    assert on_disk(store, "SELECT substr(a.text, s.start + 1, s.end - s.start), s.label, s.state "
                          "FROM spans s JOIN articles a ON a.id = s.article_id ORDER BY s.start") == [
        ("Apple", "PERSON", "rejected"), ("Tim Cook", "PERSON", "accepted")]
    # One accepted binary answer: in progress, not done; the view is kept.
    assert on_disk(store, "SELECT status, json_extract(meta, '$.answer'), "
                          "json_extract(meta, '$._view_id'), json_extract(meta, '$.answers') "
                          "FROM articles") == [
        ("in_progress", "accept", "ner", '{"reject":1,"accept":1}')]


def test_answers_to_inputs_in_turn_are_merged_per_input_in_first_seen_order(store, tmp_path):
    other = "Berlin is big."
    path = write_jsonl(tmp_path / "teach.jsonl", [
        {"text": TEACH, "answer": "accept", "_view_id": "ner",
         "spans": [{"start": 0, "end": 5, "label": "ORG"}]},
        {"text": other, "answer": "reject", "_view_id": "ner",
         "spans": [{"start": 0, "end": 6, "label": "PERSON"}]},
        {"text": TEACH, "answer": "accept", "_view_id": "ner",
         "spans": [{"start": 24, "end": 33, "label": "GPE"}]},
        {"text": other, "answer": "ignore", "_view_id": "ner",
         "spans": [{"start": 0, "end": 6, "label": "PERSON"}]},
    ])
    report = import_paths(store, [path])  # no _input_hash: the same text is the same input
    assert report.ok and report.articles == 2 and not report.duplicates
    assert report.notes[0] == (
        f"{path}: 4 answers to 2 input(s) merged, one article per input (the first: lines 1, "
        "3); 1 span(s) answered reject or ignore kept as rejected spans; 1 with no answer "
        "accepted kept as skipped articles, exports leave them out")
    assert on_disk(store, "SELECT a.id, a.status, s.label, s.state FROM articles a "
                          "JOIN spans s ON s.article_id = a.id ORDER BY a.id, s.start") == [
        (1, "in_progress", "ORG", "accepted"), (1, "in_progress", "GPE", "accepted"),
        (2, "skipped", "PERSON", "rejected")]


def test_a_manual_answer_makes_the_merged_article_done(store, tmp_path):
    path = write_jsonl(tmp_path / "mixed.jsonl", [
        {"text": TEACH, "_input_hash": 5, "answer": "accept", "_view_id": "ner",
         "spans": [{"start": 0, "end": 5, "label": "ORG"}]},
        {"text": TEACH, "_input_hash": 5, "answer": "accept", "_view_id": "ner_manual",
         "spans": [{"start": 0, "end": 5, "label": "ORG"},
                   {"start": 12, "end": 20, "label": "PERSON"}]},
    ])
    report = import_paths(store, [path])
    assert report.ok and report.spans == 2, report.summary()  # ORG once, not twice
    assert on_disk(store, "SELECT status, json_extract(meta, '$._view_id') FROM articles") == [
        ("done", "ner_manual")]
    export_spacy(store, tmp_path / "spacy", dev_share=0)
    (doc,) = docs_of(tmp_path / "spacy")
    assert [t.ent_iob_ for t in doc] == ["B", "O", "B", "I", "O", "O", "O"]


def test_records_without_an_answer_are_not_merged(store, tmp_path):
    path = write_jsonl(tmp_path / "plain.jsonl", [
        {"text": TEACH, "spans": [{"start": 0, "end": 5, "label": "ORG"}]},
        {"text": TEACH, "spans": [{"start": 12, "end": 20, "label": "PERSON"}]},
    ])
    report = import_paths(store, [path])
    assert report.articles == 1 and report.duplicates == [
        f"{path}:2: same as article 1 (the same text); its 1 accepted span(s) were not added "
        "to it (import all answers to one text in one file, or add them by hand)"]


def test_an_answer_to_a_text_imported_before_is_reported_with_its_accepted_span(store, tmp_path):
    first = write_jsonl(tmp_path / "first.jsonl", [
        {"text": TEACH, "answer": "accept", "_view_id": "ner",
         "spans": [{"start": 0, "end": 5, "label": "ORG"}]}])
    later = write_jsonl(tmp_path / "later.jsonl", [
        {"text": TEACH, "answer": "accept", "_view_id": "ner",
         "spans": [{"start": 12, "end": 20, "label": "PERSON"}]},
        {"text": TEACH, "answer": "reject", "_view_id": "ner",
         "spans": [{"start": 24, "end": 33, "label": "PERSON"}]}])
    import_paths(store, [first])
    report = import_paths(store, [later])
    assert report.articles == 0 and report.duplicates == [
        f"{later}:1: same as article 1 (the same text); its 1 accepted span(s) were not added "
        "to it (import all answers to one text in one file, or add them by hand)"]


def _iob_and_aligned(doc):
    return [t.ent_iob_ for t in doc], Example(doc, doc).get_aligned_ner()


def test_a_binary_accept_leaves_the_other_tokens_missing_until_done(store, tmp_path):
    path = write_jsonl(tmp_path / "teach.jsonl", [
        {"text": TEACH, "answer": "accept", "_view_id": "ner",
         "spans": [{"start": 0, "end": 5, "label": "ORG"}]},
    ])
    import_paths(store, [path])
    report = export_spacy(store, tmp_path / "spacy", dev_share=0)
    (doc,) = docs_of(tmp_path / "spacy")
    assert _iob_and_aligned(doc) == (["B", "", "", "", "", "", ""],
                                     ["U-ORG", None, None, None, None, None, None])
    assert report.negatives == 0 and report.spans_only == 1
    assert "Docs answered for their spans only (Prodigy binary or entity-linking answers, not " \
           "marked done; tokens outside their entities missing, not O): 1." in report.summary()

    # JSONL keeps the view where Prodigy reads it, and the status: back in progress.
    export_jsonl(store, tmp_path / "out.jsonl")
    (task,) = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert (task["_view_id"], task["status"], task["answer"]) == ("ner", "in_progress", "accept")
    assert "_view_id" not in task["meta"]
    fresh = open_project(tmp_path / "fresh.db")
    import_paths(fresh, [tmp_path / "out.jsonl"])
    assert on_disk(fresh, "SELECT status, json_extract(meta, '$._view_id') FROM articles") == [
        ("in_progress", "ner")]
    fresh.close()
    # So does the DocBin: imported again and exported, its other tokens are still missing.
    again = open_project(tmp_path / "again.db")
    import_paths(again, [tmp_path / "spacy" / "train"])
    assert on_disk(again, "SELECT status, json_extract(meta, '$._view_id') FROM articles") == [
        ("in_progress", "ner")]
    export_spacy(again, tmp_path / "again", dev_share=0)
    again.close()
    (doc,) = docs_of(tmp_path / "again")
    assert _iob_and_aligned(doc)[0] == ["B", "", "", "", "", "", ""]

    # Someone read it all and marked it done: now the other tokens are known to be O.
    store.set_status(1, "done")
    export_spacy(store, tmp_path / "done", dev_share=0)
    (doc,) = docs_of(tmp_path / "done")
    assert _iob_and_aligned(doc)[0] == ["B", "O", "O", "O", "O", "O", "O"]
    export_jsonl(store, tmp_path / "done.jsonl")
    assert "_view_id" not in json.loads((tmp_path / "done.jsonl").read_text())


def test_an_entity_linking_answer_vouches_for_its_mention_only(store, tmp_path):
    report = import_paths(store, [EMERSON])
    assert on_disk(store, "SELECT status, json_extract(meta, '$._view_id'), count(*) "
                          "FROM articles GROUP BY 1, 2") == [("in_progress", "choice", 30)]
    assert f"{EMERSON}: 30 article(s) answered in a binary or choice interface ('choice' 30) vouch only " \
           "for their accepted spans: marked in progress; the spaCy export leaves their other " \
           "tokens missing, not outside" in report.notes
    export_spacy(store, tmp_path / "spacy", dev_share=0)
    doc = next(d for d in docs_of(tmp_path / "spacy") if "Frank Sedgman" in d.text)
    iob, aligned = _iob_and_aligned(doc)
    sedgman = next(t.i for t in doc if t.text == "Sedgman")
    assert iob[sedgman] == "" and aligned[sedgman] is None
    (ent,) = doc.ents
    assert (ent.text, ent.kb_id_, aligned[ent.start]) == ("Emerson", "Q312545", "U-ORG")


def test_entity_linking_answers_for_two_mentions_of_one_sentence_are_both_kept(store, tmp_path):
    text = "Emerson met Emerson in Boston."
    options = [{"id": "Q48226", "text": "poet"}, {"id": "Q312545", "text": "tennis player"}]
    path = write_jsonl(tmp_path / "el.jsonl", [
        {"text": text, "answer": "accept", "options": options, "accept": ["Q48226"],
         "spans": [{"start": 0, "end": 7, "label": "PERSON"}]},
        {"text": text, "answer": "accept", "options": options, "accept": ["Q312545"],
         "spans": [{"start": 12, "end": 19, "label": "PERSON"}]},
    ])
    report = import_paths(store, [path])
    assert report.articles == 1 and report.spans == 2 and not report.duplicates
    assert [(s, json.loads(m)["normalizations"]) for s, m in on_disk(
        store, "SELECT start, meta FROM spans ORDER BY start")] == [
        (0, [{"type": "Reference", "ref": "Q48226", "text": "poet"}]),
        (12, [{"type": "Reference", "ref": "Q312545", "text": "tennis player"}])]
    # Without a _view_id, a choice between options for one mention is still a choice answer.
    assert on_disk(store, "SELECT status, json_extract(meta, '$._view_id') FROM articles") == [
        ("in_progress", "choice")]
    export_spacy(store, tmp_path / "spacy", dev_share=0)
    (doc,) = docs_of(tmp_path / "spacy")
    assert [(e.start_char, e.kb_id_) for e in doc.ents] == [(0, "Q48226"), (12, "Q312545")]


def test_a_nil_choice_is_kept_in_the_article_not_as_a_kb_id(store, tmp_path):
    records = [json.loads(line) for line in EMERSON.read_text(encoding="utf-8").splitlines()]
    path = write_jsonl(tmp_path / "nil.jsonl", [
        dict(records[0], accept=["NIL_ambiguous"]),
        dict(records[1], accept=["NIL_otherLink", "Q48226"]),
    ])
    report = import_paths(store, [path])
    assert f"{path}:1: choice ['NIL_ambiguous'] is no knowledge-base id (NIL): kept in the " \
           "article's meta" in report.notes
    assert on_disk(store, "SELECT json_extract(meta, '$.accept') FROM articles ORDER BY id") == [
        ('["NIL_ambiguous"]',), ('["NIL_otherLink"]',)]
    assert [json.loads(m).get("normalizations") for (m,) in on_disk(
        store, "SELECT meta FROM spans ORDER BY article_id")] == [
        None, [{"type": "Reference", "ref": "Q48226",
                "text": "Q48226: American philosopher, essayist, and poet"}]]
    export_spacy(store, tmp_path / "spacy", dev_share=0)
    assert sorted(e.kb_id_ for d in docs_of(tmp_path / "spacy") for e in d.ents) == ["", "Q48226"]


def test_an_answer_after_the_open_inputs_is_reported_not_lost_silently(store, tmp_path, monkeypatch):
    from annotator.formats.jsonl import merge

    monkeypatch.setattr(merge, "OPEN_INPUTS", 2)  # memory stays bounded: inputs held open
    texts = ["Apple hired Tim.", "Berlin is big.", "Paris is old.", "Apple hired Tim."]
    path = write_jsonl(tmp_path / "teach.jsonl", [
        {"text": text, "answer": "accept", "_view_id": "ner",
         "spans": [{"start": 0, "end": 5, "label": "ORG"}]} for text in texts[:3]
    ] + [{"text": texts[3], "answer": "accept", "_view_id": "ner",
          "spans": [{"start": 12, "end": 15, "label": "PERSON"}]}])
    report = import_paths(store, [path])
    assert report.articles == 3 and report.duplicates == [
        f"{path}:4: same as article 1 (the same text); its 1 accepted span(s) were not added "
        "to it (import all answers to one text in one file, or add them by hand)"]
    assert on_disk(store, "SELECT id, text FROM articles ORDER BY id") == [
        (1, texts[0]), (2, texts[1]), (3, texts[2])]
