"""Opening a project doesn't look for sqlite-utils plugins (the store uses none; finding them
read every installed package's entry points at each command's start)."""

import subprocess
import sys


def test_opening_a_project_loads_no_sqlite_utils_plugins(tmp_path):
    script = (
        "from annotator.store import open_project\n"
        f"store = open_project({str(tmp_path / 'p.db')!r})\n"
        "store.close()\n"
        f"store = open_project({str(tmp_path / 'p.db')!r})\n"
        "import sqlite_utils.plugins as plugins\n"
        "print(plugins._plugins_loaded, store.count_articles())\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["False", "0"]
