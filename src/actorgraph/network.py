"""The actor network as networkx graphs: every statement as an edge, or one signed tie per pair.

Only actor–actor edges: literals, classes and statement nodes never become nodes (unlike a
generic RDF-to-networkx conversion).

>>> from actorgraph import ActorGraph
>>> g = to_networkx(ActorGraph.load())
>>> g.nodes["https://w3id.org/actorgraph/actor/isk"]["label"]
'Islamic State Khorasan Province'
>>> signed = to_networkx(ActorGraph.load(), signed=True)
>>> isk, taliban = (f"https://w3id.org/actorgraph/actor/{a}" for a in ("isk", "taliban"))
>>> signed[isk][taliban]["sign"]
-1
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx

from .model import Stance, local_name
from .namespaces import PREFIXES
from .periods import valid_at
from .queries import make_literal

if TYPE_CHECKING:
    from .graph import ActorGraph

__all__ = [
    "NOT_PARTIES",
    "SIGNED_DEFAULT_STANCES",
    "SIGNED_STANCE_WEIGHT",
    "layers",
    "signed_view",
    "stated",
    "to_networkx",
]

#: How much one claim counts towards a pair's sign in the signed view. Denied claims count for
#: nothing: that a relation does not hold is not evidence of its opposite.
SIGNED_STANCE_WEIGHT = {
    Stance.ASSERTED: 1.0,
    Stance.HEDGED: 0.5,
    Stance.DISPUTED: 0.25,
    Stance.DENIED: 0.0,
}
#: Stances the signed view uses unless told otherwise.
SIGNED_DEFAULT_STANCES = (Stance.ASSERTED, Stance.HEDGED)
#: Actor classes left out of the signed view: a place or an event is not a party to a tie.
NOT_PARTIES = ("Place", "Event")

_SIGNS = """
SELECT ?relation ?sign WHERE { ?relation a ag:Relation ; ag:sign ?sign }
"""


def to_networkx(
    kg: ActorGraph,
    *,
    as_of: str | None = None,
    stances: Iterable[str | Stance] | None = None,
    relations: Iterable[str] | None = None,
    signed: bool = False,
) -> nx.MultiDiGraph | nx.Graph:
    """The statements of ``kg`` as a networkx graph.

    Parameters
    ----------
    as_of:
        Keep statements valid at this year, month or day, and undated ones.
    stances:
        Keep statements of these stances (default: all; for ``signed``: Asserted and Hedged).
    relations:
        Keep statements of these relation types (names, labels or IRIs).
    signed:
        ``False``: a ``MultiDiGraph`` with one edge per statement, keyed by the statement's id.
        ``True``: an undirected ``Graph`` with one edge per pair of actors (places and events
        left out) whose claims carry a sign. Each claim adds its relation's sign (+1 or −1)
        times :data:`SIGNED_STANCE_WEIGHT` of its stance; the pair's ``sign`` is the sign of the
        sum. Only claims the text states with positive content count: inferred claims, open
        questions and negated claims carry no sign. Pairs whose claims cancel out are left out
        and listed in ``graph.graph["ambivalent"]``.

    Node attributes: ``label``, ``kind``, ``aliases`` (a list). Edge attributes (multigraph):
    ``statement``, ``relation``, ``sign``, ``stance``, ``asserted_by``, ``valid_from``,
    ``valid_until``, ``basis``, ``polarity``, ``against`` (a list), ``quote``, ``source``,
    ``start``, ``end``. Signed edges: ``sign``,
    ``weight`` (the sum), ``statements`` and ``relations`` (lists).
    """
    if signed:
        return signed_view(to_networkx(kg, as_of=as_of, relations=relations), stances)
    chosen = {Stance.parse(s) for s in stances} if stances is not None else None
    wanted_relations = {kg.relation(r) for r in relations} if relations is not None else None
    if as_of is not None:
        make_literal("date", "as_of", as_of)
    signs = {
        str(r["relation"]): int(r["sign"]) for r in kg.store.select(_SIGNS, {}, PREFIXES).dicts()
    }  # type: ignore[arg-type]
    actors = {a.iri: a for a in kg.actors()}

    graph = nx.MultiDiGraph()
    for actor in actors.values():
        graph.add_node(actor.iri, label=actor.label, kind=actor.kind, aliases=list(actor.aliases))
    for row in kg.query("statements").dicts():
        subject, obj, relation = str(row["subject"]), str(row["object"]), str(row["relation"])
        stance = Stance.parse(str(row["stance"]))
        if subject not in actors or obj not in actors:
            continue
        if chosen is not None and stance not in chosen:
            continue
        if wanted_relations is not None and relation not in wanted_relations:
            continue
        dates = (row["validFrom"], row["validUntil"])
        if as_of is not None and not valid_at(*dates, as_of, row["attestedAt"]):  # type: ignore[arg-type]
            continue
        graph.add_edge(
            subject,
            obj,
            key=local_name(str(row["statement"])),
            statement=str(row["statement"]),
            relation=local_name(relation),
            sign=signs.get(relation, 0),
            stance=stance.value,
            asserted_by=str(row["assertedBy"]),
            valid_from=row["validFrom"],
            valid_until=row["validUntil"],
            basis=local_name(str(row["basis"])),
            polarity=local_name(str(row["polarity"])),
            against=[str(iri) for iri in str(row["against"] or "").split()],
            quote=row["quote"],
            source=str(row["source"]),
            start=row["start"],
            end=row["end"],
        )
    return graph


def stated(statements: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The statements the text states with positive content: no reader's inferences, open
    questions or negations (what analysis counts as ties)."""
    return nx.subgraph_view(
        statements,
        filter_edge=lambda a, b, key: (
            statements.edges[a, b, key]["basis"] == "Stated"
            and statements.edges[a, b, key]["polarity"] == "Positive"
        ),
    )


def signed_view(
    statements: nx.MultiDiGraph, stances: Iterable[str | Stance] | None = None
) -> nx.Graph:
    """The signed view of a statement graph from :func:`to_networkx` (rule above), using the
    claims of ``stances`` (default: Asserted and Hedged)."""
    chosen = (
        {Stance.parse(s) for s in stances} if stances is not None else set(SIGNED_DEFAULT_STANCES)
    )
    parties = [n for n, kind in statements.nodes(data="kind") if kind not in NOT_PARTIES]
    signed = nx.Graph(ambivalent=[])
    signed.add_nodes_from((n, statements.nodes[n]) for n in parties)
    totals: dict[frozenset[str], dict[str, Any]] = {}
    for subject, obj, data in stated(statements).edges(data=True):
        stance = Stance.parse(data["stance"])
        weight = data["sign"] * SIGNED_STANCE_WEIGHT[stance] if stance in chosen else 0
        if weight == 0 or subject == obj or subject not in signed or obj not in signed:
            continue
        pair = totals.setdefault(
            frozenset((subject, obj)), {"weight": 0.0, "statements": [], "relations": []}
        )
        pair["weight"] += weight
        pair["statements"].append(data["statement"])
        if data["relation"] not in pair["relations"]:
            pair["relations"].append(data["relation"])
    for pair, data in sorted(totals.items(), key=lambda item: sorted(item[0])):
        a, b = sorted(pair)
        if data["weight"] == 0:
            signed.graph["ambivalent"].append((a, b, data["statements"]))
            continue
        signed.add_edge(a, b, sign=1 if data["weight"] > 0 else -1, **data)
    return signed


def layers(signed: nx.Graph) -> Mapping[int, nx.Graph]:
    """The positive and negative layers of a signed graph (all nodes in both)."""
    result = {}
    for sign in (1, -1):
        layer = nx.Graph()
        layer.add_nodes_from(signed.nodes(data=True))
        layer.add_edges_from((a, b, d) for a, b, d in signed.edges(data=True) if d["sign"] == sign)
        result[sign] = layer
    return result
