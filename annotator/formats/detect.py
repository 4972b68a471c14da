"""Which format a file is in: its extension first, then a look at its first lines.

The extension alone is often ambiguous: .txt is an article, half of a brat document or a
CoNLL file; .tsv a table of articles or GermEval's tokens; .json and .jsonl Prodigy's records,
doccano's or spaCy's v2 training data. Content decides there: a JSON file's first record,
read whole however long (annotator.formats.fields says whose annotations it holds), else the
first 64 KB.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from annotator.core.errors import ImportFailed
from annotator.formats import registry
from annotator.formats.conll.bio import is_tag
from annotator.formats.conll.reader import DOCSTART, split_fields
from annotator.formats.fields import annotation_format, refusal
from annotator.formats.json_stream import first_value

# Suffixes come from the registry: a format that claims its suffix (.ann, .spacy, .conll) is
# chosen by it; the ones several formats share are told apart by content below.
_DOCCANO = re.compile(r'"start_offset"|"label"\s*:\s*\[\s*\[')


def head_text(path: Path, limit: int = 1 << 16) -> str:
    try:
        with path.open("rb") as handle:
            head = handle.read(limit)
    except OSError as error:
        raise ImportFailed(f"{path}: cannot read ({error.strerror})") from error
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head[: len(head) // 2 * 2].decode("utf-16", errors="ignore")
    return head.decode("utf-8-sig", errors="ignore")


def looks_like_conll(text: str, lines: int = 20) -> bool:
    """Token lines all alike: the same number of columns (2 to 12), a tag in the last column
    or, after a token index, in the third; a prose line is never like that 20 times."""
    rows = []
    for line in text.splitlines()[:-1] or text.splitlines():  # the last may be cut short
        fields = split_fields(line.rstrip())
        if not line.strip() or (line.startswith("#") and not is_tag(fields[-1])):
            continue
        if fields[0] == DOCSTART:
            return True
        rows.append(fields)
        if len(rows) == lines:
            break
    if len(rows) < 2 or len({len(r) for r in rows}) != 1 or not 2 <= len(rows[0]) <= 12:
        return False
    return all(is_tag(r[-1]) for r in rows) or (
        len(rows[0]) > 2 and all(is_tag(r[2]) for r in rows)
    )


def json_kind(path: Path, text: str) -> str:
    """doccano, spacy-json (v2 training data) or jsonl (Prodigy-style records); a Label
    Studio export is refused, naming what to do."""
    value = first_value(path)
    if isinstance(value, dict):
        found = annotation_format(value)
        if found is not None and found[0] == "label-studio":
            raise refusal(path, f"{path}", *found, "jsonl")
        if found is not None:
            return found[0]
        if "tokens" in value:
            return "jsonl"
        # A first record without annotations: later ones may tell.
        return "doccano" if _DOCCANO.search(text) and '"spans"' not in text else "jsonl"
    # Too big for the first 64 KB, or broken: the keys still tell.
    if '"paragraphs"' in text:
        return "spacy-json"
    if _DOCCANO.search(text) and '"spans"' not in text:
        return "doccano"
    return "jsonl"


def _table_or_conll(text: str, text_column: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    names = [name.strip().lower() for name in re.split(r"[\t,]", first)]
    if text_column.strip().lower() in names:
        return "csv"
    return "conll" if looks_like_conll(text) else "csv"


def detect_format(path: Path, text_column: str = "text") -> str:
    suffix = path.suffix.lower()
    claimed = registry.claimed_suffixes()
    if suffix in claimed:
        return claimed[suffix]
    if suffix in (".txt", ".text") and path.with_suffix(".ann").is_file():
        return "brat"
    head = head_text(path)
    if suffix in registry.reader("csv").suffixes:
        return _table_or_conll(head, text_column)
    if suffix in (".txt", ".text"):
        return "conll" if looks_like_conll(head) else "txt"
    json_suffixes = registry.reader("jsonl").suffixes
    if suffix in json_suffixes or head.lstrip(" \t\r\n").startswith(("{", "[")):
        return json_kind(path, head)
    if _is_docbin(path):
        return "spacy"
    return "conll" if looks_like_conll(head) else "txt"


def _is_docbin(path: Path) -> bool:
    # DocBin.to_bytes is zlib-compressed msgpack: a zlib header, then a map.
    try:
        with path.open("rb") as handle:
            head = handle.read(2)
    except OSError:
        return False
    return len(head) == 2 and head[0] == 0x78 and (head[0] * 256 + head[1]) % 31 == 0
