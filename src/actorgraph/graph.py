"""The :class:`ActorGraph` façade: load a graph, look up actors, list statements, run queries.

>>> kg = ActorGraph.load()
>>> kg.actor("isis-k").label
'Islamic State Khorasan Province'
>>> hedged = kg.statements(subject="IS-K", relation="recruitsFrom", stance="Hedged")
>>> sorted(s.object for s in hedged)[:2]
['anti-taliban-islamists', 'hardline-taliban-commanders']
"""

from __future__ import annotations

import difflib
import functools
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import date
from functools import cached_property
from itertools import combinations, product
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeAlias, TypeVar, overload

import pyoxigraph as ox

from .binding import bind_values
from .build import GraphFormat
from .bundled import graph_dir, queries_dir
from .errors import ActorGraphError, QueryError, UnknownActorError
from .model import (
    Actor,
    Basis,
    Evidence,
    Polarity,
    RelationType,
    Stance,
    Statement,
    local_name,
)
from .namespaces import PREFIXES, shorten
from .queries import NamedQuery, load_catalogue, make_literal
from .results import Cell, Rows, merge_runs
from .safety import QueryShape, check_read_only, check_variable_name, engine_errors
from .store import OxigraphStore, Store, Term
from .truthy import materialise
from .turtle import TurtleFile

if TYPE_CHECKING:
    import networkx as nx

    from .analysis import Analysis, Hop
    from .build import BuildResult
    from .export import ExportFormat
    from .index import Index
    from .sources import SourceText
    from .validate import Report
    from .view import View

__all__ = ["ActorGraph"]

_SHAPES = "shapes.ttl"
_PARTIES = """
SELECT ?party ?label (GROUP_CONCAT(DISTINCT ?alias; separator="\\u001f") AS ?aliases)
       (SAMPLE(?class) AS ?kind)
WHERE {
  ?party a ?class . FILTER EXISTS { ?class rdfs:subClassOf+ ag:Party }
  FILTER NOT EXISTS { ?party a ?narrower . ?narrower rdfs:subClassOf+ ?class }
  ?party skos:prefLabel ?label .
  OPTIONAL { ?party skos:altLabel ?alias }
}
GROUP BY ?party ?label ORDER BY ?party
"""
_ORGANS = "SELECT ?organ ?body WHERE { ?organ ag:belongsTo ?body }"
_RELATION_TYPES = """
SELECT ?relation (SAMPLE(?name) AS ?label) (SAMPLE(?text) AS ?definition) (SAMPLE(?s) AS ?sign)
       (SAMPLE(?c) AS ?colour) (SAMPLE(?twin) AS ?inverse) (SAMPLE(?sym) AS ?symmetric)
WHERE {
  ?relation a ag:Relation .
  OPTIONAL { ?relation rdfs:label ?name }
  OPTIONAL { ?relation skos:definition ?text }
  OPTIONAL { ?relation ag:sign ?s }
  OPTIONAL { ?relation ag:colour ?c }
  OPTIONAL { ?relation owl:inverseOf ?twin }
  BIND(EXISTS { ?relation a owl:SymmetricProperty } AS ?sym)
}
GROUP BY ?relation ORDER BY ?relation
"""
_SEARCH_NAMES = "SELECT ?party ?name WHERE { ?party skos:hiddenLabel ?name }"
_VOCABULARY = """
SELECT ?term ?label ?kind WHERE {
  { ?term a ag:Relation BIND("relation" AS ?kind) }
  UNION { ?term rdfs:subClassOf* ag:Actor BIND("class" AS ?kind) }
  OPTIONAL { ?term rdfs:label ?label }
}
"""
_VOCABULARY_KINDS = {"relation": "relation type", "class": "actor class"}
# What truthy.materialise derives, to recompute after an update.
_DERIVABLE = """CONSTRUCT { ?s ?p ?o . ?claim a ag:StatedClaim }
WHERE { { ?p a ag:Relation . ?s ?p ?o } UNION { ?claim a ag:StatedClaim } }"""
_UNDERIVE = """DELETE { ?s ?p ?o } WHERE { ?p a ag:Relation . ?s ?p ?o } ;
DELETE WHERE { ?claim a ag:StatedClaim }"""

ParamValue = str | int | float | bool | date | Actor | Stance | Term | None
#: A named query's parameter: one value, or several (a list, tuple or set: any of them).
QueryValue = ParamValue | list[ParamValue] | tuple[ParamValue, ...] | set[ParamValue]
#: A year, month or day: ``2019``, ``"2019"``, ``"2019-05"``, ``"2019-05-01"`` or a ``date``.
DateLike = str | int | date
_T = TypeVar("_T")
_V = TypeVar("_V")
_P = ParamSpec("_P")
_R = TypeVar("_R")
#: A filter's value: one, several (any of them matches), or None (all).
OneOrSeveral: TypeAlias = _T | Iterable[_T] | None
_PLURALS = {"relations": "relation", "stances": "stance", "sources": "source"}
#: Parameter types whose value is an IRI of the graph's own (looked up, never the user's text).
_RESOLVED_TYPES = frozenset({"actor", "relation", "class", "stance"})


@overload
def _several(value: str | Iterable[str] | None) -> list[str]: ...


@overload
def _several(value: str | Stance | Iterable[str | Stance] | None) -> list[str | Stance]: ...


def _several(value: str | Stance | Iterable[str | Stance] | None) -> list[Any]:
    """A filter's values as a list: one value (a text too) is a list of one; None is empty."""
    if value is None:
        return []
    if isinstance(value, str | Stance):
        return [value]
    return list(value)


def _former_plurals(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """Accept the former plural keywords (``stances=``) for the singular ones the command
    line also uses (``stance=``, ``--stance``), with a DeprecationWarning."""

    @functools.wraps(method)
    def accepting(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        for old, new in _PLURALS.items():
            if old in kwargs:
                if new in kwargs:
                    raise TypeError(f"give {new}= only ({old}= is its former name)")
                warnings.warn(
                    f"{old}= is now {new}= (one value or several)", DeprecationWarning, stacklevel=2
                )
                kwargs[new] = kwargs.pop(old)
        return method(*args, **kwargs)

    return accepting


def _key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _unknown(
    what: str, name: str, iris: Iterable[str], wanted: str | None = None, cutoff: float = 0.6
) -> QueryError:
    """The error for a ``name`` no term is known by: the ids of ``iris`` close to ``wanted``
    (the name itself unless given), else all of them."""
    known = sorted({local_name(iri) for iri in iris})
    close = difflib.get_close_matches(wanted or name, known, n=3, cutoff=cutoff)
    hint = f"did you mean {', '.join(close)}?" if close else f"known: {', '.join(known)}"
    return QueryError(f"unknown {what} {name!r}; {hint}")


@overload
def _date_text(name: str, value: DateLike) -> str: ...


@overload
def _date_text(name: str, value: None) -> None: ...


def _date_text(name: str, value: DateLike | None) -> str | None:
    """A year, month or day given as text, a whole number or a date (a datetime: its day), as
    the text ``2019``, ``2019-05`` or ``2019-05-01``; anything else raises :class:`QueryError`
    naming the parameter.

    >>> _date_text("as_of", 2019), _date_text("as_of", date(2021, 8, 26))
    ('2019', '2021-08-26')
    """
    if value is None:
        return None
    text = value.isoformat()[:10] if isinstance(value, date) else str(value)
    make_literal("date", name, text)  # checks the form; QueryError for anything else
    return text


#: What a text parameter that names an actor binds (a warning's words, CLI and API alike).
_TEXT_NOT_ACTOR = "binds the text {value!r}, not the actor it names"


class ActorGraph:
    """An actor-relationship graph with attributed, quoted statements.

    Load the bundled IS-K graph with ``ActorGraph.load()``, or your own Turtle files or folders
    with ``ActorGraph.load("my-graph/")``.

    ``len(kg)`` is the number of statements (as ``len(kg.statements())``); ``repr(kg)`` says
    how many statements, actors and sources the graph holds. A graph is always true, even
    when it holds no statements.

    >>> kg = ActorGraph.load()
    >>> kg, len(kg)
    (<ActorGraph: 167 statements, 68 actors, 1 source>, 167)
    """

    def __init__(
        self,
        store: Store,
        files: Iterable[TurtleFile],
        *,
        shapes: Path,
        queries: Path,
        sources: Path | None = None,
    ) -> None:
        self.store = store
        self.files = tuple(files)
        self.shapes_path = shapes
        self.queries_path = queries
        self.sources_path = sources
        self._sources: dict[str, SourceText] | None = None
        #: The index the graph was opened from (see :meth:`load`); None when read from Turtle.
        self.index: Index | None = None

    def __len__(self) -> int:
        """The number of statements: one row of the ``statements`` query each."""
        return len(self.query("statements"))

    def __bool__(self) -> bool:
        return True  # a graph, not a container: ``if kg`` neither queries nor fails when empty

    def __repr__(self) -> str:
        try:
            counts = (len(self), len(self.actors()), len(self.query("sources")))
        except ActorGraphError as error:  # a remote store that cannot be reached
            return f"<ActorGraph: cannot count what it holds: {error}>"
        names = ("statement", "actor", "source")
        held = ", ".join(
            f"{n} {name}{'' if n == 1 else 's'}" for n, name in zip(counts, names, strict=True)
        )
        return f"<ActorGraph: {held}>"

    def _repr_html_(self) -> str:
        """The graph for Jupyter: what it holds, its statements by stance and the files it was
        read from (every value escaped)."""
        import html

        summary = html.escape(repr(self).strip("<>"))
        try:
            stances: dict[str, int] = {}
            for s in self.statements():
                stances[s.stance.value] = stances.get(s.stance.value, 0) + 1
        except ActorGraphError:
            return f"<p>{summary}</p>"
        cells = "".join(
            f"<tr><td>{html.escape(k)}</td><td>{n}</td></tr>" for k, n in sorted(stances.items())
        )
        files = ", ".join(html.escape(f.path.name) for f in self.files[:20])
        more = f" and {len(self.files) - 20} more" if len(self.files) > 20 else ""
        return (
            f"<p><strong>{summary}</strong></p>"
            f"<table><thead><tr><th>stance</th><th>statements</th></tr></thead>"
            f"<tbody>{cells}</tbody></table>" + (f"<p>files: {files}{more}</p>" if files else "")
        )

    # ------------------------------------------------------------------ loading

    @classmethod
    def load(
        cls,
        *paths: str | Path,
        queries: str | Path | None = None,
        index: bool | Index | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> ActorGraph:
        """Load Turtle files and folders (all ``*.ttl`` below them); none given: the bundled graph.

        The bundled ontology is added when the files do not define it, and a folder's
        ``shapes.ttl`` (else the bundled one) is kept for validation rather than loaded as data.

        ``index``: an index (:mod:`actorgraph.index`) holds the files loaded, checked and
        derived once, on disk, and is reopened in a fraction of a second while every file has
        the content it was built from. ``None`` (the default) uses the index of these paths if
        one was built and the files total at least ``index.AUTO_INDEX_BYTES`` (8 MB; a smaller
        graph loads faster from its files and queries faster in memory), rebuilding it first
        when a file changed; ``True`` also builds it when
        there is none; ``False`` reads the Turtle files; an :class:`~actorgraph.index.Index`
        (another graph's :attr:`index`) opens exactly that index, as a server's workers do.
        :attr:`index` says which index was used. ``progress`` is called with each step's name
        as it starts (``loading.STEPS``).

        >>> [turtle.path.name for turtle in ActorGraph.load().files]
        ['actors.ttl', 'usip-2021-isk-resurgence.ttl', 'ontology.ttl', 'sources.ttl']
        """
        from .loading import find_inputs, load_files

        inputs = find_inputs(paths)
        where = Path(queries) if queries else queries_dir()
        if index is None:
            from .index import worth_an_index

            index = None if worth_an_index(inputs) else False
        if index is not False:
            from .index import Index, open_index, reopen

            opened: tuple[Store, list[TurtleFile], Index] | None
            if isinstance(index, Index):
                opened = (*reopen(index), index)
            else:
                opened = open_index(inputs, build=index is True, progress=progress)
            if opened is not None:
                store, files, used = opened
                kg = cls(store, files, shapes=inputs.shapes, queries=where)
                kg.index = used
                return kg
        store, parsed = load_files(inputs.data_files, progress)
        return cls(store, parsed, shapes=inputs.shapes, queries=where)

    @classmethod
    def connect(
        cls,
        url: str,
        *,
        update_url: str | None = None,
        auth: tuple[str, str] | None = None,
        default_graph: str | None = None,
        sources: str | Path | None = None,
        timeout: float | None = None,
        max_response: int | None = None,
    ) -> ActorGraph:
        """The graph held by a SPARQL 1.1 endpoint, with the same API as a loaded one.

        ``update_url`` is needed to change it (``push``); ``auth`` is (user, password);
        ``default_graph`` names the graph to query where the server's default graph holds
        more (Virtuoso); ``sources`` is the folder of the stored source texts that
        validation compares quotes with (default: the bundled graph's). Only http(s) URLs;
        each request must be answered in whole within ``timeout`` seconds (default 60) with
        at most ``max_response`` bytes (default 100 MB); a redirect that would drop the query
        or, with ``auth``, lead to another host is refused.
        """
        from .remote import RemoteStore

        store = RemoteStore(
            url,
            update_url=update_url,
            auth=auth,
            default_graph=default_graph,
            timeout=timeout,
            max_response=max_response,
        )
        bundled = graph_dir()
        folder = Path(sources) if sources else bundled
        return cls(store, [], shapes=bundled / _SHAPES, queries=queries_dir(), sources=folder)

    def push(
        self,
        update_url: str,
        *,
        auth: tuple[str, str] | None = None,
        default_graph: str | None = None,
        replace: bool = False,
        timeout: float | None = None,
        max_response: int | None = None,
    ) -> int:
        """Add every triple of this graph (direct edges included) to a remote store through
        SPARQL Update (into ``default_graph`` if given). Returns the number of triples sent.

        Blank nodes (evidence) get IRIs derived from their content and holder, so pushing the
        same graph again adds nothing. ``replace`` clears the target first: ``CLEAR GRAPH``
        of ``default_graph``, or without one ``CLEAR DEFAULT`` (the server's whole default
        graph). ``timeout`` and ``max_response`` bound each request as in :meth:`connect`.
        """
        from .remote import RemoteStore

        target = RemoteStore(
            update_url,
            update_url=update_url,
            auth=auth,
            default_graph=default_graph,
            timeout=timeout,
            max_response=max_response,
        )
        return target.insert(self.store.triples(), replace=replace)

    def locate(self, iri: str) -> tuple[Path, int | None] | None:
        """The file and line where the block describing ``iri`` starts.

        The line is None when the block is not written in the usual layout (subject at the
        start of a line); None overall when no file describes ``iri`` (or it is a blank
        node's ``_:`` label, which the files do not share).
        """
        if iri.startswith("_:"):
            return None
        for turtle in self.files:
            line = turtle.line_of(iri)
            if line is not None:
                return turtle.path, line
        subject = ox.NamedNode(iri)
        for turtle in self.files:
            if any(t.subject == subject for t in turtle.triples):
                return turtle.path, None
        return None

    def file_declaring(self, subject: str, predicate: str) -> Path | None:
        """The file that states a ``subject predicate …`` triple (the first, in load order)."""
        s, p = ox.NamedNode(subject), ox.NamedNode(predicate)
        for turtle in self.files:
            if any(t.subject == s and t.predicate == p for t in turtle.triples):
                return turtle.path
        return None

    # ------------------------------------------------------------------ actors

    @cached_property
    def _parties(self) -> dict[str, Actor]:
        rows = self.store.select(_PARTIES, {}, PREFIXES)
        parties = {}
        for row in rows.dicts():
            iri = str(row["party"])
            aliases = tuple(sorted(filter(None, str(row["aliases"] or "").split("\x1f"))))
            kind = local_name(str(row["kind"]))
            parties[iri] = Actor(local_name(iri), str(row["label"]), aliases, kind, iri)
        return parties

    @cached_property
    def _names(self) -> dict[str, set[str]]:
        names: dict[str, set[str]] = {}
        for iri, actor in self._parties.items():
            for name in (iri, shorten(iri), actor.id, actor.label, *actor.aliases):
                names.setdefault(_key(name), set()).add(iri)
        for iri, hidden in self._hidden_names.items():
            for name in hidden:
                names.setdefault(_key(name), set()).add(iri)
        return names

    @cached_property
    def _hidden_names(self) -> dict[str, list[str]]:
        hidden: dict[str, list[str]] = {}
        for row in self.store.select(_SEARCH_NAMES, {}, PREFIXES).dicts():
            if str(row["party"]) in self._parties:
                hidden.setdefault(str(row["party"]), []).append(str(row["name"]))
        return {iri: sorted(names) for iri, names in hidden.items()}

    def search_names(self, actor: str | Actor) -> tuple[str, ...]:
        """Names readers type that find the actor but that the sources do not use
        (``skos:hiddenLabel``): ISKP, Daesh, TTP …; never shown as aliases.

        >>> "ISKP" in ActorGraph.load().search_names("IS-K")
        True
        """
        return tuple(self._hidden_names.get(self.actor(actor).iri, ()))

    @cached_property
    def _organs(self) -> dict[str, list[str]]:
        organs: dict[str, list[str]] = {}
        for row in self.store.select(_ORGANS, {}, PREFIXES).dicts():
            organs.setdefault(str(row["body"]), []).append(str(row["organ"]))
        return organs

    def parts(self, actor: str | Actor) -> list[Actor]:
        """The actor and, after it, every organ that belongs to it (``ag:belongsTo``, followed
        transitively): a state's government, the government's military and agencies, an
        organisation's offices. Named queries and :meth:`statements` include them by default.

        >>> [a.id for a in ActorGraph.load().parts("United States")]
        ['united-states', 'us-government', 'us-military']
        """
        root = self.actor(actor)
        found, queue = [root.iri], [root.iri]
        while queue:
            for organ in sorted(self._organs.get(queue.pop(0), [])):
                if organ not in found:
                    found.append(organ)
                    queue.append(organ)
        return [self._parties[iri] for iri in found if iri in self._parties]

    def actors(self, *, kind: str | None = None) -> list[Actor]:
        """Every actor, or those of one class (``"ArmedGroup"``, ``"armed group"``), by label.

        Unnamed parties such as "press reporting" are not actors.

        >>> [a.id for a in ActorGraph.load().actors(kind="IntergovernmentalOrganisation")]
        ['nato', 'united-nations']
        """
        wanted = local_name(self._vocabulary_term("class", kind)) if kind else None
        actors = [
            a
            for a in self._parties.values()
            if a.kind != "UnnamedParty" and (wanted is None or a.kind == wanted)
        ]
        return sorted(actors, key=lambda a: (a.label.casefold(), a.id))

    def actor(self, name: str | Actor) -> Actor:
        """Look up an actor or party by id, IRI, label or alias, ignoring case.

        >>> ActorGraph.load().actor("ttp").label
        'Tehreek-e-Taliban Pakistan'
        """
        if isinstance(name, Actor):
            return name
        matches = self._names.get(_key(str(name)), set())
        if len(matches) == 1:
            return self._parties[next(iter(matches))]
        if matches:
            options = ", ".join(sorted(self._parties[m].id for m in matches))
            raise QueryError(f"actor name {name!r} is ambiguous: it names {options}")
        close = difflib.get_close_matches(_key(str(name)), list(self._names), n=3, cutoff=0.6)
        suggestions = []
        for key in close:
            for iri in sorted(self._names[key]):
                label = self._parties[iri].label
                if label not in suggestions:
                    suggestions.append(label)
        raise UnknownActorError(str(name), suggestions)

    def label(self, iri: str) -> str:
        """The label of an actor or party, or the IRI's local name if the graph has none.

        >>> ActorGraph.load().label("https://w3id.org/actorgraph/actor/press-reporting")
        'press reporting'
        """
        party = self._parties.get(iri)
        return party.label if party else local_name(iri)

    # ------------------------------------------------------------------ relations

    @cached_property
    def _vocabulary(self) -> dict[str, dict[str, str]]:
        names: dict[str, dict[str, str]] = {kind: {} for kind in _VOCABULARY_KINDS}
        for row in self.store.select(_VOCABULARY, {}, PREFIXES).dicts():
            iri = str(row["term"])
            for name in (iri, local_name(iri), row["label"]):
                if name:
                    names[str(row["kind"])][_key(str(name))] = iri
        return names

    @cached_property
    def _relation_types(self) -> dict[str, RelationType]:
        types = {}
        for row in self.store.select(_RELATION_TYPES, {}, PREFIXES).dicts():
            iri = str(row["relation"])
            sign = row["sign"] if isinstance(row["sign"], int) else 0
            types[iri] = RelationType(
                iri=iri,
                label=str(row["label"] or local_name(iri)),
                definition=str(row["definition"] or ""),
                sign=max(-1, min(1, sign)),
                colour=str(row["colour"]) if row["colour"] else None,
                symmetric=bool(row["symmetric"]),
                inverse=str(row["inverse"]) if row["inverse"] else None,
            )
        return types

    def relation_types(self) -> dict[str, RelationType]:
        """The ontology's relation types by IRI (read once).

        >>> ActorGraph.load().relation_types()["https://w3id.org/actorgraph/ontology#hostileTo"].sign
        -1
        """
        return dict(self._relation_types)

    def relation(self, name: str) -> str:
        """The IRI of a relation type given its name (``hostileTo``), label or IRI."""
        return self._vocabulary_term("relation", name)

    def source(self, name: str) -> str:
        """The IRI of a source given its id (``usip-2021-isk-resurgence``), ``src:`` name, IRI
        or title (any case); an unknown one is an error naming the close ones.

        >>> ActorGraph.load().source("src:usip-2021-isk-resurgence").rsplit("/", 1)[1]
        'usip-2021-isk-resurgence'
        """
        from .namespaces import SRC

        rows = self.sparql(
            "SELECT ?s ?title WHERE { ?s a ag:Source OPTIONAL { ?s dcterms:title ?title } }"
        )
        names: dict[str, str] = {}
        for row in rows.dicts():
            iri = str(row["s"])
            for known in (iri, local_name(iri), f"src:{local_name(iri)}", row["title"]):
                if known is not None:
                    names.setdefault(_key(str(known)), iri)
        if _key(name) in names:
            return names[_key(name)]
        if name.startswith(str(SRC)) or not rows.terms:
            raise QueryError(f"unknown source {name!r}; the graph has no such source")
        raise _unknown("source", name, names.values(), name.removeprefix("src:"), cutoff=0.4)

    def _vocabulary_term(self, kind: str, name: str) -> str:
        table = self._vocabulary[kind]
        iri = table.get(_key(name))
        if iri is None:
            raise _unknown(_VOCABULARY_KINDS[kind], name, table.values())
        return iri

    # ------------------------------------------------------------------ statements

    def source_texts(self) -> dict[str, SourceText]:
        """Each source's stored text (``text`` is None and ``problem`` says why when it cannot
        be read or does not match its SHA-256), read once."""
        if self._sources is None:
            from .sources import read_sources

            self._sources = read_sources(self)
        return self._sources

    def with_context(self, rows: Rows) -> Rows:
        """``rows`` of statements (columns ``source``, ``quote``, ``start``, ``end``) with a
        ``context`` column: the whole sentence around each quote.

        >>> kg = ActorGraph.load()
        >>> rows = kg.with_context(kg.query("statements", subject="Mullah Omar"))
        >>> rows.column("context")[0][:38]
        'To this end, IS-K recruited from the i'
        """
        contexts = [self.context(_evidence(r)) for r in rows.dicts()]
        terms = [
            (*row, ox.Literal(c) if c else None)
            for row, c in zip(rows.terms, contexts, strict=True)
        ]
        shown = [*rows.shown, "context"] if rows.shown else []
        return replace(rows, variables=[*rows.variables, "context"], terms=terms, shown=shown)

    def context(self, evidence: Evidence) -> str | None:
        """The whole sentence around a quote, or None when its source text is not at hand."""
        from .sources import sentence_around

        read = self.source_texts().get(evidence.source)
        if read is None or read.text is None:
            return None
        if read.text[evidence.start : evidence.end] != evidence.quote:
            return None
        return sentence_around(read.text, evidence.start, evidence.end)

    def statements(
        self,
        *,
        subject: str | Actor | None = None,
        relation: OneOrSeveral[str] = None,
        object: str | Actor | None = None,
        stance: OneOrSeveral[str | Stance] = None,
        asserted_by: str | Actor | None = None,
        parts: bool = True,
    ) -> list[Statement]:
        """Statements matching every filter given, each with its evidence and the sentence
        around its quote (``evidence.context``). ``relation`` and ``stance`` take one value
        or several (any of them; none: all). Actor filters include the actor's organs unless
        ``parts=False`` (see :meth:`parts`).

        >>> [s.stance.value for s in ActorGraph.load().statements(
        ...     subject="IS-K", relation="cooperatesWith", object="Haqqani Network")]
        ['Disputed']
        """
        rows = self.query(
            "statements",
            subject=subject,
            relation=_one_or_several(relation),
            object=object,
            stance=_one_or_several(stance),
            assertedBy=asserted_by,
            parts=parts,
        )
        found = [_statement(row) for row in rows.dicts()]
        return [
            replace(s, evidence=replace(s.evidence, context=self.context(s.evidence)))
            for s in found
        ]

    # ------------------------------------------------------------------ queries

    @cached_property
    def _catalogue(self) -> dict[str, NamedQuery]:
        return load_catalogue(self.queries_path)

    def queries(self) -> list[NamedQuery]:
        """The named queries, sorted by name."""
        return list(self._catalogue.values())

    def named_query(self, name: str) -> NamedQuery:
        """One named query by name; an unknown name raises :class:`QueryError`."""
        try:
            return self._catalogue[name]
        except KeyError:
            close = difflib.get_close_matches(name, list(self._catalogue), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise QueryError(
                f"unknown query {name!r}{hint} (known: {', '.join(self._catalogue)})"
            ) from None

    def query(
        self,
        name: str,
        params: Mapping[str, QueryValue] | None = None,
        /,
        *,
        parts: bool = True,
        **keywords: QueryValue,
    ) -> Rows:
        """Run a named query; each parameter is converted to its declared type and bound.

        Parameters come as keywords or in the mapping ``params`` (for a parameter whose name is
        not a Python identifier or is ``parts``).

        A parameter given several values (a list, tuple or set) matches any of them, the rows
        of each in turn; an empty one matches everything, as if not given. An actor parameter
        includes the actor's organs (see :meth:`parts`): the rows for the actor come first,
        then those for each organ. ``parts=False`` matches the actor alone.

        >>> kg = ActorGraph.load()
        >>> kg.query("statements", subject="IS-K", relation="affiliateOf").column("object")
        ['https://w3id.org/actorgraph/actor/isis']
        >>> rows = kg.query("statements", subject="United States", relation="hostileTo")
        >>> sorted({kg.label(str(s)) for s in rows.column("subject")})
        ['U.S. government', 'United States']
        """
        given = _parameters(params, keywords)
        several = {k: list(v) for k, v in given.items() if isinstance(v, list | tuple | set)}
        if several:
            single = {k: v for k, v in given.items() if k not in several}
            several = {k: v for k, v in several.items() if v}  # empty: everything
            combos = product(*several.values())
            return merge_runs(
                [
                    self.query(name, single | dict(zip(several, c, strict=True)), parts=parts)
                    for c in combos
                ]
            )
        values: dict[str, ParamValue | None] = {
            k: v for k, v in given.items() if not isinstance(v, list | tuple | set)
        }
        runs = self.query_runs(name, values, parts=parts)
        if len(runs) == 1:
            rows = self._run(*runs[0])
        else:
            rows = merge_runs([self._run(text, bindings) for text, bindings in runs])
        query = self.named_query(name)
        return replace(rows, lists=query.lists, shown=query.shown)

    def query_runs(
        self,
        name: str,
        params: Mapping[str, ParamValue | None] | None = None,
        /,
        *,
        parts: bool = True,
        **keywords: ParamValue | None,
    ) -> list[tuple[str, dict[str, Term]]]:
        """What :meth:`query` runs for single-valued parameters: the query text and bindings of
        each run, whose rows :meth:`query` gives in order, each row once (one run, or one per
        organ of an actor parameter). A query whose header says ``# parts: together`` matches
        an actor parameter's organs in one run, the parameter bound by a ``VALUES`` block in
        the text. On the embedded store the text has the bindings written in as ``VALUES``
        too (see :meth:`_anchored`). For callers that write results themselves.

        >>> runs = ActorGraph.load().query_runs("enemies", actor="IS-K")
        >>> [bindings["actor"].value for text, bindings in runs]
        ['https://w3id.org/actorgraph/actor/isk']
        """
        query = self.named_query(name)
        given = {k: v for k, v in _parameters(params, keywords).items() if v is not None}
        query.check_arguments(given)
        bindings = {k: self.term(query.parameter(k).type, k, v) for k, v in given.items()}
        _check_bindings(query.text, bindings, where=f"{query.path}: ")
        choices = [
            [(k, option) for option in self._parts_of(term)]
            if parts and query.parameter(k).type == "actor"
            else [(k, term)]
            for k, term in bindings.items()
        ]
        runs = [dict(c) for c in product(*choices) if _apart(c, bindings, choices)]
        resolved = {
            k
            for k, term in bindings.items()
            if query.parameter(k).type in _RESOLVED_TYPES and isinstance(term, ox.NamedNode)
        }
        varying = {k for k in bindings if len({run[k] for run in runs}) > 1}
        if query.parts_together and len(varying) == 1:
            (several,) = varying
            values = tuple(dict.fromkeys(run[several] for run in runs))
            run = {k: term for k, term in bindings.items() if k != several}
            anchors = {k: term for k, term in run.items() if k in resolved}
            return [(self._anchored(query.text, anchors, {several: values}), run)]
        return [
            (self._anchored(query.text, {k: t for k, t in run.items() if k in resolved}), run)
            for run in (runs if len(runs) > 1 else [bindings])
        ]

    def _anchored(
        self,
        text: str,
        anchors: Mapping[str, Term],
        bound: Mapping[str, tuple[Term, ...]] | None = None,
    ) -> str:
        """A named query with the variables ``bound`` to several values written in as
        ``VALUES`` (any store), and on the embedded store its ``anchors`` too: pyoxigraph
        plans a query without seeing its substitutions, so an actor bound only by substitution
        is not where the plan starts, and the query reads the whole graph. An anchor goes into
        the innermost sub-selects that select the parameter, as pyoxigraph evaluates a
        sub-select on its own (see :func:`~actorgraph.binding.bind_values`; a named query that
        uses one binds the parameter in every solution of it, so the rows are the same, which
        the catalogue's tests check against the servers, bound outside only). Anchors are only
        IRIs the graph itself resolved a parameter to (an actor, relation, class or stance;
        :data:`_RESOLVED_TYPES`), never text a user typed, which stays a substitution; the
        substitution still binds every parameter but those ``bound``."""
        bound = dict(bound or {})
        if not isinstance(self.store, OxigraphStore):
            return bind_values(text, bound) if bound else text
        if not anchors and not bound:
            return text
        return bind_values(text, {**anchors, **bound}, sub_selects=True, hints=anchors.keys())

    def _parts_of(self, term: Term) -> list[Term]:
        party = self._parties.get(term.value) if isinstance(term, ox.NamedNode) else None
        return [ox.NamedNode(part.iri) for part in self.parts(party)] if party else [term]

    def sparql(
        self,
        text: str,
        params: Mapping[str, ParamValue] | None = None,
        /,
        *,
        allow: Iterable[str] = (),
        **keywords: ParamValue,
    ) -> Rows:
        """Run SPARQL with parameters bound to the variables of the same names: keywords, or
        the mapping ``params`` (for a variable named ``allow``).

        Strings bind as plain literals and dates as ``xsd:date``; pass an :class:`Actor`
        (``kg.actor("IS-K")``), a :class:`Stance` or an RDF term to bind an IRI. A bound variable
        of a SELECT query must be selected (bindings are substitutions, as in SPARQL SEP-0007).

        Queries are read-only and offline: updates, SERVICE, LOAD and FROM are refused unless
        ``allow`` names them (``"update"``, ``"service"``, ``"load"``, ``"from"``). An allowed
        update changes this in-memory graph only and returns no rows; afterwards the cached
        lookups (actors, names, vocabulary, source texts …) are read again and the derived
        triples (direct edges, ``ag:StatedClaim`` marks) recomputed from the statements, keeping
        the relation triples that the files or an update write themselves.

        >>> kg = ActorGraph.load()
        >>> rows = kg.sparql("SELECT * WHERE { ?a skos:prefLabel ?label }", a=kg.actor("TTP"))
        >>> rows.column("label")
        ['Tehreek-e-Taliban Pakistan']
        """
        given = _parameters(params, keywords)
        bindings = {name: self._python_term(name, value) for name, value in given.items()}
        shape = _check_bindings(text, bindings, allow=allow)
        if shape.form == "UPDATE":
            if bindings:
                raise QueryError("updates take no parameters")
            embedded = isinstance(self.store, OxigraphStore)
            before = self._derivable() if embedded else None
            try:
                with engine_errors("update", text):
                    self.store.update(text, PREFIXES)
            finally:
                self._forget()
            if before is not None:
                self._rederive(before)
            return Rows([], [], form="UPDATE")
        return self._hint_empty(text, given, self._run(text, bindings, PREFIXES))

    #: Relation triples and ``ag:StatedClaim`` marks that updates wrote themselves (not derived).
    _written: frozenset[ox.Triple] = frozenset()

    def _derivable(self) -> set[ox.Triple]:
        """The triples of the kinds :func:`materialise` derives: relation triples and marks."""
        rows = self.store.select(_DERIVABLE, {}, PREFIXES)
        return {ox.Triple(*row) for row in rows.terms}  # type: ignore[arg-type]

    def _forget(self) -> None:
        """Drop every cached lookup (the ``cached_property`` values and the source texts)."""
        for cls in type(self).__mro__:
            for name, value in vars(cls).items():
                if isinstance(value, cached_property):
                    self.__dict__.pop(name, None)
        self._sources = None

    def _rederive(self, before: set[ox.Triple]) -> None:
        """After an update: remove the derived triples and derive them again from the
        statements as they are now. Kept as written: the relation triples and marks the files
        state, those this update added (``before``: the derivable ones before it) and those
        earlier updates added, unless deleted since."""
        after = self._derivable()
        files = {t for turtle in self.files for t in turtle.triples}
        written = (after - before) | (after & self._written)
        self.store.update(_UNDERIVE, PREFIXES)
        self.store.add(written | (after & files))
        materialise(self.store)
        self._written = frozenset(written)

    def _run(
        self, text: str, bindings: Mapping[str, Term], prefixes: Mapping[str, str] | None = None
    ) -> Rows:
        with engine_errors(text=text):
            return self.store.select(text, bindings, prefixes)

    def term(self, kind: str, name: str, value: ParamValue) -> Term:
        """Convert ``value`` to the RDF term a parameter of type ``kind`` binds (see queries)."""
        if isinstance(value, ox.NamedNode | ox.Literal):
            return value
        if kind == "actor":
            return ox.NamedNode(self.actor(value if isinstance(value, Actor) else str(value)).iri)
        if kind in _VOCABULARY_KINDS:
            return ox.NamedNode(self._vocabulary_term(kind, str(value)))
        if kind == "stance":
            return ox.NamedNode(
                Stance.parse(value if isinstance(value, Stance) else str(value)).iri
            )
        if isinstance(value, date):
            value = _date_text(name, value)
        return make_literal(kind, name, value)

    def _typed_bindings(
        self, typed: Mapping[str, tuple[str, str]]
    ) -> tuple[dict[str, Term], list[str]]:
        """The terms of ``NAME[:TYPE]=VALUE`` parameters from the command line, and a warning
        for each untyped value that names an actor: it is bound as the text asked for
        (``-p a=IS-K`` binds the text; ``-p a:actor=IS-K`` the actor's IRI)."""
        bindings, warnings = {}, []
        for name, (kind, value) in typed.items():
            bindings[name] = self.term(kind, name, value)
            if kind == "string" and self._names_actor(value):
                warnings.append(
                    f"warning: --param {name}={value} {_TEXT_NOT_ACTOR.format(value=value)}; "
                    f"for the actor use --param {name}:actor={value}"
                )
        return bindings, warnings

    def _hint_empty(self, text: str, params: Mapping[str, ParamValue], rows: Rows) -> Rows:
        """``rows``, with a warning (as the command line gives) when they are none and the
        likely cause is a slip: a string parameter that names an actor (it bound the text,
        which no IRI matches), or a term the graph cannot hold (a misspelled ontology term, an
        alias used as an actor's id; :func:`~actorgraph.vocabulary.query_term_problems`).

        >>> import warnings
        >>> kg = ActorGraph.load()
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     _ = kg.sparql("SELECT * WHERE { ?a ag:hostileTo ?e }", a="IS-K")
        >>> print(caught[0].message)
        parameter a='IS-K' binds the text 'IS-K', not the actor it names; \
for the actor pass a=kg.actor('IS-K')
        """
        if len(rows):
            return rows
        for name, value in params.items():
            if isinstance(value, str) and self._names_actor(value):
                warnings.warn(
                    f"parameter {name}={value!r} {_TEXT_NOT_ACTOR.format(value=value)}; "
                    f"for the actor pass {name}=kg.actor({value!r})",
                    UserWarning,
                    stacklevel=3,
                )
        from .vocabulary import query_term_problems

        for problem in query_term_problems(self, text):
            warnings.warn(f"no rows: {problem}", UserWarning, stacklevel=3)
        return rows

    def _names_actor(self, text: str) -> bool:
        return _key(text) in self._names

    @staticmethod
    def _python_term(name: str, value: ParamValue) -> Term:
        if isinstance(value, ox.NamedNode | ox.Literal | ox.BlankNode):
            return value
        if isinstance(value, Actor | Stance):
            return ox.NamedNode(value.iri)
        if isinstance(value, date):  # an xsd:date (a datetime: its day)
            return make_literal("date", name, _date_text(name, value))
        if isinstance(value, bool | int | float | str):
            try:
                return ox.Literal(value)
            except ValueError:
                raise QueryError(f"parameter {name!r}: not valid as RDF text") from None
        module = type(value).__module__
        if module.startswith("rdflib"):
            return _from_rdflib(value)
        raise QueryError(f"parameter {name!r}: cannot bind a {type(value).__name__}")

    # ------------------------------------------------------------------ checking and output

    def validate(self, *, progress: Callable[[str], None] | None = None) -> Report:
        """Check SHACL shapes, every quote against its source text, and the direct edges;
        ``progress`` is called with each step's name as it starts (``validate.STEPS``)."""
        from .validate import validate_graph

        return validate_graph(self, progress)

    def serialize(self, format: GraphFormat) -> bytes:
        """The whole graph, direct edges included, as Turtle, N-Triples or JSON-LD bytes."""
        from .build import serialize

        return serialize(self, format)

    @overload
    def view(
        self,
        path: None = None,
        *,
        actor: str | Actor | None = None,
        depth: int = 1,
        relation: OneOrSeveral[str] = None,
        stance: OneOrSeveral[str | Stance] = None,
        as_of: DateLike | None = None,
        source: OneOrSeveral[str] = None,
        title: str | None = None,
    ) -> View: ...

    @overload
    def view(
        self,
        path: str | Path,
        *,
        actor: str | Actor | None = None,
        depth: int = 1,
        relation: OneOrSeveral[str] = None,
        stance: OneOrSeveral[str | Stance] = None,
        as_of: DateLike | None = None,
        source: OneOrSeveral[str] = None,
        title: str | None = None,
    ) -> Path: ...

    @_former_plurals
    def view(
        self,
        path: str | Path | None = None,
        *,
        actor: str | Actor | None = None,
        depth: int = 1,
        relation: OneOrSeveral[str] = None,
        stance: OneOrSeveral[str | Stance] = None,
        as_of: DateLike | None = None,
        source: OneOrSeveral[str] = None,
        title: str | None = None,
    ) -> View | Path:
        """The interactive graph view: one self-contained offline page.

        With ``path``, write it there (``.svg``: a static picture of the same drawing, with its
        legend) and return the path; without, return a :class:`~actorgraph.view.View`, which
        Jupyter shows inline and which has ``.html``, ``.svg()`` and ``.save(path)``.

        ``actor`` and ``depth`` keep one actor's neighbourhood; ``relation`` and ``stance``
        keep those relation types and stances (one or several); ``as_of`` (2019, "2020-05", a
        ``date`` …) keeps relations valid then (and undated ones); ``source`` keeps claims from
        those sources (ids or IRIs).

        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> page = ActorGraph.load().view(folder / "isk.html", actor="IS-K")
        >>> page.read_text(encoding="utf-8").startswith("<!doctype html>")
        True
        """
        from .drawing import ViewFilter, build_drawing
        from .view import View

        center = self.actor(actor).id if actor is not None else None
        chosen = ViewFilter(
            actor=center,
            depth=depth,
            relations=tuple(_several(relation)),
            stances=tuple(Stance.parse(s).value for s in _several(stance)),
            as_of=_date_text("as_of", as_of),
            sources=tuple(_several(source)),
        )
        rendered = View(build_drawing(self, chosen, title))
        return rendered if path is None else rendered.save(path)

    # ------------------------------------------------------------------ the network

    @_former_plurals
    def to_networkx(
        self,
        *,
        as_of: DateLike | None = None,
        stance: OneOrSeveral[str | Stance] = None,
        relation: OneOrSeveral[str] = None,
        signed: bool = False,
        reported: bool = False,
    ) -> nx.MultiDiGraph | nx.Graph:
        """The actor network: one edge per statement, or (``signed``) one signed tie per pair.

        See :func:`actorgraph.network.to_networkx` for the attributes and the signing rule.

        >>> ActorGraph.load().to_networkx(signed=True).number_of_edges()
        26
        """
        from .network import to_networkx

        when = _date_text("as_of", as_of)
        stances, relations = _several(stance) or None, _several(relation) or None
        return to_networkx(
            self, as_of=when, stances=stances, relations=relations, signed=signed, reported=reported
        )

    @_former_plurals
    def analyze(
        self,
        *,
        as_of: DateLike | None = None,
        stance: OneOrSeveral[str | Stance] = None,
        weight: str = "mentions",
        reported: bool = False,
    ) -> Analysis:
        """Structural balance, frustration index, predicted ties, centralities and brokers;
        ``weight="sources"`` counts each source once per pair instead of every claim; only what
        a source asserts in its own voice counts, unless ``reported`` (then the claims it
        reports other parties making count too, at half weight). Balance
        reads only ties that hold at one time: a triangle whose ties' periods never overlap is
        in :attr:`Analysis.apart`, not :attr:`Analysis.triads`."""
        from .analysis import analyze

        when, stances = _date_text("as_of", as_of), _several(stance) or None
        return analyze(self, as_of=when, stances=stances, weight=weight, reported=reported)

    @_former_plurals
    def paths(
        self,
        source: str,
        target: str,
        *,
        stance: OneOrSeveral[str | Stance] = None,
        as_of: DateLike | None = None,
        limit: int = 20,
        parts: bool = True,
    ) -> list[list[Hop]]:
        """The shortest chains of statements between two actors, with every hop's quotes; each
        end includes the actor's organs (:meth:`parts`) unless ``parts=False``.

        >>> [[hop.source for hop in path] for path in ActorGraph.load().paths(
        ...     "United States", "al-Qaeda", parts=False)]
        [['united-states', 'isk'], ['united-states', 'taliban']]
        """
        from .analysis import paths

        when = _date_text("as_of", as_of)
        stances = _several(stance) or None
        return paths(self, source, target, stances=stances, as_of=when, limit=limit, parts=parts)

    def changes(self, before: DateLike, after: DateLike) -> list[dict[str, object]]:
        """Dated statements that ended or began between two dates: years, months or days, each
        given as text (``"2019"``, ``"2019-05"``, ``"2019-05-01"``), a year as a number
        (``2019``) or a :class:`datetime.date`.

        >>> [c["change"] for c in ActorGraph.load().changes(2019, 2021)][:2]
        ['began', 'began']
        """
        from .analysis import changes

        return changes(self, _date_text("before", before), _date_text("after", after))

    @_former_plurals
    def export(
        self,
        path: str | Path,
        format: ExportFormat | str,
        *,
        as_of: DateLike | None = None,
        stance: OneOrSeveral[str | Stance] = None,
        relation: OneOrSeveral[str] = None,
    ) -> list[Path]:
        """Write the graph for Gephi, Cytoscape, a spreadsheet or an RDF tool; ``format`` an
        :class:`ExportFormat` or its name (``"graphml"``)."""
        from .export import export

        when = _date_text("as_of", as_of)
        stances, relations = _several(stance) or None, _several(relation) or None
        return export(self, path, format, as_of=when, stances=stances, relations=relations)

    def build(
        self, output: str | Path, *, progress: Callable[[str], None] | None = None
    ) -> BuildResult:
        """Validate, then write the graph (Turtle, JSON-LD) and its view into ``output``;
        ``progress`` gets the validation steps' names, then ``"writing"``."""
        from .build import build

        return build(self, Path(output), progress)


def _one_or_several(value: str | Stance | Iterable[str | Stance] | None) -> QueryValue:
    """A filter as a named query takes it: one value, or a list of several (none: all)."""
    values = _several(value)
    if len(values) == 1:
        return values[0]
    return list[ParamValue](values) if values else None


def _apart(
    combination: tuple[tuple[str, Term], ...],
    given: Mapping[str, Term],
    choices: list[list[tuple[str, Term]]],
) -> bool:
    """Whether a combination of expanded actor parameters keeps apart what was asked apart:
    two parameters whose actors share organs ("from the U.S. to the U.S. government") are
    only ever bound to the actors given."""
    family = {options[0][0]: {term for _, term in options} for options in choices}
    for (a, term_a), (b, term_b) in combinations(combination, 2):
        expanded = term_a != given[a] or term_b != given[b]
        if expanded and family[a] & family[b]:
            return False
    return True


def _parameters(params: Mapping[str, _V] | None, keywords: Mapping[str, _V]) -> dict[str, _V]:
    """Parameters given as a mapping and as keywords, as one dict; a name given both ways is
    an error."""
    both = sorted(set(params or {}) & keywords.keys())
    if both:
        raise QueryError(f"parameter {both[0]!r} is given twice")
    return {**(params or {}), **keywords}


def _check_bindings(
    text: str, bindings: Mapping[str, Term], where: str = "", allow: Iterable[str] = ()
) -> QueryShape:
    """Refuse unsafe queries, and bindings of names the query does not use or select."""
    shape = check_read_only(text, allow)
    for name in bindings:
        check_variable_name(name)
        if name not in shape.variables:
            raise QueryError(f"{where}parameter {name!r} is not a variable of the query")
        if shape.selected is not None and name not in shape.selected:
            raise QueryError(
                f"{where}parameter {name!r} must be a selected variable: "
                f"add ?{name} to the SELECT clause (or use SELECT *)"
            )
    return shape


def _from_rdflib(value: object) -> Term:
    import rdflib

    if isinstance(value, rdflib.URIRef):
        return ox.NamedNode(str(value))
    if isinstance(value, rdflib.Literal):
        if value.language:
            return ox.Literal(str(value), language=value.language)
        if value.datatype:
            return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype)))
        return ox.Literal(str(value))
    raise QueryError(f"cannot bind a {type(value).__name__}")


def _statement(row: Mapping[str, Cell]) -> Statement:
    contested = tuple(local_name(iri) for iri in _listed(row["contestedBy"]))
    against = tuple(local_name(iri) for iri in _listed(row["against"]))
    return Statement(
        iri=str(row["statement"]),
        id=local_name(str(row["statement"])),
        subject=local_name(str(row["subject"])),
        subject_label=str(row["subjectLabel"] or local_name(str(row["subject"]))),
        relation=local_name(str(row["relation"])),
        object=local_name(str(row["object"])),
        object_label=str(row["objectLabel"] or local_name(str(row["object"]))),
        stance=Stance.parse(str(row["stance"])),
        asserted_by=local_name(str(row["assertedBy"])),
        evidence=_evidence(row),
        valid_from=None if row["validFrom"] is None else str(row["validFrom"]),
        valid_until=None if row["validUntil"] is None else str(row["validUntil"]),
        attested_at=None if row["attestedAt"] is None else str(row["attestedAt"]),
        contested_by=contested,
        against=against,
        basis=Basis.parse(str(row["basis"])),
        polarity=Polarity.parse(str(row["polarity"])),
        note=None if row["note"] is None else str(row["note"]),
        subject_iri=str(row["subject"]),
        object_iri=str(row["object"]),
        relation_iri=str(row["relation"]),
        asserted_by_iri=str(row["assertedBy"]),
    )


def _listed(value: Cell) -> list[str]:
    """A list column's values (a list from a named query; a text from other rows)."""
    return value if isinstance(value, list) else str(value or "").split()


def _evidence(row: Mapping[str, Cell]) -> Evidence:
    """The evidence of a statement row: its ``source``, ``quote``, ``start`` and ``end``."""
    start, end = row["start"], row["end"]
    if not isinstance(start, int) or not isinstance(end, int):
        raise TypeError("a statement row without the offsets of its quote")
    return Evidence(str(row["source"]), str(row["quote"]), start, end)
