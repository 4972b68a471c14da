"""Colours measured as people see them: how far apart two label colours look, and whether text
on a colour can be read. Pure functions on "#rrggbb" strings, so the schema's rules (a new
label's colour) and the view's painting (a tag's text, a span's shading) share them.

The measures come from ColorAide (MIT): CIEDE2000 for "looks different" (a plain RGB distance
calls a teal and a cyan far apart that look alike, and the reverse), WCAG 2.1's contrast ratio
for "readable" (4.5:1 is its minimum for normal text).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coloraide import Color

READABLE = 4.5  # WCAG 2.1 AA, normal text
DARK_TEXT, LIGHT_TEXT, BLACK = "#1b1b1b", "#ffffff", "#000000"

# What a generated label colour may be: hues all round, at saturations and lightnesses that
# make a fill under text and a tag (mid to light, as displaCy's colours are). Ordered so that
# the first pick of an empty schema is the warm yellow the old generator started with.
_HUES = [(47 + step * 15) % 360 for step in range(24)]


def _color(*args) -> Color:
    """A ColorAide colour. Imported on first use: ColorAide takes a tenth of a second to
    import, which every command that opens a project paid (through the schema) and most
    never use."""
    from coloraide import Color

    return Color(*args)


@lru_cache(maxsize=1)
def _candidates() -> tuple[str, ...]:
    return tuple(
        f"#{r:02x}{g:02x}{b:02x}"
        for lightness, saturation in ((0.70, 0.75), (0.60, 0.65), (0.80, 0.70), (0.50, 0.55))
        for hue in _HUES
        for r, g, b in [
            tuple(
                round(channel * 255)
                for channel in _color("hsl", [hue, saturation, lightness]).convert("srgb").coords()
            )
        ]
    )


# Below this CIEDE2000 difference two tags look like one label at a glance (about 10-12 is
# where colours are told apart side by side; tags are read apart, a few lines from each other).
DISTINCT = 20.0


@lru_cache(maxsize=4096)
def _lab(colour: str) -> Color:
    return _color(colour).convert("lab-d65")


def difference(a: str, b: str) -> float:
    """How different two colours look (CIEDE2000; 0 = the same, > 20 = clearly another)."""
    return _difference(a.lower(), b.lower())


@lru_cache(maxsize=1 << 16)
def _difference(a: str, b: str) -> float:
    # Kept: a schema gaining labels one by one (an import) asks again about the same pairs
    # (every candidate against every colour in use), each a few tens of microseconds.
    return float(_lab(a).delta_e(_lab(b), method="2000"))


def distinct_colour(in_use: Iterable[str]) -> str:
    """The generated colour that looks least like every colour in use: the candidate whose
    nearest colour in use is farthest (CIEDE2000); the first candidate when none is in use."""
    used = [colour.lower() for colour in in_use if colour]
    candidates = _candidates()
    if not used:
        return candidates[0]
    best, best_gap = candidates[0], -1.0
    for candidate in candidates:
        gap = min(difference(candidate, colour) for colour in used)
        if gap > best_gap + 1e-9:
            best, best_gap = candidate, gap
    return best


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two opaque colours (1 to 21)."""
    return float(_color(a).contrast(_color(b), method="wcag21"))


@lru_cache(maxsize=4096)
def over(colour: str, alpha: float, background: str) -> str:
    """`colour` at `alpha` (0-1) painted over an opaque `background`, as the screen shows it."""
    top, bottom = _color(colour).convert("srgb"), _color(background).convert("srgb")
    mixed = [
        alpha * t + (1 - alpha) * u for t, u in zip(top.coords(), bottom.coords(), strict=True)
    ]
    return _color("srgb", mixed).to_string(hex=True)


@lru_cache(maxsize=1024)
def text_on(fill: str) -> str:
    """Text that reads on `fill`: the usual near-black or white, whichever contrasts more, or
    pure black where neither near-black nor white reaches 4.5:1 (mid-tone fills)."""
    dark, light = contrast(fill, DARK_TEXT), contrast(fill, LIGHT_TEXT)
    if max(dark, light) >= READABLE:
        return DARK_TEXT if dark >= light else LIGHT_TEXT
    return BLACK


@lru_cache(maxsize=4096)
def readable_alpha(colour: str, text: str, background: str, wanted: float) -> float:
    """The strongest wash of `colour` (alpha 0-1, at most `wanted`) over `background` on
    which `text` still reads (4.5:1): a light label's shading under light text on a dark
    theme is made fainter rather than unreadable."""
    alpha = wanted
    while alpha > 0.05 and contrast(over(colour, alpha, background), text) < READABLE:
        alpha -= 0.05
    return max(alpha, 0.05)
