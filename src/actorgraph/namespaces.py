"""The one base IRI of the graph and the namespaces derived from it.

>>> str(ACT["isk"])
'https://w3id.org/actorgraph/actor/isk'
"""

from __future__ import annotations

__all__ = [
    "ACT",
    "AG",
    "BASE",
    "CAND",
    "FIG",
    "PREFIXES",
    "PROP",
    "REVIEW_PREFIXES",
    "SRC",
    "STMT",
    "XSD",
    "sparql_prologue",
    "turtle_prefixes",
]

BASE = "https://w3id.org/actorgraph/"


class Namespace:
    """An IRI prefix; ``NS["local"]`` gives the full IRI."""

    __slots__ = ("iri",)

    def __init__(self, iri: str) -> None:
        self.iri = iri

    def __getitem__(self, local: str) -> str:
        return self.iri + local

    def __str__(self) -> str:
        return self.iri

    def __repr__(self) -> str:
        return f"Namespace({self.iri!r})"


AG = Namespace(BASE + "ontology#")
ACT = Namespace(BASE + "actor/")
STMT = Namespace(BASE + "statement/")
SRC = Namespace(BASE + "source/")
FIG = Namespace(BASE + "figure/")
CAND = Namespace(BASE + "candidate/")  # candidate statements awaiting review
PROP = Namespace(BASE + "proposed/")  # actors a reader proposes
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")

PREFIXES: dict[str, str] = {
    "ag": str(AG),
    "act": str(ACT),
    "stmt": str(STMT),
    "src": str(SRC),
    "fig": str(FIG),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": str(XSD),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
}


def sparql_prologue() -> str:
    """``PREFIX`` declarations of :data:`PREFIXES`, to start a SPARQL query or update with."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())


#: :data:`PREFIXES` and the review's namespaces: candidates and proposed actors.
REVIEW_PREFIXES: dict[str, str] = {**PREFIXES, "cand": str(CAND), "prop": str(PROP)}


def shorten(iri: str) -> str:
    """The IRI as a prefixed name where a known namespace holds it, as tables show it.

    >>> shorten("https://w3id.org/actorgraph/actor/isk"), shorten("https://example.org/x")
    ('act:isk', 'https://example.org/x')
    """
    for prefix, namespace in REVIEW_PREFIXES.items():
        if iri.startswith(namespace) and iri != namespace:
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def turtle_prefixes(names: list[str], width: int) -> str:
    """Turtle ``@prefix`` lines for ``names`` (keys of :data:`REVIEW_PREFIXES`), the IRIs
    aligned after ``width`` characters of ``name:``.

    >>> print(turtle_prefixes(["ag", "act"], 5), end="")
    @prefix ag:   <https://w3id.org/actorgraph/ontology#> .
    @prefix act:  <https://w3id.org/actorgraph/actor/> .
    """
    return "".join(f"@prefix {name + ':':<{width}} <{REVIEW_PREFIXES[name]}> .\n" for name in names)
