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
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from .errors import QueryError
from .safety import check_variable_name, code_tokens
from .store import Term

__all__ = ["bind_values"]


def bind_values(
    query: str,
    bindings: Mapping[str, Term | tuple[Term, ...]],
    *,
    sub_selects: bool = False,
    hints: Collection[str] = (),
) -> str:
    """``query`` with a VALUES block per binding at the start of its WHERE group; a binding
    to a tuple of terms matches any of them.

    With ``sub_selects``, each sub-select that selects a bound variable by name (as do all
    the sub-selects around it) gets the variable's block at the start of its own WHERE group
    too, unless it has a LIMIT or OFFSET: a planner evaluates a sub-select on its own, so a
    binding only outside it does not narrow what it reads. The rows are the same where the
    variable is bound in every solution of the sub-select (not only inside an OPTIONAL).

    ``hints`` names variables the engine binds itself (by substitution), whose blocks only
    tell a planner where to start: each goes only in the groups no sub-select inside which
    selects the variable, as those around take its values from there. A block costs a planner
    time, and outer ones would narrow nothing more.

    >>> import pyoxigraph as ox
    >>> text = "SELECT * { { SELECT ?x WHERE { ?x ?p 1 } } }"
    >>> bind_values(text, {"x": ox.NamedNode("e:a")}, sub_selects=True)
    'SELECT * { VALUES ?x { <e:a> } { SELECT ?x WHERE { VALUES ?x { <e:a> } ?x ?p 1 } } }'
    >>> bind_values(text, {"x": ox.NamedNode("e:a")}, sub_selects=True, hints=["x"])
    'SELECT * { { SELECT ?x WHERE { VALUES ?x { <e:a> } ?x ?p 1 } } }'
    >>> bind_values(text, {"x": (ox.NamedNode("e:a"), ox.NamedNode("e:b"))})
    'SELECT * { VALUES ?x { <e:a> <e:b> } { SELECT ?x WHERE { ?x ?p 1 } } }'
    """
    if not bindings:
        return query
    for name in bindings:
        check_variable_name(name)
    # One block per variable: Virtuoso 7 plans a multi-variable VALUES row badly (minutes).
    # Terms are written in N-Triples syntax, escaped by the serialiser.
    blocks = {
        name: f"VALUES ?{name} {{ {' '.join(map(str, _terms(value)))} }} "
        for name, value in bindings.items()
    }
    groups = _sub_select_wheres(query) if sub_selects else ()
    hinted = frozenset(hints)
    outside = frozenset().union(*(g.outer for g in groups)) & hinted
    places = [(_where_brace(query), [n for n in bindings if n not in outside])]
    places += [
        (group.brace, [name for name in bindings if name in narrowed])
        for group in groups
        if (narrowed := group.selected - (group.inner & hinted)) & bindings.keys()
    ]
    # A variable a BIND or a projection assigns (AS ?v) may not be in scope before it in its
    # group: there its block goes at the group's end, where it joins the same.
    assigned, closing = _assigned(query), _closing_braces(query)
    inserts = []
    for brace, names in places:
        late = assigned.get(brace, frozenset()) if brace in closing else frozenset()
        inserts.append((brace + 1, "".join(blocks[n] for n in names if n not in late)))
        inserts.append((closing.get(brace, 0), "".join(blocks[n] for n in names if n in late)))
    for at, block in sorted(inserts, reverse=True):
        if block:
            query = query[:at] + " " + block + query[at:].lstrip(" ")
    return query


@functools.lru_cache(maxsize=256)
def _assigned(query: str) -> dict[int, frozenset[str]]:
    """The variables an ``AS ?v`` of ``query`` assigns, by the group they are assigned in (the
    ``{`` that opens it): a BIND's enclosing group, a projection's WHERE group."""
    code = set(_code(query))
    text = "".join(c if i in code else " " for i, c in enumerate(query))
    closing = _closing_braces(query)
    found: dict[int, set[str]] = {}
    last = "SELECT"
    for match in re.finditer(r"(?i:\b(BIND|SELECT)\b)|(?i:\bAS)\s*[?$](\w+)", text):
        if match[1]:
            last = match[1].upper()
            continue
        at = match.start()
        if last == "BIND":
            around = [b for b, e in closing.items() if b < at < e]
            owner = max(around, default=None)
        else:
            owner = text.find("{", at)
        if owner is not None and owner >= 0:
            found.setdefault(owner, set()).add(match[2])
    return {brace: frozenset(names) for brace, names in found.items()}


@functools.lru_cache(maxsize=256)
def _closing_braces(query: str) -> dict[int, int]:
    """Each ``{`` of ``query``'s syntax (not in strings, IRIs or comments) → its ``}``."""
    found, open_ = {}, []
    for i in _code(query):
        if query[i] == "{":
            open_.append(i)
        elif query[i] == "}" and open_:
            found[open_.pop()] = i
    return found


def _terms(value: Term | tuple[Term, ...]) -> tuple[Term, ...]:
    return value if isinstance(value, tuple) else (value,)


def _code(query: str) -> Iterator[int]:
    """Indexes of the characters of ``query`` that are SPARQL syntax, read by the read-only
    check's own lexer (:func:`~actorgraph.safety.code_tokens`): those in strings, IRIs and
    comments are skipped."""
    for start, end in code_tokens(query):
        yield from range(start, end)


def _keyword(query: str, i: int, word: str) -> bool:
    """Whether the keyword ``word`` (any case) starts at ``i``."""
    return (
        query[i : i + len(word)].upper() == word
        and not query[i - 1 : i].isalnum()
        and not query[i + len(word) : i + len(word) + 1].isalnum()
    )


@functools.lru_cache(maxsize=256)
def _where_brace(query: str) -> int:
    """Index of the ``{`` that opens the query's WHERE group (strings, IRIs, comments skipped)."""
    depth, first_top, after_where = 0, None, False
    for i in _code(query):
        c = query[i]
        if c == "{":
            if depth == 0:
                if after_where:
                    return i
                if first_top is None:
                    first_top = i
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0 and _keyword(query, i, "WHERE"):
            after_where = True
    if first_top is None:
        raise QueryError("the query has no WHERE group to bind parameters in")
    return first_top


_VARIABLE = re.compile(r"[?$]([A-Za-z0-9_\u00b7\u00c0-\uffff]+)")


@dataclass
class _SubSelect:
    depth: int  # of the group that holds it
    projection: str = ""
    where: int | None = None  # where its WHERE group opens
    selected: frozenset[str] = frozenset()
    inner: frozenset[str] = frozenset()  # what sub-selects inside narrow
    closed: bool = False  # its WHERE group has closed (modifiers may follow)
    sliced: bool = False  # it has a LIMIT or OFFSET


class _Group(NamedTuple):
    """A sub-select's WHERE group, where a binding of the whole query can narrow it."""

    brace: int  # the ``{`` that opens it
    selected: frozenset[str]  # the bound variables that narrow it
    inner: frozenset[str]  # those that narrow a sub-select inside it too
    outer: frozenset[str]  # those it gives the query's WHERE group, if directly inside it


@functools.lru_cache(maxsize=256)
def _sub_select_wheres(query: str) -> tuple[_Group, ...]:
    """Each sub-select's WHERE group, with the variables a binding of the whole query can
    narrow there: those it selects by name (not ``*``, not ``AS``) that every enclosing
    sub-select selects too. A sub-select with a LIMIT or OFFSET is left out, with every
    sub-select inside it (its slice would be taken from fewer rows).

    >>> _sub_select_wheres("SELECT * { { SELECT ?a (1 AS ?b) WHERE { ?a ?p ?b } } }")
    (_Group(brace=39, selected=frozenset({'a'}), inner=frozenset(), outer=frozenset({'a'})),)
    """
    found: list[_Group] = []
    stack: list[_SubSelect] = []
    depth = 0
    for i in _code(query):
        c = query[i]
        top = stack[-1] if stack else None
        if top is not None and top.where is None and c != "{":
            top.projection += c
        elif c == "{":
            if top is not None and top.where is None:
                top.where = i
                top.selected = _selected(top.projection)
                if len(stack) > 1:
                    top.selected &= stack[-2].selected
            depth += 1
        elif c == "}":
            depth -= 1
            if top is not None and depth == top.depth:
                top.closed = True
            elif top is not None and depth < top.depth:
                stack.pop()
                if top.where is None:
                    continue
                if top.sliced:
                    found = [group for group in found if group.brace < top.where]
                    continue
                outer = top.selected if not stack else frozenset()
                found.append(_Group(top.where, top.selected, top.inner, outer))
                if stack:
                    stack[-1].inner |= top.selected
        elif depth > 0 and _keyword(query, i, "SELECT"):
            stack.append(_SubSelect(depth))
        elif (
            top is not None
            and top.closed
            and any(_keyword(query, i, word) for word in ("LIMIT", "OFFSET"))
        ):
            top.sliced = True
    return tuple(sorted(found))


def _selected(projection: str) -> frozenset[str]:
    """The variables a SELECT clause selects by name (those inside ``( … AS ?v)`` not)."""
    names, depth = set(), 0
    for i, c in enumerate(projection):
        depth += c == "("
        depth -= c == ")"
        if depth == 0 and c in "?$" and (match := _VARIABLE.match(projection, i)):
            names.add(match.group(1))
    return frozenset(names)
