"""Events in the spaCy and JSONL exports, read back with spaCy and with our own importer."""

import json

import pytest
import spacy
from spacy.tokens import DocBin

from annotator.formats.importer import import_paths
from annotator.formats.jsonl.writer import export_jsonl
from annotator.formats.spacy.writer import export_spacy
from annotator.store import open_project
from formats_helpers import BRAT, ROOT, add_seed_events, annotations, counts
from spacy_shards import shard_docs

REL_COMPONENT = ROOT / "tests" / "data" / "prodigy-rel-component.jsonl"


@pytest.fixture
def events_project(project):
    """The shared project plus events on the seed article and brat's news tutorial (relations,
    equivalences, attributes, notes, events filling roles)."""
    ids = add_seed_events(project)
    report = import_paths(project, [BRAT / "news-tutorial"])
    assert report.ok and not report.skipped
    project.ids = ids
    return project


def read_docs(outdir):
    vocab = spacy.blank("en").vocab
    return shard_docs(outdir, vocab=vocab)


def test_docbin_keeps_the_event_structure(events_project, tmp_path):
    report = export_spacy(events_project, tmp_path / "out")
    docs = read_docs(tmp_path / "out")
    seed = next(d for d in docs if d.user_data["article_id"] == events_project.ids["article_id"])
    events = {e["id"]: e for e in seed.user_data["events"]}
    attack = events[events_project.ids["attack"]]
    assert attack["type"] == "Conflict.Attack" and attack["relation"] is False
    trigger = attack["trigger"]
    assert trigger["text"] == "strike"
    assert seed[trigger["token_start"]:trigger["token_end"]].text == "strike"  # end exclusive
    assert seed.text[trigger["start"]:trigger["end"]] == "strike"
    assert [(a["role"], a["text"], a["label"]) for a in attack["arguments"]] == [
        ("Attacker", "US", "GPE"), ("Target", "commander", "PERSON"), ("Place", "Baghdad", "GPE")]
    for arg in attack["arguments"]:
        assert seed[arg["token_start"]:arg["token_end"]].text == arg["text"]
        assert arg["override"] is False and "event" not in arg
    statement = events[events_project.ids["statement"]]
    topic = next(a for a in statement["arguments"] if a["role"] == "Topic")
    assert topic["event"] == attack["id"] and topic["label"] == "Conflict.Attack"
    assert topic["text"] == "strike"
    triggers = {(s.text, s.label_) for s in seed.spans["triggers"]}
    assert triggers == {("strike", "Conflict.Attack"), ("killed", "Life.Die"),
                        ("stated", "Contact.Statement")}

    # Relations (no trigger), equivalences and attributes from brat ride along too.
    brat_docs = [d for d in docs if d.user_data["ext_id"] == "110-note_annotation"]
    family = next(e for e in brat_docs[0].user_data["events"] if e["type"] == "Family")
    assert family["relation"] is True and family["trigger"] is None
    assert [a["role"] for a in family["arguments"]] == ["Arg1", "Arg2"]
    # msgpack gives lists back as tuples.
    assert family["meta"] == {"notes": ("Should this be marked? It's not explicitly stated.",)}
    total = sum(len(d.user_data["events"]) for d in docs)
    assert total == report.events == 3 + 23 + 10
    assert "Events: 26 with 58 argument(s), relations: 10" in report.summary()


def test_jsonl_carries_prodigy_relations_and_events(events_project, tmp_path):
    out = tmp_path / "out.jsonl"
    report = export_jsonl(events_project, out)
    tasks = [json.loads(line) for line in out.read_text().splitlines()]
    seed = next(t for t in tasks if t["title"].startswith("US Drone Strike"))
    tokens = seed["tokens"]
    strike = next(s for s in seed["spans"] if s.get("kind") == "trigger"
                  and s["label"] == "Conflict.Attack")
    attack_links = [r for r in seed["relations"] if r["head_span"]["label"] == "Conflict.Attack"]
    assert [r["label"] for r in attack_links] == ["Attacker", "Target", "Place"]
    for link in attack_links:
        assert link["head"] == strike["token_end"] == link["head_span"]["token_end"]
        child = link["child_span"]
        assert link["child"] == child["token_end"]  # inclusive, as Prodigy's
        assert tokens[child["token_end"]]["end"] == child["end"]
    # An event filling a role: the child is the filler's trigger.
    topic = next(r for r in seed["relations"] if r["label"] == "Topic")
    assert topic["child_span"]["label"] == "Conflict.Attack"
    assert len(seed["events"]) == 3

    family_task = next(t for t in tasks if t["id"] == "110-note_annotation")
    family = next(r for r in family_task["relations"] if r["label"] == "Family")
    assert (family["head_span"]["label"], family["child_span"]["label"]) == ("Person", "Person")
    assert report.events == 36 and report.relations == 10
    assert "Prodigy relations" in report.summary()


def test_jsonl_export_then_import_keeps_events_identically(events_project, tmp_path):
    out = tmp_path / "out.jsonl"
    export_jsonl(events_project, out)
    fresh = open_project(tmp_path / "fresh.db")
    report = import_paths(fresh, [out])
    assert report.ok and not report.skipped and not report.notes, report.summary()
    # The exported articles: those with spans and those marked done (Prodigy's accepted
    # headlines without spans are negative examples, exported too).
    exported_texts = {events_project.article(i).text for i in events_project.export_ids(False)}
    before = {text: found for text, found in annotations(events_project).items()
              if text in exported_texts}
    assert annotations(fresh) == before
    exported = counts(events_project)
    assert counts(fresh) == exported | {"articles": report.articles}
    # The schema learnt the brat types it didn't have, roles included.
    assert fresh.schema.event_type("Merge-org").role("Org-Arg") is not None
    fresh.close()


def test_prodigy_rel_manual_relations_import_as_relations(tmp_path):
    store = open_project(tmp_path / "p.db")
    report = import_paths(store, [REL_COMPONENT])
    assert report.ok and not report.skipped and not report.notes, report.summary()
    assert (report.articles, report.spans, report.relations, report.events) == (22, 68, 42, 0)
    schema = store.reload_schema()
    assert {t.name for t in schema.relations} == {"Pos-Reg", "Neg-Reg", "Reg", "Binds", "No-rel"}
    assert [r.name for r in schema.relation_type("Binds").roles] == ["Arg1", "Arg2"]
    per_type = dict(store.conn.execute("SELECT type, count(*) FROM events GROUP BY type"))
    assert per_type == {"Pos-Reg": 14, "No-rel": 10, "Binds": 7, "Reg": 4, "Neg-Reg": 7}
    # Record 61: the head_span says tokens 2-2 for "TGF-beta", the span list 0-2; the
    # characters decide, so the relation points at the span that is there.
    article_id = store.conn.execute(
        "SELECT id FROM articles WHERE text LIKE 'TGF-beta mediates%'").fetchone()[0]
    text = store.article(article_id).text
    spans = {s.id: s for s in store.spans(article_id)}
    heads = {text[spans[e.arguments[0].span_id].start:spans[e.arguments[0].span_id].end]
             for e in store.events(article_id)}
    assert "TGF-beta" in heads
    assert [(s.start, s.end) for s in spans.values()].count((0, 8)) == 1
    store.close()


def test_bad_events_in_jsonl_are_reported(tmp_path):
    path = tmp_path / "bad.jsonl"
    record = {"text": "Rebels attacked the town.", "spans": [
        {"start": 7, "end": 15, "label": "Conflict.Attack", "kind": "trigger"}],
        "events": [
            {"id": 1, "type": "Conflict.Attack", "trigger": {"start": 7, "end": 15},
             "arguments": [{"role": "Attacker", "start": 0, "end": 6, "label": "NORP"},
                           {"role": "Target", "event": 99},
                           {"role": "Place"}]},
            {"id": 2, "trigger": {"start": 7, "end": 15}},
        ]}
    path.write_text(json.dumps(record) + "\n")
    store = open_project(tmp_path / "p.db")
    report = import_paths(store, [path])
    skipped = "\n".join(report.skipped)
    assert "event 1, argument 2: no event with id 99" in skipped
    assert "event 1: argument 3 needs a 'role'" in skipped
    assert "event 2: needs a 'type'" in skipped
    assert any("argument 0-6 NORP is not in 'spans'; added" in n for n in report.notes)
    [event] = store.events(store.first_article_id())
    assert [a.role for a in event.arguments] == ["Attacker"]
    store.close()


def test_unknown_event_types_and_roles_follow_unknown_labels(tmp_path):
    record = {"text": "Rebels attacked the town.", "spans": [
        {"start": 0, "end": 6, "label": "NORP"},
        {"start": 7, "end": 15, "label": "Conflict.Attack", "kind": "trigger"},
        {"start": 7, "end": 15, "label": "Raid", "kind": "trigger"}],
        "events": [
            {"id": 1, "type": "Conflict.Attack", "trigger": {"start": 7, "end": 15},
             "arguments": [{"role": "Attacker", "start": 0, "end": 6, "label": "NORP"},
                           {"role": "Perpetrator", "start": 0, "end": 6, "label": "NORP"}]},
            {"id": 2, "type": "Raid", "trigger": {"start": 7, "end": 15}, "arguments": []}]}
    path = tmp_path / "e.jsonl"
    path.write_text(json.dumps(record) + "\n")
    added = open_project(tmp_path / "add.db")
    report = import_paths(added, [path])
    assert report.types_added == ["event type Raid", "role Conflict.Attack/Perpetrator"]
    assert "Added to the schema: event type Raid, role Conflict.Attack/Perpetrator" in (
        report.summary())
    assert added.schema.event_type("Conflict.Attack").role("Perpetrator") is not None
    added.close()
    skipped = open_project(tmp_path / "skip.db")
    report = import_paths(skipped, [path], unknown_labels="skip")
    lines = "\n".join(report.skipped)
    assert "unknown event type 'Raid'" in lines
    assert "Conflict.Attack, argument Perpetrator: unknown role 'Perpetrator'" in lines
    [event] = skipped.events(skipped.first_article_id())
    assert [a.role for a in event.arguments] == ["Attacker"]
    skipped.close()
    refused = open_project(tmp_path / "error.db")
    report = import_paths(refused, [path], unknown_labels="error")
    assert "event type 'Raid' is not in the project's schema" in report.failed_files[0]
    refused.close()
