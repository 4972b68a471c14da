"""Events in the core: triggers, typed arguments, refusals, cascading deletes and undo."""

import pytest

from annotator.core.errors import EditRefused
from annotator.core.session import RoleRefused, Session
from annotator.formats.importer import import_paths
from annotator.store import open_project

from tests.core.conftest import STRIKE as TEXT


@pytest.fixture
def session(strike_session):
    return strike_session


def entity(session, word, label):
    start = TEXT.index(word)
    return session.apply(session.plan_add_span(start, start + len(word), label)).span


def trigger_selection(word):
    start = TEXT.index(word)
    return start, start + len(word)


def counts(session):
    conn = session.store.conn
    return tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                 for t in ("spans", "events", "event_arguments"))


def test_an_attack_with_arguments_and_a_second_event_on_the_same_trigger(session):
    us = entity(session, "US", "GPE")
    baghdad = entity(session, "Baghdad", "GPE")
    attack = session.apply(session.plan_add_event("Conflict.Attack", selection=trigger_selection("strike"))).event
    session.apply(session.plan_add_argument(attack, "Attacker", us))
    session.apply(session.plan_add_argument(session.event_by_id(attack.id), "Place", baghdad))
    session.apply(session.plan_add_new_argument(session.event_by_id(attack.id), "Target",
                             *trigger_selection("commander"), "PERSON"))
    trigger = session.span_by_id(attack.trigger_id)
    assert (trigger.kind, trigger.label, TEXT[trigger.start:trigger.end]) == (
        "trigger", "Conflict.Attack", "strike")
    stored = session.store.events(session.article.id)
    assert [(a.role, TEXT[session.span_by_id(a.span_id).start:session.span_by_id(a.span_id).end])
            for a in stored[0].arguments] == [
        ("Attacker", "US"), ("Place", "Baghdad"), ("Target", "commander")]
    # Same type on the same trigger: the trigger span is shared.
    second = session.apply(session.plan_add_event("Conflict.Attack", on_span=trigger)).event
    assert second.trigger_id == attack.trigger_id
    # Another type on it: a trigger span of its own at the same offsets.
    die = session.apply(session.plan_add_event("Life.Die", on_span=session.span_by_id(attack.trigger_id))).event
    assert die.trigger_id != attack.trigger_id
    assert session.store.article_row(session.article.id) is not None
    assert session.store.conn.execute("SELECT n_events FROM articles").fetchone()[0] == 3


def test_roles_and_fillers_the_schema_does_not_allow_are_refused_unless_overridden(session):
    date = entity(session, "Wednesday", "DATE")
    attack = session.apply(session.plan_add_event("Conflict.Attack", selection=trigger_selection("strike"))).event
    with pytest.raises(RoleRefused, match="Attacker of Conflict.Attack takes .*not DATE"):
        session.apply(session.plan_add_argument(attack, "Attacker", date))
    with pytest.raises(RoleRefused, match="has no role Victim"):
        session.apply(session.plan_add_argument(attack, "Victim", date))
    edit = session.apply(session.plan_add_argument(attack, "Attacker", date, override=True))
    assert edit.argument.override
    assert session.store.events(session.article.id)[0].arguments[0].override


def test_an_event_fills_a_role_of_another_event(session):
    attack = session.apply(session.plan_add_event("Conflict.Attack", selection=trigger_selection("strike"))).event
    die = session.apply(session.plan_add_event("Life.Die", selection=trigger_selection("killed"))).event
    statement_span = session.span_by_id(attack.trigger_id)
    with pytest.raises(RoleRefused):
        session.apply(session.plan_add_argument(die, "Victim", statement_span))
    session.apply(session.plan_add_argument(die, "Instrument", statement_span, override=True))
    [arg] = session.event_by_id(die.id).arguments
    assert arg.arg_event_id == attack.id and arg.span_id is None
    with pytest.raises(EditRefused):
        session.apply(session.plan_add_argument(attack, "Target", statement_span, override=True))


def test_deleting_an_argument_span_takes_its_roles_and_undo_restores_everything(session):
    us = entity(session, "US", "GPE")
    attack = session.apply(session.plan_add_event("Conflict.Attack", selection=trigger_selection("strike"))).event
    session.apply(session.plan_add_argument(attack, "Attacker", us))
    before = counts(session)
    removal = session.apply(session.plan_remove(session.span_by_id(us.id)))
    assert "argument(s) (Attacker)" in removal.also_removed()
    assert counts(session) == (before[0] - 1, 1, 0)
    session.revert(removal)
    assert counts(session) == before
    assert session.event_by_id(attack.id).arguments[0].span_id == us.id


def test_deleting_a_trigger_deletes_its_events_and_arguments_pointing_at_them(session):
    us = entity(session, "US", "GPE")
    attack = session.apply(session.plan_add_event("Conflict.Attack", selection=trigger_selection("strike"))).event
    session.apply(session.plan_add_argument(attack, "Attacker", us))
    die = session.apply(session.plan_add_event("Life.Die", selection=trigger_selection("killed"))).event
    session.apply(session.plan_add_argument(die, "Instrument", session.span_by_id(attack.trigger_id), override=True))
    before = counts(session)
    removal = session.apply(session.plan_remove(session.span_by_id(attack.trigger_id)))
    assert counts(session) == (before[0] - 1, 1, 0)
    assert "1 event(s) it triggered" in removal.also_removed()
    session.revert(removal)
    assert counts(session) == before
    assert session.store.conn.execute("SELECT n_events FROM articles").fetchone()[0] == 2


def test_removing_the_last_event_of_a_trigger_removes_the_trigger(session):
    attack = session.apply(session.plan_add_event("Conflict.Attack", selection=trigger_selection("strike"))).event
    other = session.apply(session.plan_add_event("Conflict.Attack", on_span=session.span_by_id(attack.trigger_id))).event
    session.apply(session.plan_remove_event(session.event_by_id(attack.id)))
    assert session.span_by_id(attack.trigger_id) is not None
    session.apply(session.plan_remove_event(session.event_by_id(other.id)))
    assert session.span_by_id(attack.trigger_id) is None and session.events == []


def test_changing_the_event_type_relabels_the_trigger_and_checks_roles(session):
    us = entity(session, "US", "GPE")
    attack = session.apply(session.plan_add_event("Conflict.Attack", selection=trigger_selection("strike"))).event
    session.apply(session.plan_add_argument(attack, "Attacker", us))
    with pytest.raises(EditRefused, match="has no role Attacker"):
        session.apply(session.plan_change_event_type(session.event_by_id(attack.id), "Life.Die"))
    session.apply(session.plan_remove_argument(session.event_by_id(attack.id).arguments[0]))
    edit = session.apply(session.plan_change_event_type(session.event_by_id(attack.id), "Life.Die"))
    assert session.span_by_id(attack.trigger_id).label == "Life.Die"
    session.revert(edit)
    assert session.span_by_id(attack.trigger_id).label == "Conflict.Attack"
    assert session.event_by_id(attack.id).type == "Conflict.Attack"
