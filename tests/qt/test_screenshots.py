"""scripts/screenshots.py makes the README's pictures from the real window: run its core into
a temporary folder and look at what it wrote."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_script():
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts" / "screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def colours(image) -> set[int]:
    """The distinct colours on a grid of points over the image."""
    step = 7
    return {image.pixel(x, y) for x in range(0, image.width(), step)
            for y in range(0, image.height(), step)}


def test_the_script_writes_the_readme_screenshots_of_the_labelled_demo(qtbot, tmp_path):
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication

    font = QApplication.font()
    script = load_script()
    shots = script.make_screenshots(tmp_path / "out", tmp_path / "work")
    names = [path.name for path in shots]
    assert names == ["01-founding-article.png", "02-event-and-its-arguments.png",
                     "03-review-suggestions.png", "04-import-with-options.png",
                     "05-export-for-spacy.png", "06-events-dense-paragraph.png",
                     "07-find-in-article.png", "08-label-all-occurrences.png"]
    for path in shots:
        image = QImage(str(path))
        assert not image.isNull(), path
        # Not blank: a window or a dialog has text, frames and, in the window, label colours.
        assert len(colours(image)) >= (8 if path.name[:2] in ("04", "05", "08") else 40), path
    for path in [*shots[:3], shots[5]]:
        image = QImage(str(path))
        assert (image.width(), image.height()) == script.SIZE
    # The two event pictures differ where only the selected event's arcs are drawn: the
    # Life.Die event's arcs (#8c564b drawn a shade darker) are in the first, not the second.
    first, second = QImage(str(shots[0])), QImage(str(shots[1]))
    assert first != second

    def die_arcs(image) -> int:
        return sum(
            max(abs(c.red() - 0x75), abs(c.green() - 0x48), abs(c.blue() - 0x3e)) <= 12
            for c in (image.pixelColor(x, y) for x in range(372, 890) for y in range(230, 415)))

    assert die_arcs(first) > 40 and die_arcs(second) == 0
    # The founding article's spans are drawn: GPE's orange (#feca74, give or take the 256
    # colours the PNG keeps) in the text column, where only span tags have it.
    def near_gpe(colour) -> bool:
        return max(abs(colour.red() - 0xfe), abs(colour.green() - 0xca),
                   abs(colour.blue() - 0x74)) <= 8

    assert sum(near_gpe(first.pixelColor(x, y))
               for x in range(350, 900, 2) for y in range(60, 300, 2)) > 100
    # The project it labelled holds what the pictures show.
    from annotator.store import open_project
    from tests.conftest import on_disk

    store = open_project(tmp_path / "work" / "demo.db")
    try:
        events = on_disk(store, "SELECT type FROM events ORDER BY id")
        assert [t for (t,) in events] == [
            "Conflict.Attack", "Life.Die", "Conflict.Attack",  # the first paragraph
            "Conflict.Demonstrate", "Conflict.Demonstrate", "Conflict.Attack", "Conflict.Attack",
            "Contact.Statement"]  # the dense second one
        assert on_disk(store, "SELECT count(*) FROM event_arguments") == [(19,)]
        assert on_disk(store, "SELECT count(*) FROM spans WHERE state = 'suggested'")[0][0] >= 6
    finally:
        store.close()
    assert QApplication.font() == font  # the app's looks put back for the tests after this one
