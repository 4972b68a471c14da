"""JSON values one after another, however they are laid out: one a line (JSONL), pretty-printed
over many lines (doccano's own examples), or the elements of one top-level array.

Each value comes with the line it starts on. In a stream, a value that doesn't parse is
skipped and reported, and reading goes on at the next line that starts with "{" (a compact
record, or a pretty-printed one, whose nested objects are indented). In an array nothing can be
resynchronised, so a syntax error refuses the whole file, naming its line and column.
The file is read whole: these formats come from annotation tools, not from bulk dumps (Prodigy
JSONL, the bulk format, streams line by line in annotator.formats.jsonl.reader).
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from pathlib import Path

from annotator.core.errors import ImportFailed
from annotator.formats.reading import read_text
from annotator.formats.records import ImportReport

_SPACE = re.compile(r"[ \t\r\n\ufeff]*")
_DECODER = json.JSONDecoder()


class _Lines:
    """Line numbers of increasing positions, counted once."""

    def __init__(self, text: str):
        self.text, self.pos, self.line = text, 0, 1

    def at(self, pos: int) -> int:
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line


def _encodable(value) -> bool:
    # SQLite stores UTF-8, which has no code for half of a UTF-16 surrogate pair (\ud800).
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _decode(text: str, pos: int):
    try:
        return _DECODER.raw_decode(text, pos)
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply", text, pos) from None


def json_values(
    path: Path, report: ImportReport, encoding: str | None = None, text: str | None = None
) -> Iterator[tuple[int, object]]:
    """(line, value) for each JSON value in the file; problems go to the report."""
    text = read_text(path, encoding) if text is None else text
    lines = _Lines(text)
    pos = _SPACE.match(text, 0).end()
    if pos == len(text):
        report.skip(f"{path}:1", "empty file")
        return
    if text[pos] == "[":
        yield from _array(path, text, pos, lines, report)
        return
    while pos < len(text):
        line = lines.at(pos)
        try:
            value, end = _decode(text, pos)
        except json.JSONDecodeError as error:
            report.skip(
                f"{path}:{error.lineno}", f"not valid JSON ({error.msg} at column {error.colno})"
            )
            nxt = text.find("\n{", pos + 1)
            pos = len(text) if nxt < 0 else nxt + 1
            continue
        if "\\u" in text[pos:end].lower() and not _encodable(value):
            report.skip(f"{path}:{line}", "a \\uXXXX escape is half of a UTF-16 surrogate pair")
        else:
            yield line, value
        pos = _SPACE.match(text, end).end()
        if pos < len(text) and text[pos] == ",":  # a comma between values: forgive it
            pos = _SPACE.match(text, pos + 1).end()


def _array(path: Path, text: str, pos: int, lines: _Lines, report: ImportReport):
    def refuse(error: json.JSONDecodeError):
        return ImportFailed(
            f"{path}:{error.lineno}:{error.colno}: not valid JSON ({error.msg}); "
            "in a JSON array nothing after it can be read"
        )

    pos = _SPACE.match(text, pos + 1).end()
    if text.startswith("]", pos):
        report.skip(f"{path}:1", "an empty JSON array")
        return
    while True:
        line = lines.at(pos)
        try:
            value, end = _decode(text, pos)
        except json.JSONDecodeError as error:
            raise refuse(error) from None
        if _encodable(value):
            yield line, value
        else:
            report.skip(f"{path}:{line}", "a \\uXXXX escape is half of a UTF-16 surrogate pair")
        pos = _SPACE.match(text, end).end()
        if text.startswith(",", pos):
            pos = _SPACE.match(text, pos + 1).end()
            continue
        if text.startswith("]", pos):
            rest = _SPACE.match(text, pos + 1).end()
            if rest != len(text):
                raise refuse(json.JSONDecodeError("extra data after the array", text, rest))
            return
        raise refuse(json.JSONDecodeError("expected ',' or ']'", text, pos))


def first_value(path: Path, limit: int = 1 << 16):
    """The first JSON value of a file (or of its first array), from its first 64 KB; None if
    that doesn't parse. For telling formats apart, never for importing."""
    try:
        with path.open("rb") as handle:
            head = handle.read(limit)
    except OSError:
        return None
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head[: len(head) // 2 * 2].decode("utf-16", errors="ignore")
    else:  # errors ignored: 64 KB may end in the middle of a character
        text = head.decode("utf-8-sig", errors="ignore")
    pos = _SPACE.match(text, 0).end()
    if text.startswith("[", pos):
        pos = _SPACE.match(text, pos + 1).end()
    try:
        return _decode(text, pos)[0]
    except (json.JSONDecodeError, IndexError):
        return None
