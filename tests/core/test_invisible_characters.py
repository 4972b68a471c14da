"""Characters drawn with no width glued to a word (ZWSP, BOM, NUL, WORD JOINER, bidi marks:
Unicode's format and control characters) stay out of what a person selects.

Scraped news carries them; spaCy keeps them in its tokens ("\\u200bBerlin"), so a double-click
on "Berlin" stored "\\u200bBerlin" and brat's T line, CoNLL's token and every exported span
text carried the invisible character. A double-click, the token keys and a snapped drag now
take the word a reader sees; a drag with snapping off is trimmed the same way. Offsets an
import gives are kept as they are (tests/formats: round trips).
"""

import pytest

from annotator.core.interaction import Interaction, carry_out
from annotator.core.session import Session
from annotator.core.tokens import Tokens, trim_selection
from annotator.formats.importer import import_paths
from tests.conftest import on_disk

INVISIBLE = ["\u200b", "\ufeff", "\x00", "\u2060", "\u200e", "\u00ad"]


@pytest.mark.parametrize("invisible", INVISIBLE)
def test_a_double_click_on_a_word_next_to_an_invisible_character_takes_the_word(invisible):
    text = f"Flights to {invisible}Berlin{invisible} resumed."
    tokens = Tokens(text)
    start, end = tokens.word_at(text.index("Berlin") + 2)
    assert text[start:end] == "Berlin"
    # A drag from the invisible character over the word snaps to the word too.
    first = text.index(invisible)
    assert tokens.snap(first, first + 3) == (start, end)
    # And a character of no width on its own is no word.
    assert tokens.word_at(first) is None


def test_a_cluster_with_a_visible_character_is_kept_whole():
    """Trimming goes by grapheme cluster: the tags of England's flag are format characters,
    and a prepended mark (U+0600) belongs to the number after it."""
    england = "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
    for word in (england, "\u0600" + "١٢", "Berlin\u200d"):
        text = f"at {word} now"
        tokens = Tokens(text)
        assert text[slice(*tokens.word_at(text.index(word)))] == word


def test_a_selection_without_snapping_is_trimmed_of_invisible_characters():
    text = "Flights to \u200bBerlin\u200b resumed."
    start, end = trim_selection(text, 10, 19)  # " \u200bBerlin\u200b"
    assert text[start:end] == "Berlin"
    assert trim_selection(text, 11, 12) is None  # the ZWSP alone: nothing to label
    assert trim_selection("a\u200b\u0301b", 0, 4) == (0, 4)  # a ZWSP with a mark is drawn


@pytest.fixture
def glued(store, tmp_path):
    (tmp_path / "a.txt").write_text(
        "Flights to \u200bBerlin resumed.\n\nThe \ufeffParis\u2060 talks ended.\n", encoding="utf-8"
    )
    import_paths(store, [tmp_path / "a.txt"])
    session = Session(store)
    session.open_first()
    return Interaction(session)


def stored(interaction):
    text = interaction.session.article.text
    found = on_disk(interaction.session.store, "SELECT start, end, label FROM spans ORDER BY id")
    return [(text[s:e], label) for s, e, label in found]


def press(interaction, *keys):
    for key in keys:
        carry_out(interaction.press(key), interaction.session.apply, lambda question: False)


def test_double_click_keys_and_drags_store_the_word_in_sqlite(glued):
    text = glued.session.article.text
    glued.select_word(text.index("Berlin") + 1)  # what a double-click does
    press(glued, "g")
    # The token keys: from "Berlin" over "resumed", ".", "The" to "Paris".
    press(glued, "Right", "Right", "Right", "Right")
    assert text[slice(*glued.selection())] == "Paris"
    press(glued, "g")
    # A drag over the invisible characters with snapping off.
    glued.session.snap_to_tokens = False
    paris = text.index("Paris")
    glued.select_text(paris - 2, paris + 6)  # " \ufeffParis\u2060"
    press(glued, "o")
    assert stored(glued) == [("Berlin", "GPE"), ("Paris", "GPE"), ("Paris", "ORG")]
