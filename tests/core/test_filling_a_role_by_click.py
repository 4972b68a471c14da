"""A click on a span while a role waits fills the role, and the event stays selected all the
way: the filler is never selected in between (issue 13: adding an argument within one frame;
each selection change rebuilt the side panels and scrolled the view to the filler and back).
A filler the schema refuses, or one the edit refuses, is selected, as a click on it would."""

from annotator.core.errors import AnnotatorError
from annotator.core.interaction import Interaction, carry_out
from tests.conftest import on_disk
from tests.core.conftest import STRIKE as TEXT


def span_of(session, word):
    start = TEXT.index(word)
    return next(s for s in session.spans if (s.start, s.end) == (start, start + len(word)))


def labelled(session, keys, word, key):
    start = TEXT.index(word)
    keys.select_text(start, start + len(word))
    carry_out(keys.press(key), session.apply)
    return span_of(session, word)


def attack(strike_session):
    keys = Interaction(strike_session)
    baghdad = labelled(strike_session, keys, "Baghdad", "g")
    wednesday = labelled(strike_session, keys, "Wednesday", "d")
    start = TEXT.index("strike")
    keys.select_text(start, start + len("strike"))
    carry_out(keys.press("A"), strike_session.apply)
    return keys, keys.current_event(), baghdad, wednesday


def watch(keys):
    """Every selected span id the listeners see, in order."""
    seen = []
    keys.subscribe(lambda: seen.append(keys.span_id))
    return seen


def test_a_click_fills_the_waiting_role_and_never_selects_the_filler(strike_session):
    keys, event, baghdad, _ = attack(strike_session)
    carry_out(keys.press("4"), strike_session.apply)  # Place waits
    seen = watch(keys)
    said = carry_out(keys.click_span(baghdad), strike_session.apply)
    assert said == "Place of Conflict.Attack saved"
    assert on_disk(strike_session.store, "SELECT role, span_id FROM event_arguments") == [
        ("Place", baghdad.id)
    ]
    assert seen and baghdad.id not in seen
    assert set(seen) == {event.trigger_id}
    assert keys.pending is None and keys.current_event().id == event.id


def test_a_refused_filler_is_selected_while_asked_about(strike_session):
    keys, event, _, wednesday = attack(strike_session)
    carry_out(keys.press("1"), strike_session.apply)  # Attacker: not a DATE
    seen = watch(keys)
    asked = []

    def ask(question):
        asked.append(keys.span_id)  # what the view shows while the question is open
        return False

    said = carry_out(keys.click_span(wednesday), strike_session.apply, ask)
    assert asked == [wednesday.id] and said.startswith("Not added")
    assert on_disk(strike_session.store, "SELECT count(*) FROM event_arguments") == [(0,)]
    assert seen[-1] == event.trigger_id  # back on the event once declined


def test_a_filler_the_edit_refuses_is_selected_and_the_reason_given(strike_session):
    keys, event, baghdad, _ = attack(strike_session)
    for _ in range(2):  # the second time, Baghdad fills Place already
        carry_out(keys.press("4"), strike_session.apply)
        try:
            said = carry_out(keys.click_span(baghdad), strike_session.apply)
        except AnnotatorError as refused:  # the window shows it in the status bar
            said = str(refused)
    assert said == "this already fills Place"
    assert keys.span_id == baghdad.id and keys.pending is None
    assert on_disk(strike_session.store, "SELECT count(*) FROM event_arguments") == [(1,)]
