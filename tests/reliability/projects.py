"""Projects and corpora for the reliability tests and the soak benchmark."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from annotator.core.model import SUGGESTED, Span
from annotator.formats.importer import import_paths
from annotator.store import open_project

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
NAME = re.compile(r"\b[A-Z][a-z]{3,}\b")
LABELS = ["PERSON", "ORG", "GPE", "LOC", "NORP", "DATE"]


def make_project(path: Path, copies: int = 1, suggestions_per_article: int = 40) -> None:
    """The seed articles (`copies` times over, as separate articles) with open suggestions on
    their capitalised words, as a pattern run would leave them; the driver edits these."""
    store = open_project(path)
    try:
        folder = path.parent / f"{path.stem}-articles"
        folder.mkdir(exist_ok=True)
        for n in range(copies):
            for seed in sorted(SEEDS.glob("*.txt")):
                (folder / f"{n}-{seed.name}").write_text(seed.read_text())
        import_paths(store, [folder])
        rng = random.Random(3)
        with store.write():
            for article_id, text in store.conn.execute("SELECT id, text FROM articles"):
                names = list(NAME.finditer(text))
                for m in rng.sample(names, min(suggestions_per_article, len(names))):
                    store.insert_span(Span(None, article_id, m.start(), m.end(),
                                           rng.choice(LABELS), origin="seed-patterns",
                                           state=SUGGESTED, score=0.5))
    finally:
        store.close()


def write_jsonl(path: Path, megabytes: float, seed: int = 7) -> int:
    """A JSONL corpus of about `megabytes` MB: 1-4 KB articles made of the seeds' sentences,
    each with a few spans; returns the number of articles."""
    rng = random.Random(seed)
    text = " ".join(p.read_text() for p in sorted(SEEDS.glob("*.txt")))
    sentences = [s.strip() + "." for s in text.replace("\n", " ").split(".") if len(s) > 20]
    target = int(megabytes * 1e6)
    written = n = 0
    with path.open("w") as out:
        while written < target:
            body = " ".join(rng.choice(sentences) for _ in range(rng.randint(8, 30)))
            article = f"Wire report {n}\n\n{body}"
            spans = []
            for m in list(NAME.finditer(article))[: rng.randint(0, 6)]:
                spans.append({"start": m.start(), "end": m.end(), "label": rng.choice(LABELS)})
            line = json.dumps({"id": f"wire-{seed}-{n}", "text": article, "spans": spans}) + "\n"
            out.write(line)
            written += len(line)
            n += 1
    return n
