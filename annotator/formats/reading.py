"""Reading text files whose encoding nobody wrote down.

A byte-order mark decides (UTF-8, UTF-16, UTF-32), whatever encoding is named. Else UTF-8 is
read as UTF-8; a file that is not is refused with the file, line and first bad byte named and
advice that works when followed (annotator.formats.encodings: the guess shown with the words it
reads), unless the user names an encoding. A named encoding applies only to what is not valid
UTF-8: a folder of UTF-8 files with one Latin-1 file among them is imported right with
--encoding cp1252 (reading the UTF-8 ones as cp1252 would turn every "£" into "Â£"), and a UTF-8
file with a few stray cp1252 bytes keeps its UTF-8, only those bytes read as cp1252. A file in
a legacy encoding is read in the one named only if the result reads as text: Russian in
cp1252, a file that mixes UTF-8 in, is refused with the encoding that reads it named. The
report says which files were read how (encoding_note). CRLF and CR line ends become LF in plain
text, where no offsets depend on them.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import ImportFailed
from annotator.formats.encodings import (
    SAMPLE,
    STRAY,
    Utf8Scan,
    as_option,
    first_words,
    guess_encoding,
    implausible,
    sample_of,
    scan_utf8,
    single_byte,
    stray_as,
    stray_guess,
)

_C1 = re.compile("[\x80-\x9f]")
_BOMS = (  # UTF-32's little-endian mark starts with UTF-16's: longest first
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def bom_encoding(head: bytes) -> str | None:
    return next((name for bom, name in _BOMS if head.startswith(bom)), None)


class NotUtf8(ImportFailed):
    """A file that is not UTF-8 and no encoding named; .guess: the advised one, if any."""

    def __init__(self, message: str, guess: str | None):
        super().__init__(message)
        self.guess = guess

    def __reduce__(self):  # crosses from a reading process (formats/reader_process.py)
        return (type(self), (str(self), self.guess))


@dataclass
class Plan:
    """How to decode one file: `encoding`, and for a file that is UTF-8 apart from a few
    stray bytes, the encoding those are read in (`stray`); `note` for the import report."""

    encoding: str
    stray: str | None = None
    note: str | None = None

    def decode(self, data: bytes) -> str:
        if self.stray is None:
            return data.decode(self.encoding)
        if self.encoding == "utf-8-sig" and data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
        return stray_as(data.decode("utf-8", errors="surrogateescape"), self.stray)


def _ascii_compatible(encoding: str) -> bool:
    """An 8-bit encoding whose ASCII is ASCII (Latin-1, cp1252, ...): a file valid as UTF-8 is
    UTF-8, not text in it. Not UTF-16 or UTF-32, whose ASCII text is valid UTF-8 too."""
    return _ascii_newlines(encoding) and codecs.lookup(encoding).name not in _WIDE


_WIDE = ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")


def _lookup(encoding: str, path) -> str:
    try:
        codecs.lookup(encoding)
    except LookupError as error:
        raise ImportFailed(f"{path}: unknown encoding {encoding!r}") from error
    return encoding


def _line(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def plan(path: Path | str, head: bytes, scan: Utf8Scan, named: str | None) -> Plan:
    """How to read a file, from its first bytes (all of them, or the first MB) and its scan as
    UTF-8 (of the whole file); ImportFailed (NotUtf8 if nothing was named) where no way reads
    it as text. See the module's doc."""
    if named:
        _lookup(named, path)
    bom = bom_encoding(head)
    if bom and (bom != "utf-8-sig" or (named and not _ascii_compatible(named))):
        name = bom.replace("-sig", "").upper()
        ignored = named and codecs.lookup(named).name.split("-")[0:2] != bom.split("-")
        note = f"a {name} byte-order mark: read as {name}, not as {named} (--encoding)"
        return Plan(bom, note=note if ignored else None)
    if named and not _ascii_compatible(named):
        return Plan(named)  # UTF-16 without a mark: ASCII in it is valid UTF-8, the name decides
    utf8 = bom or "utf-8"
    if not scan.stray:
        return Plan(utf8)
    if scan.mostly_utf8:
        return _mostly_utf8(path, scan, named, utf8)
    if not named:
        guess = guess_encoding(head)
        raise NotUtf8(
            f"{path}:{scan.places[0][0]}: not UTF-8 ({scan.first()}); "
            + _legacy_advice(head, guess),
            guess,
        )
    sample = sample_of(head)
    try:
        text = sample.decode(named)
    except UnicodeDecodeError as error:
        raise ImportFailed(
            f"{path}:{_line(sample, error.start)}: not valid {named} (byte "
            f"0x{sample[error.start]:02x} at offset {error.start}); " + advice(path, head)
        ) from error
    except UnicodeError as error:
        raise ImportFailed(f"{path}: not valid {named} ({error})") from error
    if found := implausible(text):
        raise _not_text(path, text, found, named, head)
    return Plan(named, note=f"not UTF-8: read as {named} (--encoding): {first_words(text)}")


def _mostly_utf8(path, scan: Utf8Scan, named: str | None, utf8: str) -> Plan:
    where = f"{path}:{scan.places[0][0]}"
    if not named:
        guess = stray_guess_of(scan)
        raise NotUtf8(
            f"{where}: {scan.describe()}, the rest UTF-8 (text pasted from another encoding?): "
            f"fix those bytes, or import with --encoding {guess} to keep the UTF-8 and read "
            f"only them as {guess} ({scan.shown(guess)})",
            guess,
        )
    if not single_byte(named):
        raise ImportFailed(
            f"{where}: {scan.describe()}, the rest UTF-8; {named} cannot read a byte on its "
            f"own: fix those bytes, or name a single-byte encoding for them, such as "
            f"--encoding {stray_guess_of(scan)}"
        )
    shown = scan.describe(named)
    for _, word in scan.places:
        # The stray bytes alone: the UTF-8 around them is UTF-8 whatever they turn into.
        strays = "".join(STRAY.findall(word))
        try:
            read = stray_as(strays, named)
            found = implausible(read) if _C1.search(read) else None
        except UnicodeDecodeError:
            found = (0, f"a byte {named} has no character for")
        if found:
            raise ImportFailed(
                f"{where}: {scan.describe()}, the rest UTF-8; read as {named}, "
                f"{found[1]}: fix those bytes, or name another encoding for them, such as "
                f"--encoding {stray_guess_of(scan)}"
            )
    return Plan(utf8, stray=named, note=f"{shown}: those read as {named} (--encoding)")


def stray_guess_of(scan: Utf8Scan) -> str:
    return stray_guess("".join(word for _, word in scan.places))


def _not_text(
    path, text: str, found: tuple[int, str], named: str, head: bytes, line: int = 1
) -> ImportFailed:
    at, why = found
    where = f"{path}:{text.count(chr(10), 0, at) + line}"
    if named and codecs.lookup(named).name == "iso8859-1" and "control" in why:
        return ImportFailed(
            f"{where}: byte 0x{ord(text[at]):02x} is an invisible control character in "
            "latin-1, a letter or punctuation in cp1252 (Windows' Western encoding): import "
            "with --encoding cp1252"
        )
    guess = guess_encoding(head) if head else None
    if guess and guess != as_option(named):
        what = (
            f"it reads as text in {guess} ({first_words(sample_of(head).decode(guess))}): import it "
            f"on its own with --encoding {guess}"
        )
    else:
        what = "no common encoding reads it as text: save it as UTF-8"
    return ImportFailed(f"{where}: read as {named}, this is not text ({why}); {what}")


def _legacy_advice(data: bytes, guess: str | None) -> str:
    if guess is None:
        return (
            "save it as UTF-8: none of the common encodings (cp1252, cp1250, cp1251, koi8-r, "
            "cp1253, Shift JIS, GB18030, Big5, EUC-KR) reads it as text"
        )
    return (
        f"save it as UTF-8, or name its encoding: --encoding {guess} (charset-normalizer's "
        f"guess, which reads it as {first_words(sample_of(data).decode(guess))}); files that are "
        "valid UTF-8 are read as UTF-8 all the same"
    )


def advice(path: Path | str, data: bytes | None = None) -> str:
    """What to do about a file that is not UTF-8."""
    if data is None:
        try:
            with open(path, "rb") as handle:
                data = handle.read(SAMPLE)
        except OSError:
            data = b""
    return _legacy_advice(data, guess_encoding(data) if data else None)


def scan_file(path: Path) -> Utf8Scan:
    """The file read as UTF-8 in chunks (see encodings.Utf8Scan)."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
    scan = Utf8Scan()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(SAMPLE):
                scan.add(decoder.decode(chunk))
            scan.add(decoder.decode(b"", final=True))
    except OSError as error:
        raise ImportFailed(f"{path}: cannot read ({error.strerror})") from error
    return scan


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(SAMPLE)
    except OSError as error:
        raise ImportFailed(f"{path}: cannot read ({error.strerror})") from error


def plan_file(path: Path, encoding: str | None = None) -> Plan:
    """How to read a file streamed line by line (see plan); a file without a BOM or a named
    encoding is taken for UTF-8 unread, and judged when a line is not."""
    head = _head(path)
    if not encoding and bom_encoding(head) in (None, "utf-8-sig"):
        return Plan(bom_encoding(head) or "utf-8")
    return plan(path, head, scan_file(path) if encoding else Utf8Scan(), encoding)


def encoding_note(path: Path, encoding: str | None) -> str | None:
    """How a file imported with a named encoding was read, for the report (None: as UTF-8)."""
    if not encoding or not path.is_file():
        return None
    return plan_file(path, encoding).note


def decode(data: bytes, path: Path | str, encoding: str | None = None) -> str:
    """A whole file's text (see plan)."""
    if not encoding and bom_encoding(data) in (None, "utf-8-sig"):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass  # judged below
    chosen = plan(path, data, scan_utf8(data), encoding)
    try:
        return chosen.decode(data)
    except UnicodeDecodeError as error:
        raise ImportFailed(
            f"{path}:{_line(data, error.start)}: not valid {chosen.encoding} (byte "
            f"0x{data[error.start]:02x} at offset {error.start})"
        ) from error
    except UnicodeError as error:  # e.g. "UTF-16 stream does not start with BOM"
        raise ImportFailed(f"{path}: not valid {chosen.encoding} ({error})") from error


def read_lines(path: Path, encoding: str | None = None):
    """Yield (line number, line) without loading the file; line ends (\n) are kept off.

    Decoding errors surface as ImportFailed naming the file and the line the bad byte is on,
    so the importer's transaction rolls the whole file back.
    """
    chosen = plan_file(path, encoding)
    name = chosen.encoding.replace("-sig", "").upper()
    legacy = encoding if chosen.encoding == encoding and not chosen.stray else None
    number = 0
    try:
        if not _ascii_newlines(chosen.encoding):
            # UTF-16 and the like: a text stream (which decodes ahead, in chunks).
            with path.open("r", encoding=chosen.encoding, newline="\n") as handle:
                for number, line in enumerate(handle, start=1):
                    yield number, line.rstrip("\n")
            return
        # Decoded line by line, so that a bad byte is reported on its own line (a text
        # stream decodes 8 KB ahead and would blame the line it happened to be reading).
        # Only \n ends a line, as in an editor's line count for JSONL; a \r left at a
        # line's end is whitespace to the JSON parser.
        with path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                try:
                    line = (
                        chosen.decode(raw)
                        if number == 1 or chosen.stray
                        else (raw.decode(chosen.encoding.replace("-sig", "")))
                    )
                except UnicodeDecodeError as error:
                    if not encoding:  # taken for UTF-8 unread: say what it is instead
                        plan(path, _head(path), scan_file(path), None)
                    raise ImportFailed(
                        f"{path}:{number}: not {name} (byte 0x{raw[error.start]:02x} at "
                        f"column {error.start + 1}); {advice(path)}"
                    ) from error
                if legacy and (c1 := _C1.search(line)):  # past the first MB, judged by plan
                    why = f"U+{ord(c1.group()):04X} is an invisible control character"
                    raise _not_text(path, line, (c1.start(), why), legacy, b"", number)
                yield number, line.rstrip("\n")
    except UnicodeError as error:  # UTF-16 without a BOM
        raise ImportFailed(
            f"{path}:{number + 1}: not {name} ({getattr(error, 'reason', error)}); " + advice(path)
        ) from error
    except OSError as error:
        raise ImportFailed(f"{path}: cannot read ({error.strerror})") from error


def any_line_ends(lines):
    """(line number, line) split at a lone CR too, numbered as an editor numbers them: a file
    with old-Mac line ends is one \n-line to read_lines."""
    number = 0
    for _, line in lines:
        pieces = line.split("\r")
        if len(pieces) > 1 and pieces[-1] == "":
            pieces.pop()  # CRLF: the \r of the line end
        for piece in pieces:
            number += 1
            yield number, piece


def _ascii_newlines(encoding: str) -> bool:
    """Whether the byte 0x0A is a newline wherever it occurs (UTF-8, Latin-1: yes; UTF-16: no)."""
    name = codecs.lookup(encoding).name
    if name == "utf-8-sig":
        return True
    try:
        return codecs.encode("\n", name) == b"\n" and codecs.encode("A", name) == b"A"
    except UnicodeError:
        return False


def count_lines(path: Path) -> int:
    """A fast line count, for a progress bar's length."""
    count = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            count += chunk.count(b"\n")
    return count


def read_text(path: Path, encoding: str | None = None) -> str:
    return text_of(read_bytes(path), path, encoding)


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise ImportFailed(f"{path}: cannot read ({error.strerror})") from error


def text_of(data: bytes, path: Path, encoding: str | None = None) -> str:
    """A whole file's bytes as text (see decode), refusing what looks binary."""
    if b"\x00" in data and bom_encoding(data) in (None, "utf-8-sig") and not encoding:
        raise ImportFailed(f"{path}: looks like a binary file, not text")
    return decode(data, path, encoding)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
