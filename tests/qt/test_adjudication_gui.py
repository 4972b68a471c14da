"""Review › Adjudicate in the window, driven by real keys: two annotators' layers on the
founding article, agreements in gold at once, conflicts resolved by key (take 1, take 2,
neither, both), Ctrl+Z undoing one, progress in the article list, and gold exported to spaCy
from the window and read back with spaCy."""

from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from spacy_shards import shard_docs

from annotator.core.layers import GOLD
from annotator.store import open_project
from tests.agreement_helpers import two_layers
from tests.qt.conftest import open_window, rows

CTRL, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier
KEYS = {"1": Qt.Key.Key_1, "2": Qt.Key.Key_2, "3": Qt.Key.Key_3, "b": Qt.Key.Key_B,
        "n": Qt.Key.Key_N, "e": Qt.Key.Key_E}  # fmt: skip


def gold_words(store):
    return sorted(
        rows(store, "SELECT substr(a.text, s.start + 1, s.end - s.start), s.label FROM spans s "
             "JOIN articles a ON a.id = s.article_id WHERE s.annotator = ? AND s.kind = 'entity'",
             GOLD)
    )  # fmt: skip


def gold_roles(store):
    return sorted(
        rows(store, "SELECT g.role, substr(a.text, s.start + 1, s.end - s.start) "
             "FROM event_arguments g JOIN spans s ON s.id = g.span_id JOIN articles a "
             "ON a.id = s.article_id WHERE g.annotator = ?", GOLD)
    )  # fmt: skip


def press(window, key):
    QTest.keyClick(window.adjudication.panel.list, KEYS[key])


def go_to(window, text, word="", role=""):
    """Step the conflict list with ↓ / ↑ (real keys) to the conflict about `word` or `role`."""
    adjudication = window.adjudication
    panel = adjudication.panel.list

    def here():
        c = adjudication._current()
        return c is not None and (
            (role and c.role == role) or (word and not c.role and text[c.start : c.end] == word)
        )

    for _ in range(panel.count()):
        if here():
            return adjudication._current()
        QTest.keyClick(panel, Qt.Key.Key_Down)
    for _ in range(panel.count()):
        if here():
            return adjudication._current()
        QTest.keyClick(panel, Qt.Key.Key_Up)
    raise AssertionError(f"no conflict about {word or role}")


def active_window(qtbot, store):
    """The window, once it is the active one (window shortcuts need that)."""
    from PySide6.QtWidgets import QApplication

    window = open_window(qtbot, store)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    return window


def list_status(window, article_id=1):
    model = window.panel.model
    return model.data(model.index(model.row_of(article_id), 1))


def test_conflicts_are_resolved_by_key_undone_and_gold_goes_to_spacy(qtbot, tmp_path):
    store = open_project(tmp_path / "two.db")
    text = two_layers(store)
    window = active_window(qtbot, store)
    assert list_status(window) == "New"
    QTest.keyClick(window.view, Qt.Key.Key_J, CTRL | ALT)  # Review › Adjudicate
    adjudication = window.adjudication
    assert adjudication.active and window.side_tabs.currentWidget() is adjudication.panel
    assert store.annotator == GOLD
    assert window.annotators.name_label.text() == "Adjudicating → gold"
    # What ann and bob agree on is in gold at once, and shown: the view's tags say whose.
    assert gold_words(store) == [("Baghdad", "GPE"), ("Kataib Hezbollah", "ORG"),
                                 ("drone", "WEAPON")]  # fmt: skip
    # The Place is agreed, but its filler (the second Baghdad: GPE or LOC) is in conflict:
    # the argument waits for that decision rather than take ann's label unasked.
    assert gold_roles(store) == []
    assert {s.annotator for s in window.session.spans} == {"ann", "bob", GOLD}
    assert adjudication.panel.list.count() == 5
    assert adjudication.panel.summary.text() == (
        "1 ann · 2 bob · unanimous\n4 agreed, in gold · 5 conflicts, 5 open"
    )
    assert list_status(window) == "New · 5 conflicts"

    iraq = go_to(window, text, word="Iraq")
    assert adjudication.panel.list.currentItem().text().endswith("1 ann: GPE  2 bob: nothing")
    assert window.view.highlighted  # the conflict's spans light up in the text
    press(window, "1")  # take ann's: Iraq GPE
    assert ("Iraq", "GPE") in gold_words(store)
    assert rows(store, "SELECT choice FROM adjudication_decisions WHERE key = ?", iraq.key) == [
        ("take:ann",)
    ]
    go_to(window, text, word="The Pentagon")
    press(window, "2")  # take bob's: The Pentagon
    assert ("The Pentagon", "ORG") in gold_words(store)
    assert ("Pentagon", "ORG") not in gold_words(store)
    press(window, "3")  # no third annotator: said, nothing written
    assert "There is no annotator 3" in window.status.currentMessage()
    go_to(window, text, role="Target")
    press(window, "n")  # neither
    assert gold_roles(store) == []
    go_to(window, text, role="Instrument")
    press(window, "b")  # both (only ann gave one)
    assert gold_roles(store) == [("Instrument", "drone")]
    assert list_status(window) == "New · 1 conflict"

    QTest.keyClick(window.view, Qt.Key.Key_Z, CTRL)  # undoes "both"
    assert gold_roles(store) == []
    assert list_status(window) == "New · 2 conflicts"
    assert rows(store, "SELECT open FROM adjudication_progress") == [(2,)]
    item = next(adjudication.panel.list.item(r) for r in range(5)
                if "Target" in adjudication.panel.list.item(r).text())  # fmt: skip
    assert item.text().startswith("✓ took neither")

    go_to(window, text, role="Instrument")
    press(window, "1")
    go_to(window, text, word="Baghdad")
    press(window, "1")  # the second Baghdad: ann's GPE; the Place waiting for it goes in
    assert gold_roles(store) == [("Instrument", "drone"), ("Place", "Baghdad")]
    assert list_status(window) == "New · gold"
    assert adjudication.panel.summary.text().endswith("5 conflicts, 0 open")
    window.grab().save(str(tmp_path / "adjudicated.png"))

    from annotator.qt.controllers import file_menu

    out = tmp_path / "gold"
    job = file_menu.run_export(window, "spacy", str(out), dev_share=0.0, seed=0, done_only=False,
                               jobs=1, span_groups="yes", layer=GOLD)  # fmt: skip
    with qtbot.waitSignal(job.done, timeout=60000):
        pass
    assert "the gold layer (adjudicated)" in window.last_report.splitlines()[0]
    [doc] = shard_docs(out)
    assert sorted((e.text, e.label_) for e in doc.ents) == [
        ("Baghdad", "GPE"), ("Baghdad", "GPE"), ("Iraq", "GPE"), ("Kataib Hezbollah", "ORG"),
        ("The Pentagon", "ORG"), ("drone", "WEAPON"),
    ]  # fmt: skip
    [event] = doc.user_data["events"]
    assert sorted((a["role"], a["text"]) for a in event["arguments"]) == [
        ("Instrument", "drone"), ("Place", "Baghdad")
    ]  # fmt: skip
    assert ("Baghdad", "LOC") in {(s.text, s.label_) for s in doc.spans["annotator:bob"]}

    adjudication.action.trigger()  # leave the mode: the window writes as its person again
    assert not adjudication.active and store.annotator != GOLD
    assert window.side_tabs.indexOf(adjudication.panel) == -1


def test_edit_resolves_by_hand_and_the_labels_go_to_gold(qtbot, tmp_path):
    store = open_project(tmp_path / "two.db")
    text = two_layers(store)
    window = active_window(qtbot, store)
    window.adjudication.action.trigger()
    conflict = go_to(window, text, word="Iraq")
    press(window, "e")
    assert window.view.hasFocus() or window.focusWidget() is window.view
    window.view.set_text_selection(conflict.start, conflict.end)
    QTest.keyClick(window.view, Qt.Key.Key_L)  # LOC, typed by the adjudicator
    assert ("Iraq", "LOC") in gold_words(store)
    assert store.decisions(1) == {conflict.key: "edit"}
    assert rows(store, "SELECT annotator FROM spans WHERE label = 'LOC' AND start = ?",
                conflict.start) == [(GOLD,)]  # fmt: skip


def test_the_export_dialog_offers_gold_every_layer_and_each_persons(qtbot, tmp_path):
    from annotator.formats import registry
    from annotator.qt.dialogs.export_options import ExportOptionsDialog
    from annotator.qt.dialogs.layer_choice import export_layers

    store = open_project(tmp_path / "two.db")
    two_layers(store)
    window = open_window(qtbot, store)
    assert [v for v, _ in export_layers(store)] == ["", "ann", "bob"]  # no gold yet
    store.fill_article_gold(1)
    choices = export_layers(store)
    dialog = ExportOptionsDialog(registry.exporter("spacy"), window, layers=choices)
    qtbot.addWidget(dialog)
    assert dialog.layer is not None
    assert [dialog.layer.itemText(i) for i in range(dialog.layer.count())] == [
        "the gold layer (adjudicated)", "every layer together", "only ann's layer",
        "only bob's layer",
    ]  # fmt: skip
    groups = dialog.fields["span_groups"]
    assert groups.currentData() == "no"
    groups.setCurrentIndex(1)
    dialog.layer.setCurrentIndex(2)
    assert dialog.options()["layer"] == "ann" and dialog.options()["span_groups"] == "yes"
    dialog.grab().save(str(tmp_path / "export-dialog.png"))


def test_a_decision_is_undone_with_ctrl_z_after_a_restart(qtbot, tmp_path):
    path = tmp_path / "two.db"
    store = open_project(path)
    text = two_layers(store)
    window = active_window(qtbot, store)
    window.adjudication.action.trigger()
    go_to(window, text, word="Iraq")
    press(window, "1")
    assert ("Iraq", "GPE") in gold_words(store)
    window.close()  # as on quitting: the next window on the file becomes its writer

    again = open_project(path)  # a new window on the file: its own store, its own stack
    window = active_window(qtbot, again)
    QTest.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert ("Iraq", "GPE") not in gold_words(again)
    assert again.decisions(1) == {}
    assert rows(again, "SELECT open FROM adjudication_progress") == [(5,)]


def test_majority_is_the_projects_setting_and_gold_is_no_ones_name(qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings

    from annotator.core.agreement import LayerSpan, LayerUnits
    from annotator.qt import identity

    store = open_project(tmp_path / "three.db")
    text = two_layers(store)
    start = text.index("Iraq")
    # cy agrees with ann on Iraq: two of three have it
    store.write_layers([(1, "cy", LayerUnits((LayerSpan(start, start + 4, "GPE"),)))])
    window = active_window(qtbot, store)
    window.adjudication.action.trigger()
    assert ("Iraq", "GPE") not in gold_words(store)  # unanimous: bob has no Iraq
    window.adjudication.majority.trigger()
    assert store.adjudication_policy() == "majority"
    assert ("Iraq", "GPE") in gold_words(store)
    assert "· majority" in window.adjudication.panel.summary.text()

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    monkeypatch.setattr(identity, "_settings", lambda: settings)
    window.annotators.set_name("Gold")
    assert "Name not changed" in window.status.currentMessage()
    assert identity.saved_name() is None


def test_a_label_key_on_an_annotators_tag_while_adjudicating_puts_the_label_into_gold(
    qtbot, tmp_path
):
    """In Review > Adjudicate every layer's tags are in the text. Selecting ann's "Iraq" tag
    and pressing L (LOC) leaves ann's row as it is: gold gets LOC there, and says so."""
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
    assert ("Iraq", "LOC") in gold_words(store)
    assert "LOC put into gold here (ann's GPE stays)" in window.status.currentMessage()
    window.view.select_span(iraq.id)
    QTest.keyClick(window.view, Qt.Key.Key_Delete)  # ann's row: refused, and said why
    assert rows(store, "SELECT label FROM spans WHERE id = ?", iraq.id) == [("GPE",)]
    assert "this span is ann's: while adjudicating only gold" in window.status.currentMessage()


def test_a_name_changed_while_adjudicating_is_taken_on_leaving_the_mode(
    qtbot, tmp_path, monkeypatch
):
    """Edit > Your name… while Review > Adjudicate is on: edits keep going to gold while the
    panel says adjudicating, and leaving the mode writes under the new name."""
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
