"""Token boundaries from spaCy's tokenizer, and snapping selections to them.

Selections snap to whole tokens, as in Prodigy's manual interface, so that exported spans line
up with spaCy's tokens. spaCy is imported on first use: opening a project must not wait for it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import lru_cache


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
            self.starts.append(token.idx)
            self.ends.append(token.idx + len(token.text))

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


def trim_whitespace(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Without snapping, still never keep leading or trailing spaces in a span."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None
