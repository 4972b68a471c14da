"""Where a piece of text occurs in an article: the find bar's hits and "label all occurrences".

Offsets are code points of the text as stored, like every offset of the model. Matching is
done on the original text (never on a case-folded copy, whose length can differ: "ß" folds
to "ss"), so a hit's offsets are the text's own. A hit never cuts a grapheme cluster (an
emoji ZWJ sequence, a flag, a letter with its combining marks): "e" does not hit the "é" of
"e" + U+0301, nor "👩" the first person of "👩‍👩‍👧".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import regex

# A word character for "whole word": letters, digits, marks (a combining accent belongs to
# its letter) and connector punctuation, as Unicode's \w has it.
_WORD_CHARACTER = regex.compile(r"[\p{L}\p{M}\p{N}\p{Pc}]")
# What may join the character before it into one cluster (tokens.py keeps the full rules;
# for a hit's edges these are the ones a typed text can meet).
_JOINS_PREVIOUS = regex.compile(r"[\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}]")
_REGIONAL = regex.compile(r"\p{GCB=Regional_Indicator}")
# The article list's search (SQLite FTS5, unicode61): words are runs of letters and digits,
# compared without case and accents; the last word typed may be the start of one.
_SEARCH_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")
_QUERY_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class MatchOptions:
    """How a text is matched: case-insensitive by default; `match_case` makes it exact,
    `whole_word` keeps hits that are not inside a longer word."""

    match_case: bool = False
    whole_word: bool = False

    def describe(self) -> str:
        parts = ["exact case" if self.match_case else "any case"]
        if self.whole_word:
            parts.append("whole words")
        return ", ".join(parts)


def _pattern(needle: str, options: MatchOptions) -> re.Pattern[str]:
    flags = 0 if options.match_case else re.IGNORECASE
    return re.compile(re.escape(needle), flags)


def _is_word(text: str, at: int) -> bool:
    return 0 <= at < len(text) and _WORD_CHARACTER.match(text, at) is not None


def _cluster_edge(text: str, at: int) -> bool:
    """Whether a hit may start or end at `at` without cutting a grapheme cluster."""
    if at <= 0 or at >= len(text):
        return True
    if text[at - 1] == "\u200d":  # after a joiner: inside an emoji sequence
        return False
    if _REGIONAL.match(text, at) is not None:
        # Flags are pairs of regional indicators: an edge only after an even run of them.
        run = 0
        while run < at and _REGIONAL.match(text, at - run - 1) is not None:
            run += 1
        return run % 2 == 0
    return _JOINS_PREVIOUS.match(text, at) is None


def iter_occurrences(
    text: str, needle: str, options: MatchOptions = MatchOptions()
) -> Iterator[tuple[int, int]]:
    """Every (start, end) where `needle` occurs in `text`, left to right, not overlapping."""
    if not needle or not needle.strip():
        return
    pattern = _pattern(needle, options)
    at = 0
    while (found := pattern.search(text, at)) is not None:
        start, end = found.span()
        if end == start:  # cannot happen with a non-empty needle; never loop forever
            return
        if (
            _cluster_edge(text, start)
            and _cluster_edge(text, end)
            and not (
                options.whole_word
                and (
                    (_is_word(text, start) and _is_word(text, start - 1))
                    or (_is_word(text, end - 1) and _is_word(text, end))
                )
            )
        ):
            yield start, end
            at = end
        else:
            at = start + 1


def find_occurrences(
    text: str, needle: str, options: MatchOptions = MatchOptions()
) -> list[tuple[int, int]]:
    return list(iter_occurrences(text, needle, options))


def hit_at_or_after(hits: list[tuple[int, int]], offset: int) -> int:
    """The index of the first hit starting at or after `offset` (the first hit again past
    the last: a find wraps round)."""
    for index, (start, _) in enumerate(hits):
        if start >= offset:
            return index
    return 0


def _folded(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_hits(text: str, query: str) -> list[tuple[int, int]]:
    """The words of `text` that the article list's search matched: each word of the query
    found as a whole word, without case or accents, and the last also as a word's start
    (FTS5's prefix query), as store.articles.fts_query asks SQLite."""
    words = [_folded(w) for w in _QUERY_WORD.findall(query)]
    if not words:
        return []
    whole, prefix = set(words[:-1]), words[-1]
    hits = []
    for found in _SEARCH_WORD.finditer(text):
        word = _folded(found.group())
        if word in whole or word.startswith(prefix):
            hits.append(found.span())
    return hits
