"""The banner over a read-only window: why it can't be edited and when that changes."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


class ReadOnlyBanner(QLabel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setObjectName("readOnlyBanner")
        # Amber, readable in light and dark themes alike: a state, not an error.
        self.setStyleSheet(
            "#readOnlyBanner { background: #fff3cd; color: #533f03; padding: 6px 10px;"
            " border-bottom: 1px solid #e0c36a; }"
        )
        self.hide()

    def show_reason(self, reason: str | None, waiting_for_window: bool) -> None:
        if reason is None:
            self.hide()
            return
        text = f"Read-only: {reason}."
        if waiting_for_window:
            text += " It will become editable when that window closes."
        self.setText(text)
        self.show()
