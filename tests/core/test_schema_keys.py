"""The project's own keys live in its schema ([keys]): they survive the project's JSON, a
schema file written and read back, and give the key map its overrides; a bad table is refused
naming the file."""

import pytest

from annotator.core.errors import SchemaError
from annotator.core.keymap import DEFAULT
from annotator.core.schema import Schema, load_schema
from annotator.core.schema_edit import schema_to_toml
from annotator.paths import default_schema_path

NEWS = load_schema(default_schema_path())


def test_keys_round_trip_through_json_and_toml(tmp_path):
    keyed = Schema.from_dict({**NEWS.to_dict(), "keys": {"review.accept": "h",
                                                         "span.delete": ["Delete", "Shift+Alt+D"]}})
    assert keyed.keys == {"review.accept": ("h",), "span.delete": ("Delete", "Alt+Shift+D")}
    assert Schema.from_dict(keyed.to_dict()) == keyed
    path = tmp_path / "keyed.toml"
    path.write_text(schema_to_toml(keyed), encoding="utf-8")
    assert load_schema(path) == keyed
    keymap = DEFAULT.with_overrides(keyed.keys)
    assert keymap.action_for("h") == "review.accept" and keymap.action_for("a") is None
    assert keymap.overrides() == {"review.accept": ["h"], "span.delete": ["Delete", "Alt+Shift+D"]}


def test_a_schema_without_keys_is_stored_as_before():
    assert "keys" not in NEWS.to_dict()
    assert "[keys]" not in schema_to_toml(NEWS)


@pytest.mark.parametrize("keys, words", [
    ("h", "'keys' must be a table"),
    ({"review.accept": 3}, "keys.review.accept must be a key or a list of keys"),
    ({"review.accept": ["Hyper+H"]}, "unknown modifier 'Hyper'"),
])
def test_a_bad_keys_table_is_refused_naming_the_file(tmp_path, keys, words):
    with pytest.raises(SchemaError, match="my.toml") as refused:
        Schema.from_dict({"entities": [{"label": "ORG"}], "keys": keys}, source="my.toml")
    assert words in str(refused.value)
