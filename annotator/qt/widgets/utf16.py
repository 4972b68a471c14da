"""Code points (the model's offsets) <-> UTF-16 indices (Qt's text positions), per paragraph.

Python strings count code points; QString, QTextLayout and QTextLine count UTF-16 units, in
which a character beyond U+FFFF (emoji, flags, mathematical letters, some CJK) takes two. Every
place where a model offset meets a Qt position goes through one `Utf16Map`, made once per
paragraph. A paragraph without such characters (most of them) keeps no table, and each mapping
is then a single attribute check, so plain text costs nothing extra.
"""

from __future__ import annotations

import re
from bisect import bisect_left

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Utf16Map:
    """The positions of one text's astral characters, in code points and in UTF-16 units."""

    __slots__ = ("_code_points", "_units")

    def __init__(self, text: str):
        # utf-16-le takes 2 bytes a character, 4 for an astral one: comparing lengths finds out
        # in one C pass whether there is any, without a Python loop over plain text.
        if text.isascii() or len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text):
            self._code_points: list[int] = []
            self._units: list[int] = []
            return
        self._code_points = [m.start() for m in _ASTRAL.finditer(text)]
        # The k-th astral character sits k units further on in UTF-16.
        self._units = [offset + k for k, offset in enumerate(self._code_points)]

    @property
    def identity(self) -> bool:
        """True when both counts agree everywhere (no character beyond U+FFFF)."""
        return not self._code_points

    def to_utf16(self, offset: int) -> int:
        """The UTF-16 index of a code-point offset (0..len(text) inclusive)."""
        if not self._code_points:
            return offset
        return offset + bisect_left(self._code_points, offset)

    def to_code_point(self, index: int) -> int:
        """The code-point offset of a UTF-16 index; an index between the two halves of a
        surrogate pair maps to the start of its character, never into it."""
        if not self._units:
            return index
        # Astral characters starting before index each took one unit more than a code point.
        return index - bisect_left(self._units, index)
