"""What a person may hand `annotator merge` by mistake (issue 15): a file that is not a
project, a damaged one, one written by a newer annotator, the project merged into itself
(by its own path or a link to it), one file twice. Each is said in words naming the file,
and nothing is merged or made before all the files are known to be good."""

import os
import sqlite3

import pytest
from test_merge_scenario import label, run, sql

from annotator.demo import build_demo_project
from annotator.store import migrations


@pytest.fixture
def copies(capsys, tmp_path):
    base = tmp_path / "demo.db"
    build_demo_project(base)
    alice, bob = tmp_path / "alice.db", tmp_path / "bob.db"
    run(capsys, "backup", base, alice)
    run(capsys, "backup", base, bob)
    label(alice, "alice", [("Baghdad", "GPE")])
    label(bob, "bob", [("Pentagon", "ORG")])
    return alice, bob


def bad_files(tmp_path, alice):
    notes = tmp_path / "notes.db"
    notes.write_text("minutes of the meeting\n")
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(alice.read_bytes()[:5000])
    newer = tmp_path / "newer.db"
    newer.write_bytes(alice.read_bytes())
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    return {
        notes: "is damaged or is not an annotator project",
        damaged: "is damaged or is not an annotator project",
        newer: "was written by a newer annotator",
        tmp_path / "gone.db": "no such project file",
    }


def test_a_bad_last_file_stops_the_merge_before_a_new_project_is_made(capsys, tmp_path, copies):
    alice, bob = copies
    for bad, says in bad_files(tmp_path, alice).items():
        out = tmp_path / "merged.db"
        code, stdout, err = run(capsys, "merge", out, alice, bob, bad)
        assert code == 1, stdout
        assert bad.name in err and says in err, err
        assert not out.exists(), f"{bad.name}: OUT.db was made before the bad file was found"


def test_a_bad_file_leaves_an_existing_merged_project_untouched(capsys, tmp_path, copies):
    alice, bob = copies
    out = tmp_path / "merged.db"
    assert run(capsys, "merge", out, alice)[0] == 0
    before = sql(out, "SELECT id, annotator, label FROM spans ORDER BY id")
    label(bob, "bob", [("Iraqi", "NORP")])
    for bad, says in bad_files(tmp_path, alice).items():
        code, _, err = run(capsys, "merge", out, bob, bad)
        assert code == 1 and bad.name in err and says in err, err
        assert sql(out, "SELECT id, annotator, label FROM spans ORDER BY id") == before


def test_the_project_is_not_merged_into_itself_by_its_path_or_a_link(capsys, tmp_path, copies):
    alice, _ = copies
    out = tmp_path / "merged.db"
    assert run(capsys, "merge", out, alice)[0] == 0
    link = tmp_path / "shortcut.db"
    os.symlink(out, link)
    before = sql(out, "SELECT count(*) FROM spans")
    for given in (out, link):
        code, _, err = run(capsys, "merge", out, given)
        assert code == 1
        assert f"{given}: is the project merged into; give the annotators' copies" in err
    assert sql(out, "SELECT count(*) FROM spans") == before


def test_a_file_given_twice_is_merged_once_and_said(capsys, tmp_path, copies):
    alice, bob = copies
    out = tmp_path / "merged.db"
    again = tmp_path / "again" / ".." / "alice.db"
    (tmp_path / "again").mkdir()
    code, stdout, _ = run(capsys, "merge", out, alice, bob, again)
    assert code == 0, stdout
    assert f"note: {again}: given twice (also as {alice}); merged once" in stdout
    assert stdout.count("merged again") == 0
    assert sql(out, "SELECT annotator, count(*) FROM spans GROUP BY 1 ORDER BY 1") == [
        ("alice", 1), ("bob", 1)]  # fmt: skip


def test_an_empty_out_file_is_made_the_merged_project(capsys, tmp_path, copies):
    """OUT.db exists but is empty (a file dialog made it): the merge makes the project in
    it, instead of refusing with an option merge does not have."""
    alice, bob = copies
    merged = tmp_path / "merged.db"
    merged.touch()
    code, out, err = run(capsys, "merge", merged, alice, bob)
    assert code == 0, (out, err)
    assert "--force" not in out + err
    assert sql(merged, "SELECT DISTINCT annotator FROM spans WHERE annotator IN ('alice', 'bob') "
               "ORDER BY 1") == [("alice",), ("bob",)]  # fmt: skip
