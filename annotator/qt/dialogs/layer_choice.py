"""Which annotators' layer an export takes, as the export dialog offers it: the gold layer
(the default once there is one), every layer together (the default before), or one person's.
The command line's --annotator NAME / --all-layers say the same."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from annotator.core.layers import GOLD
from annotator.store.project import ProjectStore

EVERY = ""  # the combo's data for "every layer together" (None would read as "no data")


def export_layers(store: ProjectStore) -> list[tuple[str, str]]:
    """(layer, words), the default first; empty when there is nothing to choose (one
    annotator's work, no gold)."""
    names = store.annotators()
    people = [name for name in names if name != GOLD]
    if GOLD not in names and len(people) < 2:
        return []
    choices = [(EVERY, "every layer together")]
    if GOLD in names:
        choices.insert(0, (GOLD, "the gold layer (adjudicated)"))
    choices += [(name, f"only {name}'s layer") for name in people]
    return choices


def layer_box(layers) -> QComboBox:
    box = QComboBox()
    for value, words in layers:
        box.addItem(words, value)
    box.setToolTip(
        "Whose annotations go out. Articles without that layer's spans or events are left "
        "out (for gold: not yet adjudicated)."
    )
    return box


def read_layer(choice: str | None) -> str | None:
    """The store's read_layer for a choice of the box."""
    return None if choice in (None, EVERY) else choice
