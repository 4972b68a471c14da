"""The name set in the window (identity.py), read from QSettings' file without Qt.

Every `annotator import` and `suggest` asks for it, to attribute what they write; importing
Qt to read one line of a text file was a tenth of a second of each command's start. On Linux
QSettings keeps the user's settings in $XDG_CONFIG_HOME/annotator/annotator.conf, an INI
file in UTF-8 where a plain name is written as it is ("name=Ana María Ruiz"). This reads it
only when nothing else can change the answer: no organisation-wide or system-wide file to
fall back on, and a value Qt wrote without quotes or escapes. Anything else (another
platform, a name with a comma or a quote) answers ASK_QT, and the caller asks Qt.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ASK_QT = object()  # this module can't tell: read it through QSettings

_SECTION = "[identity]"
_KEY = "name="
_NOT_PLAIN = set('"\\,;@')  # what Qt quotes or escapes, or a type prefix (@Variant)


def _config_homes() -> tuple[Path, list[Path]]:
    home = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    dirs = os.environ.get("XDG_CONFIG_DIRS") or "/etc/xdg"
    return Path(home), [Path(d) for d in dirs.split(":") if d]


def saved_name():
    """The saved name, None if there is none, or ASK_QT."""
    if not sys.platform.startswith("linux"):
        return ASK_QT
    home, system = _config_homes()
    fallbacks = [home / "annotator.conf"]
    fallbacks += [d / "annotator" / "annotator.conf" for d in system]
    fallbacks += [d / "annotator.conf" for d in system]
    try:
        if any(path.exists() for path in fallbacks):
            return ASK_QT
        text = (home / "annotator" / "annotator.conf").read_text(encoding="utf-8")
    except FileNotFoundError:
        return None  # no settings at all: Qt would find no name either
    except (OSError, UnicodeDecodeError):
        return ASK_QT
    section, found = None, []
    for line in text.splitlines():
        if line.startswith("["):
            section = line.strip()
        elif section == _SECTION and line.startswith(_KEY):
            found.append(line[len(_KEY) :])
        elif section == _SECTION and line.strip().startswith("name"):
            return ASK_QT  # written by hand ("name = ..."): Qt's parser decides
    if not found:
        return None
    value = found[0]
    if len(found) > 1 or value != value.strip() or _NOT_PLAIN & set(value):
        return ASK_QT
    return value or None
