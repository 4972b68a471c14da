"""`annotator adjudicate` and the exports after it, run as a user would: agreed annotations
into gold, conflicts counted per article and label, gold exported by default and read back
with spaCy (doc.ents gold only; every annotator's layer as a span group on request)."""

import pytest
from spacy_shards import shard_docs

from annotator.cli import main
from annotator.core.layers import GOLD
from annotator.store import open_project
from tests.agreement_helpers import two_layers
from tests.conftest import on_disk


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "two.db"
    store = open_project(path)
    two_layers(store)
    store.close()
    return path


def gold_rows(path):
    store = open_project(path)
    try:
        return on_disk(store, "SELECT count(*) FROM spans WHERE annotator = ?", GOLD)[0][0]
    finally:
        store.close()


def test_without_auto_it_counts_and_writes_nothing(capsys, project):
    code, out, _ = run(capsys, "adjudicate", project)
    assert code == 0
    assert "1 article(s) with two or more annotators; agreed: every annotator." in out
    assert "nothing written (--auto fills the gold layer)" in out
    assert "conflicts left: 5 in 1 article(s)" in out
    assert "  article 1 (" in out and "): 5" in out
    # per label: the second Baghdad GPE / LOC, Pentagon ORG, Iraq GPE; two roles
    for line in ("  GPE: 1", "  GPE / LOC: 1", "  ORG: 1", "  role Instrument: 1",
                 "  role Target: 1"):  # fmt: skip
        assert line in out
    assert gold_rows(project) == 0


def test_auto_fills_gold_once_and_majority_is_kept_as_the_setting(capsys, project):
    code, out, _ = run(capsys, "adjudicate", project, "--auto")
    assert code == 0
    # 3 agreed entities, the trigger, the event; the Place argument waits for its filler's
    # span conflict (the second Baghdad: GPE or LOC) to be decided
    assert "gold: 5 span(s), event(s) and argument(s) added" in out
    assert gold_rows(project) == 4
    code, out, _ = run(capsys, "adjudicate", project, "--auto")
    assert "gold: 0 span(s)" in out and gold_rows(project) == 4
    code, out, _ = run(capsys, "adjudicate", project, "--majority")
    assert "agreed: more than half" in out
    assert "policy saved (majority); gold not filled" in out and "nothing written" not in out
    store = open_project(project)
    try:
        assert store.adjudication_policy() == "majority"
    finally:
        store.close()


def test_exports_take_gold_by_default_and_every_layer_on_request(capsys, project, tmp_path):
    run(capsys, "adjudicate", project, "--auto")
    code, out, err = run(capsys, "export", "spacy", project, tmp_path / "gold", "--dev-share", "0",
                         "--jobs", "1", "--span-groups", "yes")  # fmt: skip
    assert code == 0, err
    assert "the gold layer (adjudicated), articles without gold left out" in out.splitlines()[0]
    assert "doc.spans['annotator:ann'] 6, doc.spans['annotator:bob'] 5" in out
    [doc] = shard_docs(tmp_path / "gold")
    text = doc.text
    assert sorted((e.text, e.label_) for e in doc.ents) == [
        ("Baghdad", "GPE"), ("Kataib Hezbollah", "ORG"), ("drone", "WEAPON")
    ]  # fmt: skip
    assert {p["annotator"] for p in doc.user_data["provenance"]} == {GOLD}
    assert not doc.user_data["events"][0]["arguments"]  # the Place waits for a decision
    ann = {(s.text, s.label_) for s in doc.spans["annotator:ann"]}
    bob = {(s.text, s.label_) for s in doc.spans["annotator:bob"]}
    assert ("Iraq", "GPE") in ann and ("Iraq", "GPE") not in bob
    assert ("The Pentagon", "ORG") in bob and ("Baghdad", "LOC") in bob
    assert text.count("Baghdad") >= 2
    # --all-layers: every layer together, as before gold existed
    code, out, _ = run(capsys, "export", "spacy", project, tmp_path / "all", "--dev-share", "0",
                       "--jobs", "1", "--all-layers")  # fmt: skip
    assert code == 0 and "every layer together (3 annotators)" in out.splitlines()[0]
    [doc] = shard_docs(tmp_path / "all")
    assert {p["annotator"] for p in doc.user_data["provenance"]} == {"ann", "bob", GOLD}
    assert "annotator:ann" not in doc.spans
    # one person's layer, as before
    code, out, _ = run(capsys, "export", "jsonl", project, tmp_path / "bob.jsonl",
                       "--annotator", "bob")  # fmt: skip
    assert code == 0 and "only bob's layer" in out.splitlines()[0]
    code, _, err = run(capsys, "export", "jsonl", project, tmp_path / "x.jsonl", "--all-layers",
                       "--annotator", "bob")  # fmt: skip
    assert code == 2 and "not allowed with argument" in err


def test_gold_is_a_name_an_import_cannot_take(capsys, tmp_path):
    text = tmp_path / "a.txt"
    text.write_text("Title\n\nShelling hit Kharkiv.\n")
    code, _, err = run(capsys, "import", tmp_path / "p.db", text, "--annotator", "Gold")
    assert code == 1
    assert "--annotator: 'Gold' is the name of a layer the app keeps" in err


def test_agreement_leaves_gold_out_unless_it_is_named(capsys, project):
    import json

    run(capsys, "adjudicate", project, "--auto")
    code, out, _ = run(capsys, "agree", project, "--json")
    assert code == 0 and json.loads(out)["annotators"] == ["ann", "bob"]
    code, out, _ = run(capsys, "agree", project, "--json", "--annotators", "ann,gold")
    pair = json.loads(out)["pairs"][0]
    assert (pair["a"], pair["b"]) == ("ann", GOLD)
