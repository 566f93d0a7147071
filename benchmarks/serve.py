"""Endpoint throughput: a named query under concurrent load, `actorgraph serve` vs `oxigraph serve`.

    python benchmarks/serve.py                 # 400 requests, 8 at a time, bundled graph
    python benchmarks/serve.py --requests 1000 --concurrency 16

Both servers run on loopback and hold the bundled graph; the load comes from a separate process
(a pool of HTTP client threads), a bounded number of requests. The query is the named query
"enemies" for IS-K: through `/queries/enemies?actor=IS-K` on actorgraph, and as the same SPARQL
text with the IRI bound in a VALUES block on Oxigraph's /query. Ratios are against Oxigraph
measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from table import print_table  # noqa: E402  (benchmarks/ is on the path now)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"no answer from {url}")


def load(url: str, requests: int, concurrency: int) -> dict[str, float]:
    """Run in a child process: fire ``requests`` GETs, ``concurrency`` at a time."""

    def one(_: int) -> tuple[float, int]:
        start = time.perf_counter()
        with urllib.request.urlopen(url, timeout=60) as response:
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

    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    ours, theirs = free_port(), free_port()
    servers = [
        subprocess.Popen(
            [sys.executable, "-c", "from actorgraph.cli import main; main()",
             "serve", "--port", str(ours)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        ),
        subprocess.Popen(
            [binary, "serve", "--bind", f"127.0.0.1:{theirs}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        ),
    ]  # fmt: skip
    try:
        wait(f"http://127.0.0.1:{ours}/sparql?query=ASK%7B%7D")
        wait(f"http://127.0.0.1:{theirs}/query?query=ASK%7B%7D")
        ActorGraph.load().push(f"http://127.0.0.1:{theirs}/update")
        text = (queries_dir() / "enemies.rq").read_text(encoding="utf-8")
        bound = bind_values(text, {"actor": ox.NamedNode("https://w3id.org/actorgraph/actor/isk")})
        named = f"http://127.0.0.1:{ours}/queries/enemies?actor=IS-K&format=json"
        plain = f"http://127.0.0.1:{theirs}/query?" + urllib.parse.urlencode({"query": bound})
        targets = {
            "actorgraph serve (named query URL)": named,
            "oxigraph serve (same SPARQL)": plain,
        }
        results = {}
        for name, url in targets.items():
            urllib.request.urlopen(url, timeout=60).read()  # warm up
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
    finally:
        for server in servers:
            server.terminate()
            server.wait(10)
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
