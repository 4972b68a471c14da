"""The token cursor without a window: by line (a line is a paragraph when no view draws the
text), to a line's ends, to the next unlabelled name, Shift extending; a span's edges moved by
a token as an edit that undo takes back, read from SQLite."""

import pytest

from annotator.core.cursor import TextLines
from annotator.core.interaction import Interaction, carry_out
from annotator.core.session import Session
from annotator.formats.importer import import_paths
from tests.conftest import on_disk
from tests.core.conftest import STRIKE

LINES = ("Protesters met in Basra.\n"
         "Joe Biden spoke on Friday in Washington.\n"
         "Nothing else 👩‍👩‍👧 happened.\n")


@pytest.fixture
def lines_session(store, tmp_path):
    (tmp_path / "l.txt").write_text(LINES)
    import_paths(store, [tmp_path / "l.txt"])
    session = Session(store)
    session.open_first()
    return session


class Keys:
    def __init__(self, session):
        self.interaction = Interaction(session)
        self.session = session
        self.said = ""

    def press(self, *keys):
        for key in keys:
            self.said = carry_out(self.interaction.press(key), self.save)
        return self

    def save(self, edit):
        self.last = self.session.apply(edit)
        return True

    @property
    def selected(self):
        span = self.interaction.selected_span()
        bounds = (span.start, span.end) if span else self.interaction.selection()
        return self.session.article.text[slice(*bounds)] if bounds else None


def test_up_down_home_end_move_by_lines_and_shift_extends(lines_session):
    keys = Keys(lines_session)
    assert keys.press("Right").selected == "Protesters"  # the first visible token
    assert keys.press("Down").selected == "Joe"
    assert keys.press("End").selected == "."
    assert keys.press("Left", "Down").selected == "."  # past the shorter line's end: its end
    assert keys.press("Up", "Home", "Right", "Right").selected == "spoke"
    assert keys.press("Down").selected == "else"  # the same column on the next line
    assert keys.press("Home").selected == "Nothing"
    assert keys.press("Up", "Shift+End").selected == "Joe Biden spoke on Friday in Washington."
    # The cursor end (".") goes up a line; the anchor stays on "Joe".
    assert keys.press("Shift+Up").selected == ".\nJoe"
    assert keys.press("Shift+Home").selected == "Protesters met in Basra.\nJoe"
    assert keys.press("Down", "Down", "Down", "Down").selected == "Nothing"  # none below


def test_the_token_cursor_steps_over_an_emoji_sequence_as_one_character(lines_session):
    keys = Keys(lines_session)
    keys.press("Right", "Down", "Down", "Right")
    assert keys.selected == "else"
    assert keys.press("Right").selected == "👩‍👩‍👧"
    assert keys.press("Right").selected == "happened"


def test_text_lines_keep_the_column_and_stop_at_the_ends():
    lines = TextLines("ab\ncdef\ng")
    assert lines.line_bounds(4) == (3, 7)
    assert lines.line_step(4, 1) == 9  # column 1 on a line one character long: its end
    assert lines.line_step(1, -1) is None and lines.line_step(8, 1) is None


def test_ctrl_right_selects_the_next_unlabelled_name_and_skips_stop_words(lines_session):
    keys = Keys(lines_session)
    assert keys.press("Ctrl+Right").selected == "Protesters"
    assert keys.press("Ctrl+Right").selected == "Basra"
    assert keys.press("Ctrl+Right").selected == "Joe Biden"  # a run of capitalised words
    keys.press("p")  # labelled: PERSON, selected as a span
    assert keys.press("Ctrl+Right").selected == "Friday"
    assert keys.press("Ctrl+Shift+Right").selected == "Friday in Washington"
    assert keys.press("Ctrl+Left").selected == "Basra"  # Joe Biden is labelled: skipped
    keys.press("Ctrl+Right", "Ctrl+Right")
    assert keys.selected == "Washington"
    keys.press("Ctrl+Right")  # "Nothing" starts a sentence: a stop word, not a name
    assert keys.said == "No more unlabelled names after this" and keys.selected == "Washington"
    assert on_disk(lines_session.store, "SELECT label FROM spans") == [("PERSON",)]


def test_alt_arrows_move_a_spans_edges_as_undoable_edits(strike_session):
    keys = Keys(strike_session)
    start = STRIKE.index("Kataib")
    strike_session.apply(strike_session.plan_add_span(start, start + len("Kataib"), "ORG"))
    keys.press("Tab")
    assert keys.selected == "Kataib"

    def stored():
        return [STRIKE[s:e] for s, e in on_disk(strike_session.store,
                                               "SELECT start, end FROM spans")]

    keys.press("Alt+Shift+Right")
    assert stored() == ["Kataib Hezbollah"] and keys.selected == "Kataib Hezbollah"
    keys.press("Alt+Left")
    assert stored() == ["of Kataib Hezbollah"]
    keys.press("Alt+Right", "Alt+Right")
    assert stored() == ["Hezbollah"]
    assert keys.press("Alt+Right").said == "That edge can't move further"
    strike_session.revert(keys.last)
    assert stored() == ["Kataib Hezbollah"]
    assert on_disk(strike_session.store, "SELECT count(*) FROM spans") == [(1,)]


def test_alt_arrows_on_a_text_selection_move_its_edges_without_writing(strike_session):
    keys = Keys(strike_session)
    keys.press("Ctrl+Right", "Ctrl+Right")
    assert keys.selected == "Kataib Hezbollah"
    assert keys.press("Alt+Right").selected == "Hezbollah"
    assert keys.press("Alt+Left", "Alt+Left").selected == "of Kataib Hezbollah"
    assert keys.press("Alt+Shift+Left").selected == "of Kataib"
    assert on_disk(strike_session.store, "SELECT count(*) FROM spans") == [(0,)]


def test_with_a_role_waiting_tab_walks_only_the_spans_that_may_fill_it(strike_session):
    keys = Keys(strike_session)
    for word, key in (("US", "g"), ("Wednesday", "d"), ("Baghdad", "g"), ("drone", "w")):
        start = STRIKE.index(word)
        keys.interaction.select_text(start, start + len(word))
        keys.press(key)
    start = STRIKE.index("strike")
    keys.interaction.select_text(start, start + len("strike"))
    keys.press("A", "4")  # Place takes GPE, LOC, FAC
    assert keys.press("Tab").selected == "Baghdad"  # the nearest after the trigger
    assert keys.press("Tab").selected == "US"  # round the article, DATE and WEAPON skipped
    assert keys.press("Shift+Tab").selected == "Baghdad"
    keys.press("Enter")
    assert on_disk(strike_session.store, "SELECT a.role, s.label FROM event_arguments a "
                   "JOIN spans s ON s.id = a.span_id") == [("Place", "GPE")]
    keys.press("3")  # Instrument: digit, Tab, Enter — three keys from an existing span
    assert keys.press("Tab").selected == "drone"
    keys.press("Enter")
    assert on_disk(strike_session.store, "SELECT role FROM event_arguments ORDER BY id") == [
        ("Place",), ("Instrument",)]
