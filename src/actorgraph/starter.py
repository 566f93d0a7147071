"""``actorgraph init``: a minimal valid graph folder a user edits into their own.

>>> import tempfile, pathlib
>>> folder = init_graph(pathlib.Path(tempfile.mkdtemp()) / "mine")
>>> from actorgraph import ActorGraph
>>> ActorGraph.load(folder).validate().ok
True
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .errors import ActorGraphError
from .files import atomic_write
from .namespaces import turtle_prefixes

__all__ = ["init_graph"]

_TEXT = (
    "Example text\n\n"
    "The Northern Front attacked the River Brigade in 2020, according to local officials.\n"
)
_QUOTE = "The Northern Front attacked the River Brigade in 2020"
_HEAD = turtle_prefixes(
    ["ag", "act", "stmt", "src", "rdf", "rdfs", "skos", "prov", "dcterms", "xsd"], 8
)


def init_graph(folder: str | Path) -> Path:
    """Write an example graph folder: a source text, its record (with the text's sha256), two
    actors and one claim with its quote and offsets. Refuses a folder that already holds files."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise ActorGraphError(f"{folder}: not empty; choose a new folder")
    data = _TEXT.encode("utf-8")
    start = _TEXT.index(_QUOTE)
    atomic_write(folder / "sources" / "example.txt", data)
    atomic_write(
        folder / "sources.ttl",
        _HEAD
        + f"""
# One record per source text; ag:textFile is relative to this file, and the sha256 pins the
# text (`sha256sum sources/example.txt`). Validation says so when they disagree.
src:example  a ag:Source ;
    dcterms:title   "Example text"@en ;
    dcterms:creator act:example-author ;
    ag:textFile     "sources/example.txt" ;
    ag:sha256       "{hashlib.sha256(data).hexdigest()}" .
""",
    )
    atomic_write(
        folder / "actors.ttl",
        _HEAD
        + """
# Actors: a class (ag:ArmedGroup, ag:State, ag:Government, ag:Person …, see the ontology), one
# skos:prefLabel, the names the text uses as skos:altLabel.
act:northern-front  a ag:ArmedGroup ;
    skos:prefLabel "Northern Front"@en .

act:river-brigade  a ag:ArmedGroup ;
    skos:prefLabel "River Brigade"@en .

act:example-author  a ag:Person ;
    skos:prefLabel "The example's author"@en .

act:local-officials  a ag:UnnamedParty ;
    skos:prefLabel "local officials"@en .
""",
    )
    atomic_write(
        folder / "claims" / "example.ttl",
        _HEAD
        + f"""
# One block per statement, coded by docs/coding-guide.md: the relation, who in the text asserts
# it and how strongly, the period, and the verbatim quote with its code-point offsets.
stmt:northern-front-targets-river-brigade  a ag:Statement ;
    rdf:subject   act:northern-front ;
    rdf:predicate ag:targets ;
    rdf:object    act:river-brigade ;
    ag:stance     ag:Asserted ;
    ag:assertedBy act:local-officials ;
    ag:attestedAt "2020"^^xsd:gYear ;
    prov:wasDerivedFrom
        [ a ag:Evidence ; ag:source src:example ; ag:start {start} ; ag:end {start + len(_QUOTE)} ;
          ag:quote "{_QUOTE}" ] .
""",
    )
    return folder
