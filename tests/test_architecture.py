"""The core stays Qt-free: only annotator/qt may import PySide6 (DESIGN.md's one rule)."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "annotator"
QT_MODULES = ("PySide6", "PyQt5", "PyQt6", "shiboken6")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[str, bool]]:
    """(absolute module name, imported at module level?) for every import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = []

    def visit(node, top_level):
        for child in ast.iter_child_nodes(node):
            inside = top_level and not isinstance(
                child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Import):
                found.extend((alias.name, top_level) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = package[: len(package) - child.level + 1] if child.level else []
                module = ".".join([*base, *([child.module] if child.module else [])])
                found.append((module, top_level))
                # `from annotator import qt` names a module too.
                found.extend((f"{module}.{alias.name}", top_level) for alias in child.names)
            visit(child, inside)

    visit(tree, True)
    return found


def non_qt_files():
    return [p for p in sorted(PACKAGE.rglob("*.py")) if (PACKAGE / "qt") not in p.parents]


def test_no_module_outside_the_qt_package_imports_qt():
    offenders = []
    for path in non_qt_files():
        for name, top_level in imports(path):
            if name.split(".")[0] in QT_MODULES:
                offenders.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
            elif name.startswith("annotator.qt") and top_level:
                # The CLI may start the GUI, but only from inside a function.
                offenders.append(f"{path.relative_to(PACKAGE.parent)} imports {name} at load time")
    assert offenders == []


def test_the_checks_see_qt_imports_where_they_are():
    # Guards the test above against walking the wrong folder or misreading imports.
    assert any(name.startswith("PySide6") for path in (PACKAGE / "qt").rglob("*.py")
               for name, _ in imports(path))
    cli = dict(imports(PACKAGE / "cli" / "gui.py"))
    assert cli.get("annotator.qt.app") is False  # imported lazily, inside main()


def test_importing_every_module_outside_qt_loads_no_qt():
    modules = [module_name(p) for p in non_qt_files() if p.name != "__main__.py"]
    assert "annotator.core.session" in modules and "annotator.store.project" in modules
    code = ("import importlib, sys\n"
            f"for name in {modules!r}:\n"
            "    importlib.import_module(name)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            f"{QT_MODULES!r}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=PACKAGE.parent)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


# -- the store is the only door to the file -------------------------------------------------

SQL_CALLS = {"execute", "executemany", "executescript", "execute_returning_dicts", "query"}
STORAGE_HANDLES = {"conn", "db"}


def sql_outside_the_store(path: Path) -> list[str]:
    """Calls of `.execute`/`.executemany`/... and uses of a store's `.conn`/`.db` in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        called = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        name = (node.func.attr if called else  # type: ignore[union-attr]
                node.attr if isinstance(node, ast.Attribute) else None)
        if (called and name in SQL_CALLS) or (not called and name in STORAGE_HANDLES):
            where = path.relative_to(PACKAGE.parent) if PACKAGE in path.parents else path
            found.append(f"{where}:{node.lineno} .{name}")
    return found


def test_no_sql_runs_outside_the_store():
    outside = [p for p in sorted(PACKAGE.rglob("*.py")) if (PACKAGE / "store") not in p.parents]
    assert [hit for path in outside for hit in sql_outside_the_store(path)] == []


def test_the_sql_check_sees_sql_where_it_is(tmp_path):
    # Guards the test above: it finds the store's own statements, and code written as the
    # formats once were.
    assert sql_outside_the_store(PACKAGE / "store" / "articles.py")
    sample = tmp_path / "writer.py"
    sample.write_text("def f(store):\n    store.conn.execute('DELETE FROM spans')\n")
    assert len(sql_outside_the_store(sample)) == 2


def test_the_layer_contracts_hold():
    """import-linter's contracts (pyproject.toml): layers import downward only, no cycles,
    Qt only in qt/, no SQLite in core/."""
    lint = Path(sys.executable).with_name("lint-imports")
    out = subprocess.run([str(lint) if lint.exists() else "lint-imports", "--no-cache"],
                         capture_output=True, text=True, cwd=PACKAGE.parent)
    assert out.returncode == 0, out.stdout + out.stderr
