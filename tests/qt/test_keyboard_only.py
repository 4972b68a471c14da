"""The founding article's first two paragraphs labelled with the keyboard alone, keys counted.

What a person would label there: the terms the README's screenshots label in the first
paragraph (scripts/screenshots.py ENTITIES: names, nationalities, and the people and drones
of the attack), every whole-word occurrence in both paragraphs, plus the two names only the
second paragraph has (Syria, Joe Biden). The driver looks at the selection after each key,
as a person looks at the screen: Ctrl+→ to the next unlabelled name, → to a lowercase word,
Alt+arrows to trim an edge, then the label's key. Every key is a real key press on the
window's article view; the spans are read back from SQLite."""

import re

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.qt.conftest import rows

TERMS = [
    ("Kataib Hezbollah", "ORG"), ("Pentagon", "ORG"), ("Baghdad", "GPE"), ("Iraq", "GPE"),
    ("Iran", "GPE"), ("Jordan", "GPE"), ("US", "GPE"), ("American", "NORP"),
    ("Iraqi", "NORP"), ("commander", "PERSON"), ("leader", "PERSON"), ("guards", "PERSON"),
    ("troops", "PERSON"), ("drone", "VEHICLE"),
    ("Syria", "GPE"), ("Joe Biden", "PERSON"),  # only in the second paragraph
]
KEYS = {"ORG": Qt.Key.Key_O, "GPE": Qt.Key.Key_G, "NORP": Qt.Key.Key_N,
        "PERSON": Qt.Key.Key_P, "VEHICLE": Qt.Key.Key_V}
NONE, SHIFT = Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier
CTRL, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier


def gold(text):
    body = text.index("\n\n") + 2
    end = text.index("\n\n", text.index("\n\n", body) + 2)
    found = set()
    for term, label in TERMS:
        for match in re.finditer(rf"(?<!\w){re.escape(term)}(?!\w)", text[body:end]):
            found.add((body + match.start(), body + match.end(), label))
    return body, sorted(found)


class Keyboard:
    def __init__(self, window):
        self.view, self.state = window.view, window.controller.interaction
        self.count = 0

    def press(self, key, modifiers=NONE):
        QTest.keyClick(self.view, key, modifiers)
        self.count += 1
        assert self.count < 400, f"lost: {self.selected()}"

    def selected(self):
        span = self.state.selected_span()
        return (span.start, span.end) if span else self.state.selection()


def test_every_entity_of_two_paragraphs_in_at_most_five_keys_each(qtbot, window):
    text = window.session.article.text
    body, wanted = gold(text)
    assert len(wanted) == 27
    keys = Keyboard(window)
    keys.press(Qt.Key.Key_Right)  # the token cursor, on the title's first word
    while keys.selected()[0] < body:  # down past the title, line by line
        keys.press(Qt.Key.Key_Down)
    keys.press(Qt.Key.Key_Home)
    getting_there = keys.count
    for start, end, label in wanted:
        if keys.selected() == (start, end):
            pass  # the cursor is on it already (the first word of the paragraph)
        elif text[start].isupper():
            keys.press(Qt.Key.Key_Right, CTRL)  # the next unlabelled name
            while keys.selected()[1] <= start:
                keys.press(Qt.Key.Key_Right, CTRL)
            while keys.selected()[0] < start:  # "President Joe Biden": start a word later
                keys.press(Qt.Key.Key_Right, ALT)
            while keys.selected()[1] > end:
                keys.press(Qt.Key.Key_Left, ALT | SHIFT)
        else:
            while keys.selected()[0] < start:
                keys.press(Qt.Key.Key_Right)
            while keys.selected()[1] < end:
                keys.press(Qt.Key.Key_Right, SHIFT)
        assert keys.selected() == (start, end), (text[start:end], window.status.currentMessage())
        keys.press(KEYS[label])
    on_disk = rows(window.store, "SELECT start, end, label FROM spans ORDER BY start, end")
    assert on_disk == wanted
    per_entity = (keys.count - getting_there) / len(wanted)
    print(f"\n{keys.count - getting_there} keys for {len(wanted)} entities "
          f"({per_entity:.2f} each), {getting_there} to reach the first paragraph")
    assert per_entity <= 5
    assert keys.count / len(wanted) <= 5  # the way down from the title included

    # An event on "strike" ("a US drone strike in Baghdad"), then arguments from spans that
    # are there: the role's digit, Tab (or Shift+Tab) to the filler, Enter.
    strike = text.index("strike", body)
    window.view.set_text_selection(strike, strike + len("strike"))
    keys.press(Qt.Key.Key_A, SHIFT)
    for digit, step, role, filler in ((Qt.Key.Key_4, NONE, "Place", "Baghdad"),
                                      (Qt.Key.Key_1, SHIFT, "Attacker", "US")):
        before = keys.count
        keys.press(digit)
        keys.press(Qt.Key.Key_Tab, step)
        keys.press(Qt.Key.Key_Return)
        assert keys.count - before <= 3
        [(s, e)] = rows(window.store, "SELECT s.start, s.end FROM event_arguments a JOIN spans s "
                                      "ON s.id = a.span_id WHERE a.role = ?", role)
        assert text[s:e] == filler and s > body
