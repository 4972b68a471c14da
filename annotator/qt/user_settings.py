"""The user's own settings (QSettings: window geometry, identity, view choices, recent
projects...), one place that names the store so every widget reads and writes the same file.

Project-level things (schema, keys, reading places) stay in the project file instead: they
travel with it to another annotator's machine.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

ORGANIZATION = "annotator"
APPLICATION = "annotator"


def user_settings() -> QSettings:
    return QSettings(ORGANIZATION, APPLICATION)
