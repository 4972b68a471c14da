"""`annotator [PROJECT.db] [--schema SCHEMA.toml]`: open the window (the demo project without
a project). Qt is imported only here, and only when the window starts, so every subcommand
runs on a machine without Qt or a display."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from annotator.cli.shared import SCHEMA_HELP, new_project_schema, open_store, say_waiting
from annotator.core.errors import AnnotatorError

# An exit status of its own: not a usage error (2), and a script can tell it apart.
NO_DISPLAY_STATUS = 3
NO_DISPLAY = (
    "annotator: no display found; run the GUI under a desktop session, or headless "
    "with `xvfb-run -a annotator ...`"
)


def build_gui_parser(usage: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="annotator", usage=usage)
    parser.add_argument("project", metavar="PROJECT.db", nargs="?")
    parser.add_argument("--schema", metavar="SCHEMA.toml", help=SCHEMA_HELP)
    return parser


def has_display() -> bool:
    if not sys.platform.startswith("linux"):
        return True
    return any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def gui(project: str | None, schema: str | None = None) -> int:
    # Checked before Qt loads: without a display Qt aborts the process with a long message.
    if not has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return NO_DISPLAY_STATUS
    if project is None:
        path = last_project_or_demo()
    else:
        path = Path(project)
        if path.is_dir():
            raise AnnotatorError(f"{project}: is a folder, not a project file")
        if not path.parent.is_dir():
            raise AnnotatorError(f"{project}: the folder {path.parent} does not exist")
        if schema is not None:
            open_store(path, new_project_schema(path, schema)).close()
    return launch_gui(path)


def last_project_or_demo() -> Path:
    """What `annotator` alone opens: the project opened last (the person's settings), or the
    demo the first time (or when that project is gone)."""
    try:
        from annotator.qt.recent_projects import last_project
    except ImportError:  # no Qt: launch_gui says so
        last = None
    else:
        last = last_project()
    from annotator.demo import data_dir, demo_project_path

    if last is not None and last != data_dir() / "demo.db":
        return last
    return demo_project_path()  # (brought up to date with the seeds this version ships)


def launch_gui(path: Path) -> int:
    try:
        from annotator.qt.app import run_gui
    except ImportError as error:
        raise AnnotatorError(f"cannot start the GUI ({error}); is PySide6 installed?") from error
    return run_gui(path, waiting=say_waiting())
