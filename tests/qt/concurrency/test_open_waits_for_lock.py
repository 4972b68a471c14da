"""Regression (found in review): opening an up-to-date project takes the write lock once per
migration step (7 BEGIN IMMEDIATE), so a window, a second read-only window, a suggestion
worker or the daily backup that opens while another program holds the lock (the sqlite3
shell, DB Browser's pending changes) waits silently for up to WAIT_LIMIT (300 s), then says
'not saved', though nothing was being saved."""

import time

import annotator.store.project as project_module
from annotator.core.errors import AnnotatorError
from annotator.store.project import ProjectStore
from tests.lock_holder import hold_lock, release


def test_opening_a_current_project_needs_no_write_lock(project, monkeypatch):
    path = project.path
    project.close()
    monkeypatch.setattr(project_module, "WAIT_LIMIT", 1.0)  # 300 s in the app
    holder = hold_lock(path, 3.0, until_told=True)  # let go once the project has opened
    began = time.monotonic()
    try:
        store = ProjectStore(path)
        store.close()
        said = None
    except AnnotatorError as error:
        said = str(error)
    waited = time.monotonic() - began
    release(holder)
    holder.wait(timeout=10)
    assert said is None and waited < 0.5, (round(waited, 2), said)
