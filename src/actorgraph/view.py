"""The interactive graph view: one self-contained, offline HTML page.

What is drawn comes from :mod:`actorgraph.drawing` (fixed positions, one tie per pair and
relation, colours from the ontology); this module turns it into vis-network nodes and edges and
renders the page with our own autoescaping template, with vis-network's script and style (shipped
inside pyvis) inlined. All graph data travels as one JSON block and is shown by the page's
script as text only. The page runs no physics: positions never move.

>>> from actorgraph import ActorGraph
>>> html = render_view(ActorGraph.load())
>>> html.startswith("<!doctype html>"), "<script src" in html, "<link" in html
(True, False, False)
"""

from __future__ import annotations

import functools
import html as html_escape
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .drawing import LEVELS, Drawing, ViewFilter, build_drawing
from .errors import ActorGraphError
from .files import atomic_write, in_existing_folder

if TYPE_CHECKING:
    import jinja2

    from .graph import ActorGraph

__all__ = ["View", "ViewFilter", "render_view", "write_view"]

_TEMPLATES = Path(__file__).resolve().parent / "templates"
_VIS = "vis-9.1.2"  # the vis-network build pyvis 0.3.2 ships


class View:
    """A rendered view: the page (``html``), savable to a file, shown inline by Jupyter (in a
    sandboxed frame: no file, no network), and as a static SVG picture (``svg()``).

    >>> from actorgraph import ActorGraph
    >>> view = ActorGraph.load().view(actor="TTP")
    >>> view.html.startswith("<!doctype html>"), "<svg" in view.svg()
    (True, True)
    """

    def __init__(self, drawing: Drawing) -> None:
        self.drawing = drawing

    @functools.cached_property
    def html(self) -> str:
        return _render(self.drawing)

    def svg(self) -> str:
        """The same drawing as a static SVG picture with its legend, for reports."""
        from .picture import render_svg

        return render_svg(self.drawing)

    def save(self, path: str | Path) -> Path:
        """Write the page (``.html``) or the picture (``.svg``) to ``path``, whole or not at all."""
        path = in_existing_folder(path)
        text = self.svg() if path.suffix.lower() == ".svg" else self.html
        return atomic_write(path, text)

    def __repr__(self) -> str:
        drawing = self.drawing
        return (
            f"<View: {len(drawing.nodes)} actors, {len(drawing.ties)} ties, "
            f"{len(drawing.statements)} statements; .save(path) writes the page (.html) or the "
            "picture (.svg), .svg() gives the picture>"
        )

    def _repr_html_(self) -> str:
        source = html_escape.escape(self.html, quote=True)
        return (
            f'<iframe srcdoc="{source}" sandbox="allow-scripts" '
            'style="width:100%;height:720px;border:1px solid #ddd"></iframe>'
        )


def write_view(
    kg: ActorGraph, path: str | Path, view: ViewFilter | None = None, *, title: str | None = None
) -> Path:
    """Write the page to ``path`` (UTF-8), replacing it only once the whole page is written."""
    return View(build_drawing(kg, view, title)).save(path)


def render_view(kg: ActorGraph, view: ViewFilter | None = None, *, title: str | None = None) -> str:
    """The page as a string: a self-contained HTML document."""
    return _render(build_drawing(kg, view, title))


@functools.cache
def templates() -> jinja2.Environment:
    """The package's HTML templates (made once), autoescaping every value they insert."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES), autoescape=jinja2.select_autoescape(["html"])
    )


def _render(drawing: Drawing) -> str:
    payload = {
        "nodes": [_vis_node(n) for n in drawing.nodes],
        "edges": [_vis_edge(t, drawing) for t in drawing.ties],
        "statements": drawing.statements,
        "options": _options(len(drawing.nodes)),
        "legend": {
            "classes": drawing.classes,
            "relations": sorted(
                (
                    {k: r[k] for k in ("iri", "label", "definition", "sign", "symmetric", "colour")}
                    for r in drawing.relations.values()
                ),
                key=lambda r: (-r["sign"], r["label"]),
            ),
            "stances": drawing.stances,
            "levels": [{"level": k, **v} for k, v in LEVELS.items()],
        },
        "sources": drawing.sources,
        "asOf": drawing.as_of,
    }
    return (
        templates()
        .get_template("view.html")
        .render(
            heading=drawing.title,
            payload=payload,
            vis_js=_inline(_vis_asset("vis-network.min.js"), "script"),
            vis_css=_inline(_vis_asset("vis-network.css"), "style"),
            page_js=_inline((_TEMPLATES / "view.js").read_text(encoding="utf-8"), "script"),
            page_css=_inline((_TEMPLATES / "view.css").read_text(encoding="utf-8"), "style"),
        )
    )


def _vis_node(n: dict[str, Any]) -> dict[str, Any]:
    return {
        **{
            k: n[k]
            for k in (
                "id",
                "label",
                "fullLabel",
                "aliases",
                "searchNames",
                "kind",
                "kindLabel",
                "degree",
                "undrawn",
            )
        },
        "shape": n["shape"],
        "x": n["x"],
        "y": n["y"],
        "size": n["size"],
        "major": n["major"],
        "font": {"size": n["font"]},
        "color": {
            "background": n["colour"],
            "border": "#1b1b1b",
            "highlight": {"background": n["colour"], "border": "#000000"},
        },
        "shapeProperties": {"borderDashes": [3, 2] if n["dashed"] else False},
        "borderWidth": 2 if n["dashed"] else 1,
    }


def _vis_edge(tie: Any, drawing: Drawing) -> dict[str, Any]:
    style = LEVELS[tie.level]
    relation = drawing.relations[tie.relation]
    return {
        "id": tie.id,
        "from": tie.source,
        "to": tie.target,
        "relation": tie.relation,
        "relationLabel": relation["label"],
        "sign": tie.sign,
        "statements": tie.statements,
        "sources": len(tie.sources),
        "level": tie.level,
        "baseColor": tie.colour,
        "baseWidth": tie.width,
        "arrows": "" if tie.symmetric else "to",
        "color": _edge_colour(tie.colour, tie.level),
        "width": tie.width,
        "dashes": style["dashes"],
        "title": None,
    }


def _edge_colour(colour: str, level: str) -> dict[str, Any]:
    style = LEVELS[level]
    shown = style.get("colour", colour)
    return {"color": shown, "highlight": shown, "hover": shown, "opacity": style["opacity"]}


def _options(node_count: int) -> dict[str, Any]:
    large = node_count > 1000
    return {
        "autoResize": True,
        "layout": {"improvedLayout": False},
        "physics": {"enabled": False},
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "multiselect": True,
        },
        "nodes": {
            "font": {"face": "system-ui, sans-serif", "strokeWidth": 4, "strokeColor": "#ffffff"},
        },
        "edges": {
            "smooth": False,
            "selectionWidth": 2,
            "arrowStrikethrough": False,
            "arrows": {"to": {"scaleFactor": 0.7}},
        },
    }


def _vis_asset(name: str) -> str:
    import importlib.util

    spec = importlib.util.find_spec("pyvis")  # its asset folder only: importing pyvis is slow
    folders = list(spec.submodule_search_locations or []) if spec else []
    if not folders:
        raise ActorGraphError("pyvis is not installed; it ships the vis-network script")
    path = Path(folders[0]) / "lib" / _VIS / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        raise ActorGraphError(
            f"{path}: vis-network asset missing from pyvis; reinstall pyvis"
        ) from None


def _inline(text: str, element: str) -> str:
    """Make ``text`` safe to place inside a ``<script>`` or ``<style>`` element."""
    return re.sub(f"</({element})", r"<\\/\1", text, flags=re.IGNORECASE)
