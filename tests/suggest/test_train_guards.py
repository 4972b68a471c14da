"""Guard rails around training: the examples per label are counted first and a run too small
to learn anything is refused before spaCy starts; the trained model's mapping names every
label its pipeline predicts. No real `spacy train` here: the child process is replaced by one
that writes a tiny pipeline built in the test, as spaCy would leave model-best."""

import json
import subprocess
import sys

import pytest
import spacy

from annotator.cli.entry import main
from annotator.formats.importer import import_paths
from annotator.formats.spacy.writer import export_spacy
from annotator.suggest import train as train_module
from annotator.suggest.train import model_labels, train_model
from annotator.suggest.train_check import TooFewExamples, training_counts, training_layer
from tests.agreement_helpers import two_layers
from tests.conftest import on_disk
from tests.spacy_shards import shard_docs


def records(n, labels=("PERSON", "GPE")):
    """n articles, each with one span of every label in `labels`."""
    out = []
    names = {"PERSON": "Ali Hassan", "GPE": "Mosul", "ORG": "Kataib Hezbollah"}
    for i in range(n):
        text = " and ".join(names[label] for label in labels) + f" on day {i}."
        spans, at = [], 0
        for label in labels:
            at = text.index(names[label], at)
            spans.append({"start": at, "end": at + len(names[label]), "label": label})
        out.append({"text": text, "spans": spans})
    return out


def imported(store, tmp_path, recs, name="train.jsonl"):
    path = tmp_path / name
    path.write_text("".join(json.dumps(r) + "\n" for r in recs))
    import_paths(store, [path])
    return store


class NoSpacyTrain:
    """Stands in for subprocess.Popen: fails the test if training is started."""

    def __init__(self, *args, **kwargs):
        raise AssertionError("spacy train was started")


def test_one_training_and_one_dev_article_is_refused_before_spacy_starts(
        store, tmp_path, monkeypatch):
    """The issue's case: two articles ran for minutes and ended with F 0.0, no warning."""
    imported(store, tmp_path, records(2))
    monkeypatch.setattr(train_module.subprocess, "Popen", NoSpacyTrain)
    with pytest.raises(TooFewExamples) as refused:
        train_model(store, tmp_path / "out")
    message = str(refused.value)
    assert "fewer than 5 training examples of GPE (1 in training, 1 in dev), " \
           "PERSON (1 in training, 1 in dev)" in message
    assert not (tmp_path / "out").exists()  # not even the export was written
    counts = refused.value.counts
    assert (counts.train_articles, counts.dev_articles) == (1, 1)
    assert counts.train == {"PERSON": 1, "GPE": 1} and counts.dev == {"PERSON": 1, "GPE": 1}


def test_counts_follow_the_exports_split_and_name_each_label(store, tmp_path):
    imported(store, tmp_path, records(10) + records(3, labels=("ORG",)))
    counts = training_counts(store)
    assert counts.train_articles + counts.dev_articles == 13 and counts.dev_articles == 3
    assert sum(counts.train.values()) + sum(counts.dev.values()) == 23
    assert counts.train["ORG"] + counts.dev.get("ORG", 0) == 3
    problems = counts.problems()
    assert len(problems) == 1 and problems[0].startswith("fewer than 5 training examples of ORG (")
    table = counts.table().splitlines()
    assert table[0] == "Training examples: 10 training and 3 dev article(s)"
    assert [line.split()[0] for line in table[2:]] == ["GPE", "ORG", "PERSON"]
    assert table[3].endswith("< minimum")
    # A lower minimum lets it through; one article alone has no dev set to measure on.
    assert training_counts(store, min_examples=1).problems() == []


def test_a_single_article_has_no_dev_set_and_is_refused(store, tmp_path):
    imported(store, tmp_path, records(1))
    counts = training_counts(store, min_examples=1)
    assert counts.problems() == [
        "no dev articles to measure the model on (2 or more articles needed)"]


@pytest.fixture
def tiny_pipeline(tmp_path):
    """A blank English pipeline with an untrained ner that predicts five labels."""
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    for label in ("GPE", "ORG", "PERSON", "DATE", "WEAPONRY"):
        ner.add_label(label)
    nlp.initialize()
    nlp.to_disk(tmp_path / "tiny")
    return tmp_path / "tiny"


def test_model_labels_come_from_the_pipeline(tiny_pipeline):
    assert model_labels(tiny_pipeline) == ["DATE", "GPE", "ORG", "PERSON", "WEAPONRY"]


class FakeSpacyTrain:
    """What `spacy train` leaves behind, without training: model-best is the tiny pipeline,
    and its meta.json scores GPE only (the dev articles held nothing else)."""

    pipeline = None

    def __init__(self, command, **kwargs):
        import shutil

        output = command[command.index("--output") + 1]
        best = f"{output}/model-best"
        shutil.copytree(self.pipeline, best)
        meta = json.loads(open(f"{best}/meta.json").read())
        meta["performance"] = {"ents_per_type": {"GPE": {"p": 0.5, "r": 0.25, "f": 0.333}}}
        open(f"{best}/meta.json", "w").write(json.dumps(meta))
        self.stdout = iter(["  0       0          0.00     10.00    0.00    0.00    0.00    0.00\n"])
        self.returncode = 0

    def wait(self):
        return 0


def test_the_trained_models_mapping_lists_every_label_it_predicts(
        store, tmp_path, monkeypatch, tiny_pipeline):
    imported(store, tmp_path, records(12, labels=("PERSON", "GPE", "ORG")))
    FakeSpacyTrain.pipeline = tiny_pipeline
    monkeypatch.setattr(train_module.subprocess, "Popen", FakeSpacyTrain)
    report = train_model(store, tmp_path / "out", name="tiny")
    [(mapping,)] = on_disk(store, "SELECT mapping FROM sources WHERE name = 'tiny'")
    # All five, not only the GPE the dev scores name; WEAPONRY is not a project label.
    assert json.loads(mapping) == {
        "DATE": "DATE", "GPE": "GPE", "ORG": "ORG", "PERSON": "PERSON", "WEAPONRY": None}
    summary = report.summary().splitlines()
    assert "  GPE            50.0   25.0   33.3" in summary
    assert "  PERSON            —      —      —  (no dev examples)" in summary


def test_train_anyway_goes_ahead_and_warns(store, tmp_path, monkeypatch, tiny_pipeline):
    imported(store, tmp_path, records(2))
    FakeSpacyTrain.pipeline = tiny_pipeline
    monkeypatch.setattr(train_module.subprocess, "Popen", FakeSpacyTrain)
    report = train_model(store, tmp_path / "out", name="anyway", anyway=True)
    summary = report.summary()
    assert "Warnings:\n  trained anyway with fewer than 5 training examples of GPE" in summary


def test_the_command_prints_the_counts_and_refuses(store, tmp_path, capsys, monkeypatch):
    imported(store, tmp_path, records(2))
    store.close()
    monkeypatch.setattr(train_module.subprocess, "Popen", NoSpacyTrain)
    code = main(["train", str(tmp_path / "project.db"), str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert code == 1
    assert out.splitlines()[0] == "Training examples: 1 training and 1 dev article(s)"
    assert "  GPE                 1      1  < minimum" in out
    assert err.startswith("annotator: Training refused: fewer than 5 training examples of GPE")
    assert "Traceback" not in err


def test_the_command_help_names_the_minimum():
    done = subprocess.run([sys.executable, "-m", "annotator", "train", "--help"],
                          capture_output=True, text=True)
    assert "--min-examples N" in done.stdout and "--anyway" in done.stdout


def test_the_counts_are_the_entities_the_training_export_holds(store, tmp_path):
    """Two annotators and a gold layer: the counts are the entities in doc.ents of the
    export the run trains on (the gold layer), not every layer's added up."""
    two_layers(store)
    store.fill_article_gold(1)
    counts = training_counts(store, dev_share=0.0)
    with training_layer(store):  # as train_model exports: the layer trained on (gold here)
        export_spacy(store, tmp_path / "spacy", dev_share=0.0)
    ents: dict[str, int] = {}
    for doc in shard_docs(tmp_path / "spacy", vocab=spacy.blank("en").vocab):
        for ent in doc.ents:
            ents[ent.label_] = ents.get(ent.label_, 0) + 1
    assert counts.train == ents
