"""Closed vocabularies: a misspelled term is a problem, not a triple nobody reads.

A typo in a term (``a ag:Statment``, ``ag:validfrom``, ``ag:polarty``) or in a prefix
(``@prefix ag: <https://w3id.org/actorgraph/ontology/>``) still parses, and the statement or
its period silently drops out of every view. So every IRI used in the graph as a property,
class or value is checked (a literal's datatype too, as the files are loaded):

- in the ontology's namespace (``ag:``): the graph must define it (give it a type, as
  ``ontology.ttl`` does for every class, property and value it defines);
- in a well-known vocabulary the graph uses (rdf, rdfs, owl, xsd, skos, dcterms, prov): that
  vocabulary must define it, as rdflib's closed namespace definitions list its terms;
- in a near miss of one of these namespaces (``http`` for ``https``, ``/`` for ``#``, other
  case): always a problem, as is an IRI written like a prefixed name in angle brackets
  (``<act:zzz>``, an IRI of the scheme ``act``), which JSON-LD would read as ``act:zzz``.

Other namespaces are the user's own and are not checked. Each problem names the file and line
where the IRI is first written and suggests the closest defined term.

>>> from actorgraph import ActorGraph
>>> vocabulary_problems(ActorGraph.load())
[]
>>> closest("validfrom", ["validFrom", "validUntil"]), closest("Statment", ["Statement"])
('validFrom', 'Statement')
"""

from __future__ import annotations

import ast
import contextlib
import difflib
import importlib.util
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ActorGraphError
from .namespaces import ACT, AG, PREFIXES, REVIEW_PREFIXES

if TYPE_CHECKING:
    from .graph import ActorGraph
    from .turtle import TurtleFile
    from .validate import Problem

__all__ = [
    "WELL_KNOWN",
    "closest",
    "datatype_problem",
    "defined_terms",
    "first_written",
    "query_term_problems",
    "vocabulary_problems",
]

#: The well-known vocabularies checked, by prefix: the name of rdflib's definition of each.
WELL_KNOWN: dict[str, str] = {
    "rdf": "RDF",
    "rdfs": "RDFS",
    "owl": "OWL",
    "xsd": "XSD",
    "skos": "SKOS",
    "dcterms": "DCTERMS",
    "prov": "PROV",
}
_CHECKED = {"ag": str(AG)} | {prefix: PREFIXES[prefix] for prefix in WELL_KNOWN}
_ANNOTATED = re.compile(r"^    ([A-Za-z]\w*):\s*\(?\s*URIRef\b", re.MULTILINE)
_EXTRAS = re.compile(r"^    _extras = (\[.*?\])", re.MULTILINE | re.DOTALL)
_NOT_DATA = ("#", "@prefix", "prefix")  # lines of a file that use no term
_ROLES = {2: "property", 4: "class", 3: "value"}  # the first role an IRI has names it


def _stem(namespace: str) -> str:
    """A namespace without scheme, case and final ``#`` or ``/``: what its near misses share."""
    return namespace.split(":", 1)[1].rstrip("#/").lower()


_STEMS = {prefix: _stem(namespace) for prefix, namespace in _CHECKED.items()}
# Every distinct IRI used as a property, class or value that is in a checked namespace, a near
# miss of one, or has a prefix name for its scheme: found in the engine, whatever the size of
# the graph. (Datatypes are checked with the literals, as the files are loaded.)
_MATCHES = " || ".join(
    [f'CONTAINS(?text, "{stem}")' for stem in _STEMS.values()]
    + [f'STRSTARTS(?text, "{name}:")' for name in REVIEW_PREFIXES]
)
_USED = (
    """
SELECT ?iri ?role WHERE {
  { SELECT DISTINCT ?iri (2 AS ?role) WHERE { ?s ?iri ?o } }
  UNION { SELECT DISTINCT ?iri (4 AS ?role) WHERE { ?s a ?iri } }
  UNION { SELECT DISTINCT ?iri (3 AS ?role) WHERE { ?s ?p ?iri FILTER(isIRI(?iri)) } }
  BIND(LCASE(STR(?iri)) AS ?text)
  FILTER("""
    + _MATCHES
    + """)
}"""
)
_DEFINED_AG = f"""
SELECT DISTINCT ?term WHERE {{
  ?term a ?type . FILTER(STRSTARTS(STR(?term), "{AG}"))
}}"""


@dataclass(frozen=True)
class _Misuse:
    iri: str
    role: str
    message: str
    namespace: str | None = None  # a near miss of a namespace: reported once for all its terms


def vocabulary_problems(kg: ActorGraph) -> list[Problem]:
    """The IRIs of ``kg`` that its ontology or a well-known vocabulary should define and does
    not, each located where a file first writes it."""
    from .validate import Problem

    used: dict[str, str] = {}
    rows = kg.store.select(_USED, {}).dicts()
    for role, name in _ROLES.items():
        for row in rows:
            if int(str(row["role"])) == role:
                used.setdefault(str(row["iri"]), name)
    if not used:
        return []
    ontology = _ontology_terms(kg)
    misuses = [m for iri, role in sorted(used.items()) if (m := _misuse(iri, role, ontology))]
    problems, namespaces = [], {m.namespace for m in misuses if m.namespace}
    for misuse in misuses:
        if misuse.namespace is None:
            where = first_written(kg.files, misuse.iri)
            path, line = (str(where[0]), where[1]) if where else (None, None)
            problems.append(Problem(misuse.message, path, line))
    for namespace in sorted(namespaces):
        found = [(m, first_written(kg.files, m.iri)) for m in misuses if m.namespace == namespace]
        located = sorted(((str(w[0]), w[1]), m.message) for m, w in found if w)
        (path, line), message = located[0] if located else ((None, None), found[0][0].message)
        others = f" ({len(found) - 1} more terms of this namespace)" if len(found) > 1 else ""
        problems.append(Problem(message + others, path, line))
    return problems


#: A query's strings, comments, IRIs, prefix declarations and prefixed names, in order.
_QUERY_TERMS = re.compile(
    r'"""[\s\S]*?"""' + r"|'''[\s\S]*?'''"
    r'|"(?:[^"\\\n]|\\.)*"' + r"|'(?:[^'\\\n]|\\.)*'"
    r"|#[^\n]*"
    r"|(?i:\bPREFIX)\s+(?P<declared>[A-Za-z][\w.-]*)?:\s*<(?P<namespace>[^<>\s]*)>"
    r'|<(?P<iri>[^<>"{}|^`\\\s]*)>'
    r"|(?<![\w?$])(?P<prefix>[A-Za-z][\w-]*)?:(?P<local>[A-Za-z0-9_](?:[\w.-]*[\w-])?)"
)


def query_term_problems(kg: ActorGraph, query: str) -> list[str]:
    """The terms a SPARQL query names that ``kg`` cannot hold: a term of the ontology or a
    well-known vocabulary that it does not define, or an actor IRI that is not an actor's (an
    alias used as an id); each with the term it most likely means. For a query that found
    nothing, where such a typo is the likeliest cause.

    >>> from actorgraph import ActorGraph
    >>> query_term_problems(ActorGraph.load(), "SELECT * { act:iskp ag:hostilTo ?x }")
    ['act:iskp is not an actor of this graph (did you mean act:isk?)', \
'unknown term ag:hostilTo: the ontology defines no such term (did you mean ag:hostileTo?)']
    """
    ontology = _ontology_terms(kg)
    namespaces = dict(PREFIXES)
    found: dict[str, str] = {}
    for match in _QUERY_TERMS.finditer(query):
        if match["namespace"] is not None:
            namespaces[match["declared"] or ""] = match["namespace"]
            continue
        if match["iri"] is not None:
            iri = match["iri"]
        elif match["local"] is not None and (match["prefix"] or "") in namespaces:
            iri = namespaces[match["prefix"] or ""] + match["local"]
        else:
            continue
        if iri not in found and (problem := _query_term_problem(kg, iri, ontology)):
            found[iri] = problem
    return list(found.values())


def _query_term_problem(kg: ActorGraph, iri: str, ontology: set[str]) -> str | None:
    if iri.startswith(str(ACT)):
        parties = kg._parties
        if iri in parties:
            return None
        local = iri.removeprefix(str(ACT))
        try:
            guess: str | None = kg.actor(local).id  # an alias or label used as an id
        except ActorGraphError:  # unknown or ambiguous
            guess = closest(local, [party.id for party in parties.values()])
        hint = f" (did you mean act:{guess}?)" if guess else ""
        return f"act:{local} is not an actor of this graph{hint}"
    misuse = _misuse(iri, "term", ontology)
    return misuse.message if misuse else None


def _ontology_terms(kg: ActorGraph) -> set[str]:
    """The local names of the terms the graph's ontology defines (``ag:``)."""
    return {
        str(term).removeprefix(str(AG)) for term in kg.store.select(_DEFINED_AG, {}).column("term")
    }


@cache
def datatype_problem(iri: str) -> str | None:
    """What is wrong with a literal's datatype ``iri``, if anything (checked as the files are
    loaded, with the literals).

    >>> datatype_problem("http://www.w3.org/2001/XMLSchema#gYear") is None
    True
    >>> datatype_problem("http://www.w3.org/2001/XMLSchema#gyear")
    'unknown datatype xsd:gyear: the xsd vocabulary defines no such term (did you mean xsd:gYear?)'
    """
    misuse = _misuse(iri, "datatype", set())
    return misuse.message if misuse else None


def _misuse(iri: str, role: str, ontology: set[str]) -> _Misuse | None:
    """What is wrong with ``iri`` used as ``role``, if anything."""
    for name in REVIEW_PREFIXES:
        if iri.startswith(f"{name}:") and not iri.startswith(f"{name}://"):
            return _Misuse(
                iri,
                role,
                f"<{iri}> is an IRI of the scheme '{name}', not the prefixed name {iri}: write "
                f"{iri} without angle brackets, or the IRI in full",
            )
    for prefix, namespace in _CHECKED.items():
        terms = ontology if prefix == "ag" else defined_terms(WELL_KNOWN[prefix])
        owner = "the ontology" if prefix == "ag" else f"the {prefix} vocabulary"
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            if local in terms or (prefix == "rdf" and re.fullmatch(r"_[1-9][0-9]*", local)):
                return None
            return _Misuse(
                iri,
                role,
                f"unknown {role} {prefix}:{local}: {owner} defines no such term"
                + _suggestion(prefix, local, terms),
            )
        near = _near_miss(iri, prefix)
        if near is not None:
            return _Misuse(
                iri,
                role,
                f"<{iri}> is near, but not in, the namespace of {owner} <{namespace}>: is a "
                "@prefix mistyped?" + _suggestion(prefix, near, terms),
                iri[: len(iri) - len(near)],
            )
    return None


def _near_miss(iri: str, prefix: str) -> str | None:
    """The local name of ``iri`` if its namespace differs from ``prefix``'s only by scheme,
    case or ``#``/``/``; None if it is not such a near miss (or is the namespace's own)."""
    namespace = _CHECKED[prefix]
    if ":" not in iri or iri.startswith(namespace) or iri == namespace.rstrip("#/"):
        return None
    scheme, rest = iri.split(":", 1)
    if scheme.lower() not in ("http", "https"):
        return None
    stem = _STEMS[prefix]
    if not rest.lower().startswith(stem):
        return None
    tail = rest[len(stem) :]
    if tail and tail[0] not in "#/":
        return None  # another namespace that starts alike (prov-o#, skos/core2 …)
    return tail[1:] if tail else ""


def _suggestion(prefix: str, local: str, terms: Iterable[str]) -> str:
    guess = closest(local, terms)
    return f" (did you mean {prefix}:{guess}?)" if guess else ""


def closest(local: str, terms: Iterable[str]) -> str | None:
    """The defined term ``local`` most likely stands for: the same but for case, else the
    most similar one, if any is similar enough."""
    terms = sorted(terms)
    if local in terms:
        return local
    for term in terms:
        if term.lower() == local.lower():
            return term
    matches = difflib.get_close_matches(local, terms, n=1, cutoff=0.6)
    return matches[0] if matches else None


@cache
def defined_terms(name: str) -> frozenset[str]:
    """The local names rdflib's closed definition of a vocabulary (``"SKOS"`` …) lists.

    They are read from rdflib's source rather than imported: importing rdflib takes longer
    than validating a small graph (``tests/test_validation.py`` checks they are rdflib's).

    >>> {"prefLabel", "altLabel"} <= defined_terms("SKOS"), "prefLable" in defined_terms("SKOS")
    (True, False)
    """
    spec = importlib.util.find_spec("rdflib")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("rdflib is needed to check the well-known vocabularies")
    source = Path(spec.origin).parent / "namespace" / f"_{name}.py"
    terms: set[str] = set()
    with contextlib.suppress(OSError, UnicodeDecodeError, ValueError, SyntaxError):
        text = source.read_text(encoding="utf-8")
        terms = set(_ANNOTATED.findall(text))  # "    prefLabel: URIRef  # …" in the class body
        if extras := _EXTRAS.search(text):  # terms that are not Python names ("ISO639-2" …)
            terms.update(ast.literal_eval(extras[1]))
    return frozenset(terms) or _imported_terms(name)


def _imported_terms(name: str) -> frozenset[str]:
    """The same terms from the imported definition: for an rdflib installed without its
    sources or laid out otherwise (slower, as it imports rdflib)."""
    import rdflib.namespace

    definition = getattr(rdflib.namespace, name)
    terms = {*getattr(definition, "__annotations__", {}), *getattr(definition, "_extras", ())}
    return frozenset(term for term in terms if not term.startswith("_"))


def first_written(files: Iterable[TurtleFile], iri: str) -> tuple[Path, int] | None:
    """The file and line where ``iri`` is first written, in full or as a prefixed name of a
    prefix that file declares."""
    from .turtle import declared_prefixes

    for turtle in files:
        needles = [re.escape(f"<{iri}>")]
        for name, namespace in declared_prefixes(turtle.text).items():
            if iri.startswith(namespace) and len(iri) > len(namespace):
                local = re.escape(iri[len(namespace) :])
                needles.append(rf"(?<![\w.:-]){re.escape(name)}:{local}(?![\w:%-]|\.[\w-])")
        pattern = re.compile("|".join(needles))
        for number, line in enumerate(turtle.text.splitlines(), start=1):
            if not line.lstrip().lower().startswith(_NOT_DATA) and pattern.search(line):
                return turtle.path, number
    return None
