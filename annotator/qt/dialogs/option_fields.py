"""A format's options (declared in the registry) as form fields: a list where the option has
choices, else a line whose text the option's type reads. The import and export dialogs share
them, so an option declared once looks and reads the same in both."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit

from annotator.formats.registry import Option

Field = QComboBox | QLineEdit


def option_field(option: Option) -> Field:
    field: Field
    if option.choices:
        field = QComboBox()
        labels = option.choice_labels or tuple(map(str, option.choices))
        for value, text in zip(option.choices, labels, strict=True):
            field.addItem(text, value)
        field.setCurrentIndex(field.findData(option.default))
    else:
        field = QLineEdit("" if option.default is None else str(option.default))
        field.setPlaceholderText(option.placeholder)
    field.setToolTip(option.help)
    return field


def option_value(option: Option, field: Field) -> Any:
    """What the field says, as the option's keyword takes it; empty means the default.
    ValueError (naming the option) for text the option's type refuses."""
    if isinstance(field, QComboBox):
        return field.currentData()
    text = field.text().strip()
    if not text:
        return option.default
    try:
        return option.type(text) if option.type else text
    except ValueError as error:
        raise ValueError(f"{option.label.replace('&', '') or option.flag}: {error}") from None
