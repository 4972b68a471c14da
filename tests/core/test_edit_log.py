"""The undo log's form of every kind of edit: encoded after it was applied, through JSON text
and back, the decoded edit undoes and redoes exactly what the original did (ids, counts,
statuses), which is what a window restarted on the project does with it."""

import json

import pytest

from annotator.core import edit_log
from annotator.core.edit_log import LogEntry, LoggedEdit, UnreadableEdit, decode, encode
from annotator.core.errors import EditRefused
from annotator.core.meta_intents import event_target, plan_attribute, plan_notes, span_target
from annotator.core.edits import Batch, Edit, ResizeSpan

PAYS = "Alliance"  # a label the project gains after it was made


def where(session, word):
    start = session.article.text.index(word)
    return start, start + len(word)


def snapshot(store):
    conn = store.conn
    return (
        conn.execute("SELECT id, article_id, start, end, label, kind, origin, state, score, "
                     "decision, meta FROM spans ORDER BY id").fetchall(),
        conn.execute("SELECT id, type, trigger_id, meta FROM events ORDER BY id").fetchall(),
        conn.execute("SELECT id, event_id, role, span_id, arg_event_id, override "
                     "FROM event_arguments ORDER BY id").fetchall(),
        conn.execute("SELECT id, status, n_spans, n_events FROM articles ORDER BY id").fetchall(),
    )


def through_json(edit: Edit) -> Edit:
    payload = encode(edit)
    text = json.dumps(payload, ensure_ascii=False)
    again = decode(json.loads(text))
    assert type(again) is type(edit) and again.description == edit.description
    assert encode(again) == payload
    return again


def every_kind(session):
    """One applied edit of each kind, on one article with a scored suggestion."""
    store = session.store
    store.add_label(PAYS)
    article = session.article.id
    start, end = where(session, "Baghdad")
    with store.write():
        store.replace_suggestions("suggest:ner", [article], [(article, start, end, "GPE", 0.875)])
    session.reload()
    two_layers(session)
    before = snapshot(store)
    apply = session.apply
    edits: list[Edit] = []

    def made(edit):
        edits.append(apply(edit))
        return edit

    us = made(session.plan_add_span(*where(session, "US forces"), PAYS)).span
    kh = made(session.plan_add_span(*where(session, "Kataib Hezbollah"), "ORG")).span
    made(session.plan_relabel(session.span_by_id(kh.id), "PERSON"))
    # Alt+Shift+Left on it: it ends a token earlier ("Kataib")
    made(ResizeSpan(session.span_by_id(kh.id), kh.start, kh.start + len("Kataib")))
    made(a_resolution(session))
    made(session.plan_decide(session.suggestions[0], True, label="LOC"))
    attack = made(session.plan_add_event("Conflict.Attack",
                                         selection=where(session, "strike"))).event
    made(session.plan_add_argument(session.event_by_id(attack.id), "Attacker",
                                   session.span_by_id(us.id), override=True))
    made(session.plan_add_new_argument(session.event_by_id(attack.id), "Target",
                                       *where(session, "commander"), "PERSON", override=True))
    bare = made(session.plan_add_event("Life.Die", selection=where(session, "killed"))).event
    made(session.plan_change_event_type(session.event_by_id(bare.id), "Conflict.Attack"))
    # What the side panel and the attribute keys write: a span's note, an event's Polarity.
    made(plan_notes(session, span_target(session, session.span_by_id(kh.id)), "a militia"))
    made(plan_attribute(session, event_target(session, session.event_by_id(attack.id)),
                        "Polarity", "Negative"))
    made(session.plan_remove(session.span_by_id(us.id)))  # takes the Attacker argument too
    made(session.plan_set_status("done"))
    return before, edits


def two_layers(session):
    """Two people's layers on the article disagree on Wednesday (written before the edits)."""
    from annotator.core.agreement import LayerSpan, LayerUnits

    start, end = where(session, "Wednesday")
    session.store.write_layers(
        [(session.article.id, "ann", LayerUnits((LayerSpan(start, end, "DATE"),))),
         (session.article.id, "bob", LayerUnits((LayerSpan(start, end, "TIME"),)))])
    session.store.set_status(session.article.id, "in_progress")  # as a merge leaves it
    session.reload()


def a_resolution(session):
    """The resolution takes bob's Wednesday: its gold span and the decision are written,
    and its undo log entry keeps the rows."""
    from annotator.core.adjudication.edit import plan_resolution

    store, article = session.store, session.article.id
    found, _ = store.article_adjudication(article)
    return plan_resolution(article, found.conflicts[0], "take:bob", 1)


def test_every_kind_of_edit_survives_json_and_undoes_and_redoes_as_the_original(
        strike_session):
    session = strike_session
    before, edits = every_kind(session)
    kinds = {type(e) for e in edits}
    assert kinds == set(edit_log.KINDS) - {Batch}  # Batch: the next test
    after = snapshot(session.store)
    assert 0.875 in {r[8] for r in after[0]}  # the accepted suggestion keeps its score
    assert PAYS in json.dumps(encode(edits[-2]))  # the removal carries the span it took
    decoded = [through_json(edit) for edit in edits]
    for edit in reversed(decoded):
        session.revert(edit)
    assert snapshot(session.store) == before
    for edit in decoded:
        session.reapply(edit)
    assert snapshot(session.store) == after


def test_a_batch_of_decisions_survives_json(strike_session):
    session = strike_session
    store, article = session.store, session.article.id
    rows = [(article, *where(session, w), label, score)
            for w, label, score in (("Baghdad", "GPE", 0.5), ("Wednesday", "DATE", None))]
    with store.write():
        store.replace_suggestions("suggest:ner", [article], rows)
    session.reload()
    before = snapshot(store)
    batch = session.apply(session.plan_decide_all(True))
    after = snapshot(store)
    again = through_json(batch)
    assert isinstance(again, Batch) and len(again.edits) == 2
    session.revert(again)
    assert snapshot(store) == before
    session.reapply(again)
    assert snapshot(store) == after


def test_non_ascii_labels_and_exact_scores_come_back_from_the_project_file(store):
    """Schema names are ASCII today, but a log entry must not depend on it: what the codec
    writes and the store keeps comes back exactly."""
    from annotator.core.edits import AddSpan, Decide
    from annotator.core.model import Span

    span = Span(7, 1, 0, 5, "Bündnis_Ωmega·東京", origin="suggest:ner", state="suggested",
                score=0.1 + 0.2)
    edits = [AddSpan(span, 40), Decide(span, "accepted", "relabelled", "Ωmega", (1, 4))]
    with store.write():
        for edit in edits:
            store.log_edit(edit.description, encode(edit))
    logged = [LoggedEdit(entry) for entry in store.undo_log()]
    assert [encode(step.edit()) for step in logged] == [encode(edit) for edit in edits]
    assert logged[0].edit().span == span and logged[1].edit().bounds == (1, 4)
    assert [step.description for step in logged] == ["add Bündnis_Ωmega·東京",
                                                     "relabelled Ωmega"]
    assert "Ωmega·東京" in store.undo_log()[0].payload  # kept as text, not as escapes


def test_an_entry_this_version_cannot_read_is_refused_when_it_is_reached():
    good = {"v": 1, "kind": "set_status", "description": "mark done", "article_id": 1,
            "status": "done", "old": "new"}
    assert isinstance(LoggedEdit(LogEntry(1, "mark done", json.dumps(good), True, 1.0)).edit(),
                      type(decode(good)))
    for bad in ('{"v": 99, "kind": "teleport"}', '{"v": 1, "kind": "teleport"}',
                '{"v": 1, "kind": "add_span"}', "not json", "[]"):
        with pytest.raises(UnreadableEdit):
            decode(bad)
        step = LoggedEdit(LogEntry(2, "add GPE", bad, True, 2.0))
        with pytest.raises(EditRefused, match="Cannot undo or redo “add GPE”: its undo log "
                                              "entry cannot be read"):
            step.edit()
