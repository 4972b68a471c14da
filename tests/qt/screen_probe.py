"""Opens the real window on a screen of a given size, in a process of its own (a Qt process has
one set of screens, fixed when it starts), and prints where everything landed as JSON.

    python tests/qt/screen_probe.py PROJECT.db [--resize WxH] [--save] [--shot PNG]

The screen comes from QT_QPA_PLATFORM="offscreen:configfile=FILE" (see `screen_config`);
--resize resizes the window as a person would, --save closes it so it saves its geometry.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def screen_config(folder: Path, width: int, height: int) -> str:
    """The QT_QPA_PLATFORM value for one offscreen screen of width x height at 96 dpi."""
    config = folder / f"screen-{width}x{height}.json"
    screen = {"name": "probe", "x": 0, "y": 0, "width": width, "height": height,
              "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
    config.write_text(json.dumps({"screens": [screen]}))
    return f"offscreen:configfile={config}"


def main(argv: list[str]) -> None:
    from PySide6.QtWidgets import QApplication

    from annotator.qt.app import make_app
    from annotator.qt.main_window import MainWindow
    from annotator.store.project import ProjectStore

    app = make_app()
    window = MainWindow(ProjectStore(Path(argv[0])))
    window.show()
    for _ in range(10):
        app.processEvents()
    if "--resize" in argv:  # after it settled: as a person would, later
        width, height = argv[argv.index("--resize") + 1].split("x")
        window.resize(int(width), int(height))
        for _ in range(10):
            app.processEvents()

    def rect(widget) -> list[int]:
        """Where a widget is on the screen, as x, y, width, height (what is visible of it)."""
        visible = widget.visibleRegion().boundingRect()
        top_left = widget.mapToGlobal(visible.topLeft())
        return [top_left.x(), top_left.y(), visible.width(), visible.height()]

    room = window.screen().availableGeometry()
    frame = window.frameGeometry()
    palette = window.palette_widget
    title_column = window.panel.table.columnWidth(0)
    print(json.dumps({
        "screen": [room.x(), room.y(), room.width(), room.height()],
        "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
        "panes": {
            "article list": rect(window.panel),
            "article view": rect(window.view),
            "label palette": rect(palette),
            "event panel": rect(window.event_panel),
            "status bar": rect(window.status),
        },
        "title column": title_column,
        "title chars": title_column // max(window.panel.table.fontMetrics().averageCharWidth(), 1),
        # The chips need this much; the palette's viewport must give it (no horizontal bar).
        "chips need": palette.widget().minimumSizeHint().width(),
        "palette gives": palette.viewport().width(),
        "status texts": [window.status.position_label.text(), window.status.saved_label.text()],
    }))
    if "--shot" in argv:  # a picture of the window, to look at
        window.grab().save(argv[argv.index("--shot") + 1])
    if "--save" in argv:
        window.close()
    QApplication.processEvents()
    window.store.close()


if __name__ == "__main__":
    main(sys.argv[1:])
