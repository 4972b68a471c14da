"""A doccano-like benchmark corpus: news articles of about 3,000 characters, 20 spans each.

    python benchmarks/corpus_gen.py OUT.jsonl [--articles 10000] [--seed 0]

doccano's own import benchmark (issue 16) is 10,000 news articles of about 3,000 characters with
20 entity spans each, written as doccano exports sequence labelling: one JSON object a line,
`{"id": N, "text": ..., "label": [[start, end, "LABEL"], ...]}`. This builds the same shape
from real news sentences, with their real entities where the source has them:

- the New York Times headlines of Prodigy's example dataset (tests/data/
  prodigy-news-headlines.jsonl, MIT, tests/data/LICENSE-prodigy-recipes), with the ORG, PERSON
  and LOCATION spans annotated there;
- the sentences of the project's founding article (seeds/us-drone-strike-baghdad-militia-
  leader.txt), with its named places, people and organisations marked by a fixed list.

Articles are sentences drawn at random (seeded) until about 3,000 characters, a paragraph
break every few sentences; 20 of the spans they carry are kept, so every article has 20.
The same (n, seed) gives the same file byte for byte; no two articles share a text (the
import would count a repeat as a duplicate).
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADLINES = ROOT / "tests" / "data" / "prodigy-news-headlines.jsonl"
FOUNDING = ROOT / "seeds" / "us-drone-strike-baghdad-militia-leader.txt"

TARGET_CHARS = 3_000
SPANS_PER_ARTICLE = 20
# The founding article's entities, as a person labelling it would mark them.
FOUNDING_ENTITIES = {
    "Kataib Hezbollah": "ORG",
    "Pentagon": "ORG",
    "Islamic State": "ORG",
    "Joe Biden": "PERSON",
    "Baghdad": "GPE",
    "Iraq": "GPE",
    "Iran": "GPE",
    "Syria": "GPE",
    "Jordan": "GPE",
    "US": "GPE",
    "Middle East": "LOC",
    "Iraqi": "NORP",
    "American": "NORP",
}

Sentence = tuple[str, list[tuple[int, int, str]]]


def _headline_sentences() -> list[Sentence]:
    sentences = []
    for line in HEADLINES.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        spans = [(s["start"], s["end"], s["label"]) for s in record.get("spans", [])]
        text = record["text"].strip()
        # A headline has no full stop; in running text it needs one.
        sentences.append((text if text[-1] in ".!?" else text + ".", spans))
    return sentences


def _founding_sentences() -> list[Sentence]:
    text = FOUNDING.read_text(encoding="utf-8")
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, FOUNDING_ENTITIES)) + r")\b")
    sentences = []
    for paragraph in text.split("\n"):
        for sentence in re.split(r"(?<=[.!?])\s+", paragraph.strip()):
            if len(sentence) < 20:
                continue
            spans = [(m.start(), m.end(), FOUNDING_ENTITIES[m.group(1)]) for m in pattern.finditer(sentence)]
            sentences.append((sentence, spans))
    return sentences


def sentence_pool() -> list[Sentence]:
    """Every sentence with the spans it carries (offsets into the sentence)."""
    return _headline_sentences() + _founding_sentences()


def make_article(rng: random.Random, pool: list[Sentence]) -> tuple[str, list[list]]:
    """One article's text and its 20 spans ([start, end, label], sorted)."""
    parts: list[str] = []
    candidates: list[tuple[int, int, str]] = []
    length = 0
    while length < TARGET_CHARS or len(candidates) < SPANS_PER_ARTICLE:
        if parts:
            sep = "\n\n" if rng.random() < 0.2 else " "
            parts.append(sep)
            length += len(sep)
        sentence, spans = rng.choice(pool)
        candidates += [(length + s, length + e, label) for s, e, label in spans]
        parts.append(sentence)
        length += len(sentence)
    kept = sorted(rng.sample(candidates, SPANS_PER_ARTICLE))
    return "".join(parts), [[s, e, label] for s, e, label in kept]


def doccano_like_corpus(path: str | Path, n: int, seed: int = 0) -> Path:
    """Write n doccano JSONL records (id, text, label) to path; returns the path."""
    path = Path(path)
    rng = random.Random(seed)
    pool = sentence_pool()
    seen: set[str] = set()
    with path.open("w", encoding="utf-8") as out:
        written = 0
        while written < n:
            text, spans = make_article(rng, pool)
            if text in seen:  # astronomically rare; a repeat would import as a duplicate
                continue
            seen.add(text)
            written += 1
            out.write(json.dumps({"id": written, "text": text, "label": spans}, ensure_ascii=False))
            out.write("\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    doccano_like_corpus(args.out, args.articles, args.seed)
    print(f"{args.out}: {args.articles:,} articles, {args.out.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
