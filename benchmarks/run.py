"""Load and query times of the embedded engines, side by side, on the bundled and synthetic graphs.

    python benchmarks/run.py                  # bundled graph + synthetic 10k actors
    python benchmarks/run.py --actors 100000  # also 100k actors (about 15 minutes, up to 4 GB)
    python benchmarks/run.py --actors 2000    # a smaller synthetic graph
    python benchmarks/run.py --tables queries # only the named queries (engines,loading,queries)

Three tables. Engines: load and three queries in rdflib, oxrdflib, pyoxigraph and actorgraph
(rdflib and oxrdflib only up to 10k actors: rdflib takes minutes and 6 GB at 100k). Loading:
``ActorGraph.load`` against raw pyoxigraph ``Store.load`` of the same files (the calls' time,
each module imported first and its import timed apart, also shown added; and peak memory), the
index built and reopened. Named queries: every query in ``queries/``, warm, on the
bundled graph and on synthetic graphs of 1k, 10k and ``--actors`` actors, with the ratio of the
largest to 1k (a query over one actor should cost the same at any size).

Every measurement runs in a fresh process (so peak memory is that engine's alone); times are
medians of several runs. Ratios are against a reference measured in the same run (rdflib; raw
pyoxigraph; the 1k graph): absolute seconds on a shared machine are noise.
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
from typing import Any

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

    return ActorGraph.load(Path(graph), index=False)


def query(engine: str, loaded: object, text: str, actor: str) -> int:
    if engine == "rdflib":
        import rdflib

        bindings = {"actor": rdflib.URIRef(actor)} if "?actor" in text else {}
        return len(list(loaded.query(text, initBindings=bindings)))  # type: ignore[attr-defined]
    import pyoxigraph as ox

    bindings = {ox.Variable("actor"): ox.NamedNode(actor)} if "?actor" in text else {}
    return len(list(loaded.query(text, substitutions=bindings)))  # type: ignore[attr-defined]


def named_query_params(name: str, bundled: bool) -> dict[str, str]:
    """The parameters a named query is measured with: one actor where it takes an actor."""
    actor, other = ("IS-K", "Taliban") if bundled else ("a42", "a43")
    return {
        "actor-statements": {"actor": actor},
        "affiliations": {"actor": actor},
        "asserted-by": {"party": "UN" if bundled else actor},
        "cooperation": {"actor": actor},
        "enemies": {"actor": actor},
        "enemy-of-my-enemy": {"actor": actor},
        "find-actors": {"text": "taliban" if bundled else "Actor 42"},
        "leaders": {"actor": actor},
        "paths": {"from": "IS-K", "to": "Taliban"}  # two hubs: the most paths
        if bundled
        else {"from": actor, "to": other},
        "profile": {"actor": actor},
        "recruits-from": {"actor": actor},
        "statements": {"subject": actor},
        "valid-at": {"date": "2019"},
    }.get(name, {})


def query_worker(graph: str, bundled: bool, repeat: int) -> None:
    """Load a graph with ActorGraph.load (from Turtle), then time every named query warm."""
    from actorgraph import ActorGraph

    kg = ActorGraph.load(Path(graph), index=False)
    results = {}
    for named in kg.queries():
        params = named_query_params(named.name, bundled)
        kg.query(named.name, **params)  # warm: caches, catalogue, plan of the text
        times: list[float] = []
        while len(times) < repeat and (len(times) < 3 or sum(times) < 2.0):  # slow: 3 runs
            start = time.perf_counter()
            rows = kg.query(named.name, **params)
            times.append(time.perf_counter() - start)
        results[named.name] = {"ms": statistics.median(times) * 1000, "rows": len(rows)}
    print(json.dumps(results))


def load_worker(what: str, graph: str, cache: str) -> None:
    """One load in this fresh process: raw pyoxigraph, ActorGraph.load from Turtle, building
    the index, or reopening it; prints the import's time, the call's time and this process's
    peak memory."""
    import os

    os.environ["ACTORGRAPH_CACHE"] = cache
    start = time.perf_counter()
    if what == "pyoxigraph":
        import pyoxigraph  # noqa: F401  (imported before the call is timed, as actorgraph is)
    else:
        from actorgraph import ActorGraph
    imported = time.perf_counter()
    if what == "pyoxigraph":
        load("pyoxigraph", graph)
    else:
        choice = {"actorgraph": False, "index-build": True, "index-reopen": None}[what]
        kg = ActorGraph.load(Path(graph), index=choice)
        if what == "index-reopen" and (kg.index is None or not kg.index.reused):
            raise SystemExit("the index was not reused")
    seconds = time.perf_counter() - imported
    print(json.dumps({"import": imported - start, "seconds": seconds, "rss_mb": peak_rss_mb()}))


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
    return _fresh("--worker", engine, workload, str(graph), actor, str(repeat))


def _fresh(*args: str) -> Any:
    """Run this script with ``args`` in a new process; its printed JSON."""
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"benchmark worker failed: {done.stderr.strip()}")
    return json.loads(done.stdout)


def loading_table(graphs: list[tuple[str, Path]], repeat: int) -> None:
    """ActorGraph.load against raw pyoxigraph, each in fresh processes, runs interleaved."""
    import tempfile

    header = (
        "graph",
        "load",
        "import s",
        "call s",
        "peak RSS MB",
        "/ raw pyoxigraph (call, RSS)",
        "with imports",
    )
    table = []
    for name, graph in graphs:
        folder = tempfile.TemporaryDirectory(prefix="actorgraph-bench-cache-")
        cache = folder.name  # the index is built here and removed afterwards
        runs: dict[str, list[dict[str, float]]] = {"pyoxigraph": [], "actorgraph": []}
        for _ in range(repeat):
            for what in runs:
                runs[what].append(_fresh("--load-worker", what, str(graph), cache))
        runs["index-build"] = [_fresh("--load-worker", "index-build", str(graph), cache)]
        runs["index-reopen"] = [
            _fresh("--load-worker", "index-reopen", str(graph), cache) for _ in range(repeat)
        ]
        raw = statistics.median(r["seconds"] for r in runs["pyoxigraph"])
        raw_all = statistics.median(r["seconds"] + r["import"] for r in runs["pyoxigraph"])
        raw_rss = statistics.median(r["rss_mb"] for r in runs["pyoxigraph"])
        for what, results in runs.items():
            imports = statistics.median(r["import"] for r in results)
            seconds = statistics.median(r["seconds"] for r in results)
            everything = statistics.median(r["seconds"] + r["import"] for r in results)
            rss = statistics.median(r["rss_mb"] for r in results)
            table.append(
                (
                    name,
                    what,
                    f"{imports:.3f}",
                    f"{seconds:.3f}",
                    f"{rss:.0f}",
                    f"{seconds / raw:.2f}x, {rss / raw_rss:.2f}x",
                    f"{everything / raw_all:.2f}x",
                )
            )
        folder.cleanup()
        print(f"measured loading {name}", file=sys.stderr)
    print_table(header, table)


def queries_table(graphs: list[tuple[str, Path, bool]], repeat: int) -> None:
    """Every named query, warm, on each graph; the ratio of the largest synthetic to 1k."""
    measured = {
        name: _fresh("--query-worker", str(graph), str(bundled), str(repeat))
        for name, graph, bundled in graphs
    }
    names = [name for name, _, _ in graphs]
    first, last = names[1], names[-1]  # the smallest and largest synthetic graphs
    header = ("query", "measured with", *(f"{n} ms" for n in names), f"{last} / {first}")
    table = []
    for query in measured[names[0]]:
        params = named_query_params(query, False)
        per_actor = any(v.startswith("a4") for v in params.values())
        times = [measured[n][query]["ms"] for n in names]
        ratio = measured[last][query]["ms"] / measured[first][query]["ms"]
        what = "one actor" if per_actor else ("one value" if params else "whole graph")
        table.append((query, what, *(f"{t:.2f}" for t in times), f"{ratio:.1f}x"))
    print_table(header, table)


def engines_table(graphs: list[tuple[str, Path, str, int]], with_rdflib: bool) -> None:
    reference = "rdflib" if with_rdflib else "pyoxigraph"
    header = (
        "graph",
        "workload",
        "engine",
        "median s",
        "peak RSS MB",
        "rows",
        f"{reference} / engine",
    )
    table = []
    for name, graph, actor, repeat in graphs:
        engines = ENGINES if with_rdflib else ("pyoxigraph", "actorgraph")
        query_engines = QUERY_ENGINES if with_rdflib else ("pyoxigraph",)
        workloads = [("load", engines)] + [(w, query_engines) for w in (*ONE_ACTOR, "aggregate")]
        for workload, chosen in workloads:
            results = {engine: measure(engine, workload, graph, actor, repeat) for engine in chosen}
            baseline = results[chosen[0]]["seconds"]
            for engine, result in results.items():
                table.append(
                    (
                        name,
                        workload,
                        engine,
                        f"{result['seconds']:.4f}",
                        f"{result['rss_mb']:.0f}",
                        str(result["rows"]) if workload != "load" else "",
                        f"{baseline / result['seconds']:.1f}x",
                    )
                )
            print(f"measured {name} / {workload}", file=sys.stderr)
    print_table(header, table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actors", type=int, default=10_000, help="largest synthetic graph")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (small graph)")
    parser.add_argument(
        "--tables",
        default="engines,loading,queries",
        help="which tables to measure (comma-separated; default all three)",
    )
    parser.add_argument("--worker", nargs=5, help=argparse.SUPPRESS)
    parser.add_argument("--load-worker", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--query-worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        engine, workload, graph, actor, repeat = args.worker
        worker(engine, workload, graph, actor, int(repeat))
        return
    if args.load_worker:
        load_worker(*args.load_worker)
        return
    if args.query_worker:
        graph, bundled, repeat = args.query_worker
        query_worker(graph, bundled == "True", int(repeat))
        return

    from synthetic import write_synthetic

    from actorgraph.bundled import graph_dir

    data = HERE / ".data"
    sizes = sorted({1_000, min(10_000, args.actors), args.actors})
    synthetic = {n: write_synthetic(data, n) for n in sizes}
    largest = synthetic[args.actors]
    few = max(1, args.repeat // 2)  # big graphs: fewer runs
    tables = set(args.tables.split(","))
    if "engines" in tables:
        print(f"== engines (synthetic {args.actors:,} actors)")
        engines_table(
            [
                ("bundled IS-K graph", graph_dir(), _ISK, args.repeat),
                (
                    f"synthetic {args.actors:,} actors",
                    largest,
                    _A42,
                    1 if args.actors > 10_000 else few,
                ),
            ],
            with_rdflib=args.actors <= 10_000,
        )
    if "loading" in tables:
        print("\n== loading: ActorGraph.load and its index against raw pyoxigraph Store.load")
        loading_table(
            [
                (f"synthetic {n:,} actors", synthetic[n])
                for n in sizes
                if n >= min(10_000, args.actors)
            ],
            1 if args.actors > 10_000 else args.repeat,
        )
    if "queries" in tables:
        print("\n== named queries, warm (median ms of 20 runs, 3 when slow; loaded from Turtle)")
        queries_table(
            [("bundled", graph_dir(), True)]
            + [(f"{n // 1000}k", synthetic[n], False) for n in sizes],
            20,
        )


_ISK = "https://w3id.org/actorgraph/actor/isk"
_A42 = "https://w3id.org/actorgraph/actor/a42"


if __name__ == "__main__":
    main()
