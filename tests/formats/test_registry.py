"""One registry of formats: the command line, detection, folder imports and the import file
filter all come from it, so a format registered once (here a dummy) shows up everywhere."""

import json

import pytest

from annotator.cli import entry as cli
from annotator.formats import registry
from annotator.formats.detect import detect_format
from annotator.formats.importer import expand_paths, import_paths
from annotator.formats.records import ArticleRecord
from annotator.store import open_project

HERE = __name__  # the registry imports the dummy's functions from this module by name


def read_dummy(path, report, encoding=None, *, shout=False):
    """One article a line."""
    for number, line in enumerate(path.read_text(encoding=encoding or "utf-8").splitlines(), 1):
        yield ArticleRecord(line.upper() if shout else line, where=f"{path.name}:{number}")


def export_dummy(store, target, *, done_only=False, progress=None, flavour="plain"):
    ids = store.export_ids(done_only)
    with open(target, "w") as out:
        json.dump({"ids": ids, "flavour": flavour}, out)

    class Report:
        def summary(self):
            return f"Exported {len(ids)} dummy article(s), {flavour}."
    return Report()


@pytest.fixture
def dummy(monkeypatch):
    """A format registered for one test: the registry's tables are put back afterwards."""
    monkeypatch.setattr(registry, "READERS", dict(registry.READERS))
    monkeypatch.setattr(registry, "EXPORTERS", dict(registry.EXPORTERS))
    registry.register_reader(registry.Reader(
        "dummy", f"{HERE}:read_dummy", ("one article a line",), suffixes=(".dum",),
        claims=(".dum",), fixed={"shout": True}))
    registry.register_exporter(registry.Exporter(
        "dummy", f"{HERE}:export_dummy", False, "OUT.dum", "a dummy file",
        "Write the ids of the exported articles.", "Export &dummy…",
        options=(registry.Option("--flavour", "how it tastes", "plain", ("plain", "spicy")),),
        suffix=".dum", file_filter="Dummy (*.dum)"))


def import_choices() -> tuple:
    parser = cli.build_parser()
    commands = next(a for a in parser._actions if a.dest == "command")
    return next(a for a in commands.choices["import"]._actions if a.dest == "fmt").choices


def test_the_cli_offers_exactly_the_registered_formats():
    assert tuple(import_choices()) == tuple(registry.READERS)
    assert tuple(import_choices())[:3] == ("txt", "jsonl", "brat")


def test_a_registered_reader_is_offered_detected_listed_and_read(dummy, tmp_path, capsys):
    assert "dummy" in import_choices()
    assert cli.main(["import", "--help"]) == 0
    assert "dummy       one article a line" in capsys.readouterr().out
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.dum").write_text("first article\nsecond article\n")
    assert detect_format(folder / "a.dum") == "dummy"
    assert expand_paths([folder]) == [folder / "a.dum"]
    assert "*.dum" in registry.import_filter()
    store = open_project(tmp_path / "p.db")
    try:
        assert import_paths(store, [folder]).articles == 2
        assert store.article(1).text == "FIRST ARTICLE"  # the registered fixed keyword
    finally:
        store.close()
    assert cli.main(["import", str(tmp_path / "q.db"), str(folder / "a.dum"),
                     "--format", "dummy"]) == 0


def test_without_registration_the_format_is_unknown(tmp_path):
    (tmp_path / "a.dum").write_text("first article\n")
    assert "dummy" not in import_choices()
    assert detect_format(tmp_path / "a.dum") == "txt"
    assert cli.main(["import", str(tmp_path / "p.db"), str(tmp_path / "a.dum"),
                     "--format", "dummy"]) == 2


def test_a_registered_exporter_is_a_subcommand_with_its_options(dummy, tmp_path, capsys):
    source = tmp_path / "a.txt"
    source.write_text("Title\n\nText.\n")
    project = tmp_path / "p.db"
    assert cli.main(["import", str(project), str(source)]) == 0
    store = open_project(project)
    store.set_status(1, "done")
    store.close()
    capsys.readouterr()
    assert cli.main(["export", "--help"]) == 0
    assert "dummy" in capsys.readouterr().out
    out = tmp_path / "out.dum"
    assert cli.main(["export", "dummy", str(project), str(out), "--flavour", "spicy"]) == 0
    assert json.loads(out.read_text()) == {"ids": [1], "flavour": "spicy"}
    assert capsys.readouterr().out.startswith("Exported 1 dummy article(s), spicy.")
    assert cli.main(["export", "dummy", str(project), str(out), "--flavour", "sweet"]) == 2


def test_a_reader_option_declared_once_reaches_the_cli_the_dialog_and_the_reader(
        monkeypatch, tmp_path, capsys, qapp):
    monkeypatch.setattr(registry, "READERS", dict(registry.READERS))
    monkeypatch.setattr(registry, "IMPORT_OPTIONS", dict(registry.IMPORT_OPTIONS))
    registry.import_option(registry.Option(
        "--shout", "dummy: upper-case the text", "no", choices=("no", "yes"), label="&Shout"))
    registry.register_reader(registry.Reader(
        "dummy", f"{HERE}:read_dummy_by_flag", ("one article a line",), suffixes=(".dum",),
        claims=(".dum",), options={"shout": "shout"}))

    assert cli.main(["import", "--help"]) == 0
    assert "--shout {no,yes}" in capsys.readouterr().out
    (tmp_path / "a.dum").write_text("quiet words\n")
    assert cli.main(["import", str(tmp_path / "p.db"), str(tmp_path / "a.dum"),
                     "--shout", "yes"]) == 0
    store = open_project(tmp_path / "p.db")
    assert [store.article(1).text] == ["QUIET WORDS"]
    store.close()

    from annotator.qt.dialogs.import_options import ImportOptionsDialog
    dialog = ImportOptionsDialog()
    dialog.shout.setCurrentIndex(dialog.shout.findData("yes"))
    assert dialog.options()["shout"] == "yes"


def read_dummy_by_flag(path, report, encoding=None, *, shout="no"):
    yield from read_dummy(path, report, encoding, shout=shout == "yes")
