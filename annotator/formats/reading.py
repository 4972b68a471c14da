"""Reading text files whose encoding nobody wrote down.

UTF-8 (with or without a BOM) and UTF-16 with a BOM are read as they are; anything else is
refused with the file and the first bad byte named, and the encoding charset-normalizer
guesses for it, unless the user names the encoding. A named encoding applies only to the
files that are not valid UTF-8: a folder of UTF-8 files with one Latin-1 file among them is
imported right with --encoding latin-1 (reading the UTF-8 ones as Latin-1 would turn every
"£" into "Â£"). Latin-1 named for a file with bytes 0x80-0x9F, which are letters and quotes
in cp1252 and invisible controls in Latin-1, is refused with cp1252 suggested. CRLF and CR
line ends become LF in plain text, where no offsets depend on them.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from annotator.core.errors import ImportFailed


def _ascii_compatible(encoding: str) -> bool:
    """An 8-bit encoding whose ASCII is ASCII (Latin-1, cp1252, ...): a file valid as UTF-8 is
    UTF-8, not text in it. Not UTF-16 or UTF-32, whose ASCII text is valid UTF-8 too."""
    return _ascii_newlines(encoding) and codecs.lookup(encoding).name not in _WIDE


_WIDE = ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")
_C1 = re.compile(rb"[\x80-\x9f]")


def _is_latin1(encoding: str) -> bool:
    return codecs.lookup(encoding).name == "iso8859-1"


def _c1_refusal(path, line: int | None, byte: int) -> ImportFailed:
    where = f"{path}:{line}" if line else f"{path}"
    return ImportFailed(
        f"{where}: byte 0x{byte:02x} is an invisible control character in latin-1, a letter or "
        "punctuation in cp1252 (Windows' Western encoding): import with --encoding cp1252"
    )


def guess_encoding(data: bytes) -> str | None:
    """charset-normalizer's guess for bytes that are not UTF-8, as --encoding takes it. Where
    cp1252 (the commonest Western encoding) reads the bytes exactly as the guess does, cp1252:
    on a short text the detector often picks a sibling (cp1250) that agrees on every byte."""
    from charset_normalizer import from_bytes  # imported when a file needs it

    sample = data[: 1 << 20]
    best = from_bytes(sample).best()
    if best is None:
        return None
    name = best.encoding
    try:
        if name != "cp1252" and sample.decode("cp1252") == sample.decode(name):
            name = "cp1252"
    except UnicodeDecodeError:
        pass  # not cp1252: some byte has no character there
    return "latin-1" if name == "latin_1" else name.replace("_", "-")


def advice(path: Path | str, data: bytes | None = None) -> str:
    """What to do about a file that is not UTF-8."""
    if data is None:
        try:
            with open(path, "rb") as handle:
                data = handle.read(1 << 20)
        except OSError:
            data = b""
    guess = guess_encoding(data) if data else None
    named = f"--encoding {guess}" if guess else "--encoding (e.g. cp1252 or latin-1)"
    return (
        f"save it as UTF-8, or name its encoding: {named}"
        + (" (charset-normalizer's guess)" if guess else "")
        + "; files that are valid UTF-8 are read as UTF-8 all the same"
    )


def valid_utf8(path: Path) -> bool:
    """Whether the whole file is UTF-8 (with or without a BOM); read in chunks."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    except OSError as error:
        raise ImportFailed(f"{path}: cannot read ({error.strerror})") from error
    return True


def decode(data: bytes, path: Path | str, encoding: str | None = None) -> str:
    if encoding and _ascii_compatible_or_refuse(encoding, path) and _utf8(data):
        encoding = None  # valid UTF-8 is UTF-8, whatever the import names for other files
    if encoding:
        if _is_latin1(encoding) and (c1 := _C1.search(data)):
            line = data[: c1.start()].count(b"\n") + 1
            raise _c1_refusal(path, line, data[c1.start()])
        try:
            return data.decode(encoding)
        except LookupError as error:
            raise ImportFailed(f"{path}: unknown encoding {encoding!r}") from error
        except UnicodeDecodeError as error:
            raise ImportFailed(f"{path}: not valid {encoding} at byte {error.start}") from error
        except UnicodeError as error:  # e.g. "UTF-16 stream does not start with BOM"
            raise ImportFailed(f"{path}: not valid {encoding} ({error})") from error
    if data.startswith(codecs.BOM_UTF8):
        data, encoding = data[len(codecs.BOM_UTF8) :], "utf-8"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFailed(
            f"{path}:{line}: not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); "
            + advice(path, data)
        ) from error


def _ascii_compatible_or_refuse(encoding: str, path) -> bool:
    try:
        return _ascii_compatible(encoding)
    except LookupError as error:
        raise ImportFailed(f"{path}: unknown encoding {encoding!r}") from error


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def sniff_encoding(path: Path, encoding: str | None = None) -> str:
    """The encoding to stream a file with: UTF-8 if it is valid UTF-8 (with or without a BOM)
    and the named encoding is an 8-bit one; else the named one; else what a BOM says, or
    UTF-8."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError as error:
            raise ImportFailed(f"{path}: unknown encoding {encoding!r}") from error
        if not (_ascii_compatible(encoding) and valid_utf8(path)):
            return encoding
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
    except OSError as error:
        raise ImportFailed(f"{path}: cannot read ({error.strerror})") from error
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8"


def read_lines(path: Path, encoding: str | None = None):
    """Yield (line number, line) without loading the file; line ends (\n) are kept off.

    Decoding errors surface as ImportFailed naming the file and the line the bad byte is on,
    so the importer's transaction rolls the whole file back.
    """
    chosen = sniff_encoding(path, encoding)
    name = chosen.replace("-sig", "").upper()
    latin1 = _is_latin1(chosen)
    number = 0
    try:
        if not _ascii_newlines(chosen):
            # UTF-16 and the like: a text stream (which decodes ahead, in chunks).
            with path.open("r", encoding=chosen, newline="\n") as handle:
                for number, line in enumerate(handle, start=1):
                    yield number, line.rstrip("\n")
            return
        # Decoded line by line, so that a bad byte is reported on its own line (a text
        # stream decodes 8 KB ahead and would blame the line it happened to be reading).
        # Only \n ends a line, as in an editor's line count for JSONL; a \r left at a
        # line's end is whitespace to the JSON parser.
        decoder = codecs.getincrementaldecoder(chosen)()
        with path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                try:
                    line = decoder.decode(raw, final=True)
                except UnicodeDecodeError as error:
                    raise ImportFailed(
                        f"{path}:{number}: not {name} (byte 0x{raw[error.start]:02x} at column "
                        f"{error.start + 1}); {advice(path)}"
                    ) from error
                if latin1 and (c1 := _C1.search(raw)):
                    raise _c1_refusal(path, number, raw[c1.start()])
                yield number, line.rstrip("\n")
    except UnicodeError as error:  # UnicodeDecodeError, or UTF-16 without a BOM
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
    if (
        b"\x00" in data
        and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        and not encoding
    ):
        raise ImportFailed(f"{path}: looks like a binary file, not text")
    return decode(data, path, encoding)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
