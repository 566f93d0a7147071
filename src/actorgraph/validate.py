"""Validation: SHACL shapes, evidence against the stored source texts, and direct edges.

Every problem names the file and line of the block it concerns.

>>> from actorgraph import ActorGraph
>>> report = ActorGraph.load().validate()
>>> report.ok, report.counts["quotes"] > 100
(True, True)
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .errors import one_line
from .model import local_name
from .namespaces import PREFIXES, RDF, shorten, sparql_prologue
from .store import Term
from .truthy import TRUTHY_STATEMENTS
from .turtle import TurtleFile, read_turtle
from .vocabulary import vocabulary_problems
from .xmltext import XML_ILLEGAL, illegal_character

if TYPE_CHECKING:
    from .graph import ActorGraph
    from .shacl import Violation

__all__ = ["STEPS", "Problem", "Report", "validate_graph"]

_EVIDENCE = (
    sparql_prologue()
    + """
SELECT ?claim ?source ?quote ?start ?end WHERE {
  ?claim prov:wasDerivedFrom ?evidence .
  ?evidence a ag:Evidence ; ag:source ?source ; ag:quote ?quote ; ag:start ?start ; ag:end ?end .
} ORDER BY ?claim ?start"""
)
# two statements of one claim on the same words: counted twice in analysis
_SAME_SPAN = (
    sparql_prologue()
    + """
SELECT ?a ?b ?start ?end WHERE {
  ?a a ag:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; ag:stance ?stance ;
     ag:assertedBy ?by ; prov:wasDerivedFrom ?ea .
  ?ea ag:source ?source ; ag:start ?start ; ag:end ?end .
  ?b a ag:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; ag:stance ?stance ;
     ag:assertedBy ?by ; prov:wasDerivedFrom ?eb .
  ?eb ag:source ?source ; ag:start ?start ; ag:end ?end .
  FILTER(STR(?a) < STR(?b))
  FILTER NOT EXISTS { ?a ag:polarity ?pa . ?b ag:polarity ?pb . FILTER(?pa != ?pb) }
} ORDER BY ?a ?b"""
)
_RELATIONS = (
    sparql_prologue()
    + """
SELECT ?p ?twin WHERE {
  ?p a ag:Relation .
  OPTIONAL { { ?p a owl:SymmetricProperty . BIND(?p AS ?twin) } UNION { ?p owl:inverseOf ?twin } }
}"""
)
# every relation triple between two nodes (IRIs or blank nodes) the store holds
_EDGES = (
    sparql_prologue()
    + "SELECT ?s ?p ?o WHERE { ?p a ag:Relation . ?s ?p ?o . FILTER(!isLiteral(?o)) }"
)
_STATEMENTS = sparql_prologue() + "SELECT (COUNT(?s) AS ?n) WHERE { ?s a ag:Statement }"
_HOLDER = "SELECT * WHERE { ?holder ?p ?o }"
_OUTGOING = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"


@dataclass(frozen=True)
class Problem:
    """One validation finding, located by file and line where possible."""

    message: str
    path: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = ":".join(str(x) for x in (self.path, self.line) if x is not None)
        return one_line(f"{where}: {self.message}" if where else self.message)


@dataclass(frozen=True)
class Report:
    """The outcome of :func:`validate_graph`: the problems found and what was checked.

    ``counts``: ``statements`` in the graph, ``quotes`` compared with their source text,
    ``sources`` whose stored text was read and matched its SHA-256.
    """

    problems: tuple[Problem, ...]
    counts: dict[str, int] = field(default_factory=dict)
    #: Findings that do not fail validation but deserve a look, such as an asserting party
    #: its quote's sentence does not name.
    warnings: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    def _repr_html_(self) -> str:
        """The outcome for Jupyter: what was checked, then each problem with its file and line
        (every value escaped)."""
        import html

        checked = ", ".join(f"{n} {name}" for name, n in self.counts.items())
        if self.ok:
            return f"<p><strong>ok</strong>: {html.escape(checked)} checked</p>"
        rows = "".join(
            f"<tr><td><code>{html.escape(':'.join(str(x) for x in (p.path, p.line) if x))}"
            f"</code></td><td>{html.escape(p.message)}</td></tr>"
            for p in self.problems
        )
        return (
            f"<p><strong>{len(self.problems)} problem(s)</strong> ({html.escape(checked)})</p>"
            f"<table><thead><tr><th>where</th><th>problem</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )


#: The steps of :func:`validate_graph`, in order, as its ``progress`` callback names them.
STEPS = ("shapes", "sources", "quotes", "edges")


def validate_graph(kg: ActorGraph, progress: Callable[[str], None] | None = None) -> Report:
    """Run every check on ``kg`` and collect the problems, sorted by file and line;
    ``progress`` is called with each step's name (:data:`STEPS`) as it starts."""
    texts: dict[str, str | None] = {}  # source -> verified text, or None if reported broken
    quotes: list[int] = []
    checks: tuple[Callable[[], list[Problem]], ...] = (
        lambda: _check_terms_and_shapes(kg),
        lambda: _check_sources(kg, texts),
        lambda: _check_evidence(kg, texts, quotes),
        lambda: _check_direct_edges(kg),
    )
    problems = _written_twice(kg)  # every other finding would follow from these
    twice = bool(problems)
    for step, check in zip(STEPS, checks, strict=True):
        if progress is not None:
            progress(step)
        if not twice:
            problems.extend(check())
    problems.sort(key=lambda p: (p.path or "", p.line or 0, p.message))
    statements = kg.store.select(_STATEMENTS, {}).column("n")[0]
    verified = sum(text is not None for text in texts.values())
    counts = {"statements": int(str(statements or 0)), "quotes": len(quotes), "sources": verified}
    warnings = () if twice else tuple(_unnamed_parties(kg, texts))
    return Report(tuple(dict.fromkeys(problems)), counts, warnings)


def _problem(kg: ActorGraph, iri: str, message: str, needle: str | None = None) -> Problem:
    where = kg.locate(iri) if not iri.startswith("_:") else _anonymous(kg, iri)
    if where is None:
        return Problem(f"{local_name(iri)}: {message}")
    path, line = where
    if needle and line:
        for turtle in kg.files:
            if turtle.path == path:
                line = turtle.line_containing(needle, after=line) or line
    return Problem(message, str(path), line)


def _anonymous(kg: ActorGraph, label: str) -> tuple[Path, int | None] | None:
    """Where a blank node of the store (``_:label``, which the files do not share) is written:
    the first file with a blank subject stating one of its triples to an IRI, on the line that
    names that triple's relation and object."""
    bindings: dict[str, Term] = {"s": ox.BlankNode(label.removeprefix("_:"))}
    stated = {
        (p.value, o.value)
        for _, p, o in kg.store.select(_OUTGOING, bindings).terms
        if isinstance(p, ox.NamedNode) and isinstance(o, ox.NamedNode)
    }
    for turtle in kg.files:
        for t in turtle.triples:
            if not isinstance(t.subject, ox.BlankNode) or not isinstance(t.object, ox.NamedNode):
                continue
            pair = (t.predicate.value, t.object.value)
            if pair in stated:
                return turtle.path, _edge_line(turtle, (None, *pair))
    return None


def _check_terms_and_shapes(kg: ActorGraph) -> list[Problem]:
    """The terms no vocabulary defines, text that breaks what shows it, and the SHACL
    violations. The first two query the store on a second thread while the SHACL engine
    validates the graph written out (on two cores they overlap in part: both engines hold the
    interpreter at times)."""
    from .loading import alongside
    from .shacl import shacl_violations

    shapes = read_turtle(kg.shapes_path)  # same strict parsing and error messages as the data
    data = kg.store.turtle(PREFIXES)
    terms, violations = alongside(
        lambda: vocabulary_problems(kg) + _check_text(kg), lambda: shacl_violations(data, shapes)
    )
    return terms + _shape_problems(kg, violations)


_CONTROL = f"""
SELECT ?s ?p ?o WHERE {{ ?s ?p ?o FILTER(isLiteral(?o) && REGEX(STR(?o), "{XML_ILLEGAL}")) }}"""
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")  # embeddings, overrides and isolates
_BIDI_LABELS = (
    sparql_prologue()
    + f"""
SELECT ?s ?p ?o WHERE {{
  VALUES ?p {{ skos:prefLabel skos:altLabel skos:hiddenLabel rdfs:label }}
  ?s ?p ?o FILTER(REGEX(STR(?o), "{_BIDI.pattern.encode("ascii", "backslashreplace").decode()}"))
}}"""
)


def _check_text(kg: ActorGraph) -> list[Problem]:
    """Text that breaks what shows it: a control character XML cannot carry in any literal
    (GraphML, GEXF and SVG would not be well-formed), a bidirectional control in a label
    (it reorders the text shown around the label)."""
    problems = []
    for query, what in ((_CONTROL, "control"), (_BIDI_LABELS, "bidi")):
        for s, p, o in kg.store.select(query, {}).terms:
            text, prop = str(getattr(o, "value", "")), shorten(str(getattr(p, "value", "")))
            if what == "control":
                character = f"the control character {illegal_character(text)}"
                issue = "which XML exports (GraphML, GEXF, SVG) cannot carry"
            else:
                found = _BIDI.search(text)
                character = f"U+{ord(found[0]):04X}" if found else "a control"
                issue = "a bidirectional control that reorders the text shown around it"
            owner = _owner(kg, s)
            name = "[blank node]" if owner.startswith("_:") else local_name(owner)
            message = f"{name}: {prop} holds {character}, {issue}: remove it"
            problems.append(_problem(kg, owner, message, local_name(prop)))
    return problems


def _owner(kg: ActorGraph, subject: object, via: ox.NamedNode | None = None) -> str:
    """The IRI of ``subject``, or, for a blank node, of the node that holds it (through
    ``via`` if given): evidence is reported at the claim that cites it."""
    if isinstance(subject, ox.BlankNode):
        bindings: dict[str, Term] = {"o": subject} if via is None else {"o": subject, "p": via}
        holders = kg.store.select(_HOLDER, bindings).column("holder")
        return str(holders[0]) if holders else f"_:{subject.value}"
    return str(getattr(subject, "value", subject))


def _shape_problems(kg: ActorGraph, violations: list[Violation]) -> list[Problem]:
    """The SHACL violations as problems, located at the block they concern."""
    derived = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
    problems = []
    for violation in violations:
        message, focus, value = violation.message, violation.focus, violation.value
        if value is not None and value != focus and not value.startswith("_:"):
            message += f" (found {value}{_undefined(kg, value)})"
        owner = focus.removeprefix("<").removesuffix(">")
        if focus.startswith("_:"):  # evidence: report it at the claim that cites it
            owner = _owner(kg, ox.BlankNode(focus[2:]), derived)
        name = "[blank node]" if owner.startswith("_:") else local_name(owner)
        problems.append(_problem(kg, owner, f"{name}: {message}"))
    return problems


def _undefined(kg: ActorGraph, value: str) -> str:
    """A hint when ``value`` is an IRI no loaded file gives a class: most often an actor of a
    graph that was not loaded with them."""
    if not (value.startswith("<") and value.endswith(">")):
        return ""
    iri = ox.NamedNode(value[1:-1])
    if kg.store.select("ASK { ?iri a ?class }", {"iri": iri}).column("result")[0]:
        return ""
    namespace, _, name = iri.value.rpartition("/")
    if name:  # a mistyped actor: an actor of the same namespace with a name close to it
        known = [a.iri.rpartition("/")[2] for a in kg.actors() if a.iri.startswith(namespace)]
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.8)
        if close:
            return f", which no loaded file gives a class; did you mean {close[0]}?"
    return (
        ", which no loaded file gives a class: is a graph missing? A folder grown from the "
        "bundled graph validates with it: -g @bundled -g FOLDER"
    )


def _check_sources(kg: ActorGraph, texts: dict[str, str | None]) -> list[Problem]:
    problems: list[Problem] = []
    for source, read in kg.source_texts().items():
        texts[source] = read.text
        if read.problem:
            problems.append(_problem(kg, source, read.problem, read.field))
    return problems


def _check_evidence(
    kg: ActorGraph, texts: dict[str, str | None], quotes: list[int]
) -> list[Problem]:
    problems = []
    for row in kg.store.select(_EVIDENCE, {}).dicts():
        claim, source = str(row["claim"]), str(row["source"])
        quote, start, end = str(row["quote"]), row["start"], row["end"]
        if not isinstance(start, int) or not isinstance(end, int):
            continue  # ill-typed offsets are refused when the files are read
        if source not in texts:
            continue  # not an ag:Source: the SHACL shape of the evidence reports it
        text = texts[source]
        if text is None:
            continue  # the source's own problem (unreadable, wrong sha256 …) is reported

        quotes.append(start)
        if text[start:end] == quote:
            continue
        hint = _where_it_occurs(text, quote)
        message = (
            f"{local_name(claim)}: quote does not match {local_name(source)} "
            f"between start {start} and end {end}; {hint}"
        )
        problems.append(_problem(kg, claim, message, f"ag:start {start}"))
    for row in kg.store.select(_SAME_SPAN, {}).dicts():
        first, second = str(row["a"]), str(row["b"])
        message = (
            f"{local_name(second)}: the same claim on the same words as {local_name(first)} "
            f"(start {row['start']}, end {row['end']}); keep one, or quote the other sentence"
        )
        problems.append(_problem(kg, second, message))
    return problems


_SEVERAL_EVIDENCE = (
    sparql_prologue()
    + """
SELECT ?s WHERE { ?s a ag:Statement ; prov:wasDerivedFrom ?e }
GROUP BY ?s HAVING (COUNT(DISTINCT ?e) > 1)"""
)


_PARTIES = (
    sparql_prologue()
    + """
SELECT ?claim ?by ?source ?start ?end ?note WHERE {
  ?claim a ag:Statement ; ag:assertedBy ?by ; prov:wasDerivedFrom ?e .
  ?e ag:source ?source ; ag:start ?start ; ag:end ?end .
  OPTIONAL { ?claim rdfs:comment ?note }
  FILTER NOT EXISTS { ?source dcterms:creator ?by }
  FILTER NOT EXISTS { ?source dcterms:publisher ?by }
  FILTER NOT EXISTS { ?by a ag:UnnamedParty }
} ORDER BY ?claim"""
)
_NAMES = (
    sparql_prologue()
    + """
SELECT ?party ?name WHERE {
  { ?party skos:prefLabel ?name } UNION { ?party skos:altLabel ?name }
  UNION { ?party skos:hiddenLabel ?name }
}"""
)


def _unnamed_parties(kg: ActorGraph, texts: dict[str, str | None]) -> list[Problem]:
    """Statements whose asserting party is neither the source's author or publisher nor named
    (by any of its names) in the quote's sentence or the statement's note (where the curator
    says who "the group" or "they" is): reported speech credited to the wrong party, perhaps."""
    from .sources import sentence_around

    rows = kg.store.select(_PARTIES, {}).dicts()
    if not rows:
        return []
    names: dict[str, list[str]] = {}
    for row in kg.store.select(_NAMES, {}).dicts():
        names.setdefault(str(row["party"]), []).append(str(row["name"]).casefold())
    _add_capitals(names)
    warnings = []
    for row in rows:
        text = texts.get(str(row["source"]))
        start, end = row["start"], row["end"]
        if text is None or not isinstance(start, int) or not isinstance(end, int):
            continue
        sentence = sentence_around(text, start, end).casefold()
        note = "" if row["note"] is None else str(row["note"])
        named = f"{sentence}\n{note}".casefold()
        if not any(name in named for name in names.get(str(row["by"]), [])):
            message = (
                f"{local_name(str(row['claim']))}: the asserting party "
                f"{local_name(str(row['by']))} is not named in the quote's sentence nor the "
                "source's author; is it the party that asserts the claim?"
            )
            warnings.append(_problem(kg, str(row["claim"]), message, "ag:assertedBy"))
    return warnings


def _add_capitals(names: dict[str, list[str]]) -> None:
    """A state's capital names it too ("Kinshasa denies" is the DRC's denial): each party one
    of whose names is a country's gets that country's capital among its names."""
    from .countries import capitals, country_names

    known = {name.casefold(): country for name, country in country_names().items()}
    capital_of: dict[str, list[str]] = {}
    for capital, country in capitals().items():
        capital_of.setdefault(country, []).append(capital.casefold())
    for party_names in names.values():
        countries = {known[name] for name in party_names if name in known}
        party_names += [c for country in countries for c in capital_of.get(country, [])]


def _written_twice(kg: ActorGraph) -> list[Problem]:
    """Statements whose block is written in two files (a folder loaded twice, or a copy of a
    graph beside the original): named once each, with both places."""
    problems = []
    for iri in kg.store.select(_SEVERAL_EVIDENCE, {}).column("s"):
        places = [(t.path, t.line_of(str(iri))) for t in kg.files]
        written = [(path, line) for path, line in places if line is not None]
        if len(written) > 1:
            (first, first_line), (second, second_line) = written[:2]
            message = (
                f"{local_name(str(iri))}: the same statement is written in two files, here and "
                f"in {first}:{first_line} (a folder loaded twice, or a copy beside its original?)"
            )
            problems.append(Problem(message, str(second), second_line))
    return problems


def _where_it_occurs(text: str, quote: str) -> str:
    """Where ``quote`` occurs in ``text`` (every place), or why it may not seem to: a typed
    straight quote for a curly one, or decomposed accents. Only the hint normalises; the
    check itself compares the exact characters.

    >>> _where_it_occurs("a b a b", "a b")
    'the quote occurs at start 0, end 3 and at start 4, end 7'
    >>> _where_it_occurs("IS-K’s men", "IS-K's men")
    "the quote does not occur in the source text; it occurs at start 0, end 10 with ’ for '"
    """
    places = [m.start() for m in re.finditer(re.escape(quote), text)] if quote else []
    if places:
        return "the quote occurs " + " and ".join(
            f"at start {p}, end {p + len(quote)}" for p in places[:5]
        )
    missing = "the quote does not occur in the source text"
    pattern = "".join(_TYPED.get(c, re.escape(c)) for c in quote)
    typed = re.search(pattern, text) if any(c in _TYPED for c in quote) else None
    if typed:
        swaps = sorted(
            {f"{b} for {a}" for a, b in zip(quote, typed.group(), strict=True) if a != b}
        )
        where = f"at start {typed.start()}, end {typed.end()}"
        return f"{missing}; it occurs {where} with {', '.join(swaps)}"
    composed = unicodedata.normalize("NFC", quote)
    if composed != quote and composed in text:
        at = text.index(composed)
        return (
            f"{missing}; it occurs at start {at}, end {at + len(composed)} after Unicode (NFC) "
            "normalisation: write the accented letters composed"
        )
    return missing


_TYPED = {  # a straight quote typed for a curly one, a hyphen for a dash
    "'": "['’‘]",
    '"': '["“”]',
    "-": "[-–—]",
}


def _check_direct_edges(kg: ActorGraph) -> list[Problem]:
    """Every relation triple written in a file must be licensed by an asserted statement.

    The store holds the files' triples and the edges materialised from asserted statements
    (with their symmetric and inverse twins), so an unlicensed edge in the store came from a
    file or is the twin of one; only then are the files read for where it is written. A blank
    node's label in the store is not the file's, so an edge with a blank end is matched by its
    other terms; one not found in any file is still reported, without a line.
    """
    twins: dict[str, set[str]] = {}
    for row in kg.store.select(_RELATIONS, {}).dicts():
        twins.setdefault(str(row["p"]), set())
        if row["twin"]:
            twins[str(row["p"])].add(str(row["twin"]))
    licensed = set()
    for terms in kg.store.select(TRUTHY_STATEMENTS, {}).terms:
        edge = _values(terms)
        licensed.add(edge)
        licensed.update((edge[2], twin, edge[0]) for twin in twins.get(edge[1], ()))
    unlicensed: dict[_Edge, tuple[str, ...]] = {}  # by how a file's triple is matched
    for terms in kg.store.select(_EDGES, {}).terms:
        if (edge := _values(terms)) not in licensed:
            unlicensed[_edge_key(terms)] = edge
    if not unlicensed:
        return []
    problems, found = [], set()
    for turtle in kg.files:
        for t in turtle.triples:
            key = _edge_key((t.subject, t.predicate, t.object))
            if key not in unlicensed or isinstance(t.object, ox.Literal):
                continue
            found.add(key)
            problems.append(Problem(_unlicensed(key), str(turtle.path), _edge_line(turtle, key)))
    for key in unlicensed.keys() - found:
        s, p, o = key
        if not any((o, twin, s) in found for twin in twins.get(str(p), ())):
            problems.append(Problem(_unlicensed(key)))  # not written as such in any file
    return problems


_Edge = tuple[str | None, str, str | None]  # a relation triple; None: a blank node


def _edge_key(terms: Sequence[object]) -> _Edge:
    s, p, o = (None if isinstance(t, ox.BlankNode) else getattr(t, "value", "") for t in terms)
    return s, str(p), o


def _unlicensed(edge: _Edge) -> str:
    s, p, o = (local_name(term) if term is not None else "[blank node]" for term in edge)
    return (
        f"direct edge {s} {p} {o} has no asserted statement in the source's own voice; state "
        "it as an ag:Statement with its evidence (disputed and hedged claims are never direct "
        "edges)"
    )


def _edge_line(turtle: TurtleFile, edge: _Edge) -> int | None:
    """The line of a file where an edge's relation is written: after its subject's block
    starts, or (a blank subject) on a line that also names its object."""
    subject, relation, target = edge
    start = turtle.line_of(subject) if subject is not None else None
    if start is not None:
        return turtle.line_containing(local_name(relation), after=start)
    if subject is None and target is not None:
        named = local_name(relation) if relation != RDF["type"] else ""  # written "a"
        for number, line in enumerate(turtle.text.splitlines(), start=1):
            if named in line and local_name(target) in line:
                return number
    return None


def _values(row: Sequence[object]) -> tuple[str, ...]:
    """The IRIs, blank node ids and lexical forms of a row of terms."""
    return tuple(term.value if isinstance(term, Term) else "" for term in row)
