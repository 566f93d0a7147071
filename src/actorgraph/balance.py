"""Structural balance of a signed graph: triads, the frustration index, predicted ties.

A signed graph is *balanced* when its actors split into two camps with every positive tie
inside a camp and every negative tie across ("the enemy of my enemy is my friend"). A triangle
is balanced when the product of its three signs is positive. The *frustration index* is the
least number of ties whose removal makes the whole graph balanced.

Exact for graphs of this project's size: ties that are bridges, and nodes outside the 2-core,
never need to be frustrated, so the search runs over the 2-core of each component, trying
every split of up to :data:`EXACT_UP_TO` nodes. Larger cores get a documented heuristic: the
best of several seeded local searches (flip one node's camp while that lowers the count),
reported with ``exact=False`` as an upper bound.

>>> import networkx as nx
>>> g = nx.Graph()
>>> g.add_edge("a", "b", sign=1); g.add_edge("b", "c", sign=-1); g.add_edge("a", "c", sign=-1)
>>> [t.balanced for t in triads(g)]
[True]
>>> frustration(g).value
0
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

__all__ = [
    "EXACT_UP_TO",
    "Frustration",
    "OpenTriad",
    "Triad",
    "frustration",
    "open_triads",
    "triads",
]

#: Largest 2-core component whose camps are searched exhaustively (2^(n-1) splits).
EXACT_UP_TO = 22


@dataclass(frozen=True)
class Triad:
    """Three actors with a signed tie between each pair."""

    nodes: tuple[str, str, str]
    signs: tuple[int, int, int]  # (nodes[0]-nodes[1], nodes[1]-nodes[2], nodes[0]-nodes[2])

    @property
    def balanced(self) -> bool:
        return self.signs[0] * self.signs[1] * self.signs[2] > 0


@dataclass(frozen=True)
class OpenTriad:
    """Two ties through a middle actor, with no recorded tie between the ends."""

    ends: tuple[str, str]
    middle: str
    signs: tuple[int, int]  # (ends[0]-middle, middle-ends[1])

    @property
    def predicted_sign(self) -> int:
        """What balance theory predicts for the missing tie."""
        return self.signs[0] * self.signs[1]


@dataclass(frozen=True)
class Frustration:
    """The frustration index and a split of the actors into two camps that attains it."""

    value: int
    exact: bool
    camps: tuple[frozenset[str], frozenset[str]]
    frustrated: tuple[tuple[str, str], ...] = field(default=())


def triads(signed: nx.Graph) -> list[Triad]:
    """Every triangle of ``signed``, nodes in sorted order, sorted."""
    found = []
    for a, b, c in sorted(tuple(sorted(t)) for t in _triangles(signed)):
        found.append(
            Triad((a, b, c), (signed[a][b]["sign"], signed[b][c]["sign"], signed[a][c]["sign"]))
        )
    return found


def open_triads(
    signed: nx.Graph, unrelated: Iterable[tuple[str, str]] | None = None
) -> list[OpenTriad]:
    """Pairs tied to a common actor but not to each other.

    ``unrelated``: if given, only pairs in it count as having no tie (pass the pairs with no
    statement of any kind, so that a recorded but unsigned tie is not "predicted").
    """
    allowed = None if unrelated is None else {frozenset(p) for p in unrelated}
    found = []
    for middle in sorted(signed):
        for a, b in itertools.combinations(sorted(signed[middle]), 2):
            if signed.has_edge(a, b) or (allowed is not None and frozenset((a, b)) not in allowed):
                continue
            found.append(
                OpenTriad((a, b), middle, (signed[a][middle]["sign"], signed[middle][b]["sign"]))
            )
    return found


def frustration(signed: nx.Graph, *, seed: int = 7, restarts: int = 20) -> Frustration:
    """The frustration index of ``signed`` (exact up to :data:`EXACT_UP_TO` core nodes)."""
    camp_of: dict[str, int] = {}
    value, exact = 0, True
    core = nx.k_core(nx.Graph(signed), 2) if signed.number_of_edges() else nx.Graph()
    for component in sorted(nx.connected_components(core), key=lambda c: sorted(c)):
        sub = core.subgraph(component)
        if sub.number_of_nodes() <= EXACT_UP_TO:
            cost, split = _exact(signed, sorted(component))
        else:
            cost, split = _local_search(signed, sorted(component), seed, restarts)
            exact = False
        value += cost
        camp_of.update(split)
    _extend_to_trees(signed, camp_of)
    frustrated = tuple(
        sorted(
            tuple(sorted((a, b)))
            for a, b, s in signed.edges(data="sign")
            if _unhappy(s, camp_of[a], camp_of[b])
        )
    )
    assert len(frustrated) == value or not exact
    tied = [n for n in camp_of if signed.degree(n)]
    camps = (
        frozenset(n for n in tied if camp_of[n] == 0),
        frozenset(n for n in tied if camp_of[n] == 1),
    )
    return Frustration(len(frustrated), exact, camps, frustrated)


def _triangles(graph: nx.Graph) -> Iterable[tuple[str, str, str]]:
    seen = set()
    for a in graph:
        for b, c in itertools.combinations(graph[a], 2):
            if graph.has_edge(b, c):
                key = frozenset((a, b, c))
                if key not in seen:
                    seen.add(key)
                    yield (a, b, c)


def _unhappy(sign: int, camp_a: int, camp_b: int) -> bool:
    return (sign > 0) != (camp_a == camp_b)


def _cost(signed: nx.Graph, nodes: list[str], camp: dict[str, int]) -> int:
    inside = set(nodes)
    return sum(
        _unhappy(s, camp[a], camp[b]) for a, b, s in signed.subgraph(inside).edges(data="sign")
    )


def _exact(signed: nx.Graph, nodes: list[str]) -> tuple[int, dict[str, int]]:
    edges = [
        (nodes.index(a), nodes.index(b), s) for a, b, s in signed.subgraph(nodes).edges(data="sign")
    ]
    best, best_mask = len(edges) + 1, 0
    for mask in range(1 << (len(nodes) - 1)):  # the first node stays in camp 0: halves the search
        cost = sum(((s > 0) != (((mask >> i) & 1) == ((mask >> j) & 1))) for i, j, s in edges)
        if cost < best:
            best, best_mask = cost, mask
    return best, {n: (best_mask >> i) & 1 for i, n in enumerate(nodes)}


def _local_search(
    signed: nx.Graph, nodes: list[str], seed: int, restarts: int
) -> tuple[int, dict[str, int]]:
    rng = random.Random(seed)
    best_cost, best = None, {}
    for _ in range(restarts):
        camp = {n: rng.randrange(2) for n in nodes}
        improved = True
        while improved:
            improved = False
            for n in nodes:
                delta = 0
                for m in signed[n]:
                    if m in camp:
                        s = signed[n][m]["sign"]
                        delta += _unhappy(s, 1 - camp[n], camp[m]) - _unhappy(s, camp[n], camp[m])
                if delta < 0:
                    camp[n] = 1 - camp[n]
                    improved = True
        cost = _cost(signed, nodes, camp)
        if best_cost is None or cost < best_cost:
            best_cost, best = cost, dict(camp)
    return best_cost or 0, best


def _extend_to_trees(signed: nx.Graph, camp_of: dict[str, int]) -> None:
    """Place every node outside the 2-core so that all its tree-like ties are satisfied."""
    for component in sorted(nx.connected_components(signed), key=lambda c: sorted(c)):
        roots = [n for n in sorted(component) if n in camp_of] or [min(component)]
        camp_of.setdefault(roots[0], 0)
        queue = list(roots)
        while queue:
            node = queue.pop(0)
            for other in sorted(signed[node]):
                if other not in camp_of:
                    sign = signed[node][other]["sign"]
                    camp_of[other] = camp_of[node] if sign > 0 else 1 - camp_of[node]
                    queue.append(other)
