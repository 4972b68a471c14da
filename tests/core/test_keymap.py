"""The key map is the one list of keys: the core's dispatch has a handler for every key of the
article view and no other, and no key means two things in one place."""

import pytest

from annotator.core.interaction import HANDLERS
from annotator.core.keymap import DEFAULT, TEXT, WINDOW, Binding, KeyMap, normal
from annotator.core.schema import load_schema
from annotator.paths import default_schema_path


def test_every_text_key_of_the_map_has_a_handler_and_every_handler_a_key():
    text_actions = {b.action for b in DEFAULT.bindings if b.scope == TEXT}
    assert text_actions == set(HANDLERS)


def test_the_default_map_has_no_conflicts_with_itself_or_the_news_schema():
    assert DEFAULT.conflicts(load_schema(default_schema_path())) == []


def test_conflicts_are_found_in_one_scope_across_scopes_and_with_the_schema():
    schema = load_schema(default_schema_path())
    twice = DEFAULT.rebound("cursor.down", ["Up"])
    assert "Up is bound to both cursor.up and cursor.down" in twice.conflicts()
    stolen = DEFAULT.rebound("edit.snap", ["Ctrl+Right"])
    assert any("would take it from cursor.next_candidate" in p for p in stolen.conflicts())
    labelled = DEFAULT.rebound("review.accept", ["o"])
    assert "o is ORG's key and bound to review.accept" in labelled.conflicts(schema)
    shifted = DEFAULT.rebound("review.reject", ["A"])  # Shift+a: Conflict.Attack's key
    assert "A is Conflict.Attack's key and bound to review.reject" in shifted.conflicts(schema)
    assert DEFAULT.conflicts(schema) == []
    # An attribute's key is a window shortcut: a binding of it in any scope conflicts.
    taken = DEFAULT.rebound("edit.snap", ["Alt+P"])
    assert "Alt+P is attribute Polarity's key and bound to edit.snap" in taken.conflicts(schema)


def test_a_rebound_key_changes_what_the_key_means_and_survives_as_overrides():
    moved = DEFAULT.rebound("cursor.next_candidate", ["Shift+Alt+N"])
    assert moved.keys("cursor.next_candidate") == ("Alt+Shift+N",)  # Qt's modifier order
    assert moved.action_for("Alt+Shift+N") == "cursor.next_candidate"
    assert moved.action_for("Ctrl+Right") is None
    saved = moved.overrides()
    assert saved == {"cursor.next_candidate": ["Alt+Shift+N"]}
    assert DEFAULT.with_overrides(saved).keys("cursor.next_candidate") == ("Alt+Shift+N",)
    assert DEFAULT.with_overrides({"gone.action": ["F9"]}).bindings == DEFAULT.bindings


def test_help_rows_hold_every_binding_and_the_schema_keys_in_group_order():
    schema = load_schema(default_schema_path())
    rows = DEFAULT.help_rows(schema)
    attribute_keys = {r.action for r in rows if r.action.startswith("attribute.")}
    assert {r.action for r in rows if r.action} - attribute_keys == {
        b.action for b in DEFAULT.bindings}
    # The schema's attribute keys, named as their menu entries are.
    assert attribute_keys == {f"attribute.{a.name}" for a in schema.attributes}
    assert any(r.keys == ("Alt+P",) and "Positive → Negative" in r.help for r in rows)
    assert any(r.group == "Label" and r.keys == ("o",) and "ORG" in r.help for r in rows)
    assert any(r.group == "Events" and r.keys == ("A",) and "Conflict.Attack" in r.help
               for r in rows)
    digits = next(r for r in rows if r.keys and r.keys[0] == "1")
    assert digits.keys == tuple("123456")  # Movement.Transport has six roles
    groups = [r.group for r in rows]
    assert groups.index("Move") < groups.index("Label") < groups.index("Review")


def test_bad_key_maps_are_refused():
    with pytest.raises(ValueError, match="unknown modifier"):
        normal("Hyper+X")
    one = Binding("a.b", ("F5",), "x", "Edit", WINDOW)
    with pytest.raises(ValueError, match="bound twice"):
        KeyMap([one, one])


def test_the_exporters_menu_keys_are_in_the_one_key_map_and_its_conflict_check():
    # File › Export for spaCy… and Export JSONL… (the registry's exporters) take their keys
    # from this table, so F1 help lists them and a key bound twice is found here.
    assert DEFAULT.keys("file.export.spacy") == ("Ctrl+E",)
    assert DEFAULT.keys("file.export.jsonl") == ("Ctrl+Shift+E",)
    assert "file.export.spacy" in DEFAULT and "file.export.nothing" not in DEFAULT
    rows = DEFAULT.help_rows(load_schema(default_schema_path()))
    assert any(r.action == "file.export.spacy" and r.keys == ("Ctrl+E",) for r in rows)
    clash = DEFAULT.rebound("file.export.jsonl", ["Ctrl+I"])
    assert "Ctrl+I is bound to both file.import_files and file.export.jsonl" in clash.conflicts()
