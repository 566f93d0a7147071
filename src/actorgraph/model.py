"""Typed views of the graph: actors, statements and their evidence.

>>> Stance.parse("hedged")
<Stance.HEDGED: 'Hedged'>
>>> Evidence("https://w3id.org/actorgraph/source/s", "IS-K", 0, 4).length
4
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .errors import QueryError
from .namespaces import ACT, AG, STMT

__all__ = ["Actor", "Evidence", "Stance", "Statement", "local_name"]


def local_name(iri: str) -> str:
    """The part of an IRI after its namespace: ``…/actor/isk`` → ``isk``."""
    for separator in ("#", "/"):
        if separator in iri:
            iri = iri.rsplit(separator, 1)[1]
    return iri


class Stance(enum.Enum):
    """How strongly the asserting party commits to a claim."""

    ASSERTED = "Asserted"
    HEDGED = "Hedged"
    DISPUTED = "Disputed"
    DENIED = "Denied"

    @property
    def iri(self) -> str:
        return AG[self.value]

    @classmethod
    def parse(cls, value: str | Stance) -> Stance:
        """A stance from its name, any case, or its IRI."""
        if isinstance(value, Stance):
            return value
        wanted = str(value).strip()
        for stance in cls:
            if wanted.lower() == stance.value.lower() or wanted == stance.iri:
                return stance
        names = ", ".join(s.value for s in cls)
        raise QueryError(f"unknown stance {value!r}; expected one of {names}")


@dataclass(frozen=True)
class Actor:
    """A node of the graph: an organisation, state, community, person, place or event."""

    id: str
    label: str
    aliases: tuple[str, ...]
    kind: str
    iri: str = ""

    def __post_init__(self) -> None:
        if not self.iri:
            object.__setattr__(self, "iri", ACT[self.id])


@dataclass(frozen=True)
class Evidence:
    """A verbatim quote located in a stored source text (``start`` inclusive, ``end`` exclusive)."""

    source: str
    quote: str
    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Statement:
    """One attributed claim that ``subject`` stands in ``relation`` to ``object``."""

    id: str
    subject: str
    subject_label: str
    relation: str
    object: str
    object_label: str
    stance: Stance
    asserted_by: str
    evidence: Evidence
    valid_from: str | None = None
    valid_until: str | None = None
    contested_by: tuple[str, ...] = ()
    iri: str = ""

    def __post_init__(self) -> None:
        if not self.iri:
            object.__setattr__(self, "iri", STMT[self.id])

    def __str__(self) -> str:
        return (
            f"{self.subject_label} {self.relation} {self.object_label} "
            f"[{self.stance.value}, by {self.asserted_by}]: “{self.evidence.quote}”"
        )
