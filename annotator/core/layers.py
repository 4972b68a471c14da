"""Annotator layers: each person's spans and events on one article, as the store keeps them
(every row says who made it). Adjudication and agreement read these; nothing here knows how
a layer got into the project (typed in the window, imported, or merged from a copy)."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.model import Event, Span

# The layer of rows stored before names were kept (annotator NULL in the file).
UNNAMED = "(unnamed)"
# The adjudicated layer (core/adjudication): a reserved name no person can take (Edit › Your
# name…, --annotator refuse it), so gold rows are never mistaken for someone's own work.
GOLD = "gold"


def reserved_name(name: str) -> bool:
    """Names a person can't annotate under: gold's, and the unnamed layer's."""
    return name.strip().casefold() in (GOLD, UNNAMED)


@dataclass(frozen=True)
class Layer:
    """One annotator's accepted spans (entities and triggers) and events on one article."""

    annotator: str
    article_id: int
    spans: tuple[Span, ...] = ()
    events: tuple[Event, ...] = ()


def initials(name: str) -> str:
    """What a span's tag shows of its annotator when several share an article: the first
    letter of each word ("Ana María Ruiz" -> "AMR"), at most three; a one-word name gives its
    first two letters ("alice" -> "Al") so that "alice" and "anna" stay apart more often."""
    words = [word for word in name.replace("_", " ").replace(".", " ").split() if word]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].capitalize()
    return "".join(word[0].upper() for word in words[:3])


def tag_label(span: Span, several: bool) -> str:
    """The name on a span's tag in the view: its label, and its annotator's initials when
    more than one person's spans are on the article (until adjudication shows layers side
    by side, this is how one tells them apart)."""
    if several and span.annotator:
        who = "★ gold" if span.annotator == GOLD else initials(span.annotator)
        return f"{span.label} · {who}"
    return span.label


def several_annotators(spans: list[Span]) -> bool:
    return len({span.annotator for span in spans if span.annotator}) > 1
