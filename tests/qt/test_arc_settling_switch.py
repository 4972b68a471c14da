"""Another article opened while a long one's arcs are still settling (arc_settling.py): the
lines the old article left to settle are dropped with it. Its idle steps used to run on in
the turns after the switch, slotting and settling lines no longer shown (the old layout's
paragraphs), while the new article's lines waited behind them. Driven through the real
window: the benchmark's article (1,000 events on one paragraph of 1,200 lines) is opened,
opened half-way down (the lines above the screen settle in idle turns), settled a bite, and
left for a short article without events or for another long one."""

import time

import pytest

from annotator.qt.idle_work import idle_work
from annotator.qt.widgets import arc_settling, line_arcs
from benchmarks.bench_long import add_attack
from tests.conftest import on_disk
from tests.qt.test_incremental_updates import layout_of, stale_pixels
from tests.qt.test_lazy_layout import finish
from tests.qt.test_partial_lines import open_bench_half_way, paint, settled_eager

SENTENCE = "The raid near Mosul wounded a leader of Kataib Hezbollah. "  # 58 characters


def add_other_long_article(store, sentences: int = 900, events: int = 600) -> int:
    """A second long article with many events: an attack ("raid") whose Place is "Mosul"."""
    raid, mosul = SENTENCE.index("raid"), SENTENCE.index("Mosul")
    step = len(SENTENCE)
    with store.write():
        article = store.insert_article_row(
            SENTENCE * sentences, title="other long", ext_id="other-long", digest="other-long",
            meta={}, source="test",
        )
        for n in range(events):
            place = store.conn.execute(
                "INSERT INTO spans (article_id, start, end, label) VALUES (?, ?, ?, 'GPE')",
                (article, n * step + mosul, n * step + mosul + 5),
            ).lastrowid
            add_attack(store, article, n * step + raid, n * step + raid + 4, place)
    return article


@pytest.fixture
def touched(monkeypatch):
    """The paragraphs of every line slotted or settled from now on (line_arcs' two steps,
    which the settling runs on each line it takes)."""
    paragraphs = []
    slot_line, settle_lines = line_arcs.slot_line, line_arcs.settle_lines

    def slot(layout, paragraph, line, *args, **kwargs):
        paragraphs.append(paragraph)
        return slot_line(layout, paragraph, line, *args, **kwargs)

    def settle(layout, lines, *args, **kwargs):
        paragraphs.extend(paragraph for paragraph, _ in lines)
        return settle_lines(layout, lines, *args, **kwargs)

    monkeypatch.setattr(line_arcs, "slot_line", slot)
    monkeypatch.setattr(line_arcs, "settle_lines", settle)
    return paragraphs


@pytest.mark.parametrize("target", ["short", "other long"])
def test_opening_another_article_drops_the_old_articles_settling(
    qtbot, store, monkeypatch, touched, target
):
    monkeypatch.setattr(arc_settling, "FIRST_SLICE_SECONDS", 0.0)  # the screen's lines only
    other = add_other_long_article(store) if target == "other long" else None
    # Opened half-way down: the lines above the screen, given arcs lazily, settle later.
    window = open_bench_half_way(qtbot, store)
    view, work = window.view, idle_work(window.view)
    paint(view)
    work.run_job("arc settling", deadline=time.perf_counter() + 0.001)  # a bite of it
    assert view.arc_settling.busy and work.pending("arc settling")  # the case this is about
    if other is None:  # the short article the long one was opened from: no events
        other = on_disk(store, "SELECT id FROM articles WHERE ext_id = 'short'")[0][0]
    old = view.text_layout.paragraphs
    touched.clear()

    window.session.open_article(other)
    assert view.text_layout.text == store.article(other).text
    qtbot.waitUntil(lambda: not work.busy, timeout=20_000)  # the window's own idle turns
    on_old = [p for p in touched if any(p is q for q in old)]
    assert not on_old, f"{len(on_old)} settling steps ran on the old article's lines"

    # The new article settled fully, drawn as an eager layout draws it.
    finish(qtbot, view)
    assert not view.arc_settling.busy
    if target == "other long":
        assert touched  # its own lines were settled
        assert len(view.all_links) > line_arcs.LAZY_ARCS
        assert layout_of(view.text_layout) == layout_of(settled_eager(view))
    assert not stale_pixels(window)
    window.grab().save(f"/tmp/arc-settling-switch-{target.replace(' ', '-')}.png")
