"""Typed views of the graph: actors, statements and their evidence.

>>> Stance.parse("hedged")
<Stance.HEDGED: 'Hedged'>
>>> Evidence("https://w3id.org/actorgraph/source/s", "IS-K", 0, 4).length
4
"""

from __future__ import annotations

import enum
import html
from dataclasses import dataclass
from typing import Self

from .errors import QueryError
from .namespaces import ACT, AG, STMT

__all__ = [
    "Actor",
    "Basis",
    "Evidence",
    "Polarity",
    "RelationType",
    "Stance",
    "Statement",
    "local_name",
]


def local_name(iri: str) -> str:
    """The part of an IRI after its namespace: ``…/actor/isk`` → ``isk``."""
    for separator in ("#", "/"):
        if separator in iri:
            iri = iri.rsplit(separator, 1)[1]
    return iri


class _Term(enum.Enum):
    """A vocabulary term of the ontology, found by its name (any case) or IRI."""

    @property
    def iri(self) -> str:
        return AG[self.value]

    @classmethod
    def _find(cls, value: str | Self) -> Self:
        if isinstance(value, cls):
            return value
        wanted = str(value).strip()
        for member in cls:
            if wanted.lower() == member.value.lower() or wanted == member.iri:
                return member
        names = ", ".join(m.value for m in cls)
        raise QueryError(f"unknown {cls.__name__.lower()} {value!r}; expected one of {names}")


class Stance(_Term):
    """How strongly the asserting party commits to a claim."""

    ASSERTED = "Asserted"
    HEDGED = "Hedged"
    DISPUTED = "Disputed"
    DENIED = "Denied"

    @classmethod
    def parse(cls, value: str | Stance) -> Stance:
        """A stance from its name, any case, or its IRI."""
        return cls._find(value)


class _DefaultedTerm(_Term):
    """A term whose absence means its first member (the default)."""

    @classmethod
    def parse(cls, value: str | Self | None) -> Self:
        if value is None:
            return next(iter(cls))
        return cls._find(value)


class Basis(_DefaultedTerm):
    """Whether the text states a claim, a reader infers it, or the text only asks it.

    >>> Basis.parse(None), Basis.parse("inferred")
    (<Basis.STATED: 'Stated'>, <Basis.INFERRED: 'Inferred'>)
    """

    STATED = "Stated"
    INFERRED = "Inferred"
    OPEN_QUESTION = "OpenQuestion"


class Polarity(_DefaultedTerm):
    """Whether a claim's content is that the relation holds, or that it does not.

    >>> Polarity.parse("https://w3id.org/actorgraph/ontology#Negative")
    <Polarity.NEGATIVE: 'Negative'>
    """

    POSITIVE = "Positive"
    NEGATIVE = "Negative"


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

    def _repr_html_(self) -> str:
        """The actor as a short HTML block for Jupyter: label, id, kind and aliases (escaped)."""
        aliases = ", ".join(self.aliases) or "none"
        return (
            f"<div><strong>{html.escape(self.label)}</strong> <code>{html.escape(self.id)}</code>"
            f"<br>kind: {html.escape(self.kind)}<br>aliases: {html.escape(aliases)}</div>"
        )


@dataclass(frozen=True)
class Evidence:
    """A verbatim quote located in a stored source text (``start`` inclusive, ``end`` exclusive)."""

    source: str
    quote: str
    start: int
    end: int
    context: str | None = None  #: the whole sentence(s) around the quote, where the text is at hand

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
    attested_at: str | None = None  #: a date the source says it held at (no start or end given)
    contested_by: tuple[str, ...] = ()
    against: tuple[str, ...] = ()  #: whom a cooperation or support is directed against
    basis: Basis = Basis.STATED
    polarity: Polarity = Polarity.POSITIVE
    note: str | None = None  #: the curator's reason for a decision a reader could question
    iri: str = ""
    subject_iri: str = ""
    object_iri: str = ""
    relation_iri: str = ""
    asserted_by_iri: str = ""

    def __post_init__(self) -> None:
        defaults = {
            "iri": STMT[self.id],
            "subject_iri": ACT[self.subject],
            "object_iri": ACT[self.object],
            "relation_iri": AG[self.relation],
            "asserted_by_iri": ACT[self.asserted_by],
        }
        for name, value in defaults.items():
            if not getattr(self, name):
                object.__setattr__(self, name, value)

    @property
    def stated(self) -> bool:
        """Whether the text states the claim with positive content (an ``ag:StatedClaim``): not
        a reader's inference, an open question or a negated claim."""
        return self.basis is Basis.STATED and self.polarity is Polarity.POSITIVE

    def _qualifiers(self, by: str = "by") -> list[str]:
        qualifiers = [self.stance.value, f"{by} {self.asserted_by}"]
        if self.basis is not Basis.STATED:
            qualifiers.append(self.basis.value.lower())
        if self.polarity is Polarity.NEGATIVE:
            qualifiers.append("negated")
        if self.against:
            qualifiers.append(f"against {', '.join(self.against)}")
        return qualifiers

    def __str__(self) -> str:
        return (
            f"{self.subject_label} {self.relation} {self.object_label} "
            f"[{'; '.join(self._qualifiers())}]: “{self.evidence.quote}”"
        )

    def _repr_html_(self) -> str:
        """The statement as a short HTML block for Jupyter: subject – relation – object, stance,
        who asserts it, the quote and its source (every value escaped)."""
        e = html.escape
        qualifiers = "; ".join(self._qualifiers(by="asserted by"))
        return (
            f"<div><strong>{e(self.subject_label)}</strong> – {e(self.relation)} – "
            f"<strong>{e(self.object_label)}</strong><br>{e(qualifiers)}"
            f"<blockquote>{e(self.evidence.quote)}</blockquote>"
            f"source: {e(self.evidence.source)}</div>"
        )


@dataclass(frozen=True)
class RelationType:
    """A relation type of the ontology: its label and definition, its sign (+1 cooperation,
    -1 conflict, 0 structural), its colour in the view, and whether it is symmetric or has an
    inverse."""

    iri: str
    label: str
    definition: str
    sign: int
    colour: str | None = None
    symmetric: bool = False
    inverse: str | None = None

    @property
    def id(self) -> str:
        return local_name(self.iri)
