"""Strict Turtle reading: every error names the file and line, and nothing is only logged.

pyoxigraph rejects malformed syntax and IRIs; ill-typed literals (``"abc"^^xsd:integer``),
which it accepts, are checked here with rdflib's lexical rules.

>>> from actorgraph.bundled import graph_dir
>>> parsed = read_turtle(graph_dir() / "sources.ttl")
>>> parsed.line_of("https://w3id.org/actorgraph/source/usip-2021-isk-resurgence")
10
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .errors import GraphFileError

__all__ = ["TurtleFile", "read_turtle"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_UNCHECKED = {_XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}
_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE)
_SUBJECT = re.compile(r"^(<[^>\s]*>|[\w.-]*:[\w.~%-]*)(?:\s|$)")
_TZ = r"(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))?"
_YEAR = r"-?([1-9]\d{3,}|0\d{3})"
# XSD types whose lexical form rdflib does not check (its Literal.ill_typed is None for them).
_GREGORIAN = {
    _XSD + "gYear": re.compile(f"{_YEAR}{_TZ}"),
    _XSD + "gYearMonth": re.compile(f"{_YEAR}-(0[1-9]|1[0-2]){_TZ}"),
    _XSD + "gMonth": re.compile(f"--(0[1-9]|1[0-2]){_TZ}"),
    _XSD + "gMonthDay": re.compile(f"--(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01]){_TZ}"),
    _XSD + "gDay": re.compile(f"---(0[1-9]|[12]\\d|3[01]){_TZ}"),
}
_OX_POSITION = re.compile(
    r"^Parser error at line \d+ between columns \d+ and \d+: |\s*\(line \d+\)$"
)


@dataclass(frozen=True)
class TurtleFile:
    """The triples of one Turtle file and the line where each named subject's block starts."""

    path: Path
    text: str
    triples: list[ox.Triple]
    subject_lines: dict[str, int] = field(repr=False)

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
    """Parse one Turtle file; raise :class:`GraphFileError` with file and line on any fault."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise GraphFileError(path, None, f"cannot read: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise GraphFileError(path, line, "not valid UTF-8") from None
    try:
        triples = [
            quad.triple
            for quad in ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
        ]
    except SyntaxError as error:
        message = _OX_POSITION.sub("", str(error)).strip()
        raise GraphFileError(path, error.lineno, message[:1].lower() + message[1:]) from None
    parsed = TurtleFile(path, text, triples, _subject_lines(text))
    _check_literals(parsed)
    return parsed


def _subject_lines(text: str) -> dict[str, int]:
    prefixes: dict[str, str] = {}
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
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


def _check_literals(parsed: TurtleFile) -> None:
    from rdflib import Literal, URIRef

    rdflib_log = logging.getLogger("rdflib.term")
    previous = rdflib_log.level
    rdflib_log.setLevel(logging.ERROR)
    try:
        for triple in parsed.triples:
            term = triple.object
            if not isinstance(term, ox.Literal) or term.language:
                continue
            datatype = term.datatype.value
            if datatype in _UNCHECKED:
                continue
            pattern = _GREGORIAN.get(datatype)
            if (
                not pattern.fullmatch(term.value)
                if pattern
                else Literal(term.value, datatype=URIRef(datatype)).ill_typed
            ):
                short = datatype.removeprefix(_XSD)
                line = parsed.line_containing(f'"{term.value}"')
                raise GraphFileError(
                    parsed.path, line, f'ill-typed literal "{term.value}" is not a valid {short}'
                )
    finally:
        rdflib_log.setLevel(previous)
