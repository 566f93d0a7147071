"""Read-only checks for SPARQL text from users: no updates, no SERVICE, LOAD or FROM.

pyoxigraph would send ``SERVICE`` calls over the network; a query from a user must not reach
the network or the file system unless the user asked for it.

>>> check_read_only("SELECT * WHERE { ?s ?p ?o }")
>>> check_read_only("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
Traceback (most recent call last):
...
actorgraph.errors.QueryError: SERVICE is refused: federated queries reach the network
"""

from __future__ import annotations

from typing import Any

from .errors import QueryError

__all__ = ["check_read_only"]

_REFUSED = {
    "ServiceGraphPattern": "SERVICE is refused: federated queries reach the network",
    "DatasetClause": "FROM and FROM NAMED are refused: they load graphs from outside the store",
}


def check_read_only(query: str) -> None:
    """Raise :class:`QueryError` unless ``query`` is one read-only SPARQL query over the store."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

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
    _walk(tree)


def _walk(node: Any) -> None:
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
        if not isinstance(child, str):
            _walk(child)
