"""Endpoint throughput: a named query under concurrent load, `actorgraph serve` vs `oxigraph serve`
(and Virtuoso where `virtuoso-t` is installed).

    python benchmarks/serve.py                 # 400 requests, 8 at a time, bundled graph
    python benchmarks/serve.py --requests 1000 --concurrency 16

The servers run on loopback (started by the tests' launchers, tests/servers.py) and hold the
bundled graph; the load comes from a separate process (a pool of HTTP client threads), a
bounded number of requests. The query is the named query "enemies" for IS-K: through
`/queries/enemies?actor=IS-K` on actorgraph, and as the same SPARQL text with the IRI bound in
a VALUES block on Oxigraph's /query and Virtuoso's /sparql. Ratios are against Oxigraph
measured in the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

# benchmarks/ and tests/ are on the path now
from servers import (  # noqa: E402
    VIRTUOSO_AUTH,
    VIRTUOSO_GRAPH,
    oxigraph_binary,
    running_actorgraph,
    running_oxigraph,
    running_virtuoso,
    virtuoso_binary,
)
from table import print_table  # noqa: E402

ACCEPT = {"Accept": "application/sparql-results+json"}


def load(url: str, requests: int, concurrency: int) -> dict[str, float]:
    """Run in a child process: fire ``requests`` GETs, ``concurrency`` at a time."""

    def one(_: int) -> tuple[float, int]:
        start = time.perf_counter()
        request = urllib.request.Request(url, headers=ACCEPT)
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            status = response.status
        return time.perf_counter() - start, status

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(one, range(requests)))
    elapsed = time.perf_counter() - started
    latencies = sorted(r[0] for r in results)
    return {
        "rps": requests / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "errors": sum(status != 200 for _, status in results),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--load", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        print(json.dumps(load(args.load[0], int(args.load[1]), int(args.load[2]))))
        return

    import pyoxigraph as ox

    from actorgraph import ActorGraph
    from actorgraph.bundled import queries_dir
    from actorgraph.remote import bind_values

    binary = oxigraph_binary()
    if binary is None:
        raise SystemExit("no oxigraph server binary: pip install -e '.[test]'")
    text = (queries_dir() / "enemies.rq").read_text(encoding="utf-8")
    bound = bind_values(text, {"actor": ox.NamedNode("https://w3id.org/actorgraph/actor/isk")})
    results = {}
    with contextlib.ExitStack() as stack:
        ours = stack.enter_context(running_actorgraph())
        theirs = stack.enter_context(running_oxigraph(binary))
        ActorGraph.load().push(theirs + "/update")
        targets = {
            "actorgraph serve (named query URL)": ours + "/queries/enemies?actor=IS-K&format=json",
            "oxigraph serve (same SPARQL)": theirs
            + "/query?"
            + urllib.parse.urlencode({"query": bound}),
        }
        virtuoso = virtuoso_binary()
        if virtuoso:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            base = stack.enter_context(running_virtuoso(virtuoso, folder))
            ActorGraph.load().push(
                base + "/sparql-auth", auth=VIRTUOSO_AUTH, default_graph=VIRTUOSO_GRAPH
            )
            query = {"query": bound, "default-graph-uri": VIRTUOSO_GRAPH}
            targets["virtuoso (same SPARQL)"] = base + "/sparql?" + urllib.parse.urlencode(query)
        for name, url in targets.items():
            request = urllib.request.Request(url, headers=ACCEPT)
            urllib.request.urlopen(request, timeout=60).read()  # warm up
            command = [
                sys.executable,
                __file__,
                "--load",
                url,
                str(args.requests),
                str(args.concurrency),
            ]
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            results[name] = json.loads(done.stdout)
    reference = results["oxigraph serve (same SPARQL)"]["rps"]
    rows = [
        (
            name,
            f"{r['rps']:.0f}",
            f"{r['p50']:.1f}",
            f"{r['p99']:.1f}",
            str(int(r["errors"])),
            f"{r['rps'] / reference:.2f}x",
        )
        for name, r in results.items()
    ]
    print(f"{args.requests} requests, {args.concurrency} concurrent, from a separate process")
    print_table(("server", "requests/s", "p50 ms", "p99 ms", "errors", "vs oxigraph"), rows)


if __name__ == "__main__":
    main()
