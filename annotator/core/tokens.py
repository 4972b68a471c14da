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
# Below U+0300 every character but CR LF is a cluster of its own (no combining marks, joiners or
# regional indicators there), so a boundary between two such characters needs no look.
_FIRST_JOINING = "\u0300"
# What may join the character before it (a mark, a joiner, a Hangul vowel or final, the second
# of a pair of regional indicators, LF after CR), and what may join the one after it (a
# prepended mark, a Hangul syllable's first part, a joiner or a virama, CR): grapheme cluster
# break rules GB3-GB13. A position with neither on its sides is certainly a boundary.
_JOINS_PREVIOUS = regex.compile(
    r"[\n\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}\p{GCB=V}\p{GCB=T}\p{GCB=LV}"
    r"\p{GCB=LVT}\p{GCB=Regional_Indicator}]"
)
_JOINS_NEXT = regex.compile(
    r"[\r\p{GCB=Prepend}\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=L}\p{GCB=V}\p{GCB=T}\p{GCB=LV}"
    r"\p{GCB=LVT}\p{GCB=Regional_Indicator}]"
)
# Characters a reader does not see as part of a word at its edges: spaces, and format (Cf) and
# control (Cc) characters, which scraped news glues to words (ZWSP, BOM, NUL, U+2060).
_BLANK_CHARACTER = regex.compile(r"[\s\p{Cc}\p{Cf}]")
_BLANK_CLUSTER = regex.compile(r"[\s\p{Cc}\p{Cf}]+")
# Any character next to which a token edge needs a look: either set above, or blank but for
# the plain space (which spaCy never puts in a token).
_SPECIAL = regex.compile(
    r"[\n\r\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}\p{GCB=Prepend}\p{GCB=L}"
    r"\p{GCB=V}\p{GCB=T}\p{GCB=LV}\p{GCB=LVT}\p{GCB=Regional_Indicator}\p{Cc}\p{Cf}[\s--[ ]]]",
    regex.V1,
)


@lru_cache(maxsize=4)
def blank_nlp(language: str = "en"):
    import spacy

    nlp = spacy.blank(language)
    # Articles longer than spaCy's default limit are legitimate here; tokenizing only needs
    # memory in proportion to the text.
    nlp.max_length = 50_000_000
    return nlp


class Tokens:
    """The non-space tokens of one text, as sorted character boundaries.

    Every boundary is one between grapheme clusters (what a reader sees as one character), and
    no token begins or ends with characters drawn with no width (format and control
    characters: ZWSP, BOM, NUL, WORD JOINER, bidi marks), so that a double-click, a key or a
    snapped selection takes the word a reader sees. spaCy keeps such characters in its tokens
    ("\u200bBerlin"); an export then widens a span to spaCy's token and reports it.
    """

    def __init__(self, text: str, language: str = "en"):
        doc = blank_nlp(language).make_doc(text)
        self.starts: list[int] = []
        self.ends: list[int] = []
        # Where a token edge may need a look (one pass; in most news text only line breaks).
        special = {m.start() for m in _SPECIAL.finditer(text)}
        origin = 0  # a cluster boundary at or before the current token, where scans begin
        for token in doc:
            if token.is_space:
                continue
            start = token.idx
            end = start + len(token)
            if special and (
                start - 1 in special or start in special or end - 1 in special or end in special
            ):
                fitted = _fit_to_clusters(text, start, end, origin)
                if fitted is None:  # nothing but invisible characters (a lone NUL or ZWSP)
                    continue
                start, end = fitted
            origin = start
            if self.ends and self.ends[-1] > start:
                # Pieces of one cluster (spaCy cuts a flag or a ZWJ sequence by code point).
                self.ends[-1] = max(self.ends[-1], end)
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


def _certain_boundary(text: str, at: int) -> bool:
    """Whether `at` is a cluster boundary, decided from its two neighbours without segmenting:
    no rule of Unicode's segmentation (UAX #29) can join them. False means "look", not "no"."""
    if at <= 0 or at >= len(text):
        return True
    before, after = text[at - 1], text[at]
    if before < _FIRST_JOINING and after < _FIRST_JOINING:
        return not (before == "\r" and after == "\n")
    return not _JOINS_PREVIOUS.match(after) and not _JOINS_NEXT.match(before)


def _fit_to_clusters(text: str, start: int, end: int, origin: int) -> tuple[int, int] | None:
    """A token's edges moved to grapheme cluster boundaries, then past blank clusters.

    spaCy cuts by code point: a flag (🇩🇪) or a ZWJ sequence (👩‍👩‍👧) into pieces, a combining
    mark after a space (" \u0301x") off its cluster. Each edge is widened to its cluster's
    (pieces of one cluster then overlap, and the caller joins them); a combining mark is never
    dropped. `origin` is a cluster boundary at or before start."""
    if not _certain_boundary(text, start):
        start = cluster_at(text, start, origin)[0]
    if not _certain_boundary(text, end):
        first, last = cluster_at(text, end, start)
        end = last if first < end else end
    return _trim_blank_clusters(text, start, end)


def _trim_blank_clusters(text: str, start: int, end: int) -> tuple[int, int] | None:
    """[start, end) (cluster boundaries) without its leading and trailing clusters made only
    of spaces and format/control characters; None if nothing else is left. A cluster with a
    visible character in it (a flag's tag sequence, ZWJ after a letter) is kept whole."""
    if start >= end:
        return None
    first_char, last_char = text[start], text[end - 1]
    if ("!" <= first_char <= "~" or not _BLANK_CHARACTER.match(first_char)) and (
        "!" <= last_char <= "~" or not _BLANK_CHARACTER.match(last_char)
    ):
        return start, end
    clusters = [(m.start(), m.end()) for m in _CLUSTER.finditer(text, start, end)]
    first, last = 0, len(clusters)
    while first < last and _BLANK_CLUSTER.fullmatch(text, *clusters[first]):
        first += 1
    while last > first and _BLANK_CLUSTER.fullmatch(text, *clusters[last - 1]):
        last -= 1
    if first == last:
        return None
    return clusters[first][0], clusters[last - 1][1]


def cluster_at(text: str, offset: int, origin: int = 0) -> tuple[int, int]:
    """The grapheme cluster (what a reader sees as one character: an emoji ZWJ sequence, a
    flag, a letter with its combining marks) that holds offset, as (start, end). `origin` is a
    cluster boundary at or before offset where the scan may begin (a line's start)."""
    if offset >= len(text):
        return len(text), len(text)
    if _certain_boundary(text, offset) and _certain_boundary(text, offset + 1):
        return offset, offset + 1
    for match in _CLUSTER.finditer(text, min(origin, offset)):
        if match.end() > offset:
            return match.start(), match.end()
    return offset, offset + 1


def trim_selection(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Without snapping, a selection still never begins or ends with spaces or characters of
    no width (as a token never does); whole grapheme clusters at a time."""
    return _trim_blank_clusters(text, start, end)


def trim_whitespace(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A stored span without leading or trailing spaces (what a tokenizer can match: exports);
    unlike trim_selection it keeps invisible characters, which spaCy keeps in its tokens."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None
