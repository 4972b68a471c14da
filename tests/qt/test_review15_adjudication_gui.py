"""Review of issue 15: adjudication in the window writing to the wrong layer."""

from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest

from annotator.core.layers import GOLD
from annotator.store import open_project
from tests.agreement_helpers import two_layers
from tests.qt.conftest import rows
from tests.qt.test_adjudication_gui import active_window


def test_a_label_key_on_an_annotators_tag_while_adjudicating_changes_their_layer(
    qtbot, tmp_path
):
    """In Review > Adjudicate every layer's tags are in the text. Selecting ann's "Iraq" tag
    and pressing L (LOC) relabels ann's own row: her layer is rewritten (under her name),
    gold gets nothing, and the conflict silently changes."""
    store = open_project(tmp_path / "two.db")
    text = two_layers(store)
    window = active_window(qtbot, store)
    window.adjudication.action.trigger()
    iraq = next(s for s in window.session.spans if text[s.start : s.end] == "Iraq")
    assert iraq.annotator == "ann"
    window.view.setFocus()
    window.view.select_span(iraq.id)
    QTest.keyClick(window.view, Qt.Key.Key_L)
    assert rows(store, "SELECT annotator, label FROM spans WHERE id = ?", iraq.id) == [
        ("ann", "GPE")
    ]


def test_changing_ones_name_while_adjudicating(qtbot, tmp_path, monkeypatch):
    """Edit > Your name… while Review > Adjudicate is on: the window writes as the person at
    once (edits meant for gold go to their layer while the panel still says adjudicating),
    and leaving the mode puts back the name from before the change."""
    from annotator.qt import identity

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    monkeypatch.setattr(identity, "_settings", lambda: settings)
    store = open_project(tmp_path / "two.db")
    two_layers(store)
    window = active_window(qtbot, store)
    before = store.annotator
    window.adjudication.action.trigger()
    window.annotators.set_name("zed")
    in_mode = store.annotator
    window.adjudication.action.trigger()  # leave the mode
    assert (before, in_mode, store.annotator) == (before, GOLD, "zed")


def test_file_export_jsonl_and_brat_offer_no_layer_once_there_is_gold(qtbot, tmp_path, monkeypatch):
    """File > Export as… shows the options dialog (and its Layer box) only for formats with
    options of their own: JSONL and brat have none, so once the project holds any gold they
    export the gold layer only, with no way in the window to export every layer or one
    person's (the command line has --annotator / --all-layers)."""
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
