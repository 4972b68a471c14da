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


# What decides where a JSON value ends: a string (a raw line break can't be in one), a
# bracket, or a line break (a record of a stream starts on a line of its own with "{").
_TOKENS = re.compile(r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"|[{}\[\]\n]|"')  # unrolled: fast
CHUNK = 1 << 16


def first_value(path: Path):
    """The first JSON value of a file (or the first element of its top-level array), read
    whole however long it is (a doccano record of 100,000 characters with 5,000 spans is
    400 KB); None if it doesn't parse. For telling formats apart, never for importing.

    The file is read a chunk at a time only until the value's brackets close, so a 300 MB
    JSONL file costs its first line."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
            utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
            decoder = codecs.getincrementaldecoder("utf-16" if utf16 else "utf-8-sig")("replace")
            text = decoder.decode(head)
            size, start, scanned, depth = CHUNK, None, 0, 0
            while True:
                chunk = handle.read(size)
                text += decoder.decode(chunk, final=not chunk)
                if start is None:
                    start = _SPACE.match(text, 0).end()
                    if text.startswith("[", start):
                        start = _SPACE.match(text, start + 1).end()
                    scanned = start
                end, scanned, depth = _value_end(text, scanned, depth, final=not chunk)
                if end is not None:
                    return _decode(text, start)[0] if end > 0 else None
                size = min(size * 2, 1 << 24)
    except (OSError, json.JSONDecodeError, IndexError):
        return None


def _value_end(text: str, pos: int, depth: int, final: bool) -> tuple[int | None, int, int]:
    """(where the value starting at the scan's start ends, or None to read on; 0: it can't
    be a whole value), with where scanning stopped and the depth of brackets there."""
    last = pos
    for match in _TOKENS.finditer(text, pos):
        token, last = match.group(), match.end()
        if token == '"':  # a string not closed on its line: read on, unless the line ended
            if not final and "\n" not in text[match.end() :]:
                return None, match.start(), depth
            return 0, match.start(), depth
        if token in "{[":
            depth += 1
        elif token in "}]":
            depth -= 1
            if depth <= 0:
                return match.end(), match.end(), depth
        elif token == "\n" and depth and text.startswith("{", match.end()):
            return 0, match.end(), depth  # a new record begins: this one never closed
    if final:
        return (len(text) if depth == 0 else 0), len(text), depth
    return None, last, depth  # read on, from after the last token
