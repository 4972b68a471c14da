"""Selections snap to spaCy's tokens, as in Prodigy's manual interface; or, with snapping
off, keep their characters minus leading and trailing spaces."""

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.tokens import Tokens, trim_whitespace

TEXT = "The leader of Kataib Hezbollah, and two of his guards, died in Baghdad.\n\nUS officials said."


def cut(start_word, end_word, start_shift=0, end_shift=0):
    """Offsets of a drag from inside one word to inside another."""
    start = TEXT.index(start_word) + start_shift
    end = TEXT.index(end_word) + len(end_word) + end_shift
    return start, end


def snapped_text(tokens, start, end):
    bounds = tokens.snap(start, end)
    return None if bounds is None else TEXT[bounds[0]:bounds[1]]


def test_a_drag_from_mid_word_to_mid_word_takes_the_whole_words():
    tokens = Tokens(TEXT)
    start, end = cut("Kataib", "Hezbollah", start_shift=2, end_shift=-4)  # "taib Hezbo"
    assert TEXT[start:end] == "taib Hezbo"
    assert snapped_text(tokens, start, end) == "Kataib Hezbollah"


def test_a_drag_backwards_snaps_the_same_way():
    tokens = Tokens(TEXT)
    start, end = cut("Kataib", "Hezbollah", 2, -4)
    assert tokens.snap(end, start) == tokens.snap(start, end)


def test_punctuation_is_its_own_token_and_is_left_out_unless_selected():
    tokens = Tokens(TEXT)
    start, end = cut("Baghdad", "Baghdad")
    assert snapped_text(tokens, start, end) == "Baghdad"
    assert snapped_text(tokens, start, end + 1) == "Baghdad."


def test_spaces_and_line_breaks_at_the_edges_of_a_selection_are_dropped():
    tokens = Tokens(TEXT)
    start = TEXT.index("Baghdad") - 4  # " in Baghdad.\n\nUS"
    end = TEXT.index("US") + 1
    assert snapped_text(tokens, start, end) == "in Baghdad.\n\nUS"
    assert snapped_text(tokens, TEXT.index(".\n") + 1, TEXT.index("US")) is None


def test_a_selection_of_only_whitespace_gives_no_span():
    tokens = Tokens(TEXT)
    space = TEXT.index(" of ")
    assert snapped_text(tokens, space, space + 1) is None
    assert snapped_text(tokens, space, space) is None


def test_double_click_finds_the_word_under_the_pointer_and_nothing_between_words():
    tokens = Tokens(TEXT)
    inside = TEXT.index("Hezbollah") + 3
    assert TEXT[slice(*tokens.word_at(inside))] == "Hezbollah"
    assert tokens.word_at(TEXT.index(" of ")) is None


def test_keyboard_token_cursor_moves_over_whole_tokens():
    tokens = Tokens(TEXT)
    first = tokens.index_at(TEXT.index("Kataib"))
    assert TEXT[slice(*tokens.token_range(first, first + 1))] == "Kataib Hezbollah"
    assert TEXT[slice(*tokens.token_range(first + 1, first))] == "Kataib Hezbollah"
    assert tokens.index_at(len(TEXT) + 10) == len(tokens) - 1  # clamped to the last token


def test_an_empty_text_has_no_tokens_and_snaps_nothing():
    tokens = Tokens("")
    assert len(tokens) == 0
    assert tokens.snap(0, 0) is None
    assert tokens.word_at(0) is None


def test_with_snapping_off_the_selection_keeps_its_characters_minus_spaces():
    start, end = cut("Kataib", "Hezbollah", 2, -4)
    assert trim_whitespace(TEXT, start - 3, end) == (start - 2, end)  # " Ka" -> "Ka", no snap
    assert TEXT[slice(*trim_whitespace(TEXT, start - 3, end))] == "Kataib Hezbo"
    assert trim_whitespace(TEXT, TEXT.index(".\n") + 1, TEXT.index("US")) is None


WORDS = st.lists(
    st.sampled_from(["Baghdad", "U.S.", "Hezbollah's", "2,500", "—", "(AP)", "café", " ", "  ",
                     "\n", "\t", "\u00a0", "e-mail", "don't", ":", "\u3000"]),
    max_size=25,
)


@settings(max_examples=200, deadline=None)
@given(WORDS, st.data())
def test_a_snapped_span_is_whole_tokens_covering_every_selected_letter(words, data):
    text = "".join(words)
    tokens = Tokens(text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(0, len(text)))
    lo, hi = sorted((start, end))
    bounds = tokens.snap(start, end)
    if not text[lo:hi].strip():
        assert bounds is None
        return
    assert bounds is not None
    s, e = bounds
    assert s in tokens.starts and e in tokens.ends
    assert not text[s].isspace() and not text[e - 1].isspace()
    letters = [i for i in range(lo, hi) if not text[i].isspace()]
    assert s <= letters[0] and letters[-1] < e
    assert tokens.snap(s, e) == (s, e)  # snapping is idempotent
