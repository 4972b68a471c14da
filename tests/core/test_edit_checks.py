"""An undo or redo whose rows changed outside the window (an import, the CLI, another window,
or an edit from the undo log of an earlier run) is refused before anything is written, with
a reason; it never fails half-way inside SQLite or writes onto rows that are no longer its."""

import pytest

from annotator.core.errors import EditRefused
from annotator.core.model import Removal, Span


def where(session, word):
    start = session.article.text.index(word)
    return start, start + len(word)


def state(store):
    conn = store.conn
    return (conn.execute("SELECT id, label FROM spans ORDER BY id").fetchall(),
            conn.execute("SELECT id, type FROM events ORDER BY id").fetchall(),
            conn.execute("SELECT status, n_spans, n_events FROM articles").fetchall())


def test_a_redo_whose_span_id_was_taken_meanwhile_is_refused(strike_session):
    session = strike_session
    edit = session.apply(session.plan_add_span(*where(session, "Baghdad"), "GPE"))
    session.revert(edit)
    # An import adds a span, which takes the freed id.
    session.store.insert_span(Span(edit.span.id, edit.article_id, 0, 2, "GPE"))
    before = state(session.store)
    with pytest.raises(EditRefused, match="Cannot redo “add GPE”: its span's id is in use again"):
        session.reapply(edit)
    assert state(session.store) == before


def test_an_event_removed_elsewhere_is_not_undone_twice(strike_session):
    session = strike_session
    edit = session.apply(session.plan_add_event("Conflict.Attack", selection=where(session, "strike")))
    session.store.apply_removal(Removal(events=[edit.event]))  # another window deleted it
    before = state(session.store)
    with pytest.raises(EditRefused, match="its event is gone from the project"):
        session.revert(edit)
    assert state(session.store) == before  # the event counter was not taken down again


def test_a_removal_whose_event_went_meanwhile_is_not_restored_half(strike_session):
    session = strike_session
    us = session.apply(session.plan_add_span(*where(session, "US forces"), "GPE")).span
    attack = session.apply(session.plan_add_event("Conflict.Attack",
                                                  selection=where(session, "strike"))).event
    session.apply(session.plan_add_argument(session.event_by_id(attack.id), "Attacker",
                                            session.span_by_id(us.id)))
    removal = session.apply(session.plan_remove(session.span_by_id(us.id)))  # with its argument
    session.store.apply_removal(Removal(events=[session.store.event(attack.id)]))
    before = state(session.store)
    with pytest.raises(EditRefused, match="Cannot undo “delete GPE”: its event is gone"):
        session.revert(removal)
    assert state(session.store) == before
