"""Node positions for the graph view, computed with networkx before the page is written.

Force-directed layout (Fruchterman–Reingold, ``networkx.spring_layout``) costs about n² per
iteration: measured on the project's 2-core machine, 50 iterations take 4 s at 1,000 nodes and
47 s at 5,000. Above :data:`FULL_ITERATIONS_UP_TO` nodes we start from a spectral layout
(0.2 s at 5,000 nodes) and run fewer iterations (10 at 5,000 nodes: under 10 s).

>>> import networkx as nx
>>> positions = layout(nx.path_graph(3))
>>> sorted(positions), all(len(xy) == 2 for xy in positions.values())
([0, 1, 2], True)
"""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx

__all__ = ["FULL_ITERATIONS_UP_TO", "SCALE", "layout"]

#: Largest graph laid out with the full 50 iterations from a random start.
FULL_ITERATIONS_UP_TO = 1000
#: Half the width, in pixels, of the square the layout fills; grows with the node count.
SCALE = 400


def layout(graph: nx.Graph, *, seed: int = 7) -> dict[Hashable, tuple[float, float]]:
    """Positions in pixels for every node of ``graph`` (deterministic for a given seed)."""
    n = graph.number_of_nodes()
    if n == 0:
        return {}
    scale = SCALE * max(1.0, (n / 60) ** 0.5)
    if n == 1:
        return {next(iter(graph)): (0.0, 0.0)}
    if n <= FULL_ITERATIONS_UP_TO:
        positions = nx.spring_layout(graph, iterations=50, seed=seed, scale=scale)
    else:
        start = nx.spectral_layout(graph, scale=scale)
        iterations = max(10, 50 * FULL_ITERATIONS_UP_TO // n)
        positions = nx.spring_layout(
            graph, pos=start, iterations=iterations, seed=seed, scale=scale
        )
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in positions.items()}
