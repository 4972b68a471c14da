"""Data and helpers the format tests share (a plain module: `pytest` and `python -m pytest`
both find it, without the tests folder being a package)."""

import json
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
