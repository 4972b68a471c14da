"""Import and export, one sub-package per format (reader and writer side by side), the shared
pipeline beside them, and one registry of formats (annotator.formats.registry). No Qt, no SQL.
"""

# The shipped formats register themselves here, so that whoever imports the registry (the
# command line, detection, the window's menus) finds them all.
from annotator.formats import builtin  # noqa: F401
