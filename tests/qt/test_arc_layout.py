"""Arc geometry (annotator/qt/widgets/arc_layout.py) checked as geometry: labels never overlap
one another, no leg crosses a label, runs sharing a slot keep apart, everything stays in the
line's width and in the room above the text (so no word or tag under the line is covered)."""

import random

from annotator.qt.widgets.arc_layout import (
    LABEL_GAP,
    ArcEnd,
    ArcSpec,
    layout_arcs,
    slot_y,
)

WIDTH = 600.0
SLOT = 16.0
GAP = 2.0


def rect_of(fragment):
    """The label's rectangle in pixels (y relative to the text line's top)."""
    a, b = fragment.label
    y = slot_y(fragment.slot, SLOT, GAP)
    return a, y - (SLOT - 2) / 2, b, y + (SLOT - 2) / 2


def overlaps(r, s):
    return r[0] < s[2] and s[0] < r[2] and r[1] < s[3] and s[1] < r[3]


def check(result):
    """Asserts the hard rules; returns how many (label, leg) crossings there are and how many
    labels (a leg behind a label is hidden by it: the label stays readable, the leg is cut)."""
    crossings = labels = 0
    for line, fragments in result.by_line.items():
        labelled = [f for f in fragments if f.label is not None]
        for i, f in enumerate(labelled):
            r = rect_of(f)
            assert 0 <= r[0] and r[2] <= WIDTH, f"label out of the line: {r}"
            assert r[3] <= 0, "label reaches into the text line"
            top = slot_y(result.slots[line] - 1, SLOT, GAP) - SLOT / 2
            assert r[1] >= top - 0.01, "label above the room the line reserves"
            for g in labelled[i + 1:]:
                assert not overlaps(r, rect_of(g)), (f.key, g.key, r, rect_of(g))
        for f in fragments:
            for g in fragments:
                if g is f:
                    continue
                # A leg of g comes down from g's slot to the text: it must not cross f's label.
                if g.slot > f.slot and f.label is not None:
                    crossings += sum(f.label[0] < x < f.label[1] for x, _ in g.legs)
                if g.slot == f.slot:
                    a, b = f.extent
                    c, d = g.extent
                    assert b + LABEL_GAP <= c or d + LABEL_GAP <= a, (f.key, g.key)
        labels += len(labelled)
    return crossings, labels


def spec(key, line_a, xa, line_b, xb, label=60.0, width=30.0):
    return ArcSpec(key, ArcEnd(line_a, xa, xa + width, ("s", line_a, xa)),
                   ArcEnd(line_b, xb, xb + width, ("s", line_b, xb)), label)


def test_an_event_with_four_arguments_on_one_line_gets_four_readable_labels():
    # The founding article's "strike": Attacker (US) and Instrument (drone) right before the
    # trigger, Target (commander) on the line above, Place (Baghdad) right after.
    arcs = [
        spec("Attacker", 1, 250, 1, 100, label=62),
        spec("Instrument", 1, 250, 1, 160, label=72),
        spec("Place", 1, 250, 1, 330, label=44),
        spec("Target", 1, 250, 0, 220, label=50),
    ]
    result = layout_arcs(arcs, 2, WIDTH)
    assert check(result) == (0, 5)
    on_line = {f.key: f for f in result.by_line[1]}
    # The nearer argument's arc sits lower than the farther one's on the same side.
    assert on_line["Instrument"].slot < on_line["Attacker"].slot
    # The arc to the line above goes out at the left edge of the trigger's line and comes in
    # at the right edge of the argument's line.
    assert on_line["Target"].x1 == 0.0
    [target_above] = result.by_line[0]
    assert target_above.x2 == WIDTH and [head for _, head in target_above.legs] == [True]


def test_arcs_across_three_lines_run_along_the_middle_line_without_a_label():
    result = layout_arcs([spec("r", 0, 400, 2, 100)], 3, WIDTH)
    [middle] = result.by_line[1]
    assert (middle.x1, middle.x2, middle.legs, middle.label) == (0.0, WIDTH, (), None)
    assert result.by_line[0][0].label is not None and result.by_line[2][0].label is not None


def test_an_end_piece_too_short_for_its_label_leaves_the_role_to_the_other_end():
    # The argument is the next line's first word: its piece, from the left edge to the leg,
    # is shorter than "Instrument"; the trigger's piece, to the right edge, holds it.
    result = layout_arcs([spec("Instrument", 0, 300, 1, 5, label=70)], 2, WIDTH)
    [out], [back] = result.by_line[0], result.by_line[1]
    assert out.label is not None and back.label is None
    a, b = out.label
    assert all(not a < x < b for x, _ in out.legs)  # beside its own leg, not over it
    # Both ends near the edges: the longer piece alone names the role.
    result = layout_arcs([spec("r", 0, 560, 1, 30, label=70)], 2, WIDTH)
    assert [f.label is None for f in result.by_line[0] + result.by_line[1]] == [True, False]


def test_an_end_in_another_paragraph_leaves_at_the_edge():
    result = layout_arcs([spec("r", 0, 100, 5, 50)], 2, WIDTH)
    assert [f.x2 for f in result.by_line[0]] == [WIDTH]
    assert [(f.x1, f.x2, f.legs) for f in result.by_line[1]] == [(0.0, WIDTH, ())]


def test_arcs_sharing_a_span_get_legs_of_their_own():
    arcs = [spec(f"r{i}", 0, 300, 0, 40 + 90 * i if i < 3 else 400 + 60 * i) for i in range(6)]
    result = layout_arcs(arcs, 1, WIDTH)
    assert check(result) == (0, 6)
    at_trigger = sorted(
        x for f in result.by_line[0] for x, head in f.legs if 300 <= x <= 330 and not head
    )
    assert len(at_trigger) == 6 and len(set(at_trigger)) == 6


def words_of(rng, lines):
    """Lines of words as a text line lays them out: widths of 20-90 px, 7 px spaces."""
    words = []
    for line in range(lines):
        x = 0.0
        while True:
            w = rng.uniform(20, 90)
            if x + w > WIDTH:
                break
            words.append((line, x, w))
            x += w + 7
    return words


def random_events(rng, lines, events, arguments):
    words = words_of(rng, lines)
    arcs = []
    for _ in range(events):
        trigger, *fillers = rng.sample(words, 1 + rng.randint(1, arguments))
        for filler in fillers:
            arcs.append(ArcSpec(len(arcs), ArcEnd(trigger[0], trigger[1], trigger[1] + trigger[2],
                                                  trigger),
                                ArcEnd(filler[0], filler[1], filler[1] + filler[2], filler),
                                rng.uniform(30, 90)))
    return arcs


def test_random_paragraphs_dense_with_events_keep_every_label_readable():
    # Several events a paragraph, sharing arguments, on words laid out as lines of text.
    rng = random.Random(13)
    crossings = labels = 0
    for _ in range(300):
        lines = rng.randint(1, 4)
        found = check(layout_arcs(random_events(rng, lines, rng.randint(1, 2 * lines), 4),
                                  lines, WIDTH))
        crossings, labels = crossings + found[0], labels + found[1]
    # A leg may pass behind a label only where a short arc's wide label has nowhere else to
    # go among legs coming down on both sides; the label, drawn over it, stays readable.
    assert labels > 2000 and crossings <= labels * 0.05, (crossings, labels)


def test_one_line_laid_out_alone_is_laid_out_as_in_the_whole_paragraph():
    # The view lays out only the lines whose arcs changed, one at a time.
    rng = random.Random(3)
    for _ in range(50):
        arcs = random_events(rng, 4, 6, 4)
        whole = layout_arcs(arcs, 4, WIDTH)
        for line in range(4):
            alone = layout_arcs(arcs, 4, WIDTH, only=line)
            assert set(alone.by_line) <= {line}
            shape = [(f.key, f.slot, f.x1, f.x2, f.label) for f in alone.by_line.get(line, [])]
            assert shape == [(f.key, f.slot, f.x1, f.x2, f.label)
                             for f in whole.by_line.get(line, [])]
