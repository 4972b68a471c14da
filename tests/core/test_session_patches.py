"""After an edit the session reads again only the rows the edit touched and patches them in
(annotator.core.annotations): after any sequence of edits, undos and redos it holds what a
fresh read of the article gives, and its Change names what moved."""

import random

from annotator.core.errors import EditRefused
from annotator.core.session import Session


def assert_as_fresh(session: Session) -> None:
    fresh = Session(session.store)
    fresh.open_article(session.article.id)
    assert session.spans == fresh.spans
    assert session.suggestions == fresh.suggestions
    assert session.events == fresh.events
    for name in ("spans_by_id", "events_by_id", "events_by_trigger", "events_by_span"):
        assert getattr(session.content, name) == getattr(fresh.content, name), name


def test_random_edits_undos_and_redos_patch_to_what_a_fresh_read_holds(strike_session):
    session, rng = strike_session, random.Random(5)
    text = session.article.text
    words = [(text.index(w), text.index(w) + len(w)) for w in
             ("US", "forces", "commander", "Kataib", "Hezbollah", "drone", "strike", "Baghdad",
              "Wednesday")]
    done, undone, kinds = [], [], set()
    for _ in range(80):
        roll = rng.random()
        try:
            if roll < 0.3:
                start, end = rng.choice(words)
                edit = session.apply(session.plan_add_span(start, end, rng.choice(
                    ["PERSON", "ORG", "GPE", "DATE"])))
            elif roll < 0.4 and [s for s in session.spans if s.kind == "entity"]:
                span = rng.choice([s for s in session.spans if s.kind == "entity"])
                edit = session.apply(session.plan_relabel(span, rng.choice(["ORG", "LOC"])))
            elif roll < 0.5 and session.spans:
                edit = session.apply(session.plan_remove(rng.choice(session.spans)))
            elif roll < 0.6:
                start, end = rng.choice(words)
                edit = session.apply(
                    session.plan_add_event("Conflict.Attack", selection=(start, end))
                )
            elif roll < 0.7 and session.events and session.spans:
                event = rng.choice(session.events)
                filler = rng.choice([s for s in session.spans if s.id != event.trigger_id]
                                    or session.spans)
                edit = session.apply(session.plan_add_argument(event, "Place", filler, True))
            elif roll < 0.85 and done:
                edit = done.pop()
                session.revert(edit)
                undone.append(edit)
                kinds.add("undo")
                assert_as_fresh(session)
                continue
            elif undone:
                edit = undone.pop()
                session.reapply(edit)
                done.append(edit)
                kinds.add("redo")
                assert_as_fresh(session)
                continue
            else:
                continue
        except EditRefused:
            continue
        kinds.add(type(edit).__name__)
        done.append(edit)
        undone.clear()  # a new edit drops the steps to redo, as the undo stack does
        assert session.last_change is not None  # patched, not read whole
        assert_as_fresh(session)
    assert kinds >= {"AddSpan", "RelabelSpan", "Remove", "AddEvent", "AddArgument", "undo",
                     "redo"}


def test_a_change_names_the_spans_before_and_after(strike_session):
    session = strike_session
    text = session.article.text
    start = text.index("Baghdad")
    added = session.apply(session.plan_add_span(start, start + 7, "GPE"))
    change = session.last_change
    assert change.spans_before == [] and [s.id for s in change.spans_after] == [added.span.id]
    assert change.span_range == (start, start + 7)
    session.apply(session.plan_relabel(session.spans[0], "LOC"))
    change = session.last_change
    assert [s.label for s in change.spans_before] == ["GPE"]
    assert [s.label for s in change.spans_after] == ["LOC"]
    session.reload()  # another program wrote: everything is read again
    assert session.last_change is None
