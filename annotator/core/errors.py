"""Errors whose message is written for the user: the CLI and the GUI show them as they are."""


class AnnotatorError(Exception):
    """A problem the user can act on; str(error) is the whole message."""


class ProjectError(AnnotatorError):
    """The project file can't be opened: corrupt, not a project, or from a newer version."""


class SchemaError(AnnotatorError):
    """A label schema file is malformed."""


class ImportFailed(AnnotatorError):
    """A file could not be imported at all; nothing from it was written."""


class EditRefused(AnnotatorError):
    """An edit that would break the data (bad offsets, unknown label) was not made."""


class ReadOnlyProject(EditRefused):
    """The project is open read-only (a read-only file, folder or disk, or another window
    edits it): nothing can be saved; str(error) says why and what to do."""


class ProjectBusy(AnnotatorError):
    """Another program held the project's write lock longer than we wait; nothing was written."""


class DiskProblem(AnnotatorError):
    """A disk refused a read or a write (full, read-only, I/O error, no permission); the
    message names the file, the cause and what to do."""
