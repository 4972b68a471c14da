"""What a file that is not UTF-8 is, and whether a decoding of it reads as text.

Three kinds of file reach here (annotator.formats.reading reads them):

- UTF-8 apart from a few stray bytes (text pasted from Word into a UTF-8 file: "bank\\x92s"
  among "£" and "é"): reading it whole in a single-byte encoding would turn every UTF-8
  character into mojibake ("Â£600m"), so it stays UTF-8 and only the stray bytes are read in
  the encoding named, each place named in the report;
- a file in one legacy encoding: read in the encoding named, if the result reads as text;
- anything else is refused.

"Reads as text" is checked on the decoded text, whatever encoding produced it: no UTF-8 read as
cp1252 ("CafÃ©"), no Latin words made only of accented letters (Cyrillic or Greek read as
cp1252: "Ìîñêâà"), no symbols inside words (Polish read as cp1252: "Za¿ó³æ"), no word mixing
Latin and Cyrillic letters (French read as cp1251: "prйsident"), no C1 control characters.
The guess offered to the user passes the same check, so following the advice never garbles,
and the advice shows the first words so read, so that a wrong guess is visible.
charset-normalizer ranks the candidates; on short texts it prefers exotic code pages that
happen to decode the bytes (hp-roman8 for Finnish, cp1006 for "Café au lait"), hence the short
list of common encodings and the preference for cp1252 where it reads as text.
"""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata
from dataclasses import dataclass, field

# Common legacy encodings of news text: Western, Central European, Cyrillic, Greek, CJK.
CANDIDATES = (
    "cp1252",
    "latin_1",
    "iso8859_15",
    "cp1250",
    "cp1251",
    "koi8_r",
    "cp1253",
    "shift_jis",
    "gb18030",
    "big5",
    "euc_kr",
)

STRAY = re.compile("[\udc80-\udcff]+")  # bytes decoded with errors="surrogateescape"
_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")
# What bytes 0x80-0xBF (UTF-8's continuation bytes) become in cp1252 and Latin-1.
_CONT = re.escape(bytes(range(0x80, 0xC0)).decode("cp1252", errors="ignore")) + "\x80-\xbf"
_MOJIBAKE = re.compile(f"[\u00c2-\u00df][{_CONT}]|[\u00e0-\u00ef][{_CONT}]{{2}}")
# Signs that never sit between two letters of a word.
_SYMBOLS = "¡¢£¤¥¦§¨©ª«¬®¯°±²³´¶¸¹º»¼½¾¿×÷‚„†‡ˆ‰‹›˜™"
_SYMBOL_IN_WORD = re.compile(f"(?<=[^\\W\\d_])[{_SYMBOLS}](?=[^\\W\\d_])")
# Central European letters read as cp1252 become signs at a word's edge ("powiedzia³",
# "£odzi", "¿e" for "powiedział", "Łodzi", "że"), where the signs themselves don't go: after a
# letter (units take ² and ³ after m), before one (a price has digits after £); Russian "ч"
# and "ш" read as cp1252 are "÷" and "ø", "×" and "Ø" its capitals.
_SIGN_AT_WORD = re.compile(
    "(?<=[^\\W\\d_])[¿£¥¦¹×÷]|(?<=[^\\W\\d_m])[²³]|[£¥¦×÷](?=[^\\W\\d_])|¿(?=[^\\W\\d_A-ZÀ-Þ])"
)
_C1 = re.compile("[\x80-\x9f]")
# Accented letters that are words on their own (French à, Italian è, Swedish ö...); any other
# alone ("ç", "ï": Greek η and ο read as cp1252) is not a word.
_ONE_LETTER_WORDS = frozenset("àáéèóòùåöäü")
_WORD = re.compile(r"[^\W\d_]+")


@functools.lru_cache(maxsize=4096)
def _accented(char: str) -> bool:
    return not char.isascii() and unicodedata.name(char, "").startswith("LATIN")


@functools.lru_cache(maxsize=4096)
def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    for script in ("LATIN", "CYRILLIC", "GREEK"):
        if name.startswith(script):
            return script
    if name.startswith(("CJK", "HANGUL", "HIRAGANA", "KATAKANA")):
        return "CJK"
    return ""


def implausible(text: str) -> tuple[int, str] | None:
    """Where and why the text does not read as text (the place quoted), or None."""
    if found := _MOJIBAKE.search(text):
        return found.start(), f"{_word_at(text, found.start())!r} is UTF-8 read byte by byte"
    if found := _C1.search(text):
        return found.start(), f"U+{ord(found.group()):04X} is an invisible control character"
    symbols = list(_SYMBOL_IN_WORD.finditer(text)) + [
        m for m in _SIGN_AT_WORD.finditer(text) if not _spanish_question(text, m)
    ]
    if symbols and len(symbols) >= 0.05 * len(_NON_ASCII.findall(text)):
        at = symbols[0].start()
        return at, f"{_word_at(text, at)!r} has a sign inside a word"
    # Words tell within the first 64K characters (a MB of them took seconds).
    words = [m for m in _WORD.finditer(text, 0, 1 << 16) if not m.group().isascii()]
    if not words:
        return None
    # Two accented letters can be a word (Icelandic "þú"), one rarely, three or more hardly.
    judged = [m for m in words if len(m.group()) != 2]
    accented = [
        m
        for m in judged
        if all(_accented(c) for c in m.group()) and m.group().lower() not in _ONE_LETTER_WORDS
    ]
    if len(accented) >= max(1, 0.3 * len(judged)):
        return accented[0].start(), f"{accented[0].group()!r}: Latin words of accented letters only"
    scripts = [(m, {_script(c) for c in m.group()} - {""}) for m in words]
    # Case turned over: one Cyrillic code page read as another swaps small and capital letters
    # (cp1251's "Москва" in koi8-r is "мОСКВА", its small words all capitals; in cp1253
    # "νΟΣΛΧΑ"). Cyrillic and Greek words only:
    # Irish "hÉireann" and capitals in a Western headline are right as they are.
    cyrillic = [m for m, found in scripts if found in ({"CYRILLIC"}, {"GREEK"})]
    flipped = [m for m in cyrillic if _lower_then_upper(m.group())]
    if len(flipped) >= max(1, 0.05 * len(cyrillic)):
        return flipped[0].start(), f"{flipped[0].group()!r} has a capital after a small letter"
    long = [m for m in cyrillic if len(m.group()) >= 4]
    capitals = [m for m in long if m.group().isupper()]
    if long and len(capitals) > 0.6 * len(long):
        return capitals[0].start(), f"{capitals[0].group()!r}: most words in capitals"
    mixed = [m for m, found in scripts if len(found - {"CJK"}) > 1]
    if len(mixed) >= max(1, 0.05 * len(words)):
        return mixed[0].start(), f"{mixed[0].group()!r} mixes two alphabets"
    # Latin in a CJK word is "Tシャツ" now and then; in most words, bytes read as CJK pairs.
    with_cjk = [m for m, found in scripts if len(found) > 1]
    if len(with_cjk) >= max(2, 0.3 * len(words)):
        return with_cjk[0].start(), f"{with_cjk[0].group()!r} mixes two scripts"
    return None


def _spanish_question(text: str, sign: re.Match) -> bool:
    """An opening ¿ whose question closes later on the line (¿por qué?)."""
    if sign.group() != "¿":
        return False
    end = text.find("\n", sign.end())
    return "?" in text[sign.end() : end if end >= 0 else None]


def _lower_then_upper(word: str) -> bool:
    return any(a.islower() and b.isupper() for a, b in zip(word, word[1:], strict=False))


def _word_at(text: str, index: int) -> str:
    start = index
    while start > 0 and not text[start - 1].isspace() and index - start < 20:
        start -= 1
    end = index
    while end < len(text) and not text[end].isspace() and end - index < 20:
        end += 1
    return text[start:end]


def first_words(text: str, count: int = 3) -> str:
    """The first words with a non-ASCII character, quoted: what a reader checks a guess by."""
    words = []
    for word in text.split():
        if not word.isascii():
            words.append(repr(word.strip(".,;:!?()\"'")[:30]))
            if len(words) == count:
                break
    return ", ".join(words) or "no non-ASCII words"


def _decodes(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeError, LookupError):
        return None


def as_option(encoding: str) -> str:
    """A codec's name as --encoding takes it and people write it (latin-1, iso-8859-15)."""
    name = codecs.lookup(encoding).name
    return {"iso8859-1": "latin-1", "iso8859-15": "iso-8859-15", "mbcs": name}.get(name, name)


def guess_encoding(data: bytes) -> str | None:
    """The encoding that reads the bytes as text (see the module's doc, and `implausible`):
    cp1252 if it does (the commonest, and Latin-1's superset for text); else, among the common
    ones that do, the least chaotic by charset-normalizer's measure, on a tie the most coherent
    as a language, then a single-byte one (Cyrillic or Greek bytes also decode as rare Han
    characters in Big5 or EUC-KR, while CJK text read byte by byte never passes: case flips,
    signs in words, alphabets mixed). None if none reads as text."""
    sample = sample_of(data)
    text = _decodes(sample, "cp1252")
    if text is not None and not implausible(text):
        return "cp1252"
    from charset_normalizer import from_bytes  # imported when a file needs it

    readable = [
        (round(match.chaos, 2), -match.coherence, not single_byte(match.encoding), match.encoding)
        for match in from_bytes(sample, cp_isolation=list(CANDIDATES))
        if (decoded := _decodes(sample, match.encoding)) is not None and not implausible(decoded)
    ]
    return as_option(min(readable)[3]) if readable else None


SAMPLE = 1 << 20  # what a legacy file is judged on


def sample_of(data: bytes) -> bytes:
    """The first MB, ended at a line end if cut there: a sample cut inside a character would
    not decode in a multi-byte encoding."""
    if len(data) < SAMPLE or (end := data.rfind(b"\n", 0, SAMPLE)) <= 0:
        return data[:SAMPLE]
    return data[: end + 1]


@dataclass
class Utf8Scan:
    """A file read as UTF-8: how many non-ASCII characters are valid UTF-8, how many bytes
    are not, and where the first of those are (line, the word around them)."""

    sequences: int = 0
    stray: int = 0
    places: list[tuple[int, str]] = field(default_factory=list)
    line: int = 1

    def add(self, text: str) -> None:
        """Count a piece of the file decoded with errors="surrogateescape"."""
        self.sequences += len(_NON_ASCII.findall(text))
        if "\n" not in text and not STRAY.search(text):
            return
        for found in STRAY.finditer(text):
            self.stray += found.end() - found.start()
            if len(self.places) < 5:
                line = self.line + text.count("\n", 0, found.start())
                self.places.append((line, _word_at(text, found.start())))
        self.line += text.count("\n")

    @property
    def mostly_utf8(self) -> bool:
        """UTF-8 apart from a few stray bytes: fewer of them than UTF-8 characters. A legacy
        encoding's text has valid UTF-8 pairs only by chance, and many more bytes that are not."""
        return self.sequences > 0 and 0 < self.stray <= self.sequences

    def shown(self, encoding: str | None = None) -> str:
        """The first places ("line 1: 'bank\\x92s'"), the bytes read in the encoding if one is
        given."""
        shown = []
        for line, word in self.places:
            try:
                word = stray_as(word, encoding) if encoding else _escaped(word)
            except UnicodeError:
                word = _escaped(word)
            shown.append(f"line {line}: '{word}'")
        more = f"; and {self.stray - len(self.places)} more" if self.stray > len(shown) else ""
        return "; ".join(shown) + more

    def describe(self, encoding: str | None = None) -> str:
        s = "s" if self.stray != 1 else ""
        return f"UTF-8 apart from {self.stray} stray byte{s} ({self.shown(encoding)})"

    def first(self) -> str:
        """The first stray byte and the word it is in: "byte 0xe4 in 'H\\xe4n'"."""
        word = self.places[0][1]
        byte = ord(word[STRAY.search(word).start()]) - 0xDC00  # type: ignore[union-attr]
        return f"byte 0x{byte:02x} in '{_escaped(word)}'"


def _escaped(text: str) -> str:
    return STRAY.sub(lambda m: "".join(f"\\x{ord(c) - 0xDC00:02x}" for c in m.group()), text)


def scan_utf8(data: bytes) -> Utf8Scan:
    scan = Utf8Scan()
    scan.add(data.decode("utf-8", errors="surrogateescape"))
    return scan


def single_byte(encoding: str) -> bool:
    """Whether each byte is a character of its own (cp1252: yes; Shift JIS, UTF-16: no)."""
    return len(bytes(range(256)).decode(encoding, errors="replace")) == 256


def stray_as(text: str, encoding: str) -> str:
    """Text decoded with errors="surrogateescape", its stray bytes read in `encoding` (a
    single-byte one); UnicodeDecodeError if one has no character there."""
    return STRAY.sub(lambda m: bytes(ord(c) - 0xDC00 for c in m.group()).decode(encoding), text)


def stray_guess(scan_text: str) -> str:
    """The single-byte encoding to read a mostly-UTF-8 file's stray bytes in: cp1252 (Word's),
    unless one of them has no character there."""
    try:
        stray_as(scan_text, "cp1252")
    except UnicodeDecodeError:
        return "latin-1"
    return "cp1252"
