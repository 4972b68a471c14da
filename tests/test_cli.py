"""The `annotator` command, run as a user would: main([...]) in process, and once as a program."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin

import annotator.cli.gui as cli_gui
from annotator.cli import main
from annotator.store import open_project

ROOT = Path(__file__).resolve().parents[1]
HEADLINES = ROOT / "tests" / "data" / "prodigy-news-headlines.jsonl"
NEWS_BRAT = ROOT / "tests" / "data" / "brat" / "news-tutorial"
SEED = ROOT / "seeds" / "us-drone-strike-baghdad-militia-leader.txt"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_clean_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("annotator: ")
    return lines[0]


def test_import_export_and_stats(capsys, tmp_path):
    db = tmp_path / "news.db"
    code, out, _ = run(capsys, "import", db, HEADLINES, SEED)
    assert code == 0
    assert out.startswith("Imported 151 article(s) with 129 span(s) from 2 file(s).")
    assert "Labels added to the schema: LOCATION" in out

    code, out, _ = run(capsys, "stats", db, "--json")
    stats = json.loads(out)
    # Prodigy's accepted answers are done, with or without spans (the seed article is new).
    assert code == 0 and stats["articles"] == 151 and stats["done"] == 150
    assert stats["statuses"] == {"new": 1, "in_progress": 0, "done": 150, "skipped": 0}
    assert stats["spans_per_label"] == {"LOCATION": 58, "ORG": 49, "PERSON": 22}

    code, out, _ = run(capsys, "stats", db)
    assert code == 0 and "150 of 151 article(s) done" in out and "LOCATION" in out

    code, out, _ = run(capsys, "export", "spacy", db, tmp_path / "out", "--dev-share", "0.25",
                       "--seed", "3")
    assert code == 0 and "112 to train/ (1 shard), 38 to dev/ (1 shard)" in out
    vocab = spacy.blank("en").vocab
    docs = list(DocBin().from_disk(tmp_path / "out" / "dev" / "dev-00000.spacy").get_docs(vocab))
    assert len(docs) == 38 and any(doc.ents for doc in docs)

    code, out, _ = run(capsys, "export", "jsonl", db, tmp_path / "out.jsonl")
    assert code == 0 and out.startswith("Exported 150 article(s)")
    assert len((tmp_path / "out.jsonl").read_text().splitlines()) == 150


def test_brat_import_export_and_event_stats(capsys, tmp_path):
    db = tmp_path / "news.db"
    code, out, _ = run(capsys, "import", db, NEWS_BRAT)
    assert code == 0
    assert out.startswith("Imported 13 article(s) with 119 span(s) from 13 file(s).\n"
                          "Events: 23 with 52 argument(s); relations: 10.")
    assert "Labels added to the schema: Person, Organization, Money" in out
    assert "event type Merge-org" in out and "relation type Family" in out
    assert "numbered roles read as repeats of their role: Org-Arg2 → Org-Arg" in out

    code, out, _ = run(capsys, "stats", db, "--json")
    stats = json.loads(out)
    assert code == 0 and stats["events"] == 23 and stats["arguments"] == 52
    assert stats["events_per_type"] == {"Merge-org": 14, "Report": 8, "Transfer-money": 1}
    assert stats["arguments_per_role"]["Org-Arg"] == 32
    assert stats["arguments_per_role"]["Event-Arg"] == 8
    assert stats["arguments_per_type_and_role"]["Report"] == {"Event-Arg": 8, "Reporter-Arg": 8}
    assert stats["relations"] == 10
    assert stats["relations_per_type"] == {"Alias": 2, "Employment": 1, "Family": 3,
                                           "Located": 3, "Origin": 1}
    code, out, _ = run(capsys, "stats", db)
    assert code == 0 and "Events: 23 with 52 argument(s)" in out
    assert "Report       8  (Event-Arg 8, Reporter-Arg 8)" in out and "Relations: 10" in out

    code, out, _ = run(capsys, "export", "brat", db, tmp_path / "brat")
    assert code == 0 and out.startswith("Exported 13 article(s)")  # empty .ann ones too
    assert "E: 23 with 52 argument(s); R: 8; *: 2; A: 11; #: 4; N: 1." in out
    assert (tmp_path / "brat" / "annotation.conf").is_file()
    assert len(list((tmp_path / "brat").glob("*.ann"))) == 13

    code, out, _ = run(capsys, "import", tmp_path / "again.db", tmp_path / "brat")
    assert code == 0 and out.startswith("Imported 13 article(s) with 119 span(s) from 13 file(s).\n"
                                        "Events: 23 with 52 argument(s); relations: 10.")
    # One document of the folder, by its .txt (the .ann beside it makes it brat).
    code, out, _ = run(capsys, "import", tmp_path / "one.db",
                       tmp_path / "brat" / "080-event-annotation.txt")
    assert code == 0 and "Events: 4 with 10 argument(s)" in out
    assert "event type Report" in out  # the annotation.conf beside it was merged


def test_done_only_from_the_command_line(capsys, tmp_path):
    db = tmp_path / "news.db"
    run(capsys, "import", db, SEED)
    code, _, err = run(capsys, "export", "spacy", db, tmp_path / "out", "--done-only")
    assert code == 1 and one_clean_line(err) == "annotator: nothing to export: no article is marked done"
    store = open_project(db)
    store.set_status(1, "done")
    store.close()
    code, out, _ = run(capsys, "export", "jsonl", db, tmp_path / "done.jsonl", "--done-only")
    assert code == 0 and out.startswith("Exported 1 article(s) (articles marked done)")


def test_a_missing_project_is_named_and_not_created(capsys, tmp_path):
    db = tmp_path / "nope.db"
    for argv in (["stats", db], ["export", "spacy", db, tmp_path / "out"],
                 ["export", "jsonl", db, tmp_path / "o.jsonl"],
                 ["export", "brat", db, tmp_path / "out"]):
        code, _, err = run(capsys, *argv)
        assert code == 1
        assert one_clean_line(err) == f"annotator: {db}: no such project file"
    assert not db.exists() and not (tmp_path / "out").exists()


def test_a_file_that_is_not_a_project(capsys, tmp_path):
    code, _, err = run(capsys, "stats", HEADLINES)
    assert code == 1 and str(HEADLINES) in one_clean_line(err)


def test_a_bad_file_is_named_and_the_rest_imported(capsys, tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Caf\xe9 in Beirut\n".encode("latin-1"))
    db = tmp_path / "p.db"
    code, out, err = run(capsys, "import", db, SEED, bad)
    assert code == 1 and "Traceback" not in out + err
    assert "Imported 1 article(s)" in out
    assert f"{bad}:1: not UTF-8" in out
    code, out, _ = run(capsys, "import", db, bad, "--encoding", "latin-1")
    assert code == 0 and "Imported 1 article(s)" in out


def test_importing_only_missing_files_creates_no_project(capsys, tmp_path):
    db = tmp_path / "p.db"
    code, _, err = run(capsys, "import", db, tmp_path / "missing.txt")
    assert code == 1 and one_clean_line(err) == f"annotator: {tmp_path / 'missing.txt'}: no such file or folder"
    assert not db.exists()


def test_unknown_labels_error(capsys, tmp_path):
    code, out, _ = run(capsys, "import", tmp_path / "p.db", HEADLINES, "--unknown-labels", "error")
    assert code == 1 and "label 'LOCATION' is not in the project's schema" in out
    assert "prodigy-news-headlines.jsonl:1" in out


@pytest.mark.parametrize("argv", [
    ["export", "spacy", "p.db"],
    ["export", "spacy", "p.db", "out", "--dev-share", "1.5"],
    ["export", "xml", "p.db", "out"],
    ["export", "brat", "p.db"],
    ["import", "p.db"],
    ["import", "p.db", "a.txt", "--format", "xml"],
    ["import", "p.db", "a.txt", "--conll-column", "0"],
    ["export", "conll", "p.db", "out", "--scheme", "iob9"],
    ["export", "doccano", "p.db"],
    ["stats"],
    ["a.db", "b.db"],
])
def test_usage_errors_exit_2(capsys, tmp_path, monkeypatch, argv):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, *argv)
    assert code == 2 and "usage: annotator" in err and "Traceback" not in err
    assert not (tmp_path / "p.db").exists()


@pytest.mark.parametrize("argv,expected", [
    (["--help"], ["import", "export", "stats", "PROJECT.db"]),
    (["import", "--help"], ["--format", "--encoding", "--unknown-labels", "FILE_OR_FOLDER",
                            "brat", "annotation.conf", "conll", "doccano", "spacy-json",
                            "--conll-column", "--text-column", "--strict", "Exit status"]),
    (["export", "--help"], ["spacy", "jsonl", "brat", "conll", "doccano"]),
    (["export", "conll", "--help"], ["--done-only", "--scheme", "--tokens", "OUT.conll",
                                     "-DOCSTART-", "sentencizer"]),
    (["export", "doccano", "--help"], ["--done-only", "--form", "OUT.jsonl", "relations"]),
    (["export", "brat", "--help"], ["--done-only", "OUTDIR", "annotation.conf", "E lines"]),
    (["export", "spacy", "--help"], ["--dev-share", "--seed", "--done-only", "OUTDIR"]),
    (["export", "jsonl", "--help"], ["--done-only", "OUT.jsonl"]),
    (["stats", "--help"], ["--json", "events per type", "per role"]),
])
def test_help(capsys, argv, expected):
    code, out, _ = run(capsys, *argv)
    assert code == 0
    for word in expected:
        assert word in out


def test_every_format_from_the_command_line(capsys, tmp_path):
    data = ROOT / "tests" / "data"
    db = tmp_path / "p.db"
    code, out, _ = run(capsys, "import", db, data / "conll", data / "doccano",
                       data / "spacy" / "training-data.json")
    assert code == 0 and out.startswith("Imported 9 article(s) with 29 span(s) from 7 file(s).")
    code, out, _ = run(capsys, "import", tmp_path / "nested.db",
                       data / "conll" / "germeval14_NER-de-train.tsv", "--conll-column", "-1")
    assert code == 0 and "with 0 span(s)" in out
    code, out, _ = run(capsys, "export", "conll", db, tmp_path / "o.conll", "--scheme", "biluo")
    assert code == 0 and out.startswith("Exported 9 article(s)") and "BILUO" in out
    assert (tmp_path / "o.conll").read_text().count("-DOCSTART-") == 9
    code, out, _ = run(capsys, "export", "doccano", db, tmp_path / "d.jsonl", "--form", "entities")
    assert code == 0 and "Relations (event arguments and relations): 3" in out
    code, out, _ = run(capsys, "import", tmp_path / "again.db", tmp_path / "d.jsonl",
                       tmp_path / "o.conll", "--format", "doccano", "--strict")
    assert code == 1 and "Imported 9 article(s)" in out and "o.conll:1: not valid JSON" in out


def test_strict_turns_skipped_records_into_a_failure(capsys, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "Fine."}\n{"title": "No text."}\n')
    code, out, _ = run(capsys, "import", tmp_path / "p.db", path)
    assert code == 0 and f"{path}:2: no 'text'" in out
    code, out, _ = run(capsys, "import", tmp_path / "q.db", path, "--strict")
    assert code == 1 and "Imported 1 article(s)" in out


def test_a_table_without_its_text_column_exits_1_naming_it(capsys, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("headline,body\nStrike,A strike.\n")
    code, out, _ = run(capsys, "import", tmp_path / "p.db", path)
    assert code == 1 and f"{path}:1: no column 'text'" in out
    code, out, _ = run(capsys, "import", tmp_path / "p.db", path, "--text-column", "body")
    assert code == 0 and "Imported 1 article(s)" in out


def test_version(capsys):
    from annotator import __version__

    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.strip() == f"annotator {__version__}"


def test_python_dash_m_annotator_help_without_loading_qt():
    result = subprocess.run([sys.executable, "-m", "annotator", "--help"], capture_output=True,
                            text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 0 and "annotator import PROJECT.db" in result.stdout
    check = ("import sys, annotator.cli, annotator.demo, annotator.formats.spacy.writer, "
             "annotator.formats.jsonl.writer, annotator.formats.brat.writer, "
             "annotator.formats.importer; sys.exit('PySide6' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", check], cwd=ROOT, timeout=60).returncode == 0


def test_output_cut_short_by_a_pipe_is_not_an_error(tmp_path):
    db = tmp_path / "news.db"
    assert main(["import", str(db), str(NEWS_BRAT)]) == 0
    # `annotator schema news.db | head -0`: the reader is gone before the first line (Python
    # takes far longer to start than this takes), so every write meets a closed pipe.
    # Whatever the buffering: PYTHONUNBUFFERED (which CI sets) left out of the environment.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    program = subprocess.Popen([sys.executable, "-m", "annotator", "schema", str(db)], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    program.stdout.close()
    err = program.stderr.read().decode()
    assert program.wait(timeout=60) == 0 and err == ""


# -- the GUI form ----------------------------------------------------------------------------


@pytest.fixture
def no_display(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def opened(monkeypatch, tmp_path):
    """Stand in for the Qt window: record which project it would open."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    paths = []
    monkeypatch.setattr(cli_gui, "launch_gui", lambda path: paths.append(path) or 0)
    return paths


def test_no_display_is_one_clear_line(capsys, tmp_path, monkeypatch, no_display):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    for argv in ([], [tmp_path / "p.db"]):
        code, _, err = run(capsys, *argv)
        assert code == 3  # its own status (README), not the usage errors' 2
        assert "xvfb-run -a annotator" in one_clean_line(err)
    assert not (tmp_path / "data").exists() and not (tmp_path / "p.db").exists()


def test_no_arguments_opens_the_demo_built_once(capsys, tmp_path, opened):
    assert run(capsys)[0] == 0
    demo = tmp_path / "data" / "annotator" / "demo.db"
    assert opened == [demo]
    store = open_project(demo)
    titles = [row.title for row in store.article_rows()]
    assert any(title.startswith("US Drone Strike") for title in titles)
    assert store.schema.label("WEAPON") is not None
    store.set_status(1, "done")  # work done in the demo is kept
    store.close()
    assert run(capsys)[0] == 0 and opened == [demo, demo]
    store = open_project(demo)
    assert store.status_of(1) == "done"
    store.close()
    assert [p.name for p in demo.parent.iterdir()] == ["demo.db"]  # no temporary leftovers


def test_a_newer_version_with_more_seeds_adds_them_to_the_demo(capsys, tmp_path, opened, monkeypatch):
    import shutil

    import annotator.demo as demo_module

    assert run(capsys)[0] == 0
    demo = opened[0]
    store = open_project(demo)
    before = store.count_articles()
    store.set_status(1, "done")
    store.rename_schema_name("FAC", "LOC")  # the person merged two labels in the demo
    store.close()
    seeds = tmp_path / "newer-seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    (seeds / "new-article.txt").write_text("A new demo article\n\nTroops left Mosul on Sunday.\n")
    # The newer demo schema: the old one (FAC still in it) and two new names.
    (seeds / "demo-schema.toml").write_text(
        demo_module.demo_schema_path().read_text()
        + '\n[[entities]]\nlabel = "CASUALTY"\nkey = "h"\n\n[[events]]\ntype = "Justice.Arrest"\n'
        'key = "J"\n\n[[events.roles]]\nrole = "Person"\nlabels = ["PERSON"]\n\n'
        '[[events.roles]]\nrole = "Place"\nlabels = ["GPE", "FAC"]\n')
    monkeypatch.setattr(demo_module, "seeds_dir", lambda: seeds)
    assert run(capsys)[0] == 0 and opened == [demo, demo]
    store = open_project(demo)
    assert store.count_articles() == before + 1
    assert store.status_of(1) == "done"  # the person's work is untouched
    assert store.schema.label("CASUALTY").key == "h"
    arrest = store.schema.event_type("Justice.Arrest")
    assert arrest.role("Place").fillers == ("GPE",)  # FAC stays merged away
    assert store.schema.label("FAC") is None and store.schema.label("WEAPON")
    store.close()
    mtime = demo.stat().st_mtime_ns
    assert run(capsys)[0] == 0  # the same seeds again: the demo is not written
    assert demo.stat().st_mtime_ns == mtime


def test_a_project_path_opens_that_project(capsys, tmp_path, opened):
    assert run(capsys, tmp_path / "mine.db")[0] == 0
    assert opened == [tmp_path / "mine.db"]
    code, _, err = run(capsys, tmp_path / "no-such-folder" / "p.db")
    assert code == 1 and "does not exist" in one_clean_line(err)
    code, _, err = run(capsys, tmp_path)
    assert code == 1 and "is a folder" in one_clean_line(err)
    assert len(opened) == 1


def test_the_gui_is_imported_lazily_from_annotator_qt_app(monkeypatch, tmp_path, capsys):
    """Without the stand-in: main() reaches annotator.qt.app.run_gui with the path, and with
    what to say should opening wait for another writer (there is no window yet to say it)."""
    import types

    calls = []

    def run_gui(path, waiting=None):
        calls.append(path)
        waiting("the import of news.jsonl (pid 1)", 0.5)
        waiting("the import of news.jsonl (pid 1)", 1.0)
        return 7

    fake = types.ModuleType("annotator.qt.app")
    fake.run_gui = run_gui
    monkeypatch.setitem(sys.modules, "annotator.qt.app", fake)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert main([str(tmp_path / "p.db")]) == 7 and calls == [tmp_path / "p.db"]
    assert capsys.readouterr().err == (
        "annotator: waiting for the import of news.jsonl (pid 1) to finish…\n"
    )


def test_a_new_project_can_start_from_a_schema_file(capsys, tmp_path, opened):
    schema = tmp_path / "ships.toml"
    schema.write_text('name = "Ships"\n[[entities]]\nlabel = "SHIP"\ncolor = "#336699"\nkey = "s"\n')
    assert run(capsys, tmp_path / "fleet.db", "--schema", schema)[0] == 0
    store = open_project(tmp_path / "fleet.db")
    assert store.schema.label_names == ["SHIP"]
    store.close()
    # An existing project keeps its schema: asking for another is refused, not ignored.
    code, _, err = run(capsys, tmp_path / "fleet.db", "--schema", schema)
    assert code == 1 and "keeps its own schema" in err


def test_import_creates_the_project_with_the_given_schema(capsys, tmp_path):
    schema = tmp_path / "s.json"
    schema.write_text('{"name": "Mini", "entities": [{"label": "PERSON", "color": "#aa9cfc", "key": "p"}]}')
    text = tmp_path / "a.txt"
    text.write_text("Joe Biden spoke.\n")
    code, out, _ = run(capsys, "import", tmp_path / "p.db", text, "--schema", schema)
    assert code == 0 and "Imported 1 article" in out
    store = open_project(tmp_path / "p.db")
    assert store.schema.name == "Mini"
    store.close()


def test_suggest_with_patterns_then_stats_show_the_source(capsys, tmp_path):
    text = tmp_path / "a.txt"
    text.write_text("Strike in Baghdad\n\nKataib Hezbollah blamed the US for the strike in Baghdad.\n")
    assert run(capsys, "import", tmp_path / "p.db", text)[0] == 0
    terms = tmp_path / "terms.tsv"
    terms.write_text("ORG\tKataib Hezbollah\nGPE\tBaghdad\n")
    code, out, _ = run(capsys, "suggest", tmp_path / "p.db", "--patterns", terms, "--name", "terms")
    assert code == 0 and "3 new suggestion(s) from terms" in out
    code, out, _ = run(capsys, "stats", tmp_path / "p.db", "--json")
    rows = {(r["source"], r["label"]): r["open"] for r in json.loads(out)["suggestions"]}
    assert rows == {("terms", "GPE"): 2, ("terms", "ORG"): 1}
    code, _, err = run(capsys, "suggest", tmp_path / "p.db", "--model", tmp_path / "nowhere")
    assert code == 1 and "cannot load this spaCy pipeline" in one_clean_line(err)


@pytest.mark.parametrize("word, said", [
    ("stat", "no such command 'stat'; did you mean 'stats'?"),
    ("exprt", "no such command 'exprt'; did you mean 'export'?"),
    ("notes", "no such command 'notes'; a project file's name ends in .db"),
])
def test_a_mistyped_command_is_not_taken_for_a_new_project(capsys, tmp_path, monkeypatch,
                                                            opened, word, said):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, word)
    assert code == 2 and one_clean_line(err) == f"annotator: {said}"
    assert not (tmp_path / word).exists() and opened == []
    (tmp_path / "notes").write_bytes(b"")  # a file that exists is still opened as a project
    assert run(capsys, "notes")[0] == 0 and opened == [Path("notes")]
