"""The actor network as networkx graphs: every statement as an edge, or one signed tie per pair.

Only actor–actor edges: literals, classes and statement nodes never become nodes (unlike a
generic RDF-to-networkx conversion).

>>> from actorgraph import ActorGraph
>>> g = to_networkx(ActorGraph.load())
>>> g.nodes["isk"]["label"], g.nodes["isk"]["iri"]
('Islamic State Khorasan Province', 'https://w3id.org/actorgraph/actor/isk')
>>> signed = to_networkx(ActorGraph.load(), signed=True)
>>> signed["isk"]["taliban"]["sign"]
-1
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx

from .model import Basis, Polarity, Stance
from .periods import valid_at
from .queries import make_literal
from .truthy import own_voice, voices

if TYPE_CHECKING:
    from .graph import ActorGraph

__all__ = [
    "NOT_PARTIES",
    "SIGNED_DEFAULT_STANCES",
    "SIGNED_REPORTED_WEIGHT",
    "SIGNED_STANCE_WEIGHT",
    "claim_sign",
    "claim_weight",
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
#: What a claim the source only reports another party making (a government's allegation, a
#: group's propaganda, press reporting) counts, against one the source asserts in its own voice
#: (its author or publisher), where the signed view reads reported claims at all (``reported``):
#: the source relays such a claim without vouching for it.
SIGNED_REPORTED_WEIGHT = 0.5
#: Stances the signed view uses unless told otherwise.
SIGNED_DEFAULT_STANCES = (Stance.ASSERTED, Stance.HEDGED)
#: Actor classes left out of the signed view: a place or an event is not a party to a tie.
NOT_PARTIES = ("Place", "Event")


def claim_sign(relation_sign: int, stance: Stance, basis: Basis, polarity: Polarity) -> int:
    """What one claim counts as in the signed view: its relation's sign (+1, −1 or 0) if the
    text states it with positive content and its stance has weight, else 0. An inference, an
    open question, a negated claim ("doesn't want to work with") and a denied one are not
    evidence of the relation or of its opposite.

    >>> claim_sign(-1, Stance.ASSERTED, Basis.STATED, Polarity.POSITIVE)
    -1
    >>> claim_sign(1, Stance.ASSERTED, Basis.STATED, Polarity.NEGATIVE)
    0
    """
    counts = basis is Basis.STATED and polarity is Polarity.POSITIVE
    return relation_sign if counts and SIGNED_STANCE_WEIGHT[stance] else 0


def claim_weight(stance: Stance, own_voice: bool) -> float:
    """How much one claim counts in the signed view: its stance's weight
    (:data:`SIGNED_STANCE_WEIGHT`), times :data:`SIGNED_REPORTED_WEIGHT` when the source
    reports another party's claim rather than asserting it in its own voice.

    >>> claim_weight(Stance.ASSERTED, True), claim_weight(Stance.HEDGED, False)
    (1.0, 0.25)
    """
    return SIGNED_STANCE_WEIGHT[stance] * (1.0 if own_voice else SIGNED_REPORTED_WEIGHT)


def to_networkx(
    kg: ActorGraph,
    *,
    as_of: str | None = None,
    stances: Iterable[str | Stance] | None = None,
    relations: Iterable[str] | None = None,
    signed: bool = False,
    reported: bool = False,
) -> nx.MultiDiGraph | nx.Graph:
    """The statements of ``kg`` as a networkx graph.

    Parameters
    ----------
    as_of:
        Keep statements valid at this year, month or day, and undated ones.
    stances:
        Keep statements of these stances (none given: all; for ``signed``: Asserted and
        Hedged).
    relations:
        Keep statements of these relation types (names, labels or IRIs; none given: all).
    signed:
        ``False``: a ``MultiDiGraph`` with one edge per statement, keyed by the statement's id.
        ``True``: an undirected ``Graph`` with one edge per pair of actors (places and events
        left out) whose claims carry a sign. Each claim adds its relation's sign (+1 or −1)
        times its weight (:func:`claim_weight`: its stance's); the pair's ``sign`` is the sign
        of the sum. Only claims
        the text states with positive content count: inferred claims, open questions and
        negated claims carry no sign. Pairs whose claims cancel out are left out
        and listed in ``graph.graph["ambivalent"]``.
    reported:
        For ``signed``: also count the claims the source only reports another party making, at
        half weight (default: only what the source asserts in its own voice, as the direct
        edges; a group's propaganda about its enemies is not a tie between them).

    Nodes are actor ids (:attr:`Actor.id`, e.g. ``"isk"``, what every method accepts). Node
    attributes: ``iri``, ``label``, ``kind``, ``aliases`` (a list). Edge attributes (multigraph):
    ``statement``, ``relation``, ``sign`` (what the claim counts as in the signed view,
    :func:`claim_sign`: 0 for an inference, an open question, a negated or a denied claim),
    ``relation_sign`` (the relation type's own sign), ``signed_weight`` (``sign`` times
    :func:`claim_weight`), ``own_voice`` (the source's author or publisher asserts it, rather
    than a party the source reports), ``stance``, ``basis``, ``polarity``, ``asserted_by``,
    ``contested_by`` and
    ``against`` (lists of actor ids), ``valid_from``, ``valid_until``, ``attested_at``,
    ``quote``, ``source``, ``start``, ``end``. Signed edges: ``sign``, ``weight`` (the sum),
    ``statements`` and ``relations`` (lists).
    """
    if signed:
        statements = to_networkx(kg, as_of=as_of, relations=relations)
        return signed_view(statements, stances, reported=reported)
    chosen = {Stance.parse(s) for s in stances or ()}
    wanted_relations = {kg.relation(r) for r in relations or ()}
    if as_of is not None:
        make_literal("date", "as_of", as_of)
    types = kg.relation_types()
    actors = {a.iri: a for a in kg.actors()}
    own = voices(kg.store)

    graph = nx.MultiDiGraph()
    for actor in actors.values():
        graph.add_node(
            actor.id, iri=actor.iri, label=actor.label, kind=actor.kind, aliases=list(actor.aliases)
        )
    for s in kg.statements():
        if s.subject_iri not in actors or s.object_iri not in actors:
            continue
        if chosen and s.stance not in chosen:
            continue
        if wanted_relations and s.relation_iri not in wanted_relations:
            continue
        if as_of is not None and not valid_at(s.valid_from, s.valid_until, as_of, s.attested_at):
            continue
        kind = types.get(s.relation_iri)
        relation_sign = kind.sign if kind else 0
        sign = claim_sign(relation_sign, s.stance, s.basis, s.polarity)
        in_own_voice = own_voice(s, own)
        graph.add_edge(
            actors[s.subject_iri].id,
            actors[s.object_iri].id,
            key=s.id,
            statement=s.iri,
            relation=s.relation,
            sign=sign,
            relation_sign=relation_sign,
            signed_weight=sign * claim_weight(s.stance, in_own_voice),
            own_voice=in_own_voice,
            stance=s.stance.value,
            basis=s.basis.value,
            polarity=s.polarity.value,
            asserted_by=s.asserted_by,
            contested_by=list(s.contested_by),
            against=[kg.actor(a).id for a in s.against],
            valid_from=s.valid_from,
            valid_until=s.valid_until,
            attested_at=s.attested_at,
            quote=s.evidence.quote,
            source=s.evidence.source,
            start=s.evidence.start,
            end=s.evidence.end,
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
    statements: nx.MultiDiGraph,
    stances: Iterable[str | Stance] | None = None,
    *,
    weight: str = "mentions",
    reported: bool = False,
) -> nx.Graph:
    """The signed view of a statement graph from :func:`to_networkx` (rule above), using the
    claims of ``stances`` (default: Asserted and Hedged) that the source asserts in its own
    voice, and with ``reported`` those it reports another party making too (at half weight).

    ``weight="mentions"`` adds up every claim (a tie the text repeats weighs more);
    ``weight="sources"`` lets each source count once per pair, with the strongest of its claims'
    weights and the sign of their sum, so a tie several sources report outweighs one a single
    source repeats."""
    if weight not in ("mentions", "sources"):
        raise ValueError(f"weight {weight!r}: expected 'mentions' or 'sources'")
    chosen = {Stance.parse(s) for s in stances or ()} or set(SIGNED_DEFAULT_STANCES)
    parties = [n for n, kind in statements.nodes(data="kind") if kind not in NOT_PARTIES]
    signed = nx.Graph(ambivalent=[])
    signed.add_nodes_from((n, statements.nodes[n]) for n in parties)
    totals: dict[frozenset[str], dict[str, Any]] = {}
    for subject, obj, data in stated(statements).edges(data=True):
        stance = Stance.parse(data["stance"])
        counted = stance in chosen and (reported or data["own_voice"])
        claim = data["sign"] * claim_weight(stance, data["own_voice"]) if counted else 0
        if claim == 0 or subject == obj or subject not in signed or obj not in signed:
            continue
        total = totals.setdefault(
            frozenset((subject, obj)), {"weight": 0.0, "statements": [], "relations": []}
        )
        total.setdefault("bySource", {}).setdefault(data["source"], []).append(claim)
        total["weight"] += claim
        total["statements"].append(data["statement"])
        if data["relation"] not in total["relations"]:
            total["relations"].append(data["relation"])
    for pair, data in sorted(totals.items(), key=lambda item: sorted(item[0])):
        a, b = sorted(pair)
        by_source = data.pop("bySource")
        data["sources"] = len(by_source)
        if weight == "sources":
            data["weight"] = sum(
                math.copysign(max(abs(w) for w in ws), sum(ws)) if sum(ws) else 0.0
                for ws in by_source.values()
            )
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
