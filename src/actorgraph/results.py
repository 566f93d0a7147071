"""Query results as a small table of plain Python values.

>>> import pyoxigraph as ox
>>> isk = ox.NamedNode("https://w3id.org/actorgraph/actor/isk")
>>> rows = Rows(["actor", "n"], [(isk, ox.Literal(3))])
>>> rows.dicts()
[{'actor': 'https://w3id.org/actorgraph/actor/isk', 'n': 3}]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from .namespaces import XSD

__all__ = ["Rows", "Value", "to_python"]

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

Value = str | int | float | bool | None


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
    """The variables of a result and its rows, in order; rows hold RDF terms (None: unbound)."""

    variables: Sequence[str]
    terms: Sequence[tuple[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None, ...]]
    form: str = "SELECT"  # or ASK (one "result" column) or CONSTRUCT (subject, predicate, object)

    def __len__(self) -> int:
        return len(self.terms)

    def __iter__(self) -> Iterator[dict[str, Value]]:
        return iter(self.dicts())

    def dicts(self) -> list[dict[str, Value]]:
        """Each row as ``{variable: value}`` with plain Python values."""
        return [
            {name: to_python(term) for name, term in zip(self.variables, row, strict=True)}
            for row in self.terms
        ]

    @classmethod
    def from_values(cls, variables: Sequence[str], rows: Iterable[Sequence[Value]]) -> Rows:
        """Rows from plain values: strings that are http(s) IRIs become IRIs, others literals.

        >>> Rows.from_values(["n", "who"], [(3, "https://example.org/a")]).dicts()
        [{'n': 3, 'who': 'https://example.org/a'}]
        """
        return cls(list(variables), [tuple(_term(value) for value in row) for row in rows])

    def column(self, name: str) -> list[Value]:
        """The values of one variable, row by row."""
        index = list(self.variables).index(name)
        return [to_python(row[index]) for row in self.terms]


def _term(value: Value) -> ox.NamedNode | ox.Literal | None:
    if value is None:
        return None
    if isinstance(value, str) and value.startswith(("http://", "https://")) and " " not in value:
        return ox.NamedNode(value)
    return ox.Literal(value)
