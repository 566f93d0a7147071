"""Query results as a small table of plain Python values.

>>> import pyoxigraph as ox
>>> isk = ox.NamedNode("https://w3id.org/actorgraph/actor/isk")
>>> rows = Rows(["actor", "n"], [(isk, ox.Literal(3))])
>>> rows.dicts()
[{'actor': 'https://w3id.org/actorgraph/actor/isk', 'n': 3}]
>>> rows[0] == rows[-1] == rows.dicts()[0], len(rows)
(True, 1)

A column a named query declares as a list holds a Python list (empty: ``[]``):

>>> Rows(["names", "none"], [(ox.Literal("IS-K | ISIS-K"), ox.Literal(""))],
...      lists={"names": " | ", "none": " "}).dicts()
[{'names': ['IS-K', 'ISIS-K'], 'none': []}]
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import import_module
from typing import Any, overload

import pyoxigraph as ox

from .namespaces import XSD

__all__ = ["Cell", "Rows", "Value", "merge_runs", "to_python"]

_XSD = str(XSD)
_INTEGERS = {
    _XSD + name
    for name in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt",
        "unsignedShort", "unsignedByte",
    )
}  # fmt: skip
_FLOATS = {_XSD + "decimal", _XSD + "double", _XSD + "float"}
#: How many rows a notebook shows of a result (``Rows._repr_html_``).
HTML_ROWS = 50
#: How many rows a plain repr shows (in a terminal, before the count of the rest).
REPR_ROWS = 5

Value = str | int | float | bool | None
#: A value of :meth:`Rows.dicts`: a plain value, or the list a list column holds.
Cell = Value | list[str]
_Cell = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None


def to_python(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> Value:
    """IRIs as strings, numbers and booleans as Python values, other literals as text."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGERS:
                return int(term.value)
            if datatype in _FLOATS:
                return float(term.value)
        except ValueError:
            return term.value
        if datatype == _XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    return str(term)


@dataclass(frozen=True)
class Rows:
    """The variables of a result and its rows, in order; rows hold RDF terms (None: unbound).

    ``len(rows)`` is the number of rows; ``rows[i]`` is one row as a dict of plain values (as in
    :meth:`dicts`), negative indices counting from the end, and ``rows[i:j]`` a list of them.
    Jupyter shows rows as a table; :meth:`to_pandas` makes a DataFrame.
    """

    variables: Sequence[str]
    terms: Sequence[tuple[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None, ...]]
    form: str = "SELECT"  # or ASK (one "result" column) or CONSTRUCT (subject, predicate, object)
    #: Columns that hold several values in one text, with their separator (named queries'
    #: ``# list:`` lines): :meth:`dicts` splits them into lists.
    lists: Mapping[str, str] = field(default_factory=dict)
    #: The columns a table shows on a terminal (a named query's ``# table:`` line; none: all).
    shown: Sequence[str] = ()

    def __len__(self) -> int:
        return len(self.terms)

    def __iter__(self) -> Iterator[dict[str, Cell]]:
        return iter(self.dicts())

    @overload
    def __getitem__(self, index: int) -> dict[str, Cell]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Cell]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Cell] | list[dict[str, Cell]]:
        if isinstance(index, str):
            raise TypeError(
                f"rows[{index!r}]: rows are indexed by number (rows[0]) or slice; "
                f"for a column use rows.column({index!r})"
            )
        if isinstance(index, slice):
            return [self._dict(row) for row in self.terms[index]]
        return self._dict(self.terms[index])

    def _dict(self, row: Sequence[_Cell]) -> dict[str, Cell]:
        pairs = zip(self.variables, row, strict=True)
        return {name: self._value(name, term) for name, term in pairs}

    def _value(self, name: str, term: _Cell) -> Cell:
        value = to_python(term)
        separator = self.lists.get(name)
        if separator is not None:
            text = "" if value is None else str(value)
            return text.split() if separator == " " else [v for v in text.split(separator) if v]
        return value

    def dicts(self) -> list[dict[str, Cell]]:
        """Each row as ``{variable: value}`` with plain Python values: unbound values None,
        list columns (:attr:`lists`) lists."""
        return [self._dict(row) for row in self.terms]

    @classmethod
    def from_values(cls, variables: Sequence[str], rows: Iterable[Sequence[Value]]) -> Rows:
        """Rows from plain values: strings that are http(s) IRIs become IRIs, others literals.

        >>> Rows.from_values(["n", "who"], [(3, "https://example.org/a")]).dicts()
        [{'n': 3, 'who': 'https://example.org/a'}]
        """
        return cls(list(variables), [tuple(_term(value) for value in row) for row in rows])

    def column(self, name: str) -> list[Cell]:
        """The values of one variable, row by row (as in :meth:`dicts`); an unknown name raises
        :class:`~actorgraph.errors.QueryError` listing the columns."""
        if name not in self.variables:
            from .errors import QueryError

            raise QueryError(
                f"no column {name!r} in this result "
                f"(columns: {', '.join(self.variables) or 'none'})"
            )
        index = list(self.variables).index(name)
        return [self._value(name, row[index]) for row in self.terms]

    def to_pandas(self) -> Any:
        """The rows as a ``pandas.DataFrame`` with one column per variable, in order, holding
        the plain values of :meth:`dicts` (unbound: None). Needs the ``pandas`` extra
        (``pip install 'actorgraph[pandas]'``); without it, raises ImportError saying so.
        """
        try:
            pandas = import_module("pandas")
        except ModuleNotFoundError as error:
            if error.name != "pandas":
                raise
            raise ImportError("to_pandas needs pandas: pip install 'actorgraph[pandas]'") from None
        return pandas.DataFrame(self.dicts(), columns=list(self.variables))

    def __repr__(self) -> str:
        """A short table of the first rows, as a terminal shows them, and how to get the rest.

        >>> from actorgraph import ActorGraph
        >>> print(repr(ActorGraph.load().query("actors", kind="Person")).splitlines()[0])
        <Rows: 5 rows × 4 columns (actor, label, aliases, kind)>
        """
        from dataclasses import replace

        from .output import OutputFormat, present

        names = ", ".join(self.variables)
        head = f"<Rows: {len(self)} rows × {len(self.variables)} columns ({names})>"
        if not self.terms or self.form == "ASK":
            return head if self.form != "ASK" else f"<Rows: ASK {self.dicts()[0]['result']}>"
        first = present(replace(self, terms=self.terms[:REPR_ROWS]), OutputFormat.TABLE, width=100)
        first = first.replace(" --wide shows all", "")  # the command line's option, not here
        more = len(self) - REPR_ROWS
        rest = f"… {more} more rows; " if more > 0 else ""
        return f"{head}\n{first.rstrip()}\n{rest}.dicts(), .column(name), rows[i], .to_pandas()"

    def _repr_html_(self) -> str:
        """The rows as an HTML table (the first :data:`HTML_ROWS`), every value escaped."""
        head = "".join(f"<th>{html.escape(name)}</th>" for name in self.variables)
        body = "".join(
            "<tr>" + "".join(f"<td>{_cell(term)}</td>" for term in row) + "</tr>"
            for row in self.terms[:HTML_ROWS]
        )
        parts = [f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"]
        more = len(self.terms) - HTML_ROWS
        if more > 0:
            parts.append(f"<p>… {more} more row{'' if more == 1 else 's'}</p>")
        elif not self.terms:
            parts.append("<p>no rows</p>")
        return "\n".join(parts)


def merge_runs(runs: Sequence[Rows]) -> Rows:
    """The rows of several runs of one query, in order, each row once.

    >>> one = Rows.from_values(["n"], [(1,), (2,)])
    >>> merge_runs([one, Rows.from_values(["n"], [(2,), (3,)])]).column("n")
    [1, 2, 3]
    """
    seen: set[tuple[object, ...]] = set()
    merged = []
    for rows in runs:
        for row in rows.terms:
            key = tuple(map(str, row))
            if key not in seen:
                seen.add(key)
                merged.append(row)
    return replace(runs[0], terms=merged)


def _cell(term: _Cell) -> str:
    value = to_python(term)
    return "" if value is None else html.escape(str(value))


def _term(value: Value) -> ox.NamedNode | ox.Literal | None:
    if value is None:
        return None
    if isinstance(value, str) and value.startswith(("http://", "https://")) and " " not in value:
        return ox.NamedNode(value)
    return ox.Literal(value)
