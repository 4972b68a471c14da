"""What agreement compares: per article, each annotator's spans and events, as plain offsets.

The agreement maths knows nothing of how the layers got there (typed, imported with
--annotator, or merged from a copy): from_layers.py turns the store's layers (core/layers.py,
rows with ids) into these records, and the figures come from these alone. Two annotators' rows
never share ids, so everything here is offsets, labels and roles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

# Named tuples, not frozen dataclasses: a large project's layers make millions of these, and a
# tuple is built several times faster.


class LayerSpan(NamedTuple):
    """An entity span of one annotator: character offsets (code points) and its label."""

    start: int
    end: int
    label: str


class LayerArgument(NamedTuple):
    """A role filled by a span, given by its offsets: arguments of two annotators match on
    role and filler offsets, since their rows never share ids. An argument that is another
    event is given by that event's trigger offsets."""

    role: str
    start: int
    end: int


class LayerEvent(NamedTuple):
    """An event of one annotator: its type, its trigger's offsets and its arguments."""

    type: str
    start: int
    end: int
    arguments: tuple[LayerArgument, ...] = ()


class LayerUnits(NamedTuple):
    """What agreement compares of one annotator's layer on one article."""

    spans: tuple[LayerSpan, ...] = ()
    events: tuple[LayerEvent, ...] = ()


@dataclass
class ArticleLayers:
    """One article's text and the layers of the annotators who touched it (an annotator
    absent from `layers` did not touch the article: it takes no part in its figures)."""

    article_id: int
    text: str
    layers: dict[str, LayerUnits] = field(default_factory=dict)
