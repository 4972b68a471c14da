"""staged_folder: an export's files replace the older ones all together or not at all."""

import os

import pytest

from annotator.core.errors import AnnotatorError
from annotator.formats.export_common import leftover_staging, staged_folder


def tree(folder):
    return {
        str(p.relative_to(folder)): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def old_export(out):
    (out / "train").mkdir(parents=True)
    (out / "train" / "train-00000.spacy").write_text("old train")
    (out / "config.cfg").write_text("old config")
    (out / "notes.txt").write_text("the user's own file")


def write_new(staging):
    (staging / "train").mkdir()
    (staging / "train" / "train-00000.spacy").write_text("new train")
    (staging / "train" / "train-00001.spacy").write_text("new train 2")
    (staging / "config.cfg").write_text("new config")
    (staging / "export-report.txt").write_text("new report")


def test_the_new_export_replaces_the_old_one_whole(tmp_path):
    out = tmp_path / "out"
    old_export(out)
    with staged_folder(out) as staging:
        write_new(staging)
    assert tree(out) == {
        "config.cfg": "new config",
        "export-report.txt": "new report",
        "notes.txt": "the user's own file",
        "train/train-00000.spacy": "new train",
        "train/train-00001.spacy": "new train 2",
    }
    assert leftover_staging(out) == []


@pytest.mark.parametrize("failing_call", range(1, 6))
def test_a_failed_move_at_any_step_leaves_the_old_export(tmp_path, monkeypatch, failing_call):
    """Three old entries aside (two exist), three new ones in: whichever move fails, the
    folder is as before."""
    out = tmp_path / "out"
    old_export(out)
    before = tree(out)
    real, calls = os.replace, []

    def failing(src, dst):
        calls.append((src, dst))
        if len(calls) == failing_call:
            raise OSError(5, "Input/output error", str(src))
        return real(src, dst)

    with pytest.raises(AnnotatorError, match="Could not write"):
        with staged_folder(out) as staging:
            write_new(staging)
            monkeypatch.setattr(os, "replace", failing)
    monkeypatch.setattr(os, "replace", real)
    assert tree(out) == before
    assert leftover_staging(out) == []


def test_when_the_old_export_cannot_be_put_back_the_error_says_where_it_is(tmp_path, monkeypatch):
    out = tmp_path / "out"
    old_export(out)
    real, calls = os.replace, []

    def failing(src, dst):
        calls.append(src)
        # the third move (the first new entry in) fails, and so does every move back
        if len(calls) >= 3 and ".old" not in str(dst):
            raise OSError(5, "Input/output error", str(src))
        return real(src, dst)

    with pytest.raises(AnnotatorError) as raised:
        with staged_folder(out) as staging:
            write_new(staging)
            monkeypatch.setattr(os, "replace", failing)
    monkeypatch.setattr(os, "replace", real)
    message = str(raised.value)
    assert "could not be put back whole" in message
    kept = leftover_staging(out)
    assert len(kept) == 1, message
    assert str(kept[0] / ".old" / "config.cfg") in message
    assert (kept[0] / ".old" / "config.cfg").read_text() == "old config"
    assert (kept[0] / ".old" / "train" / "train-00000.spacy").read_text() == "old train"
