"""Data and helpers the format tests share (a plain module: `pytest` and `python -m pytest`
both find it, without the tests folder being a package)."""

import json
import sqlite3
from pathlib import Path

from annotator.core.model import Span

ROOT = Path(__file__).resolve().parents[2]
HEADLINES = ROOT / "tests" / "data" / "prodigy-news-headlines.jsonl"
SEED = ROOT / "seeds" / "us-drone-strike-baghdad-militia-leader.txt"

# A record written for the export's hard cases: an overlapping pair ("Kataib Hezbollah" ORG
# and "Hezbollah fighters" NORP) and a span that ends inside a token ("Baghda").
TRICKY = {
    "id": "tricky-1",
    "title": "Tricky spans",
    "text": "Kataib Hezbollah fighters left Baghdad on Sunday.",
    "spans": [
        {"start": 0, "end": 16, "label": "ORG"},
        {"start": 7, "end": 25, "label": "NORP"},
        {"start": 31, "end": 37, "label": "GPE"},
    ],
}


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def label_seed(store) -> int:
    """Label the founding article by hand, as a person would, and mark it done."""
    article_id = store.conn.execute("SELECT id FROM articles WHERE source = ?", (SEED.name,)).fetchone()[0]
    text = store.article(article_id).text
    for phrase, label in (("Kataib Hezbollah", "ORG"), ("Baghdad", "GPE"), ("Pentagon", "ORG")):
        start = text.index(phrase)
        store.insert_span(Span(None, article_id, start, start + len(phrase), label))
    store.set_status(article_id, "done")
    return article_id


def tricky_id(store) -> int:
    return store.conn.execute("SELECT id FROM articles WHERE ext_id = 'tricky-1'").fetchone()[0]


BRAT = ROOT / "tests" / "data" / "brat"


def annotations(store) -> dict[str, tuple[list, list]]:
    """Every entity, trigger, event and argument of a project, keyed by article text, in a form
    that compares across projects (offsets, labels, types and roles; no ids)."""
    out = {}
    for article_id, text in store.conn.execute("SELECT id, text FROM articles ORDER BY id"):
        spans = {s.id: s for s in store.spans(article_id)}
        events = {e.id: e for e in store.events(article_id)}

        def place(span_id):
            span = spans[span_id]
            return (span.start, span.end, span.label)

        def head(event):
            return (event.type, event.relation,
                    None if event.trigger_id is None else place(event.trigger_id))

        def filler(arg):
            if arg.span_id is not None:
                return ("span", place(arg.span_id))
            return ("event", head(events[arg.arg_event_id]))

        out[text] = (
            sorted((s.start, s.end, s.label, s.kind) for s in spans.values()),
            sorted((head(e), tuple(sorted((a.role, filler(a)) for a in e.arguments)))
                   for e in events.values()),
        )
    return out


def counts(store) -> dict[str, int]:
    conn = store.conn

    def one(sql):
        return conn.execute(sql).fetchone()[0]

    arguments = ("SELECT count(*) FROM event_arguments a JOIN events e ON e.id = a.event_id "
                 "WHERE e.relation = 0")
    meta = [json.loads(m) for (m,) in conn.execute(
        "SELECT meta FROM spans UNION ALL SELECT meta FROM events")]
    return {
        "articles": one("SELECT count(*) FROM articles"),
        "spans": one("SELECT count(*) FROM spans"),
        "events": one("SELECT count(*) FROM events WHERE relation = 0"),
        "arguments": one(arguments),
        "event_arguments": one(arguments + " AND a.arg_event_id IS NOT NULL"),
        "relations": one("SELECT count(*) FROM events WHERE relation = 1 AND meta NOT LIKE "
                         "'%equivalence%'"),
        "equivalences": one("SELECT count(*) FROM events WHERE meta LIKE '%equivalence%'"),
        "attributes": sum(len(m.get("attributes", {})) for m in meta),
        "notes": sum(len(m.get("notes", [])) for m in meta),
        "normalizations": sum(len(m.get("normalizations", [])) for m in meta),
    }


def add_seed_events(store) -> dict:
    """Events on the labelled seed article, made as the GUI makes them (through the Session):
    an attack with three arguments (two created on the spot, a fourth undone), a death, and a
    statement whose Topic is the attack (an event filling a role)."""
    from annotator.core.session import Session

    session = Session(store)
    article_id = store.conn.execute("SELECT id FROM articles WHERE source = ?",
                                    (SEED.name,)).fetchone()[0]
    session.open_article(article_id)
    text = session.article.text

    def where(phrase, after=0):
        start = text.index(phrase, after)
        return start, start + len(phrase)

    body = text.index("A senior commander")
    baghdad = next(s for s in session.spans if s.label == "GPE")
    pentagon = next(s for s in session.spans if text[s.start:s.end] == "Pentagon")
    attack = session.apply(session.plan_add_event("Conflict.Attack", selection=where("strike", body))).event
    session.apply(session.plan_add_new_argument(session.event_by_id(attack.id), "Attacker", *where("US", body), "GPE"))
    target = session.apply(session.plan_add_new_argument(session.event_by_id(attack.id), "Target",
                                      *where("commander", body), "PERSON")).new_span.span
    session.apply(session.plan_add_argument(session.event_by_id(attack.id), "Place", baghdad))
    die = session.apply(session.plan_add_event("Life.Die", selection=where("killed", body))).event
    session.apply(session.plan_add_argument(session.event_by_id(die.id), "Victim", target))
    statement = session.apply(session.plan_add_event("Contact.Statement", selection=where("stated", body))).event
    session.apply(session.plan_add_argument(session.event_by_id(statement.id), "Speaker", pentagon))
    session.apply(session.plan_add_argument(session.event_by_id(statement.id), "Topic",
                         session.span_by_id(attack.trigger_id)))
    # One more argument, on a span made on the spot, then undone: no export may show it.
    undone = session.apply(session.plan_add_new_argument(session.event_by_id(attack.id), "Instrument",
                                      *where("drone", body), "WEAPON"))
    session.revert(undone)
    return {"article_id": article_id, "attack": attack.id, "die": die.id,
            "statement": statement.id}


def sql(db: Path, query: str, *args):
    """What is in the project file at db, read as another program would."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute(query, args).fetchall()
    finally:
        conn.close()


def run_import(capsys, *argv) -> tuple[int, str]:
    """`annotator import ARGV...` as typed: its exit code and everything it printed."""
    from annotator.cli import main

    code = main(["import", *map(str, argv)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out + err


def delete_elsewhere(project, ids):
    """Delete articles with everything on them from another connection, as another program
    (or the window, on its own connection) would while an export runs."""
    conn = sqlite3.connect(project.path, timeout=10, isolation_level=None)
    marks = ",".join("?" * len(ids))
    conn.execute("BEGIN IMMEDIATE")
    events = f"SELECT id FROM events WHERE article_id IN ({marks})"
    conn.execute(f"DELETE FROM event_arguments WHERE event_id IN ({events})", ids)
    conn.execute(f"DELETE FROM events WHERE article_id IN ({marks})", ids)
    conn.execute(f"DELETE FROM spans WHERE article_id IN ({marks})", ids)
    conn.execute(f"DELETE FROM articles WHERE id IN ({marks})", ids)
    conn.execute("COMMIT")
    conn.close()
