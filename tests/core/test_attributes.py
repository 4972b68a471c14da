"""Attributes, notes and knowledge-base ids in the core: the schema declares attributes
(brat-style), keys cycle them on the selected event, the side panel's edits are SetMeta edits
that undo, log and check like every other edit."""

import json

import pytest

from annotator.core import edit_log
from annotator.core.edit_checks import why_not
from annotator.core.errors import SchemaError
from annotator.core.interaction import Interaction
from annotator.core.meta_edits import kb_url
from annotator.core.meta_intents import (
    cycle_attribute,
    event_target,
    plan_kb_id,
    plan_notes,
    span_target,
)
from annotator.core.schema import Schema, load_schema
from annotator.core.schema_edit import merge_schema, schema_to_toml
from annotator.core.schema_in_use import remove_from_schema, rename_in_schema
from annotator.paths import default_schema_path

from tests.conftest import on_disk
from tests.core.conftest import STRIKE as TEXT


def words(word):
    start = TEXT.index(word)
    return start, start + len(word)


@pytest.fixture
def attack(strike_session):
    session = strike_session
    return session, session.apply(
        session.plan_add_event("Conflict.Attack", selection=words("strike"))
    ).event


def stored_meta(store, table, row_id):
    return json.loads(on_disk(store, f"SELECT meta FROM {table} WHERE id = ?", row_id)[0][0])


def test_the_news_schema_declares_aces_event_attributes():
    schema = load_schema(default_schema_path())
    got = {a.name: (a.values, a.default, a.key) for a in schema.attributes}
    assert got == {
        "Polarity": (("Positive", "Negative"), "Positive", "Alt+P"),
        "Tense": (("Past", "Present", "Future", "Unspecified"), "Unspecified", "Alt+T"),
        "Genericity": (("Specific", "Generic"), "Specific", "Alt+G"),
        "Modality": (("Asserted", "Other"), "Asserted", "Alt+M"),
    }
    assert [a.name for a in schema.attributes_for("Conflict.Attack", "event")] == list(got)
    assert schema.attributes_for("PERSON", "entity") == []
    # Written as TOML by the schema editor and read back: the same schema.
    again = Schema.from_dict(__import__("tomllib").loads(schema_to_toml(schema)))
    assert again.attributes == schema.attributes


@pytest.mark.parametrize(
    "attribute, message",
    [
        ({"name": "A b"}, "attribute 1: name 'A b'"),
        ({"name": "P", "values": ["x y"]}, "value 'x y' must be one word"),
        ({"name": "P", "values": ["a"], "default": "b"}, "default 'b' is not one of"),
        ({"name": "P", "targets": ["NOPE"]}, "'NOPE' is not a label"),
        ({"name": "P", "key": "p"}, "must be Alt or Ctrl"),
    ],
)
def test_a_bad_attribute_is_refused_naming_it(attribute, message):
    data = {"entities": [{"label": "PERSON"}], "attributes": [attribute]}
    with pytest.raises(SchemaError, match=message.replace("(", r"\(")):
        Schema.from_dict(data, source="my.toml")


def test_merging_renaming_and_removing_keep_attributes_in_step():
    schema = Schema.from_dict(
        {
            "entities": [{"label": "PERSON"}, {"label": "ORG"}],
            "attributes": [{"name": "Negated", "targets": ["PERSON", "ORG"], "key": "Alt+N"}],
        }
    )
    incoming = Schema.from_dict(
        {
            "entities": [{"label": "PERSON"}],
            "attributes": [
                {"name": "Negated", "targets": ["PERSON"]},
                {"name": "Mention", "values": ["NAM", "NOM"], "key": "Alt+N"},
            ],
        },
        partial=True,
    )
    change = merge_schema(schema, incoming, "file.toml")
    assert [a.name for a in change.schema.attributes] == ["Negated", "Mention"]
    assert change.schema.attribute("Mention").key == ""  # Negated has Alt+N
    assert any("Alt+N is Negated's" in note for note in change.notes)
    _, renamed = rename_in_schema(schema, "ORG", "ORGANIZATION")
    assert renamed.attribute("Negated").targets == ("PERSON", "ORGANIZATION")
    assert remove_from_schema(schema, "ORG", {}).attribute("Negated").targets == ("PERSON",)


def test_the_polarity_key_cycles_the_selected_events_value_and_undo_puts_it_back(attack):
    session, event = attack
    session.store.annotator = "alice"
    interaction = Interaction(session)
    interaction.select_event(event.id)
    outcome = cycle_attribute(interaction, "Polarity")
    edit = session.apply(outcome.edit, log=True)
    assert outcome.after(edit).startswith("Polarity: Negative")
    meta = stored_meta(session.store, "events", event.id)
    assert meta["attributes"] == {"Polarity": "Negative"}
    assert meta["edited_by"] == "alice"
    assert interaction.current_event().id == event.id  # still selected: press again
    # Logged as every edit is: read back from the undo log, it undoes.
    logged = edit_log.decode(session.store.undo_log()[-1].payload)
    assert why_not(logged, session.store, undo=True) is None
    session.revert(logged)
    assert on_disk(session.store, "SELECT meta FROM events WHERE id = ?", event.id) == [("{}",)]
    # Again twice: Negative, then round to Positive (stored, not the default any more).
    for expected in ("Negative", "Positive"):
        session.apply(cycle_attribute(interaction, "Polarity").edit)
        assert stored_meta(session.store, "events", event.id)["attributes"]["Polarity"] == expected


def test_a_key_without_a_fitting_selection_says_why(attack):
    session, _ = attack
    interaction = Interaction(session)
    assert "Select an annotation first" in cycle_attribute(interaction, "Tense").message
    us = session.apply(session.plan_add_span(*words("US"), "GPE")).span
    interaction.select_span(us.id)
    assert cycle_attribute(interaction, "Tense").message == "Tense does not apply to GPE"


def test_notes_and_a_kb_id_on_a_span_keep_what_else_its_meta_holds(attack):
    session, event = attack
    span = session.apply(session.plan_add_span(*words("Kataib Hezbollah"), "ORG")).span
    session.store.set_annotation_meta("spans", span.id, {"fragments": [[0, 2]]})
    target = span_target(session, session.span_by_id(span.id))
    session.apply(plan_notes(session, target, "Iran-backed militia\n\nsee ACE guidelines "))
    session.apply(plan_kb_id(session, target, " Q1530 "))
    meta = stored_meta(session.store, "spans", span.id)
    assert meta["fragments"] == [[0, 2]]
    assert meta["notes"] == ["Iran-backed militia", "see ACE guidelines"]
    assert meta["normalizations"] == [
        {"type": "Reference", "ref": "Q1530", "text": "Kataib Hezbollah"}
    ]
    assert plan_kb_id(session, target, "Q1530") is None  # unchanged: nothing to undo
    removal = session.apply(plan_kb_id(session, target, ""))
    assert "normalizations" not in stored_meta(session.store, "spans", span.id)
    session.revert(removal)
    assert stored_meta(session.store, "spans", span.id)["normalizations"][0]["ref"] == "Q1530"
    # An event's note goes on the event's row.
    session.apply(plan_notes(session, event_target(session, event), "claimed by the Pentagon"))
    assert stored_meta(session.store, "events", event.id)["notes"] == ["claimed by the Pentagon"]


def test_links_to_knowledge_bases_are_only_made_for_ids_a_person_can_look_up():
    assert kb_url("Q1530") == "https://www.wikidata.org/wiki/Q1530"
    assert kb_url("Wikidata:q1530") == "https://www.wikidata.org/wiki/Q1530"
    assert kb_url("Wikipedia:534366") == "https://en.wikipedia.org/?curid=534366"
    assert kb_url("https://example.org/kb/7") == "https://example.org/kb/7"
    assert kb_url("UMLS:C0011849") is None
    assert kb_url("javascript:alert(1)") is None
