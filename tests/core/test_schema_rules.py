"""The schema rules every change follows (core.schema_rules): what a name may be, which key
is free, what colour a new name gets; and the schema-level rename, remove and replace
(core.schema_in_use). A label an import adds and one added by hand come out alike."""

import pytest

from annotator.core.colours import DISTINCT, difference
from annotator.core.errors import SchemaError
from annotator.core.schema import Schema, load_schema
from annotator.core.schema_edit import add_label, add_type, drop_unknown_fillers, merge_schema
from annotator.core.schema_in_use import check_replacement, remove_from_schema, rename_in_schema
from annotator.core.schema_rules import (
    check_name, colours_of, free_key, kind_clash, new_colour, valid_name,
)
from annotator.paths import default_schema_path

NEWS = load_schema(default_schema_path())
SMALL = Schema.from_dict({
    "entities": [{"label": "PERSON", "key": "p"}, {"label": "ORG", "key": "o"}],
    "events": [{"type": "Attack", "key": "A", "roles": [{"role": "Target", "labels": ["PERSON"]},
                                                       {"role": "Attacker", "labels": ["PERSON", "ORG"]}]}],
    "relations": [{"type": "Member"}]})


@pytest.mark.parametrize("name", ["PERSON", "Conflict.Attack", "B-X", "ns:Thing", "a_1"])
def test_names_the_schema_loads_again_are_valid(name):
    assert valid_name(name) and kind_clash(Schema(), name, "entity") is None
    check_name(name)


@pytest.mark.parametrize("name", ["two words", "", "née?", "a/b", "tab\t"])
def test_other_names_are_refused_in_the_same_words_everywhere(name):
    assert not valid_name(name)
    with pytest.raises(SchemaError, match="letters, digits, _ . - : only"):
        check_name(name, "label name")
    assert "letters, digits, _ . - : only" in kind_clash(Schema(), name, "entity")


def test_a_name_of_another_kind_clashes():
    assert kind_clash(SMALL, "Attack", "entity") == (
        "'Attack' is already an event name in the schema, not an entity one")
    assert kind_clash(SMALL, "Attack", "event") is None


def test_a_free_key_is_the_first_letter_of_the_name_nobody_has():
    assert free_key(SMALL, "PLACE") == "l"  # p is PERSON's
    assert free_key(SMALL, "OPP") == "0"  # o and p taken: the first free digit
    # a and x accept and reject suggestions; A is Attack's Shift+A: all skipped.
    assert free_key(SMALL, "AX") == "0"
    lowercase_event = Schema.from_dict({"events": [{"type": "Move", "key": "m"}]})
    assert free_key(lowercase_event, "MONEY") == "o"
    full = Schema.from_dict({"entities": [{"label": f"L{d}", "key": d} for d in "0123456789"]})
    assert free_key(full, "--") == ""


def test_a_key_the_project_gave_a_command_is_no_free_key_and_is_refused_for_a_label():
    # span.next moved from Tab to s, span.previous to S (Shift+S), in the project's [keys]:
    # they answer to those keys in the text, so a label or event type given them could
    # never be reached.
    rebound = Schema.from_dict({**SMALL.to_dict(), "keys": {"span.next": "s", "span.previous": "S"}})
    assert free_key(rebound, "SOURCE") == "u"  # s is the command's, o is ORG's
    for key in ("s", "S"):
        with pytest.raises(SchemaError, match="already used by the span.next command"):
            add_label(rebound, "SOURCE", key=key)
    incoming = Schema.from_dict({"entities": [{"label": "SOURCE", "key": "s"}],
                                 "events": [{"type": "Say", "key": "S"}]})
    change = merge_schema(rebound, incoming)
    assert change.schema.label("SOURCE").key == ""
    assert change.schema.type_named("Say", False).key == ""
    assert change.notes == ["SOURCE: key 's' is used by the span.next command, so SOURCE has no key",
                            "Say: key 'S' is used by the span.previous command, so Say has no key"]


def test_a_new_colour_looks_unlike_every_colour_in_use():
    # The case: the news schema's 21st label got #5fddd6, 4.8 CIEDE2000 from ORG's
    # #7aecec (a "just noticeable" difference is about 2; tags side by side need far more).
    fresh = new_colour(NEWS, "entity")
    assert fresh not in colours_of(NEWS)
    nearest = min(colours_of(NEWS), key=lambda c: difference(fresh, c))
    assert difference(fresh, nearest) >= DISTINCT, (fresh, nearest)
    assert difference(fresh, NEWS.label("ORG").color) > 4 * difference("#5fddd6", "#7aecec")
    # Label after label, each one stays clear of all before it (labels and types alike; with
    # a dozen colours in use the room left shrinks, but never to a near repeat).
    schema = SMALL
    for number in range(8):
        before = colours_of(schema)
        schema = schema.with_label(f"NEW{number}")
        colour = schema.label(f"NEW{number}").color
        assert min(difference(colour, c) for c in before) >= 15, (number, colour)


def test_a_file_without_colours_gives_each_name_the_colour_adding_it_would():
    written = Schema.from_dict({"entities": [{"label": "PERSON"}, {"label": "ORG"}, {"label": "MONEY"}]})
    two = Schema.from_dict({"entities": [{"label": "PERSON"}, {"label": "ORG"}]})
    assert written.label("MONEY").color == new_colour(two, "entity")
    # A colour the file names later is kept clear of too: nothing generated lands on it.
    named = Schema.from_dict({"entities": [{"label": "A1"}, {"label": "B1", "color": "#ddc15f"}]})
    assert difference(named.label("A1").color, "#ddc15f") >= DISTINCT
    # Types draw from the same colours as labels: they share the article view.
    assert new_colour(SMALL, "event") == new_colour(SMALL, "relation") == new_colour(SMALL, "entity")


def test_a_label_added_on_import_and_by_hand_get_the_same_key_and_colour():
    for schema in (SMALL, NEWS):
        grown = schema.with_label("ARMS").label("ARMS")  # what an import adds
        by_hand = add_label(schema, "ARMS").label("ARMS")
        assert (grown.key, grown.color) == (by_hand.key, by_hand.color)
        assert grown.key == free_key(schema, "ARMS") and grown.color == new_colour(schema, "entity")
    assert SMALL.with_label("ARMS").label("ARMS").key == "r"  # not a: that accepts suggestions
    assert add_label(SMALL, "MONEY", key="").label("MONEY").key == ""  # asked for none


def test_a_type_an_import_adds_has_a_new_colour_and_loads_again():
    grown = add_type(SMALL, "Meet", relation=False, description="added on import")
    assert grown.event_type("Meet").color == new_colour(SMALL, "event")
    assert Schema.from_dict(grown.to_dict()) == grown
    assert add_type(grown, "Meet", relation=False) == grown


def test_fillers_that_name_nothing_are_dropped_with_a_note():
    broken = Schema.from_dict({"events": [{"type": "Attack", "roles": [
        {"role": "Target", "labels": ["GHOST"]}]}]}, partial=True)
    fixed, notes = drop_unknown_fillers(broken)
    assert fixed.event_type("Attack").role("Target").fillers == ("<ENTITY>",)
    assert notes == ["Attack, role Target: filler GHOST names no entity label or event type; left out"]


def test_rename_in_schema_renames_fillers_and_merges_a_same_kind_name():
    kind, renamed = rename_in_schema(SMALL, "ORG", "GROUP")
    assert kind == "entity" and renamed.names == ["PERSON", "GROUP", "Attack", "Member"]
    assert renamed.event_type("Attack").role("Attacker").fillers == ("PERSON", "GROUP")
    _, merged = rename_in_schema(SMALL, "ORG", "PERSON")
    assert merged.label_names == ["PERSON"]
    assert merged.event_type("Attack").role("Attacker").fillers == ("PERSON",)
    for old, new, why in (("GHOST", "X", "no label or type named"), ("ORG", "a b", "can't be a name"),
                          ("ORG", "ORG", "already has that name"), ("ORG", "Attack", "can't merge")):
        with pytest.raises(SchemaError, match=why):
            rename_in_schema(SMALL, old, new)


def test_remove_from_schema_refuses_a_used_name_or_a_role_s_only_filler():
    with pytest.raises(SchemaError, match="ORG is used 2 time"):
        remove_from_schema(SMALL, "ORG", {"ORG": 2})
    with pytest.raises(SchemaError, match="all that may fill Attack/Target"):
        remove_from_schema(SMALL, "PERSON", {})
    smaller = remove_from_schema(SMALL, "ORG", {})
    assert smaller.label_names == ["PERSON"]
    assert smaller.event_type("Attack").role("Attacker").fillers == ("PERSON",)


def test_a_replacement_may_drop_only_unused_names_and_keep_used_kinds():
    other = Schema.from_dict({"entities": [{"label": "PERSON"}], "events": [{"type": "ORG"}]})
    assert check_replacement(SMALL, other, {}) == ["Attack", "Member"]
    with pytest.raises(SchemaError, match=r"leaves out names that annotations use: Attack \(3\)"):
        check_replacement(SMALL, other, {"Attack": 3})
    with pytest.raises(SchemaError, match="ORG is an entity label used 1 time"):
        check_replacement(SMALL, other, {"ORG": 1})
