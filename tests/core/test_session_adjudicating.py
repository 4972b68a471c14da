"""The session while adjudicating (the store writes as GOLD): every layer is in the view,
only gold is edited; an annotator's span at a place is no duplicate of gold's."""

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


def test_relabelling_an_annotators_span_while_adjudicating_puts_a_gold_span_there(store):
    """While adjudicating, every layer's spans are in the view; relabelling ann's span
    leaves her row as it is and gives gold a span of its own there, with the new label."""
    text = two_layers(store)
    store.fill_article_gold(1)
    store.annotator = GOLD
    session = Session(store)
    session.open_article(1)
    iraq = next(s for s in session.spans if text[s.start : s.end] == "Iraq")
    assert iraq.annotator == "ann"
    session.apply(session.plan_relabel(iraq, "LOC"))
    assert on_disk(store, "SELECT label FROM spans WHERE id = ?", iraq.id) == [("GPE",)]


def test_edit_by_hand_puts_into_gold_a_label_an_annotator_has_there(store):
    """ "e" (edit gold yourself) on the Pentagon conflict (ann: "Pentagon" ORG, bob: "The
    Pentagon" ORG): the adjudicator selects "Pentagon" and presses ORG's key; ann's span
    there is no duplicate of gold's: gold gets it."""
    text = two_layers(store)
    store.fill_article_gold(1)
    store.annotator = GOLD
    session = Session(store)
    session.open_article(1)
    start = text.index("Pentagon")
    edit = session.plan_label_selection(start, start + len("Pentagon"), "ORG")
    session.apply(edit)
    assert ("Pentagon", start, "ORG", "entity") in gold_rows(store)
