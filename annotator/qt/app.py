"""Start the GUI on a project file."""

from __future__ import annotations

from pathlib import Path


def run_gui(project_path: Path) -> int:
    """Open the main window on project_path (created if absent) and run until it closes."""
    raise NotImplementedError("the main window is being written")
