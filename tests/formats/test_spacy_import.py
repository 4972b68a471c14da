"""spaCy DocBin (.spacy) and v2 JSON training files: import, and DocBin export → import."""

import json
from collections import Counter
from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin, Span as SpacySpan

from annotator.formats.importer import import_paths
from annotator.formats.spacy.writer import export_spacy
from annotator.store import open_project
from formats_helpers import SEED, add_seed_events, annotations, label_seed

DATA = Path(__file__).resolve().parents[1] / "data" / "spacy"


def labels(store) -> Counter:
    return Counter(label for (label,) in store.conn.execute("SELECT label FROM spans"))


def test_the_explosion_projects_docbin(store):
    report = import_paths(store, [DATA / "ner_tweets_demo.spacy"])
    assert report.ok and (report.articles, report.spans) == (1, 1) and not report.skipped
    article = store.article(1)
    assert article.text.startswith("I'm seeing Ed Sheeran on Wednesday")
    span = store.spans(1)[0]
    assert (article.text[span.start:span.end], span.label) == ("Ed Sheeran", "PERSON")


def test_ents_and_span_groups_count_once(store, tmp_path):
    nlp = spacy.blank("en")
    doc = nlp.make_doc("Kataib Hezbollah fighters left Baghdad")
    doc.ents = [SpacySpan(doc, 0, 2, "ORG"), SpacySpan(doc, 4, 5, "GPE")]
    doc.spans["sc"] = [SpacySpan(doc, 0, 2, "ORG"), SpacySpan(doc, 1, 3, "NORP")]
    doc.spans["ruler"] = [SpacySpan(doc, 4, 5, "GPE")]
    path = tmp_path / "docs.spacy"
    DocBin(docs=[doc]).to_disk(path)
    report = import_paths(store, [path])
    assert report.spans == 3 and labels(store) == Counter({"ORG": 1, "GPE": 1, "NORP": 1})


def test_our_docbin_export_comes_back_whole(tmp_path):
    source = open_project(tmp_path / "seed.db")
    import_paths(source, [SEED])
    label_seed(source)
    add_seed_events(source)
    export_spacy(source, tmp_path / "out", dev_share=0)
    before = annotations(source)
    again = open_project(tmp_path / "again.db")
    report = import_paths(again, [tmp_path / "out" / "train"])
    assert report.ok and not report.skipped, report.summary()
    assert annotations(again) == before  # entities, triggers, events, arguments
    article = again.article(1)
    assert (article.title, article.status) == (source.article(1).title, "done")
    source.close()
    again.close()


def test_the_v2_json_training_file(store):
    report = import_paths(store, [DATA / "training-data.json"])
    assert report.ok and (report.articles, report.spans) == (1, 11), report.summary()
    assert labels(store) == Counter({"PERSON": 5, "WORK_OF_ART": 2, "DATE": 1, "FAC": 1,
                                     "GPE": 1, "ORG": 1})
    article = store.article(1)
    assert article.meta == {"spacy_id": 42}
    found = {article.text[s.start:s.end] for s in store.spans(1)}
    # The tokens write `` and '' for the raw text's quotes: the offsets are the raw text's.
    assert {"The Misanthrope", "Revitalized Classics Take the Stage in Windy City",
            "Chicago", "Oct. 19", "Haag"} <= found


def test_v2_json_without_raw_with_entities_and_unknown_tags(store, tmp_path):
    docs = [{"id": 0, "paragraphs": [
        {"sentences": [{"tokens": [{"orth": "Baghdad", "ner": "U-GPE"},
                                   {"orth": "burns", "ner": "-"}]}]},
        {"raw": "Iraq and Iran", "entities": [[0, 4, "GPE"], [0, 8, "GPE"], [9, 13, "GPE"]],
         "sentences": [{"tokens": [{"orth": "Iraq"}, {"orth": "and"}, {"orth": "Iran"}]}]}]}]
    path = tmp_path / "train.json"
    path.write_text(json.dumps(docs, indent=2))
    report = import_paths(store, [path])
    assert store.article(1).text == "Baghdad burns\n\nIraq and Iran"
    # doc.ents can't overlap: the longest of the two starting together is kept.
    assert sorted((s.start, s.end) for s in store.spans(1)) == [(0, 7), (15, 23), (24, 28)]
    assert report.notes == [f"{path}:2: 1 token(s) tagged '-' (entity annotation unknown) "
                            "read as O"]
    assert report.skipped == [f"{path}:2: span 15-19 GPE overlaps 15-23 GPE; doc.ents has no "
                              "overlapping entities"]


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_a_damaged_docbin_fails_cleanly_and_writes_nothing(store, tmp_path, damage):
    data = (DATA / "ner_tweets_demo.spacy").read_bytes()
    path = tmp_path / "bad.spacy"
    path.write_bytes({"truncate": data[: len(data) // 2], "garbage": b"\x78\x9c" + bytes(range(200)),
                      "empty": b""}[damage])
    report = import_paths(store, [path])
    assert store.count_articles() == 0
    if damage == "empty":
        assert report.skipped == [f"{path}:1: empty file (no documents)"]
    else:
        assert report.failed_files[0].startswith(f"{path}: not a spaCy DocBin")
