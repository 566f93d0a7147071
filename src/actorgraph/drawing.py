"""What the graph view and its static picture draw: actors at fixed positions, one tie per pair
and relation, styled by the ontology and by the strength of the claims behind it.

A tie gathers every statement of one relation between two actors (both directions for a
symmetric relation). Its colour is the relation's (``ag:colour`` in the ontology, so the same
in every page), its width grows with the number of statements, and its style is that of the
strongest claim behind it: claims the source asserts in its own voice are solid; claims it
reports from another party, hedged, inferred and disputed claims are faded and dashed, each in
its own pattern; denied claims are grey. Negated claims and open
questions are not ties and are not drawn.

>>> from actorgraph import ActorGraph
>>> drawing = build_drawing(ActorGraph.load(), ViewFilter(actor="Haqqani Network"))
>>> haqqani = "https://w3id.org/actorgraph/actor/haqqani-network"
>>> sorted((t.relation.rsplit("#")[1], t.level) for t in drawing.ties
...        if haqqani in (t.source, t.target) and "senior" not in t.source)
[('cooperatesWith', 'disputed'), ('recruitsFrom', 'reported'), ('subGroupOf', 'asserted')]
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import QueryError
from .layout import layout
from .model import Actor, Basis, Polarity, Stance, Statement, local_name
from .namespaces import AG, PREFIXES
from .periods import valid_at
from .queries import make_literal
from .truthy import own_voice
from .truthy import voices as source_voices

if TYPE_CHECKING:
    from .graph import ActorGraph

__all__ = ["LEVELS", "Drawing", "Tie", "ViewFilter", "build_drawing"]

#: How a tie is drawn, by the strongest claim behind it (strongest first).
LEVELS: dict[str, dict[str, Any]] = {
    "asserted": {
        "label": "asserted",
        "description": "stated as fact by the party that makes the claim: solid",
        "dashes": False,
        "opacity": 1.0,
    },
    "reported": {
        "label": "reported",
        "description": (
            "asserted by a party other than the source's author (a government, press reporting,"
            " a group's propaganda): faded, dash-dot-dot"
        ),
        "dashes": [10, 5, 2, 5, 2, 5],
        "opacity": 0.6,
    },
    "hedged": {
        "label": "hedged",
        "description": "stated with a qualification (may, appears, likely): faded, long dashes",
        "dashes": [12, 8],
        "opacity": 0.55,
    },
    "inferred": {
        "label": "inferred",
        "description": "a reader's inference, not said by the text: faded, dotted",
        "dashes": [2, 6],
        "opacity": 0.5,
    },
    "disputed": {
        "label": "disputed",
        "description": "asserted by one party, contested by another: faded, dash-dot",
        "dashes": [14, 6, 3, 6],
        "opacity": 0.45,
    },
    "denied": {
        "label": "denied",
        "description": "rejected or doubted by the party: grey, short dashes",
        "dashes": [4, 7],
        "opacity": 0.5,
        "colour": "#8c8c8c",
    },
}
_ORDER = list(LEVELS)
# Per sign: the base width of a tie, and the palette for relations the ontology gives no colour
# (conflict dark, cooperation mid-tone, structural lighter: bands that stay apart in greyscale).
_SIGN_WIDTH = {-1: 3.2, 1: 2.4, 0: 1.5}
_FALLBACK = {
    -1: ["#930c0c", "#812c07", "#8f1030", "#683f05", "#7a1f7a", "#72372b"],
    1: ["#1670c9", "#14798e", "#5963d6", "#167d6c", "#7161c3", "#128049", "#208128"],
    0: ["#b1890e", "#929246", "#b077cc", "#c970ab", "#9785bd", "#bb7f61", "#6594ac", "#8e8e8e"],
}
# Per actor class: a shape, a colour, and whether the border is dashed (to tell apart two
# classes that share a shape).
CLASS_STYLE: dict[str, tuple[str, str, bool]] = {
    "ArmedGroup": ("diamond", "#c0392b", False),
    "OrganisationalUnit": ("triangleDown", "#a93226", True),
    "State": ("square", "#1f5fa8", False),
    "Government": ("triangle", "#2e86c1", False),
    "GovernmentAgency": ("triangleDown", "#7d3c98", False),
    "IntergovernmentalOrganisation": ("star", "#1e8449", False),
    "ActorGroup": ("star", "#52be80", True),
    "Organisation": ("hexagon", "#8c564b", False),
    "Community": ("dot", "#e67e22", False),
    "PersonGroup": ("hexagon", "#b7950b", True),
    "Person": ("dot", "#d35fa0", True),
    "Place": ("square", "#aab7b8", True),
    "Event": ("star", "#f1c40f", True),
}
DEFAULT_CLASS_STYLE = ("dot", "#5d6d7e", True)
#: Font sizes: the most connected actors' labels are larger.
MAJOR_FONT, MINOR_FONT, MAJOR_COUNT = 22, 14, 10
#: Labels longer than this are drawn as their shortest alias, where the sources give one.
LONG_LABEL = 18
_TERMS = """
SELECT ?term ?label ?definition WHERE {
  { ?term rdfs:subClassOf+ ag:Actor } UNION { ?term a ag:Stance }
  OPTIONAL { ?term rdfs:label ?label }
  OPTIONAL { ?term skos:definition ?definition }
}"""
_SOURCES = """
SELECT ?source (MIN(?name) AS ?title) (MIN(?page) AS ?url) WHERE {
  ?source a ag:Source .
  OPTIONAL { ?source dcterms:title ?name }
  OPTIONAL { ?source rdfs:seeAlso ?page FILTER(isIRI(?page) && REGEX(STR(?page), "^https?://")) }
} GROUP BY ?source"""


@dataclass(frozen=True)
class ViewFilter:
    """What part of the graph a picture shows (all of it by default): one actor's neighbourhood
    to ``depth`` ties, these relation types, claims of these stances, valid at ``as_of`` (and
    undated ones), from these sources (ids or IRIs)."""

    actor: str | None = None
    depth: int = 1
    relations: tuple[str, ...] = ()
    stances: tuple[str, ...] = ()
    as_of: str | None = None
    sources: tuple[str, ...] = ()


@dataclass
class Tie:
    """One drawn edge: every statement of one relation between two actors."""

    id: str
    source: str
    target: str
    relation: str
    sign: int
    symmetric: bool
    statements: list[str] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    level: str = "denied"
    colour: str = ""
    width: float = 1.0


@dataclass
class Drawing:
    """Everything a page or a picture draws, computed once."""

    title: str
    nodes: list[dict[str, Any]]
    ties: list[Tie]
    statements: dict[str, dict[str, Any]]
    relations: dict[str, dict[str, Any]]
    classes: list[dict[str, Any]]
    stances: list[dict[str, Any]]
    sources: dict[str, dict[str, Any]]
    as_of: str | None = None


def build_drawing(
    kg: ActorGraph, view: ViewFilter | None = None, title: str | None = None
) -> Drawing:
    """Filter the statements, tie them, lay the actors out and style everything."""
    view = view or ViewFilter()
    if view.depth < 0:
        raise QueryError("parameter 'depth': expected a whole number of at least 0")
    vocabulary = _vocabulary(kg)
    actors = {a.iri: a for a in kg.actors()}
    undrawn: dict[str, int] = {}
    found = _statements(kg, view, actors, undrawn)
    node_ids = _node_ids(kg, view, found, actors)
    found = [s for s in found if s.subject_iri in node_ids and s.object_iri in node_ids]
    relations = _relation_styles({s.relation_iri for s in found}, vocabulary)
    voices = source_voices(kg.store)
    statements = {s.iri: _statement(kg, s, relations, voices) for s in found}
    ties = _ties(statements, relations)
    degree: dict[str, int] = defaultdict(int)
    for tie in ties:
        degree[tie.source] += 1
        degree[tie.target] += 1
    major = set(sorted(node_ids, key=lambda i: (-degree[i], i))[:MAJOR_COUNT])
    nodes = [_node(actors[i], degree[i], i in major, vocabulary, kg) for i in sorted(node_ids)]
    for node in nodes:
        node["undrawn"] = undrawn.get(node["id"], 0)
    boxes = {n["id"]: (n["boxWidth"], n["boxHeight"]) for n in nodes}
    positions = layout([n["id"] for n in nodes], [(t.source, t.target) for t in ties], boxes)
    for n in nodes:
        n["x"], n["y"] = positions[n["id"]]
    sources = _sources(kg)
    drawn = {s.evidence.source for s in found}  # the title names the sources of what is shown
    return Drawing(
        title=title or _title({iri: v for iri, v in sources.items() if iri in drawn} or sources),
        nodes=nodes,
        ties=ties,
        statements=statements,
        relations=relations,
        classes=_classes(vocabulary, nodes),
        stances=[
            {
                "stance": s.value,
                "label": vocabulary.get(s.iri, {}).get("label", s.value),
                "definition": vocabulary.get(s.iri, {}).get("definition", ""),
            }
            for s in Stance
        ],
        sources=sources,
        as_of=view.as_of,
    )


def level(stance: str, inferred: bool, own_voice: bool = True) -> str:
    """The drawing level of one claim (see :data:`LEVELS`); ``own_voice``: the party that
    asserts it is the source's author or publisher, not a party the source reports.

    >>> level("Asserted", False), level("Hedged", True), level("Asserted", False, False)
    ('asserted', 'inferred', 'reported')
    """
    if stance == "Denied":
        return "denied"
    if stance == "Disputed":
        return "disputed"
    if inferred:
        return "inferred"
    if stance == "Hedged":
        return "hedged"
    return "asserted" if own_voice else "reported"


def relation_colour(iri: str, sign: int) -> str:
    """A colour for a relation the ontology gives none: chosen from its sign's band by a stable
    hash of its IRI, so it is the same on every page.

    >>> relation_colour("https://example.org/vocab#funds", 1) == relation_colour(
    ...     "https://example.org/vocab#funds", 1)
    True
    """
    palette = _FALLBACK.get(sign, _FALLBACK[0])
    return palette[int(hashlib.sha256(iri.encode()).hexdigest(), 16) % len(palette)]


def _vocabulary(kg: ActorGraph) -> dict[str, dict[str, Any]]:
    """Labels and definitions of the classes and stances, and the relation types."""
    terms: dict[str, dict[str, Any]] = {}
    for row in kg.store.select(_TERMS, {}, PREFIXES).dicts():
        iri = str(row["term"])
        terms[iri] = {
            "iri": iri,
            "label": str(row["label"] or local_name(iri)),
            "definition": str(row["definition"] or ""),
        }
    for iri, kind in kg.relation_types().items():
        terms[iri] = {
            "iri": iri,
            "label": kind.label,
            "definition": kind.definition,
            "sign": kind.sign,
            "colour": kind.colour,
            "symmetric": kind.symmetric,
        }
    return terms


def _relation_styles(
    relations: Iterable[str], vocabulary: Mapping[str, Mapping[str, Any]]
) -> dict[str, dict[str, Any]]:
    styles = {}
    for iri in sorted(relations):
        known = vocabulary.get(iri)
        term: dict[str, Any] = dict(known) if known else {
            "iri": iri, "label": local_name(iri), "definition": "Not defined in the ontology.",
            "sign": 0, "colour": None, "symmetric": False,
        }  # fmt: skip
        sign = int(term["sign"])
        term["colour"] = term["colour"] or relation_colour(iri, sign)
        term["width"] = _SIGN_WIDTH[sign]
        styles[iri] = term
    return styles


def _statements(
    kg: ActorGraph, view: ViewFilter, actors: Mapping[str, Actor], undrawn: dict[str, int]
) -> list[Statement]:
    """The statements the view draws; ``undrawn`` counts, per actor, its negated claims and
    open questions, which are no ties."""
    relations = {kg.relation(r) for r in view.relations}
    stances = {Stance.parse(s) for s in view.stances}
    sources = {kg.source(s) for s in view.sources}
    if view.as_of is not None:
        make_literal("date", "as_of", view.as_of)  # one clear error for a malformed date
    kept = []
    for s in kg.statements():
        if s.subject_iri not in actors or s.object_iri not in actors:
            continue
        if s.polarity is Polarity.NEGATIVE or s.basis is Basis.OPEN_QUESTION:
            for end in {s.subject_iri, s.object_iri}:  # said in the actor's panel
                undrawn[end] = undrawn.get(end, 0) + 1
            continue  # a claim that a tie does not hold, or a question, is not a tie to draw
        if relations and s.relation_iri not in relations:
            continue
        if stances and s.stance not in stances:
            continue
        if sources and s.evidence.source not in sources:
            continue
        if view.as_of and not valid_at(s.valid_from, s.valid_until, view.as_of, s.attested_at):
            continue
        kept.append(s)
    return kept


def _node_ids(
    kg: ActorGraph,
    view: ViewFilter,
    found_statements: Iterable[Statement],
    actors: Mapping[str, Actor],
) -> set[str]:
    pairs = [(s.subject_iri, s.object_iri) for s in found_statements]
    if view.actor is None:
        if view.relations or view.as_of or view.stances or view.sources:
            return {node for pair in pairs for node in pair}
        return set(actors)
    center = kg.actor(view.actor)
    if center.iri not in actors:
        raise QueryError(
            f"{center.label!r} is a party that asserts claims, not an actor of the graph"
        )
    neighbours: dict[str, set[str]] = defaultdict(set)
    for a, b in pairs:
        neighbours[a].add(b)
        neighbours[b].add(a)
    found, frontier = {center.iri}, {center.iri}
    for _ in range(view.depth):
        frontier = {n for f in frontier for n in neighbours[f]} - found
        found |= frontier
    return found


def _statement(
    kg: ActorGraph,
    s: Statement,
    relations: Mapping[str, Mapping[str, Any]],
    voices: Mapping[str, set[str]],
) -> dict[str, Any]:
    style = relations[s.relation_iri]
    undated = s.valid_from is None and s.valid_until is None
    attested_only = s.attested_at if undated else None  # attested at one date: only then
    return {
        "id": s.iri,
        "from": s.subject_iri,
        "to": s.object_iri,
        "relation": s.relation_iri,
        "relationLabel": style["label"],
        "sign": style["sign"],
        "stance": s.stance.value,
        "level": level(
            s.stance.value,
            s.basis is Basis.INFERRED,
            own_voice(s, voices),
        ),
        "inferred": s.basis is Basis.INFERRED,
        "asserterLabel": kg.label(s.asserted_by_iri),
        "contested": [kg.actor(party).label for party in s.contested_by],
        "against": [kg.actor(party).label for party in s.against],
        "note": s.note,
        "context": s.evidence.context,
        "attestedAt": s.attested_at,
        "validFrom": s.valid_from,
        "validUntil": s.valid_until,
        "fromYear": _year(s.valid_from or attested_only),
        "untilYear": _year(s.valid_until or attested_only),
        "quote": s.evidence.quote,
        "source": s.evidence.source,
        "start": s.evidence.start,
        "end": s.evidence.end,
    }


def _ties(
    statements: Mapping[str, dict[str, Any]], relations: Mapping[str, Mapping[str, Any]]
) -> list[Tie]:
    ties: dict[tuple[str, str, str], Tie] = {}
    for sid in sorted(statements):
        s = statements[sid]
        style = relations[s["relation"]]
        a, b = s["from"], s["to"]
        if style["symmetric"] and b < a:
            a, b = b, a
        key = (s["relation"], a, b)
        tie = ties.get(key)
        if tie is None:
            digest = hashlib.sha1("|".join(key).encode()).hexdigest()[:16]
            tie = ties[key] = Tie(
                f"tie-{digest}",
                s["from"],
                s["to"],
                s["relation"],
                style["sign"],
                style["symmetric"],
                colour=style["colour"],
            )  # fmt: skip  (drawn the way its first statement runs)
        tie.statements.append(sid)
        tie.sources.add(s["source"])
        if _ORDER.index(s["level"]) < _ORDER.index(tie.level):
            tie.level = s["level"]
        s["tie"] = tie.id
    for tie in ties.values():
        tie.width = round(_SIGN_WIDTH[tie.sign] * (1 + 0.45 * math.log2(len(tie.statements))), 2)
    return sorted(ties.values(), key=lambda t: (t.relation, t.source, t.target))


def _node(
    actor: Actor, degree: int, major: bool, vocabulary: Mapping[str, Any], kg: ActorGraph
) -> dict[str, Any]:
    shape, colour, dashed = CLASS_STYLE.get(actor.kind, DEFAULT_CLASS_STYLE)
    font = MAJOR_FONT if major else MINOR_FONT
    size = round(8 + 3.5 * degree**0.5, 1)
    label = _short_label(actor)
    return {
        "id": actor.iri,
        "label": label,
        "fullLabel": actor.label,
        "aliases": list(actor.aliases),
        "searchNames": list(kg.search_names(actor)),
        "kind": actor.kind,
        "kindLabel": vocabulary.get(AG[actor.kind], {}).get("label", actor.kind),
        "shape": shape,
        "colour": colour,
        "dashed": dashed,
        "size": size,
        "font": font,
        "major": major,
        "degree": degree,
        # the node with its label below it, as the page draws them
        "boxWidth": round(max(2 * size, 0.58 * font * len(label)), 1),
        "boxHeight": round(2 * size + 1.5 * font, 1),
    }


def _short_label(actor: Actor) -> str:
    """The name drawn on the canvas: a long label's shortest alias from the sources ("IS-K" for
    "Islamic State Khorasan Province"); the panel shows the full label.

    >>> isk = Actor("isk", "Islamic State Khorasan Province", ("IS-K", "ISIS-K"), "ArmedGroup")
    >>> _short_label(isk)
    'IS-K'
    """
    if len(actor.label) <= LONG_LABEL:
        return actor.label
    shorter = [a for a in actor.aliases if 2 <= len(a) < len(actor.label)]
    return min(shorter, key=lambda a: (len(a), a)) if shorter else actor.label


def _classes(vocabulary: Mapping[str, Any], nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    classes = []
    for kind in sorted({n["kind"] for n in nodes}):
        shape, colour, dashed = CLASS_STYLE.get(kind, DEFAULT_CLASS_STYLE)
        term = vocabulary.get(AG[kind], {})
        classes.append(
            {
                "kind": kind,
                "label": term.get("label", kind),
                "definition": term.get("definition", ""),
                "shape": shape,
                "colour": colour,
                "dashed": dashed,
            }
        )
    return classes


def _sources(kg: ActorGraph) -> dict[str, dict[str, Any]]:
    rows = kg.store.select(_SOURCES, {}, PREFIXES).dicts()
    return {
        str(r["source"]): {
            "title": str(r["title"] or local_name(str(r["source"]))),
            "url": r["url"],
        }
        for r in rows
    }


def _title(sources: Mapping[str, Mapping[str, Any]]) -> str:
    titles = sorted(source["title"] for source in sources.values())
    return "Actor graph: " + "; ".join(titles) if titles else "Actor graph"


def _year(value: object) -> int | None:
    if value is None:
        return None
    text = str(value)
    year = int(text.lstrip("-").split("-")[0])
    return -year if text.startswith("-") else year
