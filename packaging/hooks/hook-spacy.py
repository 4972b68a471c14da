# Replaces pyinstaller-hooks-contrib's spacy hook (a hookspath hook takes precedence): the same
# data files and submodules (spaCy imports languages, pipes and architectures by name), less
# spaCy's own test suite, which the bundle never runs.
from PyInstaller.utils.hooks import collect_data_files, collect_submodules

datas = collect_data_files("spacy", excludes=["tests"])
hiddenimports = collect_submodules("spacy", filter=lambda name: ".tests" not in name)
