"""Attributes, notes and knowledge-base ids edited in the window, as an annotator would: the
founding article's Attack event gets Polarity=Negative by key and Tense in the side panel, a
span gets a note and a Wikidata id; Ctrl+Z undoes each; SQLite, the tooltip, the corpus
search and the exports see them."""

import json

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QDesktopServices, QHelpEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QToolTip

from tests.qt.conftest import rows


def select_word(view, text, word, after=0):
    start = text.index(word, after)
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                      view.point_for_offset(start + 1))
    return start


def meta(store, table):
    return [json.loads(m) for (m,) in rows(store, f"SELECT meta FROM {table} ORDER BY id")]


def attack(window):
    """The Attack event on "strike" in the founding article's first paragraph, selected."""
    view, text = window.view, window.session.article.text
    select_word(view, text, "strike", text.index("Baghdad, Iraq"))
    QTest.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
    assert rows(window.store, "SELECT type FROM events") == [("Conflict.Attack",)]


def undo(window):
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def tooltip_of(view, offset):
    """The tooltip of the tag under the text at `offset`, asked as Qt asks (a help event)."""
    span = next(s for s in view.spans if s.start <= offset < s.end)
    top = view.point_for_offset(offset)
    for dy in range(0, 80):
        point = QPoint(top.x() + 2, top.y() + dy)
        layout = view._to_layout(QPointF(point))
        if view.text_layout.pill_at(layout.x(), layout.y()) == span:
            where = view.viewport().mapTo(view, point)
            QApplication.sendEvent(view, QHelpEvent(QEvent.Type.ToolTip, where,
                                                    view.mapToGlobal(where)))
            return QToolTip.text()
    raise AssertionError(f"no tag found under {span}")


def test_polarity_by_key_and_tense_in_the_panel_each_undone(qtbot, window):
    attack(window)
    details = window.span_details
    assert details.isVisible() and details.target.table == "events"
    polarity = details.form.fields["Polarity"]
    assert polarity.currentText() == "(Positive)"  # the default, not stored
    QTest.keyClick(window.view, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    assert meta(window.store, "events")[0]["attributes"] == {"Polarity": "Negative"}
    assert polarity.currentText() == "Negative"
    assert "Polarity" in window.statusBar().currentMessage()
    # In the panel: Tense, chosen from its combo with the keyboard.
    tense = details.form.fields["Tense"]
    tense.setFocus()
    QTest.keyClick(tense, Qt.Key.Key_Down)  # (Unspecified) -> Past
    assert meta(window.store, "events")[0]["attributes"] == {
        "Polarity": "Negative", "Tense": "Past"}
    undo(window)
    assert meta(window.store, "events")[0]["attributes"] == {"Polarity": "Negative"}
    assert details.form.fields["Tense"].currentText() == "(Unspecified)"
    assert "Polarity: Negative" in tooltip_of(window.view, window.view.selected_span().start)
    undo(window)
    assert meta(window.store, "events") == [{}]
    assert details.form.fields["Polarity"].currentText() == "(Positive)"
    # The menu names the keys the schema gives.
    entries = {a.objectName(): a.shortcut().toString() for a in details.parent().window()
               .attribute_keys.menu.actions() if a.objectName()}
    assert entries["attribute.Polarity"] == "Alt+P" and entries["edit.note"] == "Ctrl+Alt+N"


def test_a_note_and_a_wikidata_id_on_a_span(qtbot, window, monkeypatch):
    view, text = window.view, window.session.article.text
    start = select_word(view, text, "Kataib")
    QTest.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)  # + Hezbollah
    QTest.keyClick(view, Qt.Key.Key_O)
    assert window.view.selected_span().label == "ORG"
    form = window.span_details.form
    assert not form.fields  # the news schema gives ORG no attributes
    # The note by key (Ctrl+Alt+N), typed, saved when Tab leaves it.
    QTest.keyClick(window, Qt.Key.Key_N,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert form.note.hasFocus()
    QTest.keyClicks(form.note, "Iran-backed militia")
    QTest.keyClick(form.note, Qt.Key.Key_Tab)
    # The id, typed and confirmed with Enter.
    form.kb.setFocus()
    QTest.keyClicks(form.kb, "Q1530")
    QTest.keyClick(form.kb, Qt.Key.Key_Return)
    [stored] = meta(window.store, "spans")
    assert stored["notes"] == ["Iran-backed militia"]
    assert stored["normalizations"] == [
        {"type": "Reference", "ref": "Q1530", "text": "Kataib Hezbollah"}]
    # A link the person may open; the app itself opens nothing.
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    assert "https://www.wikidata.org/wiki/Q1530" in form.link.text()
    form.link.linkActivated.emit("https://www.wikidata.org/wiki/Q1530")
    assert opened == ["https://www.wikidata.org/wiki/Q1530"]
    tip = tooltip_of(view, start)
    assert "Reference: Q1530" in tip and "Note: Iran-backed militia" in tip
    undo(window)
    assert "normalizations" not in meta(window.store, "spans")[0]
    assert form.kb.text() == ""
    undo(window)
    assert meta(window.store, "spans") == [{}]
    assert form.note.toPlainText() == ""


def test_edits_made_in_the_window_are_searched_and_exported_everywhere(qtbot, window, tmp_path):
    import spacy

    from annotator.formats.annotation_meta import USER_DATA_KEY
    from annotator.formats.brat.writer import export_brat
    from annotator.formats.doccano.writer import export_doccano
    from annotator.formats.importer import import_paths
    from annotator.formats.jsonl.writer import export_jsonl
    from annotator.formats.spacy.writer import export_spacy
    from annotator.store import open_project
    from spacy_shards import shard_docs

    window.store.annotator = "alice"
    attack(window)
    QTest.keyClick(window.view, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    view, text = window.view, window.session.article.text
    start = select_word(view, text, "Kataib")
    QTest.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(view, Qt.Key.Key_O)
    form = window.span_details.form
    form.note.setFocus()
    QTest.keyClicks(form.note, "Designated in 2009; see Rafidain")
    form.kb.setFocus()  # leaving the note saves it
    QTest.keyClicks(form.kb, "Q1530")
    QTest.keyClick(form.kb, Qt.Key.Key_Return)

    # The corpus search finds the article by a word of the note and by the id.
    panel = window.panel
    for typed in ("Rafidain", "Q1530"):
        panel.search_box.clear()
        qtbot.keyClicks(panel.search_box, typed)
        qtbot.waitUntil(lambda typed=typed: window.session.filter.query == typed)
        assert panel.model.rowCount() == 1
    panel.search_box.clear()
    qtbot.keyClicks(panel.search_box, "Fallujah")  # in no text, note or id
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0)

    # brat: A, # and N lines and the conf's attribute; read back by the import.
    store = window.store
    report = export_brat(store, tmp_path / "brat")
    [ann] = [path for path in (tmp_path / "brat").glob("*.ann") if path.stat().st_size]
    lines = ann.read_text().splitlines()
    assert "A1\tPolarity E1 Negative" in lines
    t_org = next(line.split("\t")[0] for line in lines if line.endswith("\tKataib Hezbollah"))
    assert f"#1\tAnnotatorNotes {t_org}\tDesignated in 2009; see Rafidain" in lines
    assert f"N1\tReference {t_org} Q1530\tKataib Hezbollah" in lines
    conf = (tmp_path / "brat" / "annotation.conf").read_text()
    assert "Polarity\tArg:<EVENT>, Value:Positive|Negative" in conf
    assert "Who last edited the attributes, notes or ids of 2 annotation(s)" in report.summary()
    again = open_project(tmp_path / "again.db")
    assert import_paths(again, [tmp_path / "brat"]).ok
    back = {table: [json.loads(m) for (m,) in again.conn.execute(
        f"SELECT meta FROM {table} WHERE meta != '{{}}'")] for table in ("spans", "events")}
    assert back["events"] == [{"attributes": {"Polarity": "Negative"}}]
    assert back["spans"] == [{"notes": ["Designated in 2009; see Rafidain"], "normalizations": [
        {"type": "Reference", "ref": "Q1530", "text": "Kataib Hezbollah"}]}]
    assert again.schema.attribute("Polarity") == store.schema.attribute("Polarity")
    again.close()

    # spaCy, read with spaCy: the id as kb_id_, everything in user_data.
    export_spacy(store, tmp_path / "spacy", dev_share=0.0)
    [doc] = [doc for doc in shard_docs(tmp_path / "spacy", vocab=spacy.blank("en").vocab)
             if doc.text == text]
    [org] = [e for e in doc.ents if e.label_ == "ORG"]
    assert (org.start_char, org.text, org.kb_id_) == (start, "Kataib Hezbollah", "Q1530")
    data = doc.user_data[USER_DATA_KEY]
    assert data["spans"][f"{start}:{org.end_char}:ORG"]["notes"] == (
        "Designated in 2009; see Rafidain",)
    [event_meta] = data["events"].values()
    assert event_meta["attributes"] == {"Polarity": "Negative"}
    assert event_meta["edited_by"] == "alice"

    # JSONL keeps them on the span; doccano says what it leaves out.
    export_jsonl(store, tmp_path / "out.jsonl")
    [task] = [task for task in map(json.loads, (tmp_path / "out.jsonl").read_text().splitlines())
              if task["text"] == text]
    [kataib] = [s for s in task["spans"] if s["label"] == "ORG"]
    assert kataib["meta"]["notes"] == ["Designated in 2009; see Rafidain"]
    assert kataib["kb_id"] == "Q1530"
    doccano = export_doccano(store, tmp_path / "doccano.jsonl")
    assert "1 attributes, 1 notes, 1 normalizations not written: doccano" in doccano.summary()


def test_the_schemas_attributes_are_edited_in_a_table_and_their_keys_work_at_once(
        qtbot, window):
    from annotator.qt.dialogs.attributes import AttributesDialog

    dialog = window.attribute_keys.open_dialog()
    qtbot.addWidget(dialog)
    assert isinstance(dialog, AttributesDialog)
    table = dialog.table
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == [
        "Polarity", "Tense", "Genericity", "Modality"]
    assert table.item(0, 1).text() == "Positive|Negative" and table.item(0, 4).text() == "Alt+P"
    dialog.add_row(["Confidence", "High|Low", "<EVENT>", "", "Ctrl+T", "How sure the source is"])
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    # Ctrl+T is Snap's: refused, said in the dialog, nothing saved.
    assert dialog.isVisible()
    assert "Ctrl+T is attribute Confidence's key and bound to edit.snap" in dialog.problem.text()
    assert window.store.reload_schema().attribute("Confidence") is None
    dialog.table.item(4, 4).setText("Alt+C")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert not dialog.isVisible()
    assert window.store.schema.attribute("Confidence").values == ("High", "Low")
    # Its key works straight away, on the selected event.
    attack(window)
    assert "Confidence (Alt+C)" in [
        label.text() for label in window.span_details.form.findChildren(QLabel)]
    QTest.keyClick(window.view, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    assert meta(window.store, "events")[0]["attributes"] == {"Confidence": "High"}


def test_a_note_being_typed_is_saved_on_its_span_when_another_is_clicked(qtbot, window):
    from annotator.qt.widgets.meta_form import MetaForm

    view, text = window.view, window.session.article.text
    pentagon = select_word(view, text, "Pentagon")
    QTest.keyClick(view, Qt.Key.Key_O)
    select_word(view, text, "Kataib")
    QTest.keyClick(view, Qt.Key.Key_O)
    form = window.span_details.form
    form.note.setFocus()
    QTest.keyClicks(form.note, "the militia, not its leader")
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     view.point_for_offset(pentagon + 2))
    assert window.view.selected_span().start == pentagon
    notes = rows(window.store, "SELECT start, meta FROM spans ORDER BY start")
    assert [(start, json.loads(m).get("notes")) for start, m in notes] == [
        (text.index("Kataib"), ["the militia, not its leader"]), (pentagon, None)]
    # One form, the Pentagon's, with its own (empty) note.
    [shown] = [f for f in window.span_details.findChildren(MetaForm) if f.parent()]
    assert shown is window.span_details.form and shown.note.toPlainText() == ""


def test_an_attribute_key_that_opens_a_menu_is_refused_with_the_menu_named(qtbot, window):
    """Alt+R opens the Review menu: as an attribute's key it would set nothing. Every menu
    of the menu bar is checked by the letter its title underlines."""
    titles = [a.text() for a in window.menuBar().actions()]
    assert "&Review" in titles and "&File" in titles
    dialog = window.attribute_keys.open_dialog()
    qtbot.addWidget(dialog)
    dialog.add_row(["Confidence", "High|Low", "<EVENT>", "", "Alt+R", "How sure the source is"])
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    ok.click()
    assert dialog.isVisible()
    assert "Alt+R opens the Review menu, not attribute Confidence" in dialog.problem.text()
    assert window.store.reload_schema().attribute("Confidence") is None
    for title in titles:
        letter = title[title.index("&") + 1].upper()
        dialog.table.item(4, 4).setText(f"Alt+{letter}")
        ok.click()
        assert dialog.isVisible(), title
        assert f"opens the {title.replace('&', '')} menu" in dialog.problem.text()
    dialog.reject()


def test_a_kb_id_with_a_space_is_refused_with_the_reason(qtbot, window):
    """brat's N line can't hold "Wikipedia:Kataib Hezbollah": typed in the side panel it is
    refused, the status bar says why, and nothing is stored; the _ spelling is taken."""
    view, text = window.view, window.session.article.text
    select_word(view, text, "Kataib")
    QTest.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)  # + Hezbollah
    QTest.keyClick(view, Qt.Key.Key_O)
    form = window.span_details.form
    form.kb.setFocus()
    QTest.keyClicks(form.kb, "Wikipedia:Kataib Hezbollah")
    QTest.keyClick(form.kb, Qt.Key.Key_Return)
    assert "A knowledge-base id is one word" in window.statusBar().currentMessage()
    assert meta(window.store, "spans") == [{}]
    form.kb.clear()
    QTest.keyClicks(form.kb, "Wikipedia:Kataib_Hezbollah")
    QTest.keyClick(form.kb, Qt.Key.Key_Return)
    [stored] = meta(window.store, "spans")
    assert stored["normalizations"][0]["ref"] == "Wikipedia:Kataib_Hezbollah"
