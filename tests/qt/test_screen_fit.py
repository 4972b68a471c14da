"""Issue 12: the window fits the screen it opens on, and its three panes stay usable on a
1280x720 laptop. Each case opens the real window in a process whose offscreen screen has that
size (tests/qt/screen_probe.py), with a settings folder of its own."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.formats.importer import import_paths
from annotator.store import open_project
from tests.qt.screen_probe import screen_config

ROOT = Path(__file__).resolve().parents[2]
PROBE = ROOT / "tests" / "qt" / "screen_probe.py"


@pytest.fixture
def demo(tmp_path):
    path = tmp_path / "demo.db"
    store = open_project(path)
    import_paths(store, sorted((ROOT / "seeds").glob("*.txt")))
    store.close()
    return path


def probe(tmp_path, project, width, height, *extra):
    env = dict(os.environ, QT_QPA_PLATFORM=screen_config(tmp_path, width, height),
               XDG_CONFIG_HOME=str(tmp_path / "config"))  # where QSettings keeps the geometry
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run([sys.executable, str(PROBE), str(project), *extra], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def inside(rect, screen):
    x, y, w, h = rect
    sx, sy, sw, sh = screen
    return sx <= x and sy <= y and x + w <= sx + sw and y + h <= sy + sh


@pytest.mark.parametrize("size", [(1280, 720), (1366, 768), (1024, 768)])
def test_every_pane_and_the_status_bar_are_on_a_small_screen_and_usable(tmp_path, demo, size):
    seen = probe(tmp_path, demo, *size)
    screen, panes = seen["screen"], seen["panes"]
    assert screen == [0, 0, *size]
    assert inside(seen["frame"], screen), seen
    for name, rect in panes.items():
        assert inside(rect, screen), f"{name} {rect} is not within the screen {screen}"
    minimum = {"article list": 250, "article view": 320, "label palette": 250,
               "event panel": 250, "status bar": size[0] * 0.9}
    for name, width in minimum.items():
        assert panes[name][2] >= width, f"{name} is {panes[name][2]} px wide: {seen}"
    assert panes["event panel"][3] >= 150 and panes["label palette"][3] >= 150, seen
    # Titles readable, not cut to eight characters; chips whole, not clipped on the right.
    assert seen["title chars"] >= 18, seen
    assert seen["palette gives"] >= seen["chips need"], seen
    assert seen["status texts"] == ["Article 1 of 4", "All changes saved"]


def test_a_geometry_saved_on_a_big_screen_is_not_restored_on_a_small_one(tmp_path, demo):
    big = probe(tmp_path, demo, 1920, 1080, "--resize", "1800x1000", "--save")
    assert big["frame"][2:] >= [1800, 1000]
    assert (tmp_path / "config" / "annotator" / "annotator.conf").is_file()
    # Where it fits, it is restored (so the check below tests the restoring, not its absence).
    again = probe(tmp_path, demo, 1920, 1080)
    assert again["frame"][2:] == big["frame"][2:]
    small = probe(tmp_path, demo, 1280, 720)
    assert inside(small["frame"], small["screen"]), small
    assert small["frame"][2:] == [1220, 666]  # the size a first start on this screen gets
    for name, rect in small["panes"].items():
        assert inside(rect, small["screen"]), name


def test_a_window_left_bigger_than_its_screen_opens_within_it(tmp_path, demo):
    """Saved on this very screen but sticking out of it (a panel added since, a window
    dragged half off): the panes and the status bar still open on the screen."""
    probe(tmp_path, demo, 1280, 720, "--resize", "1400x900", "--save")
    seen = probe(tmp_path, demo, 1280, 720)
    assert seen["frame"][2] <= 1280 + 4 and seen["frame"][3] <= 720 + 4, seen
    for name, rect in seen["panes"].items():
        assert inside(rect, seen["screen"]), f"{name} {rect}"
