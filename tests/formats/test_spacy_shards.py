"""The spaCy export as folders of DocBin shards: the same Docs as the single-file export wrote,
the same files from one process and from two, folders spaCy itself reads, a cancel that
leaves nothing behind, and an import of the shards."""

import multiprocessing
from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin
from spacy.training import Corpus

from annotator.formats.importer import import_paths
from annotator.formats.records import Cancelled
from annotator.formats.spacy import writer
from annotator.formats.spacy.writer import export_spacy
from annotator.store import open_project
from spacy_shards import shard_docs, shard_files

DATA = Path(__file__).resolve().parents[1] / "data"
# What the single-file export (commit 762ca80) wrote for this project with dev share 0.25 and
# seed 7: tests/data/spacy-single-export/README.md.
SINGLE = DATA / "spacy-single-export"
SOURCES = [
    DATA / "brat" / "news-tutorial",
    DATA / "brat" / "bionlp-st-2011-ge",
    DATA / "brat" / "conll-st-2002",
    DATA / "prodigy-rel-component.jsonl",
    DATA / "prodigy-news-headlines.jsonl",
    DATA / "doccano",
]


@pytest.fixture
def corpus(store):
    """221 exportable articles: events, relations, attributes, notes, a normalization,
    misaligned spans, negatives."""
    report = import_paths(store, SOURCES)
    assert report.ok and report.articles == 227, report.summary()
    return store


def single_file_docs(split):
    vocab = spacy.blank("en").vocab
    return list(DocBin(store_user_data=True).from_disk(SINGLE / f"{split}.spacy").get_docs(vocab))


def described(doc) -> dict:
    """Everything a Doc carries that the export sets, in plain values."""
    return {
        "text": doc.text,
        "tokens": [(t.idx, t.text, t.whitespace_, t.ent_iob_, t.ent_type_) for t in doc],
        "ents": [(e.start_char, e.end_char, e.label_, e.kb_id_) for e in doc.ents],
        "spans": {
            key: [(s.start_char, s.end_char, s.label_, s.kb_id_) for s in group]
            for key, group in doc.spans.items()
        },
        "user_data": {
            k: _without_author(k, v) for k, v in doc.user_data.items() if isinstance(k, str)
        },
    }


def _without_author(key, value):
    """The golden files predate the annotator each provenance entry now names (several
    annotators' layers); everything else must be as it was."""
    if key != "provenance":
        return value
    return [{k: v for k, v in entry.items() if k != "annotator"} for entry in value]


def test_the_shards_hold_every_doc_the_single_file_export_held(corpus, tmp_path):
    out = tmp_path / "out"
    report = export_spacy(corpus, out, dev_share=0.25, seed=7, jobs=1, shard_articles=20)
    # 166 train articles in shards of 20, 55 dev: the same seeded split as before.
    assert [p.name for p in shard_files(out, "train")] == [f"train-{i:05d}.spacy" for i in range(9)]
    assert len(shard_files(out, "dev")) == 3
    assert (report.train_docs, report.dev_docs) == (166, 55)
    for split in ("train", "dev"):
        old = [described(doc) for doc in single_file_docs(split)]
        new = [described(doc) for doc in shard_docs(out, (split,))]
        assert len(new) == len(old)
        for before, after in zip(old, new, strict=True):
            assert after == before
    assert not (out / "train.spacy").exists()


def test_one_process_and_two_write_the_same_files(corpus, tmp_path):
    one = export_spacy(corpus, tmp_path / "one", jobs=1, shard_articles=30)
    two = export_spacy(corpus, tmp_path / "two", jobs=2, shard_articles=30)
    assert (one.jobs, two.jobs) == (1, 2)
    assert "shards made by 2 processes" in two.summary()
    for split in ("train", "dev"):
        ones, twos = shard_files(tmp_path / "one", split), shard_files(tmp_path / "two", split)
        assert [p.name for p in ones] == [p.name for p in twos] and len(ones) > 1
        for a, b in zip(ones, twos, strict=True):
            assert a.read_bytes() == b.read_bytes(), a.name
    # The report adds the shards' figures up to what one pass finds.
    assert two.summary().splitlines()[:-3] == [
        line.replace(str(tmp_path / "one"), str(tmp_path / "two"))
        for line in one.summary().splitlines()[:-3]
    ]


def test_spacy_reads_the_folders_the_config_names(corpus, tmp_path):
    out = tmp_path / "out"
    report = export_spacy(corpus, out, jobs=1, shard_articles=50)
    config = spacy.util.load_config(out / "config.cfg")
    assert config["paths"]["train"] == str(out / "train")
    assert config["paths"]["dev"] == str(out / "dev")
    assert config["training"]["max_epochs"] == 0  # small: spaCy's default, shuffled in memory
    nlp = spacy.blank("en")
    train = list(Corpus(config["paths"]["train"])(nlp))
    dev = list(Corpus(config["paths"]["dev"])(nlp))
    assert (len(train), len(dev)) == (report.train_docs, report.dev_docs)
    assert len(shard_files(out, "train")) == 4
    assert "folders of .spacy shards, which spacy train reads whole" in report.summary()


def test_a_large_corpus_gets_a_streaming_config(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(writer, "STREAM_ABOVE", 100)
    report = export_spacy(corpus, tmp_path / "out", jobs=1)
    config = spacy.util.load_config(tmp_path / "out" / "config.cfg")
    assert report.streamed and config["training"]["max_epochs"] == -1
    assert config["corpora"]["dev"]["limit"] == writer.DEV_LIMIT
    assert config["nlp"]["batch_size"] == writer.EVAL_BATCH
    assert "training.max_epochs = -1" in (tmp_path / "out" / "export-report.txt").read_text()


def test_cancel_stops_the_pool_and_leaves_the_older_export(corpus, tmp_path):
    out = tmp_path / "out"
    export_spacy(corpus, out, jobs=1, shard_articles=500)
    before = {p.name: p.read_bytes() for p in shard_files(out, "train")}
    calls = []
    children = set(multiprocessing.active_children())  # another test's worker may still end

    def progress(done, total):
        calls.append(done)
        return len(calls) < 3

    with pytest.raises(Cancelled):
        export_spacy(corpus, out, jobs=2, shard_articles=10, progress=progress)
    assert set(multiprocessing.active_children()) <= children  # the pool's processes are gone
    assert {p.name: p.read_bytes() for p in shard_files(out, "train")} == before
    assert sorted(p.name for p in out.iterdir()) == [
        "config.cfg",
        "dev",
        "export-report.txt",
        "train",
    ]  # no staging folder, no half-written shard


def test_a_new_export_replaces_the_older_folders_and_single_files(corpus, tmp_path):
    out = tmp_path / "out"
    export_spacy(corpus, out, jobs=1, shard_articles=20)
    assert len(shard_files(out, "train")) == 9
    (out / "train.spacy").write_bytes((SINGLE / "train.spacy").read_bytes())
    (out / "dev.spacy").write_bytes((SINGLE / "dev.spacy").read_bytes())
    report = export_spacy(corpus, out, jobs=1, shard_articles=100)
    assert [p.name for p in shard_files(out, "train")] == [
        "train-00000.spacy",
        "train-00001.spacy",
    ]  # no shard of the older export left over
    assert not (out / "train.spacy").exists() and not (out / "dev.spacy").exists()
    assert "Removed the older single-file export's train.spacy, dev.spacy" in report.summary()


def test_the_export_folder_and_a_single_file_import_alike(corpus, tmp_path):
    out = tmp_path / "out"
    export_spacy(corpus, out, dev_share=0.25, seed=7, jobs=1, shard_articles=20)
    shards = open_project(tmp_path / "shards.db")
    single = open_project(tmp_path / "single.db")
    try:
        from_shards = import_paths(shards, [out / "train", out / "dev"])
        from_single = import_paths(single, [SINGLE / "train.spacy", SINGLE / "dev.spacy"])
        assert from_shards.ok and from_single.ok
        assert from_shards.articles == from_single.articles == 221
        assert (from_shards.spans, from_shards.events) == (from_single.spans, from_single.events)
        assert len(from_shards.files) == 12  # every shard, config.cfg and the report left out

        def texts(store):
            return sorted(a.text for a in store.export_articles(False, unlabelled=True))

        assert texts(shards) == texts(single)
    finally:
        shards.close()
        single.close()
