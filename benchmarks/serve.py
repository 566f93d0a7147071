"""Endpoint throughput under concurrent load, `actorgraph serve` vs `oxigraph serve` (and
Virtuoso where `virtuoso-t` is installed), on two workloads:

    python benchmarks/serve.py                 # 400 requests a workload, 8 at a time, 3 rounds
    python benchmarks/serve.py --requests 1000 --concurrency 16 --rounds 5
    python benchmarks/serve.py --no-virtuoso   # Virtuoso takes minutes on some mixed queries
    python benchmarks/serve.py --no-index      # workers hold the graph in memory, not the index

- repeated: the named query "enemies" for IS-K, the same request every time. actorgraph
  answers it from its answer cache after the first time; "actorgraph serve --max-cache 0"
  computes every answer, as the other servers do.
- mixed: distinct requests, drawn (fixed seed) from every named query whose one required
  parameter is an actor (actor-statements, enemies, cooperation, profile …), for every actor of
  the bundled graph without organs (so one SPARQL query answers it on every server), with and
  without each stance where the query takes one. No request repeats, in a round or across
  rounds, so no answer comes from a cache: all are computed.

The servers run on loopback (started by the tests' launchers, tests/servers.py) and hold the
bundled graph; actorgraph is asked through `/queries/NAME?actor=ID&format=json`, Oxigraph's
/query and Virtuoso's /sparql get the same SPARQL text with the actor's IRI bound in VALUES
blocks, where actorgraph's embedded store puts them. Before timing, the answers of every server
to some mixed requests (not timed) are compared. The load comes from a separate process (a pool
of HTTP client threads); each round runs every server once, in turn, and the table gives the
median of the rounds. Ratios are against Oxigraph measured in the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

# benchmarks/ and tests/ are on the path now
from servers import (  # noqa: E402
    VIRTUOSO_AUTH,
    VIRTUOSO_GRAPH,
    free_port,
    oxigraph_binary,
    running_actorgraph,
    running_oxigraph,
    running_virtuoso,
    virtuoso_binary,
)
from servers import _serving as serving  # noqa: E402
from table import print_table  # noqa: E402

ACCEPT = {"Accept": "application/sparql-results+json"}
Request = tuple[str, dict[str, str]]  # a named query's name and its parameters
CHECKED = 40  # mixed requests whose answers are compared across servers before timing
OURS, UNCACHED, OXIGRAPH, VIRTUOSO = (
    "actorgraph serve",
    "actorgraph serve --max-cache 0",
    "oxigraph serve",
    "virtuoso",
)


def load(urls: list[str], concurrency: int) -> dict[str, float]:
    """Run in a child process: GET every URL, ``concurrency`` at a time."""

    def one(url: str) -> tuple[float, int]:
        start = time.perf_counter()
        request = urllib.request.Request(url, headers=ACCEPT)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:  # counted in the errors column
            status = error.code
        except OSError:  # no answer within the minute: an error too
            status = 0
        return time.perf_counter() - start, status

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(one, urls))
    elapsed = time.perf_counter() - started
    latencies = sorted(r[0] for r in results)
    return {
        "rps": len(urls) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "errors": sum(status != 200 for _, status in results),
    }


def timed(urls: list[str], concurrency: int) -> dict[str, float]:
    """:func:`load` in a separate process, so the client does not share our interpreter."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(urls, file)
    try:
        command = [sys.executable, __file__, "--load", file.name, str(concurrency)]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"the load failed: {done.stderr.strip().splitlines()[-1]}")
    finally:
        Path(file.name).unlink()
    return json.loads(done.stdout)


def rows_of(url: str) -> list[tuple[tuple[str, str], ...]]:
    """The rows of a SPARQL JSON answer as sorted (variable, value) pairs, in sorted order;
    the parts of a " | "-joined value sorted too (GROUP_CONCAT's order is unspecified)."""
    request = urllib.request.Request(url, headers=ACCEPT)
    with urllib.request.urlopen(request, timeout=60) as response:
        bindings = json.loads(response.read())["results"]["bindings"]
    return sorted(
        tuple(sorted((k, " | ".join(sorted(v["value"].split(" | ")))) for k, v in b.items()))
        for b in bindings
    )


def workloads(
    requests: int, rounds: int
) -> tuple[list[list[Request]], list[Request], dict[str, str]]:
    """The mixed requests (query name, parameters) of each round, some more to check the
    answers with, and the SPARQL text of each named query."""
    from actorgraph import ActorGraph
    from actorgraph.model import Stance

    kg = ActorGraph.load()
    texts, pool = {}, []
    for query in kg.queries():
        required = [p for p in query.parameters if p.required]
        if len(required) != 1 or required[0].type != "actor":
            continue
        texts[query.name] = query.text
        stances = [None]
        if any(p.name == "stance" for p in query.parameters):
            stances += [stance.value for stance in Stance]
        for actor in kg.actors():
            params = {required[0].name: actor.id}
            if len(kg.query_runs(query.name, **params)) > 1:
                continue  # an actor with organs: several queries on actorgraph
            for stance in stances:
                pool.append((query.name, params | ({"stance": stance} if stance else {})))
    random.Random(14).shuffle(pool)
    if len(pool) < requests * rounds + CHECKED:
        raise SystemExit(f"{len(pool)} distinct mixed requests: ask for fewer a round or rounds")
    mixed = [pool[r * requests : (r + 1) * requests] for r in range(rounds)]
    return mixed, pool[-CHECKED:], texts


def urls(base: str, server: str, requests: list[Request], texts: dict[str, str]) -> list[str]:
    """The URLs asking ``server`` (at ``base``) the named-query ``requests``."""
    import pyoxigraph as ox

    from actorgraph.namespaces import ACT, AG
    from actorgraph.remote import bind_values

    found = []
    for name, params in requests:
        if server in (OURS, UNCACHED):
            query = urllib.parse.urlencode({**params, "format": "json"})
            found.append(f"{base}/queries/{name}?{query}")
            continue
        terms = {k: ox.NamedNode(AG[v] if k == "stance" else ACT[v]) for k, v in params.items()}
        # the blocks where ours puts them (which binds by substitution too)
        sparql = {"query": bind_values(texts[name], terms, sub_selects=True, hints=terms)}
        if server == VIRTUOSO:
            sparql["default-graph-uri"] = VIRTUOSO_GRAPH
            found.append(f"{base}/sparql?{urllib.parse.urlencode(sparql)}")
        else:
            found.append(f"{base}/query?{urllib.parse.urlencode(sparql)}")
    return found


@contextlib.contextmanager
def actorgraph(no_index: bool, *options: str) -> Iterator[str]:
    """``actorgraph serve OPTIONS`` on the bundled graph (with the global ``--no-index``)."""
    if not no_index:
        with running_actorgraph(*options) as base:
            yield base
        return
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-c", "from actorgraph.cli import main; main()", "--no-index"]
    command += ["serve", "--port", str(port), *options]
    with serving(command, base + "/sparql?query=ASK%7B%7D"):
        yield base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400, help="requests a workload")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3, help="the table gives the medians")
    parser.add_argument(
        "--no-virtuoso", action="store_true", help="leave Virtuoso out even where installed"
    )
    parser.add_argument(
        "--no-index",
        action="store_true",
        help="actorgraph's workers read the Turtle files into memory instead of opening the index",
    )
    parser.add_argument("--load", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        print(json.dumps(load(json.loads(Path(args.load[0]).read_text()), int(args.load[1]))))
        return

    from actorgraph import ActorGraph

    binary = oxigraph_binary()
    if binary is None:
        raise SystemExit("no oxigraph server binary: pip install -e '.[test]'")
    mixed, checked, texts = workloads(args.requests, args.rounds)
    repeated = [("enemies", {"actor": "isk"})] * args.requests
    measured: dict[tuple[str, str], list[dict[str, float]]] = {}
    with contextlib.ExitStack() as stack:
        bases = {
            OURS: stack.enter_context(actorgraph(args.no_index)),
            UNCACHED: stack.enter_context(actorgraph(args.no_index, "--max-cache", "0")),
            OXIGRAPH: stack.enter_context(running_oxigraph(binary)),
        }
        ActorGraph.load().push(bases[OXIGRAPH] + "/update")
        virtuoso = None if args.no_virtuoso else virtuoso_binary()
        if virtuoso:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            bases[VIRTUOSO] = stack.enter_context(running_virtuoso(virtuoso, folder))
            ActorGraph.load().push(
                bases[VIRTUOSO] + "/sparql-auth", auth=VIRTUOSO_AUTH, default_graph=VIRTUOSO_GRAPH
            )
        check = {s: urls(b, s, checked, texts) for s, b in bases.items()}
        expected = [rows_of(url) for url in check[OXIGRAPH]]
        agree = {
            server: sum(rows_of(u) == e for u, e in zip(found, expected, strict=True))
            for server, found in check.items()
        }
        for server, base in bases.items():  # warm up; actorgraph keeps the repeated answer
            urllib.request.urlopen(urls(base, server, repeated[:1], texts)[0]).read()
        for round in range(args.rounds):
            plan = {
                "repeated": {s: urls(b, s, repeated, texts) for s, b in bases.items()},
                "mixed": {
                    s: urls(b, s, mixed[round], texts) for s, b in bases.items() if s != UNCACHED
                },
            }
            for workload, targets in plan.items():
                for server, found in targets.items():
                    result = timed(found, args.concurrency)
                    measured.setdefault((workload, server), []).append(result)
    rows = []
    for (workload, server), runs in measured.items():
        reference = statistics.median(r["rps"] for r in measured[(workload, OXIGRAPH)])
        rps = statistics.median(r["rps"] for r in runs)
        rows.append(
            (
                workload,
                server,
                f"{rps:.0f}",
                f"{statistics.median(r['p50'] for r in runs):.1f}",
                f"{statistics.median(r['p99'] for r in runs):.1f}",
                str(int(sum(r["errors"] for r in runs))),
                f"{rps / reference:.2f}x",
            )
        )
    print(
        f"{args.requests} requests a workload and round, {args.concurrency} concurrent, from a "
        f"separate process; medians of {args.rounds} rounds"
    )
    print(
        f"answers equal to Oxigraph's on {len(checked)} other mixed requests: "
        + ", ".join(f"{server} {n}/{len(expected)}" for server, n in agree.items())
    )
    header = ("workload", "server", "requests/s", "p50 ms", "p99 ms", "errors", "vs oxigraph")
    print_table(header, rows)


if __name__ == "__main__":
    main()
