"""The article view's layout over generated Unicode text: spans are painted over exactly their
characters and a click on a character's drawn position gives back that character's offset.

The text mixes ASCII, astral emoji, ZWJ sequences, flags, combining marks, mathematical letters,
Hebrew and Arabic, and controls (NUL, BEL, ZWSP, BOM, tab). The layout's answers are compared
with Qt's own glyph runs for single characters (grapheme clusters found by the `regex`
module's \\X), which know nothing of the model's code-point offsets.
"""

import regex
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QFont

from annotator.core.model import Span
from annotator.qt.widgets.text_layout import TextLayout
from annotator.qt.widgets.utf16 import Utf16Map

PIECES = [
    "Berlin",
    "met",
    "the",
    "a",
    "😀",
    "🎉",
    "👩\u200d👩\u200d👧",
    "👍🏽",
    "🇩🇪",
    "🇫🇷",
    "©",
    "#\u20e3",
    "e\u0301",
    "n\u0303o",
    "𝐀𝐁",
    "𝔘",
    "שלום",
    "مرحبا",
    "\x00",
    "\x07",
    "\u200b",
    "\ufeff",
    "\t",
    "中文",
    "𠀋",
]
SEPARATORS = [" ", " ", " ", "", "\n", ", "]

texts = st.lists(
    st.tuples(st.sampled_from(PIECES), st.sampled_from(SEPARATORS)), min_size=1, max_size=40
).map(lambda parts: "".join(p + s for p, s in parts))


def clusters(text):
    """(start, end) of every grapheme cluster that is not a line break."""
    return [(m.start(), m.end()) for m in regex.finditer(r"\X", text) if m.group() != "\n"]


def drawn(layout, paragraph, line, start, end):
    """Where Qt draws the characters [start, end) of one line, from its glyph runs."""
    first = paragraph.to_qt(start)
    runs = line.line.glyphRuns(first, paragraph.to_qt(end) - first)
    return [(r.boundingRect().left(), r.boundingRect().right()) for r in runs]


def merged(ranges):
    out = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1] + 0.75:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def invisible(layout, start, end):
    """Whether text[start:end] (on one line) is drawn with no width at all."""
    if not start < end:
        return False
    paragraph, line = where(layout, start)
    return all(b - a < 0.5 for a, b in drawn(layout, paragraph, line, start, end))


def where(layout, offset):
    paragraph = layout.paragraphs[layout.paragraph_index(offset)]
    return paragraph, layout.line_of(paragraph, offset)


@st.composite
def text_and_spans(draw):
    text = draw(texts)
    bounds = sorted({s for s, _ in clusters(text)} | {e for _, e in clusters(text)})
    spans = []
    for i in range(draw(st.integers(0, 6))):
        start = draw(st.sampled_from(bounds))
        end = draw(st.sampled_from(bounds))
        if start < end:
            spans.append(Span(i + 1, 1, start, end, "LABEL"))
    width = draw(st.sampled_from([160.0, 300.0, 700.0]))
    return text, spans, width


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=text_and_spans())
# Cases found before: Qt's xToCursor off in a right-to-left paragraph's left-to-right line; a
# flag after an emoji split by Qt's cursor positions; a leading U+FEFF dropped on the way into
# Qt; characters of no width before the one clicked; two flags after an emoji (cursorToX half
# a flag off); a keycap (xToCursor answers the line's end on its right half).
@example(case=("שלום Berlin Berlin Berlin Berlin Berlin ", [], 160.0))
@example(case=("met 😀🇩🇪🇫🇷 Berlin", [Span(1, 1, 7, 9, "LABEL")], 700.0))
@example(case=("#\u20e3ab", [Span(1, 1, 0, 2, "LABEL")], 160.0))
@example(case=("😀🇩🇪 ", [Span(1, 1, 1, 3, "LABEL")], 160.0))
@example(case=("\ufeff 😀 ", [Span(1, 1, 2, 3, "LABEL")], 160.0))
@example(case=("\u200b\u200b, ", [], 160.0))
def test_spans_cover_exactly_their_characters_and_clicks_map_back(qapp, case):
    text, spans, width = case
    layout = TextLayout(QFont("DejaVu Sans", 13), QFont("DejaVu Sans", 9))
    layout.set_text(text, width)
    layout.set_spans(spans)
    pills = {}
    for paragraph in layout.paragraphs:
        for line in paragraph.lines:
            for pill in line.pills:
                pills[(pill.span.id, id(line))] = pill

    # Every span, on every line it reaches: its shading is where its characters are drawn.
    for span in spans:
        for start, end in clusters(text[span.start : span.end]):
            start, end = span.start + start, span.start + end
            paragraph, line = where(layout, start)
            pill = pills.get((span.id, id(line)))
            assert pill is not None, f"no mark for {text[start:end]!r} of {span}"
            painted = pill.pieces or (pill.x_text,)
            for a, b in drawn(layout, paragraph, line, start, end):
                if b - a < 0.5:
                    continue  # zero width (ZWSP, BOM): nothing to cover
                assert any(x1 - 0.75 <= a and b <= x2 + 0.75 for x1, x2 in painted), (
                    f"{text[start:end]!r} drawn at {a:.1f}-{b:.1f}, span painted at {painted}"
                )
        # ... and nothing else: a character outside the span is not under its shading.
        for start, end in clusters(text):
            if span.start <= start < span.end:
                continue
            paragraph, line = where(layout, start)
            pill = pills.get((span.id, id(line)))
            if pill is None:
                continue
            for a, b in drawn(layout, paragraph, line, start, end):
                if b - a < 1.5:
                    continue
                middle = (a + b) / 2
                assert not any(x1 + 0.5 < middle < x2 - 0.5 for x1, x2 in pill.pieces), (
                    f"{text[start:end]!r} (outside {text[span.start : span.end]!r}) under its mark"
                )

    # A click on a character's drawn middle is that character (a double-click's word).
    for start, end in clusters(text):
        paragraph, line = where(layout, start)
        pieces = merged(drawn(layout, paragraph, line, start, end))
        if len(pieces) != 1 or pieces[0][1] - pieces[0][0] < 3 or text[start:end].isspace():
            continue
        a, b = pieces[0]
        y = paragraph.top + line.y + line.text_height / 2
        got = layout.offset_at((a + b) / 2, y, on_character=True)
        assert got == start, f"click on {text[start:end]!r} at {start} gave {got}"
        # A press (a drag's start) near its leading edge is before it, near the other after.
        first = paragraph.to_qt(start)
        rtl = line.line.glyphRuns(first, paragraph.to_qt(end) - first)[0].isRightToLeft()
        leading, trailing = (b - 1, a + 1) if rtl else (a + 1, b - 1)
        # (Characters of no width, as U+200B, may stand on either side of that position.)
        before, after = layout.offset_at(leading, y), layout.offset_at(trailing, y)
        assert before == start or invisible(layout, before, start), f"press before {start}"
        assert after == end or invisible(layout, end, after), f"press after {start}"
        rect = layout.char_rect(start)
        assert rect.left() <= a + 0.75 and b - 0.75 <= rect.right()


@given(st.text(max_size=60))
def test_utf16_map_round_trips_every_code_point_offset(text):
    units = Utf16Map(text)
    utf16 = text.encode("utf-16-le", "surrogatepass")
    for offset in range(len(text) + 1):
        index = units.to_utf16(offset)
        assert index == len(text[:offset].encode("utf-16-le", "surrogatepass")) // 2
        assert units.to_code_point(index) == offset
        if offset < len(text) and ord(text[offset]) > 0xFFFF:
            assert units.to_code_point(index + 1) == offset  # inside a pair: its start
    assert units.to_utf16(len(text)) == len(utf16) // 2
    assert units.identity == (len(utf16) == 2 * len(text))
