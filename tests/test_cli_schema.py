"""`annotator schema`: show, merge, replace, export, add, rename and remove, on real data."""

import json
import sqlite3
from pathlib import Path

from annotator.cli import main
from annotator.store import open_project

ROOT = Path(__file__).resolve().parents[1]
NEWS_BRAT = ROOT / "tests" / "data" / "brat" / "news-tutorial"
NEWS_SCHEMA = ROOT / "resources" / "schemas" / "news.toml"
SEED = ROOT / "seeds" / "us-drone-strike-baghdad-militia-leader.txt"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def query(db, sql, *args):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


def schema_of(db):
    return json.loads(query(db, "SELECT value FROM meta WHERE key = 'schema'")[0][0])


def test_merge_news_schema_into_a_project_made_without_events(capsys, tmp_path):
    own = tmp_path / "own.toml"
    own.write_text('name = "people only"\n[[entities]]\nlabel = "PERSON"\nkey = "p"\n')
    db = tmp_path / "p.db"
    assert run(capsys, "import", db, SEED, "--schema", own)[0] == 0
    code, out, _ = run(capsys, "schema", db)
    assert code == 0 and "Entity labels: 1" in out and "Event types: 0" in out
    code, out, _ = run(capsys, "schema", db, "--merge", NEWS_SCHEMA)
    assert code == 0 and "event type Conflict.Attack" in out and "Updated: PERSON" in out
    stored = schema_of(db)
    assert len(stored["events"]) == 8 and len(stored["entities"]) == 20
    # ACE's event attributes came with the file, and the listing shows them.
    assert [a["name"] for a in stored["attributes"]] == [
        "Polarity", "Tense", "Genericity", "Modality"]
    out = run(capsys, "schema", db)[1]
    assert "Attributes: 4" in out
    assert "Alt+P  Polarity       Positive | Negative (default Positive)  for <EVENT>" in out
    # Merging the same file again changes nothing.
    assert "nothing changed" in run(capsys, "schema", db, "--merge", NEWS_SCHEMA)[1]
    # The project opens with the new types usable: an event can be made with one.
    from annotator.core.session import Session

    store = open_project(db)
    session = Session(store)
    session.open_first()
    text = session.article.text
    at = text.index("strike")
    session.apply(session.plan_add_event("Conflict.Attack", selection=(at, at + len("strike"))))
    store.close()
    assert query(db, "SELECT type FROM events") == [("Conflict.Attack",)]


def test_rename_a_label_and_an_event_type_everywhere(capsys, tmp_path):
    db = tmp_path / "brat.db"
    assert run(capsys, "import", db, NEWS_BRAT)[0] == 0
    assert query(db, "SELECT count(*) FROM spans WHERE label = 'Person'") == [(27,)]
    code, out, _ = run(capsys, "schema", db, "--rename", "Person", "Individual")
    assert code == 0 and out.strip() == "Renamed Person to Individual (27 annotation(s))"
    assert query(db, "SELECT count(*) FROM spans WHERE label = 'Individual'") == [(27,)]
    assert query(db, "SELECT count(*) FROM spans WHERE label = 'Person'") == [(0,)]
    report = next(t for t in schema_of(db)["events"] if t["type"] == "Report")
    assert "Individual" in report["roles"][0]["labels"]  # role fillers follow the rename

    code, out, _ = run(capsys, "schema", db, "--rename", "Merge-org", "Org-merger")
    assert code == 0 and "(14 annotation(s))" in out
    assert query(db, "SELECT count(*) FROM events WHERE type = 'Org-merger'") == [(14,)]
    assert query(db, "SELECT count(*) FROM spans WHERE kind = 'trigger' AND label = 'Org-merger'") == [(14,)]
    # The export carries the new names, and a brat round trip keeps every annotation.
    out_dir = tmp_path / "brat-out"
    assert run(capsys, "export", "brat", db, out_dir)[0] == 0
    again = tmp_path / "again.db"
    assert run(capsys, "import", again, out_dir)[0] == 0
    assert query(again, "SELECT count(*) FROM spans WHERE label = 'Individual'") == [(27,)]
    assert query(again, "SELECT count(*) FROM events WHERE type = 'Org-merger'") == [(14,)]


def test_renaming_onto_an_existing_label_merges_the_two(capsys, tmp_path):
    """brat's Organization into the news schema's ORG: a span on the same offsets as an ORG
    span folds into it, and the event arguments it filled move with it."""
    db = tmp_path / "brat.db"
    assert run(capsys, "import", db, NEWS_BRAT)[0] == 0
    store = open_project(db)
    [(span_id, event_id, role)] = query(
        db, "SELECT s.id, a.event_id, a.role FROM spans s JOIN event_arguments a ON a.span_id = s.id "
        "WHERE s.label = 'Organization' ORDER BY s.id LIMIT 1")
    from annotator.core.model import Span

    old = store.span(span_id)
    store.annotator = old.annotator  # the same layer ("import"): twins of one person fold
    twin = store.insert_span(Span(None, old.article_id, old.start, old.end, "ORG"))
    store.close()
    n_spans = query(db, "SELECT n_spans FROM articles WHERE id = ?", old.article_id)[0][0]
    code, out, _ = run(capsys, "schema", db, "--rename", "Organization", "ORG")
    assert code == 0 and "(55 annotation(s))" in out
    assert query(db, "SELECT count(*) FROM spans WHERE label = 'ORG'") == [(56,)]
    assert query(db, "SELECT span_id FROM event_arguments WHERE event_id = ? AND role = ?",
                 event_id, role) == [(twin.id,)]
    assert query(db, "SELECT n_spans FROM articles WHERE id = ?", old.article_id) == [(n_spans - 1,)]
    labels = [item["name"] for item in schema_of(db)["entities"]]
    assert "ORG" in labels and "Organization" not in labels
    merge = next(t for t in schema_of(db)["events"] if t["type"] == "Merge-org")
    assert merge["roles"][0]["labels"] == ["ORG"]


def test_changes_that_would_lose_annotations_are_refused(capsys, tmp_path):
    db = tmp_path / "brat.db"
    assert run(capsys, "import", db, NEWS_BRAT)[0] == 0
    before = schema_of(db)
    code, _, err = run(capsys, "schema", db, "--remove", "Person")
    assert code == 1 and err.strip() == ("annotator: Person is used 27 time(s); delete those "
                                         "annotations, or rename Person, before removing it")
    code, _, err = run(capsys, "schema", db, "--rename", "Person", "Merge-org")
    assert code == 1 and err.strip() == ("annotator: Merge-org is an event type, Person an entity "
                                         "label: they can't merge")
    code, _, err = run(capsys, "schema", db, "--replace", NEWS_SCHEMA)
    assert code == 1 and "leaves out names that annotations use" in err and "Person (27)" in err
    assert schema_of(db) == before


def test_export_edit_replace_and_add_label(capsys, tmp_path):
    db = tmp_path / "p.db"
    assert run(capsys, "import", db, SEED)[0] == 0
    exported = tmp_path / "schema.toml"
    assert run(capsys, "schema", db, "--export", exported)[0] == 0
    edited = exported.read_text().replace('label = "WORK_OF_ART"', 'label = "ARTWORK"')
    exported.write_text(edited)
    code, out, _ = run(capsys, "schema", db, "--replace", exported)
    assert code == 0 and "unused names dropped: WORK_OF_ART" in out
    code, out, _ = run(capsys, "schema", db, "--add-label", "CASUALTY", "--key", "9",
                       "--color", "#aa0000", "--description", "the dead and wounded")
    assert code == 0
    code, out, _ = run(capsys, "schema", db, "--json")
    labels = {item["name"]: item for item in json.loads(out)["entities"]}
    assert "ARTWORK" in labels and "WORK_OF_ART" not in labels
    assert labels["CASUALTY"] == {"name": "CASUALTY", "color": "#aa0000", "key": "9",
                                  "description": "the dead and wounded", "used": 0, "suggestions": 0}
    code, _, err = run(capsys, "schema", db, "--add-label", "OTHER", "--key", "p")
    assert code == 1 and err.strip() == "annotator: key 'p' is already used by PERSON"
    code, _, err = run(capsys, "schema", db, "--key", "z")
    assert code == 1 and "go with --add-label" in err


def test_a_schema_file_to_merge_may_name_the_projects_labels_but_nothing_unknown(capsys, tmp_path):
    db = tmp_path / "p.db"
    assert run(capsys, "import", db, SEED)[0] == 0
    extra = tmp_path / "extra.toml"
    extra.write_text('[[events]]\ntype = "Justice.Arrest"\nkey = "J"\n\n'
                     '[[events.roles]]\nrole = "Person"\nlabels = ["PERSON"]\n')
    code, out, _ = run(capsys, "schema", db, "--merge", extra)
    assert code == 0 and out.strip() == "Added: event type Justice.Arrest"
    before = schema_of(db)
    extra.write_text(extra.read_text().replace("PERSON", "NOBODY").replace("Justice.Arrest", "Justice.Jail").replace('"J"', '"K"'))
    code, _, err = run(capsys, "schema", db, "--merge", extra)
    assert code == 1 and err.strip() == (f"annotator: {extra} merged into the project: Justice.Jail, "
                                         "role Person: 'NOBODY' is not an entity label or event type")
    assert schema_of(db) == before


def test_replace_refuses_to_turn_a_used_label_into_an_event_type(capsys, tmp_path):
    db = tmp_path / "p.db"
    own = tmp_path / "own.toml"
    own.write_text('[[entities]]\nlabel = "STRIKE"\nkey = "k"\n')
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text(json.dumps({"text": "The strike hit.", "spans": [
        {"start": 4, "end": 10, "label": "STRIKE"}]}) + "\n")
    assert run(capsys, "import", db, jsonl, "--schema", own)[0] == 0
    other = tmp_path / "other.toml"
    other.write_text('[[events]]\ntype = "STRIKE"\nkey = "K"\n')
    code, _, err = run(capsys, "schema", db, "--replace", other)
    assert code == 1 and err.strip() == ("annotator: STRIKE is an entity label used 1 time(s); "
                                         "the new schema makes it an event type")
    assert [e["name"] for e in schema_of(db)["entities"]] == ["STRIKE"]
    # Only suggestions use a label: it may become an event type, and they go with it.
    terms = tmp_path / "terms.tsv"
    terms.write_text("HIT\thit\n")
    assert run(capsys, "schema", db, "--add-label", "HIT")[0] == 0
    assert run(capsys, "suggest", db, "--patterns", terms)[0] == 0
    assert query(db, "SELECT count(*) FROM spans WHERE label = 'HIT'") == [(1,)]
    other.write_text('[[entities]]\nlabel = "STRIKE"\n\n[[events]]\ntype = "HIT"\nkey = "H"\n')
    code, out, _ = run(capsys, "schema", db, "--replace", other)
    assert code == 0 and out.strip().endswith(
        "; 1 open or rejected suggestion(s) of entity labels it no longer has were removed")
    assert query(db, "SELECT count(*) FROM spans WHERE label = 'HIT'") == [(0,)]


def test_a_pattern_source_keeps_working_after_its_label_is_renamed(capsys, tmp_path):
    db = tmp_path / "p.db"
    assert run(capsys, "import", db, SEED)[0] == 0
    terms = tmp_path / "terms.tsv"
    terms.write_text("ORG\tKataib Hezbollah\nGPE\tBaghdad\n")
    assert run(capsys, "suggest", db, "--patterns", terms, "--name", "terms")[0] == 0
    store = open_project(db)
    store.add_source("cities", "model", str(tmp_path / "some-model"), {"CITY": "GPE"})
    store.close()
    assert run(capsys, "schema", db, "--rename", "ORG", "ARMED_GROUP")[0] == 0
    # A source that never gives ORG gets no row for it.
    assert query(db, "SELECT mapping FROM sources WHERE name = 'cities'") == [('{"CITY": "GPE"}',)]
    assert set(query(db, "SELECT DISTINCT label FROM spans")) == {("ARMED_GROUP",), ("GPE",)}
    code, out, _ = run(capsys, "suggest", db, "--source", "terms")
    assert code == 0
    # The file still says ORG; its suggestions arrive as ARMED_GROUP, none lost on the re-run.
    labels = dict(query(db, "SELECT label, count(*) FROM spans WHERE state = 'suggested' GROUP BY label"))
    assert labels["ARMED_GROUP"] > 0 and "ORG" not in labels
    # And the mapping can be changed from the command line: GPE left out from now on.
    assert run(capsys, "suggest", db, "--source", "terms", "--map", "GPE=")[0] == 0
    labels = dict(query(db, "SELECT label, count(*) FROM spans WHERE state = 'suggested' GROUP BY label"))
    assert "GPE" not in labels and labels["ARMED_GROUP"] > 0
    code, _, err = run(capsys, "suggest", db, "--source", "terms", "--map", "GPE=GPEE")
    assert code == 1 and "GPEE is not a label of the project" in err
    assert run(capsys, "suggest", db, "--source", "terms", "--name", "x")[0] == 1
    assert query(db, "SELECT mapping FROM sources WHERE name = 'terms'") == [
        ('{"ORG": "ARMED_GROUP", "GPE": null}',)]


def test_remove_a_label_only_suggestions_use(capsys, tmp_path):
    db = tmp_path / "p.db"
    assert run(capsys, "import", db, SEED)[0] == 0
    terms = tmp_path / "terms.tsv"
    terms.write_text("WEAPON\tdrone\n")
    assert run(capsys, "suggest", db, "--patterns", terms)[0] == 0
    count = query(db, "SELECT count(*) FROM spans WHERE label = 'WEAPON'")[0][0]
    assert count > 0
    code, out, _ = run(capsys, "schema", db)
    assert f"WEAPON         #ef6f6c        0 used (+{count} suggested)" in out
    code, out, _ = run(capsys, "schema", db, "--remove", "WEAPON")
    assert code == 0 and out.strip() == f"Removed WEAPON and its {count} open or rejected suggestion(s)"
    assert query(db, "SELECT count(*) FROM spans WHERE label = 'WEAPON'") == [(0,)]


def test_a_label_added_on_import_and_with_add_label_get_the_same_key_and_colour(capsys, tmp_path):
    """Both follow core.schema_rules: the first free letter of the name, the next colour."""
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text(json.dumps({"text": "Arms were seized.", "spans": [
        {"start": 0, "end": 4, "label": "ARMS"}]}) + "\n")
    imported, by_hand = tmp_path / "imported.db", tmp_path / "by-hand.db"
    assert run(capsys, "import", imported, jsonl, "--unknown-labels", "add")[0] == 0
    open_project(by_hand).close()
    assert run(capsys, "schema", by_hand, "--add-label", "ARMS")[0] == 0
    grown, added = ({e["name"]: e for e in schema_of(db)["entities"]}["ARMS"]
                    for db in (imported, by_hand))
    assert (grown["key"], grown["color"]) == (added["key"], added["color"])
    assert added["key"] == "r"  # a accepts a suggestion, A is Conflict.Attack's Shift+A
    assert run(capsys, "schema", by_hand, "--add-label", "NONE", "--key", "")[0] == 0
    assert {e["name"]: e for e in schema_of(by_hand)["entities"]}["NONE"]["key"] == ""


def test_rename_and_remove_wait_for_an_import_another_program_is_running(capsys, tmp_path):
    import socket
    import subprocess
    import sys
    import time

    db = tmp_path / "p.db"
    assert run(capsys, "import", db, SEED)[0] == 0
    importer = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:  # an import of news.jsonl, alive in another process, half-way through
        query(db, "INSERT INTO import_runs (source, state, pid, host, started, heartbeat) "
                  "VALUES ('news.jsonl', 'staging', ?, ?, ?, ?)",
              importer.pid, socket.gethostname(), time.time(), time.time())
        for argv, verb in ((("--rename", "PERSON", "HUMAN"), "rename PERSON"),
                           (("--remove", "LANGUAGE"), "remove LANGUAGE")):
            code, out, err = run(capsys, "schema", db, *argv)
            assert code != 0
            assert f"an import (news.jsonl) is running; {verb} once it has finished" in err
        assert "PERSON" in [item["name"] for item in schema_of(db)["entities"]]
    finally:
        importer.kill()
        importer.wait()
    # Its owner gone, the run is abandoned: it no longer holds the schema up.
    code, out, _ = run(capsys, "schema", db, "--rename", "PERSON", "HUMAN")
    assert code == 0 and "Renamed PERSON to HUMAN" in out
