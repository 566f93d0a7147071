"""The catalogue of named SPARQL queries and safe binding of their parameters.

A named query is a ``.rq`` file whose header comment documents it::

    # title: Statements
    # description: One row per statement with its evidence.
    # param: subject  actor  optional  The subject actor, by id, label or alias.
    # list: contestedBy  iris

A ``list:`` line declares a column that holds several values in one text: ``iris`` are
separated by spaces, ``labels`` by " | ". Results give such a column as a Python (and JSON)
list; tables and CSV keep the text. A ``table:`` line names the columns a table shows on a
terminal (all others with ``--wide``). A ``parts: together`` line lets an actor parameter
match the actor and its organs in one run, the query's ORDER BY ordering all the rows (without
it, there is a run per organ and the actor's rows come first): for a query that aggregates
nothing across them, which a planner then reads once.

Parameter values are turned into RDF terms and bound as variable substitutions. Text a user
types is never written into a query's text: only RDF terms, serialised — the IRIs the graph
resolved a parameter to (as ``VALUES`` blocks the embedded store's planner starts from, and for
``parts: together``), and, for a server, which takes no substitutions, every bound term.

>>> from actorgraph.bundled import queries_dir
>>> catalogue = load_catalogue(queries_dir())
>>> [p.name for p in catalogue["statements"].parameters][:3]
['subject', 'relation', 'object']
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .errors import QueryError
from .lexical import ill_typed
from .namespaces import XSD
from .store import Term

__all__ = ["PARAMETER_TYPES", "NamedQuery", "Parameter", "load_catalogue", "make_literal"]

_HEADER = re.compile(r"^#\s*(title|description|param|list|table|parts):\s*(.*)$")
_CONTINUATION = re.compile(r"^#\s{2,}(\S.*)$")
_DATE_PRECISIONS = ("gYear", "gYearMonth", "date")
_PLAIN_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")

#: Parameter types a query header may declare, with what a value of each looks like.
PARAMETER_TYPES = {
    "actor": "an actor's id, label or alias",
    "relation": "a relation type from the ontology, e.g. hostileTo",
    "class": "an actor class from the ontology, e.g. ArmedGroup",
    "stance": "Asserted, Hedged, Disputed or Denied",
    "iri": "an absolute IRI",
    "string": "any text",
    "integer": "a whole number",
    "date": "a year (2019), month (2020-05) or day (2021-08-26)",
}

#: How a ``list:`` column separates its values: IRIs by spaces, labels by " | ".
LIST_SEPARATORS = {"iris": " ", "labels": " | "}


@dataclass(frozen=True)
class Parameter:
    """One declared parameter of a named query."""

    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """A documented SPARQL query read from a ``.rq`` file."""

    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str
    path: Path
    lists: Mapping[str, str] = field(default_factory=dict)  #: column → separator
    shown: tuple[str, ...] = ()  #: the columns a table shows on a terminal (none: all)
    parts_together: bool = False  #: an actor and its organs match in one run

    def parameter(self, name: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise QueryError(f"query {self.name!r} has no parameter {name!r} (parameters: {known})")

    def check_arguments(self, arguments: Mapping[str, object]) -> None:
        """Raise :class:`QueryError` for an unknown or a missing required parameter."""
        for name in arguments:
            self.parameter(name)
        for parameter in self.parameters:
            if parameter.required and arguments.get(parameter.name) is None:
                raise QueryError(
                    f"query {self.name!r} needs parameter {parameter.name!r} "
                    f"({PARAMETER_TYPES[parameter.type]})"
                )


def load_catalogue(folder: Path) -> dict[str, NamedQuery]:
    """Read every ``*.rq`` file of ``folder`` into a name → :class:`NamedQuery` mapping."""
    return {path.stem: read_named_query(path) for path in sorted(folder.glob("*.rq"))}


def read_named_query(path: Path) -> NamedQuery:
    """Parse a ``.rq`` file's header; raise :class:`QueryError` naming the line if malformed."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = "not valid UTF-8" if isinstance(error, UnicodeDecodeError) else error.strerror
        raise QueryError(f"{path}: cannot read: {reason}") from None
    fields: dict[str, list[str]] = {
        "title": [],
        "description": [],
        "param": [],
        "list": [],
        "table": [],
        "parts": [],
    }
    last: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        if match := _HEADER.match(line):
            last = match[1]
            fields[last].append(match[2].strip())
        elif (match := _CONTINUATION.match(line)) and last:
            fields[last][-1] += " " + match[1].strip()
        elif line.strip() != "#":
            raise QueryError(
                f"{path}:{number}: expected a header line: '# title:', '# description:', "
                "'# param:', '# list:', '# table:' or '# parts:'"
            )
    if not fields["title"]:
        raise QueryError(f"{path}:1: a named query starts with a '# title:' line")
    parameters = tuple(_parameter(path, spec) for spec in fields["param"])
    for spec in fields["parts"]:
        if spec != "together":
            raise QueryError(f"{path}: malformed '# parts: {spec}'; expected 'together'")
    return NamedQuery(
        name=path.stem,
        title=fields["title"][0],
        description=" ".join(fields["description"]),
        parameters=parameters,
        text=text,
        path=path,
        lists=dict(_list_column(path, spec) for spec in fields["list"]),
        shown=tuple(name for spec in fields["table"] for name in spec.split()),
        parts_together=bool(fields["parts"]),
    )


def _list_column(path: Path, spec: str) -> tuple[str, str]:
    parts = spec.split()
    if len(parts) != 2 or parts[1] not in LIST_SEPARATORS:
        raise QueryError(
            f"{path}: malformed '# list: {spec}'; expected 'COLUMN iris' or 'COLUMN labels'"
        )
    return parts[0], LIST_SEPARATORS[parts[1]]


def _parameter(path: Path, spec: str) -> Parameter:
    parts = spec.split(None, 3)
    if (
        len(parts) < 3
        or parts[1] not in PARAMETER_TYPES
        or parts[2] not in ("required", "optional")
    ):
        raise QueryError(
            f"{path}: malformed '# param: {spec}'; expected 'NAME TYPE required|optional TEXT' "
            f"with TYPE one of {', '.join(PARAMETER_TYPES)}"
        )
    return Parameter(parts[0], parts[1], parts[2] == "required", parts[3] if len(parts) > 3 else "")


def make_literal(kind: str, name: str, value: object) -> Term:
    """Turn a parameter value of a literal-like ``kind`` into an RDF term, checking its form."""
    text = str(value)
    try:
        if kind == "iri":
            return ox.NamedNode(text)
        if kind == "integer":
            if isinstance(value, bool) or ill_typed(text, XSD["integer"]):
                raise QueryError(f"parameter {name!r}: expected a whole number")
            return ox.Literal(str(int(text)), datatype=ox.NamedNode(XSD["integer"]))
        if kind == "date" and _PLAIN_DATE.fullmatch(text):  # four-digit years, no time zone
            for datatype in _DATE_PRECISIONS:
                if not ill_typed(text, XSD[datatype]):
                    return ox.Literal(text, datatype=ox.NamedNode(XSD[datatype]))
        if kind == "date":
            raise QueryError(f"parameter {name!r}: expected {PARAMETER_TYPES['date']}")
        return ox.Literal(text)
    except ValueError:
        what = "an absolute IRI" if kind == "iri" else "text (it has characters RDF cannot hold)"
        raise QueryError(f"parameter {name!r}: not valid as {what}") from None
