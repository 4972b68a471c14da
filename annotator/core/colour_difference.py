"""CIEDE2000 between "#rrggbb" colours without ColorAide, for the one place that asks it
thousands of times at once: the colour a new label gets (core.colours.distinct_colour).

An import that adds a label waited for ColorAide's import and 96 colour conversions through
it before its first batch: a tenth of a second of a 2-second import. The sums here are the
standard ones (sRGB's transfer curve, its D65 matrix, CIE Lab, CIEDE2000 as Sharma, Wu and
Dalal give it), with ColorAide's constants, so that they agree with ColorAide to about 1e-12:
tests/core/test_colour_difference.py compares both, and the colour picked, on random
schemas. Anything but "#rrggbb" (a colour named in a schema file) goes to ColorAide.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

HEX = re.compile(r"#[0-9a-fA-F]{6}")

# sRGB (linear) to CIE XYZ, D65: the matrix ColorAide uses (spaces/srgb_linear.py).
_TO_XYZ = (
    (0.4123907992659593, 0.357584339383878, 0.1804807884018343),
    (0.21263900587151024, 0.715168678767756, 0.07219231536073371),
    (0.01933081871559182, 0.11919477979462598, 0.9505321522496607),
)
# D65's white point, as CSS and ColorAide write it (4 decimals), in XYZ with Y = 1.
_X, _Y = 0.31270, 0.32900
_WHITE = (_X / _Y, 1.0, (1 - _X - _Y) / _Y)
_EPSILON = 216 / 24389
_KAPPA = 24389 / 27
_POW7_25 = 25.0**7


def _linear(channel: int) -> float:
    value = channel * (1.0 / 255.0)  # as ColorAide reads hex: the same float to the last bit
    if abs(value) <= 0.04045:
        return value / 12.92
    return math.copysign(((abs(value) + 0.055) / 1.055) ** 2.4, value)


def _f(t: float) -> float:
    if t > _EPSILON:
        return t ** (1 / 3) if t >= 0 else -((-t) ** (1 / 3))
    return (_KAPPA * t + 16) / 116


@lru_cache(maxsize=4096)
def lab(colour: str) -> tuple[float, float, float]:
    """CIE Lab (D65) of a "#rrggbb" colour."""
    rgb = [_linear(int(colour[i : i + 2], 16)) for i in (1, 3, 5)]
    x, y, z = (sum(m * c for m, c in zip(row, rgb, strict=True)) for row in _TO_XYZ)
    fx, fy, fz = _f(x / _WHITE[0]), _f(y / _WHITE[1]), _f(z / _WHITE[2])
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def _hue(a: float, b: float) -> float:
    if a == 0 and b == 0:
        return 0.0
    angle = math.atan2(b, a)
    return math.degrees(angle + math.tau if angle < 0 else angle)


def ciede2000(one: tuple[float, float, float], two: tuple[float, float, float]) -> float:
    """The CIEDE2000 colour difference of two Lab colours (kL = kC = kH = 1), each step in
    the order ColorAide takes it, so that the two give the same float."""
    l1, a1, b1 = one
    l2, a2, b2 = two
    c_mean = (math.sqrt(a1**2 + b1**2) + math.sqrt(a2**2 + b2**2)) / 2
    c7 = c_mean**7
    g = 0.5 * (1 - math.sqrt(c7 / (c7 + _POW7_25)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.sqrt(a1p**2 + b1**2), math.sqrt(a2p**2 + b2**2)
    h1p, h2p = _hue(a1p, b1), _hue(a2p, b2)
    dl = l1 - l2
    dc = c1p - c2p
    h_diff = h1p - h2p
    if c1p * c2p == 0.0:
        dh = 0.0
    elif abs(h_diff) <= 180.0:
        dh = h_diff
    else:
        dh = h_diff + (-360 if h_diff > 180.0 else 360)
    dhh = 2 * math.sqrt(c2p * c1p) * math.sin(math.radians(dh / 2))
    l_mean = (l1 + l2) / 2
    cp_mean = (c1p + c2p) / 2
    h_sum = h1p + h2p
    if c1p * c2p == 0:
        hp_mean = h_sum
    elif abs(h1p - h2p) > 180:
        hp_mean = (h_sum + (360 if h_sum < 360 else -360)) / 2
    else:
        hp_mean = h_sum / 2
    t = (
        1
        - (0.17 * math.cos(math.radians(hp_mean - 30)))
        + (0.24 * math.cos(math.radians(2 * hp_mean)))
        + (0.32 * math.cos(math.radians((3 * hp_mean) + 6)))
        - (0.20 * math.cos(math.radians((4 * hp_mean) - 63)))
    )
    d_theta = 30 * math.exp(-1 * ((hp_mean - 275) / 25) ** 2)
    cp7 = cp_mean**7
    rc = 2 * math.sqrt(cp7 / (cp7 + _POW7_25))
    l50 = (l_mean - 50) ** 2
    sl = 1 + ((0.015 * l50) / math.sqrt(20 + l50))
    sc = 1 + 0.045 * cp_mean
    sh = 1 + 0.015 * cp_mean * t
    rt = -1 * math.sin(math.radians(2 * d_theta)) * rc
    return math.sqrt(
        (dl / sl) ** 2 + (dc / sc) ** 2 + (dhh / sh) ** 2 + rt * (dc / sc) * (dhh / sh)
    )


def difference(one: str, two: str) -> float:
    """CIEDE2000 of two "#rrggbb" colours."""
    return ciede2000(lab(one.lower()), lab(two.lower()))
