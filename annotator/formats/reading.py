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
    if data.startswith(codecs.BOM_UTF8):
        data, encoding = data[len(codecs.BOM_UTF8):], "utf-8"
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


def read_text(path: Path, encoding: str | None = None) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFailed(f"{path}: cannot read ({error.strerror})") from error
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not encoding:
        raise ImportFailed(f"{path}: looks like a binary file, not text")
    return decode(data, path, encoding)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
