"""The README's quick start, step by step, with the keys it names, in the real window."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest

from tests.qt.conftest import rows
from tests.qt.test_events_gui import click, select_word


def test_the_quick_start_keys_do_what_the_readme_says(qtbot, window, tmp_path):
    view, text = window.view, window.session.article.text
    assert text.startswith("US Drone Strike")
    # 2. Double-click Baghdad, press g.
    baghdad = select_word(view, text, "Baghdad", text.index("in Baghdad, raising"))
    QTest.keyClick(view, Qt.Key.Key_G)
    assert rows(window.store, "SELECT label, start FROM spans") == [("GPE", baghdad)]
    # 3. The trigger "strike" in "a US drone strike in Baghdad", Shift+A; 1, US, g; 4, Baghdad.
    sentence = text.index("a US drone strike in Baghdad")
    select_word(view, text, "strike", sentence)
    QTest.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(view, Qt.Key.Key_1)
    select_word(view, text, "US", sentence)
    QTest.keyClick(view, Qt.Key.Key_G)
    QTest.keyClick(view, Qt.Key.Key_4)
    click(view, baghdad + 2)
    assert rows(window.store, "SELECT e.type, a.role, s.label, substr(?, s.start + 1, "
                "s.end - s.start) FROM events e JOIN event_arguments a ON a.event_id = e.id "
                "JOIN spans s ON s.id = a.span_id ORDER BY a.id", text) == [
        ("Conflict.Attack", "Attacker", "GPE", "US"),
        ("Conflict.Attack", "Place", "GPE", "Baghdad")]
    # 4. Suggestions from a pattern file; Space goes to one, a accepts it.
    from annotator.suggest.runner import run_suggestions

    patterns = tmp_path / "patterns.tsv"
    patterns.write_text("ORG\tPentagon\n")
    window.store.add_source("patterns", "patterns", str(patterns), {})
    run_suggestions(window.store, "patterns", [window.session.article.id])
    window.follow_changes()
    QTest.keyClick(view, Qt.Key.Key_Space)
    QTest.keyClick(view, Qt.Key.Key_A)
    assert rows(window.store, "SELECT label, state FROM spans WHERE label = 'ORG'") == [
        ("ORG", "accepted")]
    # 5 and 6: the menu entries' keys.
    actions = window.actions
    keys = {
        "Ctrl+I": actions.import_files, "Ctrl+Alt+I": actions.import_options,
        "Ctrl+E": actions.exports["spacy"], "Ctrl+Shift+G": window.suggestions.suggest,
    }
    for key, action in keys.items():
        assert QKeySequence(key) in action.shortcuts(), (key, action.text())
    assert QKeySequence("Ctrl+Enter") in actions.mark_done.shortcuts()
    assert actions.exports["spacy"].text() == "&Export for spaCy…"
    assert window.suggestions.train.text() == "&Train a model…"
