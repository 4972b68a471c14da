"""The JSONL lines of a chunk of articles, with their "tokens" lists written as JSON bytes
without a Python object per token.

A line's tokens are nine tenths of the export's bytes (600 tokens an article of 3,000
characters), and a dict per token encoded by orjson was a third of the export's time. Here a
whole chunk's lines are put together by numpy, in one gather, from pieces: each line's head
(the fields before "tokens", encoded by orjson, beginning with the text) and tail (the fields
after it); each token's text, a slice of its article's text as orjson escaped it in the head
(escaping is per character, so a token's escaped text is the escaped text between its edges);
its offsets and index as decimal digits made by arithmetic on arrays; and constant fragments.
The bytes are exactly orjson's for the line with "tokens" as a list of dicts {"text",
"start", "end", "id", "ws"} (tests compare them). Numpy's calls are per chunk, not per
article or token: per article they cost more than the dicts did.

Offsets in the model are code points; the escaped text's byte offsets come from each
character's escaped UTF-8 length.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

# Bytes orjson writes for each ASCII character inside a string: 6 for a control character
# ("\u001f"), 2 for those with a short escape ("\n", "\"", "\\" ...), else 1. Past ASCII it
# writes UTF-8 as is (2 to 4 bytes; nothing escaped, U+2028 and DEL neither).
_ASCII = np.ones(128, dtype=np.int64)
_ASCII[:0x20] = 6
_ASCII[[0x08, 0x09, 0x0A, 0x0C, 0x0D, 0x22, 0x5C]] = 2

HEAD_START = b'{"text":"'  # every head begins so: the escaped text follows

# The constant pieces, in one buffer: where each begins in it.
_FIRST = b'[{"text":"'
_NEXT = b',{"text":"'  # as long as _FIRST
_START = b'","start":'
_END = b',"end":'
_ID = b',"id":'
_SPACE = b',"ws":true}'
_NO_SPACE = b',"ws":false}'
_CLOSE = b"]"
_NONE = b"[]"
_PIECES = (_FIRST, _NEXT, _START, _END, _ID, _SPACE, _NO_SPACE, _CLOSE, _NONE)
_CONSTANTS = b"".join(_PIECES)
_AT = {piece: _CONSTANTS.index(piece) for piece in _PIECES}

_POWERS = 10 ** np.arange(19, dtype=np.int64)


class LineParts(NamedTuple):
    """One line: `head` (orjson's bytes of the fields before "tokens", from `{"text":"`,
    through `"tokens":`), the article's text, its tokens as rows (start, end, followed by a
    space) of character offsets, and `tail` (the rest of the line, from the comma after the
    tokens through the line end). A line made otherwise (json's, for what orjson refuses) is
    LineParts(line, None, None, b"")."""

    head: bytes
    text: str | None
    tokens: np.ndarray | None
    tail: bytes


def _digits(values: np.ndarray) -> tuple[np.ndarray, int, np.ndarray]:
    """The decimal digits of non-negative `values` as ASCII, one row of `width` bytes each
    (the number right-aligned), and how many digits each has."""
    width = 1
    count = np.ones(len(values), dtype=np.int64)
    top = int(values.max()) if len(values) else 0
    while top >= int(_POWERS[width]):
        count += values >= _POWERS[width]
        width += 1
    rows = np.empty((len(values), width), dtype=np.uint8)
    rest = values.copy()
    for column in range(width - 1, -1, -1):
        rows[:, column] = rest % 10
        rest //= 10
    rows += 48  # "0"
    return rows.ravel(), width, count


def _escaped_lengths(text: str) -> np.ndarray:
    """How many bytes orjson writes for each character of `text` inside a string."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    return np.where(
        codes < 0x80, _ASCII[np.minimum(codes, 0x7F)], 2 + (codes >= 0x800) + (codes >= 0x10000)
    )


# Tokens put together at a time: the gather's index arrays (4 bytes an output byte, 45 bytes
# a token) stay within a core's cache, and a chunk's take a few MB, not tens.
GROUP_TOKENS = 4096


def chunk_lines(lines: Sequence[LineParts]) -> bytes:
    """The lines, one after the other, as bytes."""
    return b"".join(chunk_pieces(lines))


def chunk_pieces(lines: Sequence[LineParts]) -> list[np.ndarray]:
    """The lines, one after the other, in pieces of bytes (uint8 arrays) to write as they
    are: joined, a chunk's 2 MB would be copied once more."""
    out: list[np.ndarray] = []
    group: list[LineParts] = []
    tokens = 0
    for line in lines:
        group.append(line)
        tokens += 0 if line.tokens is None else len(line.tokens)
        if tokens >= GROUP_TOKENS:
            out.append(_gathered(group))
            group, tokens = [], 0
    if group:
        out.append(_gathered(group))
    return out


def _whole(line: LineParts) -> bytes:
    """A line without tokens (or made whole elsewhere), as bytes."""
    return line.head if line.text is None else line.head + _NONE + line.tail


# Offsets and indices below this are written from tables of ready-made pieces, one table per
# field ('","start":0', '","start":1', ...), made once per process as far as the largest
# value seen; a group with a larger value (an article past 65,536 characters) makes its
# digits by arithmetic (_gathered_digits): its tables would be tens of MB.
TABLE_UP_TO = 1 << 16


class _Table:
    """The pieces `prefix` + decimal digits of 0, 1, 2 ... one after the other (`data`),
    and where each begins (`at`, one more: where the last ends)."""

    def __init__(self, prefix: bytes):
        self.prefix = prefix
        self.data = np.empty(0, dtype=np.uint8)
        self.at = np.zeros(1, dtype=np.int64)

    def covering(self, top: int) -> _Table:
        """This table, made to cover 0..top (a power of two at a time)."""
        if len(self.at) <= top + 1:
            size = 1 << max(10, int(top).bit_length())
            digits, width, count = _digits(np.arange(size, dtype=np.int64))
            source = np.concatenate([np.frombuffer(self.prefix, dtype=np.uint8), digits])
            pieces = np.empty((size, 2), dtype=np.int64)
            pieces[:, 0] = 0  # the prefix
            pieces[:, 1] = len(self.prefix) + np.arange(1, size + 1) * width - count
            lengths = np.empty((size, 2), dtype=np.int64)
            lengths[:, 0], lengths[:, 1] = len(self.prefix), count
            self.data = _gather(source, pieces.ravel(), lengths.ravel())
            self.at = np.concatenate([[0], np.cumsum(len(self.prefix) + count)])
        return self


_TABLES = {key: _Table(prefix) for key, prefix in (("start", _START), ("end", _END), ("id", _ID))}

# What follows a token that is not its line's last: its "ws" and the next one's opening.
_SPACE_NEXT = _SPACE + _NEXT
_NO_SPACE_NEXT = _NO_SPACE + _NEXT


def _gathered(lines: Sequence[LineParts]) -> np.ndarray:
    """The lines' bytes (_gathered_table's, or _gathered_digits's for large numbers)."""
    top = max(
        (
            max(int(line.tokens[-1, 1]), len(line.tokens) - 1)  # the last token ends last
            for line in lines
            if line.tokens is not None and len(line.tokens)
        ),
        default=None,
    )
    if top is None:
        return np.frombuffer(b"".join(_whole(line) for line in lines), dtype=np.uint8)
    if top < TABLE_UP_TO:
        return _gathered_table(lines, top)
    return _gathered_digits(lines)


def _blocks(lines: Sequence[LineParts], after_last) -> tuple[list[bytes], list[int]]:
    """The bytes between the lines' tokens, in blocks: before the first token, then from each
    tokened line's last token (`after_last(line)`: its pieces, up to the line's tail) through
    any lines without tokens to the next one's first; and where each tokened line's escaped
    text begins in its block."""
    blocks: list[bytes] = []
    between = [b""]
    text_in_block = []
    for line in lines:
        if line.tokens is not None and len(line.tokens):
            text_in_block.append(sum(map(len, between)) + len(HEAD_START))
            between.append(line.head + _FIRST)
            blocks.append(b"".join(between))
            between = after_last(line)
        else:
            between.append(_whole(line))
    blocks.append(b"".join(between))
    return blocks, text_in_block


def _token_columns(
    tokened: Sequence[LineParts],
) -> tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The tokened lines' tokens one after the other: how many, each one's line (its index
    in `tokened`), start, end, whether a space follows, and index in its line; and where
    each line's last token is."""
    counts = np.array([len(line.tokens) for line in tokened if line.tokens is not None])
    tokens = int(counts.sum())
    rows = np.concatenate([line.tokens for line in tokened if line.tokens is not None])
    rows = rows.astype(np.int64, copy=False)
    owner = np.repeat(np.arange(len(tokened)), counts)
    first_token = np.cumsum(counts) - counts
    starts, ends, spaced = rows[:, 0], rows[:, 1], rows[:, 2].astype(bool)
    ids = np.arange(tokens, dtype=np.int64) - first_token[owner]
    return tokens, owner, starts, ends, spaced, ids, first_token + counts - 1


def _gathered_table(lines: Sequence[LineParts], top: int) -> np.ndarray:
    """The lines' bytes, five pieces a token: its text; '","start":' and its start, from a
    table; likewise its end and its index; and what follows it: ',"ws":true},{"text":"' (or
    false), or after a line's last token its "ws" and the bytes up to the next line's first
    token, which the source holds in one block."""
    tokened = [line for line in lines if line.tokens is not None and len(line.tokens)]
    blocks, text_in_block = _blocks(
        lines, lambda line: [_SPACE if line.tokens[-1, 2] else _NO_SPACE, _CLOSE, line.tail]
    )
    block_at = np.cumsum([0] + [len(block) for block in blocks])
    tables = [_TABLES[key].covering(top) for key in ("start", "end", "id")]
    follow_at = int(block_at[-1])
    table_at = follow_at + len(_SPACE_NEXT) + len(_NO_SPACE_NEXT)
    tokens, owner, starts, ends, spaced, ids, last = _token_columns(tokened)
    text_from, text_size = _escaped_texts(tokened, owner, starts, ends)
    text_from += (block_at[:-2] + np.array(text_in_block))[owner]
    parts = [np.frombuffer(b"".join(blocks) + _SPACE_NEXT + _NO_SPACE_NEXT, dtype=np.uint8)]
    size_all = table_at + sum(int(table.at[top + 1]) for table in tables)
    index = np.int32 if size_all < 2**31 else np.int64  # 32-bit where they fit
    read = np.empty((tokens, 5), dtype=index)
    size = np.empty((tokens, 5), dtype=index)
    read[:, 0], size[:, 0] = text_from, text_size
    for column, (table, values) in enumerate(zip(tables, (starts, ends, ids), strict=True), 1):
        used = int(table.at[top + 1])
        parts.append(table.data[:used])
        read[:, column] = table_at + table.at[values]
        size[:, column] = table.at[values + 1] - table.at[values]
        table_at += used
    read[:, 4] = np.where(spaced, follow_at, follow_at + len(_SPACE_NEXT))
    size[:, 4] = np.where(spaced, len(_SPACE_NEXT), len(_NO_SPACE_NEXT))
    read[last, 4], size[last, 4] = block_at[1:-1], np.diff(block_at)[1:]
    read_from = np.concatenate([np.zeros(1, dtype=index), read.ravel()])
    lengths = np.concatenate([np.array([block_at[1]], dtype=index), size.ravel()])
    return _gather(np.concatenate(parts), read_from, lengths)


def _escaped_texts(
    tokened: Sequence[LineParts], owner: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Where each token's escaped text begins in its line's escaped text, counted from that
    text's start, and its size in bytes."""
    texts = [line.text or "" for line in tokened]
    char_at = np.cumsum([0] + [len(text) for text in texts])
    escaped = np.zeros(int(char_at[-1]) + 1, dtype=np.int64)
    np.cumsum(_escaped_lengths("".join(texts)), out=escaped[1:])
    base = char_at[:-1][owner]
    text_from = escaped[starts + base]
    text_size = escaped[ends + base] - text_from
    text_from -= escaped[char_at[:-1]][owner]
    return text_from, text_size


def _gathered_digits(lines: Sequence[LineParts]) -> np.ndarray:
    """The lines' bytes. Every token is nine pieces: its text, '","start":', its start,
    ',"end":', its end, ',"id":', its index, ',"ws":true}' or ',"ws":false}', and what
    follows it: ',{"text":"', or after a line's last token the bytes up to the next line's
    first token ("]", the line's tail, any lines without tokens, the next one's head and
    '[{"text":"'), which the source holds in one block."""
    tokened = [line for line in lines if line.tokens is not None and len(line.tokens)]
    if not tokened:
        return np.frombuffer(b"".join(_whole(line) for line in lines), dtype=np.uint8)
    # The blocks between tokens, and where each tokened line's escaped text begins in them.
    blocks, text_in_block = _blocks(lines, lambda line: [_CLOSE, line.tail])
    block_at = np.cumsum([0] + [len(block) for block in blocks])
    constants_at = int(block_at[-1])
    digits_at = constants_at + len(_CONSTANTS)
    tokens, owner, starts, ends, spaced, ids, last = _token_columns(tokened)
    digits, width, digit_count = _digits(np.concatenate([starts, ends, ids]))
    digit_at = digits_at + np.arange(1, 3 * tokens + 1, dtype=np.int64) * width - digit_count
    # A token's escaped text: its article's escaped text (in the block before its first
    # token, after HEAD_START) between its edges.
    text_from, text_size = _escaped_texts(tokened, owner, starts, ends)
    text_from += (block_at[:-2] + np.array(text_in_block))[owner]
    # 32-bit where they fit: half the memory to go through.
    index = np.int32 if digits_at + len(digits) < 2**31 else np.int64
    read = np.empty((tokens, 9), dtype=index)
    size = np.empty((tokens, 9), dtype=index)
    read[:, 0], size[:, 0] = text_from, text_size
    read[:, 1], size[:, 1] = constants_at + _AT[_START], len(_START)
    read[:, 3], size[:, 3] = constants_at + _AT[_END], len(_END)
    read[:, 5], size[:, 5] = constants_at + _AT[_ID], len(_ID)
    for column, values in ((2, 0), (4, 1), (6, 2)):
        read[:, column] = digit_at[values * tokens : (values + 1) * tokens]
        size[:, column] = digit_count[values * tokens : (values + 1) * tokens]
    read[:, 7] = np.where(spaced, constants_at + _AT[_SPACE], constants_at + _AT[_NO_SPACE])
    size[:, 7] = np.where(spaced, len(_SPACE), len(_NO_SPACE))
    read[:, 8], size[:, 8] = constants_at + _AT[_NEXT], len(_NEXT)
    read[last, 8], size[last, 8] = block_at[1:-1], np.diff(block_at)[1:]
    source = np.concatenate(
        [
            np.frombuffer(b"".join(blocks), dtype=np.uint8),
            np.frombuffer(_CONSTANTS, dtype=np.uint8),
            digits,
        ]
    )
    read_from = np.concatenate([np.zeros(1, dtype=index), read.ravel()])
    lengths = np.concatenate([np.array([block_at[1]], dtype=index), size.ravel()])
    return _gather(source, read_from, lengths)


def _gather(source: np.ndarray, read_from: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The pieces source[read_from[i] : read_from[i] + lengths[i]], one after the other.
    Where each output byte is read from goes up by one within a piece and jumps at the next
    piece's start: a running sum of ones and jumps makes every index in two passes."""
    if not lengths.all():  # an empty piece would take the next one's jump
        kept = lengths > 0
        read_from, lengths = read_from[kept], lengths[kept]
    size = int(lengths.sum(dtype=np.int64))
    steps = np.ones(size, dtype=read_from.dtype)
    if size:
        steps[0] = read_from[0]
        steps[np.cumsum(lengths[:-1])] = read_from[1:] - (read_from[:-1] + lengths[:-1] - 1)
    np.cumsum(steps, out=steps)
    out = np.empty(size, dtype=np.uint8)
    np.take(source, steps, out=out)
    return out
