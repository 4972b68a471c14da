"""--jobs on the commands that use every core: export spacy, suggest and train."""

from pathlib import Path

import pytest
import spacy

from annotator.cli import main
from spacy_shards import shard_docs

HEADLINES = Path(__file__).resolve().parent / "data" / "prodigy-news-headlines.jsonl"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", [["export", "spacy", "{db}", "{out}"],
                                     ["suggest", "{db}", "--model", "{out}"],
                                     ["train", "{db}", "{out}"]])
@pytest.mark.parametrize("value", ["0", "-2", "all"])
def test_a_number_of_processes_is_one_or_more(capsys, tmp_path, command, value):
    argv = [a.format(db=tmp_path / "p.db", out=tmp_path / "out") for a in command]
    code, _, err = run(capsys, *argv, "--jobs", value)
    assert code == 2 and "--jobs" in err
    assert "must be 1 or more" in err or "not a whole number" in err
    assert not (tmp_path / "p.db").exists() and not (tmp_path / "out").exists()


def test_export_spacy_and_suggest_take_jobs(capsys, tmp_path):
    db = tmp_path / "p.db"
    assert run(capsys, "import", db, HEADLINES)[0] == 0
    code, out, _ = run(capsys, "export", "spacy", db, tmp_path / "out", "--jobs", "2")
    # 150 headlines fill no more than one shard a split: no pool is started for them.
    assert code == 0 and "shards made by 1 process)" in out
    assert len(shard_docs(tmp_path / "out")) == 150
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "ORG", "pattern": "Apple"}])
    nlp.to_disk(tmp_path / "ruler")
    code, out, _ = run(capsys, "suggest", db, "--model", tmp_path / "ruler", "--jobs", "2")
    assert code == 0 and "Suggested on 150 article(s)" in out
