"""spaCy v2 JSON training files (`spacy convert` output before v3): one article per document.

    [{"id": 0, "paragraphs": [{"raw": "...", "sentences": [{"tokens": [
        {"orth": "Oct.", "ner": "B-DATE", ...}, ...]}], "cats": [...], "entities": [...]}]}]

The text is the paragraphs' "raw" joined by a blank line; each token is found in it in order
(only whitespace may lie between two tokens). A paragraph without "raw" is rebuilt from its
tokens with one space between them, as spaCy v2 did. Entities come from the tokens' BILUO (or
BIO) "ner" tags ("-" is unknown: read as O, and said so); without tags, from the paragraph's
"entities" [[start, end, label]] (spaCy v3's docs_to_json writes both), which are doc.ents
and so can't overlap. The numeric "id" restarts in every converted file: it goes to meta.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from annotator.formats.conll.bio import decode, parse_tag
from annotator.formats.fields import FieldCheck
from annotator.formats.json_stream import json_values
from annotator.formats.records import (
    ArticleRecord,
    ImportReport,
    SpanRecord,
    as_offset,
    check_overlaps,
    check_spans,
)

# Keys read of a document, a paragraph and a token; any other is named in the import report.
DOC_KEYS = frozenset({"id", "paragraphs"})
PARAGRAPH_KEYS = frozenset({"raw", "sentences", "cats", "entities"})
SENTENCE_KEYS = frozenset({"tokens"})
TOKEN_KEYS = frozenset({"orth", "ner", "id"})  # "id": its index, which the order gives


class _Bad(Exception):
    """A document that can't be read; skipped with this reason."""


def read_spacy_json(
    path: Path, report: ImportReport, encoding: str | None = None
) -> Iterator[ArticleRecord]:
    fields = FieldCheck(path, report, "spacy-json", DOC_KEYS, needs="'paragraphs'")
    for line, doc in json_values(path, report, encoding):
        where = f"{path}:{line}"
        fields.record(doc, where)
        if isinstance(doc, dict) and isinstance(doc.get("paragraphs"), list):
            _count_unread(doc["paragraphs"], fields)
        elif isinstance(doc, dict):
            fields.no_text(doc)
        try:
            record = _document(doc, where, report)
        except (_Bad, OverflowError) as bad:
            report.skip(where, str(bad) if isinstance(bad, _Bad) else "a number is too large")
            continue
        if record is not None:
            yield record
    fields.finish()


def _count_unread(paragraphs: list, fields: FieldCheck) -> None:
    fields.items("paragraph", paragraphs, PARAGRAPH_KEYS)
    for paragraph in paragraphs:
        sentences = paragraph.get("sentences") if isinstance(paragraph, dict) else None
        fields.items("sentence", sentences, SENTENCE_KEYS)
        for sentence in sentences if isinstance(sentences, list) else ():
            if isinstance(sentence, dict):
                fields.items("token", sentence.get("tokens"), TOKEN_KEYS)


def _document(doc, where: str, report: ImportReport) -> ArticleRecord | None:
    if not isinstance(doc, dict) or not isinstance(doc.get("paragraphs"), list):
        raise _Bad("not a spaCy JSON document (an object with 'paragraphs')")
    parts: list[str] = []
    spans: list[SpanRecord] = []
    meta: dict = {}
    unknown = 0
    for number, paragraph in enumerate(doc["paragraphs"], start=1):
        if not isinstance(paragraph, dict):
            raise _Bad(f"paragraph {number} is not an object")
        offset = sum(len(p) for p in parts) + 2 * len(parts)
        text, found, missing, from_ents = _paragraph(paragraph, number, where, report)
        unknown += missing
        parts.append(text)
        found = [SpanRecord(s.start + offset, s.end + offset, s.label) for s in found]
        # Checked at the article's offsets, which the report names.
        spans += check_overlaps(found, where, report, "doc.ents") if from_ents else found
        if isinstance(paragraph.get("cats"), (list, dict)) and paragraph["cats"]:
            meta.setdefault("cats", []).append(paragraph["cats"])
    text = "\n\n".join(parts)
    if not text.strip():
        report.skip(where, "no text")
        return None
    if unknown:
        report.note(where, f"{unknown} token(s) tagged '-' (entity annotation unknown) read as O")
    if doc.get("id") is not None:
        meta["spacy_id"] = doc["id"]
    return ArticleRecord(
        text=text, where=where, meta=meta, spans=check_spans(text, spans, where, report)
    )


def _paragraph(
    paragraph: dict, number: int, where: str, report: ImportReport
) -> tuple[str, list[SpanRecord], int, bool]:
    sentences = paragraph.get("sentences") or []
    if not isinstance(sentences, list):
        raise _Bad(f"paragraph {number}: 'sentences' is not a list")
    tokens: list[tuple[str, str]] = []
    for sentence in sentences:
        for token in (sentence.get("tokens") or []) if isinstance(sentence, dict) else []:
            if not isinstance(token, dict) or not isinstance(token.get("orth"), str):
                raise _Bad(f"paragraph {number}: a token without 'orth'")
            ner = token.get("ner", "-")
            tokens.append((token["orth"], ner if isinstance(ner, str) else "-"))
    raw = paragraph.get("raw")
    text, bounds = _align(raw, [orth for orth, _ in tokens], number, where, report)
    tags, missing = [], 0
    for _, ner in tokens:
        parsed = parse_tag(ner)
        if parsed is None:
            missing += 1
            parsed = ("O", None)
        tags.append(parsed)
    spans = [
        SpanRecord(bounds[first][0], bounds[last - 1][1], label)
        for first, last, label in decode(tags)
    ]
    from_ents = not spans and missing == len(tokens) and isinstance(paragraph.get("entities"), list)
    if from_ents:
        missing = 0
        for item in paragraph["entities"]:
            try:
                start, end, label = item
                spans.append(SpanRecord(as_offset(start), as_offset(end), str(label)))
            except (TypeError, ValueError):
                report.skip(where, f"paragraph {number}: an entity that is not [start, end, label]")
    return text, spans, missing, from_ents


# Penn Treebank spellings of characters, as in the WSJ files spaCy v2's examples came from.
_PTB = {
    "``": '"',
    "''": '"',
    "-LRB-": "(",
    "-RRB-": ")",
    "-LSB-": "[",
    "-RSB-": "]",
    "-LCB-": "{",
    "-RCB-": "}",
}


def _rebuilt(orths: list[str]) -> tuple[str, list[tuple[int, int]]]:
    bounds, pos = [], 0
    for orth in orths:
        bounds.append((pos, pos + len(orth)))
        pos += len(orth) + 1
    return " ".join(orths), bounds


def _align(
    raw, orths: list[str], number: int, where: str, report: ImportReport
) -> tuple[str, list[tuple[int, int]]]:
    """The paragraph's text and each token's (start, end) in it."""
    if not isinstance(raw, str):
        return _rebuilt(orths)
    bounds, pos = [], 0
    for i, orth in enumerate(orths):
        while pos < len(raw) and raw[pos].isspace():
            pos += 1
        written = next(
            (form for form in (orth, _PTB.get(orth)) if form and raw.startswith(form, pos)), None
        )
        if written is None:
            report.note(
                where,
                f"paragraph {number}: token {i} {orth!r} is not where 'raw' goes "
                f"on ({raw[pos : pos + 20]!r}); the text is rebuilt from the tokens",
            )
            return _rebuilt(orths)
        bounds.append((pos, pos + len(written)))
        pos += len(written)
    return raw, bounds
