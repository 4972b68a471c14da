#!/usr/bin/env python3
"""Pictures of Edit › Settings… and of what it changes, made from the app itself:

    python scripts/settings_screenshots.py [OUTDIR]     # default: docs/screenshots/

The demo project (as scripts/screenshots.py builds and labels it) on the founding article in
the light theme, in the dark theme, and zoomed to 150 %; the dialog's two pages. The person's
own settings are put back afterwards.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _shots_module():
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts" / "screenshots.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_settings_screenshots(outdir: Path, workdir: Path) -> list[Path]:
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    from annotator.demo import build_demo_project
    from annotator.qt import preferences, theme
    from annotator.qt.app import make_app
    from annotator.qt.user_settings import user_settings

    shots = _shots_module()
    outdir.mkdir(parents=True, exist_ok=True)
    workdir.mkdir(parents=True, exist_ok=True)
    app = make_app()
    settings = user_settings()
    kept = {key: settings.value(key) for key, _ in preferences._KEYS.values()}
    font, style = QApplication.font(), app.style().name()
    app.setStyle("Fusion")
    app.setPalette(app.style().standardPalette())
    QApplication.setFont(QFont(*shots.FONT))
    for key in kept:
        settings.remove(key)
    try:
        project = workdir / "demo.db"
        build_demo_project(project)
        window = shots._open_window(project, app)
        founding = shots._founding_id(window.store)
        window.session.open_article(founding)
        shots._label_founding_article(window, app)
        window.view.clear_selection()
        window.view.verticalScrollBar().setValue(0)
        shots._settle(app)
        made = [shots._save(window, outdir / "10-founding-light.png")]
        dialog = window.settings.open()
        shots._settle(app)
        made.append(shots._save(dialog, outdir / "11-settings-appearance.png"))
        dialog.theme.setCurrentIndex(dialog.theme.findData(preferences.DARK))
        dialog.tabs.setCurrentWidget(dialog.keys)
        dialog.keys.select("review.accept")
        dialog.keys.assign("review.accept", ["p"])  # refused: PERSON's key, said in red
        shots._settle(app)
        made.append(shots._save(dialog, outdir / "12-settings-keys.png"))
        dialog.accept()
        shots._settle(app)
        made.append(shots._save(window, outdir / "13-founding-dark.png"))
        window.settings.keep(preferences.Preferences(zoom=150))  # light again, at 150 %
        shots._settle(app)
        made.append(shots._save(window, outdir / "14-founding-zoomed.png"))
        shots._close(window, app)
        return made
    finally:
        theme.apply_theme(preferences.SYSTEM)
        QApplication.setFont(font)
        app.setStyle(style)
        app.setPalette(app.style().standardPalette())
        for key, value in kept.items():
            if value is None:
                settings.remove(key)
            else:
                settings.setValue(key, value)


def main(argv: list[str]) -> int:
    _shots_module().run_offscreen(make_settings_screenshots, argv)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
