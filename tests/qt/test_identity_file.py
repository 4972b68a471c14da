"""The command line reads the name set in the window from QSettings' file without importing
Qt (annotator/qt/identity_file.py), and gets what QSettings gets; where it can't be sure it
asks Qt."""

import subprocess
import sys

import pytest
from PySide6.QtCore import QSettings

from annotator.qt import identity_file


@pytest.fixture
def config(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "system"))
    return tmp_path / "home" / "annotator" / "annotator.conf"


def written_by_qt(path, name):
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    settings.setValue("identity/asked", True)
    settings.setValue("identity/name", name)
    settings.setValue("geometry", b"\x01\xd9\xd0")
    settings.sync()
    return QSettings(str(path), QSettings.Format.IniFormat).value("identity/name")


@pytest.mark.parametrize("name", ["Ana María Ruiz", "王 芳", "O'Brien", "Ruiz, Ana", " x ",
                                  'a;b "c" \\d', "@Variant"])
def test_the_name_read_without_qt_is_the_one_qt_reads(config, name):
    assert written_by_qt(config, name) == name
    found = identity_file.saved_name()
    assert found == name or found is identity_file.ASK_QT
    if "," not in name and '"' not in name and name == name.strip() and "@" not in name:
        assert found == name  # plain names need no Qt


def test_no_settings_no_name_and_other_files_ask_qt(config):
    assert identity_file.saved_name() is None
    config.parent.mkdir(parents=True)
    config.write_text("[General]\ngeometry=@ByteArray(x)\n")
    assert identity_file.saved_name() is None
    (config.parent.parent / "annotator.conf").write_text("[identity]\nname=Org Wide\n")
    assert identity_file.saved_name() is identity_file.ASK_QT


def test_the_command_line_attributes_to_the_saved_name_without_qt(config, tmp_path):
    written_by_qt(config, "Ana María Ruiz")
    script = (
        "import sys\n"
        "from annotator.cli.shared import user_name\n"
        "print(user_name(None, 'import'))\n"
        "print(any(name.startswith('PySide6') for name in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.splitlines() == ["Ana María Ruiz", "False"]
