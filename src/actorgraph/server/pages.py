"""An actor's page: every statement about the actor, with its quote and the sentence around it.

>>> from actorgraph import ActorGraph
>>> "<h1>Tehreek-e-Taliban Pakistan</h1>" in actor_page(ActorGraph.load(), "ttp")
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..graph import ActorGraph

__all__ = ["actor_page"]


def actor_page(kg: ActorGraph, name: str) -> str:
    """The HTML page of the actor ``name`` (an id or a name); an unknown actor raises
    :class:`~actorgraph.errors.ActorGraphError`."""
    from ..model import Basis, Polarity
    from ..namespaces import ACT
    from ..view import templates

    actor = kg.actor(name)
    seen: set[str] = set()
    statements = []
    for role in ("subject", "object"):
        for s in kg.statements(parts=False, **{role: actor}):  # type: ignore[arg-type]
            if s.id in seen:
                continue
            seen.add(s.id)
            period = " – ".join(p for p in (s.valid_from or "", s.valid_until or "") if p)
            statements.append(
                {
                    "subject": s.subject_label,
                    "relation": s.relation,
                    "object": s.object_label,
                    "stance": s.stance.value,
                    "basis": "" if s.basis is Basis.STATED else s.basis.value,
                    "negated": s.polarity is Polarity.NEGATIVE,
                    "against": ", ".join(kg.label(ACT[a]) for a in s.against),
                    "asserted_by": kg.label(ACT[s.asserted_by]),
                    "period": period or (f"as of {s.attested_at}" if s.attested_at else ""),
                    "quote": s.evidence.quote,
                    "context": s.evidence.context,
                    "note": s.note,
                }
            )
    statements.sort(key=lambda s: (s["relation"], s["subject"], s["object"]))
    return (
        templates()
        .get_template("actor.html")
        .render(actor=actor, kind=actor.kind, statements=statements)
    )
