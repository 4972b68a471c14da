"""The core stays Qt-free: only annotator/qt may import PySide6 (DESIGN.md's one rule)."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "annotator"
QT_MODULES = ("PySide6", "PyQt5", "PyQt6", "shiboken6")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_module_outside_the_qt_package_imports_qt():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if (PACKAGE / "qt") in path.parents:
            continue
        for name in imported_modules(path):
            if name.split(".")[0] in QT_MODULES:
                offenders.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    assert offenders == []


def test_the_qt_package_does_import_qt():
    # Guards the test above against walking the wrong folder.
    assert any(name.startswith("PySide6") for path in (PACKAGE / "qt").rglob("*.py")
               for name in imported_modules(path))


def test_importing_the_core_loads_no_qt():
    code = ("import sys, annotator.core.session, annotator.store, annotator.formats.importer, "
            "annotator.formats.spacy_export, annotator.formats.jsonl_export, annotator.cli; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            f"{QT_MODULES!r}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
