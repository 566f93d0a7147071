"""The triple store behind an :class:`~actorgraph.ActorGraph`.

One interface, :class:`Store`; the embedded default is :class:`OxigraphStore`, an in-memory
pyoxigraph store (chosen by measurement: see ``benchmarks/`` and the README). rdflib is used
only where a library needs its ``Graph`` (pySHACL validation, JSON-LD output).

>>> import pyoxigraph as ox
>>> store = OxigraphStore()
>>> store.add([ox.Triple(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("x"))])
>>> store.select("SELECT ?o WHERE { ?s ?p ?o }", {}).column("o")
['x']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pyoxigraph as ox

from .results import Rows

if TYPE_CHECKING:
    import rdflib

__all__ = ["OxigraphStore", "Store", "Term", "rdflib_term", "read_result", "to_rdflib"]

Term = ox.NamedNode | ox.BlankNode | ox.Literal


class Store(Protocol):
    """What the rest of actorgraph needs from a triple store."""

    def add(self, triples: Iterable[ox.Triple]) -> None: ...
    def load_turtle(self, data: bytes, base_iri: str | None = None) -> None: ...
    def select(
        self, query: str, bindings: Mapping[str, Term], prefixes: Mapping[str, str] | None = None
    ) -> Rows: ...
    def update(self, update: str, prefixes: Mapping[str, str] | None = None) -> None: ...
    def triples(self) -> Iterator[ox.Triple]: ...
    def __len__(self) -> int: ...
    def turtle(self, prefixes: Mapping[str, str]) -> bytes: ...
    def to_rdflib(self) -> rdflib.Graph: ...


class OxigraphStore:
    """A pyoxigraph store holding one default graph: a new one in memory, or ``store`` (an
    on-disk store opened read-only, which is copied into memory on the first change, so a
    change never reaches the disk)."""

    read_only = False

    def __init__(self, store: ox.Store | None = None, *, read_only: bool = False) -> None:
        self._store = ox.Store() if store is None else store
        self.read_only = read_only

    def add(self, triples: Iterable[ox.Triple]) -> None:
        self._writable().extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)

    def load_turtle(self, data: bytes, base_iri: str | None = None) -> None:
        """Parse Turtle into the default graph; raises ``SyntaxError`` with ``lineno``."""
        self._writable().load(data, format=ox.RdfFormat.TURTLE, base_iri=base_iri)

    def select(
        self, query: str, bindings: Mapping[str, Term], prefixes: Mapping[str, str] | None = None
    ) -> Rows:
        """Run a query with variables bound to terms (never spliced into the text).

        ``prefixes`` are predeclared for the query, which may still declare its own.

        SELECT gives its rows; ASK a single ``result`` column; CONSTRUCT and DESCRIBE the
        columns ``subject``, ``predicate``, ``object``.
        """
        result = self.results(query, bindings, prefixes)
        try:
            return read_result(result)
        finally:
            del result  # see read_result

    def results(
        self, query: str, bindings: Mapping[str, Term], prefixes: Mapping[str, str] | None = None
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """The engine's own result of a query with variables bound to terms, not yet read:
        for writers that serialise it directly (see :meth:`select` for the arguments)."""
        return self._store.query(
            query,
            prefixes=dict(prefixes) if prefixes else None,
            substitutions={ox.Variable(name): term for name, term in bindings.items()},
        )

    def update(self, update: str, prefixes: Mapping[str, str] | None = None) -> None:
        self._writable().update(update, prefixes=dict(prefixes) if prefixes else None)

    def _writable(self) -> ox.Store:
        if self.read_only:
            self._store, self.read_only = self.in_memory()._store, False
        return self._store

    def in_memory(self) -> OxigraphStore:
        """This store if it is in memory, else a copy of it in memory (blank nodes keep their
        ids): queries run faster there than on disk."""
        if not self.read_only:
            return self
        copy = ox.Store()
        copy.extend(self._store)
        return OxigraphStore(copy)

    def save(self, path: str | Path) -> None:
        """Write the graph into a new on-disk store at ``path`` (a folder that must not hold
        one already), in pyoxigraph's bulk mode."""
        disk = ox.Store(str(path))
        disk.bulk_extend(self._store)
        disk.flush()
        del disk  # closed: readers may open it now

    def triples(self) -> Iterator[ox.Triple]:
        for quad in self._store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            yield quad.triple

    def __len__(self) -> int:
        return len(self._store)

    def turtle(self, prefixes: Mapping[str, str]) -> bytes:
        """The whole graph as Turtle."""
        turtle = self._store.dump(
            format=ox.RdfFormat.TURTLE, prefixes=dict(prefixes), from_graph=ox.DefaultGraph()
        )
        assert turtle is not None  # returned, not written: no output was given
        return turtle

    def to_rdflib(self) -> rdflib.Graph:
        """A copy of the graph as an rdflib ``Graph`` (for pySHACL and JSON-LD)."""
        return to_rdflib(self.triples())


def read_result(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> Rows:
    """Rows from a pyoxigraph query result, read to the end.

    pyoxigraph's result iterators may only be dropped on the thread that made them. The loops
    are written out (a comprehension's frame would keep the iterator) and the local deleted,
    so an error raised mid-way leaves no iterator in its traceback for another thread's
    garbage collection.
    """
    try:
        if isinstance(result, ox.QueryBoolean):
            return Rows(["result"], [(ox.Literal(bool(result)),)], form="ASK")
        if isinstance(result, ox.QuerySolutions):
            names = [variable.value for variable in result.variables]
            rows: list[tuple[Term | None, ...]] = []
            for solution in result:
                rows.append(tuple(solution))  # in the order of the variables; faster by name
            return Rows(names, rows)
        triples: list[tuple[Term | None, ...]] = []
        for triple in result:
            triples.append((triple.subject, triple.predicate, triple.object))
        return Rows(["subject", "predicate", "object"], triples, form="CONSTRUCT")
    finally:
        del result


def to_rdflib(triples: Iterable[ox.Triple]) -> rdflib.Graph:
    """Copy pyoxigraph triples into a new rdflib ``Graph``, keeping blank node ids."""
    import rdflib

    graph = rdflib.Graph()
    for t in triples:
        graph.add((rdflib_term(t.subject), rdflib_term(t.predicate), rdflib_term(t.object)))
    return graph


def rdflib_term(term: Term | ox.Triple) -> rdflib.term.Identifier:
    """The rdflib term equal to a pyoxigraph term; ``TypeError`` for a triple term, which
    rdflib cannot hold."""
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Triple):
        raise TypeError(f"rdflib has no triple terms: {term}")
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
