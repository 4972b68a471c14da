"""Tokens and the view's hit testing never cut what a reader sees as one character: spaCy
splits ZWJ emoji sequences and flags into code points, the token list joins them back."""

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.tokens import Tokens, cluster_at

PIECES = ["Berlin", "met", "👩\u200d👩\u200d👧", "🇩🇪", "🇫🇷", "👍🏽", "e\u0301", "😀", "𝐀",
          "שלום", "\x00", "\u200b", "\ufeff", "!", ",", "\r\n"]


def boundaries(text):
    return {m.start() for m in regex.finditer(r"\X", text)} | {len(text)}


def test_emoji_sequences_and_flags_are_one_token_each():
    text = "Hi 👩\u200d👩\u200d👧 met 🇩🇪🇫🇷 and 👍🏽! in Berlin"
    tokens = Tokens(text)
    words = [text[s:e] for s, e in zip(tokens.starts, tokens.ends, strict=True)]
    assert words == ["Hi", "👩\u200d👩\u200d👧", "met", "🇩🇪", "🇫🇷", "and", "👍🏽", "!", "in",
                     "Berlin"]
    flag = text.index("🇩🇪")
    assert tokens.word_at(flag + 1) == (flag, flag + 2)  # the second indicator: the same flag


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(["", " ", "\n"])),
                max_size=30).map(lambda parts: "".join(p + s for p, s in parts)))
def test_token_edges_and_clusters_are_grapheme_boundaries(text):
    allowed = boundaries(text)
    tokens = Tokens(text)
    assert set(tokens.starts) <= allowed and set(tokens.ends) <= allowed
    for offset in range(len(text)):
        start, end = cluster_at(text, offset)
        assert start in allowed and end in allowed and start <= offset < end
        assert not any(start < b < end for b in allowed)
