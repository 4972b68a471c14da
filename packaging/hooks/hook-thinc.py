# Replaces pyinstaller-hooks-contrib's thinc hook, as hook-spacy.py does: thinc's layers and
# backends are registered and imported by name; its test suite is left out.
from PyInstaller.utils.hooks import collect_data_files, collect_submodules

datas = collect_data_files("thinc", excludes=["tests"])
hiddenimports = collect_submodules("thinc", filter=lambda name: ".tests" not in name)
