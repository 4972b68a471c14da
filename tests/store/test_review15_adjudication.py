"""Review of issue 15 (adjudication): failing tests that reproduce bugs found in s21-int."""

from annotator.core.adjudication.edit import plan_resolution
from annotator.core.layers import GOLD
from annotator.core.session import Session
from annotator.store import open_project
from tests.agreement_helpers import two_layers
from tests.conftest import on_disk


def gold_rows(store):
    return on_disk(
        store,
        "SELECT substr(a.text, s.start + 1, s.end - s.start), s.start, s.label, s.kind "
        "FROM spans s JOIN articles a ON a.id = s.article_id WHERE s.annotator = ? "
        "ORDER BY s.start, s.label",
        GOLD,
    )


def test_undo_then_restart_then_redo_puts_the_gold_rows_back(tmp_path):
    """Undo a decision, quit, reopen, redo: the decision is recorded again but its gold rows
    are not (the Removal planned by revert() is never written to the log: mark_logged is
    called without a payload on undo, and apply() with rows but no removal writes nothing)."""
    path = tmp_path / "p.db"
    store = open_project(path)
    text = two_layers(store)
    store.fill_article_gold(1)
    session = Session(store)
    session.open_article(1)
    found, _ = store.article_adjudication(1)
    iraq = next(c for c in found.conflicts if text[c.start : c.end] == "Iraq")
    edit = session.apply(plan_resolution(1, iraq, "take:ann", 5), log=True)
    with_iraq = gold_rows(store)
    session.revert(edit)
    store.close()

    store = open_project(path)  # a restart
    try:
        session = Session(store)
        session.open_article(1)
        again = session.logged_edits()[-1].edit()
        session.reapply(again)
        assert store.decisions(1) == {iraq.key: "take:ann"}
        assert gold_rows(store) == with_iraq  # fails: Iraq is missing from gold
    finally:
        store.close()


def test_an_argument_filler_in_a_span_conflict_leaves_two_labels_in_gold(store):
    """The second Baghdad is a span conflict (ann GPE, bob LOC) and the agreed Place
    argument's filler. Filling gold makes it GPE (ann's label) before anyone decides; taking
    bob's LOC then adds a second gold span at the same offsets: gold says both GPE and LOC."""
    text = two_layers(store)
    store.fill_article_gold(1)
    session = Session(store)
    session.open_article(1)
    found, _ = store.article_adjudication(1)
    start = text.index("Baghdad", text.index("Baghdad", text.index("Baghdad") + 1) + 1)
    baghdad = next(c for c in found.conflicts if c.start == start and c.kind == "span")
    session.apply(plan_resolution(1, baghdad, "take:bob", 5))
    here = [row for row in gold_rows(store) if row[1] == start]
    assert here == [("Baghdad", start, "LOC", "entity")]  # fails: GPE and LOC both in gold


def test_neither_on_a_filler_conflict_still_leaves_the_span_in_gold(store):
    text = two_layers(store)
    store.fill_article_gold(1)
    session = Session(store)
    session.open_article(1)
    found, _ = store.article_adjudication(1)
    start = text.index("Baghdad", text.index("Baghdad", text.index("Baghdad") + 1) + 1)
    baghdad = next(c for c in found.conflicts if c.start == start and c.kind == "span")
    session.apply(plan_resolution(1, baghdad, "neither", 5))
    # "neither" means no entity here, yet gold keeps ann's GPE made for the argument,
    # without anyone having been asked (it is not in any decision).
    assert [row for row in gold_rows(store) if row[1] == start] == []


def test_a_gold_span_deleted_by_hand_comes_back_when_the_article_is_opened_again(store):
    """The adjudicator removes an agreed span from gold (both annotators were wrong); the
    window calls fill_article_gold on every article it opens while adjudicating, and the
    span is written into gold again: a person's gold edit is silently undone."""
    text = two_layers(store)
    store.fill_article_gold(1)
    store.annotator = GOLD  # as the window does in Review > Adjudicate
    session = Session(store)
    session.open_article(1)
    drone = next(s for s in session.spans if s.annotator == GOLD and s.label == "WEAPON")
    session.apply(session.plan_remove(drone))
    assert "drone" not in [row[0] for row in gold_rows(store)]
    store.fill_article_gold(1)  # the article opened again in the mode
    assert "drone" not in [row[0] for row in gold_rows(store)]  # fails: it is back


def test_a_gold_relabel_by_hand_is_doubled_on_reopening(store):
    text = two_layers(store)
    store.fill_article_gold(1)
    store.annotator = GOLD
    session = Session(store)
    session.open_article(1)
    drone = next(s for s in session.spans if s.annotator == GOLD and s.label == "WEAPON")
    other = "ORG"
    session.apply(session.plan_relabel(drone, other))
    store.fill_article_gold(1)
    labels = [row[2] for row in gold_rows(store) if row[0] == "drone"]
    assert labels == [other]  # fails: [other, "WEAPON"] (or the reverse)


def test_in_adjudication_a_label_key_on_an_annotators_span_rewrites_their_layer(store):
    """While adjudicating, every layer's spans are in the view; the session relabels (or
    deletes) whichever span is selected, whoever made it: ann's row changes, gold does not."""
    text = two_layers(store)
    store.fill_article_gold(1)
    store.annotator = GOLD
    session = Session(store)
    session.open_article(1)
    iraq = next(s for s in session.spans if text[s.start : s.end] == "Iraq")
    assert iraq.annotator == "ann"
    session.apply(session.plan_relabel(iraq, "LOC"))
    assert on_disk(store, "SELECT label FROM spans WHERE id = ?", iraq.id) == [("GPE",)]


def test_undo_after_the_policy_changed_puts_back_a_stale_open_count(store):
    """Decide a conflict under "unanimous", switch to "majority" (Review > Agreed by
    majority: the article is counted again), then Ctrl+Z: drop_decision writes back the open
    count taken when the decision was made, under the other policy: more open than exist."""
    from annotator.core.agreement import LayerSpan, LayerUnits

    text = two_layers(store)
    start = text.index("Iraq")
    store.write_layers([(1, "cy", LayerUnits((LayerSpan(start, start + 4, "GPE"),)))])
    found = store.fill_article_gold(1)
    session = Session(store)
    session.open_article(1)
    opened = len(found.open({}))
    first = found.conflicts[0]
    edit = session.apply(plan_resolution(1, first, f"take:{first.names[0]}", opened))
    store.set_adjudication_policy("majority")
    store.fill_article_gold(1)  # what the window does on the switch
    session.revert(edit)
    found, decided = store.article_adjudication(1)
    assert store.adjudication_progress([1]) == {1: (len(found.conflicts), len(found.open(decided)))}


def test_an_agreed_argument_filled_by_an_event_becomes_an_entity_labelled_with_its_type(store):
    """ann and bob both have an Attack on "strike" whose Cause is a Die event on "killed"
    (an event filling a role). add_gold writes events in sorted order: the Attack comes
    first, the Die event is not in gold yet, and _filler falls back to making an ENTITY span
    labelled with the event type; the Die event is then made beside it."""
    from annotator.core.model import TRIGGER, Argument, Event, Span

    text = "A drone strike killed two men in Baghdad."
    article = store.insert_article_row(text, title="t", ext_id="t", digest="t", meta={},
                                       source="t")  # fmt: skip
    strike, killed = text.index("strike"), text.index("killed")
    for who in ("ann", "bob"):
        store.annotator = who
        t1 = store.insert_span(Span(None, article, strike, strike + 6, "Conflict.Attack",
                                    kind=TRIGGER))  # fmt: skip
        t2 = store.insert_span(Span(None, article, killed, killed + 6, "Life.Die", kind=TRIGGER))
        die = store.insert_event(Event(None, article, "Life.Die", t2.id, ()))
        store.insert_event(Event(None, article, "Conflict.Attack", t1.id,
                                 (Argument(None, None, "Cause", None, die.id),)))  # fmt: skip
    store.fill_article_gold(article)
    assert [row for row in gold_rows(store) if row[3] == "entity"] == []


def test_an_article_one_person_annotated_gets_conflicts_no_one_can_resolve(store):
    """Opening, in Review > Adjudicate, an article only ann annotated: the panel says "Fewer
    than two annotators here: nothing to adjudicate" and lists nothing, but
    fill_article_gold counted each of ann's spans as an open conflict: the article list
    shows " · N conflicts" for it, forever (nothing in the panel can close them)."""
    from annotator.core.agreement import LayerSpan, LayerUnits

    article = store.insert_article_row("Rain fell on Kharkiv and Odesa.", title="k", ext_id="k",
                                       digest="k", meta={}, source="t")  # fmt: skip
    store.write_layers([(article, "ann", LayerUnits((LayerSpan(13, 20, "GPE"),
                                                     LayerSpan(25, 30, "GPE"))))])  # fmt: skip
    found = store.fill_article_gold(article)
    assert found.annotators == ("ann",)
    assert store.adjudication_progress([article]).get(article, (0, 0))[1] == 0


def test_edit_by_hand_cannot_put_into_gold_a_label_an_annotator_has_there(store):
    """"e" (edit gold yourself) on the Pentagon conflict (ann: "Pentagon" ORG, bob: "The
    Pentagon" ORG): the adjudicator selects "Pentagon" and presses ORG's key; the session
    refuses, "this text is already labelled ORG" (ann's span, not gold's)."""
    text = two_layers(store)
    store.fill_article_gold(1)
    store.annotator = GOLD
    session = Session(store)
    session.open_article(1)
    start = text.index("Pentagon")
    edit = session.plan_label_selection(start, start + len("Pentagon"), "ORG")
    session.apply(edit)
    assert ("Pentagon", start, "ORG", "entity") in gold_rows(store)
