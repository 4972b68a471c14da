"""Token boundaries from spaCy's tokenizer, and snapping selections to them.

Selections snap to whole tokens, as in Prodigy's manual interface, so that exported spans line
up with spaCy's tokens. spaCy is imported on first use: opening a project must not wait for it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import lru_cache

import regex

# \X is one extended grapheme cluster (Unicode's "user-perceived character").
_CLUSTER = regex.compile(r"\X")
# Below U+0300 every character is a cluster of its own (no combining marks, joiners or regional
# indicators there), so a boundary between two such characters needs no look.
_FIRST_JOINING = "\u0300"


@lru_cache(maxsize=4)
def blank_nlp(language: str = "en"):
    import spacy

    nlp = spacy.blank(language)
    # Articles longer than spaCy's default limit are legitimate here; tokenizing only needs
    # memory in proportion to the text.
    nlp.max_length = 50_000_000
    return nlp


class Tokens:
    """The non-space tokens of one text, as sorted character boundaries."""

    def __init__(self, text: str, language: str = "en"):
        doc = blank_nlp(language).make_doc(text)
        self.starts: list[int] = []
        self.ends: list[int] = []
        for token in doc:
            if token.is_space:
                continue
            start, end = token.idx, token.idx + len(token.text)
            if (
                self.ends
                and self.ends[-1] == start
                and _inside_cluster(text, self.starts[-1], end, start)
            ):
                # spaCy splits a ZWJ sequence (👩‍👩‍👧) or a flag (🇩🇪) into code points; a
                # token boundary inside what a reader sees as one character would let a
                # selection, a key or a double-click take half of it. One token instead.
                self.ends[-1] = end
                continue
            self.starts.append(start)
            self.ends.append(end)

    def __len__(self) -> int:
        return len(self.starts)

    def index_at(self, offset: int) -> int:
        """The token that contains offset, or the first one after it (clamped to the last)."""
        i = bisect_right(self.ends, offset)
        return min(i, len(self.starts) - 1)

    def snap(self, start: int, end: int) -> tuple[int, int] | None:
        """Widen [start, end) to whole tokens; None if it covers no token at all."""
        if start > end:
            start, end = end, start
        if start == end:  # an empty selection (a click) covers nothing, even inside a word
            return None
        first = bisect_right(self.ends, start)  # first token ending after start
        last = bisect_left(self.starts, end) - 1  # last token starting before end
        if first >= len(self.starts) or last < first:
            return None
        return self.starts[first], self.ends[last]

    def token_range(self, first: int, last: int) -> tuple[int, int]:
        first, last = sorted((first, last))
        return self.starts[first], self.ends[last]

    def word_at(self, offset: int) -> tuple[int, int] | None:
        """The token under a character offset (for double-click), or None between tokens."""
        if not self.starts:
            return None
        i = bisect_right(self.starts, offset) - 1
        if i >= 0 and self.starts[i] <= offset < self.ends[i]:
            return self.starts[i], self.ends[i]
        return None


def _inside_cluster(text: str, start: int, end: int, at: int) -> bool:
    """Whether `at` falls inside a grapheme cluster of text[start:end] (start being a
    cluster boundary, as a token's start is)."""
    if text[at - 1] < _FIRST_JOINING and text[at] < _FIRST_JOINING:
        return False
    for match in _CLUSTER.finditer(text, start, end):
        if match.end() >= at:
            return match.end() != at
    return False


def cluster_at(text: str, offset: int, origin: int = 0) -> tuple[int, int]:
    """The grapheme cluster (what a reader sees as one character: an emoji ZWJ sequence, a
    flag, a letter with its combining marks) that holds offset, as (start, end). `origin` is a
    cluster boundary at or before offset where the scan may begin (a line's start)."""
    if offset >= len(text):
        return len(text), len(text)
    before = text[offset - 1] if offset > 0 else " "
    after = text[offset + 1] if offset + 1 < len(text) else " "
    if (
        text[offset] < _FIRST_JOINING
        and before < _FIRST_JOINING
        and after < _FIRST_JOINING
        and not (before == "\r" and text[offset] == "\n")
        and not (text[offset] == "\r" and after == "\n")
    ):
        return offset, offset + 1
    for match in _CLUSTER.finditer(text, min(origin, offset)):
        if match.end() > offset:
            return match.start(), match.end()
    return offset, offset + 1


def trim_whitespace(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Without snapping, still never keep leading or trailing spaces in a span."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None
