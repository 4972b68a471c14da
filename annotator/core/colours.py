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

from annotator.core import colour_difference

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


# The colours a generated label colour is picked from: hues all round at four saturations and
# lightnesses (hsl_candidates makes them; a test checks that this list is what it makes).
# Written out, as the colour an import's new label gets is picked before its first batch:
# ColorAide's import and 96 conversions through it were a tenth of a second of the import.
CANDIDATES = (
    "#ecd379", "#e8ec79", "#cbec79", "#afec79", "#92ec79", "#79ec7d", "#79ec9a", "#79ecb6",
    "#79ecd3", "#79e8ec", "#79cbec", "#79afec", "#7992ec", "#7d79ec", "#9a79ec", "#b679ec",
    "#d379ec", "#ec79e8", "#ec79cb", "#ec79af", "#ec7992", "#ec7d79", "#ec9a79", "#ecb679",
    "#dbbf57", "#d7db57", "#b6db57", "#95db57", "#73db57", "#57db5b", "#57db7c", "#57db9d",
    "#57dbbf", "#57d7db", "#57b6db", "#5795db", "#5773db", "#5b57db", "#7c57db", "#9d57db",
    "#bf57db", "#db57d7", "#db57b6", "#db5795", "#db5773", "#db5b57", "#db7c57", "#db9d57",
    "#f0e0a8", "#edf0a8", "#dbf0a8", "#caf0a8", "#b8f0a8", "#a8f0ab", "#a8f0bd", "#a8f0ce",
    "#a8f0e0", "#a8edf0", "#a8dbf0", "#a8caf0", "#a8b8f0", "#aba8f0", "#bda8f0", "#cea8f0",
    "#e0a8f0", "#f0a8ed", "#f0a8db", "#f0a8ca", "#f0a8b8", "#f0aba8", "#f0bda8", "#f0cea8",
    "#c6a739", "#c1c639", "#9ec639", "#7bc639", "#58c639", "#39c63e", "#39c661", "#39c684",
    "#39c6a7", "#39c1c6", "#399ec6", "#397bc6", "#3958c6", "#3e39c6", "#6139c6", "#8439c6",
    "#a739c6", "#c639c1", "#c6399e", "#c6397b", "#c63958", "#c63e39", "#c66139", "#c68439",
)  # fmt: skip


def hsl_candidates() -> tuple[str, ...]:
    """What CANDIDATES holds, made with ColorAide from the hues, saturations and lightnesses."""
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


@lru_cache(maxsize=1 << 16)
def _hex_difference(a: str, b: str) -> float:
    return colour_difference.difference(a, b)


def distinct_colour(in_use: Iterable[str]) -> str:
    """The generated colour that looks least like every colour in use: the candidate whose
    nearest colour in use is farthest (CIEDE2000); the first candidate when none is in use.
    Colours all written "#rrggbb" (as the app writes them) are measured without ColorAide
    (core.colour_difference: the same floats)."""
    used = [colour.lower() for colour in in_use if colour]
    if not used:
        return CANDIDATES[0]
    plain = all(colour_difference.HEX.fullmatch(colour) for colour in used)
    measure = _hex_difference if plain else difference
    best, best_gap = CANDIDATES[0], -1.0
    for candidate in CANDIDATES:
        gap = _nearest(candidate, used, measure, best_gap + 1e-9)
        if gap > best_gap + 1e-9:
            best, best_gap = candidate, gap
    return best


def _nearest(candidate: str, used: list[str], measure, floor: float) -> float:
    """The difference to the nearest colour in use, or, as soon as one is within `floor`,
    that one's: the candidate can't be picked then, and the rest needn't be measured."""
    nearest = float("inf")
    for colour in used:
        nearest = min(nearest, measure(candidate, colour))
        if nearest <= floor:
            break
    return nearest


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
