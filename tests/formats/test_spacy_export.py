"""Export for spaCy: load what was written with spaCy itself and find the annotations."""

import subprocess
import sys

import pytest
import spacy
from formats_helpers import SEED, delete_elsewhere, tricky_id, write_jsonl
from spacy.tokens import DocBin
from spacy_shards import shard_docs

from annotator.core.agreement import LayerSpan, LayerUnits
from annotator.core.errors import AnnotatorError
from annotator.formats.records import Cancelled
from annotator.formats.spacy.writer import export_spacy, split_ids
from annotator.store import open_project
from tests.agreement_helpers import two_layers


def load(outdir, split):
    return shard_docs(outdir, (split,))


def all_docs(outdir):
    return shard_docs(outdir)


def test_labels_reach_doc_ents_and_the_span_group(project, tmp_path):
    out = tmp_path / "out"
    report = export_spacy(project, out)
    docs = all_docs(out)
    # 150 headlines (92 with spans, 58 accepted without: negative examples), the tricky
    # record, and the labelled seed article.
    assert len(docs) == report.docs == 152 and report.negatives == 58
    ents = {ent.label_ for doc in docs for ent in doc.ents}
    group = {span.label_ for doc in docs for span in doc.spans["sc"]}
    assert {"ORG", "PERSON", "LOCATION", "GPE"} <= ents
    assert {"ORG", "PERSON", "LOCATION", "GPE", "NORP"} <= group
    assert report.spans_by_label["LOCATION"] == 58 and report.spans_by_label["PERSON"] == 22

    seed = next(doc for doc in docs if doc.user_data["title"].startswith("US Drone Strike"))
    assert ("Kataib Hezbollah", "ORG") in {(e.text, e.label_) for e in seed.ents}
    assert seed.user_data["status"] == "done"


def test_overlaps_stay_in_the_span_group_and_are_counted(project, tmp_path):
    report = export_spacy(project, tmp_path / "out")
    doc = next(d for d in all_docs(tmp_path / "out") if d.user_data["ext_id"] == "tricky-1")
    assert doc.user_data["article_id"] == tricky_id(project)
    assert doc.user_data["title"] == "Tricky spans"
    assert {(s.text, s.label_) for s in doc.spans["sc"]} == {
        ("Kataib Hezbollah", "ORG"), ("Hezbollah fighters", "NORP"), ("Baghdad", "GPE"),
    }
    # Equal length: the earlier one wins doc.ents, the other is reported as kept out.
    assert [(e.text, e.label_) for e in doc.ents] == [("Kataib Hezbollah", "ORG"), ("Baghdad", "GPE")]
    assert report.overlaps == 1 and report.overlaps_by_label == {"NORP": 1}
    assert "kept out of doc.ents (still in the span group): 1 (NORP 1)" in report.summary()


def test_a_misaligned_span_is_reported_and_exported_widened(project, tmp_path):
    report = export_spacy(project, tmp_path / "out")
    assert len(report.misaligned) == 1
    item = report.misaligned[0]
    assert (item.article_id, item.title, item.start, item.end, item.text, item.label) == (
        tricky_id(project), "Tricky spans", 31, 37, "Baghda", "GPE")
    assert item.exported == (31, 38)
    written = (tmp_path / "out" / "export-report.txt").read_text()
    assert "31-37 'Baghda' GPE: exported as 31-38 (widened to whole tokens)" in written
    assert 'alignment_mode="expand"' in written


def test_a_span_of_spaces_only_is_reported_not_written(tmp_path):
    store = open_project(tmp_path / "p.db")
    record = {"text": "Protests in  Basra.", "spans": [{"start": 11, "end": 13, "label": "GPE"},
                                                    {"start": 13, "end": 18, "label": "GPE"}]}
    import_path = write_jsonl(tmp_path / "a.jsonl", [record])
    from annotator.formats.importer import import_paths

    import_paths(store, [import_path])
    report = export_spacy(store, tmp_path / "out")
    assert [(m.text, m.exported) for m in report.misaligned] == [("  ", None)]
    assert "NOT exported, it covers no token" in report.summary()
    [doc] = all_docs(tmp_path / "out")
    assert [(e.text, e.label_) for e in doc.ents] == [("Basra", "GPE")]
    store.close()


def test_the_split_is_seeded_and_follows_the_dev_share(project, tmp_path):
    def dev_titles(seed, share, name):
        export_spacy(project, tmp_path / name, seed=seed, dev_share=share)
        return [d.user_data["article_id"] for d in load(tmp_path / name, "dev")]

    first, again = dev_titles(0, 0.2, "a"), dev_titles(0, 0.2, "b")
    assert first == again and len(first) == round(152 * 0.2)
    assert set(dev_titles(1, 0.2, "c")) != set(first)
    assert len(dev_titles(0, 0.5, "d")) == 76
    assert dev_titles(0, 0.0, "e") == []


def test_split_ids_edges():
    assert split_ids([1, 2], 0.01, 0) and len(split_ids([1, 2], 0.01, 0)) == 1
    assert len(split_ids([1, 2, 3], 0.9, 0)) == 2  # training keeps at least one
    assert split_ids([7], 0.5, 0) == set()
    assert split_ids(list(range(100)), 0.3, 5) == split_ids(list(reversed(range(100))), 0.3, 5)
    with pytest.raises(AnnotatorError, match="dev share"):
        split_ids([1, 2], 1.0, 0)


def test_done_only_and_done_articles_without_spans(project, tmp_path):
    tricky = tricky_id(project)
    project.set_status(tricky, "new")
    empty = project.conn.execute(
        "SELECT id FROM articles WHERE n_spans = 0 ORDER BY id LIMIT 1").fetchone()[0]
    report = export_spacy(project, tmp_path / "done", done_only=True)
    docs = all_docs(tmp_path / "done")
    # The seed and the 150 headlines, accepted in Prodigy and so done.
    assert report.docs == 151 and {d.user_data["status"] for d in docs} == {"done"}
    assert empty in {d.user_data["article_id"] for d in docs}
    assert tricky not in {d.user_data["article_id"] for d in docs}
    # Without --done-only the tricky record, with spans, goes out too.
    assert export_spacy(project, tmp_path / "all").docs == 152


def test_skipped_articles_are_left_out_and_counted(project, tmp_path):
    project.set_status(tricky_id(project), "skipped")
    report = export_spacy(project, tmp_path / "out")
    assert report.docs == 151 and report.skipped_articles == 1
    assert "Articles marked skipped, left out although they have spans: 1" in report.summary()


def test_nothing_to_export_says_so(tmp_path):
    store = open_project(tmp_path / "p.db")
    with pytest.raises(AnnotatorError, match="nothing to export"):
        export_spacy(store, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    store.close()


def test_cancel_writes_nothing(project, tmp_path):
    with pytest.raises(Cancelled):
        export_spacy(project, tmp_path / "out", progress=lambda done, total: False)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_article_deleted_while_the_export_runs_is_left_out_and_said(
    project, tmp_path, monkeypatch, jobs
):
    from annotator.formats.spacy import writer

    monkeypatch.setattr(writer, "READ_CHUNK", 10)
    ids = project.export_ids(False, False)
    # The last two: not read yet at the first report (a pool's shards are made while the
    # next are read, at most two a process ahead).
    doomed = ids[-2:]
    seen = []

    def progress(done, total):
        if not seen:
            delete_elsewhere(project, doomed)
        seen.append((done, total))
        return True

    report = export_spacy(
        project, tmp_path / "out", progress=progress, jobs=jobs, shard_articles=40
    )
    assert report.jobs == jobs  # two: shards made by a pool of processes
    written = sorted(doc.user_data["article_id"] for doc in all_docs(tmp_path / "out"))
    assert written == [i for i in ids if i not in doomed]
    assert report.docs == 150 and report.deleted == doomed
    assert (
        f"Articles deleted while the export ran, left out: 2 (id {doomed[0]}, {doomed[1]})"
        in report.summary()
    )
    assert seen[-1][0] == seen[-1][1] == 152  # the progress still reaches its end


def test_config_is_spacys_own_with_absolute_paths(project, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    export_spacy(project, "relative-out")
    out = tmp_path / "relative-out"
    config = spacy.util.load_config(out / "config.cfg")
    assert config["paths"]["train"] == str(out / "train")
    assert config["paths"]["dev"] == str(out / "dev")
    assert config["nlp"]["lang"] == "en" and config["nlp"]["pipeline"] == ["tok2vec", "ner"]


def spacy_cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "spacy", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def done_headlines(project, tmp_path):
    """All 150 headlines marked done (those without spans are negative examples): spaCy's
    debug data wants 100 training documents before it calls a new pipeline trainable."""
    project.conn.execute("UPDATE articles SET status = 'done' WHERE source = 'prodigy-news-headlines.jsonl'")
    project.conn.commit()
    out = tmp_path / "export"
    export_spacy(project, out, done_only=True)
    return out


@pytest.mark.slow
def test_spacy_debug_data_accepts_the_export(done_headlines, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = spacy_cli("debug", "data", done_headlines / "config.cfg", "--verbose", cwd=elsewhere)
    assert result.returncode == 0, result.stdout + result.stderr
    [labels] = [line for line in result.stdout.splitlines() if "Labels in train data" in line]
    for label in ("ORG", "PERSON", "LOCATION"):
        assert f"'{label}'" in labels


@pytest.mark.slow
def test_spacy_train_runs_on_the_export_as_is(done_headlines, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    model = tmp_path / "model"
    result = spacy_cli("train", done_headlines / "config.cfg", "--training.max_steps", "10",
                       "--training.eval_frequency", "5", "--output", model, cwd=elsewhere)
    assert result.returncode == 0, result.stdout + result.stderr
    nlp = spacy.load(model / "model-last")
    assert {"ORG", "PERSON", "LOCATION"} <= set(nlp.get_pipe("ner").labels)


def test_the_seed_article_alone_is_exported(tmp_path):
    from formats_helpers import label_seed

    from annotator.formats.importer import import_paths

    store = open_project(tmp_path / "p.db")
    import_paths(store, [SEED])
    label_seed(store)
    report = export_spacy(store, tmp_path / "out")
    assert (report.train_docs, report.dev_docs) == (1, 0)
    assert "dev/ is empty" in report.summary()
    store.close()


def test_event_triggers_go_to_their_own_span_group(project, tmp_path):
    from annotator.core.model import TRIGGER, Span

    article = project.article(tricky_id(project))
    start = article.text.index("left")
    project.insert_span(Span(None, article.id, start, start + 4, "Movement.Transport", kind=TRIGGER))
    report = export_spacy(project, tmp_path / "out")
    doc = next(d for d in all_docs(tmp_path / "out") if d.user_data["ext_id"] == "tricky-1")
    assert [s.text for s in doc.spans["triggers"]] == ["left"]
    assert "left" not in {e.text for e in doc.ents} | {s.text for s in doc.spans["sc"]}
    assert report.triggers == 1 and "Event triggers: 1" in report.summary()


def test_a_word_selected_without_its_invisible_character_is_widened_and_reported(tmp_path):
    """A double-click takes "Berlin" out of "\\u200bBerlin" (core.tokens); spaCy's token keeps
    the ZWSP, so the export widens the span to the token and says so, like any other span
    that does not fit spaCy's tokens."""
    from annotator.core.interaction import Interaction, carry_out
    from annotator.core.session import Session
    from annotator.formats.importer import import_paths

    store = open_project(tmp_path / "p.db")
    text = "Flights to \u200bBerlin resumed."
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    import_paths(store, [tmp_path / "a.txt"])
    session = Session(store)
    session.open_first()
    keys = Interaction(session)
    keys.select_word(text.index("Berlin") + 1)
    carry_out(keys.press("g"), session.apply, lambda question: False)
    berlin = text.index("Berlin")
    assert [(s.start, s.end) for s in store.spans(session.article.id)] == [(berlin, berlin + 6)]

    report = export_spacy(store, tmp_path / "out", dev_share=0)
    [moved] = report.misaligned
    assert (moved.text, moved.exported, moved.how) == ("Berlin", (berlin - 1, berlin + 6), "expanded")
    assert [(e.text, e.label_) for e in all_docs(tmp_path / "out")[0].ents] == [("\u200bBerlin", "GPE")]
    written = (tmp_path / "out" / "export-report.txt").read_text(encoding="utf-8")
    assert f"{berlin}-{berlin + 6} 'Berlin' GPE: exported as {berlin - 1}-{berlin + 6}" in written


def test_a_persons_span_left_out_of_their_span_group_is_said(store, tmp_path):
    """--span-groups yes: a span of bob's that covers no token (a run of spaces) can't be in
    his group; the report says so, naming it, instead of dropping it silently."""
    text = two_layers(store)
    space = text.index(" ")
    store.write_layers([(1, "carol", LayerUnits((LayerSpan(space, space + 1, "ORG"),)))])
    report = export_spacy(store, tmp_path / "out", dev_share=0.0, span_groups="yes")
    summary = report.summary()
    assert "Left out of the annotators' span groups: 1 span(s)" in summary, summary
    assert "carol's ORG ' '" in summary, summary
