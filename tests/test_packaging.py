"""The desktop bundle's files, checked without building it (scripts/build-bundle.sh takes
minutes; packaging/check-bundle.sh runs the built bundle on a machine without Python): the menu
entry and AppStream metadata pass the freedesktop validators, the icon exists at every
standard size, install-bundle.sh puts the files where desktops look and --uninstall takes
exactly them away, the bundle's program answers `-m spacy` as `annotator train` asks it to,
and a frozen program finds its resources next to itself."""

import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

import annotator
from annotator import paths

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
SIZES = (16, 24, 32, 48, 64, 128, 256)
SCRIPTS = [
    "scripts/build-bundle.sh",
    "packaging/check-bundle.sh",
    "packaging/chroot-base.sh",
    "packaging/install-bundle.sh",
    "packaging/make-icons.sh",
]


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="desktop-file-utils not installed")
def test_the_desktop_entry_passes_desktop_file_validate():
    out = subprocess.run(["desktop-file-validate", str(PACKAGING / "annotator.desktop")],
                         capture_output=True, text=True)
    assert (out.returncode, out.stdout.strip()) == (0, "")


@pytest.mark.skipif(not shutil.which("appstreamcli"), reason="appstream not installed")
def test_the_appstream_metadata_passes_appstreamcli_validate():
    metainfo = PACKAGING / "io.github.annotator.Annotator.metainfo.xml"
    out = subprocess.run(["appstreamcli", "validate", "--no-net", str(metainfo)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Validation was successful" in out.stdout


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


@pytest.mark.parametrize("size", SIZES)
def test_the_icon_exists_at_every_standard_size(size):
    icon = ROOT / "resources" / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "annotator.png"
    assert icon.is_file(), "run packaging/make-icons.sh"
    assert png_size(icon) == (size, size)


@pytest.mark.skipif(not shutil.which("rsvg-convert"), reason="librsvg2-bin not installed")
def test_the_png_icons_are_drawn_from_the_svg_as_it_is_now(tmp_path):
    """A changed SVG with the old PNGs would show two different icons: render it again and
    compare the pixels (a little tolerance for another librsvg's anti-aliasing)."""
    from PySide6.QtGui import QImage

    fresh = tmp_path / "64.png"
    subprocess.run(["rsvg-convert", "--width", "64", "--height", "64", "--output", str(fresh),
                    str(ROOT / "resources" / "icons" / "annotator.svg")], check=True)
    shipped = QImage(str(ROOT / "resources/icons/hicolor/64x64/apps/annotator.png"))
    drawn = QImage(str(fresh))
    assert not shipped.isNull() and shipped.size() == drawn.size()

    def apart(x: int, y: int) -> int:
        pairs = zip(shipped.pixelColor(x, y).getRgb(), drawn.pixelColor(x, y).getRgb(), strict=True)
        return max(abs(a - b) for a, b in pairs)

    differing = sum(1 for y in range(64) for x in range(64) if apart(x, y) > 24)
    assert differing < 64, "the SVG changed: run packaging/make-icons.sh"


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_bundle_scripts_are_executable_bash_that_parses(script):
    path = ROOT / script
    text = path.read_text(encoding="utf-8")
    assert path.stat().st_mode & 0o111, f"chmod +x {script}"
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in text or "set -uo pipefail" in text
    subprocess.run(["bash", "-n", str(path)], check=True)


def fake_bundle(folder: Path) -> Path:
    """A stand-in for dist/annotator: the install script copies a folder and links its
    program; what the program is does not matter to it."""
    folder.mkdir()
    program = folder / "annotator"
    program.write_text("#!/bin/sh\necho annotator from the bundle\n", encoding="utf-8")
    program.chmod(0o755)
    (folder / "_internal").mkdir()
    (folder / "_internal" / "libsomething.so").write_bytes(b"\0")
    return folder


def install(prefix: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(PACKAGING / "install-bundle.sh"), "--prefix", str(prefix), *args],
                          capture_output=True, text=True)


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


def test_install_puts_the_bundle_menu_entry_icons_and_mime_type_where_desktops_look(tmp_path):
    prefix = tmp_path / "prefix"
    done = install(prefix, "--bundle", str(fake_bundle(tmp_path / "bundle")))
    assert done.returncode == 0, done.stderr
    share = prefix / "share"
    for path in [
        "applications/annotator.desktop",
        "metainfo/io.github.annotator.Annotator.metainfo.xml",
        "mime/packages/annotator.xml",
        "icons/hicolor/scalable/apps/annotator.svg",
        *[f"icons/hicolor/{n}x{n}/apps/annotator.png" for n in SIZES],
    ]:
        assert (share / path).is_file(), path
    ran = subprocess.run([str(prefix / "bin" / "annotator")], capture_output=True, text=True)
    assert ran.stdout == "annotator from the bundle\n"
    # The menu runs the program by its full path: ~/.local/bin is often not on a desktop's PATH.
    entry = (share / "applications" / "annotator.desktop").read_text(encoding="utf-8")
    assert f'Exec="{prefix}/bin/annotator" %f' in entry.splitlines()
    if shutil.which("desktop-file-validate"):
        out = subprocess.run(["desktop-file-validate", str(share / "applications" / "annotator.desktop")],
                             capture_output=True, text=True)
        assert (out.returncode, out.stdout.strip()) == (0, "")
    if shutil.which("update-mime-database"):
        # The MIME database accepted the type (it writes one file per known type).
        assert (share / "mime" / "application" / "x-annotator-project.xml").is_file()


def test_uninstall_removes_exactly_what_install_wrote(tmp_path):
    prefix = tmp_path / "prefix"
    # What the person had before: another app's menu entry, icon and MIME type stay.
    others = {
        "share/applications/other.desktop": "[Desktop Entry]\nType=Application\nName=Other\nExec=other\n",
        "share/icons/hicolor/48x48/apps/other.png": "png",
        "bin/other": "#!/bin/sh\n",
    }
    for relative, text in others.items():
        (prefix / relative).parent.mkdir(parents=True, exist_ok=True)
        (prefix / relative).write_text(text, encoding="utf-8")
    bundle = fake_bundle(tmp_path / "bundle")
    assert install(prefix, "--bundle", str(bundle)).returncode == 0
    # Installing again (a newer build) replaces the first install rather than adding to it.
    assert install(prefix, "--bundle", str(bundle)).returncode == 0
    assert len(files_under(prefix)) > len(others) + 10

    done = install(prefix, "--uninstall")
    assert done.returncode == 0, done.stderr
    left = files_under(prefix)
    assert set(others) <= left
    assert not (prefix / "lib" / "annotator").exists()
    # What else is left are the caches the desktop tools rebuild, and none names annotator.
    for relative in left - set(others):
        assert relative.startswith(("share/mime/", "share/applications/mimeinfo.cache")), relative
        assert b"annotator" not in (prefix / relative).read_bytes(), relative


def test_uninstall_where_nothing_was_installed_says_so(tmp_path):
    done = install(tmp_path, "--uninstall")
    assert done.returncode == 1
    assert f"annotator is not installed in {tmp_path}" in done.stderr


def test_install_refuses_to_overwrite_a_folder_it_did_not_make(tmp_path):
    mine = tmp_path / "prefix" / "lib" / "annotator"
    mine.mkdir(parents=True)
    (mine / "notes.txt").write_text("mine", encoding="utf-8")
    done = install(tmp_path / "prefix", "--bundle", str(fake_bundle(tmp_path / "bundle")))
    assert done.returncode == 1
    assert "is not an annotator install; not touching it" in done.stderr
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_prefix_the_menu_entry_could_not_name_is_refused(tmp_path):
    done = install(tmp_path / "my$home", "--bundle", str(fake_bundle(tmp_path / "bundle")))
    assert done.returncode == 2
    assert "choose a --prefix without" in done.stderr
    assert not (tmp_path / "my$home").exists()


def test_install_without_a_built_bundle_says_how_to_build_it(tmp_path):
    done = install(tmp_path / "prefix", "--bundle", str(tmp_path / "nothing"))
    assert done.returncode == 1
    assert "build it first: scripts/build-bundle.sh" in done.stderr


def run_entry(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(PACKAGING / "bundle_entry.py"), *args],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_the_bundle_program_is_the_annotator_command():
    done = run_entry("--version")
    assert (done.returncode, done.stdout.strip()) == (0, f"annotator {annotator.__version__}")


def test_the_bundle_program_runs_spacy_for_annotator_train():
    """train_model runs `sys.executable -m spacy train ...`; in the bundle sys.executable is
    this program, which must answer as spaCy's command line does."""
    done = run_entry("-m", "spacy", "info")
    assert done.returncode == 0, done.stderr
    assert "spaCy version" in done.stdout


def test_a_frozen_program_finds_its_resources_in_the_bundle(tmp_path, monkeypatch):
    bundle = tmp_path / "_internal"
    (bundle / "resources" / "schemas").mkdir(parents=True)
    (bundle / "resources" / "schemas" / "news.toml").write_text("")
    (bundle / "seeds").mkdir()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "annotator"))
    assert paths.resources_dir() == bundle / "resources"
    assert paths.seeds_dir() == bundle / "seeds"
    assert paths.default_schema_path() == bundle / "resources" / "schemas" / "news.toml"


def test_a_frozen_program_without_meipass_looks_next_to_itself(tmp_path, monkeypatch):
    (tmp_path / "resources" / "schemas").mkdir(parents=True)
    (tmp_path / "resources" / "schemas" / "news.toml").write_text("")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "annotator"))
    assert paths.resources_dir() == tmp_path / "resources"
    assert paths.seeds_dir() == tmp_path / "seeds"


def test_a_user_install_finds_its_data_under_the_user_base(tmp_path, monkeypatch):
    """`pip install --user .` puts the data files under USER_BASE/share/annotator; another
    package's bare `resources` folder in site-packages is not taken for ours."""
    site_packages = tmp_path / "site-packages"
    (site_packages / "resources").mkdir(parents=True)  # someone else's
    user_share = tmp_path / "userbase" / "share" / "annotator"
    (user_share / "resources" / "schemas").mkdir(parents=True)
    (user_share / "resources" / "schemas" / "news.toml").write_text("")
    monkeypatch.setattr(paths, "_SOURCE_ROOT", site_packages)
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "prefix"))
    monkeypatch.setattr(paths.site, "getuserbase", lambda: str(tmp_path / "userbase"))
    assert paths.default_schema_path() == user_share / "resources" / "schemas" / "news.toml"
    assert paths.seeds_dir() == user_share / "seeds"


def test_an_ordinary_install_is_not_taken_for_a_frozen_one():
    assert not getattr(sys, "frozen", False)
    assert paths.resources_dir() == ROOT / "resources"
