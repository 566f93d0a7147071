"""Ingestion against a curated answer key: recall, precision, stance and asserting-party agreement.

    python benchmarks/ingest.py                       # the bundled USIP article
    python benchmarks/ingest.py --graph my-graph/ --source-id my-source
    python benchmarks/ingest.py --scale 8,64        # reading time by text size (the text repeated)

The reader proposes candidates for the source's stored text using only the graph's actors and
ontology (never its statements); the graph's curated statements for that source are the key.
A candidate matches a curated statement when it links the same two actors (either direction), in
the same relation family (conflict, cooperation, structural), and its quote overlaps the
statement's. The key holds the statements the text states (basis Stated): a reader's inferences
are not in the words a machine reads. Recall: key statements matched; precision: candidates
that match one; stance and asserting party: agreement over the matched pairs. Seconds: the whole
read, without loading the graph. Targets: recall ≥ 0.7 at precision ≥ 0.5, stance ≥ 0.8, < 5 s.

``--scale A,B`` reads the text repeated A and B times and prints the time per megabyte of each
and their ratio (target: B's time per megabyte at most 1.5 times A's, i.e. linear in the size),
for the text as written and for it without full stops (one long sentence, read in pieces).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE)]

from table import print_table  # noqa: E402


def main() -> None:
    from actorgraph import ActorGraph, Basis
    from actorgraph.ingest import Reader

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--graph", action="append", default=[])
    parser.add_argument("--source-id", default="usip-2021-isk-resurgence")
    parser.add_argument("--scale", help="two repeat counts, e.g. 8,64: reading time by size")
    args = parser.parse_args()
    kg = ActorGraph.load(*args.graph)
    source = next(s for s in kg.source_texts() if s.endswith("/" + args.source_id))
    text = kg.source_texts()[source].text
    assert text is not None, f"{source}: text not readable"
    key = [s for s in kg.statements() if s.evidence.source == source and s.basis is Basis.STATED]
    author = next(iter({s.asserted_by_iri for s in key if s.asserted_by == "asfandyar-mir"}), None)
    types = kg.relation_types()

    def family(relation: str) -> int:
        return types[relation].sign if relation in types else 0

    start = time.perf_counter()
    reading = Reader(kg, source=source, author=author).read(text, published="2021-09")
    seconds = time.perf_counter() - start

    matched_key: set[str] = set()
    matched_candidates = 0
    stance_agree = party_agree = pairs = 0
    for c in reading.candidates:
        relation = "https://w3id.org/actorgraph/ontology#" + c.relation
        hits = [
            s
            for s in key
            if {s.subject_iri, s.object_iri} == {c.subject_iri, c.object_iri}
            and family(s.relation_iri) == family(relation)
            and s.evidence.start < c.end
            and c.start < s.evidence.end
        ]
        if not hits:
            continue
        matched_candidates += 1
        for s in hits:
            if s.iri in matched_key:
                continue
            matched_key.add(s.iri)
            pairs += 1
            stance_agree += s.stance.value == c.stance
            party_agree += s.asserted_by_iri == c.asserted_by_iri
    recall = len(matched_key) / max(1, len(key))
    precision = matched_candidates / max(1, len(reading.candidates))
    if args.scale:
        rows = []
        # the text as written, and with no full stop (a list or a PDF export: one long sentence)
        for kind, shaped in (("prose", text), ("no full stops", text.replace(". ", ", "))):
            per_mb = []
            for copies in (int(n) for n in args.scale.split(",")):
                big = shaped * copies
                began = time.perf_counter()
                Reader(kg, source=source, author=author).read(big, published="2021-09")
                taken = time.perf_counter() - began
                size = len(big.encode("utf-8")) / 1e6
                per_mb.append(taken / size)
                rows.append(
                    (kind, str(copies), f"{size:.2f}", f"{taken:.2f}", f"{taken / size:.2f}", "")
                )
            rows[-1] = (*rows[-1][:5], f"{per_mb[-1] / per_mb[0]:.2f}")
        print_table(
            ("text", "copies", "MB", "seconds", "seconds per MB", "largest / smallest per MB"),
            rows,
        )
        return
    print_table(
        ("source", "key", "candidates", "recall", "precision", "stance", "party", "seconds"),
        [
            (
                args.source_id,
                str(len(key)),
                str(len(reading.candidates)),
                f"{recall:.2f}",
                f"{precision:.2f}",
                f"{stance_agree / max(1, pairs):.2f}",
                f"{party_agree / max(1, pairs):.2f}",
                f"{seconds:.2f}",
            )
        ],
    )


if __name__ == "__main__":
    main()
