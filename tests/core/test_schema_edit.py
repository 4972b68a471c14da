"""Changing a schema after creation: merging a file in, adding a label, writing TOML back."""

import pytest

from annotator.core.errors import SchemaError
from annotator.core.schema import Schema, load_schema
from annotator.core.schema_edit import add_label, key_holder, merge_schema, schema_to_toml
from annotator.paths import default_schema_path

NEWS = load_schema(default_schema_path())


def small(**extra) -> Schema:
    return Schema.from_dict({"name": "mine", "entities": [
        {"label": "PERSON", "color": "#111111", "key": "p", "description": "people"},
        {"label": "CITY", "color": "#222222", "key": "g"}], **extra})


def test_merging_the_news_schema_into_an_entities_only_project():
    change = merge_schema(small(), NEWS)
    schema = change.schema
    # Nothing of the project's is lost; the file's labels and all 8 event types come in.
    assert schema.label_names[:2] == ["PERSON", "CITY"]
    assert set(NEWS.label_names) <= set(schema.label_names)
    assert [t.name for t in schema.events] == [t.name for t in NEWS.events]
    assert "event type Conflict.Attack" in change.added and "GPE" in change.added
    assert change.updated == ["PERSON"]  # the file's colour and description win
    assert schema.label("PERSON").color == NEWS.label("PERSON").color
    # GPE wants key g, which CITY has: it comes in without a key, and the note says so.
    assert schema.label("GPE").key == "" and schema.label("CITY").key == "g"
    assert "GPE: key 'g' is used by CITY, so GPE has no key" in change.notes
    assert schema.event_type("Conflict.Attack").role("Place").fillers == ("GPE", "LOC", "FAC")
    # And the result loads again as it will from the project file.
    assert Schema.from_dict(schema.to_dict()).to_dict() == schema.to_dict()


def test_merging_twice_changes_nothing_and_roles_merge_by_name():
    once = merge_schema(small(), NEWS).schema
    again = merge_schema(once, NEWS)
    assert not again.changed and "nothing changed" in again.summary()
    extra = Schema.from_dict({"entities": [{"label": "PERSON"}, {"label": "ORG"}], "events": [
        {"type": "Conflict.Attack", "key": "A", "roles": [
            {"role": "Attacker", "labels": ["PERSON"]}, {"role": "Victim", "labels": ["PERSON"]}]}]})
    merged = merge_schema(once, extra).schema.event_type("Conflict.Attack")
    names = [r.name for r in merged.roles]
    assert names[:5] == ["Attacker", "Target", "Instrument", "Place", "Time"] and names[-1] == "Victim"
    assert merged.role("Attacker").fillers == ("PERSON",)


def test_a_name_of_another_kind_is_not_merged_but_said():
    mine = small(events=[{"type": "ORG", "key": "O"}])
    change = merge_schema(mine, NEWS)
    assert mine.kind_of("ORG") == "event"
    assert any("ORG is an event type in the project" in note for note in change.notes)
    assert change.schema.label("ORG") is None and change.schema.event_type("ORG").key == "O"
    assert "ORG" not in change.added and "PERSON" in change.updated


def test_add_label_checks_name_key_and_colour():
    schema = add_label(small(), "CASUALTY", key="c", color="#AA0000", description="the dead")
    assert schema.label("CASUALTY").color == "#aa0000" and schema.label("CASUALTY").key == "c"
    with pytest.raises(SchemaError, match="already used by PERSON"):
        add_label(schema, "PARTY", key="P")
    with pytest.raises(SchemaError, match="already an entity label"):
        add_label(schema, "CITY")
    with pytest.raises(SchemaError, match="letters, digits"):
        add_label(schema, "two words")
    with pytest.raises(SchemaError, match="not #rrggbb"):
        add_label(schema, "RED", color="red")


def test_toml_written_out_loads_back_identical(tmp_path):
    tricky = add_label(NEWS, "QUOTE", description='He said "no" \\ then left\ttabbed — ünïcode 💀\x7f\x00')
    path = tmp_path / "schema.toml"
    path.write_text(schema_to_toml(tricky), encoding="utf-8")
    assert load_schema(path).to_dict() == tricky.to_dict()


def test_a_merge_file_that_leaves_out_keys_and_colours_keeps_the_projects(tmp_path):
    path = tmp_path / "descriptions.toml"
    path.write_text('[[entities]]\nlabel = "PERSON"\ndescription = "People, named or not"\n\n'
                    '[[entities]]\nlabel = "MILITIA"\n\n'
                    '[[events]]\ntype = "Conflict.Attack"\ndescription = "Any attack"\n')
    change = merge_schema(NEWS, load_schema(path, partial=True))
    person, attack = change.schema.label("PERSON"), change.schema.event_type("Conflict.Attack")
    assert (person.key, person.color) == ("p", NEWS.label("PERSON").color)
    assert person.description == "People, named or not"
    assert (attack.key, attack.color, attack.roles) == ("A", NEWS.event_type("Conflict.Attack").color,
                                                        NEWS.event_type("Conflict.Attack").roles)
    militia = change.schema.label("MILITIA")
    assert militia.key == "" and militia.color.startswith("#") and len(militia.color) == 7
    assert change.updated == ["PERSON", "event type Conflict.Attack"] and change.added == ["MILITIA"]


def test_an_entity_key_and_an_event_key_clash_only_on_the_same_character():
    # Conflict.Attack is Shift+A: an entity on A would never be reached; Shift+I (Life.Injure)
    # and i (ORDINAL) live side by side in the news schema.
    assert key_holder(NEWS, "I", for_event=True) == "Life.Injure"
    assert key_holder(NEWS, "i", for_event=False) == "ORDINAL"
    with pytest.raises(SchemaError, match="already used by Conflict.Attack"):
        add_label(NEWS, "ARMS", key="A")
    assert add_label(NEWS, "ARMS", key="h").label("ARMS").key == "h"
    with pytest.raises(SchemaError, match="accepts or rejects a selected suggestion"):
        add_label(NEWS, "ARMS", key="x")
