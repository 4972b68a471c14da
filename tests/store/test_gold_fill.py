"""Filling gold with the agreed units: each filled once (what the adjudicator then changes by
hand stays changed), an argument whose filler is in a span conflict waiting for that
decision, an event filling a role found as that event, and no progress where only one person
annotated."""

from annotator.core.adjudication.edit import plan_resolution
from annotator.core.layers import GOLD
from annotator.core.session import Session
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


def place_fillers(store):
    return on_disk(
        store,
        "SELECT s.start, s.label FROM event_arguments g JOIN spans s ON s.id = g.span_id "
        "WHERE g.annotator = ? AND g.role = 'Place'",
        GOLD,
    )


def test_a_gold_span_deleted_by_hand_stays_deleted_when_the_article_is_opened_again(store):
    """The adjudicator removes an agreed span from gold (both annotators were wrong); the
    window calls fill_article_gold on every article it opens while adjudicating: the span
    was filled once and is not written again."""
    two_layers(store)
    store.fill_article_gold(1)
    store.annotator = GOLD  # as the window does in Review > Adjudicate
    session = Session(store)
    session.open_article(1)
    drone = next(s for s in session.spans if s.annotator == GOLD and s.label == "WEAPON")
    session.apply(session.plan_remove(drone))
    assert "drone" not in [row[0] for row in gold_rows(store)]
    store.fill_article_gold(1)  # the article opened again in the mode
    assert "drone" not in [row[0] for row in gold_rows(store)]


def test_a_gold_relabel_by_hand_stays_one_label_on_reopening(store):
    two_layers(store)
    store.fill_article_gold(1)
    store.annotator = GOLD
    session = Session(store)
    session.open_article(1)
    drone = next(s for s in session.spans if s.annotator == GOLD and s.label == "WEAPON")
    other = "ORG"
    session.apply(session.plan_relabel(drone, other))
    store.fill_article_gold(1)
    labels = [row[2] for row in gold_rows(store) if row[0] == "drone"]
    assert labels == [other]


def test_an_agreed_arguments_filler_takes_the_label_decided_on_its_span_conflict(store):
    """The second Baghdad is a span conflict (ann GPE, bob LOC) and the agreed Place
    argument's filler. Filling gold leaves the Place waiting (no GPE made unasked); taking
    bob's LOC puts LOC there, and the Place with it: gold has one label there."""
    text = two_layers(store)
    store.fill_article_gold(1)
    session = Session(store)
    session.open_article(1)
    found, _ = store.article_adjudication(1)
    start = text.index("Baghdad", text.index("Baghdad", text.index("Baghdad") + 1) + 1)
    baghdad = next(c for c in found.conflicts if c.start == start and c.kind == "span")
    assert place_fillers(store) == []  # waiting for the decision
    edit = session.apply(plan_resolution(1, baghdad, "take:bob", 5))
    here = [row for row in gold_rows(store) if row[1] == start]
    assert here == [("Baghdad", start, "LOC", "entity")]
    assert place_fillers(store) == [(start, "LOC")]
    session.revert(edit)  # the Place goes with the decision, and waits again
    assert place_fillers(store) == [] and store.fill_article_gold(1) and place_fillers(store) == []


def test_neither_on_a_fillers_span_conflict_leaves_no_span_there(store):
    text = two_layers(store)
    store.fill_article_gold(1)
    session = Session(store)
    session.open_article(1)
    found, _ = store.article_adjudication(1)
    start = text.index("Baghdad", text.index("Baghdad", text.index("Baghdad") + 1) + 1)
    baghdad = next(c for c in found.conflicts if c.start == start and c.kind == "span")
    session.apply(plan_resolution(1, baghdad, "neither", 5))
    # "neither" means no entity here: nothing in gold at the second Baghdad (the Place,
    # waiting for a filler, stays out).
    assert [row for row in gold_rows(store) if row[1] == start] == []


def test_an_agreed_argument_filled_by_an_event_points_at_that_event_in_gold(store):
    """ann and bob both have an Attack on "strike" whose Cause is a Die event on "killed"
    (an event filling a role). Gold gets both events first, then the Cause pointing at the
    Die event: no ENTITY span labelled with an event type."""
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
    cause = on_disk(
        store,
        "SELECT e.type FROM event_arguments a JOIN events e "
        "ON e.id = a.arg_event_id WHERE a.annotator = ? AND a.role = 'Cause'",
        GOLD,
    )
    assert cause == [("Life.Die",)]


def test_an_article_one_person_annotated_gets_no_progress_to_show(store):
    """Opening, in Review > Adjudicate, an article only ann annotated: the panel says "Fewer
    than two annotators here: nothing to adjudicate", and the article list shows no
    conflicts for it either (nothing in the panel could close them)."""
    from annotator.core.agreement import LayerSpan, LayerUnits

    article = store.insert_article_row("Rain fell on Kharkiv and Odesa.", title="k", ext_id="k",
                                       digest="k", meta={}, source="t")  # fmt: skip
    store.write_layers([(article, "ann", LayerUnits((LayerSpan(13, 20, "GPE"),
                                                     LayerSpan(25, 30, "GPE"))))])  # fmt: skip
    found = store.fill_article_gold(article)
    assert found.annotators == ("ann",)
    assert store.adjudication_progress([article]).get(article, (0, 0))[1] == 0
