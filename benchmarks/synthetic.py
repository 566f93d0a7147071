"""Synthetic actor graphs in the bundled graph's shape, for benchmarks (about 50 triples per actor).

Each actor has a label, two aliases and four statements; each statement has its evidence, a
sentence of a generated source text with exact offsets, so the graph also validates.

>>> text, turtle = synthetic_graph(3)
>>> turtle.count("a ag:Statement")
12
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

__all__ = ["synthetic_graph", "write_synthetic"]

_RELATIONS = ("hostileTo", "recruitsFrom", "cooperatesWith", "targets", "alignedWith", "supports")
_STANCES = ("Asserted", "Asserted", "Asserted", "Hedged", "Disputed", "Denied")
_KINDS = ("ArmedGroup", "State", "Government", "Community", "Person")
_HEADER = """@prefix ag:   <https://w3id.org/actorgraph/ontology#> .
@prefix act:  <https://w3id.org/actorgraph/actor/> .
@prefix stmt: <https://w3id.org/actorgraph/statement/> .
@prefix src:  <https://w3id.org/actorgraph/source/> .
@prefix rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .

act:author a ag:Person ; skos:prefLabel "Synthetic Author"@en .
"""


def synthetic_graph(actors: int, *, seed: int = 7) -> tuple[str, str]:
    """The source text and the Turtle of a synthetic graph with ``actors`` actors."""
    rng = random.Random(seed)
    sentences: list[str] = []
    offset = 0
    blocks = [_HEADER]
    for i in range(actors):
        kind = _KINDS[i % len(_KINDS)]
        blocks.append(
            f'act:a{i} a ag:{kind} ; skos:prefLabel "Actor {i}"@en ;\n'
            f'    skos:altLabel "A-{i}"@en, "Group number {i}"@en .\n'
        )
        for j in range(4):
            other = rng.randrange(actors)
            relation = rng.choice(_RELATIONS)
            stance = rng.choice(_STANCES)
            sentence = f"Actor {i} {relation} actor {other} in claim {j}."
            start, end = offset, offset + len(sentence)
            sentences.append(sentence)
            offset = end + 1
            contested = " ag:contestedBy act:author ;" if stance == "Disputed" else ""
            year = 2000 + rng.randrange(25)
            blocks.append(
                f"stmt:s{i}-{j} a ag:Statement ; rdf:subject act:a{i} ; "
                f"rdf:predicate ag:{relation} ; rdf:object act:a{other} ;\n"
                f"    ag:stance ag:{stance} ; ag:assertedBy act:author ;{contested}\n"
                f'    ag:validFrom "{year}"^^xsd:gYear ;\n'
                f"    prov:wasDerivedFrom [ a ag:Evidence ; ag:source src:synthetic ;\n"
                f'        ag:start {start} ; ag:end {end} ; ag:quote "{sentence}" ] .\n'
            )
    text = "\n".join(sentences) + "\n"
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    blocks.append(
        f'src:synthetic a ag:Source ; dcterms:title "Synthetic source" ; '
        f"dcterms:creator act:author ;\n"
        f'    ag:textFile "synthetic.txt" ; ag:sha256 "{digest}" .\n'
    )
    return text, "\n".join(blocks)


def write_synthetic(folder: Path, actors: int) -> Path:
    """Write ``graph.ttl`` and ``synthetic.txt`` for ``actors`` actors into a folder below
    ``folder`` (cached); returns that graph folder, ready for ``ActorGraph.load``."""
    folder = folder / f"synthetic-{actors}"
    turtle_path = folder / "graph.ttl"
    if not turtle_path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        text, turtle = synthetic_graph(actors)
        (folder / "synthetic.txt").write_text(text, encoding="utf-8")
        turtle_path.write_text(turtle, encoding="utf-8")
    return folder
