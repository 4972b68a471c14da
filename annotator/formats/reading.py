"""Reading text files whose encoding nobody wrote down.

UTF-8 (with or without a BOM) and UTF-16 with a BOM are read as they are; anything else is
refused with the file and the first bad byte named, unless the user names the encoding. CRLF
and CR line ends become LF in plain text, where no offsets depend on them.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from annotator.core.errors import ImportFailed


def decode(data: bytes, path: Path | str, encoding: str | None = None) -> str:
    if encoding:
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
            "save the file as UTF-8 or name its encoding with --encoding (e.g. latin-1)"
        ) from error


def sniff_encoding(path: Path, encoding: str | None = None) -> str:
    """The encoding to stream a file with: the user's, else what its BOM says, else UTF-8."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError as error:
            raise ImportFailed(f"{path}: unknown encoding {encoding!r}") from error
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
                        f"{error.start + 1}); save the file as UTF-8 or name its encoding with "
                        "--encoding (e.g. latin-1)"
                    ) from error
                yield number, line.rstrip("\n")
    except UnicodeError as error:  # UnicodeDecodeError, or UTF-16 without a BOM
        raise ImportFailed(
            f"{path}:{number + 1}: not {name} ({getattr(error, 'reason', error)}); "
            "save the file as UTF-8 or name its encoding with --encoding (e.g. latin-1)"
        ) from error
    except OSError as error:
        raise ImportFailed(f"{path}: cannot read ({error.strerror})") from error


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
