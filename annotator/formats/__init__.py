"""Import and export, one sub-package per format (reader and writer side by side), the shared
pipeline beside them, and one registry of formats (annotator.formats.registry). No Qt, no SQL.
"""
