"""File › Export in the window: DocBin and JSONL written in the background, readable by spaCy."""

import json

import spacy
from spacy.tokens import DocBin
from spacy_shards import shard_docs

import annotator.formats.builtin  # noqa: F401  (registers the exporters)
from annotator.core.agreement import LayerSpan, LayerUnits
from annotator.core.layers import GOLD
from annotator.formats import registry
from annotator.formats.importer import import_paths
from annotator.qt.dialogs.export_options import ExportOptionsDialog
from annotator.qt.dialogs.layer_choice import export_layers, read_layer
from annotator.store import open_project
from tests.agreement_helpers import two_layers
from tests.formats.test_gold_export import corpus
from tests.qt.test_adjudication_gui import active_window


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


def test_the_export_dialog_counts_follow_the_layer_chosen(qtbot, store):
    """The sentence under the Layer box counts the articles the chosen layer's export
    takes, names the layer, and counts again when another layer is chosen."""
    corpus(store)
    dialog = ExportOptionsDialog(registry.exporter("spacy"), None, store, export_layers(store))
    qtbot.addWidget(dialog)
    assert dialog.layer.currentData() == "gold"
    # The gold export takes article 1 only, and the sentence names the layer.
    assert "Exports 1 article" in dialog.scope.text(), dialog.scope.text()
    assert "from the gold layer" in dialog.scope.text(), dialog.scope.text()
    dialog.layer.setCurrentIndex(dialog.layer.findData(""))  # every layer together
    assert "Exports 3 articles" in dialog.scope.text(), dialog.scope.text()


def test_the_counts_say_what_the_gold_export_takes(qtbot, store, tmp_path):
    """Three done articles, only the first adjudicated: with the gold layer chosen (the
    default), the dialog counts what the gold export takes."""
    two_layers(store)  # article 1: ann and bob
    (tmp_path / "b.txt").write_text("Second\n\nProtesters gathered in Basra on Friday.\n")
    (tmp_path / "c.txt").write_text("Third\n\nThe Pentagon said the strike was lawful.\n")
    import_paths(store, [tmp_path / "b.txt", tmp_path / "c.txt"])
    store.write_layers([(2, "ann", LayerUnits((LayerSpan(23, 28, "GPE"),), ())),
                        (3, "bob", LayerUnits((LayerSpan(4, 12, "ORG"),), ()))])
    for article_id in (1, 2, 3):
        store.set_status(article_id, "done")
    store.fill_article_gold(1)  # only the first is adjudicated
    entry = registry.exporter("spacy")
    layers = export_layers(store)
    assert layers[0][0] == GOLD
    dialog = ExportOptionsDialog(entry, None, store, layers)
    qtbot.addWidget(dialog)
    dialog.done_only.setChecked(True)
    said = dialog.scope.text()
    store.read_layer = read_layer(dialog.options()["layer"])
    taken = store.export_ids(True)
    store.read_layer = None
    assert f"Exports the {len(taken)} done" in said, (said, taken)


def test_file_export_offers_the_layer_for_every_format_once_there_is_gold(
    qtbot, tmp_path, monkeypatch
):
    """File > Export as… asks for the options (and so the Layer box) for JSONL and brat too,
    which have no options of their own, once the project holds gold: every layer or one
    person's can be exported from the window, as --annotator / --all-layers do."""
    from PySide6.QtWidgets import QDialog, QFileDialog

    from annotator.qt.controllers import file_menu

    store = open_project(tmp_path / "two.db")
    two_layers(store)
    store.fill_article_gold(1)
    window = active_window(qtbot, store)
    asked = []

    class Dialog:
        def __init__(self, entry, *args):
            asked.append(entry.name)

        def exec(self):
            return QDialog.DialogCode.Rejected

    monkeypatch.setattr(file_menu, "ExportOptionsDialog", Dialog)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: "")
    for kind in ("spacy", "jsonl", "brat"):
        file_menu.export_as(window, kind)
    assert asked == ["spacy", "jsonl", "brat"]
