"""Arc labels counted over whole articles in the real window (annotator/qt/widgets/arc_quality.py):
no leg of another arc behind a label, no two labels overlapping, no arc drawn higher than it
needs while a lower slot is free for it, no empty row in the room above a line. Over the
benchmark's long article (1,000 events: its arcs are slotted lazily, then settled) and the
founding article labelled as the README's pictures show it (its first paragraph's three events
and the second paragraph dense with events sharing arguments), and over random paragraphs
dense with events, where before about 5% of labels had a leg behind them."""

import importlib.util
import random
from pathlib import Path

from annotator.qt.widgets import line_arcs
from annotator.qt.widgets.arc_layout import layout_arcs
from annotator.qt.widgets.arc_quality import ArcQuality, measure, measure_line
from benchmarks.bench_long import add_bench_article
from tests.qt.conftest import open_window
from tests.qt.test_arc_layout import WIDTH, random_events

ROOT = Path(__file__).resolve().parents[2]


def settled(window, qtbot) -> ArcQuality:
    """The arcs once the window has laid out and settled them (as it does in the turns after
    opening)."""
    view = window.view
    view.text_layout.realize_all()
    if view.arc_settling is not None:
        view.arc_settling.finish()
    qtbot.wait(1)
    return measure(view.text_layout)


def faults(quality: ArcQuality) -> dict:
    return {name: getattr(quality, name)
            for name in ("crossings", "overlaps", "raised", "empty_slots")}


def test_the_benchmarks_long_article_with_every_arc_has_no_fault(qtbot, store):
    article = add_bench_article(store)
    with store.write():
        short = store.insert_article_row("A short article about Baghdad.", title="short",
                                         ext_id="short", digest="short", meta={}, source="test")
    window = open_window(qtbot, store)
    view = window.view
    view.set_all_arcs(True)
    window.session.open_article(article)
    links = len(view.all_links)
    assert links == 1000 and links > line_arcs.LAZY_ARCS  # slotted lazily, line by line
    quality = settled(window, qtbot)
    assert quality.lines > 700 and quality.labels >= links, quality
    assert faults(quality) == {"crossings": 0, "overlaps": 0, "raised": 0, "empty_slots": 0}, (
        quality.examples)
    # Every arc here is "strike" to "Baghdad", 4 characters apart: wherever a line break
    # falls between them, one of the two pieces holds the role beside its leg.
    assert quality.own_legs == 0

    # Opened again half-way down: the lines above the view are settled after it is shown,
    # and what is on screen stays where it is while the text above closes up.
    text = window.session.article.text
    window.session.open_article(short)
    # Left there (after leaving it, which kept its top as its place).
    window.controller.places.leave(article, text.index("strike", len(text) // 2))
    window.session.open_article(article)
    assert view.first_visible_offset() > len(text) // 3
    assert view.arc_settling.busy  # lines above and below are left for the turns after
    before = view.first_visible_offset()
    top = view.point_for_offset(before).y()
    height = view.text_layout.height
    view.arc_settling.finish()
    assert view.text_layout.height < height
    assert view.first_visible_offset() == before
    assert abs(view.point_for_offset(before).y() - top) <= 1


def load_script():
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts" / "screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_founding_article_and_its_dense_paragraph_have_no_fault(qtbot, project):
    from PySide6.QtWidgets import QApplication

    script = load_script()
    window = open_window(qtbot, project)
    window.view.set_all_arcs(True)
    app = QApplication.instance()
    script._label_founding_article(window, app)  # the three events of the first paragraph
    script._label_dense_paragraph(window, app)  # five events sharing their arguments
    assert len(window.session.events) == 8
    quality = settled(window, qtbot)
    assert quality.labels >= 19, quality  # every argument's arc named at least once
    assert faults(quality) == {"crossings": 0, "overlaps": 0, "raised": 0, "empty_slots": 0}, (
        quality.examples)


def random_paragraphs_quality(seed: int = 13, count: int = 300) -> ArcQuality:
    """The arcs of `count` random paragraphs dense with events, measured (benchmarks/
    arcs_quality.py prints the same figures)."""
    rng = random.Random(seed)
    quality = ArcQuality()
    for _ in range(count):
        lines = rng.randint(1, 4)
        result = layout_arcs(random_events(rng, lines, rng.randint(1, 2 * lines), 4),
                             lines, WIDTH)
        for line, fragments in result.by_line.items():
            measure_line(fragments, result.slots[line], quality)
    return quality


def test_random_paragraphs_dense_with_events_have_next_to_no_leg_behind_a_label():
    quality = random_paragraphs_quality()
    # Before: 171 legs behind 3,654 labels (4.7%) and 51 pieces a slot higher than needed.
    # Left: arcs interleaved so that no order of slots clears every label.
    assert quality.labels > 3000 and quality.crossings <= quality.labels * 0.002, quality
    assert quality.overlaps == 0 and quality.empty_slots == 0
    assert quality.raised == 0, quality.examples
