"""Network analysis of the signed actor network: balance, centrality, brokers, paths, change.

Every finding carries the statements behind it, so an analyst can read the quotes. Balance
reads only ties that hold at one time: a triad whose ties' periods never overlap (IS-K hostile
to Pakistan from 2015 to 2017, the Taliban working with Pakistan in 2021-09) is kept apart
(:attr:`Analysis.apart`, "periods do not overlap" in the report), a tie is predicted only from
two ties that overlap, and the frustration index is that of the worst single time
(:attr:`Analysis.frustration_at`). Undated statements hold at every time.

>>> from actorgraph import ActorGraph
>>> report = analyze(ActorGraph.load())
>>> len(report.triads), report.frustration.value, report.frustration.exact
(5, 0, True)
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import networkx as nx

from .balance import Frustration, OpenTriad, Triad, frustration, open_triads, triads
from .errors import QueryError
from .model import Stance
from .network import layers, signed_view, stated, to_networkx
from .periods import Span, overlap, period_bounds, period_text, span, valid_at
from .queries import make_literal
from .results import Rows

if TYPE_CHECKING:
    from .graph import ActorGraph

__all__ = [
    "Analysis",
    "Centrality",
    "Hop",
    "analyze",
    "changes",
    "path_rows",
    "paths",
    "report_rows",
]


@dataclass(frozen=True)
class Centrality:
    """An actor's place in the positive (cooperation) and negative (conflict) layers."""

    actor: str
    positive_degree: int
    positive_betweenness: float
    negative_degree: int
    negative_betweenness: float
    community: int
    broker_reach: int  # other positive-tie communities this actor has a positive tie into


@dataclass(frozen=True)
class Analysis:
    """The balance report, centralities and predicted ties of one signed network."""

    signed: nx.Graph
    triads: tuple[Triad, ...]
    frustration: Frustration
    predicted: tuple[OpenTriad, ...]
    centrality: tuple[Centrality, ...]
    communities: tuple[frozenset[str], ...]
    #: Triangles whose three ties never hold at one time: neither balanced nor unbalanced.
    apart: tuple[Triad, ...] = ()
    #: The first day of the time whose frustration is reported (``"before …"``: before every
    #: dated start); ``None`` when the whole network holds at one time or is balanced.
    frustration_at: str | None = None

    def statements(self, a: str, b: str) -> list[str]:
        """The statements behind the signed tie between ``a`` and ``b``."""
        return list(self.signed[a][b]["statements"])

    @property
    def brokers(self) -> list[Centrality]:
        """Actors with positive ties into other communities, most reach and betweenness first."""
        found = [c for c in self.centrality if c.broker_reach > 0]
        return sorted(found, key=lambda c: (-c.broker_reach, -c.positive_betweenness, c.actor))


@dataclass(frozen=True)
class Hop:
    """One step of a path: the statements that tie two consecutive actors (either direction),
    each a dict of the statement's attributes plus its ``subject`` and ``object``."""

    source: str
    target: str
    statements: tuple[dict[str, object], ...]


def analyze(
    kg: ActorGraph,
    *,
    as_of: str | None = None,
    stances: Iterable[str | Stance] | None = None,
    weight: str = "mentions",
    reported: bool = False,
) -> Analysis:
    """Balance, frustration, predicted ties and centralities of the signed network; ``weight``
    counts every claim (``"mentions"``) or each source once per pair (``"sources"``);
    ``reported`` counts the claims a source only reports other parties making too."""
    statements = to_networkx(kg, as_of=as_of)
    signed = signed_view(statements, stances, weight=weight, reported=reported)
    when = {
        d["statement"]: span(d["valid_from"], d["valid_until"], d["attested_at"])
        for _, _, d in statements.edges(data=True)
    }

    def held(a: str, b: str) -> list[Span]:
        return [when[s] for s in signed[a][b]["statements"]]

    every = triads(signed)
    together = [overlap(held(a, b), held(b, c), held(a, c)) for a, b, c in (t.nodes for t in every)]
    predicted = [
        p
        for p in open_triads(signed, _unrelated(signed, statements))
        if overlap(held(p.ends[0], p.middle), held(p.middle, p.ends[1]))
    ]
    layer = layers(signed)
    positive, negative = layer[1], layer[-1]
    communities = tuple(
        frozenset(c)
        for c in sorted(
            nx.community.greedy_modularity_communities(positive)
            if positive.number_of_edges()
            else [],
            key=lambda c: (-len(c), sorted(c)),
        )
    )
    community_of = {n: i for i, c in enumerate(communities) for n in c}
    pos_between = nx.betweenness_centrality(positive) if positive.number_of_edges() else {}
    neg_between = nx.betweenness_centrality(negative) if negative.number_of_edges() else {}
    centrality = []
    for node in sorted(signed):
        if signed.degree(node) == 0:
            continue
        home = community_of.get(node, -1)
        reach = {community_of.get(m, -1) for m in positive[node]} - {home, -1}
        centrality.append(
            Centrality(
                actor=node,
                positive_degree=positive.degree(node),
                positive_betweenness=round(pos_between.get(node, 0.0), 4),
                negative_degree=negative.degree(node),
                negative_betweenness=round(neg_between.get(node, 0.0), 4),
                community=home,
                broker_reach=len(reach),
            )
        )
    worst, at = _frustration_at_one_time(signed, held)
    return Analysis(
        signed=signed,
        triads=tuple(t for t, ok in zip(every, together, strict=True) if ok),
        frustration=worst,
        predicted=tuple(predicted),
        centrality=tuple(centrality),
        communities=communities,
        apart=tuple(t for t, ok in zip(every, together, strict=True) if not ok),
        frustration_at=at,
    )


def _unrelated(signed: nx.Graph, statements: nx.MultiDiGraph) -> list[tuple[str, str]]:
    """Pairs of the signed graph with no statement at all between them (any stance)."""
    related = {frozenset((a, b)) for a, b in statements.edges()}
    return [(a, b) for a in signed for b in signed if a < b and frozenset((a, b)) not in related]


def _frustration_at_one_time(
    signed: nx.Graph, held: Callable[[str, str], list[Span]]
) -> tuple[Frustration, str | None]:
    """The frustration of the ties that hold at one time, at the worst such time. Every set of
    ties that hold together also holds at the latest of their starts (or, with no start, before
    every dated start), so those times are the only ones to try; a balanced whole needs none."""
    whole = frustration(signed)
    spans = {(a, b): held(a, b) for a, b in signed.edges()}
    starts = sorted({first for ss in spans.values() for first, _ in ss if first is not None})
    if whole.value == 0 or not starts:
        return whole, None

    def holds(tie: list[Span], day: str | None) -> bool:
        if day is None:
            return any(first is None for first, _ in tie)
        return any((a is None or a <= day) and (b is None or day <= b) for a, b in tie)

    times: dict[frozenset[tuple[str, str]], str | None] = {}
    for day in [None, *starts]:
        times.setdefault(frozenset(e for e, tie in spans.items() if holds(tie, day)), day)
    if frozenset(spans) in times:
        return whole, None
    # a set of ties inside another cannot be more frustrated: try only the largest sets
    largest: list[frozenset[tuple[str, str]]] = []
    for ties in sorted(times, key=len, reverse=True):
        if not any(ties <= other for other in largest):
            largest.append(ties)
    best: tuple[Frustration, str | None] | None = None
    for ties in sorted(largest, key=lambda t: (times[t] is not None, times[t] or "")):
        found = frustration(nx.Graph(signed.edge_subgraph(ties)))
        if best is None or found.value > best[0].value:
            day = times[ties]
            best = (found, day if day is not None else f"before {starts[0]}")
    assert best is not None
    return best


def paths(
    kg: ActorGraph,
    source: str,
    target: str,
    *,
    stances: Iterable[str | Stance] | None = None,
    as_of: str | None = None,
    limit: int = 20,
    parts: bool = True,
) -> list[list[Hop]]:
    """The shortest chains of statements between two actors (ties in either direction), over
    the claims the text states (no inferences, open questions or negations). With ``parts``
    (the default, as in the named queries) each end is the actor or any of its organs
    (:meth:`ActorGraph.parts`: a state's government and military), and the chains are the
    shortest from any of one end's to any of the other's.

    Each path is a list of hops; each hop lists every statement between its two actors, with
    relation, stance, asserting party, ``against``, period and quote. The periods are shown, not
    matched: a chain may join ties of different times (``as_of`` keeps one time). At most
    ``limit`` paths.
    """
    start, end = kg.actor(source).id, kg.actor(target).id
    statements = stated(to_networkx(kg, as_of=as_of, stances=stances))
    if start not in statements or end not in statements:
        missing = source if start not in statements else target
        raise QueryError(f"{missing!r} is not an actor of the graph")
    if start == end:
        raise QueryError("a path needs two different actors")
    starts, ends = {start}, {end}
    if parts:
        ends = {a.id for a in kg.parts(end)} & set(statements)
        starts = {a.id for a in kg.parts(start)} & set(statements)
        # an end that is an organ of the other belongs to that end only
        starts = starts - ends if end in starts else starts
        ends = ends - starts if start in ends else ends
    undirected = nx.Graph(statements.to_undirected(as_view=True))
    here, there = object(), object()  # one node before every start, one after every end
    undirected.add_edges_from((here, a) for a in starts)
    undirected.add_edges_from((b, there) for b in ends)
    try:
        found = [p[1:-1] for p in _limited(nx.all_shortest_paths(undirected, here, there), limit)]
    except nx.NetworkXNoPath:
        return []
    result = []
    for path in sorted(found):
        hops = []
        for a, b in itertools.pairwise(path):
            forward = statements.get_edge_data(a, b, default={}).values()
            backward = statements.get_edge_data(b, a, default={}).values()
            ties = [dict(d, subject=a, object=b) for d in forward]
            ties += [dict(d, subject=b, object=a) for d in backward]
            hops.append(Hop(a, b, tuple(sorted(ties, key=lambda d: str(d["statement"])))))
        result.append(hops)
    return result


def changes(kg: ActorGraph, before: str, after: str) -> list[dict[str, object]]:
    """Statements that began or ended between ``before`` and ``after``, both directions alike.

    "began": holds at some time during ``after`` but not at the start of ``before``; "ended":
    held at some time during ``before`` but not at the end of ``after``. So a start or an end
    inside either period counts the same way (``changes 2019 2021`` reports the former
    government's rule ending in 2021-08 as it reports the Taliban's control beginning then),
    and a relation that began and ended within the span is listed twice. Each change names
    whom the tie is directed against (``against``, IRIs). Only statements the
    sources state, with a start or an end, can change; undated ones (and those attested at a
    single date) have no start or end to cross. ``before`` must not be later than ``after``
    (a :class:`QueryError` says so, rather than calling endings beginnings).

    >>> from actorgraph import ActorGraph
    >>> found = changes(ActorGraph.load(), "2021-01", "2021")
    >>> for c in found[-2:]:
    ...     print(c["change"], str(c["statement"]).rsplit("/", 1)[1])
    began taliban-controlsTerritoryIn-afghanistan-3
    ended former-afghan-government-governmentOf-afghanistan
    """
    for name, value in (("before", before), ("after", after)):
        make_literal("date", name, value)
    if period_bounds(before)[0] > period_bounds(after)[0]:
        raise QueryError(
            f"the first date ({before}) is later than the second ({after}): "
            "give the earlier date first"
        )
    first, last = period_bounds(before)[0], period_bounds(after)[1]
    result: list[dict[str, object]] = []
    for s in kg.statements():
        if s.valid_from is None and s.valid_until is None:
            continue  # undated, or attested at one date: no start or end to cross
        if not s.stated:
            continue  # only what the sources state can begin or end
        found = []
        if valid_at(s.valid_from, s.valid_until, after) and not valid_at(
            s.valid_from, s.valid_until, first
        ):
            found.append("began")
        if valid_at(s.valid_from, s.valid_until, before) and not valid_at(
            s.valid_from, s.valid_until, last
        ):
            found.append("ended")
        result.extend(
            {
                "change": change,
                "statement": s.iri,
                "subject": s.subject_iri,
                "relation": s.relation_iri,
                "object": s.object_iri,
                "stance": s.stance.iri,
                "against": [kg.actor(a).iri for a in s.against],
                "validFrom": s.valid_from,
                "validUntil": s.valid_until,
                "quote": s.evidence.quote,
            }
            for change in found
        )
    return sorted(result, key=lambda r: (str(r["change"]), str(r["statement"])))


def _limited(items: Iterable[list[str]], limit: int) -> Iterable[list[str]]:
    for count, item in enumerate(items):
        if count >= limit:
            return
        yield item


def report_rows(kg: ActorGraph, analysis: Analysis) -> dict[str, Rows]:
    """The analysis as named tables (triads, frustration, predicted-ties, centrality, brokers)."""

    def label(actor: str) -> str:
        return kg.actor(actor).label

    def iri(actor: str) -> str:
        return kg.actor(actor).iri

    def sign(value: int) -> str:
        return "+" if value > 0 else "−"

    def behind(*pairs: tuple[str, str]) -> str:
        return " ".join(s for a, b in pairs for s in analysis.statements(a, b))

    period_of = {
        s.iri: period_text(s.valid_from, s.valid_until, s.attested_at) for s in kg.statements()
    }

    def periods(*pairs: tuple[str, str]) -> str:
        return "; ".join(
            ", ".join(sorted({period_of[s] for s in analysis.statements(a, b)})) for a, b in pairs
        )

    apart = set(analysis.apart)
    triad_rows = [
        (
            label(a), label(b), label(c),
            f"{sign(t.signs[0])}{sign(t.signs[1])}{sign(t.signs[2])}",
            "periods do not overlap" if t in apart
            else "balanced" if t.balanced else "unbalanced",
            periods((a, b), (b, c), (a, c)),
            behind((a, b), (b, c), (a, c)),
        )
        for t in sorted((*analysis.triads, *analysis.apart), key=lambda t: t.nodes)
        for a, b, c in [t.nodes]
    ]  # fmt: skip
    f = analysis.frustration
    frustration_rows = [
        (
            f.value,
            "exact" if f.exact else "heuristic upper bound",
            " | ".join(sorted(label(n) for n in f.camps[0])),
            " | ".join(sorted(label(n) for n in f.camps[1])),
            " | ".join(f"{label(a)} – {label(b)}" for a, b in f.frustrated),
            analysis.frustration_at or "",
            behind(*f.frustrated),
        )
    ]
    predicted_rows = [
        (
            label(p.ends[0]), label(p.ends[1]), label(p.middle),
            f"{sign(p.signs[0])}{sign(p.signs[1])}",
            "friend" if p.predicted_sign > 0 else "enemy",
            behind((p.ends[0], p.middle), (p.middle, p.ends[1])),
        )
        for p in analysis.predicted
    ]  # fmt: skip
    centrality_rows = [
        (
            iri(c.actor), label(c.actor), c.positive_degree, c.positive_betweenness,
            c.negative_degree, c.negative_betweenness, c.community,
        )
        for c in analysis.centrality
    ]  # fmt: skip
    broker_rows = [
        (iri(c.actor), label(c.actor), c.broker_reach, c.positive_betweenness)
        for c in analysis.brokers
    ]
    return {
        "triads": Rows.from_values(
            ["first", "second", "third", "signs", "balance", "periods", "statements"], triad_rows
        ),
        "frustration": Rows.from_values(
            ["index", "method", "campA", "campB", "frustratedTies", "at", "statements"],
            frustration_rows,
        ),
        "predicted-ties": Rows.from_values(
            ["first", "second", "via", "signs", "predicted", "statements"], predicted_rows
        ),
        "centrality": Rows.from_values(
            [
                "actor",
                "label",
                "positiveDegree",
                "positiveBetweenness",
                "negativeDegree",
                "negativeBetweenness",
                "community",
            ],
            centrality_rows,
        ),
        "brokers": Rows.from_values(
            ["actor", "label", "communitiesReached", "positiveBetweenness"], broker_rows
        ),
    }


def path_rows(kg: ActorGraph, paths_found: list[list[Hop]]) -> Rows:
    """Paths as rows: one per statement of each hop, actors as IRIs like query results,
    ``against`` a list column (the IRIs a tie is directed against, as in the named queries) and
    the statement's period (``validFrom``, ``validUntil``, ``attestedAt``; empty: undated), so
    a tie that ended does not read as current.

    >>> from actorgraph import ActorGraph
    >>> kg = ActorGraph.load()
    >>> rows = path_rows(kg, kg.paths("U.S. military", "Taliban", parts=False)).dicts()
    >>> sorted({(r["relation"], *r["against"]) for r in rows})[-1]
    ('supports', 'https://w3id.org/actorgraph/actor/isk')
    """

    def iri(actor: object) -> str:
        return kg.actor(str(actor)).iri

    def when(value: object) -> str | None:
        return None if value is None else str(value)

    def iris(actors: object) -> str:
        return " ".join(iri(a) for a in actors) if isinstance(actors, list | tuple) else ""

    rows = []
    for number, path in enumerate(paths_found, start=1):
        for hop_number, hop in enumerate(path, start=1):
            for s in hop.statements:
                rows.append(
                    (
                        number, hop_number, iri(s["subject"]), str(s["relation"]),
                        iri(s["object"]), str(s["stance"]), iris(s.get("against")),
                        when(s.get("valid_from")), when(s.get("valid_until")),
                        when(s.get("attested_at")),
                        iri(s["asserted_by"]), str(s["statement"]), str(s["quote"]),
                    )
                )  # fmt: skip
    columns = ["path", "hop", "subject", "relation", "object", "stance", "against"]
    columns += ["validFrom", "validUntil", "attestedAt", "assertedBy", "statement", "quote"]
    return replace(Rows.from_values(columns, rows), lists={"against": " "})
