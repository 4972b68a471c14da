"""Agreement between annotators on spans, tokens and events (issue 15): Qt-free and SQL-free;
the store hands it each article's layers (annotator/store/layers.py)."""

from annotator.core.agreement.layers import (
    ArticleLayers,
    Layer,
    LayerArgument,
    LayerEvent,
    LayerSpan,
)
from annotator.core.agreement.report import Agreement, f1

__all__ = [
    "Agreement",
    "ArticleLayers",
    "Layer",
    "LayerArgument",
    "LayerEvent",
    "LayerSpan",
    "f1",
    "token_bounds",
]


def token_bounds(language: str = "en"):
    """Token starts and ends of a text as the window snaps selections (core.tokens)."""
    from annotator.core.tokens import Tokens

    def bounds(text: str) -> tuple[list[int], list[int]]:
        tokens = Tokens(text, language)
        return tokens.starts, tokens.ends

    return bounds
