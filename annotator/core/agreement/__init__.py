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
    """Token starts and ends of a text: the non-space tokens of spaCy's tokenizer for the
    project's language, the tokens the window snaps selections to (core.tokens). Read as
    arrays from the Doc, not token by token: 0.3 ms for a 2 KB article instead of 1 ms,
    which is most of the time agreement takes on a large corpus. (core.tokens.Tokens also
    fits tokens to grapheme clusters around invisible characters; that moves an edge inside
    a token, never the count of tokens, but for pieces of one flag emoji, counted apart
    here.)"""
    from spacy.attrs import IDX, IS_SPACE, LENGTH

    from annotator.core.tokens import blank_nlp

    nlp = blank_nlp(language)

    def bounds(text: str) -> tuple[list[int], list[int]]:
        rows = nlp.make_doc(text).to_array([IDX, LENGTH, IS_SPACE])
        if not len(rows):
            return [], []
        kept = rows[rows[:, 2] == 0]
        starts = kept[:, 0]
        return starts.tolist(), (starts + kept[:, 1]).tolist()

    return bounds
