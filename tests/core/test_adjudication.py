"""Adjudication in the core: what annotators agree on goes to gold, the rest are conflicts,
each resolution says what it puts into gold (hand-made layers, checked by hand)."""

import pytest

from annotator.core.adjudication import words
from annotator.core.adjudication.classify import (
    ARGUMENT,
    BOTH,
    EDIT,
    EVENT,
    MAJORITY,
    NEITHER,
    SPAN,
    adjudicate,
    needed,
)
from annotator.core.adjudication.edit import decode, encode, plan_resolution
from annotator.core.adjudication.units import ArgUnit, EventUnit, SpanUnit, Units
from annotator.core.layers import GOLD, reserved_name, tag_label
from annotator.core.model import Span

TEXT = "Rebels shelled Kharkiv and Izium on Monday, the army said."
#       0     6       14      22  26   31 34     41  45   50   55


def s(word, label, nth=0):
    at = -1
    for _ in range(nth + 1):
        at = TEXT.index(word, at + 1)
    return SpanUnit(at, at + len(word), label)


def attack(*arguments):
    shelled = s("shelled", "Attack")
    return EventUnit("Attack", shelled.start, shelled.end, tuple(arguments))


def arg(role, word, label):
    unit = s(word, label)
    return ArgUnit(role, unit.start, unit.end, label)


def test_unanimous_units_go_to_gold_and_the_rest_are_conflicts_with_each_persons_part():
    ann = Units((s("Rebels", "ORG"), s("Kharkiv", "GPE"), s("Monday", "DATE")))
    bob = Units((s("Rebels", "ORG"), s("Kharkiv", "LOC"), s("Izium", "GPE")))
    found = adjudicate({"ann": ann, "bob": bob})
    assert found.annotators == ("ann", "bob")
    assert found.agreed.spans == (s("Rebels", "ORG"),)
    assert [(c.key, c.kind) for c in found.conflicts] == [
        (f"span:{s('Kharkiv', 'X').start}-{s('Kharkiv', 'X').end}", SPAN),
        (f"span:{s('Izium', 'X').start}-{s('Izium', 'X').end}", SPAN),
        (f"span:{s('Monday', 'X').start}-{s('Monday', 'X').end}", SPAN),
    ]
    kharkiv, izium, monday = found.conflicts
    assert kharkiv.options == (
        ("ann", Units((s("Kharkiv", "GPE"),))),
        ("bob", Units((s("Kharkiv", "LOC"),))),
    )
    assert izium.options == (("ann", Units()), ("bob", Units((s("Izium", "GPE"),))))
    # what each decision puts into gold
    assert kharkiv.units_for("take:bob").spans == (s("Kharkiv", "LOC"),)
    assert set(kharkiv.units_for(BOTH).spans) == {s("Kharkiv", "GPE"), s("Kharkiv", "LOC")}
    assert not kharkiv.units_for(NEITHER) and not kharkiv.units_for(EDIT)
    assert not izium.units_for("take:ann")
    with pytest.raises(ValueError, match="carol has no part"):
        kharkiv.units_for("take:carol")
    assert [c.key for c in found.open([kharkiv.key])] == [izium.key, monday.key]


def test_overlapping_spans_of_different_extent_are_one_conflict():
    wide = SpanUnit(TEXT.index("Kharkiv"), TEXT.index("Izium") + len("Izium"), "GPE")
    found = adjudicate(
        {"ann": Units((wide,)), "bob": Units((s("Kharkiv", "GPE"), s("Izium", "GPE")))}
    )
    assert not found.agreed
    [conflict] = found.conflicts
    assert (conflict.start, conflict.end) == (wide.start, wide.end)
    assert conflict.options[1][1].spans == (s("Kharkiv", "GPE"), s("Izium", "GPE"))
    assert words.part(conflict.options[0][1], TEXT, conflict) == "GPE"
    assert words.part(conflict.options[1][1], TEXT, conflict) == "GPE “Kharkiv”; GPE “Izium”"


def test_majority_takes_what_most_say_and_the_outvoted_unit_is_no_conflict():
    ann = Units((s("Kharkiv", "GPE"), s("Monday", "DATE")))
    bob = Units((s("Kharkiv", "GPE"),))
    cy = Units((s("Kharkiv", "LOC"),))
    unanimous = adjudicate({"ann": ann, "bob": bob, "cy": cy})
    assert not unanimous.agreed.spans and len(unanimous.conflicts) == 2
    majority = adjudicate({"ann": ann, "bob": bob, "cy": cy}, MAJORITY)
    assert majority.agreed.spans == (s("Kharkiv", "GPE"),)
    # cy's LOC was outvoted; Monday (only ann) is still a conflict
    assert [c.key.split(":")[0] for c in majority.conflicts] == ["span"]
    assert majority.conflicts[0].start == TEXT.index("Monday")


def test_one_annotator_agrees_with_no_one_and_gold_is_left_out():
    assert needed(1, "unanimous") == 2 and needed(3, MAJORITY) == 2 and needed(4, MAJORITY) == 3
    found = adjudicate({"ann": Units((s("Kharkiv", "GPE"),)), GOLD: Units((s("Izium", "GPE"),))})
    assert found.annotators == ("ann",)
    assert not found.agreed and len(found.conflicts) == 1
    with pytest.raises(ValueError, match="unknown agreement policy"):
        needed(2, "plurality")


def test_events_agree_on_trigger_and_type_and_arguments_conflict_role_by_role():
    ann = Units(
        (s("Rebels", "ORG"),),
        (attack(arg("Attacker", "Rebels", "ORG"), arg("Place", "Kharkiv", "GPE")),),
    )
    bob = Units(
        (s("Rebels", "ORG"),),
        (attack(arg("Attacker", "Rebels", "ORG"), arg("Place", "Izium", "GPE"),
                arg("Time", "Monday", "DATE")),),
    )  # fmt: skip
    found = adjudicate({"ann": ann, "bob": bob})
    assert found.agreed.events == (attack(arg("Attacker", "Rebels", "ORG")),)
    kinds = [(c.kind, c.role) for c in found.conflicts]
    assert kinds == [(ARGUMENT, "Place"), (ARGUMENT, "Time")]
    place, time = found.conflicts
    assert place.key == "argument:Attack:7-14:Place"
    assert place.units_for("take:bob").events == (attack(arg("Place", "Izium", "GPE")),)
    assert time.options[0] == ("ann", Units())
    assert words.title(place, TEXT) == "Place of the event “shelled”"
    assert words.part(place.options[1][1], TEXT, place) == "Place = “Izium”"


def test_argument_conflict_options_are_numbered_as_the_headers_annotators():
    """With a majority, cy (no event) is still option 3: key 3 takes cy, as the header says."""
    ann = Units(events=(attack(arg("Place", "Kharkiv", "GPE")),))
    bob = Units(events=(attack(arg("Place", "Izium", "GPE")),))
    found = adjudicate({"ann": ann, "bob": bob, "cy": Units()}, MAJORITY)
    [place] = found.conflicts
    assert place.names == found.annotators == ("ann", "bob", "cy")
    assert place.options[2] == ("cy", Units())


def test_events_of_another_type_on_the_same_trigger_are_one_conflict_with_their_arguments():
    ann = Units(events=(attack(arg("Attacker", "Rebels", "ORG")),))
    shelled = s("shelled", "X")
    bob = Units(events=(EventUnit("Injure", shelled.start, shelled.end),))
    found = adjudicate({"ann": ann, "bob": bob})
    [conflict] = found.conflicts
    assert conflict.kind == EVENT
    assert words.part(conflict.options[0][1], TEXT, conflict) == "Attack (Attacker = “Rebels”)"
    assert conflict.units_for(BOTH).events == (
        attack(arg("Attacker", "Rebels", "ORG")),
        EventUnit("Injure", shelled.start, shelled.end),
    )


def test_a_resolution_is_an_edit_that_survives_the_undo_log():
    found = adjudicate({"ann": Units((s("Kharkiv", "GPE"),)), "bob": Units((s("Kharkiv", "LOC"),))})
    edit = plan_resolution(7, found.conflicts[0], "take:ann", 1)
    assert (edit.open_before, edit.open_after, edit.units) == (1, 0, Units((s("Kharkiv", "GPE"),)))
    assert "take ann's" in edit.description
    again = decode(encode(edit))
    assert (again.article_id, again.key, again.choice, again.units) == (
        7, edit.key, "take:ann", edit.units
    )  # fmt: skip


def test_gold_is_a_name_no_one_takes_and_its_tags_say_gold():
    assert reserved_name(" Gold ") and reserved_name("(unnamed)") and not reserved_name("goldie")
    span = Span(1, 1, 0, 6, "ORG", annotator=GOLD)
    assert tag_label(span, several=True) == "ORG · ★ gold"
    assert tag_label(Span(2, 1, 0, 6, "ORG", annotator="ann"), several=True) == "ORG · An"
