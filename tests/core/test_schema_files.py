"""Label schema files: the shipped news schema loads, and a broken file says which and why."""

import json

import pytest

from annotator.core.errors import SchemaError
from annotator.core.schema import Schema, load_schema
from annotator.paths import default_schema_path

GOOD = """
name = "Tiny"
language = "en"

[[entities]]
label = "PERSON"
color = "#aa9cfc"
key = "p"
description = "People."

[[entities]]
label = "ORG"
color = "#7AECEC"
key = "o"
"""


def write(tmp_path, text, name="schema.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_default_news_schema_loads_with_the_labels_the_issue_asks_for():
    schema = load_schema(default_schema_path())
    assert schema.language == "en"
    assert {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "DATE", "WEAPON"} <= set(schema.label_names)
    keys = [label.key for label in schema.entities]
    assert all(len(key) == 1 for key in keys)
    assert len({key.lower() for key in keys}) == len(keys)
    assert all(label.description for label in schema.entities)  # shown as tooltips
    assert all(label.color.startswith("#") and len(label.color) == 7 for label in schema.entities)


def test_a_small_schema_loads_and_round_trips_through_the_project_json(tmp_path):
    schema = load_schema(write(tmp_path, GOOD))
    assert schema.name == "Tiny"
    assert [(l.name, l.color, l.key) for l in schema.entities] == [
        ("PERSON", "#aa9cfc", "p"), ("ORG", "#7aecec", "o")]  # colours normalised to lower case
    assert schema.label("PERSON").description == "People."
    again = Schema.from_dict(json.loads(json.dumps(schema.to_dict())))
    assert again == schema


def test_a_json_schema_of_the_same_shape_loads(tmp_path):
    data = {"name": "J", "entities": [{"label": "GPE", "color": "#feca74", "key": "g"}]}
    schema = load_schema(write(tmp_path, json.dumps(data), "schema.json"))
    assert schema.label_names == ["GPE"]


@pytest.mark.parametrize("colour", ["red", "#12345", "#12345g", "rgb(1,2,3)"])
def test_a_bad_colour_names_the_file_the_label_and_the_colour(tmp_path, colour):
    path = write(tmp_path, GOOD.replace('"#7AECEC"', f'"{colour}"'))
    with pytest.raises(SchemaError) as error:
        load_schema(path)
    message = str(error.value)
    assert str(path) in message and "ORG" in message and repr(colour) in message


def test_a_key_used_twice_names_the_file_and_both_labels(tmp_path):
    path = write(tmp_path, GOOD.replace('key = "o"', 'key = "P"'))  # keys clash across case
    with pytest.raises(SchemaError) as error:
        load_schema(path)
    message = str(error.value)
    assert str(path) in message and "ORG" in message and "already used by PERSON" in message


def test_a_label_declared_twice_is_refused(tmp_path):
    path = write(tmp_path, GOOD.replace('label = "ORG"', 'label = "PERSON"'))
    with pytest.raises(SchemaError, match="declared twice") as error:
        load_schema(path)
    assert str(path) in str(error.value)


def test_a_key_of_more_than_one_character_is_refused(tmp_path):
    with pytest.raises(SchemaError, match="single character"):
        load_schema(write(tmp_path, GOOD.replace('key = "o"', 'key = "or"')))


def test_bad_toml_names_the_file(tmp_path):
    path = write(tmp_path, GOOD + "\n[[entities]\nlabel = \n")
    with pytest.raises(SchemaError) as error:
        load_schema(path)
    assert str(path) in str(error.value) and "not valid TOML" in str(error.value)


def test_a_missing_file_names_the_file(tmp_path):
    path = tmp_path / "nowhere.toml"
    with pytest.raises(SchemaError, match="cannot read") as error:
        load_schema(path)
    assert str(path) in str(error.value)


def test_entities_that_are_not_a_list_of_tables_are_refused(tmp_path):
    with pytest.raises(SchemaError, match="entities"):
        load_schema(write(tmp_path, 'entities = "PERSON"\n'))


def test_keys_find_labels_ignoring_case_unless_an_event_type_owns_the_upper_case_key():
    schema = load_schema(default_schema_path())
    assert schema.label_for_key("p").name == "PERSON"
    assert schema.label_for_key("G").name == "GPE"  # no event uses G: Shift doesn't matter
    assert schema.label_for_key("P") is None  # Shift+P is the Conflict.Demonstrate event
    assert schema.event_type_for_key("P").name == "Conflict.Demonstrate"
    assert schema.label_for_key("z") is None


def test_a_label_added_on_import_gets_a_free_key_and_a_valid_colour_and_still_loads():
    schema = Schema.from_dict({"entities": [{"label": "MISC", "key": "m", "color": "#ffffff"}]})
    grown = schema.with_label("MONEY")
    added = grown.label("MONEY")
    assert added.key not in ("", "m")
    # What the project stores must load again, or the person is locked out of the project.
    assert Schema.from_dict(grown.to_dict()) == grown


@pytest.mark.parametrize("language", ["EN", "english", "zz", ""])
def test_a_language_spacy_lacks_is_refused_when_the_schema_loads_not_when_labelling(tmp_path, language):
    path = write(tmp_path, GOOD.replace('language = "en"', f'language = "{language}"'))
    with pytest.raises(SchemaError, match="not a spaCy language code") as error:
        load_schema(path)
    assert str(path) in str(error.value) and repr(language) in str(error.value)


def test_any_language_spacy_has_is_accepted(tmp_path):
    for language in ("de", "xx", "grc"):
        path = write(tmp_path, GOOD.replace('language = "en"', f'language = "{language}"'))
        assert load_schema(path).language == language
