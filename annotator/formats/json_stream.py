"""JSON values one after another, however they are laid out: one a line (JSONL), pretty-printed
over many lines (doccano's own examples), or the elements of one top-level array.

Each value comes with the line it starts on. In a stream, a value that doesn't parse is
skipped and reported, and reading goes on at the next line that starts with "{" (a compact
record, or a pretty-printed one, whose nested objects are indented). In an array nothing can be
resynchronised, so a syntax error refuses the whole file, naming its line and column.
A stream in UTF-8 (most files: what decode() reads without a plan) is read a line at a time,
so memory stays flat however big the file is (doccano's benchmark corpus at 100,000 articles
is 356 MB: read whole, its import took 1.1 GB); the values, lines and reports are the same as
reading it whole. An array, or a file in another encoding, is read whole.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from pathlib import Path

from annotator.core.errors import ImportFailed
from annotator.formats.reading import bom_encoding, read_text
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


# Set in an import's reading process (formats/reader_process.py) whose importer checks the
# whole file as UTF-8 itself, on a thread beside its writing (stream_check): the stream starts
# after the file's head is checked, not after all of it (decoding doccano's corpus of 36 MB
# once more held the import's first records back 50-90 ms). What the head doesn't show comes
# out as NotStreamed: the importer reads the file again as before, whole.
UTF8_CHECKED_ELSEWHERE = False


class NotStreamed(ImportFailed):
    """A file streamed as UTF-8 from its head on is not plain UTF-8 further on (a byte that
    isn't, a NUL): its import reads it again whole, as a file that shows it at its head is."""


def json_values(
    path: Path, report: ImportReport, encoding: str | None = None, text: str | None = None
) -> Iterator[tuple[int, object]]:
    """(line, value) for each JSON value in the file; problems go to the report."""
    if text is None and not encoding:
        if UTF8_CHECKED_ELSEWHERE:
            if _head_streamable(path):
                yield from _head_checked(path, report)
                return
        elif _streamable(path):
            yield from _streamed(path, report)
            return
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
        if text.find("\\u", pos, end) >= 0 and not _encodable(value):
            report.skip(f"{path}:{line}", "a \\uXXXX escape is half of a UTF-16 surrogate pair")
        else:
            yield line, value
        pos = _SPACE.match(text, end).end()
        if pos < len(text) and text[pos] == ",":  # a comma between values: forgive it
            pos = _SPACE.match(text, pos + 1).end()


def _streamable(path: Path, head_only: bool = False) -> bool:
    """A stream of values (not an array) in UTF-8, with or without its BOM, and no NUL byte:
    what read_text would decode as UTF-8 at once. Checked in steps of 256 KB, never whole;
    with head_only, what its first 64 KB show."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        with path.open("rb") as handle:
            head = handle.read(1 << 16)
            if bom_encoding(head) not in (None, "utf-8-sig"):
                return False
            first = head.decode("utf-8-sig", "replace").lstrip(" \t\r\n\ufeff")[:1]
            if first in ("", "["):  # empty, or an array: read whole, as before
                return False
            if head_only:
                decoder.decode(head)  # not final: the head may end inside a character
                return b"\x00" not in head
            handle.seek(0)
            while chunk := handle.read(1 << 18):
                if b"\x00" in chunk:
                    return False
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except (OSError, UnicodeDecodeError):
        return False  # read whole, which reports it
    return True


def _head_streamable(path: Path) -> bool:
    return _streamable(path, head_only=True)


def stream_check(path: Path) -> bool:
    """For an importer whose reading process streams from the head on (UTF8_CHECKED_ELSEWHERE):
    False when the head said "stream it" and the whole file says otherwise, so that the
    records read are not those read_text would give; run it beside the import."""
    return _streamable(path) or not _head_streamable(path)


def _head_checked(path: Path, report: ImportReport) -> Iterator[tuple[int, object]]:
    try:
        yield from _streamed(path, report)
    except UnicodeDecodeError:
        raise NotStreamed(f"{path}: not UTF-8 past its start; read whole") from None


def _streamed(path: Path, report: ImportReport) -> Iterator[tuple[int, object]]:
    """json_values of a UTF-8 stream, a line at a time: a value may span lines (pretty-printed);
    one that doesn't parse by the time a line starts with "{" (or the file ends) is skipped and
    reported, as when the file is read whole.

    A value not complete at the end of its first line is decoded again only when a line brings
    its brackets back to depth 0: decoding it at every line made a pretty-printed record of
    20,000 lines take 9 s (quadratic), where this is linear."""
    parts: list[str] = []  # the text of a value not complete yet, from line `first` on
    first, column, depth = 0, 0, 0  # column: where that text starts in its first line
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for number, raw in enumerate(handle, start=1):
            if parts and raw.startswith("{"):  # the value before it never completed
                _skip_invalid(path, report, "".join(parts), first, column)
                parts = []
            if parts:
                depth, may_end = _scan(raw, depth)
                parts.append(raw)
                if not may_end:
                    continue
            else:
                first, column, parts = number, 0, [raw]
            values = _values("".join(parts), first, column)
            while True:
                try:
                    line, value = next(values)
                except StopIteration as rest:
                    pending, first, column = rest.value
                    break
                if value is _HALF_SURROGATE:
                    report.skip(
                        f"{path}:{line}", "a \\uXXXX escape is half of a UTF-16 surrogate pair"
                    )
                else:
                    yield line, value
            parts = [pending] if pending else []
            depth = _scan(pending, 0)[0] if pending else 0
    if parts:
        _skip_invalid(path, report, "".join(parts), first, column)


# A string (a raw line break can't be in one), a bracket, or a string not closed on its line.
_BRACKETS = re.compile(r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"|[{}\[\]]|"')


def _scan(text: str, depth: int) -> tuple[int, bool]:
    """The bracket depth after `text` (outside strings), starting from `depth`, and whether a
    value may end in it: the depth back to 0 at a closing bracket or at its end, or a string
    not closed on its line (not valid JSON: decoding says where)."""
    may_end = False
    for match in _BRACKETS.finditer(text):
        token = match.group()
        if token in "{[":
            depth += 1
        elif token in "}]":
            depth -= 1
            may_end = may_end or depth <= 0
        elif token == '"':
            return depth, True
    return depth, may_end or depth <= 0


def _values(text: str, first: int, column: int = 0):
    """Yield (line, value) for the complete values at the start of `text` (which begins on
    line `first`, at `column` of it); return what is left (not complete yet), the line it
    begins on and its column there."""
    pos = 0
    while True:
        pos = _SPACE.match(text, pos).end()
        if pos < len(text) and text[pos] == ",":  # a comma between values: forgiven
            pos = _SPACE.match(text, pos + 1).end()
        if pos == len(text):
            return "", first, 0
        newlines = text.count("\n", 0, pos)
        line = first + newlines
        try:
            value, end = _decode(text, pos)
        except json.JSONDecodeError:
            line_start = text.rfind("\n", 0, pos) + 1
            return text[pos:], line, (column if newlines == 0 else 0) + pos - line_start
        # Only a \\u escape makes half a pair (JSON has no \\U); found without a copy of
        # the value's text (lowering a copy of each record was a tenth of a doccano import).
        if text.find("\\u", pos, end) >= 0 and not _encodable(value):
            yield line, _HALF_SURROGATE
        else:
            yield line, value
        pos = end


_HALF_SURROGATE = object()  # a value with half a surrogate pair: reported, not yielded


def _skip_invalid(path: Path, report: ImportReport, pending: str, first: int, column: int) -> None:
    """Report a value that never parsed, with why (its line and column as in the file: the
    value starts at `column` of line `first`)."""
    try:
        _decode(pending, 0)
    except json.JSONDecodeError as error:
        colno = error.colno + (column if error.lineno == 1 else 0)
        report.skip(
            f"{path}:{first + error.lineno - 1}",
            f"not valid JSON ({error.msg} at column {colno})",
        )


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
