"""Node positions for the graph view, computed once, before the page is written.

Each connected component is laid out by Fruchterman–Reingold in igraph (its grid variant above
:data:`GRID_ABOVE` nodes: 0.2 s for 5,000 nodes and 25,000 edges on the project's 2-core
machine, where networkx's took 13 s), from a deterministic start, so the same graph always gets
the same picture. Labels are then pushed apart until no two overlap (graphs up to
:data:`SEPARATE_UP_TO` nodes), and the components are packed: the largest in the middle, the
small ones in compact columns beside it. The page runs no physics, so positions never move.

>>> positions = layout(["a", "b", "c"], [("a", "b")], {"a": (40, 10), "b": (40, 10), "c": (40, 10)})
>>> sorted(positions), all(len(xy) == 2 for xy in positions.values())
(['a', 'b', 'c'], True)
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Iterable, Mapping, Sequence

import numpy as np

__all__ = ["EDGE_LENGTH", "GRID_ABOVE", "SEPARATE_UP_TO", "layout"]

#: Typical distance, in page units, between two tied actors.
EDGE_LENGTH = 180.0
#: Components larger than this use FR's grid approximation (linear rather than quadratic).
GRID_ABOVE = 1000
#: Labels are separated exactly up to this many nodes (the pairwise check is quadratic).
SEPARATE_UP_TO = 600
_GAP = 60.0  # space between packed components

Box = tuple[float, float]  # width, height of a node with its label


def layout(
    nodes: Sequence[Hashable],
    edges: Iterable[tuple[Hashable, Hashable]],
    boxes: Mapping[Hashable, Box],
) -> dict[Hashable, tuple[float, float]]:
    """Positions (x, y, in page units) of the centres of ``nodes``, each drawn in the box
    ``boxes[node]`` (width, height), for the undirected ``edges`` between them."""
    import igraph

    order = list(dict.fromkeys(nodes))
    if not order:
        return {}
    index = {node: i for i, node in enumerate(order)}
    pairs = {tuple(sorted((index[a], index[b]))) for a, b in edges if a != b}
    graph = igraph.Graph(n=len(order), edges=sorted(pairs))
    size = np.array([boxes[node] for node in order], dtype=float)
    placed = []
    for members in sorted(graph.connected_components(), key=lambda c: (-len(c), min(c))):
        sub = graph.subgraph(members)
        xy = _component(sub) if len(members) > 1 else np.zeros((1, 2))
        if len(members) <= SEPARATE_UP_TO:
            xy = _separate(xy, size[members])
        placed.append((members, xy))
    position = _pack(placed, size)
    return {order[i]: (round(float(x), 1), round(float(y), 1)) for i, (x, y) in position.items()}


def _component(graph: object) -> np.ndarray:
    """Fruchterman–Reingold from a circle (deterministic), scaled to :data:`EDGE_LENGTH`."""
    import igraph

    n = graph.vcount()  # type: ignore[attr-defined]
    angle = np.linspace(0, 2 * np.pi, n, endpoint=False)
    start = np.column_stack([np.cos(angle), np.sin(angle)]) * np.sqrt(n)
    grid = "grid" if n > GRID_ABOVE else "nogrid"
    # igraph draws random numbers from Python's random module: a fixed generator makes the
    # same graph come out the same way every time, in every process
    igraph.set_random_number_generator(random.Random(0))
    try:
        coords = graph.layout_fruchterman_reingold(  # type: ignore[attr-defined]
            seed=start.tolist(), niter=500 if n <= GRID_ABOVE else 300, grid=grid
        ).coords
    finally:
        igraph.set_random_number_generator(random)
    xy = np.asarray(coords, dtype=np.float64)
    ends = np.array(graph.get_edgelist())  # type: ignore[attr-defined]
    if len(ends):
        lengths = np.linalg.norm(xy[ends[:, 0]] - xy[ends[:, 1]], axis=1)
        median = float(np.median(lengths)) or 1.0
        xy *= EDGE_LENGTH / median
    xy -= xy.mean(axis=0)
    return xy


def _separate(xy: np.ndarray, size: np.ndarray, rounds: int = 300) -> np.ndarray:
    """Move nodes apart until no two boxes overlap (or ``rounds`` passes are spent)."""
    xy = xy.copy()
    half = size / 2 + 6  # a little air around each label
    n = len(xy)
    if n < 2:
        return xy
    for _ in range(rounds):
        dx = xy[:, None, 0] - xy[None, :, 0]
        dy = xy[:, None, 1] - xy[None, :, 1]
        over_x = half[:, None, 0] + half[None, :, 0] - np.abs(dx)
        over_y = half[:, None, 1] + half[None, :, 1] - np.abs(dy)
        overlap = (over_x > 0) & (over_y > 0)
        np.fill_diagonal(overlap, False)
        if not overlap.any():
            break
        # push each overlapping pair apart along the axis that needs the smaller move
        along_x = overlap & (over_x / (half[:, None, 0] + 1) <= over_y / (half[:, None, 1] + 1))
        along_y = overlap & ~along_x
        tie = np.where(np.arange(n)[:, None] < np.arange(n)[None, :], 1.0, -1.0)
        sx = np.where(dx == 0, tie, np.sign(dx))
        sy = np.where(dy == 0, tie, np.sign(dy))
        xy[:, 0] += (np.where(along_x, over_x * sx, 0).sum(axis=1)) * 0.25
        xy[:, 1] += (np.where(along_y, over_y * sy, 0).sum(axis=1)) * 0.25
    return xy


def _pack(
    placed: list[tuple[list[int], np.ndarray]], size: np.ndarray
) -> dict[int, tuple[float, float]]:
    """The largest component at the origin; the others in columns to its right, each column
    as tall as the largest component."""
    position: dict[int, tuple[float, float]] = {}
    members, xy = placed[0]
    low, high = _bounds(xy, size[members])
    for i, (x, y) in zip(members, xy, strict=True):
        position[i] = (x, y)
    column_x, cursor_y = high[0] + _GAP, low[1]
    column_width = 0.0
    for members, xy in placed[1:]:
        c_low, c_high = _bounds(xy, size[members])
        width, height = c_high - c_low
        if cursor_y > low[1] and cursor_y + height > high[1]:
            column_x += column_width + _GAP
            cursor_y, column_width = low[1], 0.0
        shift = np.array([column_x, cursor_y]) - c_low
        for i, (x, y) in zip(members, xy + shift, strict=True):
            position[i] = (x, y)
        cursor_y += height + _GAP / 2
        column_width = max(column_width, width)
    return position


def _bounds(xy: np.ndarray, size: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return (xy - size / 2).min(axis=0), (xy + size / 2).max(axis=0)
