"""A doccano-like benchmark corpus: N news articles of about 3,000 characters with 20 spans each,
made from real news sentences (the founding article and demo articles in seeds/, the New York
Times headlines and brat news texts in /work/shared/corpora, when present).

    doccano_like_corpus(path, n, seed) writes doccano's JSONL ({"text", "label": [[start, end,
    label], ...]}) and returns (articles, spans). The same n and seed give the same file.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = Path("/work/shared/corpora")
LABELS = ("PERSON", "ORG", "GPE", "LOC", "DATE", "EVENT")
ARTICLE_CHARS = 3000
SPANS = 20
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[A-Za-z][\w'-]*[A-Za-z0-9]|[A-Za-z]")


def news_sentences() -> list[str]:
    """Sentences of real news text, each once, in a fixed order."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    prodigy = CORPORA / "prodigy"
    for path in sorted(prodigy.glob("*news*.jsonl")) if prodigy.is_dir() else []:
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and isinstance(record.get("text"), str):
                texts.append(record["text"])
    news = CORPORA / "brat" / "news-tutorial"
    texts += [p.read_text(encoding="utf-8") for p in sorted(news.rglob("*.txt"))]
    seen: dict[str, None] = {}
    for text in texts:
        for sentence in _SENTENCE_END.split(" ".join(text.split())):
            if len(sentence) >= 30 and len(_WORD.findall(sentence)) >= 5:
                seen.setdefault(sentence)
    return list(seen)


def _article(rng: random.Random, sentences: list[str]) -> tuple[str, list[list]]:
    parts: list[str] = []
    size = 0
    while size < ARTICLE_CHARS:
        sentence = rng.choice(sentences)
        parts.append(sentence)
        size += len(sentence) + 1
    text = " ".join(parts)
    words = [m.span() for m in _WORD.finditer(text)]
    # 20 spans of one to three words, none overlapping: every other word is a candidate start.
    starts = sorted(rng.sample(range(0, len(words) - 3, 4), SPANS))
    spans = []
    for first in starts:
        last = first + rng.choice((0, 0, 1, 2))
        spans.append([words[first][0], words[last][1], rng.choice(LABELS)])
    return text, spans


def doccano_like_corpus(path: Path, n: int, seed: int = 0) -> tuple[int, int]:
    rng = random.Random(seed)
    sentences = news_sentences()
    spans = 0
    with Path(path).open("w", encoding="utf-8") as out:
        for number in range(n):
            text, label = _article(rng, sentences)
            spans += len(label)
            record = {"id": number + 1, "text": text, "label": label}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return n, spans


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("doccano-like.jsonl")
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    print(doccano_like_corpus(target, count))
