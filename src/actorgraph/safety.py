"""Read-only, offline checks for SPARQL text from users, with explicit opt-ins.

By default a query may not update the graph, call ``SERVICE`` (pyoxigraph would send it over the
network), ``LOAD`` data or name graphs with ``FROM``/``FROM NAMED``. A caller that wants one of
these says so with ``allow`` (``"update"``, ``"service"``, ``"load"``, ``"from"``). The check
also reports the variables a query uses and selects, so parameters can be checked before it runs.

>>> check_read_only("SELECT ?s WHERE { ?s ?p ?o }").selected
frozenset({'s'})
>>> check_read_only("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
Traceback (most recent call last):
...
actorgraph.errors.QueryError: SERVICE is refused: federated queries reach the network (allow ...
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .errors import QueryError

__all__ = ["CAPABILITIES", "QueryShape", "check_read_only", "check_variable_name"]

#: What a caller may allow a query to do, and why each is refused by default.
CAPABILITIES = {
    "update": "updates (INSERT, DELETE, CLEAR, DROP …) are refused: queries are read-only",
    "service": "SERVICE is refused: federated queries reach the network",
    "load": "LOAD is refused: it fetches data from the network or the file system",
    "from": "FROM and FROM NAMED are refused: they name graphs from outside the store",
}
_NODES = {"ServiceGraphPattern": "service", "DatasetClause": "from", "Load": "load"}
_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def check_variable_name(name: str) -> None:
    """Refuse a parameter name that is not a plain SPARQL variable name (it is written into
    query text as ``?name`` over the SPARQL protocol).

    >>> check_variable_name("x } ; DROP ALL")
    Traceback (most recent call last):
    ...
    actorgraph.errors.QueryError: parameter 'x } ; DROP ALL' is not a valid SPARQL variable name
    """
    if not _VARIABLE_NAME.fullmatch(name):
        raise QueryError(f"parameter {name!r} is not a valid SPARQL variable name")


@dataclass(frozen=True)
class QueryShape:
    """What a checked query is: its form, the variables it mentions and those a SELECT returns
    (``None``: all of them, or not a SELECT)."""

    form: str
    variables: frozenset[str]
    selected: frozenset[str] | None


def check_read_only(query: str, allow: Iterable[str] = ()) -> QueryShape:
    """Raise :class:`QueryError` unless ``query`` is one query or update ``allow`` permits."""
    allowed = frozenset(allow)
    unknown = allowed - CAPABILITIES.keys()
    if unknown:
        raise QueryError(
            f"cannot allow {', '.join(sorted(unknown))}; choose from {', '.join(CAPABILITIES)}"
        )
    return _check(query, allowed)


@lru_cache(maxsize=256)
def _check(query: str, allowed: frozenset[str]) -> QueryShape:
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    if not query.strip():
        raise QueryError("the query is empty")
    try:
        tree = parseQuery(query)
        form = tree[1].name.removesuffix("Query").upper()
    except ParseException as error:
        try:
            tree = parseUpdate(query)
        except ParseException:
            raise QueryError(
                f"SPARQL syntax error at line {error.lineno}, column {error.col}"
            ) from None
        except Exception as update_error:  # rdflib raises assorted errors on odd input
            raise QueryError(f"SPARQL syntax error: {type(update_error).__name__}") from None
        form = "UPDATE"
    except Exception as error:
        raise QueryError(f"SPARQL syntax error: {type(error).__name__}") from None
    used: set[str] = set()
    variables: set[str] = set()
    _walk(tree, used, variables)
    if form == "UPDATE":
        used.add("update")
    for capability in CAPABILITIES:
        if capability in used and capability not in allowed:
            raise QueryError(f'{CAPABILITIES[capability]} (allow "{capability}" to run it)')
    selected = None
    if form == "SELECT" and "projection" in tree[1]:
        selected = frozenset(
            str(item["var"] if "var" in item else item["evar"]) for item in tree[1]["projection"]
        )
    return QueryShape(form, frozenset(variables), selected)


def _walk(node: Any, used: set[str], variables: set[str]) -> None:
    from rdflib.term import Variable

    if isinstance(node, Variable):
        variables.add(str(node))
        return
    capability = _NODES.get(getattr(node, "name", None) or "")
    if capability:
        used.add(capability)
    if isinstance(node, dict):
        children = node.values()
    elif hasattr(node, "__iter__") and not isinstance(node, str):
        children = node
    else:
        return
    for child in children:
        if not isinstance(child, str) or isinstance(child, Variable):
            _walk(child, used, variables)
