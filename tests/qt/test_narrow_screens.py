"""Screens narrower than the panes' usual minimums add up to (about 910 logical pixels): the
window still fits, each pane giving up the same share and the palette scrolling sideways."""

import pytest

from tests.qt.test_screen_fit import demo, inside, probe  # noqa: F401  (fixture)


@pytest.mark.parametrize("size", [(800, 600), (853, 480)])
def test_the_window_fits_a_screen_narrower_than_its_panes_minimums(tmp_path, demo, size):
    """1024x768 at 125 % or 1280x720 at 150 % scaling give ~820-850 logical pixels: the
    panes' minimum widths (250 + 320 + the palette's 326) make the window 908 wide."""
    seen = probe(tmp_path, demo, *size)
    assert inside(seen["frame"], seen["screen"]), seen
    for name, rect in seen["panes"].items():
        assert inside(rect, seen["screen"]), f"{name} {rect}"
