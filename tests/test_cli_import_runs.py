"""An import killed on another host name (a container, a renamed machine, a second computer
on a shared folder) left a staging run that nothing on this host ever removed: every schema
rename was refused for good ("an import ... is running") and its file could not be imported
again. Such a run is abandoned once its batches have stopped for RUN_STALE_AFTER."""

import subprocess
import sys
import textwrap

from tests.test_cli_schema import SEED, query, run, schema_of


def test_killed_import_from_another_host_name_does_not_wedge_schema_changes(capsys, tmp_path):
    db = tmp_path / "p.db"
    assert run(capsys, "import", db, SEED)[0] == 0
    # An import started where the host name differs (a docker container: its id), killed
    # after its run was staged (os._exit stands for kill -9).
    script = textwrap.dedent(f"""
        import os, socket
        socket.gethostname = lambda: "container-3f2a9c"
        from annotator.store import open_project
        store = open_project({str(db)!r})
        store.start_import_run("news.jsonl")
        os._exit(9)
    """)
    subprocess.run([sys.executable, "-c", script], check=False)
    assert query(db, "SELECT count(*) FROM import_runs WHERE state = 'staging'")[0][0] == 1
    # Just killed: from here it can't be told from a live import on that host.
    code, _, err = run(capsys, "schema", db, "--rename", "PERSON", "HUMAN")
    assert code != 0 and "an import (news.jsonl) is running" in err
    # Two minutes on, its batches have long stopped: the importer is dead. The next import
    # on this host cleans up what it can...
    query(db, "UPDATE import_runs SET heartbeat = heartbeat - 120")
    other = tmp_path / "more.txt"
    other.write_text("Another article about nothing in particular.")
    assert run(capsys, "import", db, other)[0] == 0
    # ... and a rename must work: nobody is importing.
    code, out, err = run(capsys, "schema", db, "--rename", "PERSON", "HUMAN")
    assert code == 0, err
    assert "HUMAN" in [item["name"] for item in schema_of(db)["entities"]]


def test_a_run_recorded_before_start_tokens_is_not_kept_alive_by_a_reused_pid(capsys, tmp_path):
    """A run recorded without its owner's start (no /proc) whose importer was killed before a
    reboot: its pid now belongs to another process (here: pytest's parent). Its batches
    stopped long ago, which is what tells it is abandoned."""
    import os
    import socket

    db = tmp_path / "p.db"
    assert run(capsys, "import", db, SEED)[0] == 0
    query(db, "INSERT INTO import_runs (source, state, pid, host, started) "
              "VALUES ('news.jsonl', 'staging', ?, ?, ?)",
          os.getppid(), socket.gethostname(), 1_000_000.0)  # started in 1970: long gone
    code, out, err = run(capsys, "schema", db, "--rename", "PERSON", "HUMAN")
    assert code == 0, err


def test_an_import_killed_under_another_host_name_does_not_block_importing_its_file(capsys, tmp_path):
    """The killed run's invisible articles hold the unique ext_id/text_hash indexes. Importing
    the same file again here skips every article as "same as an article another import, still
    running, is adding; should that import fail, import this file again": it never finishes,
    and the articles can never be imported."""
    db = tmp_path / "p.db"
    other = tmp_path / "a.txt"
    other.write_text("A first article, so that the project exists.")
    assert run(capsys, "import", db, other)[0] == 0
    script = textwrap.dedent(f"""
        import os, socket
        socket.gethostname = lambda: "container-3f2a9c"
        from annotator.store.project import ProjectStore
        ProjectStore.publish_import_run = lambda *a, **k: os._exit(9)  # killed just before
        from annotator.cli import main
        main(["import", {str(db)!r}, {str(SEED)!r}])
    """)
    subprocess.run([sys.executable, "-c", script], check=False)
    query(db, "UPDATE import_runs SET heartbeat = heartbeat - 120")  # two minutes on
    code, out, err = run(capsys, "import", db, SEED)
    assert code == 0, err
    assert query(db, "SELECT count(*) FROM articles WHERE run_id IN "
                     "(SELECT id FROM import_runs WHERE state = 'published') OR run_id IS NULL")[0][0] == 2, out + err
