"""Read-only checks for SPARQL text from users: no updates, no SERVICE, LOAD or FROM.

pyoxigraph would send ``SERVICE`` calls over the network; a query from a user must not reach
the network or the file system unless the user asked for it. The check also reports which
variables the query uses and selects, so parameters can be checked before it runs.

>>> check_read_only("SELECT ?s WHERE { ?s ?p ?o }").selected
frozenset({'s'})
>>> check_read_only("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
Traceback (most recent call last):
...
actorgraph.errors.QueryError: SERVICE is refused: federated queries reach the network
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .errors import QueryError

__all__ = ["QueryShape", "check_read_only"]

_REFUSED = {
    "ServiceGraphPattern": "SERVICE is refused: federated queries reach the network",
    "DatasetClause": "FROM and FROM NAMED are refused: they load graphs from outside the store",
}


@dataclass(frozen=True)
class QueryShape:
    """The variables a checked query mentions, and those a SELECT returns (None: all of them)."""

    variables: frozenset[str]
    selected: frozenset[str] | None


@lru_cache(maxsize=256)
def check_read_only(query: str) -> QueryShape:
    """Raise :class:`QueryError` unless ``query`` is one read-only SPARQL query over the store."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    if not query.strip():
        raise QueryError("the query is empty")
    try:
        tree = parseQuery(query)
    except ParseException as error:
        try:
            parseUpdate(query)
        except ParseException:
            raise QueryError(
                f"SPARQL syntax error at line {error.lineno}, column {error.col}"
            ) from None
        raise QueryError("updates (INSERT, DELETE, LOAD, CLEAR, DROP …) are refused") from None
    except Exception as error:  # rdflib raises assorted errors on odd input, e.g. bad IRIs
        raise QueryError(f"SPARQL syntax error: {type(error).__name__}") from None
    variables: set[str] = set()
    _walk(tree, variables)
    form = tree[1]
    selected = None
    if form.name == "SelectQuery" and "projection" in form:
        selected = frozenset(
            str(item["var"] if "var" in item else item["evar"]) for item in form["projection"]
        )
    return QueryShape(frozenset(variables), selected)


def _walk(node: Any, variables: set[str]) -> None:
    from rdflib.term import Variable

    if isinstance(node, Variable):
        variables.add(str(node))
        return
    name = getattr(node, "name", None)
    if name in _REFUSED:
        raise QueryError(_REFUSED[name])
    if isinstance(node, dict):
        children = node.values()
    elif hasattr(node, "__iter__") and not isinstance(node, str):
        children = node
    else:
        return
    for child in children:
        if not isinstance(child, str) or isinstance(child, Variable):
            _walk(child, variables)
