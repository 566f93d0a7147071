"""Load and query times of the embedded engines, side by side, on the bundled and a synthetic graph.

    python benchmarks/run.py               # bundled graph + synthetic 10k actors
    python benchmarks/run.py --actors 2000 # a smaller synthetic graph

Every measurement runs in a fresh process (so peak memory is that engine's alone); times are
medians of several runs. Ratios are against rdflib's in-memory store measured in the same run,
the reference most Python RDF code uses: absolute seconds on a shared machine are noise.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from table import print_table  # noqa: E402  (benchmarks/ is on the path now)

ENGINES = ("rdflib", "oxrdflib", "pyoxigraph", "actorgraph")
QUERY_ENGINES = ("rdflib", "pyoxigraph")
_PREFIXES = """
PREFIX ag:   <https://w3id.org/actorgraph/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""
# Every statement about one bound actor, in either role. The anchor bound in a triple pattern
# ("values") is what the named queries do; bound only inside UNION branches ("union") it is not
# pushed down by pyoxigraph's substitutions, so the whole union is evaluated first.
ONE_ACTOR = {
    "one-actor (values)": _PREFIXES
    + """SELECT ?actor ?statement ?relation ?stance ?quote WHERE {
  VALUES ?role { rdf:subject rdf:object }
  ?statement ?role ?actor ; rdf:predicate ?relation ; ag:stance ?stance ;
      prov:wasDerivedFrom/ag:quote ?quote .
}""",
    "one-actor (union)": _PREFIXES
    + """SELECT ?actor ?statement ?relation ?stance ?quote WHERE {
  { ?statement rdf:subject ?actor } UNION { ?statement rdf:object ?actor }
  ?statement rdf:predicate ?relation ; ag:stance ?stance ; prov:wasDerivedFrom/ag:quote ?quote .
}""",
}
AGGREGATE = """
PREFIX ag:  <https://w3id.org/actorgraph/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?relation ?stance (COUNT(?statement) AS ?n) WHERE {
  ?statement a ag:Statement ; rdf:predicate ?relation ; ag:stance ?stance .
} GROUP BY ?relation ?stance ORDER BY ?relation ?stance"""


def turtle_files(graph: str) -> list[Path]:
    folder = Path(graph)
    return sorted(p for p in folder.rglob("*.ttl") if p.name != "shapes.ttl")


def load(engine: str, graph: str) -> object:
    files = turtle_files(graph)
    if engine == "rdflib":
        import rdflib

        g = rdflib.Graph()
        for path in files:
            g.parse(path, format="turtle")
        return g
    if engine == "oxrdflib":
        import rdflib

        g = rdflib.Graph(store="Oxigraph")
        for path in files:
            g.parse(path, format="ox-turtle")
        return g
    if engine == "pyoxigraph":
        import pyoxigraph as ox

        store = ox.Store()
        for path in files:
            store.load(path=str(path), format=ox.RdfFormat.TURTLE)
        return store
    from actorgraph import ActorGraph

    return ActorGraph.load(Path(graph))


def query(engine: str, loaded: object, text: str, actor: str) -> int:
    if engine == "rdflib":
        import rdflib

        bindings = {"actor": rdflib.URIRef(actor)} if "?actor" in text else {}
        return len(list(loaded.query(text, initBindings=bindings)))  # type: ignore[attr-defined]
    import pyoxigraph as ox

    bindings = {ox.Variable("actor"): ox.NamedNode(actor)} if "?actor" in text else {}
    return len(list(loaded.query(text, substitutions=bindings)))  # type: ignore[attr-defined]


def worker(engine: str, workload: str, graph: str, actor: str, repeat: int) -> None:
    """Measure one engine on one workload in this (fresh) process; print JSON."""
    times = []
    rows = 0
    if workload == "load":
        for _ in range(repeat):
            start = time.perf_counter()
            load(engine, graph)
            times.append(time.perf_counter() - start)
    else:
        loaded = load(engine, graph)
        text = ONE_ACTOR.get(workload, AGGREGATE)
        for _ in range(repeat):
            start = time.perf_counter()
            rows = query(engine, loaded, text, actor)
            times.append(time.perf_counter() - start)
    peak_mb = peak_rss_mb()
    print(json.dumps({"seconds": statistics.median(times), "rss_mb": peak_mb, "rows": rows}))


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM, which unlike ru_maxrss restarts at exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(engine: str, workload: str, graph: Path, actor: str, repeat: int) -> dict[str, float]:
    command = [
        sys.executable,
        __file__,
        "--worker",
        engine,
        workload,
        str(graph),
        actor,
        str(repeat),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actors", type=int, default=10_000, help="synthetic graph size")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (small graph)")
    parser.add_argument("--worker", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        engine, workload, graph, actor, repeat = args.worker
        worker(engine, workload, graph, actor, int(repeat))
        return

    from synthetic import write_synthetic

    from actorgraph.bundled import graph_dir

    synthetic = write_synthetic(HERE / ".data", args.actors)
    graphs = [
        ("bundled IS-K graph", graph_dir(), "https://w3id.org/actorgraph/actor/isk", args.repeat),
        (
            f"synthetic {args.actors:,} actors",
            synthetic,
            "https://w3id.org/actorgraph/actor/a42",
            max(1, args.repeat // 2),
        ),
    ]
    header = ("graph", "workload", "engine", "median s", "peak RSS MB", "rows", "rdflib / engine")
    table = []
    for name, graph, actor, repeat in graphs:
        workloads = [("load", ENGINES)] + [(w, QUERY_ENGINES) for w in (*ONE_ACTOR, "aggregate")]
        for workload, engines in workloads:
            results = {
                engine: measure(engine, workload, graph, actor, repeat) for engine in engines
            }
            reference = results["rdflib"]["seconds"]
            for engine, result in results.items():
                table.append(
                    (
                        name,
                        workload,
                        engine,
                        f"{result['seconds']:.4f}",
                        f"{result['rss_mb']:.0f}",
                        str(result["rows"]) if workload != "load" else "",
                        f"{reference / result['seconds']:.1f}x",
                    )
                )
            print(f"measured {name} / {workload}", file=sys.stderr)
    print_table(header, table)


if __name__ == "__main__":
    main()
