"""Finding a text in an article: the offsets are the stored text's code points, whatever comes
before a hit, and the options mean what a person expects."""

import pytest

from annotator.core.occurrences import (
    MatchOptions,
    find_occurrences,
    hit_at_or_after,
    search_hits,
)

ANY_CASE = MatchOptions()
EXACT = MatchOptions(match_case=True)
WHOLE = MatchOptions(whole_word=True)


def texts(text, hits):
    return [text[start:end] for start, end in hits]


def test_case_insensitive_by_default_exact_on_request():
    text = "Kataib Hezbollah said; KATAIB HEZBOLLAH denied; kataib hezbollah's men"
    assert texts(text, find_occurrences(text, "kataib hezbollah")) == [
        "Kataib Hezbollah",
        "KATAIB HEZBOLLAH",
        "kataib hezbollah",
    ]
    assert texts(text, find_occurrences(text, "Kataib Hezbollah", EXACT)) == ["Kataib Hezbollah"]


def test_whole_word_does_not_match_inside_words():
    text = "Iraq and the Iraqi capital; Iraq's border, (Iraq), pre-Iraq"
    inside = find_occurrences(text, "Iraq")
    whole = find_occurrences(text, "Iraq", WHOLE)
    assert len(inside) == 5 and (13, 17) in inside  # "Iraq" of "Iraqi"
    assert (13, 17) not in whole
    assert texts(text, whole) == ["Iraq"] * 4
    assert [start for start, _ in whole] == [0, 28, 44, 55]


def test_a_combining_mark_belongs_to_its_letter():
    text = "cafe\u0301 and cafe"  # "café" written as e + COMBINING ACUTE ACCENT
    # "cafe" would cut the "é" cluster in two: it is not a hit there, in either mode.
    assert find_occurrences(text, "cafe") == [(10, 14)]
    assert find_occurrences(text, "cafe", WHOLE) == [(10, 14)]
    assert find_occurrences(text, "cafe\u0301") == [(0, 5)]


@pytest.mark.parametrize(
    "before",
    [
        "👩‍👩‍👧 ",  # a ZWJ family: 5 code points, 8 UTF-16 units
        "🇩🇪 🇫🇷 ",  # flags: pairs of regional indicators
        "e\u0301\u0301 ",  # stacked combining marks
        "بغداد، العراق ",  # right-to-left text
        "𝐁𝐨𝐥𝐝 ",  # mathematical letters beyond U+FFFF
    ],
)
def test_offsets_are_code_points_whatever_comes_before(before):
    text = before + "Baghdad, then " + before + "baghdad"
    hits = find_occurrences(text, "Baghdad", WHOLE)
    assert hits == [(len(before), len(before) + 7), (len(text) - 7, len(text))]
    assert texts(text, hits) == ["Baghdad", "baghdad"]


def test_emoji_are_found_whole_never_in_part():
    text = "👩‍👩‍👧 and 👩 and 🇩🇪🇫🇷"
    assert find_occurrences(text, "👩") == [(10, 11)]  # not the family's first person
    assert find_occurrences(text, "🇫🇷") == [(18, 20)]
    assert find_occurrences(text, "🇪🇫") == []  # the halves of two flags


def test_nothing_to_find():
    assert find_occurrences("some text", "") == []
    assert find_occurrences("some text", "   ") == []
    assert find_occurrences("aaaa", "aa") == [(0, 2), (2, 4)]  # not overlapping


def test_the_hit_to_go_to_wraps_round():
    hits = [(5, 8), (20, 23), (40, 43)]
    assert hit_at_or_after(hits, 0) == 0
    assert hit_at_or_after(hits, 6) == 1
    assert hit_at_or_after(hits, 41) == 0


def test_the_list_searchs_words_as_sqlite_matches_them():
    text = "The Pentagon said Kataib Hezbollah's leader, and Pentagonal, were in Baghdad."
    found = texts(text, search_hits(text, "kataib pentag"))
    # every word whole, without case; the last also as the start of a word
    assert found == ["Pentagon", "Kataib", "Pentagonal"]
    assert texts("Café cafe", search_hits("Café cafe", "CAFE")) == ["Café", "cafe"]
    assert search_hits(text, "  ") == []
