"""Strict Turtle reading: every error names the file and line, and nothing is only logged.

pyoxigraph rejects malformed syntax and IRIs; ill-typed literals (``"abc"^^xsd:integer``),
which it accepts, are checked here.

>>> from actorgraph.bundled import graph_dir
>>> sources = read_turtle(graph_dir() / "sources.ttl")
>>> sources.line_of("https://w3id.org/actorgraph/source/usip-2021-isk-resurgence")
10
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox

from .errors import GraphFileError
from .lexical import ill_typed
from .namespaces import XSD
from .store import Store

__all__ = ["TurtleFile", "check_literals", "load_into", "read_turtle"]

_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE)
_SUBJECT = re.compile(r"^(<[^>\s]*>|[\w.-]*:[\w.~%-]*)(?:\s|$)")
_OX_POSITION = re.compile(
    r"^Parser error at line \d+ between columns \d+ and \d+: |\s*\(line \d+\)$"
)
_DERIVED_INTEGER = re.compile(
    r"(?:xsd:|XMLSchema#)(?:nonNegative|positive|nonPositive|negative)Integer|"
    r"(?:xsd:|XMLSchema#)(?:unsigned)?(?:Long|Int|Short|Byte|long|int|short|byte)\b"
)
_TYPED_LITERALS = """
SELECT DISTINCT ?o WHERE {
  ?s ?p ?o .
  FILTER(isLiteral(?o) && LANG(?o) = ""
         && DATATYPE(?o) != <http://www.w3.org/2001/XMLSchema#string>)
}"""


@dataclass(frozen=True)
class TurtleFile:
    """One Turtle file: its path, its text, and where each named subject's block starts."""

    path: Path
    data: bytes
    text: str

    @cached_property
    def subject_lines(self) -> dict[str, int]:
        prefixes: dict[str, str] = {}
        lines: dict[str, int] = {}
        for number, line in enumerate(self.text.splitlines(), start=1):
            if declared := _PREFIX.match(line):
                prefixes[declared[1]] = declared[2]
            elif subject := _SUBJECT.match(line):
                token = subject[1]
                if token.startswith("<"):
                    iri = token[1:-1]
                else:
                    prefix, _, local = token.partition(":")
                    if prefix not in prefixes:
                        continue
                    iri = prefixes[prefix] + local
                lines.setdefault(iri, number)
        return lines

    @cached_property
    def triples(self) -> list[ox.Triple]:
        """The file's triples (parsed on first use)."""
        with _located(self):
            quads = ox.parse(self.data, format=ox.RdfFormat.TURTLE, base_iri=self.base_iri)
            return [quad.triple for quad in quads]

    @property
    def base_iri(self) -> str:
        return self.path.resolve().as_uri()

    def line_of(self, iri: str) -> int | None:
        """Line (1-based) where the block describing ``iri`` starts, if this file has one."""
        return self.subject_lines.get(iri)

    def line_containing(self, needle: str, after: int = 1) -> int | None:
        """First line at or after line ``after`` that contains ``needle``."""
        for number, line in enumerate(self.text.splitlines()[after - 1 :], start=after):
            if needle in line:
                return number
        return None


def read_turtle(path: str | Path) -> TurtleFile:
    """Read a Turtle file's bytes and text; raise :class:`GraphFileError` if unreadable."""
    path = Path(path)
    try:
        data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte order mark
    except OSError as error:
        raise GraphFileError(path, None, f"cannot read: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise GraphFileError(path, line, "not valid UTF-8") from None
    return TurtleFile(path, data, text)


def load_into(store: Store, turtle: TurtleFile) -> None:
    """Parse ``turtle`` into ``store``; a syntax error or bad IRI names the file and line."""
    with _located(turtle):
        store.load_turtle(turtle.data, turtle.base_iri)


@contextmanager
def _located(turtle: TurtleFile) -> Iterator[None]:
    """Turn pyoxigraph's ``SyntaxError`` into a :class:`GraphFileError` naming the file."""
    try:
        yield
    except SyntaxError as error:
        message = _OX_POSITION.sub("", str(error)).strip()
        raise GraphFileError(turtle.path, error.lineno, message[:1].lower() + message[1:]) from None


def check_literals(store: Store, files: Iterable[TurtleFile]) -> None:
    """Raise :class:`GraphFileError` for the first ill-typed literal, located in its file.

    The store's distinct literals are checked; literals of the types the store stores as
    xsd:integer (nonNegativeInteger, byte …) are checked in the files that use such types.
    """
    files = list(files)
    for (term,) in store.select(_TYPED_LITERALS, {}).terms:
        assert isinstance(term, ox.Literal)
        if ill_typed(term.value, term.datatype.value):
            _raise_ill_typed(term, files)
    for turtle in files:
        if not _DERIVED_INTEGER.search(turtle.text):
            continue
        for triple in turtle.triples:
            term = triple.object
            if isinstance(term, ox.Literal) and ill_typed(term.value, term.datatype.value):
                _raise_ill_typed(term, [turtle])


def _raise_ill_typed(term: ox.Literal, files: Iterable[TurtleFile]) -> None:
    short = term.datatype.value.removeprefix(str(XSD))
    message = (
        f"ill-typed literal {json.dumps(term.value, ensure_ascii=False)} is not a valid {short}"
    )
    files = list(files)
    for needle in (f'"{term.value}"', f"'{term.value}'", term.value):
        for turtle in files:
            line = turtle.line_containing(needle)
            if line is not None:
                raise GraphFileError(turtle.path, line, message)
    raise GraphFileError(", ".join(str(t.path) for t in files), None, message)
