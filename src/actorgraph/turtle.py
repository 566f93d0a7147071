"""Strict Turtle reading: every error names the file and line, and nothing is only logged.

pyoxigraph rejects malformed syntax and IRIs; ill-typed literals (``"abc"^^xsd:integer``),
which it accepts, are checked here. Files are parsed without a base IRI, so a relative IRI
(``<claims/x>``) is an error rather than a ``file://`` path of the machine that read it; a file
may still declare its own ``@base``.

Files go straight into the store (pyoxigraph parses them there); nothing keeps a Python copy of
their triples or text. A :class:`TurtleFile` remembers its content's digest and reads the file
again only when a line number or its triples are asked for, refusing a file that changed since.

>>> from actorgraph.bundled import graph_dir
>>> sources = read_turtle(graph_dir() / "sources.ttl")
>>> sources.line_of("https://w3id.org/actorgraph/source/usip-2021-isk-resurgence")
10
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox

from .errors import GraphFileError
from .lexical import ill_typed
from .namespaces import XSD
from .store import OxigraphStore, Store

__all__ = [
    "TurtleFile",
    "check_literals",
    "checked_turtle",
    "declared_prefixes",
    "digest",
    "load_into",
    "read_bytes",
    "read_turtle",
]

_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE)
_SUBJECT = re.compile(r"^(<[^>\s]*>|[\w.-]*:[\w.~%-]*)(?:\s|$)")
_OX_POSITION = re.compile(
    r"^Parser error at line \d+ between columns \d+ and \d+: |\s*\(line \d+\)$"
)
_TOKEN_LIMIT = 16 * 1024 * 1024  # pyoxigraph's parser buffer: no token may be longer
# Turtle's strings (long ones first), IRIs and comments: quotes inside an IRI or a comment
# are not taken for a string
_TOKENS = re.compile(
    r'"""(?:[^"\\]++|\\.|"(?!""))*+"""'
    r"|'''(?:[^'\\]++|\\.|'(?!''))*+'''"
    r'|"(?:[^"\\\n\r]++|\\.)*+"'
    r"|'(?:[^'\\\n\r]++|\\.)*+'"
    r"|<[^<>\s]*+>"
    r"|#[^\n\r]*+",
    re.DOTALL,
)
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f"}
_DATATYPE_MARK = re.compile(r"\s*\^\^")
_RELATIVE_IRI = "No scheme found in an absolute IRI"
# Types the store keeps as xsd:integer; each pattern starts with a fixed text, which the
# regular expression engine finds fast (one alternation of both prefixes is ten times slower).
_DERIVED_NAMES = (
    rb"(?:(?:nonNegative|positive|nonPositive|negative)Integer"
    rb"|(?:unsigned)?(?:Long|Int|Short|Byte|long|int|short|byte)\b)"
)
_DERIVED_INTEGER = (
    re.compile(rb"xsd:" + _DERIVED_NAMES),
    re.compile(rb"XMLSchema#" + _DERIVED_NAMES),
)
# The store keeps a valid xsd:integer as a number (isNumeric) and an ill-typed one as text, so
# valid integers, the bulk of typed literals (offsets), are left out here, in the engine.
_TYPED_LITERALS = """
SELECT DISTINCT ?o WHERE {
  ?s ?p ?o .
  FILTER(isLiteral(?o)
         && !(isNumeric(?o) && DATATYPE(?o) = <http://www.w3.org/2001/XMLSchema#integer>)
         && DATATYPE(?o) != <http://www.w3.org/2001/XMLSchema#string>
         && DATATYPE(?o) != <http://www.w3.org/1999/02/22-rdf-syntax-ns#langString>)
}"""


class TurtleFile:
    """One Turtle file of a graph: its path and content digest; its text, triples and the line
    where each named subject's block starts, read from the file when first asked for.

    The file is read again only if it still has the content it was loaded with
    (:class:`GraphFileError` otherwise), so a line number never comes from another version.
    """

    def __init__(self, path: Path, digest: str, data: bytes | None = None) -> None:
        self.path = path
        self.digest = digest
        self._data = data

    def __repr__(self) -> str:
        return f"TurtleFile({str(self.path)!r}, {self.digest[:12]!r})"

    @property
    def data(self) -> bytes:
        """The file's bytes (without a UTF-8 byte order mark)."""
        if self._data is not None:
            return self._data
        data = read_bytes(self.path)
        if digest(data) != self.digest:
            raise GraphFileError(
                self.path, None, "changed since the graph was loaded: load the graph again"
            )
        return data

    def release(self) -> None:
        """Forget the bytes read at load time; they are read again when needed."""
        self._data = None

    @cached_property
    def text(self) -> str:
        return _decode(self.path, self.data)

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
        """The file's triples (parsed on first use, without a base IRI)."""
        with _located(self):
            return [quad.triple for quad in ox.parse(self.data, format=ox.RdfFormat.TURTLE)]

    def line_of(self, iri: str) -> int | None:
        """Line (1-based) where the block describing ``iri`` starts, if this file has one."""
        return self.subject_lines.get(iri)

    def line_of_literal(self, value: str) -> int | None:
        """Line where a typed literal (``"…"^^type``) with the value ``value`` starts, its
        escapes (``\\u0032``, ``\\n`` …) read as the parser reads them."""
        for line, token, end in self._tokens():
            if token[0] in "\"'" and _DATATYPE_MARK.match(self.text, end):
                quotes = 3 if token[:3] in ('"""', "'''") and len(token) >= 6 else 1
                if _unescape(token[quotes:-quotes]) == value:
                    return line
        return None

    def line_of_long_token(self) -> int | None:
        """Line where the first string or IRI longer than the parser's buffer starts."""
        for line, token, _ in self._tokens():
            if len(token) * 4 > _TOKEN_LIMIT and len(token.encode("utf-8")) > _TOKEN_LIMIT:
                return line
        return None

    def _tokens(self) -> Iterator[tuple[int, str, int]]:
        """(line, text, end offset) of each string, IRI and comment, in order."""
        line, position = 1, 0
        for match in _TOKENS.finditer(self.text):
            line += self.text.count("\n", position, match.start())
            position = match.start()
            yield line, match[0], match.end()

    def line_containing(self, needle: str, after: int = 1) -> int | None:
        """First line at or after line ``after`` that contains ``needle``."""
        for number, line in enumerate(self.text.splitlines()[after - 1 :], start=after):
            if needle in line:
                return number
        return None


def declared_prefixes(text: str) -> dict[str, str]:
    """The prefixes a Turtle text declares (``@prefix`` or ``PREFIX``), the last one of a name.

    >>> declared_prefixes("@prefix ag: <https://w3id.org/actorgraph/ontology#> .")
    {'ag': 'https://w3id.org/actorgraph/ontology#'}
    """
    return {m[1]: m[2] for m in map(_PREFIX.match, text.splitlines()) if m}


def read_turtle(path: str | Path) -> TurtleFile:
    """Read a Turtle file and check that it is UTF-8; raise :class:`GraphFileError` if it is
    unreadable or not a regular file (a FIFO is refused without waiting for a writer, a device
    unread). The bytes are kept until :meth:`TurtleFile.release`."""
    path = Path(path)
    return checked_turtle(path, read_bytes(path))


def checked_turtle(path: Path, data: bytes) -> TurtleFile:
    """The file ``path`` whose bytes were ``data``, once they are checked to be UTF-8.

    >>> checked_turtle(Path("a.ttl"), b"\\xff")
    Traceback (most recent call last):
    actorgraph.errors.GraphFileError: a.ttl:1: not valid UTF-8
    """
    _decode(path, data)
    return TurtleFile(path, digest(data), data)


def digest(data: bytes) -> str:
    """The content digest files are compared by (BLAKE2b, 256 bits, hexadecimal).

    >>> digest(b"")[:16]
    '0e5751c026e543b2'
    """
    return hashlib.blake2b(data, digest_size=32).hexdigest()


def read_bytes(path: Path) -> bytes:
    """A regular file's bytes without a UTF-8 byte order mark; :class:`GraphFileError` if
    it cannot be read or is not a regular file (a FIFO is refused without waiting)."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with open(handle, "rb") as file:
            if not stat.S_ISREG(os.fstat(handle).st_mode):
                raise GraphFileError(path, None, "not a regular file")
            return file.read().removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte order mark
    except OSError as error:
        raise GraphFileError(path, None, f"cannot read: {error.strerror or error}") from None


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise GraphFileError(path, line, "not valid UTF-8") from None


def load_into(store: Store, turtle: TurtleFile) -> None:
    """Parse ``turtle`` into ``store``; a syntax error or bad IRI names the file and line.

    An embedded store parses the bytes itself; no Python object is made per triple."""
    with _located(turtle):
        if isinstance(store, OxigraphStore):
            store.load_turtle(turtle.data)
        else:
            store.add(turtle.triples)


@contextmanager
def _located(turtle: TurtleFile) -> Iterator[None]:
    """Turn pyoxigraph's ``SyntaxError`` and token-size ``MemoryError`` into a
    :class:`GraphFileError` naming the file and line."""
    try:
        yield
    except SyntaxError as error:
        message = _OX_POSITION.sub("", str(error)).strip()
        if message.startswith(_RELATIVE_IRI):
            iri = _span(turtle, error)
            message = (
                f"{f'relative IRI {iri}' if iri else 'a relative IRI'} is not allowed: write it "
                "in full or declare an @base (graph files are read without a base IRI)"
            )
        raise GraphFileError(turtle.path, error.lineno, message[:1].lower() + message[1:]) from None
    except MemoryError as error:
        if "buffer maximal size" not in str(error):
            raise
        limit = f"{_TOKEN_LIMIT // (1024 * 1024)} MiB"
        message = f"a literal or IRI is longer than {limit}, the parser's limit"
        raise GraphFileError(turtle.path, turtle.line_of_long_token(), message) from None


def check_literals(store: Store, files: Iterable[TurtleFile]) -> None:
    """Raise :class:`GraphFileError` for the first ill-typed literal, located in its file.

    The store's distinct literals are checked; literals of the types the store stores as
    xsd:integer (nonNegativeInteger, byte …) are checked in the files that use such types.
    """
    from .vocabulary import datatype_problem, first_written

    files = list(files)
    for (term,) in store.select(_TYPED_LITERALS, {}).terms:
        assert isinstance(term, ox.Literal)
        if unknown := datatype_problem(term.datatype.value):
            where = first_written(files, term.datatype.value)
            if where is None:
                _raise_at_literal(term, files, unknown)
            else:
                raise GraphFileError(*where, unknown)
        if ill_typed(term.value, term.datatype.value):
            _raise_ill_typed(term, files)
    for turtle in files:
        if not any(pattern.search(turtle.data) for pattern in _DERIVED_INTEGER):
            continue
        with _located(turtle):  # parsed once more, one triple at a time, nothing kept
            for quad in ox.parse(turtle.data, format=ox.RdfFormat.TURTLE):
                term = quad.object
                if isinstance(term, ox.Literal) and ill_typed(term.value, term.datatype.value):
                    _raise_ill_typed(term, [turtle])


def _raise_ill_typed(term: ox.Literal, files: Iterable[TurtleFile]) -> None:
    short = term.datatype.value.removeprefix(str(XSD))
    message = (
        f"ill-typed literal {json.dumps(term.value, ensure_ascii=False)} is not a valid {short}"
    )
    _raise_at_literal(term, files, message)


def _raise_at_literal(term: ox.Literal, files: Iterable[TurtleFile], message: str) -> None:
    """Raise :class:`GraphFileError` with ``message`` at the first place ``term`` is written."""
    files = list(files)
    for turtle in files:
        line = turtle.line_of_literal(term.value)
        if line is not None:
            raise GraphFileError(turtle.path, line, message)
    for needle in (f'"{term.value}"', f"'{term.value}'", term.value):
        for turtle in files:
            line = turtle.line_containing(needle)
            if line is not None:
                raise GraphFileError(turtle.path, line, message)
    raise GraphFileError(", ".join(str(t.path) for t in files), None, message)


def _unescape(body: str) -> str:
    """A Turtle string's value: its ``\\uXXXX``, ``\\UXXXXXXXX`` and ``\\n``-style escapes read."""
    return _ESCAPE.sub(_unescaped, body) if "\\" in body else body


def _unescaped(match: re.Match[str]) -> str:
    code = match[1] or match[2]
    if code:
        return chr(int(code, 16)) if int(code, 16) <= 0x10FFFF else match[0]
    return _ECHAR.get(match[3], match[3])


def _span(turtle: TurtleFile, error: SyntaxError) -> str | None:
    """The text between the columns a pyoxigraph ``SyntaxError`` names, if on one line."""
    if not error.lineno or not error.offset or error.end_lineno != error.lineno:
        return None
    lines = turtle.text.splitlines()
    if error.lineno > len(lines):
        return None
    return lines[error.lineno - 1][error.offset - 1 : (error.end_offset or error.offset) - 1]
