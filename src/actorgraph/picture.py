"""A static SVG picture of the same drawing as the page, with its legend, for reports.

Every text is escaped; the picture has no scripts and no links, and references nothing outside
itself.

>>> from actorgraph import ActorGraph
>>> from actorgraph.drawing import ViewFilter, build_drawing
>>> svg = render_svg(build_drawing(ActorGraph.load(), ViewFilter(actor="TTP")))
>>> svg.startswith("<svg"), svg.count('class="node"')  # TTP, IS-K, Pakistan, its government
(True, 4)
"""

from __future__ import annotations

import math
from typing import Any
from xml.sax.saxutils import escape

from .drawing import LEVELS, Drawing
from .namespaces import shorten
from .xmltext import check_xml_texts, illegal_character

__all__ = ["render_svg"]

_MARGIN = 40.0
_LEGEND_WIDTH = 300.0
_LINE = 18.0


def render_svg(drawing: Drawing) -> str:
    """The drawing as an SVG document (UTF-8 text)."""
    nodes = {n["id"]: n for n in drawing.nodes}
    if nodes:
        left = min(n["x"] - n["boxWidth"] / 2 for n in nodes.values()) - _MARGIN
        top = min(n["y"] - n["size"] for n in nodes.values()) - _MARGIN
        right = max(n["x"] + n["boxWidth"] / 2 for n in nodes.values()) + _MARGIN
        bottom = max(n["y"] - n["size"] + n["boxHeight"] for n in nodes.values()) + _MARGIN
    else:
        left = top = 0.0
        right = bottom = 200.0
    legend, legend_height = _legend(drawing, right)
    width = right - left + _LEGEND_WIDTH
    height = max(bottom - top, legend_height + 2 * _MARGIN)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{left:.1f} {top:.1f} {width:.1f} '
        f'{height:.1f}" width="{width:.0f}" height="{height:.0f}" '
        'font-family="system-ui, sans-serif">',
        f"<title>{escape(drawing.title)}</title>",
        f'<rect x="{left:.1f}" y="{top:.1f}" width="{width:.1f}" height="{height:.1f}" '
        'fill="#ffffff"/>',
        '<g class="ties">',
    ]
    for tie in drawing.ties:
        parts.append(_tie(tie, nodes[tie.source], nodes[tie.target]))
    parts.append('</g><g class="nodes">')
    for node in drawing.nodes:
        parts.append(_node(node))
    parts.append("</g>")
    parts.append(f'<g class="legend" transform="translate({right:.1f},{top + _MARGIN:.1f})">')
    parts.extend(legend)
    parts.append("</g></svg>")
    svg = "\n".join(parts) + "\n"
    if illegal_character(svg):  # found in the escaped text; named by the text that holds it
        labels = [(f"actor {shorten(str(n['id']))} label", str(n["label"])) for n in nodes.values()]
        check_xml_texts([("the picture's title", drawing.title), *labels], "SVG")
        check_xml_texts([("the picture", svg)], "SVG")
    return svg


def _tie(tie: Any, a: dict[str, Any], b: dict[str, Any]) -> str:
    style = LEVELS[tie.level]
    colour = style.get("colour", tie.colour)
    x1, y1, x2, y2 = a["x"], a["y"], b["x"], b["y"]
    dash = _dash(style["dashes"])
    line = (
        f'<line class="tie" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
        f'stroke="{colour}" stroke-width="{tie.width:.2f}" stroke-opacity="{style["opacity"]}"'
        f"{dash}/>"
    )
    if tie.symmetric:
        return line
    angle = math.atan2(y2 - y1, x2 - x1)
    tip_x, tip_y = x2 - math.cos(angle) * b["size"], y2 - math.sin(angle) * b["size"]
    head = 7 + tie.width
    points = [
        (tip_x, tip_y),
        (tip_x - head * math.cos(angle - 0.45), tip_y - head * math.sin(angle - 0.45)),
        (tip_x - head * math.cos(angle + 0.45), tip_y - head * math.sin(angle + 0.45)),
    ]
    arrow = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    return line + f'<polygon points="{arrow}" fill="{colour}" fill-opacity="{style["opacity"]}"/>'


def _node(node: dict[str, Any]) -> str:
    x, y, r = node["x"], node["y"], node["size"]
    stroke = ' stroke="#1b1b1b" stroke-width="1"' + (
        ' stroke-dasharray="3 2"' if node["dashed"] else ""
    )
    shape = _shape(node["shape"], x, y, r, node["colour"], stroke)
    label_y = y + r + node["font"] * 1.05
    return (
        f'<g class="node">{shape}<text x="{x:.1f}" y="{label_y:.1f}" text-anchor="middle" '
        f'font-size="{node["font"]}" stroke="#ffffff" stroke-width="4" paint-order="stroke" '
        f'fill="#1b1b1b">{escape(node["label"])}</text></g>'
    )


def _shape(kind: str, x: float, y: float, r: float, fill: str, stroke: str) -> str:
    if kind == "dot":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{fill}"{stroke}/>'
    if kind == "square":
        return (
            f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" '
            f'fill="{fill}"{stroke}/>'
        )
    shapes: dict[str, list[tuple[float, float]]] = {
        "diamond": [(0, -1), (1, 0), (0, 1), (-1, 0)],
        "triangle": [(0, -1), (0.95, 0.7), (-0.95, 0.7)],
        "triangleDown": [(-0.95, -0.7), (0.95, -0.7), (0, 1)],
        "hexagon": [(math.cos(a), math.sin(a)) for a in (i * math.pi / 3 for i in range(6))],
        "star": [
            (math.cos(a) * (1 if i % 2 == 0 else 0.45), math.sin(a) * (1 if i % 2 == 0 else 0.45))
            for i, a in enumerate(-math.pi / 2 + i * math.pi / 5 for i in range(10))
        ],
    }
    corners = shapes.get(kind, [(0, -1), (1, 0), (0, 1), (-1, 0)])
    points = " ".join(f"{x + cx * r:.1f},{y + cy * r:.1f}" for cx, cy in corners)
    return f'<polygon points="{points}" fill="{fill}"{stroke}/>'


def _dash(dashes: Any) -> str:
    return f' stroke-dasharray="{" ".join(str(d) for d in dashes)}"' if dashes else ""


def _legend(drawing: Drawing, x: float) -> tuple[list[str], float]:
    parts: list[str] = []
    y = 0.0

    def heading(text: str) -> None:
        nonlocal y
        parts.append(
            f'<text x="12" y="{y + 14:.1f}" font-size="14" font-weight="600">{escape(text)}</text>'
        )
        y += _LINE + 4

    heading("Claims")
    for style in LEVELS.values():
        colour = style.get("colour", "#333333")
        parts.append(
            f'<line x1="12" y1="{y + 8:.1f}" x2="56" y2="{y + 8:.1f}" stroke="{colour}" '
            f'stroke-width="3" stroke-opacity="{style["opacity"]}"{_dash(style["dashes"])}/>'
            f'<text x="64" y="{y + 12:.1f}" font-size="12">{escape(style["label"])}</text>'
        )
        y += _LINE
    groups = [(-1, "Conflict"), (1, "Cooperation"), (0, "Structural")]
    for sign, title in groups:
        members = sorted(
            (r for r in drawing.relations.values() if r["sign"] == sign), key=lambda r: r["label"]
        )
        if not members:
            continue
        y += 6
        heading(title)
        for r in members:
            parts.append(
                f'<line x1="12" y1="{y + 8:.1f}" x2="56" y2="{y + 8:.1f}" stroke="{r["colour"]}" '
                f'stroke-width="{r["width"]:.1f}"/>'
                f'<text x="64" y="{y + 12:.1f}" font-size="12">{escape(r["label"])}</text>'
            )
            y += _LINE
    y += 6
    heading("Actors")
    for c in drawing.classes:
        stroke = ' stroke="#1b1b1b" stroke-width="1"' + (
            ' stroke-dasharray="2 1.5"' if c["dashed"] else ""
        )
        parts.append(
            _shape(c["shape"], 24, y + 8, 7, c["colour"], stroke)
            + f'<text x="64" y="{y + 12:.1f}" font-size="12">{escape(c["label"])}</text>'
        )
        y += _LINE
    return parts, y
