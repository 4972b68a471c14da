"""Tokens and the view's hit testing never cut what a reader sees as one character: spaCy
splits ZWJ emoji sequences and flags into code points, the token list joins them back; a
combining mark after a space stays with its cluster; and no token begins or ends with a
character drawn with no width (format and control characters)."""

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.tokens import Tokens, blank_nlp, cluster_at

PIECES = ["Berlin", "met", "👩\u200d👩\u200d👧", "🇩🇪", "🇫🇷", "👍🏽", "e\u0301", "😀", "𝐀",
          "שלום", "\x00", "\u200b", "\ufeff", "!", ",", "\r\n",
          # A mark or a joiner where a word may begin; a prepended mark; a lone tag; Hangul
          # jamo; a virama conjunct; a word joiner and a bidi mark.
          "\u0301", "\u200d", "\u0600", "\U000e0067", "\u1100\u1161\u11a8", "\u0915\u094d\u0937",
          "\u2060", "\u200f", "(", "Ж"]
INVISIBLE = regex.compile(r"[\s\p{Cc}\p{Cf}]+")


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
    pairs = list(zip(tokens.starts, tokens.ends, strict=True))
    assert all(s < e for s, e in pairs) and all(e1 <= s2 for (_, e1), (s2, _) in zip(pairs, pairs[1:]))
    for start, end in pairs:
        clusters = regex.findall(r"\X", text[start:end])
        # Neither edge is a cluster of invisible characters only ...
        assert not INVISIBLE.fullmatch(clusters[0]) and not INVISIBLE.fullmatch(clusters[-1])
    # ... and every visible character spaCy put in a token is in one of ours.
    covered = {i for s, e in pairs for i in range(s, e)}
    for token in blank_nlp().make_doc(text):
        if token.is_space:
            continue
        for m in regex.finditer(r"\X", text):
            inside = m.start() < token.idx + len(token) and token.idx < m.end()
            if inside and not INVISIBLE.fullmatch(m.group()):
                assert set(range(m.start(), m.end())) <= covered, m.group()
    for offset in range(len(text)):
        start, end = cluster_at(text, offset)
        assert start in allowed and end in allowed and start <= offset < end
        assert not any(start < b < end for b in allowed)


def test_a_mark_after_a_space_stays_in_its_cluster_and_in_the_word():
    """A combining mark after a space (a spacing diacritic written that way) starts spaCy's
    next token inside the cluster " \u0301". The token takes the whole cluster, so a
    double-click on the accent takes it, and the mark is not dropped."""
    text = "word \u0301x next"
    tokens = Tokens(text)
    words = [text[s:e] for s, e in zip(tokens.starts, tokens.ends, strict=True)]
    assert words == ["word", " \u0301x", "next"]
    assert tokens.word_at(text.index("\u0301")) == (4, 7)
    punctuated = Tokens("(\u0301x")  # "(" and its mark are one cluster: one token
    assert (punctuated.starts, punctuated.ends) == ([0], [3])
