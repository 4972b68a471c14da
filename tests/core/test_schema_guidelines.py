"""A schema's guidelines: each label's and type's examples and a link to a guidelines
document, read from the file, kept in the project's copy, written back by the TOML export,
and refused with the file's name when malformed."""

import pytest

from annotator.core.errors import SchemaError
from annotator.core.guidelines import guideline_for, tooltip
from annotator.core.schema import Schema, load_schema
from annotator.core.schema_edit import merge_schema, schema_to_toml

SCHEMA = """name = "Guided"
guidelines = "docs/guide.pdf"

[[entities]]
label = "PERSON"
description = "People"
examples = ["Joe Biden", "the commander"]

[[events]]
type = "Attack"
key = "A"
description = "A violent act"
examples = ["strike"]
roles = [{ role = "Target", labels = ["PERSON"] }]
"""


def test_examples_and_link_survive_the_project_and_the_export(tmp_path):
    (tmp_path / "guided.toml").write_text(SCHEMA)
    schema = load_schema(tmp_path / "guided.toml")
    assert schema.label("PERSON").examples == ("Joe Biden", "the commander")
    assert schema.event_type("Attack").examples == ("strike",)
    # A relative path is the schema file's neighbour, made absolute: the project keeps a copy
    # of the schema, not the folder it came from.
    assert schema.guidelines == str(tmp_path / "docs" / "guide.pdf")
    stored = Schema.from_dict(schema.to_dict())  # as the project stores and reads it
    assert stored == schema
    exported = tmp_path / "exported.toml"
    exported.write_text(schema_to_toml(schema))
    assert load_schema(exported) == schema
    assert tooltip(guideline_for(schema, "Attack")) == (
        "Attack: A violent act\nExamples: strike\nRoles: Target (PERSON)\nKey: Shift+A")


def test_a_url_is_kept_as_it_is_and_a_merge_brings_examples(tmp_path):
    (tmp_path / "old.toml").write_text('[[entities]]\nlabel = "PERSON"\ndescription = "People"\n')
    (tmp_path / "new.toml").write_text(
        'guidelines = "https://example.org/guide.html"\n'
        '[[entities]]\nlabel = "PERSON"\nexamples = ["Ann"]\n')
    merged = merge_schema(load_schema(tmp_path / "old.toml"), load_schema(tmp_path / "new.toml"))
    assert merged.schema.guidelines == "https://example.org/guide.html"
    assert merged.schema.label("PERSON").examples == ("Ann",)
    assert merged.schema.label("PERSON").description == "People"  # the project's, kept


def test_a_schema_without_them_stores_as_before():
    data = Schema.from_dict({"entities": [{"label": "X", "color": "#112233"}]}).to_dict()
    assert "guidelines" not in data and "examples" not in data["entities"][0]


@pytest.mark.parametrize("bad, message", [
    ('guidelines = 3\n[[entities]]\nlabel = "X"\n', "'guidelines' must be a URL or a file path"),
    ('[[entities]]\nlabel = "X"\nexamples = [1, 2]\n',
     "entity label 1 (X): 'examples' must be a list of strings"),
])
def test_malformed_guidelines_name_the_file(tmp_path, bad, message):
    path = tmp_path / "bad.toml"
    path.write_text(bad)
    with pytest.raises(SchemaError) as error:
        load_schema(path)
    assert str(path) in str(error.value) and message in str(error.value)
