"""The tokens kappa counts: spaCy's tokenizer for the project's language, the tokens the
window snaps selections to (core.tokens), without tokenizing every article whole.

spaCy cuts a text at whitespace first and tokenizes each run of non-space characters on its
own (Tokenizer._tokenize_affixes; the runs are what str.split() returns: both go by Unicode
whitespace). So an article's token count is the sum of its runs' counts, and a run's count
can be remembered: news repeats its words, and a dictionary look-up costs far less than
spaCy's per-text overhead (a 3 KB article: 0.8 ms tokenized whole, a few µs here). The
tokens a span overlaps come from tokenizing only the runs the span touches.

core.tokens.Tokens also merges pieces of one grapheme cluster that spaCy cuts apart (a flag
emoji); those count as spaCy counts them here.
"""

from __future__ import annotations

# Distinct runs remembered before the memory is cleared: bounded memory on any corpus
# (a run and its count take ~100 bytes: ~30 MB at most).
CACHE_LIMIT = 300_000


class SpacyTokens:
    def __init__(self, language: str = "en") -> None:
        from annotator.core.tokens import blank_nlp

        self.tokenizer = blank_nlp(language).tokenizer
        self.counts: dict[str, int] = {}
        self.pieces: dict[str, tuple[tuple[int, int], ...]] = {}

    def count(self, text: str) -> int:
        runs = text.split()
        counts = self.counts
        try:
            return sum(map(counts.__getitem__, runs))  # every run seen before: one C loop
        except KeyError:
            pass
        if len(counts) >= CACHE_LIMIT:
            counts.clear()
        for run in runs:
            if run not in counts:
                counts[run] = len(self.tokenizer(run))
        return sum(map(counts.__getitem__, runs))

    def _pieces(self, run: str) -> tuple[tuple[int, int], ...]:
        """(start, end) of the tokens of one whitespace-free run, within the run."""
        found = self.pieces.get(run)
        if found is None:
            found = tuple((t.idx, t.idx + len(t)) for t in self.tokenizer(run))
            if len(self.pieces) >= CACHE_LIMIT:
                self.pieces.clear()
            self.pieces[run] = found
        return found

    def covering(self, text: str, start: int, end: int) -> list[int]:
        """Start offsets of the non-space tokens that overlap [start, end)."""
        start, end = max(start, 0), min(end, len(text))
        if start >= end:
            return []
        run = text[start:end]
        if (
            (start == 0 or text[start - 1].isspace())
            and (end == len(text) or text[end].isspace())
            and len(run.split()) == 1
            and run == run.strip()
        ):  # the span is one whole run (most are): its tokens, no walk
            return [start + s for s, _ in self._pieces(run)]
        left = start
        while left > 0 and not text[left - 1].isspace():
            left -= 1
        out = []
        position = left
        # the runs the span touches, from the one holding `start`
        for run in text[left:end].split():
            at = text.index(run, position)
            position = at + len(run)
            if position < end:
                pieces = self._pieces(run)
            else:  # the last run may go on past the span's end
                right = position
                while right < len(text) and not text[right].isspace():
                    right += 1
                run = text[at:right]
                pieces = self._pieces(run)
            out += [at + s for s, e in pieces if at + s < end and start < at + e]
        return out
