"""Exceptions raised by kg.

One tree, so callers catch at the level they need::

    KGError
    ├── InputError        a file, folder or JSONL line that cannot be read as an article
    ├── ModelError        the spaCy model cannot be loaded
    ├── StoreError        the store folder is missing, locked, or not a kg store
    ├── QueryError        a SPARQL syntax error, an unknown named query, a missing parameter
    ├── RenderError       nothing to draw, or an unknown focus
    └── OutputError       an output file cannot be written

Every message names the file or argument at fault and says what to do.
"""

from __future__ import annotations


class KGError(Exception):
    """Base class of every error kg raises on purpose."""


class InputError(KGError):
    """An input file, folder or record cannot be turned into a document."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class ModelError(KGError):
    """The spaCy pipeline cannot be loaded."""


class StoreError(KGError):
    """The store cannot be opened, read or written."""


class QueryError(KGError):
    """A query cannot be prepared or run."""


class RenderError(KGError):
    """The graph view cannot be drawn."""


class OutputError(KGError):
    """An output file cannot be written."""


__all__ = [
    "InputError",
    "KGError",
    "ModelError",
    "OutputError",
    "QueryError",
    "RenderError",
    "StoreError",
]
