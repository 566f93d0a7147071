"""Parameters bound into SPARQL text as ``VALUES`` blocks, for engines that take no bindings
(the SPARQL protocol) and for planners that only see what the text says.

Each term is written by pyoxigraph's N-Triples serialiser (which escapes quotes, newlines and
angle brackets): user text is never pasted into a query, only RDF terms, serialised.

>>> import pyoxigraph as ox
>>> bind_values("SELECT ?o WHERE { ?s ?p ?o }", {"s": ox.NamedNode("http://e/a")})
'SELECT ?o WHERE { VALUES ?s { <http://e/a> } ?s ?p ?o }'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

from .errors import QueryError
from .safety import check_variable_name
from .store import Term

__all__ = ["bind_values"]


def bind_values(query: str, bindings: Mapping[str, Term]) -> str:
    """``query`` with a VALUES block per binding at the start of its WHERE group."""
    if not bindings:
        return query
    for name in bindings:
        check_variable_name(name)
    # One block per variable: Virtuoso 7 plans a multi-variable VALUES row badly (minutes).
    # Terms are written in N-Triples syntax, escaped by the serialiser.
    block = "".join(f"VALUES ?{name} {{ {term} }} " for name, term in bindings.items())
    brace = _where_brace(query)
    return query[: brace + 1] + " " + block + query[brace + 1 :].lstrip(" ")


_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x85\u2028\u2029]")


@functools.lru_cache(maxsize=256)
def _where_brace(query: str) -> int:
    """Index of the ``{`` that opens the query's WHERE group (strings, IRIs, comments skipped)."""
    depth, i, first_top, after_where = 0, 0, None, False
    n = len(query)
    while i < n:
        c = query[i]
        if c == "#":  # a comment ends at any line break, as in the read-only check
            found = _LINE_BREAK.search(query, i)
            i = found.start() if found else n
            continue
        if c in "\"'":
            quote = query[i : i + 3] if query[i : i + 3] in ('"""', "'''") else c
            end = i + len(quote)
            while end < n and query[end : end + len(quote)] != quote:
                end += 2 if query[end] == "\\" else 1
            i = end + len(quote)
            continue
        if c == "<" and re.match(r"<[^<>\"{}|^`\\\s]*>", query[i:]):
            i = query.index(">", i) + 1
            continue
        if c == "{":
            if depth == 0:
                if after_where:
                    return i
                if first_top is None:
                    first_top = i
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0 and query[i : i + 5].upper() == "WHERE" and not query[i - 1 : i].isalnum():
            after_where = True
            i += 5
            continue
        i += 1
    if first_top is None:
        raise QueryError("the query has no WHERE group to bind parameters in")
    return first_top
