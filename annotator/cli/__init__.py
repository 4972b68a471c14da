"""The `annotator` command: one module per subcommand over the same core functions as the
window (entry.py builds the parser from them; shared.py holds what they share)."""

from annotator.cli.entry import main

__all__ = ["main"]
