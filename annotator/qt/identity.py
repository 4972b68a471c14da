"""Who is annotating: a user setting (QSettings, beside the window geometry), asked once and
changed from Edit › Your name…; the window stamps it on every span, event, argument and
suggestion decision (store.annotator). Until the person gives one, the OS user name stands
in, so the window never blocks on a question before the first article shows."""

from __future__ import annotations

import getpass

from PySide6.QtCore import QSettings

from annotator.core.layers import reserved_name
from annotator.qt.user_settings import user_settings

KEY = "identity/name"
ASKED = "identity/asked"  # the first-run question was answered or dismissed: never again


def _settings() -> QSettings:
    return user_settings()


def saved_name() -> str | None:
    """The name the person gave (None if they never did); the CLI's default too."""
    value = _settings().value(KEY)
    name = str(value).strip() if value is not None else ""
    return name or None


def os_user_name() -> str:
    try:
        return getpass.getuser() or "annotator"
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        return "annotator"


def current_name() -> str:
    return saved_name() or os_user_name()


def save_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValueError("a name can't be empty")
    if reserved_name(name):
        raise ValueError(f"“{name}” is the name of a layer the app keeps (gold: adjudicated)")
    _settings().setValue(KEY, name)
    return name


def was_asked() -> bool:
    """Whether the window asked for the name once already (answered or dismissed)."""
    return str(_settings().value(ASKED, "")).lower() in ("1", "true")


def mark_asked() -> None:
    _settings().setValue(ASKED, True)
