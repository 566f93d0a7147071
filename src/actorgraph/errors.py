"""Errors raised by actorgraph; each prints as one line that names the file, line or parameter.

>>> str(GraphFileError("graph/actors.ttl", 12, "a dot is expected"))
'graph/actors.ttl:12: a dot is expected'
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

__all__ = [
    "ActorGraphError",
    "GraphFileError",
    "QueryError",
    "UnknownActorError",
    "ValidationError",
]


class ActorGraphError(Exception):
    """Base class of every error actorgraph raises on bad input."""


class GraphFileError(ActorGraphError):
    """A graph file cannot be read or parsed."""

    def __init__(self, path: str | Path, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


class UnknownActorError(ActorGraphError, LookupError):
    """No actor has the given id, label or alias."""

    def __init__(self, name: str, suggestions: Sequence[str] = ()) -> None:
        self.name = name
        self.suggestions = tuple(suggestions)
        hint = (
            f"; did you mean {', '.join(repr(s) for s in self.suggestions)}?" if suggestions else ""
        )
        super().__init__(f"unknown actor {name!r}{hint}")

    def __str__(self) -> str:
        return str(self.args[0])


class QueryError(ActorGraphError):
    """A query, query name or query parameter is invalid or refused."""


class ValidationError(ActorGraphError):
    """The graph failed validation; ``problems`` lists each finding."""

    def __init__(self, problems: Sequence[object]) -> None:
        self.problems = list(problems)
        first = str(self.problems[0]) if self.problems else "validation failed"
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(first + more)
