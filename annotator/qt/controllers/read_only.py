"""What a write menu entry does in a read-only window: nothing, and says why (no box)."""

from __future__ import annotations

from annotator.qt.workbench import Workbench


def refused(window: Workbench) -> bool:
    """True, with a status message, when the window's project is read-only."""
    reason = window.store.read_only
    if reason is None:
        return False
    window.status.showMessage(f"Read-only: {reason}. Nothing was changed.", 8000)
    return True
