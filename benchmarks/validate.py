"""Validation at scale: `actorgraph validate` on the bundled and synthetic graphs, its SHACL
engine (shacl-rust) against pySHACL on the same shapes, measured in the same run.

    python benchmarks/validate.py                       # bundled, 1k, 3k and 10k actors
    python benchmarks/validate.py --actors 1000 3000    # other synthetic sizes
    python benchmarks/validate.py --reference-timeout 600

Columns:

- ``validate, cold``: ``actorgraph --graph G validate`` in a fresh process, wall and CPU
  seconds and peak RSS: loading plus every check the bundled graph gets (SHACL shapes, each
  source text against its SHA-256, every quote against its source text, every direct edge
  licensed by an asserted statement). Target: <= 30 s at 10k actors.
- ``shapes``: the SHACL step alone, after loading, each engine in a fresh process of its own:
  shacl-rust as ``kg.validate()`` runs it (the graph written out as Turtle, the shapes checked
  against SHACL for SHACL, then validated), and the reference, pySHACL on the same
  ``shapes.ttl``, as actorgraph ran it before (the graph copied into rdflib, then
  ``pyshacl.validate``). pySHACL is stopped after ``--reference-timeout`` seconds and reported
  as "> N s"; the ratio is then an upper bound ("<").
- ``violations``: how many each engine reported (the synthetic graphs are valid: 0 and 0).

Every measurement is a fresh process; seconds are medians of ``--repeat`` runs for the
bundled graph and single runs for the synthetic ones. Absolute seconds on a shared machine are
noise: compare the ratios, measured in the same run. pySHACL comes with the ``bench`` extra
(``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from processes import Run, timed  # noqa: E402  (benchmarks/ is on the path now)
from table import print_table  # noqa: E402

TARGET_SECONDS, TARGET_ACTORS = 30.0, 10_000


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM, which unlike ru_maxrss restarts at exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def worker(engine: str, graph: str) -> None:
    """Load ``graph``, time its SHACL step with ``engine``; print one JSON line."""
    from actorgraph import ActorGraph
    from actorgraph.namespaces import PREFIXES
    from actorgraph.turtle import read_turtle

    kg = ActorGraph.load(graph)
    shapes = read_turtle(kg.shapes_path)
    start = time.perf_counter()
    if engine == "shacl-rust":
        from actorgraph.shacl import shacl_violations

        violations = len(shacl_violations(kg.store.turtle(PREFIXES), shapes))
    else:
        import pyshacl
        import rdflib

        from actorgraph.store import to_rdflib

        _, report, _ = pyshacl.validate(
            kg.store.to_rdflib(),
            shacl_graph=to_rdflib(shapes.triples),
            inference="none",
            allow_infos=True,
            allow_warnings=True,
        )
        sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
        violations = len(set(report.subjects(rdflib.RDF.type, sh.ValidationResult)))
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "rss_mb": peak_rss_mb(), "violations": violations}))


def shapes_step(engine: str, graph: Path, timeout: float | None) -> dict[str, float] | None:
    """The SHACL step of ``engine`` on ``graph`` in a fresh process; None if it timed out."""
    command = [sys.executable, __file__, "--worker", engine, str(graph)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        sys.exit(f"{engine} on {graph} failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def cold_validate(graph: Path) -> Run:
    """``actorgraph --graph GRAPH validate`` in a fresh process."""
    run = timed(
        [str(Path(sys.executable).parent / "actorgraph"), "--graph", str(graph), "validate"]
    )
    if not run.stdout.startswith("ok: "):
        sys.exit(f"actorgraph validate {graph} found problems:\n{run.stdout}")
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actors", type=int, nargs="+", default=[1000, 3000, 10_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs on the bundled graph")
    parser.add_argument(
        "--reference-timeout", type=float, default=60.0, help="seconds pySHACL may take"
    )
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return

    from synthetic import write_synthetic

    graphs = [("bundled IS-K graph", HERE.parent / "graph", args.repeat)]
    for actors in args.actors:
        graphs.append((f"{actors:,} actors", write_synthetic(HERE / ".data", actors), 1))
    header = (
        "graph",
        "validate, cold: wall s",
        "CPU s",
        "peak RSS MB",
        "shapes: shacl-rust s",
        "pySHACL s (reference)",
        "shacl-rust / pySHACL",
        "peak RSS MB¹ rust / py",
        "violations rust / py",
    )
    rows = []
    for name, graph, repeat in graphs:
        rows.append((name, *measure(graph, repeat, args.reference_timeout)))
        print(f"measured {name}", file=sys.stderr)
    print_table(header, rows)
    print("¹ of the process that loads the graph and runs the SHACL step")
    for row in rows:
        if row[0] == f"{TARGET_ACTORS:,} actors":
            verdict = "meets" if float(row[1]) <= TARGET_SECONDS else "misses"
            print(f"{row[0]}: validated in {row[1]} s, {verdict} the target <= {TARGET_SECONDS} s")


def measure(graph: Path, repeat: int, timeout: float) -> tuple[str, ...]:
    """One row of the table for ``graph`` (see the module's description)."""
    cold = [cold_validate(graph) for _ in range(repeat)]
    ours = [shapes_step("shacl-rust", graph, None) for _ in range(repeat)]
    theirs: list[dict[str, float] | None] = []
    while len(theirs) < repeat and None not in theirs:  # once stopped, not again
        theirs.append(shapes_step("pyshacl", graph, timeout))
    rust = statistics.median(r["seconds"] for r in ours if r)
    rust_rss = max(r["rss_mb"] for r in ours if r)
    rust_found = int(ours[0]["violations"]) if ours[0] else "?"
    finished = [r for r in theirs if r is not None]
    if len(finished) == len(theirs):
        py = statistics.median(r["seconds"] for r in finished)
        py_text, ratio = f"{py:.2f}", f"{rust / py:.3f}"
        py_rss = f"{max(r['rss_mb'] for r in finished):.0f}"
        py_found: object = int(finished[0]["violations"])
    else:
        py_text, ratio = f"> {timeout:.0f} (stopped)", f"< {rust / timeout:.3f}"
        py_rss, py_found = "–", "–"
    return (
        f"{statistics.median(c.wall for c in cold):.2f}",
        f"{statistics.median(c.cpu for c in cold):.2f}",
        f"{max(c.rss_mb for c in cold):.0f}",
        f"{rust:.3f}",
        py_text,
        ratio,
        f"{rust_rss:.0f} / {py_rss}",
        f"{rust_found} / {py_found}",
    )


if __name__ == "__main__":
    main()
