"""Find in the article and label all occurrences, driven by keys as a person would: Ctrl+F,
typing, Enter, Esc, a label key; the corpus search opened on Enter; label all over the corpus
making suggestions that are reviewed (and accepted) by key."""

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

from annotator.formats.importer import import_paths
from tests.qt.conftest import rows

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def find(qtbot, window, text):
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)  # shortcuts reach an active window
    QTest.keyClick(window.view, Qt.Key.Key_F, CTRL)
    bar = window.find.bar
    assert bar.isVisible() and bar.box.hasFocus()
    QTest.keyClicks(bar.box, text)
    return bar


def painted(window, index) -> QColor:
    """The colour painted at the top left of a hit's first rectangle (above the glyphs)."""
    window.view.viewport().repaint()
    rect = window.view.hit_rects(index)[0]
    image = window.view.viewport().grab().toImage()
    return image.pixelColor(int(rect.left()) + 2, int(rect.top()) + 2)


def yellow(colour: QColor) -> bool:
    r, g, b, _ = colour.getRgb()
    return r > b + 60 and g > b + 60


def orange(colour: QColor) -> bool:
    r, g, b, _ = colour.getRgb()
    return r > g + 30 > b + 60


def test_find_highlights_counts_moves_and_the_label_key_labels_the_hit(qtbot, window):
    text = window.session.article.text
    bar = find(qtbot, window, "baghdad")
    view = window.view
    expected = [(i, i + 7) for i in range(len(text)) if text[i : i + 7].lower() == "baghdad"]
    assert len(expected) > 3
    assert view.hits == expected
    assert bar.count.text() == f"1 of {len(expected)}"
    assert view.selection() == expected[0]  # the current hit is the selection
    assert yellow(painted(window, 1))  # other hits: the yellow marker
    QTest.keyClick(bar.box, Qt.Key.Key_Return)
    QTest.keyClick(bar.box, Qt.Key.Key_Return)
    assert view.current_hit == 2 and bar.count.text() == f"3 of {len(expected)}"
    QTest.keyClick(bar.box, Qt.Key.Key_Return, SHIFT)
    assert view.current_hit == 1 and view.selection() == expected[1]
    QTest.keyClick(bar.box, Qt.Key.Key_Escape)
    assert not bar.isVisible() and view.hasFocus()
    QTest.keyClick(view, Qt.Key.Key_G)  # GPE, at once
    start, end = expected[1]
    assert rows(window.store, "SELECT start, end, label, state FROM spans") == [
        (start, end, "GPE", "accepted")]
    # F3 from the article: the bar again, the next hit chosen, the keyboard left in the text.
    QTest.keyClick(view, Qt.Key.Key_F3)
    assert bar.isVisible() and view.hasFocus()
    assert view.current_hit == 2 and view.selection() == expected[2]
    QTest.keyClick(view, Qt.Key.Key_F3, SHIFT)
    assert view.current_hit == 1


def test_the_current_hit_is_painted_where_its_characters_are(qtbot, window):
    bar = find(qtbot, window, "Pentagon")
    view = window.view
    start, end = view.hits[0]
    (rect,) = view.hit_rects(0)
    first, last = view.text_layout.char_rect(start), view.text_layout.char_rect(end - 1)
    origin = view._origin()
    assert abs(rect.left() - (first.left() + origin.x())) < 1
    assert abs(rect.right() - (last.right() + origin.x())) < 1
    assert orange(painted(window, 0))  # over the selection's blue
    assert bar.count.text() == f"1 of {len(view.hits)}"


def test_a_text_not_found_leaves_nothing_selected_to_label(qtbot, window):
    """Typing "Pentx" finds "Pent" on the way; once nothing is found, nothing the search
    selected stays selected for the next label key."""
    bar = find(qtbot, window, "Pentx")
    assert bar.count.text() == "Not found"
    text = window.session.article.text
    QTest.keyClick(bar.box, Qt.Key.Key_Escape)
    QTest.keyClick(window.view, Qt.Key.Key_O)
    labelled = [text[s.start : s.end] for s in window.session.spans]
    assert labelled == [], f"labelled {labelled} after a find that found nothing"


def test_a_text_not_found_gives_back_what_was_selected_before(qtbot, window):
    text = window.session.article.text
    start = text.index("Baghdad")
    window.view.set_text_selection(start, start + len("Baghdad"))
    bar = find(qtbot, window, "Baghdadx")  # the box held "Baghdad": typed over
    assert bar.count.text() == "Not found"
    QTest.keyClick(bar.box, Qt.Key.Key_Escape)
    QTest.keyClick(window.view, Qt.Key.Key_G)
    assert [text[s.start : s.end] for s in window.session.spans] == ["Baghdad"]
    assert window.session.spans[0].start == start  # the one selected, not the search's


def test_whole_word_and_match_case(qtbot, window):
    bar = find(qtbot, window, "iraq")
    view = window.view
    text = window.session.article.text
    inside = list(view.hits)
    assert any(text[e].isalpha() for _, e in inside)  # "Iraqi"
    QTest.mouseClick(bar.whole_word, Qt.MouseButton.LeftButton)
    assert view.hits and all(not text[e].isalpha() for _, e in view.hits)
    assert len(view.hits) < len(inside)
    QTest.mouseClick(bar.match_case, Qt.MouseButton.LeftButton)
    assert view.hits == [] and bar.count.text() == "Not found"
    # Label all… on the bar: the dialog takes the bar's options
    QTest.mouseClick(bar.label_all, Qt.MouseButton.LeftButton)
    dialog = window.find.label_all.dialog
    assert dialog.isVisible() and dialog.text_box.text().lower() == "iraq"
    assert dialog.whole_word.isChecked() and dialog.match_case.isChecked()
    dialog.reject()


@pytest.mark.parametrize("before", ["👩‍👩‍👧 and 🇩🇪 ", "e\u0301\u0301 ", "بغداد، العراق "])
def test_hits_after_emoji_marks_and_rtl_text_label_the_right_characters(
    qtbot, store, tmp_path, before
):
    from tests.qt.conftest import open_window

    text = f"Title\n\n{before}the Kataib Hezbollah militia; {before}kataib hezbollah again."
    (tmp_path / "a.txt").write_text(text)
    import_paths(store, [tmp_path / "a.txt"])
    window = open_window(qtbot, store)
    bar = find(qtbot, window, "kataib hezbollah")
    view = window.view
    assert [text[s:e] for s, e in view.hits] == ["Kataib Hezbollah", "kataib hezbollah"]
    QTest.keyClick(bar.box, Qt.Key.Key_Return)  # the second
    # painted over its own characters: its rectangles hold its first and last glyphs
    start, end = view.hits[1]
    rects = view.hit_rects(1)
    for offset in (start, end - 1):
        glyph = view.text_layout.char_rect(offset).translated(view._origin())
        assert any(r.contains(glyph.center()) for r in rects)
    QTest.keyClick(bar.box, Qt.Key.Key_Escape)
    assert view.hits == []  # closed: no hits left painted
    QTest.keyClick(view, Qt.Key.Key_O)
    (start, end), = rows(store, "SELECT start, end FROM spans WHERE label = 'ORG'")
    assert text[start:end] == "kataib hezbollah"


def test_corpus_search_opens_the_first_found_on_enter_and_marks_its_words(qtbot, window):
    box = window.panel.search_box
    QTest.keyClick(window, Qt.Key.Key_F, CTRL | SHIFT)
    assert box.hasFocus()
    QTest.keyClicks(box, "protesters basra")
    QTest.keyClick(box, Qt.Key.Key_Return)
    article = window.session.article
    assert article.title == "Second article"
    assert window.view.hasFocus()
    assert [article.text[s:e] for s, e in window.view.hits] == ["Protesters", "Basra"]
    # Down from the box goes to the list, keyboard only
    box.setFocus()
    QTest.keyClick(box, Qt.Key.Key_Down)
    assert window.panel.table.hasFocus()


def test_label_all_over_the_corpus_makes_suggestions_reviewed_by_key(qtbot, window, tmp_path):
    more = tmp_path / "more.jsonl"
    more.write_text("".join(
        json.dumps({"text": f"Report {i}: Kataib Hezbollah fighters near Kataib Hezbollahi."})
        + "\n" for i in range(5)))
    import_paths(window.store, [more])
    window.reload_after_import()
    view = window.view
    bar = find(qtbot, window, "Kataib Hezbollah")
    QTest.keyClick(bar.box, Qt.Key.Key_Escape)
    QTest.keyClick(window, Qt.Key.Key_L, CTRL | SHIFT)
    dialog = window.find.label_all.dialog
    assert dialog.isVisible() and dialog.text_box.text() == "Kataib Hezbollah"
    assert dialog.found.text() == "1 in this article"
    dialog.labels.setCurrentIndex(dialog.labels.findData("ORG"))
    dialog.in_corpus.setChecked(True)
    dialog.grab().save(str(tmp_path / "dialog.png"))
    QTest.keyClick(dialog.text_box, Qt.Key.Key_Return)  # Suggest
    job = window.find.label_all.job
    with qtbot.waitSignal(job.finished, timeout=60000) as blocker:
        pass
    summary, cancelled = blocker.args
    assert not cancelled
    assert summary.startswith("Suggested ORG for 6 occurrence(s) of “Kataib Hezbollah” in "
                              "6 article(s); skipped 5 inside a longer word")
    assert window.status.currentMessage() == summary
    assert rows(window.store, "SELECT count(*), min(origin), min(state), min(label) FROM spans") == [
        (6, "suggest:propagated", "suggested", "ORG")]
    # The review queue offers the source, and lists them
    queue = window.review_queue
    assert queue.source_box.findData("propagated") >= 0
    assert queue.model.rowCount() == 6
    queue.source_box.setCurrentIndex(queue.source_box.findData("propagated"))
    assert queue.model.rowCount() == 6  # the filter by its source
    # The open article shows its suggestion; Space goes to it, a accepts it
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Space)
    chosen = view.selected_span()
    assert chosen.origin == "suggest:propagated"
    QTest.keyClick(view, Qt.Key.Key_A)
    assert rows(window.store, "SELECT state, decision, label FROM spans WHERE id = ?",
                chosen.id) == [("accepted", "accepted", "ORG")]


def test_label_all_in_this_article_at_once(qtbot, window):
    view = window.view
    find(qtbot, window, "baghdad")
    QTest.keyClick(window.find.bar.box, Qt.Key.Key_Escape)
    QTest.keyClick(view, Qt.Key.Key_G)  # one labelled by hand first
    QTest.keyClick(window, Qt.Key.Key_L, CTRL | SHIFT)
    dialog = window.find.label_all.dialog
    assert dialog.labels.currentData() == "GPE"  # the selected span's
    QTest.keyClick(dialog.text_box, Qt.Key.Key_Return)
    n = len(view.hits) if view.hits else None
    found = rows(window.store, "SELECT state, count(*) FROM spans GROUP BY state")
    text = window.session.article.text
    total = text.lower().count("baghdad")
    assert dict(found) == {"accepted": 1, "suggested": total - 1}
    assert window.status.currentMessage().endswith("(Space to each, a / x)")
    assert n is None or n == total
