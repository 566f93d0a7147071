"""The interactive graph view: one self-contained, offline HTML page.

The network is assembled as a pyvis ``Network`` (nodes and edges filled directly: pyvis's
``add_node``/``add_edge`` scan lists and make building quadratic) and rendered with our own
autoescaping template, with vis-network's script and style (shipped inside pyvis) inlined.
All graph data travels as one JSON block and is shown by the page's script as text only.

>>> from actorgraph import ActorGraph
>>> html = render_view(ActorGraph.load())
>>> html.startswith("<!doctype html>"), "<script src" in html, "<link" in html
(True, False, False)
"""

from __future__ import annotations

import functools
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ActorGraphError, QueryError
from .files import atomic_write
from .layout import layout
from .model import Actor, Evidence, Stance, local_name
from .namespaces import AG, PREFIXES
from .periods import valid_at
from .queries import make_literal

if TYPE_CHECKING:
    import jinja2

    from .graph import ActorGraph

__all__ = ["PHYSICS_MAX_NODES", "ViewFilter", "render_view", "write_view"]

#: Above this many nodes the page starts with physics off (positions come from the layout).
PHYSICS_MAX_NODES = 300

_TEMPLATES = Path(__file__).resolve().parent / "templates"
_VIS = "vis-9.1.2"  # the vis-network build pyvis 0.3.2 ships
# Per actor class: a shape vis-network sizes by degree, a colour, and whether the border is
# dashed (to tell apart two classes that share a shape).
_CLASS_STYLE: dict[str, tuple[str, str, bool]] = {
    "ArmedGroup": ("diamond", "#c0392b", False),
    "State": ("square", "#1f5fa8", False),
    "Government": ("triangle", "#2e86c1", False),
    "GovernmentAgency": ("triangleDown", "#7d3c98", False),
    "OrganisationalUnit": ("triangleDown", "#a93226", True),
    "IntergovernmentalOrganisation": ("star", "#1e8449", False),
    "ActorGroup": ("star", "#52be80", True),
    "Organisation": ("hexagon", "#8c564b", False),
    "Community": ("dot", "#e67e22", False),
    "Person": ("dot", "#d35fa0", True),
    "PersonGroup": ("hexagon", "#b7950b", True),
    "Place": ("square", "#aab7b8", True),
    "Event": ("star", "#f1c40f", True),
}
_DEFAULT_CLASS_STYLE = ("dot", "#5d6d7e", True)
# Relation colours by sign, each group in its own band of lightness so that the groups stay
# apart in greyscale (conflict dark and thick, cooperation mid-tone, structural light and thin);
# within a group, hue tells the relation types apart.
_SIGN_STYLE: dict[int, tuple[float, list[str]]] = {
    -1: (3.5, ["#8b0000", "#4a1486", "#7f2704", "#67000d", "#3f007d", "#6a3d00", "#a50f15"]),
    1: (2.5, ["#238b45", "#2c7fb8", "#6a51a3", "#31a354", "#1d91c0", "#807dba", "#41ab5d"]),
    0: (
        1.3,
        [
            "#bdbdbd", "#9ecae1", "#c994c7", "#fdae6b", "#a1d99b", "#bcbddc", "#fcbba1",
            "#c7e9c0", "#fdd0a2", "#d9d9d9", "#dadaeb", "#c6dbef", "#fa9fb5", "#e5d8bd",
            "#ccebc5", "#decbe4",
        ],
    ),
}  # fmt: skip
_STANCE_DASHES: dict[str, Any] = {
    "Asserted": False,
    "Hedged": [10, 6],
    "Disputed": [2, 5],
    "Denied": [12, 4, 2, 4],
}
_ONTOLOGY = """
SELECT ?term ?kind ?label ?definition ?sign ?symmetric WHERE {
  {
    ?term rdfs:subClassOf+ ag:Actor . BIND("class" AS ?kind)
  } UNION {
    ?term a ag:Relation . BIND("relation" AS ?kind)
    OPTIONAL { ?term ag:sign ?sign }
    BIND(EXISTS { ?term a owl:SymmetricProperty } AS ?symmetric)
  } UNION {
    ?term a ag:Stance . BIND("stance" AS ?kind)
  }
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
    """What part of the graph a page shows (all of it by default)."""

    actor: str | None = None
    depth: int = 1
    relations: tuple[str, ...] = ()
    as_of: str | None = None


def write_view(
    kg: ActorGraph, path: str | Path, view: ViewFilter = ViewFilter(), *, title: str | None = None
) -> Path:
    """Write the page to ``path`` (UTF-8), replacing it only once the whole page is written."""
    return atomic_write(path, render_view(kg, view, title=title))


@functools.cache
def templates() -> jinja2.Environment:
    """The package's HTML templates (made once), autoescaping every value they insert."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES), autoescape=jinja2.select_autoescape(["html"])
    )


def render_view(
    kg: ActorGraph, view: ViewFilter = ViewFilter(), *, title: str | None = None
) -> str:
    """The page as a string: a self-contained HTML document."""
    from pyvis.network import Network

    if view.depth < 0:
        raise QueryError("parameter 'depth': expected a whole number of at least 0")
    vocabulary = _vocabulary(kg)
    actors = {a.iri: a for a in kg.actors()}
    statements = _statements(kg, view, actors)
    node_ids = _node_ids(kg, view, statements, actors)
    statements = [s for s in statements if s["subject"] in node_ids and s["object"] in node_ids]
    relation_styles = _relation_styles({s["relation"] for s in statements}, vocabulary)
    positions = _positions(node_ids, statements)
    degree: dict[str, int] = defaultdict(int)
    for s in statements:
        degree[s["subject"]] += 1
        degree[s["object"]] += 1

    net = Network(directed=True, heading=title or _title(kg), cdn_resources="in_line")
    net.nodes = [
        _node(actors[i], positions[i], degree[i], vocabulary, kg.search_names(actors[i]))
        for i in sorted(node_ids)
    ]
    net.edges = _edges(kg, statements, relation_styles, curved=len(node_ids) <= PHYSICS_MAX_NODES)
    net.options = _options(len(node_ids))
    nodes, edges, heading, _, _, options = net.get_network_data()

    payload = {
        "nodes": nodes,
        "edges": edges,
        "options": json.loads(options),
        "legend": _legend(vocabulary, nodes, relation_styles),
        "sources": _sources(kg),
        "asOf": view.as_of,
    }
    return (
        templates()
        .get_template("view.html")
        .render(
            heading=heading,
            payload=payload,
            vis_js=_inline(_vis_asset("vis-network.min.js"), "script"),
            vis_css=_inline(_vis_asset("vis-network.css"), "style"),
            page_js=_inline((_TEMPLATES / "view.js").read_text(encoding="utf-8"), "script"),
            page_css=_inline((_TEMPLATES / "view.css").read_text(encoding="utf-8"), "style"),
        )
    )


def _vocabulary(kg: ActorGraph) -> dict[str, dict[str, Any]]:
    terms: dict[str, dict[str, Any]] = {}
    for row in kg.store.select(_ONTOLOGY, {}, PREFIXES).dicts():
        iri = str(row["term"])
        terms[iri] = {
            "iri": iri,
            "label": str(row["label"] or local_name(iri)),
            "definition": str(row["definition"] or ""),
            "sign": int(row["sign"] or 0) if row["kind"] == "relation" else None,
            "symmetric": bool(row["symmetric"]),
        }
    return terms


def _relation_styles(
    relations: Iterable[str], vocabulary: Mapping[str, Mapping[str, Any]]
) -> dict[str, dict[str, Any]]:
    """A distinct colour and a width for each relation type the page shows."""
    styles: dict[str, dict[str, Any]] = {}
    used: dict[int, int] = defaultdict(int)
    for iri in sorted(relations, key=local_name):
        known = vocabulary.get(iri)
        term = dict(known) if known else {
            "iri": iri,
            "label": local_name(iri),
            "definition": "Not defined in the ontology.",
            "sign": 0,
            "symmetric": False,
        }  # fmt: skip
        width, palette = _SIGN_STYLE.get(term["sign"], _SIGN_STYLE[0])
        term["color"] = palette[used[term["sign"]] % len(palette)]
        term["width"] = width
        used[term["sign"]] += 1
        styles[iri] = term
    return styles


def _statements(
    kg: ActorGraph, view: ViewFilter, actors: Mapping[str, Actor]
) -> list[dict[str, Any]]:
    relations = {kg.relation(r) for r in view.relations}
    if view.as_of is not None:
        make_literal("date", "as_of", view.as_of)  # one clear error for a malformed date
    kept = []
    for row in kg.query("statements").dicts():
        if row["subject"] not in actors or row["object"] not in actors:
            continue
        if relations and row["relation"] not in relations:
            continue
        dates = (row["validFrom"], row["validUntil"])
        if view.as_of and not valid_at(*dates, view.as_of, row["attestedAt"]):  # type: ignore[arg-type]
            continue
        if row["polarity"] == AG["Negative"] or row["basis"] == AG["OpenQuestion"]:
            continue  # a claim that a tie does not hold, or a question, is not a tie to draw
        kept.append(row)
    return kept


def _node_ids(
    kg: ActorGraph,
    view: ViewFilter,
    statements: Iterable[Mapping[str, Any]],
    actors: Mapping[str, Actor],
) -> set[str]:
    edges = [(s["subject"], s["object"]) for s in statements]
    if view.actor is None:
        if view.relations or view.as_of:
            return {node for edge in edges for node in edge}
        return set(actors)
    import networkx as nx

    center = kg.actor(view.actor)
    if center.iri not in actors:
        raise QueryError(
            f"{center.label!r} is a party that asserts claims, not an actor of the graph"
        )
    graph = nx.Graph(edges)
    graph.add_node(center.iri)
    return set(nx.single_source_shortest_path_length(graph, center.iri, cutoff=view.depth))


def _positions(
    node_ids: set[str], statements: Iterable[Mapping[str, Any]]
) -> dict[str, tuple[float, float]]:
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(sorted(node_ids))
    graph.add_edges_from((s["subject"], s["object"]) for s in statements)
    return layout(graph)


def _node(
    actor: Actor,
    position: tuple[float, float],
    degree: int,
    vocabulary: Mapping[str, Any],
    search_names: Iterable[str] = (),
) -> dict[str, Any]:
    shape, color, dashed = _CLASS_STYLE.get(actor.kind, _DEFAULT_CLASS_STYLE)
    return {
        "id": actor.iri,
        "label": actor.label,
        "aliases": list(actor.aliases),
        "searchNames": list(search_names),
        "kind": actor.kind,
        "kindLabel": vocabulary.get(AG[actor.kind], {}).get("label", actor.kind),
        "shape": shape,
        "color": {
            "background": color,
            "border": "#1b1b1b",
            "highlight": {"background": color, "border": "#000000"},
        },
        "shapeProperties": {"borderDashes": [3, 2] if dashed else False},
        "borderWidth": 2 if dashed else 1,
        "size": round(10 + 4 * degree**0.5, 1),
        "degree": degree,
        "x": position[0],
        "y": position[1],
    }


def _edges(
    kg: ActorGraph,
    statements: list[dict[str, Any]],
    styles: Mapping[str, Mapping[str, Any]],
    *,
    curved: bool,
) -> list[dict[str, Any]]:
    parallel: dict[frozenset[str], int] = defaultdict(int)
    edges = []
    for s in statements:
        style = styles[s["relation"]]
        stance = Stance.parse(s["stance"]).value
        pair = frozenset((s["subject"], s["object"]))
        undated = s["validFrom"] is None and s["validUntil"] is None
        dated_only = s["attestedAt"] if undated else None  # attested at one date: only then
        rank = parallel[pair]
        parallel[pair] += 1
        edge = {
            "id": s["statement"],
            "from": s["subject"],
            "to": s["object"],
            "relation": s["relation"],
            "relationLabel": style["label"],
            "sign": style["sign"],
            "stance": stance,
            "asserterLabel": kg.label(s["assertedBy"]),
            "contested": [kg.label(iri) for iri in str(s["contestedBy"] or "").split()],
            "against": [kg.label(iri) for iri in str(s["against"] or "").split()],
            "inferred": s["basis"] == AG["Inferred"],
            "note": s["note"],
            "context": kg.context(
                Evidence(str(s["source"]), str(s["quote"]), int(s["start"]), int(s["end"]))
            ),
            "attestedAt": s["attestedAt"],
            "validFrom": s["validFrom"],
            "validUntil": s["validUntil"],
            "fromYear": _year(s["validFrom"] or dated_only),
            "untilYear": _year(s["validUntil"] or dated_only),
            "quote": s["quote"],
            "source": s["source"],
            "start": s["start"],
            "end": s["end"],
            "arrows": "" if style["symmetric"] else "to",
            "color": {
                "color": style["color"],
                "highlight": style["color"],
                "hover": style["color"],
            },
            "width": style["width"],
            "dashes": _STANCE_DASHES[stance],
        }
        if curved:
            if rank:
                side = "curvedCW" if rank % 2 else "curvedCCW"
                edge["smooth"] = {
                    "enabled": True,
                    "type": side,
                    "roundness": 0.12 * ((rank + 1) // 2),
                }
            else:
                edge["smooth"] = {"enabled": False}
        edges.append(edge)
    return edges


def _year(value: object) -> int | None:
    if value is None:
        return None
    text = str(value)
    year = int(text.lstrip("-").split("-")[0])
    return -year if text.startswith("-") else year


def _options(node_count: int) -> dict[str, Any]:
    physics = node_count <= PHYSICS_MAX_NODES
    large = node_count > 1000
    return {
        "autoResize": True,
        "layout": {"improvedLayout": False},
        "physics": {
            "enabled": physics,
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -20000,
                "centralGravity": 0.15,
                "springLength": 260,
                "springConstant": 0.015,
                "avoidOverlap": 0.6,
            },
            "stabilization": {"enabled": physics, "iterations": 200, "fit": True},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "multiselect": True,
        },
        "nodes": {
            "font": {
                "size": 20,
                "face": "system-ui, sans-serif",
                "strokeWidth": 4,
                "strokeColor": "#ffffff",
            },
        },
        "edges": {
            "smooth": {"enabled": True, "type": "continuous"} if physics else False,
            "selectionWidth": 2,
            "arrowStrikethrough": False,
        },
    }


def _legend(
    vocabulary: Mapping[str, Any],
    nodes: list[dict[str, Any]],
    relation_styles: Mapping[str, Mapping[str, Any]],
) -> dict[str, Any]:
    classes = []
    for kind in sorted({n["kind"] for n in nodes}):
        shape, color, dashed = _CLASS_STYLE.get(kind, _DEFAULT_CLASS_STYLE)
        term = vocabulary.get(AG[kind], {})
        classes.append(
            {
                "kind": kind,
                "label": term.get("label", kind),
                "definition": term.get("definition", ""),
                "shape": shape,
                "color": color,
                "dashed": dashed,
            }
        )
    keys = ("iri", "label", "definition", "sign", "symmetric", "color", "width")
    relations = sorted(
        ({key: style[key] for key in keys} for style in relation_styles.values()),
        key=lambda r: (-r["sign"], r["label"]),
    )
    stances = [
        {
            "stance": stance.value,
            "label": vocabulary.get(stance.iri, {}).get("label", stance.value),
            "definition": vocabulary.get(stance.iri, {}).get("definition", ""),
            "dashes": _STANCE_DASHES[stance.value],
        }
        for stance in Stance
    ]
    return {"classes": classes, "relations": relations, "stances": stances}


def _sources(kg: ActorGraph) -> dict[str, dict[str, Any]]:
    rows = kg.store.select(_SOURCES, {}, PREFIXES).dicts()
    return {
        str(r["source"]): {
            "title": str(r["title"] or local_name(str(r["source"]))),
            "url": r["url"],
        }
        for r in rows
    }


def _title(kg: ActorGraph) -> str:
    titles = sorted(source["title"] for source in _sources(kg).values())
    return "Actor graph: " + "; ".join(titles) if titles else "Actor graph"


def _vis_asset(name: str) -> str:
    import pyvis

    path = Path(pyvis.__file__).resolve().parent / "lib" / _VIS / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        raise ActorGraphError(
            f"{path}: vis-network asset missing from pyvis; reinstall pyvis"
        ) from None


def _inline(text: str, element: str) -> str:
    """Make ``text`` safe to place inside a ``<script>`` or ``<style>`` element."""
    return re.sub(f"</({element})", r"<\\/\1", text, flags=re.IGNORECASE)
