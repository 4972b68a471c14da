"""No field that carries annotations is ignored in silence (issue 11): detection reads whole
records, each reader names the keys it does not read, another format's annotations are
refused with the --format that reads them, and a JSON file that is not JSONL is read as
records or refused with one message. Driven through `annotator import`, as a person would."""

import json
import random
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.formats.detect import detect_format
from tests.formats.formats_helpers import run_import as run
from tests.formats.formats_helpers import sql

DATA = Path(__file__).resolve().parents[1] / "data"
HEADLINES = DATA / "prodigy-news-headlines.jsonl"
DOCCANO_REL = DATA / "doccano" / "relation_extraction_example.jsonl"
SPACY_V2 = DATA / "spacy" / "training-data.json"


def long_doccano_record(n_spans: int = 5000, length: int = 100_000) -> dict:
    """One article of `length` characters whose words are labelled, n_spans of them."""
    rng = random.Random(11)
    words, size = [], 0
    while size < length:
        word = rng.choice(["Berlin", "Reuters", "said", "the", "minister", "Kyiv", "on", "Monday"])
        words.append(word)
        size += len(word) + 1
    text = " ".join(words)[:length]
    labels, pos = [], 0
    for word in text.split(" "):
        if len(labels) < n_spans and word in ("Berlin", "Kyiv", "Reuters"):
            labels.append([pos, pos + len(word), "ORG" if word == "Reuters" else "GPE"])
        pos += len(word) + 1
    assert len(labels) == n_spans  # the text has enough names for them
    return {"text": text, "label": labels}


def test_a_doccano_file_whose_first_record_is_longer_than_64_kb_is_read_as_doccano(
    tmp_path, capsys
):
    record = long_doccano_record()
    assert len(json.dumps(record)) > 3 * (1 << 16)  # far past what detection used to read
    path = tmp_path / "long.jsonl"
    short = {"text": "Kyiv said so.", "label": [[0, 4, "GPE"]]}
    path.write_text(json.dumps(record) + "\n" + json.dumps(short) + "\n")
    assert detect_format(path) == "doccano"
    db = tmp_path / "p.db"
    code, out = run(capsys, db, path)
    assert code == 0, out
    assert "Imported 2 article(s) with 5001 span(s)" in out
    assert sql(db, "SELECT count(*) FROM spans") == [(5001,)]
    first = record["label"][4321]
    assert sql(db, "SELECT label FROM spans WHERE article_id = 1 AND start = ? AND end = ?",
               first[0], first[1]) == [(first[2],)]


def test_a_long_pretty_printed_first_record_is_read_whole_too(tmp_path):
    record = long_doccano_record(n_spans=3000)
    path = tmp_path / "pretty.json"
    path.write_text(json.dumps([record], indent=2))  # over 15,000 lines
    assert detect_format(path) == "doccano"


def test_fields_the_reader_does_not_read_are_named_with_their_counts(tmp_path, capsys):
    """The real Prodigy records: every key is one the reader knows, bar the spans' bookkeeping
    it passes over knowingly; a made-up top-level and span key are named with counts."""
    db = tmp_path / "p.db"
    code, out = run(capsys, db, HEADLINES)
    assert code == 0 and "not read" not in out, out
    records = [json.loads(line) for line in HEADLINES.read_text().splitlines()]
    for n, record in enumerate(records):
        if n % 3 == 0:
            record["sentiment"] = "neutral"
        for span in record.get("spans", [])[:1]:
            span["confidence"] = 0.9
    extra = tmp_path / "extra.jsonl"
    extra.write_text("".join(json.dumps(r) + "\n" for r in records))
    code, out = run(capsys, tmp_path / "q.db", extra)
    with_spans = sum(1 for r in records if r.get("spans"))
    assert code == 0
    assert f"{extra}: field 'sentiment' not read in {len(records[::3])} records" in out
    assert f"{extra}: span field 'confidence' not read in {with_spans} spans" in out
    # Still imported: reporting is not refusing.
    assert sql(tmp_path / "q.db", "SELECT count(*) FROM articles") == [(150,)]


def test_spacy_v2_token_columns_it_does_not_read_are_named(tmp_path, capsys):
    code, out = run(capsys, tmp_path / "p.db", SPACY_V2)
    assert code == 0
    for field in ("token field 'tag' not read in 54 tokens", "token field 'dep' not read in "
                  "54 tokens", "sentence field 'brackets' not read in 2 sentences"):
        assert f"{SPACY_V2}: {field}" in out


@pytest.mark.parametrize(
    "source, given, right",
    [
        (DOCCANO_REL, "jsonl", "doccano"),  # entities + relations
        (DATA / "doccano" / "sequence_labeling_example_overlapping.jsonl", "jsonl", "doccano"),
        (HEADLINES, "doccano", "jsonl"),  # Prodigy spans
        (SPACY_V2, "jsonl", "spacy-json"),
        (HEADLINES, "spacy-json", "jsonl"),
    ],
)
def test_another_formats_annotations_refuse_the_file_naming_its_format(
    tmp_path, capsys, source, given, right
):
    db = tmp_path / "p.db"
    code, out = run(capsys, db, source, "--format", given)
    assert code == 1
    assert f"import {source.name} with --format {right}" in out, out
    assert sql(db, "SELECT count(*) FROM articles") == [(0,)]
    code, out = run(capsys, db, source, "--format", right)
    assert code == 0 and sql(db, "SELECT count(*) FROM spans") != [(0,)], out


def test_the_refusal_comes_whatever_record_carries_the_annotations(tmp_path, capsys):
    """Plain records first, doccano's labels on the 3,000th: nothing of the file stays."""
    path = tmp_path / "late.jsonl"
    lines = [json.dumps({"text": f"Article {n} from Kyiv."}) for n in range(3000)]
    lines.append(json.dumps({"text": "Kyiv again.", "label": [[0, 4, "GPE"]]}))
    path.write_text("\n".join(lines) + "\n")
    db = tmp_path / "p.db"
    code, out = run(capsys, db, path, "--format", "jsonl")
    assert code == 1 and f"{path}:3001: 'label' holds doccano annotations" in out
    assert sql(db, "SELECT count(*) FROM articles") == [(0,)]


def test_a_json_array_of_prodigy_records_is_read_as_records(tmp_path, capsys):
    records = [json.loads(line) for line in HEADLINES.read_text().splitlines()]
    for name, text in (("array.json", json.dumps(records, indent=2)),
                       ("compact.json", json.dumps(records)),
                       ("pretty.jsonl", "\n".join(json.dumps(r, indent=1) for r in records))):
        path = tmp_path / name
        path.write_text(text)
        db = tmp_path / f"{name}.db"
        code, out = run(capsys, db, path)
        assert code == 0 and "not valid JSON" not in out, out
        assert sql(db, "SELECT count(*) FROM articles") == [(150,)]
        assert sql(db, "SELECT count(*) FROM spans") == [(129,)]


def test_a_json_object_that_holds_no_records_is_refused_with_one_message(tmp_path, capsys):
    path = tmp_path / "annotations.json"  # the shape of the "NER annotator" web tool's export
    path.write_text(json.dumps({"classes": ["ORG", "GPE"], "annotations": [
        ["Kyiv said so.", {"entities": [[0, 4, "GPE"]]}]]}, indent=2))
    db = tmp_path / "p.db"
    code, out = run(capsys, db, path)
    assert code == 1
    failed = out.split("Files not imported (nothing written from them): 1\n")[1].splitlines()
    assert failed == [f"  {path}: not one of its 1 JSON value(s) has a 'text' "
                      "(keys found: 'classes', 'annotations'); not jsonl records"]
    assert "Skipped" not in out
    assert sql(db, "SELECT count(*) FROM articles") == [(0,)]


def test_a_label_studio_export_is_refused_with_one_message(tmp_path, capsys):
    task = {"id": 1, "data": {"text": "Kyiv said so."}, "annotations": [{"id": 3, "result": [
        {"value": {"start": 0, "end": 4, "text": "Kyiv", "labels": ["GPE"]},
         "from_name": "label", "to_name": "text", "type": "labels"}]}], "predictions": []}
    path = tmp_path / "project-1-at-2024.json"
    path.write_text(json.dumps([task, dict(task, id=2)], indent=2))
    db = tmp_path / "p.db"
    code, out = run(capsys, db, path)
    assert code == 1 and sum("Label Studio" in line for line in out.splitlines()) == 1, out
    assert f"{path}: a Label Studio export (its 'annotations'), which annotator does not " \
        "read; export the project from Label Studio as CONLL2003" in out
    assert sql(db, "SELECT count(*) FROM articles") == [(0,)]
    # Its JSON-MIN export: "label" holds dicts, not doccano's [start, end, label].
    json_min = tmp_path / "project-1-min.json"
    json_min.write_text(json.dumps([{"id": 1, "text": "Kyiv said so.", "label": [
        {"start": 0, "end": 4, "text": "Kyiv", "labels": ["GPE"]}], "annotator": 1}]))
    for given in ((), ("--format", "doccano")):
        code, out = run(capsys, db, json_min, *given)
        assert code == 1 and "a Label Studio export (its 'label')" in out, out
    assert sql(db, "SELECT count(*) FROM articles") == [(0,)]


def test_unread_fields_of_a_folder_are_counted_per_file(tmp_path, capsys):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("a.jsonl", "b.jsonl"):
        (folder / name).write_text("".join(
            json.dumps({"text": f"{name} {n}", "label": "SPORT"}) + "\n" for n in range(4)))
    shutil.copy(HEADLINES, folder / "c.jsonl")
    code, out = run(capsys, tmp_path / "p.db", folder)
    assert code == 0
    assert f"{folder / 'a.jsonl'}: field 'label' not read in 4 records" in out
    assert f"{folder / 'b.jsonl'}: field 'label' not read in 4 records" in out
    assert "c.jsonl: field" not in out


def test_prodigy_relations_keys_are_known_and_an_unknown_one_is_named(tmp_path, capsys):
    rel = DATA / "prodigy-rel-component.jsonl"
    code, out = run(capsys, tmp_path / "p.db", rel)
    assert code == 0 and "not read" not in out, out
    records = [json.loads(line) for line in rel.read_text().splitlines()]
    for record in records:
        for relation in record["relations"]:
            relation["confidence"] = "high"
    changed = tmp_path / "rel.jsonl"
    changed.write_text("".join(json.dumps(r) + "\n" for r in records))
    code, out = run(capsys, tmp_path / "q.db", changed)
    n = sum(len(r["relations"]) for r in records)
    assert code == 0 and f"{changed}: relation field 'confidence' not read in {n} relations" in out


def test_detected_as_jsonl_but_a_later_record_is_doccanos_the_file_is_read_as_doccano(
    tmp_path, capsys
):
    """The first record (longer than any look ahead) has no annotations; the 2,001st has
    doccano's: without --format the file is read again as doccano, and the report says so."""
    path = tmp_path / "late.jsonl"
    long_plain = {"text": long_doccano_record(n_spans=10)["text"], "id": "long"}
    lines = [json.dumps(long_plain)]
    lines += [json.dumps({"text": f"Article {n} from Kyiv.", "id": f"n{n}"}) for n in range(2000)]
    lines.append(json.dumps({"text": "Kyiv again.", "label": [[0, 4, "GPE"]], "source": "afp"}))
    path.write_text("\n".join(lines) + "\n")
    assert detect_format(path) == "jsonl"
    db = tmp_path / "p.db"
    code, out = run(capsys, db, path)
    assert code == 0, out
    assert f"{path}:2002: 'label' holds doccano annotations: the file was read as doccano" in out
    assert sql(db, "SELECT count(*) FROM articles") == [(2002,)]
    assert sql(db, "SELECT a.text, s.label, json_extract(a.meta, '$.source') FROM spans s "
                   "JOIN articles a ON a.id = s.article_id") == [("Kyiv again.", "GPE", "afp")]


def test_a_doccano_relation_export_whose_first_text_has_no_entities_is_doccano(tmp_path):
    path = tmp_path / "rel.jsonl"
    path.write_text(json.dumps({"id": 1, "text": "Nothing here.", "entities": [], "relations": []})
                    + "\n" + DOCCANO_REL.read_text())
    assert detect_format(path) == "doccano"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(extra=st.lists(st.sets(st.sampled_from(["sentiment", "lang", "_x", "score", "Text"]),
                              max_size=3), min_size=1, max_size=12))
def test_every_unread_key_is_counted_exactly(tmp_path_factory, extra):
    """Generated records, each with some keys the reader doesn't know: the report's count
    of each is the number of records that had it, and every article is imported."""
    folder = tmp_path_factory.mktemp("gen")
    path = folder / "gen.jsonl"
    path.write_text("".join(
        json.dumps({"text": f"Article {n}.", **{key: n for key in keys}}) + "\n"
        for n, keys in enumerate(extra)))
    from annotator.formats.importer import import_paths
    from annotator.store import open_project

    store = open_project(folder / "p.db")
    try:
        report = import_paths(store, [path])
    finally:
        store.close()
    expected = {key: sum(key in keys for keys in extra) for key in set().union(*extra)}
    assert report.ok and report.articles == len(extra)
    assert {what: count for (_, what, _), count in report.unread.items()} == {
        f"field {key!r}": count for key, count in expected.items()}


# --- Shapes other tools write (review 2) ---


def test_spacy_v2_training_tuples_under_entities_are_read(tmp_path, capsys):
    """{"text", "entities": [[start, end, label]]}: spaCy v2's training data as JSONL."""
    source = tmp_path / "ents.jsonl"
    source.write_text(
        json.dumps({"text": "Apple buys Beats.", "entities": [[0, 5, "ORG"], [11, 16, "ORG"]]})
        + "\n" + json.dumps({"text": "Nothing here.", "entities": []}) + "\n"
    )
    assert detect_format(source) == "doccano"
    code, out = run(capsys, tmp_path / "p.db", source)
    assert code == 0, out
    assert sql(tmp_path / "p.db", "SELECT label, substr(a.text, start + 1, end - start) "
               "FROM spans JOIN articles a ON a.id = article_id ORDER BY start") == [
        ("ORG", "Apple"), ("ORG", "Beats")]
    assert "not read" not in out


def test_spacy_doc_to_json_records_are_read_with_their_entities(tmp_path, capsys):
    """spaCy's own Doc.to_json(), one a line; a token attribute we do not keep is named."""
    import spacy

    nlp = spacy.blank("en")
    # A first record without "ents" (a tool that leaves the key out): detected as JSONL,
    # read again as what the second record shows.
    lines = [json.dumps({"text": "Plain.", "tokens": [{"id": 0, "start": 0, "end": 5}]})]
    for text, ents in (("No names here.", []), ("Apple buys Beats in London.",
                                                [(0, 5, "ORG"), (20, 26, "GPE")])):
        doc = nlp(text)
        doc.ents = [doc.char_span(s, e, label) for s, e, label in ents]
        data = doc.to_json()
        data["tokens"][0]["pos"] = "PROPN"
        lines.append(json.dumps(data))
    lines.append(json.dumps({"text": "Linked.", "ents": [{"start": 0, "end": 6,
                                                          "label": "ORG", "kb_id": "Q1"}]}))
    source = tmp_path / "docs.jsonl"
    source.write_text("\n".join(lines) + "\n")
    db = tmp_path / "p.db"
    code, out = run(capsys, db, source)
    assert code == 0, out
    assert sql(db, "SELECT label, substr(a.text, start + 1, end - start) FROM spans "
                   "JOIN articles a ON a.id = article_id ORDER BY spans.id") == [
        ("ORG", "Apple"), ("GPE", "London"), ("ORG", "Linked")]
    assert sql(db, "SELECT json_extract(meta, '$.normalizations[0].ref') FROM spans "
                   "WHERE label = 'ORG' AND start = 0 AND end = 6") == [("Q1",)]
    assert f"{source}: token field 'pos' not read in 2 tokens" in out
    assert (f"{source}:2: 'ents' holds spaCy Doc.to_json() entities (read by the doccano "
            "reader): the file was read as doccano") in out
    # Named as JSONL, the file is refused with the format that reads it.
    code, out = run(capsys, tmp_path / "q.db", source, "--format", "jsonl")
    assert code == 1 and "import docs.jsonl with --format doccano" in out


def test_our_jsonl_exports_span_provenance_is_a_known_key(tmp_path, capsys):
    source = tmp_path / "ours.jsonl"
    source.write_text(json.dumps({"text": "Apple buys Beats.", "spans": [
        {"start": 0, "end": 5, "label": "ORG", "origin": "model:en", "decision": "accepted"},
        {"start": 11, "end": 16, "label": "ORG", "origin": "manual", "colour": "red"}]}) + "\n")
    code, out = run(capsys, tmp_path / "p.db", source)
    assert code == 0, out
    assert "'origin'" not in out and "'decision'" not in out
    assert f"{source}: span field 'colour' not read in 1 span" in out
