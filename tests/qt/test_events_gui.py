"""Events in the real window: trigger by key, roles by digit + mouse or keyboard, undo, panel."""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from annotator.qt.controllers.annotation import AnnotationController
from tests.qt.conftest import rows


def select_word(view, text, word, after=0):
    start = text.index(word, after)
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                      view.point_for_offset(start + 1))
    return start


def click(view, offset):
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     view.point_for_offset(offset))


def args_on_disk(store):
    return rows(store, "SELECT a.role, s.label, a.override FROM event_arguments a "
                       "JOIN spans s ON s.id = a.span_id ORDER BY a.id")


def test_trigger_then_two_arguments_by_key_and_mouse_then_undo_one(qtbot, window, tmp_path):
    view, text = window.view, window.session.article.text
    body = text.index("Baghdad, Iraq")
    us = select_word(view, text, "US", body)
    QTest.keyClick(view, Qt.Key.Key_G)
    select_word(view, text, "strike", body)
    QTest.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)  # Conflict.Attack
    assert rows(window.store, "SELECT type FROM events") == [("Conflict.Attack",)]
    trigger = rows(window.store, "SELECT start, end, kind FROM spans WHERE kind = 'trigger'")
    assert [(text[s:e], k) for s, e, k in trigger] == [("strike", "trigger")]
    # Role 1 (Attacker) by key, filler by mouse.
    QTest.keyClick(view, Qt.Key.Key_1)
    click(view, us + 1)
    # Role 2 (Target) by key; the filler is new: select "commander", press PERSON's key.
    QTest.keyClick(view, Qt.Key.Key_2)
    select_word(view, text, "commander", body)
    QTest.keyClick(view, Qt.Key.Key_P)
    assert args_on_disk(window.store) == [("Attacker", "GPE", 0), ("Target", "PERSON", 0)]
    target = window.event_panel.tree.topLevelItem(0).child(1)
    assert target.text(0).startswith("2  Target · PERSON, ORG")
    assert target.child(0).text(0) == "“commander” (PERSON)"
    assert [link.role for link in view.links] == ["Attacker", "Target"]
    # One undo takes the Target and the PERSON span made for it.
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert args_on_disk(window.store) == [("Attacker", "GPE", 0)]
    assert rows(window.store, "SELECT count(*) FROM spans WHERE label = 'PERSON'") == [(0,)]
    assert rows(window.store, "SELECT n_events FROM articles WHERE id = 1") == [(1,)]
    assert window.panel.model.index(0, 3).data() == 1
    check_every_export(window, tmp_path, text)


def check_every_export(window, tmp_path, text):
    """The event as the three exports write it, read back by spaCy, json and our brat reader."""
    import json

    import spacy
    from spacy.tokens import DocBin

    from annotator.formats.brat.writer import export_brat
    from annotator.formats.importer import import_paths
    from annotator.formats.jsonl.writer import export_jsonl
    from annotator.formats.spacy.writer import export_spacy
    from annotator.store import open_project

    store = window.store
    export_spacy(store, tmp_path / "spacy", dev_share=0.0)
    [doc] = DocBin().from_disk(tmp_path / "spacy" / "train" / "train-00000.spacy").get_docs(spacy.blank("en").vocab)
    [event] = doc.user_data["events"]
    assert event["type"] == "Conflict.Attack" and event["trigger"]["text"] == "strike"
    assert [(a["role"], a["text"], a["label"]) for a in event["arguments"]] == [("Attacker", "US", "GPE")]
    assert [(s.text, s.label_) for s in doc.spans["triggers"]] == [("strike", "Conflict.Attack")]

    export_jsonl(store, tmp_path / "out.jsonl")
    [record] = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    [relation] = record["relations"]
    assert relation["label"] == "Attacker"
    assert text[relation["head_span"]["start"]:relation["head_span"]["end"]] == "strike"
    assert text[relation["child_span"]["start"]:relation["child_span"]["end"]] == "US"

    export_brat(store, tmp_path / "brat")
    # Every article's .ann (the folder's order is the file system's): one event in all.
    ann = "\n".join(path.read_text() for path in sorted((tmp_path / "brat").glob("*.ann")))
    [e_line] = [line for line in ann.splitlines() if line.startswith("E")]
    assert e_line.split("\t")[1].startswith("Conflict_Attack:T") and " Attacker:T" in e_line
    again = open_project(tmp_path / "again.db")
    import_paths(again, [tmp_path / "brat"])
    [back] = [e for article in again.article_rows() for e in again.events(article.id)]
    spans = {s.id: s for s in again.spans(back.article_id)}
    trigger = spans[back.trigger_id]
    assert (back.type, trigger.start, trigger.end) == (
        "Conflict.Attack", *[(s.start, s.end) for s in window.session.spans if s.kind == "trigger"][0])
    assert [(a.role, spans[a.span_id].label, spans[a.span_id].start) for a in back.arguments] == [
        ("Attacker", "GPE", text.index("US", text.index("Baghdad, Iraq")))]
    again.close()


def test_a_refused_filler_needs_confirmation_and_is_marked(qtbot, window, monkeypatch):
    view, text = window.view, window.session.article.text
    body = text.index("Baghdad, Iraq")
    pentagon = select_word(view, text, "Pentagon", body)
    QTest.keyClick(view, Qt.Key.Key_O)
    select_word(view, text, "killed", body)
    QTest.keyClick(view, Qt.Key.Key_D, Qt.KeyboardModifier.ShiftModifier)  # Life.Die
    answers = []
    monkeypatch.setattr(AnnotationController, "ask",
                        lambda self, reason: answers.append(reason) or False)
    QTest.keyClick(view, Qt.Key.Key_2)  # Victim takes PERSON or NORP, not ORG
    click(view, pentagon + 1)
    assert answers and "Victim of Life.Die takes PERSON or NORP, not ORG" in answers[0]
    assert args_on_disk(window.store) == []
    assert "Not added" in window.status.currentMessage()
    monkeypatch.setattr(AnnotationController, "ask", lambda self, reason: True)
    QTest.keyClick(view, Qt.Key.Key_2)
    click(view, pentagon + 1)
    assert args_on_disk(window.store) == [("Victim", "ORG", 1)]
    assert "exception" in window.event_panel.tree.topLevelItem(0).child(1).child(0).text(0)


def test_deleting_an_argument_span_says_what_went_and_undo_restores(qtbot, window):
    view, text = window.view, window.session.article.text
    body = text.index("Baghdad, Iraq")
    baghdad = select_word(view, text, "Baghdad", body + 20)
    QTest.keyClick(view, Qt.Key.Key_G)
    select_word(view, text, "strike", body)
    QTest.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(view, Qt.Key.Key_4)  # Place
    # Keyboard only: Tab to the span, Enter picks it.
    QTest.keyClick(view, Qt.Key.Key_Tab)
    assert view.selected_span().label == "GPE"
    QTest.keyClick(view, Qt.Key.Key_Return)
    assert args_on_disk(window.store) == [("Place", "GPE", 0)]
    click(view, baghdad + 2)
    QTest.keyClick(window.view, Qt.Key.Key_Delete)  # the text has the keyboard
    assert "argument(s) (Place)" in window.status.currentMessage()
    assert args_on_disk(window.store) == []
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert args_on_disk(window.store) == [("Place", "GPE", 0)]


def test_panel_hover_outlines_and_click_selects_the_event(qtbot, window):
    view, text = window.view, window.session.article.text
    body = text.index("Baghdad, Iraq")
    select_word(view, text, "protesters")
    QTest.keyClick(view, Qt.Key.Key_P, Qt.KeyboardModifier.ShiftModifier)  # Demonstrate
    select_word(view, text, "crowds")
    QTest.keyClick(view, Qt.Key.Key_N)  # NORP stands in for the crowd here
    view.clear_selection()
    assert view.links == []
    tree = window.event_panel.tree
    item = tree.topLevelItem(0)
    assert item.text(0) == "Conflict.Demonstrate — “protesters”"
    window.event_panel.tree.itemEntered.emit(item, 0)
    trigger_id = window.session.events[0].trigger_id
    assert view.highlighted == {trigger_id}
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=tree.visualItemRect(item).center())
    assert view.selected_span_id == trigger_id
    assert body > 0
