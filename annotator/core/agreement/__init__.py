"""Agreement between annotators on spans, tokens and events (issue 15): Qt-free and SQL-free;
the store hands it each article's layers (annotator/store/layers.py)."""

from annotator.core.agreement.layers import (
    ArticleLayers,
    LayerArgument,
    LayerEvent,
    LayerSpan,
    LayerUnits,
)
from annotator.core.agreement.report import Agreement, f1
from annotator.core.agreement.spacy_tokens import SpacyTokens

__all__ = [
    "Agreement",
    "ArticleLayers",
    "LayerUnits",
    "LayerArgument",
    "LayerEvent",
    "LayerSpan",
    "SpacyTokens",
    "f1",
    "spacy_tokens",
]


def spacy_tokens(language: str = "en") -> SpacyTokens:
    """The tokens kappa counts, for a project's language (spacy_tokens.py)."""
    return SpacyTokens(language)
