"""Errors raised by actorgraph; each prints as one line that names the file, line or parameter.

Messages quote data and file names, which may hold line breaks or terminal escape sequences;
every error's text is passed through :func:`one_line`, so it prints as one inert line.

>>> str(GraphFileError("graph/actors.ttl", 12, "a dot is expected"))
'graph/actors.ttl:12: a dot is expected'
>>> str(GraphFileError("graph/\\x1b[2Jx.ttl", None, "cannot read"))
'graph/\\\\x1b[2Jx.ttl: cannot read'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

__all__ = [
    "ActorGraphError",
    "GraphFileError",
    "Interrupted",
    "QueryError",
    "UnknownActorError",
    "ValidationError",
    "inert",
    "one_line",
]

# C0 and C1 controls, DEL, line and paragraph separators, and the bidirectional overrides that
# can make a terminal show text in another order than it is
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def one_line(text: str) -> str:
    """``text`` with line breaks, escape sequences and other control characters escaped.

    >>> one_line("a\\nb\\x1b[31m\\u202e")
    'a\\\\nb\\\\x1b[31m\\\\u202e'
    """
    return _CONTROL.sub(_escape, text)


def inert(text: str) -> str:
    """``text`` as :func:`one_line` escapes it, but for its line breaks and tabs: what a
    terminal is given to print, so no text it shows can set its title, hide or reorder what
    follows, or write the clipboard.

    >>> inert("a\\tb\\nc\\x1b]0;title\\x07")
    'a\\tb\\nc\\\\x1b]0;title\\\\x07'
    """
    return _TERMINAL.sub(_escape, text)


_TERMINAL = re.compile(_CONTROL.pattern.replace("\x00-\x1f", "\x00-\x08\x0b-\x1f"))


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return _NAMED.get(match[0]) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


class ActorGraphError(Exception):
    """Base class of every error actorgraph raises on bad input; prints as one line."""

    def __str__(self) -> str:
        return one_line(super().__str__())


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
        return one_line(str(self.args[0]))


class Interrupted(ActorGraphError):
    """Ctrl-C stopped the work, and what it was doing is said; the command line exits with
    status 130, as for every Ctrl-C."""


class QueryError(ActorGraphError):
    """A query, query name or query parameter is invalid or refused."""


class ValidationError(ActorGraphError):
    """The graph failed validation; ``problems`` lists each finding."""

    def __init__(self, problems: Sequence[object]) -> None:
        self.problems = list(problems)
        first = str(self.problems[0]) if self.problems else "validation failed"
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(first + more)
