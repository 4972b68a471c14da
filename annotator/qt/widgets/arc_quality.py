"""How readable the arcs of a laid-out article are, counted: what Must show 1 of issue 13 asks
("arc labels never overlap each other", "no word or tag covered") and what the slotting is meant
to avoid, measured over every line (tests/qt/test_arc_quality.py, benchmarks/arcs_quality.py).

- crossings: a leg of another arc, coming down from a higher slot, passing behind a label (the
  label hides part of that leg, which then seems to end at the label);
- own_legs: a label wider than its run, over the top of its own legs (brat draws short arcs
  the same way: the legs come out from under the box);
- overlaps: two labels on one line overlapping (never allowed);
- raised: an arc piece drawn higher than it needs, while a lower slot was free for it (its run
  and label clear there, its legs crossing no label and no leg crossing its label);
- empty_slots: rows of the room above a line that no arc uses (the text sits lower than it
  needs to).

Plain geometry over the lines' fragments: no Qt, no drawing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.qt.widgets.arc_layout import LABEL_GAP, Fragment


@dataclass
class ArcQuality:
    labels: int = 0
    crossings: int = 0
    own_legs: int = 0
    overlaps: int = 0
    raised: int = 0
    empty_slots: int = 0
    lines: int = 0  # lines with arcs
    examples: list[str] = field(default_factory=list)  # a few of the faults, to look at

    def note(self, what: str) -> None:
        if len(self.examples) < 8:
            self.examples.append(what)


def measure(layout) -> ArcQuality:
    """Every line of a TextLayout (its arcs slotted now if they were not yet)."""
    quality = ArcQuality()
    for p_index, paragraph in enumerate(layout.paragraphs):
        for number, line in enumerate(paragraph.lines):
            fragments = line.arcs
            if not fragments:
                continue
            quality.lines += 1
            where = f"paragraph {p_index} line {number}"
            measure_line(fragments, line.arc_slots, quality, where)
    return quality


def measure_line(fragments: list[Fragment], reserved: int, quality: ArcQuality, where="") -> None:
    labelled = [f for f in fragments if f.label is not None]
    quality.labels += len(labelled)
    for f in labelled:
        a, b = f.label  # type: ignore[misc]
        own = sum(a < x < b for x, _ in f.legs)
        quality.own_legs += own > 0
        for g in fragments:
            if g is not f and g.slot > f.slot:
                for x, _ in g.legs:
                    if a < x < b:
                        quality.crossings += 1
                        quality.note(f"{where}: a leg of {_name(g)} behind {_name(f)}'s label")
        for g in labelled:
            if g is not f and g.slot == f.slot and id(g) > id(f):
                c, d = g.label  # type: ignore[misc]
                if a < d and c < b:
                    quality.overlaps += 1
                    quality.note(f"{where}: labels of {_name(f)} and {_name(g)} overlap")
    used = {f.slot for f in fragments}
    top = max(used) + 1
    quality.empty_slots += (top - len(used)) + max(0, reserved - top)
    for f in fragments:
        if f.legs and any(_free_for(f, slot, fragments) for slot in range(f.slot)):
            quality.raised += 1
            quality.note(f"{where}: {_name(f)} in slot {f.slot}, a lower one is free")


def _free_for(fragment: Fragment, slot: int, fragments: list[Fragment]) -> bool:
    """Whether the piece could sit in `slot` as it is (same run, same label place) without
    touching anything: its extent clear of that slot's pieces, its legs behind no label below,
    and no leg from above behind its label."""
    a, b = _taken(fragment)
    label = fragment.label
    for other in fragments:
        if other is fragment:
            continue
        if other.slot == slot:
            c, d = _taken(other)
            if a < d + LABEL_GAP and c < b + LABEL_GAP:
                return False
        if other.slot < slot and other.label is not None:
            if any(other.label[0] < x < other.label[1] for x, _ in fragment.legs):
                return False
        if other.slot > slot and label is not None:
            if any(label[0] < x < label[1] for x, _ in other.legs):
                return False
    return True


def _taken(fragment: Fragment) -> tuple[float, float]:
    """What a piece takes along its slot: its run and label as drawn (a label may reach past
    a short run), at least its extent."""
    a, b = fragment.extent
    if fragment.label is not None:
        a, b = min(a, fragment.label[0]), max(b, fragment.label[1])
    return a, b


def _name(fragment: Fragment) -> str:
    key = fragment.key
    return str(getattr(key, "role", key))
