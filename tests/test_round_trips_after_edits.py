"""Round trips after the things users do between an import and an export (issue 11, item 6):
an argument added to a brat event, a trip through doccano's relation form, an event argument
spaCy's tokens widen, spans answered reject in Prodigy, a trigger not yet made an event. What
lands in SQLite and in the written files is checked, with real spaCy where spaCy is read."""

import json
import sqlite3
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.model import Argument
from annotator.store import open_project

TEXT = "Binding of p50 and p65 at site A and site B by X.\n"
ANN = (
    "T1\tProtein 11 14\tp50\n"
    "T2\tProtein 19 22\tp65\n"
    "T3\tEntity 26 32\tsite A\n"
    "T4\tEntity 37 43\tsite B\n"
    "T5\tBinding 0 7\tBinding\n"
    "T6\tProtein 47 48\tX\n"
    # site B is the site of p65: brat pairs Site2 with Theme2.
    "E1\tBinding:T5 Theme:T1 Theme2:T2 Site2:T4\n"
)
CONF = (
    "[entities]\nProtein\nEntity\n[relations]\n[events]\n"
    "Binding\tTheme+:Protein, Site*:Entity, Cause?:Protein\n[attributes]\n"
)


def run(capsys, *argv) -> str:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert code == 0 and "Traceback" not in err, out + err
    return out


def sql(db: Path, query: str, *args) -> list:
    with sqlite3.connect(db) as conn:
        return conn.execute(query, args).fetchall()


def brat_folder(tmp_path: Path, text=TEXT, ann=ANN, conf=CONF) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    (src / "doc.txt").write_text(text)
    (src / "doc.ann").write_text(ann)
    (src / "annotation.conf").write_text(conf)
    return src


def event_line(folder: Path) -> tuple[str, dict[str, str]]:
    """The E line of doc.ann with each T id replaced by its text: 'Binding Theme:p50 ...'."""
    texts, line = {}, ""
    for row in (folder / "doc.ann").read_text().splitlines():
        ident, _, rest = row.partition("\t")
        if ident.startswith("T"):
            texts[ident] = rest.split("\t")[1]
        elif ident.startswith("E"):
            line = rest
    parts = [p.rsplit(":", 1) for p in line.split()]
    return " ".join(f"{role}:{texts[ref]}" for role, ref in parts), texts


# -- brat numbered roles after an edit -----------------------------------------------------


def test_an_added_argument_leaves_brats_numbered_roles_where_they_were(tmp_path, capsys):
    db = tmp_path / "p.db"
    run(capsys, "import", db, brat_folder(tmp_path))
    store = open_project(db)
    try:
        (event,) = store.events(store.conn.execute("SELECT id FROM articles").fetchone()[0])
        (x_id,) = store.conn.execute("SELECT id FROM spans WHERE start = 47").fetchone()
        store.insert_argument(Argument(None, event.id, "Cause", span_id=x_id))
    finally:
        store.close()
    out = run(capsys, "export", "brat", db, tmp_path / "out")
    line, _ = event_line(tmp_path / "out")
    # site B stays the site of p65 (Site2 with Theme2); written as Site it would be p50's.
    assert line == "Binding:Binding Theme:p50 Theme2:p65 Site2:site B Cause:X"
    # Nothing was renumbered, so the report has nothing to say about it.
    assert "given anew" not in out


# -- brat -> doccano (relation form) -> brat ------------------------------------------------


def test_numbered_roles_travel_through_doccano_and_come_back_as_their_role(tmp_path, capsys):
    db, db2 = tmp_path / "p.db", tmp_path / "q.db"
    run(capsys, "import", db, brat_folder(tmp_path))
    run(capsys, "export", "doccano", db, tmp_path / "d.jsonl", "--form", "entities")
    record = json.loads((tmp_path / "d.jsonl").read_text())
    assert sorted(r["type"] for r in record["relations"]) == ["Site2", "Theme", "Theme2"]
    assert record["event_roles"] == {"Binding": ["Theme", "Site", "Cause"]}
    # Into a fresh project (no schema): stored as the roles Theme and Site, as brat's import does.
    run(capsys, "import", db2, tmp_path / "d.jsonl")
    roles = "SELECT role, count(*) FROM event_arguments GROUP BY role ORDER BY role"
    assert sql(db2, roles) == sql(db, roles) == [("Site", 1), ("Theme", 2)]
    run(capsys, "export", "brat", db2, tmp_path / "out")
    assert event_line(tmp_path / "out")[0] == "Binding:Binding Theme:p50 Theme2:p65 Site2:site B"


def test_doccano_names_a_role_number_it_had_to_guess(tmp_path, capsys):
    db = tmp_path / "p.db"
    run(capsys, "import", db, brat_folder(tmp_path))
    with sqlite3.connect(db) as conn:  # p65 is no longer a theme; site A becomes one
        conn.execute("DELETE FROM event_arguments WHERE span_id = "
                     "(SELECT id FROM spans WHERE start = 19)")
        conn.execute("INSERT INTO event_arguments (event_id, role, span_id) SELECT "
                     "(SELECT id FROM events), 'Theme', id FROM spans WHERE start = 26")
    out = run(capsys, "export", "doccano", db, tmp_path / "d.jsonl", "--form", "entities")
    assert "role numbers (Theme2 goes with Site2) given anew: 1" in out
    assert "Theme3 (26:32:Entity) is new: its number is a guess" in out
    assert "Theme2 (19:22:Protein) is no longer there" in out
    record = json.loads((tmp_path / "d.jsonl").read_text())
    assert sorted(r["type"] for r in record["relations"]) == ["Site2", "Theme", "Theme3"]


# -- doccano: a trigger that is not (yet) an event -------------------------------------------


@pytest.mark.parametrize("form", ["entities", "label"])
def test_a_trigger_without_event_comes_back_without_one(tmp_path, capsys, form):
    text = "Expression regulated by Sp1 and Sp3.\n"
    # T2 is a trigger nobody has made an event of; T3 has one.
    ann = ("T1\tProtein 24 27\tSp1\nT2\tRegulation 11 20\tregulated\n"
           "T3\tRegulation 0 10\tExpression\nE1\tRegulation:T3 Cause:T1\n")
    conf = "[entities]\nProtein\n[relations]\n[events]\nRegulation\tCause?:Protein\n[attributes]\n"
    db, db2 = tmp_path / "p.db", tmp_path / "q.db"
    run(capsys, "import", db, brat_folder(tmp_path, text, ann, conf))
    run(capsys, "export", "doccano", db, tmp_path / "d.jsonl", "--form", form)
    record = json.loads((tmp_path / "d.jsonl").read_text())
    assert record["triggers_without_event"] == [[11, 20, "Regulation"]]
    run(capsys, "import", db2, tmp_path / "d.jsonl")
    events = ("SELECT s.start, s.end, e.type FROM events e JOIN spans s ON s.id = e.trigger_id "
              "ORDER BY s.start")
    assert sql(db2, events) == sql(db, events) == [(0, 10, "Regulation")]
    kinds = "SELECT start, kind FROM spans ORDER BY start"
    assert sql(db2, kinds) == sql(db, kinds) == [(0, "trigger"), (11, "trigger"), (24, "entity")]


# -- spaCy: an event argument widened to its token -------------------------------------------


def test_a_widened_event_argument_comes_back_as_one_entity_filling_the_role(tmp_path, capsys):
    """spaCy's token is "Sp1-": the entity and the event's argument both go out as "Sp1-"
    (the report lists the widening), and the import makes one Protein that fills Cause."""
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    text = "Expression regulated by Sp1- and Sp3.\n"
    ann = "T1\tProtein 24 27\tSp1\nT2\tRegulation 11 20\tregulated\nE1\tRegulation:T2 Cause:T1\n"
    conf = "[entities]\nProtein\n[relations]\n[events]\nRegulation\tCause?:Protein\n[attributes]\n"
    db, db2 = tmp_path / "p.db", tmp_path / "q.db"
    run(capsys, "import", db, brat_folder(tmp_path, text, ann, conf))
    out = run(capsys, "export", "spacy", db, tmp_path / "out", "--dev-share", "0")
    assert "'Sp1' Protein" in out  # the widening is reported
    (doc,) = DocBin(store_user_data=True).from_disk(tmp_path / "out" / "train" / "train-00000.spacy").get_docs(
        Vocab())
    assert [(e.text, e.label_) for e in doc.ents] == [("Sp1-", "Protein")]
    (event,) = doc.user_data["events"]
    (argument,) = event["arguments"]
    assert (argument["start"], argument["end"], argument["text"]) == (24, 28, "Sp1-")
    run(capsys, "import", db2, tmp_path / "out" / "train")
    assert sql(db2, "SELECT start, end, label FROM spans WHERE kind = 'entity'") == [
        (24, 28, "Protein")]
    assert sql(db2, "SELECT a.role, s.start, s.end FROM event_arguments a "
                    "JOIN spans s ON s.id = a.span_id") == [("Cause", 24, 28)]


# -- Prodigy: spans answered reject --------------------------------------------------------

PRODIGY = {
    "text": "Apple hired Tim Cook.",
    "answer": "accept",
    "spans": [
        {"start": 0, "end": 5, "label": "ORG", "answer": "accept"},
        {"start": 12, "end": 20, "label": "PERSON", "answer": "reject"},
    ],
}


@pytest.fixture
def prodigy_project(tmp_path, capsys) -> Path:
    source = tmp_path / "p.jsonl"
    source.write_text(json.dumps(PRODIGY) + "\n")
    run(capsys, "import", tmp_path / "p.db", source)
    assert sql(tmp_path / "p.db", "SELECT label, state FROM spans ORDER BY start") == [
        ("ORG", "accepted"), ("PERSON", "rejected")]
    return tmp_path / "p.db"


def test_a_span_answered_reject_goes_out_to_jsonl_and_comes_back_rejected(
    prodigy_project, tmp_path, capsys
):
    out = run(capsys, "export", "jsonl", prodigy_project, tmp_path / "o.jsonl")
    assert 'Rejected spans (answered reject in an import), written with "answer": "reject": 1' in out
    assert "Spans per label: ORG 1" in out  # the accepted ones only
    (record,) = [json.loads(line) for line in (tmp_path / "o.jsonl").read_text().splitlines()]
    rejected = [s for s in record["spans"] if s.get("answer") == "reject"]
    assert [(s["start"], s["end"], s["label"], s["token_start"], s["token_end"])
            for s in rejected] == [(12, 20, "PERSON", 2, 3)]
    run(capsys, "import", tmp_path / "q.db", tmp_path / "o.jsonl")
    assert sql(tmp_path / "q.db", "SELECT label, state FROM spans ORDER BY start") == [
        ("ORG", "accepted"), ("PERSON", "rejected")]


@pytest.mark.parametrize("target", ["brat", "doccano", "conll", "spacy"])
def test_formats_without_a_place_for_rejected_spans_count_them(
    prodigy_project, tmp_path, capsys, target
):
    path = tmp_path / ("out.txt" if target in ("conll", "doccano") else "out")
    out = run(capsys, "export", target, prodigy_project, path)
    assert "1 rejected span(s) not written (answered reject in an import" in out
