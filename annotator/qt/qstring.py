"""Python strings handed to Qt unit for unit.

PySide converts a str to a QString through UTF-16 and reads a leading U+FEFF or U+FFFE as a
byte-order mark: U+FEFF is dropped (every Qt position after it moves by one) and U+FFFE makes
it byte-swap the whole rest ("Berlin" arrives as "䈀攀爀氀椀渀"). Both occur at the start of
scraped text. Anything that starts with text from an article (a paragraph, a title, a span's
words) goes through `as_qstring` on its way into a widget, a model's data or a layout.
"""

from __future__ import annotations

# One UTF-16 unit each, so positions still match: U+2060 WORD JOINER looks as U+FEFF does
# (nothing, no break); U+FFFE is a noncharacter, and U+FFFD shows that something is there.
_STAND_INS = {"\ufeff": "\u2060", "\ufffe": "\ufffd"}


def as_qstring(text: str) -> str:
    """text, with a leading character that PySide would take for a byte-order mark replaced
    by a stand-in of the same length."""
    if text and text[0] in _STAND_INS:
        return _STAND_INS[text[0]] + text[1:]
    return text
