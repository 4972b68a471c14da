"""What each key does in each state, on a bare session: no window, no Qt (as napari tests its
key bindings on a ViewerModel). Every edit is read back from SQLite through a second
connection, as the person's file holds it."""

import pytest

from annotator.core.interaction import Interaction, ReviewFilter, carry_out
from tests.conftest import on_disk as read
from tests.core.conftest import STRIKE as TEXT


@pytest.fixture
def keys(strike_session):
    return Interaction(strike_session)


def on_disk(interaction, sql):
    return read(interaction.session.store, sql)


class Person:
    """Presses keys as the GUI forwards them, saving each edit the way the undo stack does,
    answering questions as told; remembers the last message shown."""

    def __init__(self, interaction, answer=False):
        self.interaction, self.answer, self.asked, self.said = interaction, answer, [], ""

    def save(self, edit):
        self.last_edit = self.interaction.session.apply(edit)
        return True

    def ask(self, question):
        self.asked.append(question)
        return self.answer

    def press(self, *keys):
        for key in keys:
            self.said = carry_out(self.interaction.press(key), self.save, self.ask)
        return self.said

    def select(self, word, nth=0):
        start = -1
        for _ in range(nth + 1):
            start = TEXT.index(word, start + 1)
        self.interaction.select_text(start, start + len(word))


def spans_on_disk(keys):
    rows = on_disk(keys, "SELECT start, end, label, kind FROM spans WHERE state = 'accepted' "
                         "ORDER BY start")
    return [(TEXT[s:e], label, kind) for s, e, label, kind in rows]


def test_a_label_key_labels_the_selection_selects_the_span_and_starts_the_article(keys):
    person = Person(keys)
    person.select("Baghdad")
    person.press("g")
    assert spans_on_disk(keys) == [("Baghdad", "GPE", "entity")]
    assert on_disk(keys, "SELECT status FROM articles") == [("in_progress",)]
    assert keys.selected_span().label == "GPE" and keys.selection() is None
    person.press("l")  # the selected span: relabelled
    assert spans_on_disk(keys) == [("Baghdad", "LOC", "entity")]
    assert person.press("Delete") == "Deleted LOC"
    assert spans_on_disk(keys) == [] and keys.selected_span() is None


def test_a_selection_inside_a_word_snaps_to_the_whole_token(keys):
    start = TEXT.index("Hezbollah")
    keys.select_text(TEXT.index("Kataib") + 2, start + 3)
    assert keys.shown_selection() == (TEXT.index("Kataib"), start + len("Hezbollah"))
    Person(keys).press("o")
    assert spans_on_disk(keys) == [("Kataib Hezbollah", "ORG", "entity")]


def test_arrow_keys_move_a_token_cursor_and_shift_extends_it(keys):
    person = Person(keys)
    person.press("Right")  # nothing selected: the cursor starts at the first visible token
    assert TEXT[slice(*keys.selection())] == "US"
    person.press("Right", "Shift+Right")
    assert TEXT[slice(*keys.selection())] == "forces killed"
    person.press("Shift+Left", "Left")
    assert TEXT[slice(*keys.selection())] == "US"
    person.press("g")
    assert spans_on_disk(keys) == [("US", "GPE", "entity")]


def test_tab_walks_the_spans_round_and_escape_clears(keys):
    person = Person(keys)
    for word, key in (("Baghdad", "g"), ("US", "g"), ("Wednesday", "d")):
        person.select(word)
        person.press(key)
    keys.clear()
    walked = []
    for _ in range(4):
        person.press("Tab")
        span = keys.selected_span()
        walked.append(TEXT[span.start:span.end])
    assert walked == ["US", "Baghdad", "Wednesday", "US"]
    person.press("Shift+Tab")
    assert TEXT[keys.selected_span().start:keys.selected_span().end] == "Wednesday"
    person.press("Escape")
    assert keys.selected_span() is None and keys.selection() is None


def test_an_event_key_a_role_digit_and_tab_enter_fill_a_role(keys):
    person = Person(keys)
    person.select("Baghdad")
    person.press("g")
    person.select("strike")
    assert person.press("A") == "Conflict.Attack added: press 1-9 to fill its roles"
    event = keys.current_event()
    assert event is not None and event.type == "Conflict.Attack"
    assert "Place of Conflict.Attack" in person.press("4")
    assert keys.pending == (event.id, "Place")
    person.press("Tab")  # from the trigger on to Baghdad
    assert keys.selected_span().label == "GPE"
    assert person.press("Enter") == "Place of Conflict.Attack saved"
    rows = on_disk(keys, "SELECT e.type, a.role, s.start, s.end FROM event_arguments a "
                         "JOIN events e ON e.id = a.event_id JOIN spans s ON s.id = a.span_id")
    assert [(t, r, TEXT[s:e]) for t, r, s, e in rows] == [("Conflict.Attack", "Place", "Baghdad")]
    assert keys.pending is None and keys.current_event().id == event.id


def test_a_label_key_with_a_role_pending_makes_the_filler_on_the_spot(keys):
    person = Person(keys)
    person.select("strike")
    person.press("A", "2")  # Target
    person.select("commander")
    assert person.press("p") == "Target of Conflict.Attack saved"
    assert ("commander", "PERSON", "entity") in spans_on_disk(keys)
    assert on_disk(keys, "SELECT role FROM event_arguments") == [("Target",)]


def test_a_filler_the_schema_refuses_is_asked_about_and_marked_when_confirmed(keys):
    refusing = Person(keys, answer=False)
    refusing.select("Wednesday")
    refusing.press("d")  # DATE
    refusing.select("strike")
    refusing.press("A", "1")  # Attacker takes PERSON, ORG, GPE or NORP
    refusing.press("Tab", "Enter")  # from the trigger on to Wednesday, which fills it
    assert refusing.asked and "Attacker of Conflict.Attack takes" in refusing.asked[0]
    assert refusing.said.startswith("Not added")
    assert on_disk(keys, "SELECT count(*) FROM event_arguments") == [(0,)]
    confirming = Person(keys, answer=True)
    confirming.press("1", "Shift+Tab", "Enter")
    assert on_disk(keys, "SELECT role, override FROM event_arguments") == [("Attacker", 1)]


def test_keys_nobody_has_say_so_and_digits_without_an_event_do_nothing(keys):
    person = Person(keys)
    assert person.press("z") == "No label or event type has the key 'z'"
    assert person.press("3") == "No label or event type has the key '3'"
    assert person.press("g").startswith("Select some text first")
    assert person.press("Delete").startswith("Select a span to delete")
    assert keys.press("F13").handled is False
    assert person.press("²") == "No label or event type has the key '²'"  # AZERTY: no crash


def suggest(keys, *words):
    store, article = keys.session.store, keys.session.article.id
    rows = [(article, TEXT.index(w), TEXT.index(w) + len(w), label, score)
            for w, label, score in words]
    with store.write():
        store.replace_suggestions("suggest:test", [article], rows)
    keys.session.reload()


def test_space_walks_suggestions_a_accepts_x_rejects_and_the_filter_narrows(keys):
    suggest(keys, ("US", "GPE", 0.9), ("Kataib Hezbollah", "ORG", 0.4), ("Baghdad", "GPE", 0.8))
    person = Person(keys)
    person.press("Space")
    assert keys.selected_suggestion().label == "GPE"  # US, the first in the text
    person.press("a")  # accepted, and on to the next
    assert TEXT[keys.selected_span().start:keys.selected_span().end] == "Kataib Hezbollah"
    person.press("x")
    assert on_disk(keys, "SELECT label, state, decision FROM spans ORDER BY start") == [
        ("GPE", "accepted", "accepted"), ("ORG", "rejected", "rejected"),
        ("GPE", "suggested", None)]
    assert TEXT[keys.selected_span().start:keys.selected_span().end] == "Baghdad"
    person.press("l")  # a label key accepts it with that label
    assert on_disk(keys, "SELECT label, decision FROM spans WHERE start = "
                         f"{TEXT.index('Baghdad')}") == [("LOC", "relabelled")]
    assert person.said == "No more open suggestions after this one"


def test_the_review_filter_skips_what_it_does_not_want(keys):
    suggest(keys, ("US", "GPE", 0.9), ("Kataib Hezbollah", "ORG", 0.4), ("Baghdad", "GPE", 0.3))
    keys.review = ReviewFilter(label="GPE", min_score=0.5)
    person = Person(keys)
    person.press("Space")
    assert TEXT[keys.selected_span().start:keys.selected_span().end] == "US"
    assert person.press("Space") == "No more open suggestions after this one"


def test_a_new_article_is_new_again_after_undoing_its_first_event(keys):
    """Drift once made this leave the article in progress (undoing a first span didn't)."""
    person = Person(keys)
    person.select("strike")
    person.press("A")
    assert on_disk(keys, "SELECT status FROM articles") == [("in_progress",)]
    keys.session.revert(person.last_edit)
    assert on_disk(keys, "SELECT status FROM articles") == [("new",)]
    assert on_disk(keys, "SELECT count(*) FROM events") == [(0,)]
