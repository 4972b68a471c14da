"""The newcomer's door stays true: CI runs the README's command, the scripts run, the
packaging metadata names this version, and every shipped article has its source written down."""

import configparser
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import annotator

ROOT = Path(__file__).resolve().parents[1]
TEST_COMMAND = "scripts/setup.sh --test && QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest"
APP_COMMAND = "scripts/setup.sh && .venv/bin/annotator"


def commands(path):
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert TEST_COMMAND in readme.splitlines()
    assert APP_COMMAND in readme.splitlines()
    assert commands(ROOT / ".ci" / "run")[-1] == TEST_COMMAND


@pytest.mark.parametrize("script", sorted(
    [".ci/run"] + [str(p.relative_to(ROOT)) for p in (ROOT / "scripts").glob("*.sh")]))
def test_scripts_are_executable_bash_that_parses(script):
    path = ROOT / script
    assert path.stat().st_mode & 0o111, f"chmod +x {script}"
    assert path.read_text(encoding="utf-8").startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in path.read_text(encoding="utf-8")
    subprocess.run(["bash", "-n", str(path)], check=True)


def test_the_desktop_entry_runs_annotator_with_its_icon():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(ROOT / "packaging" / "annotator.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert desktop["Exec"] == "annotator %f"
    assert (ROOT / "resources" / "icons" / f"{desktop['Icon']}.svg").is_file()
    assert "application/x-annotator-project" in desktop["MimeType"].split(";")
    if shutil.which("desktop-file-validate"):
        out = subprocess.run(["desktop-file-validate", str(ROOT / "packaging" / "annotator.desktop")],
                             capture_output=True, text=True)
        assert out.returncode == 0 and not out.stdout.strip(), out.stdout


def test_the_appstream_metadata_names_this_version_and_the_desktop_entry():
    path = ROOT / "packaging" / "io.github.annotator.Annotator.metainfo.xml"
    component = ET.parse(path).getroot()
    assert component.findtext("id") == "io.github.annotator.Annotator"
    assert component.findtext("metadata_license") == "CC0-1.0"
    assert component.findtext("project_license") == "MIT"
    assert component.findtext("provides/binary") == "annotator"
    launchable = component.findtext("launchable")
    assert (ROOT / "packaging" / launchable).is_file()
    versions = [r.get("version") for r in component.iter("release")]
    assert versions[0] == annotator.__version__, "add a <release> for the new version"


def test_the_mime_type_matches_the_application_id_the_store_writes():
    from annotator.store.migrations import APPLICATION_ID

    root = ET.parse(ROOT / "packaging" / "annotator-mime.xml").getroot()
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    inner = root.find("m:mime-type/m:magic/m:match/m:match", ns)
    assert (inner.get("type"), inner.get("offset")) == ("big32", "68")
    assert int(inner.get("value"), 16) == APPLICATION_ID


def test_the_icon_is_an_svg():
    root = ET.parse(ROOT / "resources" / "icons" / "annotator.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox")


def test_every_seed_article_has_its_source_in_the_seeds_readme():
    readme = (ROOT / "seeds" / "README.md").read_text(encoding="utf-8")
    seeds = [p.name for p in (ROOT / "seeds").iterdir() if p.suffix in (".txt", ".jsonl", ".toml")]
    assert "us-drone-strike-baghdad-militia-leader.txt" in seeds
    assert [name for name in seeds if f"`{name}`" not in readme] == []


def test_every_file_pyproject_ships_exists():
    """`pip install .` refuses a data file that isn't there (it named resources/style.qss,
    which never existed): every pattern must match something."""
    import glob
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = config["tool"]["setuptools"]
    patterns = [p for files in setuptools.get("data-files", {}).values() for p in files]
    patterns += [f"annotator/{p}" for files in setuptools.get("package-data", {}).values()
                 for p in files]
    assert patterns
    assert [p for p in patterns if not glob.glob(str(ROOT / p), recursive=True)] == []
