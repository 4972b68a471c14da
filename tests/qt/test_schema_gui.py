"""Edit > Label schema in the window: add a label and use its key at once, rename (merge)
one, merge a schema file in; checked in SQLite and on screen."""

import json

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMessageBox

from tests.qt.conftest import rows
from tests.qt.test_labelling import drag
# own_preferences: the settings dialog's OK saves the user's preferences; each test clears them.
from tests.qt.test_settings_gui import ok, own_preferences  # noqa: F401


def press_ok(dialog) -> None:
    QTest.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def stored_schema(store) -> dict:
    return json.loads(rows(store, "SELECT value FROM meta WHERE key = 'schema'")[0][0])


def test_add_a_label_from_the_menu_then_label_with_its_key(qtbot, window):
    from annotator.qt.dialogs.schema import AddLabelDialog

    window.schema_actions.add_label.trigger()
    [dialog] = [d for d in window.findChildren(AddLabelDialog) if d.isVisible()]
    QTest.keyClicks(dialog.name, "CASUALTY")
    QTest.keyClicks(dialog.key, "p")
    QTest.keyClicks(dialog.description, "the dead and wounded")
    press_ok(dialog)
    # p is PERSON's: the dialog stays open, says so, and nothing is saved.
    assert dialog.isVisible() and dialog.problem.text() == "key 'p' is already used by PERSON"
    assert "CASUALTY" not in [e["name"] for e in stored_schema(window.store)["entities"]]
    dialog.key.clear()
    QTest.keyClicks(dialog.key, "z")
    press_ok(dialog)
    assert not dialog.isVisible()
    added = [e for e in stored_schema(window.store)["entities"] if e["name"] == "CASUALTY"]
    assert added and added[0]["key"] == "z" and added[0]["description"] == "the dead and wounded"
    chip = window.palette_widget.chips["CASUALTY"]
    assert chip.isVisible() and "[z] CASUALTY" in chip.text()

    text = window.session.article.text
    start = text.index("three US troops")
    drag(qtbot, window.view, start, start + len("three US troops"))
    QTest.keyClick(window.view, Qt.Key.Key_Z)
    assert rows(window.store, "SELECT start, end, label FROM spans") == [
        (start, start + len("three US troops"), "CASUALTY")]


def test_rename_merges_a_label_into_another_and_clears_undo(qtbot, window):
    from annotator.qt.dialogs.schema import RenameDialog

    text = window.session.article.text
    start = text.index("Pentagon")
    drag(qtbot, window.view, start, start + len("Pentagon"))
    QTest.keyClick(window.view, Qt.Key.Key_F)  # FAC, by mistake for a whole corpus
    assert window.controller.undo_stack.canUndo()
    window.schema_actions.rename.trigger()
    [dialog] = [d for d in window.findChildren(RenameDialog) if d.isVisible()]
    dialog.old.setCurrentText("FAC")
    dialog.new.setCurrentText("ORG")
    assert "1 annotation(s) use FAC. ORG exists: the two merge into ORG." in dialog.explain.text()
    press_ok(dialog)
    assert rows(window.store, "SELECT start, label FROM spans") == [(start, "ORG")]
    assert "FAC" not in [e["name"] for e in stored_schema(window.store)["entities"]]
    assert "FAC" not in window.palette_widget.chips
    assert [s.label for s in window.view.spans] == ["ORG"]
    assert not window.controller.undo_stack.canUndo()
    assert "Renamed FAC to ORG (1 annotation(s))" in window.status.currentMessage()


def test_no_rename_while_a_suggestion_job_writes(qtbot, window, tmp_path):
    from annotator.qt.dialogs.schema import RenameDialog

    terms = tmp_path / "terms.tsv"
    terms.write_text("ORG\tPentagon\n")
    window.store.add_source("terms", "patterns", str(terms))
    job = window.suggestions.run("terms", "corpus")
    window.schema_actions.rename.trigger()
    assert not [d for d in window.findChildren(RenameDialog) if d.isVisible()]
    assert "Wait for the suggestion or training job" in window.status.currentMessage()
    with qtbot.waitSignal(job.finished, timeout=60000):
        pass
    window.schema_actions.rename.trigger()
    assert [d for d in window.findChildren(RenameDialog) if d.isVisible()]


def test_merge_a_schema_file_with_a_new_event_type(qtbot, window, tmp_path, monkeypatch):
    path = tmp_path / "extra.toml"
    path.write_text('[[entities]]\nlabel = "CASUALTY"\nkey = "h"\n\n'
                    '[[events]]\ntype = "Justice.Arrest"\nkey = "J"\n\n'
                    '[[events.roles]]\nrole = "Person"\nlabels = ["PERSON"]\n')
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    said = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: said.append(text))
    window.schema_actions.merge.trigger()
    assert said and said[0].startswith("Added: CASUALTY, event type Justice.Arrest")
    schema = stored_schema(window.store)
    assert "Justice.Arrest" in [t["type"] for t in schema["events"]]
    assert "Justice.Arrest" in window.palette_widget.chips
    # The new event key works in the view straight away.
    text = window.session.article.text
    start = text.index("strike")
    drag(qtbot, window.view, start, start + len("strike"))
    QTest.keyClick(window.view, Qt.Key.Key_J, Qt.KeyboardModifier.ShiftModifier)
    assert rows(window.store, "SELECT type FROM events") == [("Justice.Arrest",)]


def test_a_renamed_label_dialog_during_an_import_says_why_in_the_window(store, tmp_path, qtbot):
    """The window's Rename dialog while another program imports: the refusal is shown in
    the dialog, no traceback."""
    from annotator.formats.record_writer import write_records
    from annotator.formats.records import ArticleRecord, ImportReport, SpanRecord
    from annotator.qt.dialogs.schema import RenameDialog
    from annotator.store import open_project

    def records():
        for n in range(200):
            if n == 100:
                dialog = RenameDialog(window_store, None)
                qtbot.addWidget(dialog)
                dialog.old.setCurrentText("PERSON")
                dialog.new.setCurrentText("HUMAN")
                dialog.buttons.accepted.emit()
                shown.append((dialog.problem.text(), dialog.result()))
                dialog.grab().save(str(tmp_path / "rename_refused.png"))
            yield ArticleRecord(f"Article {n}: Alice Smith.", f"f:{n + 1}",
                                spans=[SpanRecord(12, 23, "PERSON")])

    window_store = open_project(store.path)
    shown = []
    write_records(store, records(), ImportReport(), source="news.jsonl")

    assert shown == [(f"{store.path}: an import (news.jsonl) is running; rename PERSON once it "
                      "has finished", 0)]
    window_store.close()


def test_a_label_added_after_a_key_was_rebound_never_gets_that_key(qtbot, window):
    """span.next rebound to s in Settings › Keys; then Edit › Add a label SOURCE: typing s
    is refused with the reason, and left empty ("a free one") the label gets a key that is
    not s. s still goes to the next span; SOURCE's key labels."""
    from annotator.qt.dialogs.schema import AddLabelDialog

    settings = window.settings.open()
    qtbot.addWidget(settings)
    settings.tabs.setCurrentWidget(settings.keys)
    settings.keys.select("span.next")
    QTest.keyClick(settings.keys.key_edit, Qt.Key.Key_S)
    ok(settings)

    window.schema_actions.add_label.trigger()
    [dialog] = [d for d in window.findChildren(AddLabelDialog) if d.isVisible()]
    QTest.keyClicks(dialog.name, "SOURCE")
    QTest.keyClicks(dialog.key, "s")
    press_ok(dialog)
    assert dialog.isVisible() and dialog.problem.text() == (
        "key 's' is already used by the span.next command")
    dialog.key.clear()
    press_ok(dialog)
    assert not dialog.isVisible()
    [added] = [e for e in stored_schema(window.store)["entities"] if e["name"] == "SOURCE"]
    assert added["key"] not in ("s", "S", "")
    assert f"[{added['key']}] SOURCE" in window.palette_widget.chips["SOURCE"].text()
    assert window.keymap.conflicts(window.store.schema) == []

    text, view = window.session.article.text, window.view
    start = text.index("Pentagon")
    view.set_text_selection(start, start + len("Pentagon"))
    QTest.keyClick(view, getattr(Qt.Key, f"Key_{added['key'].upper()}"))
    assert [s.label for s in window.session.spans if s.start == start] == ["SOURCE"]
    QTest.keyClick(view, Qt.Key.Key_Escape)
    QTest.keyClick(view, Qt.Key.Key_S)
    assert view.selected_span() is not None
