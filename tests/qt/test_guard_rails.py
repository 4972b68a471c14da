"""Guard rails in the window (issue 14, Must show 6 and some of 8), driven as a person would:
training says the examples per label first and refuses too few; deciding all of one label
says where and how many before it acts and reads as done after; undo and redo say what they
did; keys are named as the key map has them; the suggest dialog remembers; the export dialog
counts; two sources suggesting the same text draw one tag."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog

from annotator.qt.dialogs.bulk_decide import BulkDecideDialog
from annotator.qt.dialogs.train_check import TrainCheckDialog
from annotator.qt.user_settings import user_settings
from annotator.suggest.runner import run_suggestions
from tests.qt.conftest import rows

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def label(window, word, key, nth=0):
    text = window.session.article.text
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    window.view.set_text_selection(start, start + len(word))
    QTest.keyClick(window.view, key)


def press(window, key, modifiers=Qt.KeyboardModifier.NoModifier):
    QTest.keyClick(window.view, key, modifiers)


def menu_action(window, menu_title, text):
    for top in window.menuBar().actions():
        if top.menu() is not None and top.text().replace("&", "") == menu_title:
            for action in top.menu().actions():
                if action.text().split("\t")[0].replace("&", "") == text:
                    return action
    raise AssertionError(f"no {menu_title} › {text}")


def shown(window, kind):
    [dialog] = [w for w in window.findChildren(kind) if w.isVisible()]
    return dialog


@pytest.fixture
def suggested(window, tmp_path):
    """GPE suggestions from a pattern file: Baghdad in the founding article (several times)
    and Basra in the second; ORG on Pentagon in the third."""
    patterns = tmp_path / "places.tsv"
    patterns.write_text("GPE\tBaghdad\nGPE\tBasra\nORG\tPentagon\n")
    window.store.add_source("places", "patterns", str(patterns), {})
    run_suggestions(window.store, "places")
    window.follow_changes()
    window.review_queue.refresh_choices()
    return window


# -- training ------------------------------------------------------------------------------


def test_training_shows_the_counts_and_refuses_too_few(qtbot, window, monkeypatch):
    """The issue's case: one training and one dev article. Refused before anything runs,
    with the labels and counts; Train anyway still possible, and says it."""
    label(window, "Baghdad", Qt.Key.Key_G)
    label(window, "Kataib Hezbollah", Qt.Key.Key_O)
    window.controller.finish_and_next("done")
    label(window, "Basra", Qt.Key.Key_G)
    started = []
    monkeypatch.setattr(window.suggestions, "train_into",
                        lambda folder, **options: started.append((folder, options)))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: "/tmp/model")
    menu_action(window, "Review", "Train a model…").trigger()
    dialog = shown(window, TrainCheckDialog)
    table = {dialog.table.item(r, 0).text(): (dialog.table.item(r, 1).text(),
                                              dialog.table.item(r, 2).text())
             for r in range(dialog.table.rowCount())}
    counts = dialog.counts
    assert (counts.train_articles, counts.dev_articles) == (1, 1)
    assert set(table) == {"GPE", "ORG"}
    assert sum(int(a) + int(b) for a, b in table.values()) == 3
    verdict = dialog.verdict.text()
    assert "Too few examples to train" in verdict and "fewer than 5 training examples of" in verdict
    assert "GPE (" in verdict and "ORG (" in verdict
    assert not dialog.train_button.isEnabled() and dialog.anyway_button.isVisible()
    dialog.minimum.setValue(1)  # a lower minimum: judged again at once
    assert dialog.counts.min_examples == 1
    assert ("fewer than 1" in dialog.verdict.text()) == (not dialog.train_button.isEnabled())
    dialog.minimum.setValue(5)
    dialog.anyway_button.click()
    assert started == [("/tmp/model", {"min_examples": 5, "anyway": True})]


def test_enough_examples_train_without_a_word_of_warning(qtbot, window, tmp_path, monkeypatch):
    import json

    from annotator.formats.importer import import_paths

    records = []
    for i in range(12):
        text = f"Ali Hassan left Mosul on day {i}."
        records.append({"text": text, "spans": [{"start": 0, "end": 10, "label": "PERSON"},
                                                 {"start": 16, "end": 21, "label": "GPE"}]})
    path = tmp_path / "labelled.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    import_paths(window.store, [path])
    started = []
    monkeypatch.setattr(window.suggestions, "train_into",
                        lambda folder, **options: started.append(options))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: "/tmp/model")
    dialog = window.suggestions.open_train()
    counts = dialog.counts
    assert (counts.train_articles, counts.dev_articles) == (10, 2)
    assert counts.train == {"PERSON": 10, "GPE": 10} and counts.dev == {"PERSON": 2, "GPE": 2}
    assert dialog.verdict.text() == "Enough examples of every label."
    assert dialog.train_button.isEnabled() and not dialog.anyway_button.isVisible()
    dialog.train_button.click()
    assert started == [{"min_examples": 5, "anyway": False}]


# -- deciding all of one label -----------------------------------------------------------------


def test_accept_all_of_one_label_says_scope_and_count_then_reads_as_done(qtbot, suggested):
    window = suggested
    here = rows(window.store, "SELECT count(*) FROM spans WHERE label = 'GPE' AND state = "
                "'suggested' AND article_id = ?", window.session.article.id)[0][0]
    everywhere = rows(window.store, "SELECT count(*), count(DISTINCT article_id) FROM spans "
                      "WHERE label = 'GPE' AND state = 'suggested'")[0]
    assert here >= 2 and everywhere == (here + 1, 2)
    menu_action(window, "Review", "Accept all of one label…").trigger()
    dialog = shown(window, BulkDecideDialog)
    dialog.label_box.setCurrentText("GPE")
    assert dialog.question.text() == f"Accept {here} GPE suggestions in this article?"
    assert dialog.article_button.text() == f"This article ({here})"
    assert dialog.corpus_button.text() == f"The whole corpus ({here + 1} in 2 articles)"
    dialog.corpus_button.click()
    assert dialog.question.text() == f"Accept {here + 1} GPE suggestions in 2 articles?"
    assert dialog.ok.text() == f"Accept {here + 1}"
    dialog.ok.click()
    assert window.status.currentMessage() == f"Accepted {here + 1} GPE suggestions in 2 articles"
    assert rows(window.store, "SELECT state, count(*) FROM spans WHERE label = 'GPE' "
                "GROUP BY state") == [("accepted", here + 1)]
    left = rows(window.store, "SELECT label FROM spans WHERE state = 'suggested'")
    assert {label for (label,) in left} == {"ORG"}  # Pentagon, in two articles
    # The queue follows: only the ORG suggestions are left in it.
    assert window.review_queue.model.rowCount() == len(left)
    # One step: Ctrl+Z undoes every article's decisions, and says so.
    press(window, Qt.Key.Key_Z, CTRL)
    assert rows(window.store, "SELECT state, count(*) FROM spans WHERE label = 'GPE' "
                "GROUP BY state") == [("suggested", here + 1)]
    assert window.status.currentMessage() == (
        f"Undone: Accept {here + 1} GPE suggestions in 2 articles")
    assert window.review_queue.model.rowCount() == here + 1 + len(left)


def test_reject_all_of_one_label_in_this_article(qtbot, suggested):
    window = suggested
    dialog = window.suggestions._decide_label(False)
    dialog.label_box.setCurrentText("GPE")
    here = window.session.article.text.count("Baghdad")
    assert dialog.question.text() == f"Reject {here} GPE suggestions in this article?"
    dialog.ok.click()
    assert window.status.currentMessage() == f"Rejected {here} GPE suggestions in this article"
    assert rows(window.store, "SELECT article_id, state FROM spans WHERE label = 'GPE' "
                "GROUP BY article_id, state ORDER BY article_id") == [
        (window.session.article.id, "rejected"), (window.session.article.id + 1, "suggested")]


def test_ctrl_shift_a_says_scope_and_count_first_then_reads_as_done(qtbot, suggested):
    window = suggested
    n = len(window.session.suggestions)  # Baghdad's and Pentagon's
    assert n == window.session.article.text.count("Baghdad") + 1
    QTest.keyClick(window, Qt.Key.Key_A, CTRL | SHIFT)
    dialog = shown(window, BulkDecideDialog)  # asked first: nothing decided yet
    assert len(window.session.suggestions) == n
    assert dialog.label_box.currentText() == "All labels"
    assert dialog.question.text() == f"Accept {n} suggestions in this article?"
    dialog.ok.click()
    assert window.status.currentMessage() == f"Accepted {n} suggestions in this article"
    assert window.actions.undo.text() == f"&Undo accept {n} suggestions in this article"
    assert window.session.suggestions == []


def test_ctrl_shift_x_says_scope_and_count_before_it_rejects(qtbot, suggested):
    """Must show 6: "bulk accept/reject says its scope and count before acting"."""
    window = suggested
    before = len(window.session.suggestions)
    menu_action(window, "Review", "Reject all in this article").trigger()
    dialog = shown(window, BulkDecideDialog)
    assert len(window.session.suggestions) == before
    assert dialog.question.text() == f"Reject {before} suggestions in this article?"
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert len(window.session.suggestions) == before  # Cancel decides nothing


# -- undo and redo say what they did ---------------------------------------------------------


def test_undo_and_redo_say_what_they_did_and_replace_a_stale_message(qtbot, window):
    label(window, "Kataib Hezbollah", Qt.Key.Key_P)
    press(window, Qt.Key.Key_Z, CTRL)
    assert window.status.currentMessage() == "Undone: Add PERSON 'Kataib Hezbollah'"
    press(window, Qt.Key.Key_Z, CTRL | SHIFT)
    assert window.status.currentMessage() == "Redone: Add PERSON 'Kataib Hezbollah'"
    # Relabelling it: a label key on the selected span; undo names it with its text.
    [span] = window.session.spans
    window.view.select_span(span.id)
    press(window, Qt.Key.Key_O)
    press(window, Qt.Key.Key_Z, CTRL)
    assert window.status.currentMessage() == "Undone: Relabel PERSON as ORG 'Kataib Hezbollah'"
    # A refusal said, then an edit: the refusal is not left standing beside the edit.
    label(window, "Kataib Hezbollah", Qt.Key.Key_P)
    assert window.status.currentMessage().endswith("already labelled PERSON")
    label(window, "Baghdad", Qt.Key.Key_G)
    assert window.status.currentMessage() == ""


# -- keys named as the key map has them -------------------------------------------------------


def test_review_hint_menu_and_event_tooltips_name_keys_as_the_key_map(qtbot, window):
    hint = window.review_queue.hint.text()
    assert hint == "Open suggestions in the corpus. Space walks them; a accepts, x rejects."
    assert menu_action(window, "Review", "Accept suggestion").text() == "&Accept suggestion\ta"
    assert menu_action(window, "Review", "Reject suggestion").text() == "&Reject suggestion\tx"
    attack = window.palette_widget.chips["Conflict.Attack"]
    assert attack.toolTip().endswith("\nKey: Shift+A")
    assert window.palette_widget.chips["ORG"].toolTip().endswith("\nKey: o")
    # And the key map decides: a project that rebinds accept sees its own key named.
    rebound = window.keymap.rebound("review.accept", ["y"])
    window.review_queue.show_keys(rebound)
    assert "; y accepts" in window.review_queue.hint.text()


# -- two sources, one tag ---------------------------------------------------------------------


def test_two_sources_suggesting_the_same_text_draw_one_tag(qtbot, window, tmp_path):
    for name in ("first", "second"):
        patterns = tmp_path / f"{name}.tsv"
        patterns.write_text("GPE\tBaghdad\n")
        window.store.add_source(name, "patterns", str(patterns), {})
        run_suggestions(window.store, name, [window.session.article.id])
    window.follow_changes()
    text = window.session.article.text
    start = text.index("Baghdad")
    both = [s for s in window.session.suggestions if s.start == start]
    assert sorted(s.origin for s in both) == ["suggest:first", "suggest:second"]
    layout = window.view.text_layout
    paragraph = layout.paragraphs[layout.paragraph_index(start)]
    line = layout.line_of(paragraph, start)
    tags = [p for p in line.pills if p.span.start == start]
    assert len(tags) == 1  # one tag, not two identical ones
    [tag] = tags
    assert {tag.span.origin, *(t.origin for t in tag.twins)} == {"suggest:first", "suggest:second"}
    assert window.view.tag_tip(tag).endswith("suggest:first, suggest:second")
    # Space stops at it once: the next stop is the next Baghdad, not its twin.
    press(window, Qt.Key.Key_Space)
    first = window.view.selected_span()
    assert first.start == start
    press(window, Qt.Key.Key_Space)
    second = window.view.selected_span()
    assert (first.start, first.end) != (second.start, second.end)
    # Accepting it decides its twin too: one span on the text, the twin closed as a duplicate.
    press(window, Qt.Key.Key_Space, SHIFT)
    press(window, Qt.Key.Key_A)
    assert rows(window.store, "SELECT origin, state, decision FROM spans WHERE start = ? "
                "ORDER BY id", start) == [("suggest:first", "accepted", "accepted"),
                                           ("suggest:second", "rejected", "duplicate")]
    line = layout.line_of(paragraph, start)
    assert [(p.span.state, p.twins) for p in line.pills if p.span.start == start] == [
        ("accepted", ())]
    stats = {r["source"]: r for r in window.store.suggestion_stats()}
    assert stats["second"]["rejected"] == 0 and stats["first"]["accepted"] == 1
    # One undo step brings both back as they were.
    press(window, Qt.Key.Key_Z, CTRL)
    assert rows(window.store, "SELECT state FROM spans WHERE start = ?", start) == [
        ("suggested",), ("suggested",)]
    # Rejecting it rejects both: each source was wrong.
    window.view.select_span(first.id)
    press(window, Qt.Key.Key_X)
    assert rows(window.store, "SELECT state, decision FROM spans WHERE start = ?", start) == [
        ("rejected", "rejected"), ("rejected", "rejected")]


# -- the suggest dialog remembers -------------------------------------------------------------


@pytest.fixture
def forget_suggest_choices():
    yield
    settings = user_settings()
    settings.remove("suggest")
    settings.sync()


def test_the_suggest_dialog_remembers_its_last_choices(qtbot, window, tmp_path,
                                                       forget_suggest_choices):
    from annotator.qt.dialogs.suggest import SuggestDialog

    for name in ("first", "second"):
        patterns = tmp_path / f"{name}.tsv"
        patterns.write_text("GPE\tBaghdad\n")
        window.store.add_source(name, "patterns", str(patterns), {})
    dialog = SuggestDialog(window.store, window)
    qtbot.addWidget(dialog)
    assert dialog.chosen_source() == "first" and dialog.chosen_scope() == "article"
    dialog.sources.setCurrentIndex(dialog.sources.findData("second"))
    [corpus] = [b for b in dialog.scope.buttons() if b.property("scope") == "corpus"]
    corpus.click()
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    again = SuggestDialog(window.store, window)
    qtbot.addWidget(again)
    assert again.chosen_source() == "second" and again.chosen_scope() == "corpus"
    # A scope that can't be chosen now (a selection of one article) is not forced on it.
    [selection] = [b for b in again.scope.buttons() if b.property("scope") == "selection"]
    selection.setEnabled(True)
    selection.click()
    again.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    third = SuggestDialog(window.store, window, selected=1)
    qtbot.addWidget(third)
    assert third.chosen_scope() == "article"


# -- the export dialog counts -----------------------------------------------------------------


def test_the_export_dialog_says_what_the_export_takes(qtbot, window):
    from annotator.formats import registry
    from annotator.qt.dialogs.export_options import ExportOptionsDialog

    label(window, "Baghdad", Qt.Key.Key_G)
    window.controller.finish_and_next("done")  # done; the second article opens
    label(window, "Basra", Qt.Key.Key_G)  # in progress
    dialog = ExportOptionsDialog(registry.exporter("spacy"), window, window.store)
    qtbot.addWidget(dialog)
    lines = dialog.scope.text().splitlines()
    assert lines[0] == "This project: 3 articles, 1 done, 1 in progress and 1 new."
    assert lines[1] == ("Exports 2 articles: 1 done and 1 in progress; 1 new is left out "
                        "(those without spans).")
    dialog.done_only.setChecked(True)  # what it says follows the choice
    assert dialog.scope.text().splitlines()[1] == (
        "Exports the 1 done article; 1 in progress and 1 new are left out.")
    brat = ExportOptionsDialog(registry.exporter("brat"), window, window.store)
    qtbot.addWidget(brat)
    assert brat.scope.text().splitlines()[1] == "Exports 3 articles: 1 done, 1 in progress and 1 new."


# -- the list -----------------------------------------------------------------------------------


def test_list_titles_read_on_a_laptop(qtbot, window):
    from annotator.qt import screen_fit

    window.resize(1366, 740)
    window.panes.setSizes(screen_fit.pane_widths(1366, window.palette_widget.natural_width))
    qtbot.wait(50)
    table = window.panel.table
    chars = table.columnWidth(0) // table.fontMetrics().averageCharWidth()
    assert chars >= 36
    status = table.columnWidth(1)
    assert status >= table.fontMetrics().horizontalAdvance("In progress")
    # Wider, the counts come back beside the titles.
    window.panes.setSizes([560, 500, window.palette_widget.natural_width])
    qtbot.wait(50)
    assert not table.isColumnHidden(2) and table.columnWidth(0) >= chars * 6


def test_the_bulk_count_is_the_places_the_person_sees(qtbot, window, tmp_path):
    """Twins are drawn as one tag: deciding all of one label asks about, and reports, the
    places the person sees, not each source's suggestion."""
    for name in ("one", "two"):
        patterns = tmp_path / f"{name}.tsv"
        patterns.write_text("GPE\tBasra\n")
        window.store.add_source(name, "patterns", str(patterns), {})
        run_suggestions(window.store, name)
    window.follow_changes()
    window.session.open_article(2)
    places = {(s.start, s.end) for s in window.session.suggestions}
    assert len(places) == 1 and len(window.session.suggestions) == 2
    dialog = window.suggestions._decide_label(True)
    assert dialog.question.text() == "Accept 1 GPE suggestion in this article?"
    assert dialog.corpus_button.text() == "The whole corpus (1 in 1 article)"
    dialog.ok.click()
    assert window.status.currentMessage() == "Accepted 1 GPE suggestion in this article"
