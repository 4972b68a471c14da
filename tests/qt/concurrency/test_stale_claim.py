"""Regression (found in review): a crashed window's claim whose pid now belongs to another process (a reboot,
pid reuse) keeps every window read-only for as long as that process lives, however old its
heartbeat."""

import subprocess

from annotator.store import open_project
from annotator.store.activity import HOST


def test_a_reused_pid_keeps_the_project_read_only(qtbot, project):
    from annotator.qt.main_window import MainWindow

    unrelated = subprocess.Popen(["sleep", "60"])  # the crashed window's pid, reused
    try:
        other = open_project(project.path)
        with other.write():
            other.conn.execute(
                "INSERT INTO activity(pid, host, kind, what, started, heartbeat) "
                "VALUES (?, ?, 'window', 'another annotator window', 0, 0)",  # 1970
                (unrelated.pid, HOST),
            )
        other.close()
        win = MainWindow(project)
        qtbot.addWidget(win)
        qtbot.wait(2500)  # two takeover ticks
        assert project.read_only is None, win.banner.text()
    finally:
        unrelated.kill()
