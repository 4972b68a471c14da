"""Lining a stored span up with spaCy's tokens, for every export that tokenizes, and the
report's lines about the spans that did not fit (trimmed of spaces, widened, or dropped).

Kept apart from export_common, which needs the store: the spaCy export's shard processes
import this and spaCy only (each import of the store's modules cost a process a third of a
second at its start).
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.model import Article, Span
from annotator.core.tokens import trim_whitespace


@dataclass(frozen=True)
class Misaligned:
    """A stored span whose offsets are not on spaCy token boundaries, and what became of it."""

    article_id: int
    title: str
    start: int
    end: int
    text: str
    label: str
    exported: tuple[int, int] | None  # character offsets written instead; None: not written
    how: str  # "trimmed" (of spaces), "expanded" (to whole tokens) or "dropped" (no token)

    def describe(self) -> str:
        title = self.title if len(self.title) <= 50 else self.title[:49] + "…"
        where = f"article {self.article_id} ({title!r}): {self.start}-{self.end} {self.text!r} {self.label}"
        if self.exported is None:
            return f"{where}: NOT exported, it covers no token"
        what = "trimmed of spaces" if self.how == "trimmed" else "widened to whole tokens"
        return f"{where}: exported as {self.exported[0]}-{self.exported[1]} ({what})"


def align(doc, article: Article, span: Span, misaligned: list[Misaligned]):
    """The spaCy Span for a stored span, or None; anything but an exact fit goes to `misaligned`.

    Leading and trailing spaces are trimmed first (a tokenizer never puts them in a word);
    what still falls inside a token is widened with alignment_mode="expand".
    """
    trimmed = trim_whitespace(article.text, span.start, span.end)
    result, how = None, "dropped"
    if trimmed is not None:
        result = doc.char_span(*trimmed, label=span.label, alignment_mode="strict")
        how = "trimmed"
        if result is None:
            result = doc.char_span(*trimmed, label=span.label, alignment_mode="expand")
            how = "expanded"
            if result is not None and len(result) == 0:
                result, how = None, "dropped"
    # A strict match has exactly the characters asked for (and covers a token, as
    # start < end): it is exact when nothing was trimmed. Known so, the Span's character
    # offsets (computed on each read) need no reading for the usual span.
    if how == "trimmed":
        exact = trimmed == (span.start, span.end)
    else:
        exact = result is not None and (result.start_char, result.end_char) == (
            span.start,
            span.end,
        )
    if not exact:
        misaligned.append(
            Misaligned(
                article.id,
                article.title,
                span.start,
                span.end,
                article.text[span.start : span.end],
                span.label,
                None if result is None else (result.start_char, result.end_char),
                how,
            )
        )
    return result


def misaligned_lines(misaligned: list[Misaligned]) -> list[str]:
    if not misaligned:
        return ["Every span lines up with spaCy's token boundaries."]
    dropped = sum(1 for item in misaligned if item.exported is None)
    head = (
        f"Spans not on token boundaries: {len(misaligned)} (exported trimmed of spaces or "
        'widened to whole tokens with alignment_mode="expand"'
    )
    head += f"; {dropped} covering no token not exported):" if dropped else "):"
    return [head] + [f"  {item.describe()}" for item in misaligned]
