"""Attributes, notes and normalizations travel: from brat and JSONL into the store and out to
spaCy (Span.kb_id_ and doc.user_data["annotator"], read back with spaCy), brat (the same A, #
and N lines), JSONL, and doccano's report (which has no place for them)."""

import json
from collections import Counter

import spacy
from spacy.tokens import DocBin

from annotator.formats.annotation_meta import USER_DATA_KEY
from annotator.formats.brat.writer import export_brat
from annotator.formats.doccano.writer import export_doccano
from annotator.formats.importer import import_paths
from annotator.formats.jsonl.writer import export_jsonl
from annotator.formats.spacy.writer import export_spacy
from annotator.store import open_project
from formats_helpers import BRAT, counts, write_jsonl
from tests.conftest import on_disk
from spacy_shards import shard_docs

NEWS = BRAT / "news-tutorial"


def imported(path, *sources):
    store = open_project(path)
    report = import_paths(store, list(sources))
    assert report.ok and not report.skipped, report.summary()
    return store


def plain(value):
    """DocBin's msgpack gives lists back as tuples."""
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def docs_of(outdir):
    vocab = spacy.blank("en").vocab
    return shard_docs(outdir, vocab=vocab)


def test_brat_normalizations_attributes_and_notes_reach_spacy(tmp_path):
    store = imported(tmp_path / "p.db", NEWS)
    report = export_spacy(store, tmp_path / "out")
    summary = report.summary()
    assert "Knowledge-base ids: 1 span(s) with Span.kb_id_." in summary
    assert ("Attributes, notes and normalizations: 11 attributes, 4 notes, 1 normalizations, "
            "in doc.user_data['annotator'].") in summary
    docs = {doc.user_data["title"]: doc for doc in docs_of(tmp_path / "out")}
    intro = next(doc for title, doc in docs.items() if "Introduction" in title or
                 "former Mexican president" in doc.text)
    # N1 Reference T5 Wikipedia:64488 (T5: Person 511 535 "former Mexican president").
    (linked,) = [e for e in intro.ents if e.kb_id_]
    assert (linked.start_char, linked.end_char, linked.text) == (511, 535,
                                                                 "former Mexican president")
    assert linked.kb_id_ == "Wikipedia:64488"
    assert [s.kb_id_ for s in intro.spans["sc"] if s.start_char == 511] == ["Wikipedia:64488"]
    data = plain(intro.user_data[USER_DATA_KEY])
    assert data["version"] == 1
    assert data["spans"]["511:535:Person"] == {
        "attributes": {"Mention": "Nominal", "Individual": True},
        "normalizations": [{"type": "Reference", "ref": "Wikipedia:64488",
                            "text": "Carlos Salinas de Gortari"}]}
    assert data["spans"]["456:468:Money"] == {"notes": ["100000000 USD"]}
    # Event attributes (A5 Confidence E1 High) under the event's id, as in user_data["events"].
    (event_id,) = data["events"]
    assert data["events"][event_id] == {"attributes": {"Confidence": "High"}}
    assert {str(e["id"]) for e in intro.user_data["events"]} >= {event_id}

    # And back: a DocBin import keeps every attribute, note and normalization.
    again = imported(tmp_path / "again.db", tmp_path / "out" / "train",
                     tmp_path / "out" / "dev")
    keys = ("attributes", "notes", "normalizations")
    assert {k: counts(again)[k] for k in keys} == {k: counts(store)[k] for k in keys} == {
        "attributes": 11, "notes": 4, "normalizations": 1}
    store.close()
    again.close()


def _targets(ann: str) -> dict[str, str]:
    """Each T, E and R id of an .ann file as what it is (type and characters), so lines from
    two files compare although their ids differ."""
    lines = [line.split("\t") for line in ann.splitlines() if line[:1] in "TER"]
    found = {}
    for ident, body, *_ in lines:
        if ident[0] == "T":
            found[ident] = body
    for ident, body, *_ in lines:
        if ident[0] == "E":
            kind, trigger = body.split()[0].split(":")
            found[ident] = f"{kind} on {found[trigger]}"
        elif ident[0] == "R":
            kind, *args = body.split()
            found[ident] = f"{kind} " + " ".join(
                f"{a.split(':')[0]}:{found[a.split(':')[1]]}" for a in args)
    return found


def _extras(ann: str) -> Counter:
    """The A, # and N lines of an .ann file with their targets spelt out."""
    targets = _targets(ann)
    out = Counter()
    for line in ann.splitlines():
        if line[:1] not in "A#N":
            continue
        ident, body, *rest = line.split("\t")
        parts = body.split()
        parts[1] = targets[parts[1]]
        out[(ident[0], " ".join(parts), tuple(rest))] += 1
    return out


def test_brat_attribute_note_and_normalization_lines_come_back_exactly(tmp_path):
    store = imported(tmp_path / "p.db", NEWS)
    report = export_brat(store, tmp_path / "out")
    assert (report.counts["A"], report.counts["#"], report.counts["N"]) == (11, 4, 1)
    compared = 0
    for ann in sorted(NEWS.glob("*.ann")):
        before = _extras(ann.read_text(encoding="utf-8"))
        if not before:
            continue
        after = _extras((tmp_path / "out" / ann.name).read_text(encoding="utf-8"))
        assert after == before, ann.name
        compared += sum(before.values())
    assert compared == 16
    store.close()


def test_jsonl_meta_goes_in_and_out_and_doccano_counts_what_it_drops(tmp_path):
    meta = {"attributes": {"Negated": True}, "notes": ["check the date"],
            "normalizations": [{"type": "Reference", "ref": "Wikidata:Q1055", "text": "Hamburg"}]}
    path = write_jsonl(tmp_path / "in.jsonl", [
        {"text": "Hamburg votes today.", "spans": [{"start": 0, "end": 7, "label": "GPE",
                                                   "meta": meta}]},
    ])
    store = imported(tmp_path / "p.db", path)
    export_jsonl(store, tmp_path / "out.jsonl")
    (task,) = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert task["spans"][0]["meta"] == meta and task["spans"][0]["kb_id"] == "Wikidata:Q1055"

    export_spacy(store, tmp_path / "spacy", dev_share=0)
    (doc,) = docs_of(tmp_path / "spacy")
    assert [(e.text, e.kb_id_) for e in doc.ents] == [("Hamburg", "Wikidata:Q1055")]
    assert plain(doc.user_data[USER_DATA_KEY]) == {"version": 1, "spans": {"0:7:GPE": meta},
                                                   "events": {}}

    report = export_doccano(store, tmp_path / "d.jsonl")
    assert ("1 attributes, 1 notes, 1 normalizations not written: doccano has no place for "
            "them") in report.summary()
    store.close()


def test_a_docbin_from_spacys_entity_linking_keeps_its_kb_ids(tmp_path):
    nlp = spacy.blank("en")
    linked = nlp.make_doc("Berlin is the capital.")
    berlin = linked.char_span(0, 6, label="GPE")
    berlin.kb_id_ = "Q64"
    linked.set_ents([berlin], default="outside")
    later = nlp.make_doc("Hamburg is a port.")
    later.set_ents([later.char_span(0, 7, label="GPE")], default="outside")
    # A later version of our own user_data is not guessed at.
    later.user_data[USER_DATA_KEY] = {"version": 2, "spans": {"0:7:GPE": {"notes": ["x"]}}}
    bin_ = DocBin(store_user_data=True, docs=[linked, later])
    bin_.to_disk(tmp_path / "el.spacy")
    store = open_project(tmp_path / "p.db")
    report = import_paths(store, [tmp_path / "el.spacy"])
    assert report.ok and report.spans == 2
    assert [json.loads(m) for (m,) in on_disk(store, "SELECT meta FROM spans ORDER BY id")] == [
        {"normalizations": [{"type": "Reference", "ref": "Q64", "text": ""}]}, {}]
    assert any("has version 2, not 1" in note for note in report.notes)
    store.close()


def test_meta_of_spans_the_export_widens_or_trims_comes_back_from_the_docbin(store, tmp_path):
    """user_data is keyed by the characters the span has in the doc, as doc.ents gives them,
    not by the stored offsets: "Baghda" widened to "Baghdad", " Sunday" trimmed to "Sunday"."""
    path = write_jsonl(tmp_path / "in.jsonl", [
        {"text": "Fighters left Baghdad on Sunday.", "answer": "accept",
         "spans": [{"start": 14, "end": 20, "label": "GPE",
                    "meta": {"attributes": {"Negated": True}, "notes": ["check"]}},
                   {"start": 24, "end": 31, "label": "DATE",
                    "meta": {"normalizations": [{"type": "Reference", "ref": "Q132",
                                                 "text": "Sunday"}]}}]},
    ])
    import_paths(store, [path])
    report = export_spacy(store, tmp_path / "spacy", dev_share=0)
    assert "1 attributes, 1 notes, 1 normalizations" in report.summary()
    (doc,) = docs_of(tmp_path / "spacy")
    assert [(e.start_char, e.end_char, e.text) for e in doc.ents] == [
        (14, 21, "Baghdad"), (25, 31, "Sunday")]
    assert sorted(doc.user_data[USER_DATA_KEY]["spans"]) == ["14:21:GPE", "25:31:DATE"]

    fresh = open_project(tmp_path / "fresh.db")
    import_paths(fresh, [tmp_path / "spacy" / "train"])
    metas = {label: json.loads(m) for label, m in on_disk(fresh, "SELECT label, meta FROM spans")}
    fresh.close()
    assert metas["GPE"] == {"attributes": {"Negated": True}, "notes": ["check"]}
    assert metas["DATE"] == {"normalizations": [{"type": "Reference", "ref": "Q132",
                                                 "text": "Sunday"}]}


def test_a_kb_id_with_a_space_is_left_out_of_brat_and_said_in_the_report(tmp_path):
    # A JSONL file may bring a Wikipedia title as an id; brat's N line is split on spaces, so
    # it can't hold it: the export leaves it out and says so, the one-word id goes through.
    spaced = {"normalizations": [{"type": "Reference", "ref": "Wikipedia:Kataib Hezbollah",
                                  "text": "Kataib Hezbollah"}]}
    one_word = {"normalizations": [{"type": "Reference", "ref": "Q1530", "text": "Hezbollah"}]}
    path = write_jsonl(tmp_path / "in.jsonl", [
        {"text": "Kataib Hezbollah denied it. Hezbollah too.", "spans": [
            {"start": 0, "end": 16, "label": "ORG", "meta": spaced},
            {"start": 28, "end": 37, "label": "ORG", "meta": one_word}]},
    ])
    store = imported(tmp_path / "p.db", path)
    report = export_brat(store, tmp_path / "brat")
    store.close()
    [ann] = (tmp_path / "brat").glob("*.ann")
    assert [line for line in ann.read_text().splitlines() if line.startswith("N")] == [
        "N1\tReference T2 Q1530\tHezbollah"]
    assert ("knowledge-base id 'Wikipedia:Kataib Hezbollah' (Reference) of T1: brat ids are "
            "one word") in report.summary()
    again = imported(tmp_path / "again.db", tmp_path / "brat")
    metas = [json.loads(m) for (m,) in on_disk(again, "SELECT meta FROM spans WHERE meta != '{}'")]
    assert [n["ref"] for m in metas for n in m["normalizations"]] == ["Q1530"]
    again.close()
