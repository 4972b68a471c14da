"""The store sits on the core alone: it never reaches up into suggest, formats, cli or qt
(it used to import suggest.pipelines to read a pattern file's labels)."""

from tests.test_architecture import PACKAGE, imports

ALLOWED = ("annotator.core", "annotator.store", "annotator.paths")


def test_the_store_imports_only_the_core():
    offenders = [f"{path.name} imports {name}"
                 for path in sorted((PACKAGE / "store").rglob("*.py"))
                 for name, _ in imports(path)
                 if name.startswith("annotator") and not name.startswith(ALLOWED)
                 and name != "annotator"]
    assert offenders == []


def test_the_schema_rules_import_no_other_layer():
    for module in ("schema_rules", "schema_edit", "schema_in_use", "patterns"):
        names = [name for name, _ in imports(PACKAGE / "core" / f"{module}.py")]
        assert all(not n.startswith("annotator") or n.startswith("annotator.core") for n in names), names
