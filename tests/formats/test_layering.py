"""formats/ sits on core and store: no SQL of its own, nothing imported from the layers above,
and records.py a leaf that the writer and every reader stand on (no import cycles)."""

import ast
from pathlib import Path

FORMATS = Path(__file__).resolve().parents[2] / "annotator" / "formats"
ALLOWED = ("annotator.core", "annotator.store", "annotator.formats")


def modules():
    return sorted(FORMATS.rglob("*.py"))


def annotator_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
    return [name for name in found if name.split(".")[0] == "annotator"]


def test_formats_runs_no_sql():
    # The store is the only door to the project file: formats calls its named methods.
    for path in modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        touched = [node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)
                   and node.attr in ("execute", "executemany", "executescript", "conn", "db")]
        assert not touched, f"{path.relative_to(FORMATS)} uses {touched}"


def test_formats_imports_only_core_store_and_itself():
    for path in modules():
        upward = [name for name in annotator_imports(path) if not name.startswith(ALLOWED)]
        assert not upward, f"{path.relative_to(FORMATS)} imports {upward}"


def test_records_is_a_leaf():
    assert all(not name.startswith("annotator.formats")
               for name in annotator_imports(FORMATS / "records.py"))


def test_no_import_cycles_inside_formats():
    graph = {}
    for path in modules():
        parts = path.relative_to(FORMATS.parents[1]).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        graph[name] = {m for m in annotator_imports(path) if m.startswith("annotator.formats")}

    def visit(name, trail):
        assert name not in trail, " -> ".join([*trail, name])
        for target in graph.get(name, ()):
            visit(target, [*trail, name])

    for name in graph:
        visit(name, [])
