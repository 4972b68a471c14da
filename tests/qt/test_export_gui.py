"""File › Export in the window: DocBin and JSONL written in the background, readable by spaCy."""

import json

import spacy
from spacy.tokens import DocBin
from spacy_shards import shard_docs


def label(window, word, name):
    text = window.session.article.text
    start = text.index(word)
    window.view.set_text_selection(start, start + len(word))
    window.controller.apply_label(name)


def test_export_for_spacy_from_the_window(qtbot, window, tmp_path):
    from annotator.qt.controllers import file_menu

    label(window, "Kataib Hezbollah", "ORG")
    label(window, "Baghdad", "GPE")
    window.controller.finish_and_next("done")
    label(window, "Basra", "GPE")
    out = tmp_path / "export"
    job = file_menu.run_export(window, "spacy", str(out), dev_share=0.5, seed=1, done_only=False)
    with qtbot.waitSignal(job.done, timeout=60000):
        pass
    nlp = spacy.blank("en")
    docs = shard_docs(out, vocab=nlp.vocab)
    found = sorted((ent.text, ent.label_) for doc in docs for ent in doc.ents)
    assert found == [("Baghdad", "GPE"), ("Basra", "GPE"), ("Kataib Hezbollah", "ORG")]
    assert (out / "config.cfg").is_file()
    assert window.last_report.splitlines()[0]


def test_export_jsonl_only_done_articles(qtbot, window, tmp_path):
    from annotator.qt.controllers import file_menu

    label(window, "Pentagon", "ORG")
    window.controller.finish_and_next("done")
    label(window, "Basra", "GPE")  # article 2 stays in progress
    out = tmp_path / "done.jsonl"
    job = file_menu.run_export(window, "jsonl", str(out), done_only=True)
    with qtbot.waitSignal(job.done, timeout=60000):
        pass
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == 1
    assert [(s["label"], records[0]["text"][s["start"]:s["end"]]) for s in records[0]["spans"]] == [
        ("ORG", "Pentagon")]


def test_brat_conll_and_doccano_exports_from_the_window(qtbot, window, tmp_path):
    from annotator.qt.controllers import file_menu

    label(window, "Kataib Hezbollah", "ORG")
    for kind, target in (("brat", tmp_path / "brat"), ("conll", tmp_path / "out.conll"),
                         ("doccano", tmp_path / "doccano.jsonl")):
        job = file_menu.run_export(window, kind, str(target))
        with qtbot.waitSignal(job.done, timeout=60000):
            pass
    # brat and doccano take every article not marked skipped, the unlabelled ones too.
    articles = window.store.count_articles()
    anns = [p.read_text() for p in (tmp_path / "brat").glob("*.ann")]
    assert len(anns) == articles > 1
    [ann] = [text for text in anns if text]
    assert "\tORG " in ann and ann.rstrip().endswith("Kataib Hezbollah")
    conll = (tmp_path / "out.conll").read_text().splitlines()
    assert any(line.startswith("Kataib") and line.endswith("B-ORG") for line in conll)
    records = [json.loads(line) for line in (tmp_path / "doccano.jsonl").read_text().splitlines()]
    assert len(records) == articles
    [record] = [r for r in records if r["label"]]
    assert [record["text"][s:e] for s, e, lab in record["label"]] == ["Kataib Hezbollah"]


def test_the_spacy_export_asks_for_the_options_its_registry_entry_declares(qtbot, window):
    from PySide6.QtWidgets import QDialogButtonBox

    from annotator.formats import registry
    from annotator.qt.dialogs.export_options import ExportOptionsDialog

    dialog = ExportOptionsDialog(registry.exporter("spacy"), window)
    qtbot.addWidget(dialog)
    assert set(dialog.fields) == {"dev_share", "seed", "jobs", "span_groups"}
    assert dialog.fields["jobs"].placeholderText() == "every core"  # empty: every core
    dialog.fields["dev_share"].setText("1.5")
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    ok.click()
    assert dialog.result() == 0 and "must be at least 0 and below 1" in dialog.problem.text()
    dialog.fields["dev_share"].setText("0.25")
    dialog.fields["seed"].setText("7")
    dialog.done_only.setChecked(True)
    ok.click()
    assert dialog.result() == 1
    assert dialog.options() == {"dev_share": 0.25, "seed": 7, "done_only": True, "jobs": None,
                                "span_groups": "no"}  # fmt: skip


def test_the_window_exports_for_spacy_on_several_processes_and_cancels(qtbot, window, tmp_path):
    """A pool of two processes writes the shards (as the window's default, every core, does
    on a corpus of more than one shard); Cancel stops it and leaves nothing."""
    import multiprocessing

    from annotator.qt.controllers import file_menu

    label(window, "Kataib Hezbollah", "ORG")
    window.controller.finish_and_next("done")
    label(window, "Basra", "GPE")
    out = tmp_path / "export"
    job = file_menu.run_export(window, "spacy", str(out), jobs=2, shard_articles=1)
    with qtbot.waitSignal(job.done, timeout=120000):
        pass
    assert "shards made by 2 processes" in window.last_report
    assert len(list((out / "train").glob("*.spacy")) + list((out / "dev").glob("*.spacy"))) == 2
    found = sorted((e.text, e.label_) for doc in shard_docs(out) for e in doc.ents)
    assert found == [("Basra", "GPE"), ("Kataib Hezbollah", "ORG")]

    again = tmp_path / "cancelled"
    before = set(multiprocessing.active_children())  # another test's worker may still end
    job = file_menu.run_export(window, "spacy", str(again), jobs=2, shard_articles=1)
    job.dialog.canceled.emit()  # its Cancel button, while the pool starts (imports spaCy)
    with qtbot.waitSignal(job.done, timeout=120000) as cancelled:
        pass
    assert cancelled.args == [None]
    assert window.status.currentMessage() == "Export cancelled; nothing was written"
    assert not again.exists()
    assert set(multiprocessing.active_children()) <= before
