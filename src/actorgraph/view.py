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

import calendar
import json
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ActorGraphError, QueryError
from .layout import layout
from .model import Stance, local_name
from .namespaces import PREFIXES
from .queries import make_literal

if TYPE_CHECKING:
    from .graph import ActorGraph

__all__ = ["PHYSICS_MAX_NODES", "ViewFilter", "render_view", "write_view"]

#: Above this many nodes the page starts with physics off (positions come from the layout).
PHYSICS_MAX_NODES = 300

_TEMPLATES = Path(__file__).resolve().parent / "templates"
_CLASS_STYLE = {  # shape, colour; shapes that vis-network sizes by value
    "ArmedGroup": ("diamond", "#c0392b"),
    "State": ("square", "#1f5fa8"),
    "Government": ("triangle", "#2e86c1"),
    "GovernmentAgency": ("triangleDown", "#7d3c98"),
    "IntergovernmentalOrganisation": ("star", "#1e8449"),
    "Organisation": ("hexagon", "#8c564b"),
    "Community": ("dot", "#e67e22"),
    "Person": ("dot", "#d35fa0"),
    "PersonGroup": ("hexagon", "#b7950b"),
    "Place": ("square", "#909497"),
    "Event": ("star", "#f1c40f"),
}
_DEFAULT_STYLE = ("dot", "#5d6d7e")
# Conflict relations dark and thick, cooperation mid-tone, structural light and thin: the three
# stay apart in greyscale too; hue tells the relation types of one sign apart.
_SIGN_PALETTES = {
    -1: ["#a50026", "#67001f", "#d7301f", "#7f2704", "#b2182b"],
    1: ["#1a9850", "#2171b5", "#41ab5d", "#4292c6", "#238b45", "#6baed6"],
    0: ["#969696", "#a6bddb", "#bdbdbd", "#9ecae1", "#c7c7c7", "#d9d9d9"],
}
_SIGN_WIDTH = {-1: 3.5, 1: 2.5, 0: 1.2}
_STANCE_DASHES: dict[str, Any] = {
    "Asserted": False,
    "Hedged": [8, 6],
    "Disputed": [2, 6],
    "Denied": [2, 6],
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
SELECT ?source ?title ?url WHERE {
  ?source a ag:Source . OPTIONAL { ?source dcterms:title ?title }
  OPTIONAL { ?source rdfs:seeAlso ?url FILTER(STRSTARTS(STR(?url), "http")) }
}"""


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
    path = Path(path)
    html = render_view(kg, view, title=title)
    folder = path.resolve().parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, staging = tempfile.mkstemp(prefix=f".{path.name}-", dir=folder)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(html)
        os.chmod(staging, 0o666 & ~_umask())  # mkstemp makes files private; a page is not
        os.replace(staging, path)
    except OSError as error:
        raise ActorGraphError(f"{path}: cannot write the view: {error.strerror}") from None
    return path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def render_view(
    kg: ActorGraph, view: ViewFilter = ViewFilter(), *, title: str | None = None
) -> str:
    """The page as a string: a self-contained HTML document."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from pyvis.network import Network

    if view.depth < 0:
        raise QueryError("parameter 'depth': expected a whole number of at least 0")
    vocabulary = _vocabulary(kg)
    statements = _statements(kg, view)
    actors = {a.iri: a for a in kg.actors()}
    node_ids = _node_ids(kg, view, statements, actors)
    statements = [s for s in statements if s["subject"] in node_ids and s["object"] in node_ids]
    positions = _positions(node_ids, statements)
    degree: dict[str, int] = defaultdict(int)
    for s in statements:
        degree[s["subject"]] += 1
        degree[s["object"]] += 1

    net = Network(
        height="100%",
        width="100%",
        directed=True,
        heading=title or _title(kg),
        cdn_resources="in_line",
    )
    net.nodes = [_node(actors[i], positions[i], degree[i], vocabulary) for i in sorted(node_ids)]
    net.edges = _edges(kg, statements, vocabulary, len(node_ids))
    net.options = _options(len(node_ids))
    nodes, edges, heading, _, _, options = net.get_network_data()

    payload = {
        "nodes": nodes,
        "edges": edges,
        "options": json.loads(options),
        "legend": _legend(vocabulary, nodes, edges),
        "sources": _sources(kg),
        "asOf": view.as_of,
        "physicsMaxNodes": PHYSICS_MAX_NODES,
    }
    env = Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=select_autoescape(["html"]))
    return env.get_template("view.html").render(
        heading=heading,
        payload=payload,
        vis_js=_inline(_vis_asset("vis-network.min.js"), "script"),
        vis_css=_inline(_vis_asset("vis-network.css"), "style"),
        page_js=_inline((_TEMPLATES / "view.js").read_text(encoding="utf-8"), "script"),
        page_css=_inline((_TEMPLATES / "view.css").read_text(encoding="utf-8"), "style"),
    )


def period_bounds(value: str) -> tuple[str, str]:
    """First and last day of a year, month or day: ``"2020-05"`` → ``("2020-05-01", "2020-05-31")``.

    >>> period_bounds("2019"), period_bounds("2021-02")
    (('2019-01-01', '2019-12-31'), ('2021-02-01', '2021-02-28'))
    """
    parts = value.split("-")
    if len(parts) == 1:
        return f"{value}-01-01", f"{value}-12-31"
    if len(parts) == 2:
        last = calendar.monthrange(int(parts[0]), int(parts[1]))[1]
        return f"{value}-01", f"{value}-{last:02d}"
    return value[:10], value[:10]


def valid_at(valid_from: str | None, valid_until: str | None, when: str) -> bool:
    """Whether a relation with this period holds at some time during ``when``; undated: yes."""
    start, end = period_bounds(when)
    if valid_from is not None and period_bounds(valid_from)[0] > end:
        return False
    return valid_until is None or period_bounds(valid_until)[1] >= start


def _vocabulary(kg: ActorGraph) -> dict[str, dict[str, Any]]:
    terms: dict[str, dict[str, Any]] = {}
    for row in kg.store.select(_ONTOLOGY, {}, PREFIXES).dicts():
        iri = str(row["term"])
        terms[iri] = {
            "iri": iri,
            "kind": row["kind"],
            "label": str(row["label"] or local_name(iri)),
            "definition": str(row["definition"] or ""),
            "sign": int(row["sign"] or 0) if row["kind"] == "relation" else None,
            "symmetric": bool(row["symmetric"]),
        }
    by_sign: dict[int, list[str]] = defaultdict(list)
    for iri, term in sorted(terms.items(), key=lambda item: local_name(item[0])):
        if term["kind"] == "relation":
            by_sign[term["sign"]].append(iri)
    for sign, iris in by_sign.items():
        palette = _SIGN_PALETTES.get(sign, _SIGN_PALETTES[0])
        for index, iri in enumerate(iris):
            terms[iri]["color"] = palette[index % len(palette)]
            terms[iri]["width"] = _SIGN_WIDTH.get(sign, 1.2)
    return terms


def _statements(kg: ActorGraph, view: ViewFilter) -> list[dict[str, Any]]:
    relations = {kg.relation(r) for r in view.relations}
    if view.as_of is not None:
        make_literal("date", "as_of", view.as_of)  # one clear error for a malformed date
    kept = []
    for row in kg.query("statements").dicts():
        if relations and row["relation"] not in relations:
            continue
        if view.as_of and not valid_at(row["validFrom"], row["validUntil"], view.as_of):  # type: ignore[arg-type]
            continue
        kept.append(row)
    return kept


def _node_ids(
    kg: ActorGraph,
    view: ViewFilter,
    statements: Iterable[Mapping[str, Any]],
    actors: Mapping[str, Any],
) -> set[str]:
    edges = [
        (s["subject"], s["object"])
        for s in statements
        if s["subject"] in actors and s["object"] in actors
    ]
    if view.actor is None:
        return (
            set(actors)
            if not (view.relations or view.as_of)
            else {n for edge in edges for n in edge}
        )
    import networkx as nx

    center = kg.actor(view.actor).iri
    graph = nx.Graph(edges)
    graph.add_node(center)
    return set(nx.single_source_shortest_path_length(graph, center, cutoff=view.depth))


def _positions(
    node_ids: set[str], statements: Iterable[Mapping[str, Any]]
) -> dict[str, tuple[float, float]]:
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(sorted(node_ids))
    graph.add_edges_from((s["subject"], s["object"]) for s in statements)
    return layout(graph)


def _node(
    actor: Any, position: tuple[float, float], degree: int, vocabulary: Mapping[str, Any]
) -> dict[str, Any]:
    shape, color = _CLASS_STYLE.get(actor.kind, _DEFAULT_STYLE)
    kind_iri = PREFIXES["ag"] + actor.kind
    return {
        "id": actor.iri,
        "label": actor.label,
        "aliases": list(actor.aliases),
        "kind": actor.kind,
        "kindLabel": vocabulary.get(kind_iri, {}).get("label", actor.kind),
        "shape": shape,
        "color": {
            "background": color,
            "border": "#1b1b1b",
            "highlight": {"background": color, "border": "#000000"},
        },
        "size": round(10 + 4 * degree**0.5, 1),
        "degree": degree,
        "x": position[0],
        "y": position[1],
    }


def _edges(
    kg: ActorGraph, statements: list[dict[str, Any]], vocabulary: Mapping[str, Any], node_count: int
) -> list[dict[str, Any]]:
    parallel: dict[frozenset[str], int] = defaultdict(int)
    edges = []
    curved = node_count <= PHYSICS_MAX_NODES
    for s in statements:
        relation = vocabulary.get(
            s["relation"],
            {
                "label": local_name(s["relation"]),
                "sign": 0,
                "symmetric": False,
                "color": "#969696",
                "width": 1.2,
            },
        )
        stance = Stance.parse(s["stance"]).value
        pair = frozenset((s["subject"], s["object"]))
        rank = parallel[pair]
        parallel[pair] += 1
        edge = {
            "id": s["statement"],
            "from": s["subject"],
            "to": s["object"],
            "relation": s["relation"],
            "relationLabel": relation["label"],
            "sign": relation["sign"],
            "stance": stance,
            "asserter": s["assertedBy"],
            "asserterLabel": _party_label(kg, s["assertedBy"]),
            "contested": [_party_label(kg, iri) for iri in str(s["contestedBy"] or "").split()],
            "validFrom": s["validFrom"],
            "validUntil": s["validUntil"],
            "fromYear": _year(s["validFrom"]),
            "untilYear": _year(s["validUntil"]),
            "quote": s["quote"],
            "source": s["source"],
            "start": s["start"],
            "end": s["end"],
            "arrows": "" if relation["symmetric"] else "to",
            "color": {
                "color": relation["color"],
                "highlight": relation["color"],
                "hover": relation["color"],
                "opacity": 0.55 if stance in ("Disputed", "Denied") else 1.0,
            },
            "width": relation["width"],
            "dashes": _STANCE_DASHES[stance],
        }
        if curved:
            bend = 0.12 * ((rank + 1) // 2)
            edge["smooth"] = (
                {
                    "enabled": True,
                    "type": "curvedCW" if rank % 2 else "curvedCCW",
                    "roundness": bend,
                }
                if rank
                else {"enabled": False}
            )
        edges.append(edge)
    return edges


def _party_label(kg: ActorGraph, iri: str) -> str:
    try:
        return kg.actor(iri).label
    except ActorGraphError:
        return local_name(iri)


def _year(value: object) -> int | None:
    return (
        None
        if value is None
        else int(str(value).lstrip("-")[:4]) * (-1 if str(value).startswith("-") else 1)
    )


def _options(node_count: int) -> dict[str, Any]:
    physics = node_count <= PHYSICS_MAX_NODES
    large = node_count > 1000
    return {
        "autoResize": True,
        "layout": {"improvedLayout": False, "randomSeed": 7},
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
            "scaling": {"label": {"enabled": True, "min": 14, "max": 30, "drawThreshold": 4}},
            "borderWidth": 1,
        },
        "edges": {
            "smooth": False if not physics else {"enabled": True, "type": "continuous"},
            "selectionWidth": 2,
            "arrowStrikethrough": False,
        },
    }


def _legend(
    vocabulary: Mapping[str, Any], nodes: list[dict[str, Any]], edges: list[dict[str, Any]]
) -> dict[str, Any]:
    kinds = sorted({n["kind"] for n in nodes})
    relations = sorted(
        {e["relation"] for e in edges}, key=lambda iri: vocabulary.get(iri, {}).get("label", iri)
    )
    stances = [s.value for s in Stance]
    return {
        "classes": [
            {
                "kind": kind,
                "label": vocabulary.get(PREFIXES["ag"] + kind, {}).get("label", kind),
                "definition": vocabulary.get(PREFIXES["ag"] + kind, {}).get("definition", ""),
                "shape": _CLASS_STYLE.get(kind, _DEFAULT_STYLE)[0],
                "color": _CLASS_STYLE.get(kind, _DEFAULT_STYLE)[1],
            }
            for kind in kinds
        ],
        "relations": [
            {
                key: vocabulary[iri][key]
                for key in ("iri", "label", "definition", "sign", "symmetric", "color", "width")
            }
            for iri in relations
            if iri in vocabulary
        ],
        "stances": [
            {
                "stance": stance,
                "label": vocabulary.get(PREFIXES["ag"] + stance, {}).get("label", stance),
                "definition": vocabulary.get(PREFIXES["ag"] + stance, {}).get("definition", ""),
                "dashes": _STANCE_DASHES[stance],
            }
            for stance in stances
        ],
    }


def _sources(kg: ActorGraph) -> dict[str, dict[str, str | None]]:
    return {
        str(row["source"]): {
            "title": str(row["title"] or local_name(str(row["source"]))),
            "url": row["url"],
        }  # type: ignore[dict-item]
        for row in kg.store.select(_SOURCES, {}, PREFIXES).dicts()
    }


def _title(kg: ActorGraph) -> str:
    titles = sorted(source["title"] or "" for source in _sources(kg).values())
    return "Actor graph: " + "; ".join(titles) if titles else "Actor graph"


def _vis_asset(name: str) -> str:
    import pyvis

    return (Path(pyvis.__file__).resolve().parent / "lib" / "vis-9.1.2" / name).read_text(
        encoding="utf-8"
    )


def _inline(text: str, element: str) -> str:
    """Make ``text`` safe to place inside a ``<script>`` or ``<style>`` element."""
    return text.replace(f"</{element}", f"<\\/{element}")
