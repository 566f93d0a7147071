"""The main job done the kglab way: the reference that benchmarks/main_job.py times.

    python kglab_route.py GRAPH_FOLDER QUERY_FILE OUTPUT_HTML

Runs in the kglab environment (benchmarks/.venv-kglab), never imports actorgraph:

1. kglab loads every Turtle file of the graph folder but ``shapes.ttl``;
2. kglab's ``validate`` (pySHACL) checks them against ``shapes.ttl`` (core SHACL);
3. kglab runs the statements query (each statement with its quote, source and offsets);
4. a pyvis page is written with one node per actor and one edge per statement, its quote
   as the edge's tooltip.

Prints one JSON line: whether the graph conforms and how many statements the query found.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import kglab
import pyvis.network


def main() -> None:
    graph, query, output = (Path(arg) for arg in sys.argv[1:4])
    kg = kglab.KnowledgeGraph()
    for path in sorted(graph.rglob("*.ttl")):
        if path.name != "shapes.ttl":
            kg.load_rdf(path)
    conforms, _, _ = kg.validate(
        shacl_graph=str(graph / "shapes.ttl"), shacl_graph_format="ttl", inference=None
    )
    rows = list(kg.query(query.read_text(encoding="utf-8")))
    page = pyvis.network.Network(cdn_resources="in_line")
    for row in rows:
        for actor, label in ((row.subject, row.subjectLabel), (row.object, row.objectLabel)):
            page.add_node(str(actor), label=str(label or actor))
        relation = str(row.relation).rsplit("#", 1)[-1]
        page.add_edge(str(row.subject), str(row.object), label=relation, title=str(row.quote))
    page.write_html(str(output))
    print(json.dumps({"conforms": bool(conforms), "statements": len(rows)}))


if __name__ == "__main__":
    main()
