"""The main job end to end, `actorgraph build` against the same job done the kglab way.

    python benchmarks/main_job.py             # 5 interleaved pairs on the bundled graph
    python benchmarks/main_job.py --pairs 9

actorgraph: ``actorgraph --graph graph/ build -o DIR``: load the Turtle files, validate them
completely (SHACL shapes, every quote against its stored source text and its SHA-256, every
direct edge licensed by an asserted statement), then write Turtle, JSON-LD and the offline view.

The reference, the kglab route (benchmarks/kglab_route.py): kglab loads the same Turtle files,
validates them with kglab's ``validate`` (pySHACL) against the same ``graph/shapes.ttl``
(core SHACL), queries the statements with their quotes (``queries/statements.rq``) and writes a
pyvis page of them. It does less than the build: no quote, hash or direct-edge checks, no Turtle
or JSON-LD output.

kglab is a benchmark extra and is never installed into the project's environment (it brings
about a hundred packages: Jupyter, Google Cloud storage, pyarrow …). On its first run this
script creates its own virtual environment, ``benchmarks/.venv-kglab`` (ignored by git), and
installs ``kglab==1.0.1`` into it from the package index with pip; later runs reuse it.
``--kglab-python`` names another interpreter that has kglab instead.

Every run is a fresh process (cold: imports, parsing, everything). The two sides alternate in
pairs, each pair starting with the other side, and the table shows medians: CPU time (user +
system of the process and its children) and wall time. Ratio = actorgraph / kglab, so lower
is better; the target is <= 0.33. Absolute seconds on a shared machine are noise: compare the
ratios, which are measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from processes import timed  # noqa: E402  (benchmarks/ is on the path now)
from table import print_table  # noqa: E402

KGLAB = "kglab==1.0.1"
KGLAB_VENV = HERE / ".venv-kglab"
TARGET = 0.33


def kglab_python(given: str | None) -> Path:
    """An interpreter with kglab: ``given``, else benchmarks/.venv-kglab, made on first use."""
    if given:
        return Path(given)
    python = KGLAB_VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {KGLAB_VENV} with {KGLAB} (once) …", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(KGLAB_VENV)], check=True)
        install = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        subprocess.run([*install, KGLAB], check=True)
    return python


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=5, help="interleaved pairs of runs")
    parser.add_argument("--graph", type=Path, default=ROOT / "graph", help="graph folder")
    parser.add_argument("--kglab-python", help="an interpreter that has kglab installed")
    args = parser.parse_args()
    graph = args.graph.resolve()

    python = kglab_python(args.kglab_python)
    actorgraph = Path(sys.executable).parent / "actorgraph"
    work = Path(tempfile.mkdtemp(prefix="main-job-"))
    try:
        ours = [str(actorgraph), "--graph", str(graph), "build", "-o", str(work / "site")]
        query = ROOT / "queries" / "statements.rq"
        theirs = [str(python), str(HERE / "kglab_route.py"), str(graph), str(query)]
        theirs.append(str(work / "kglab.html"))
        runs: dict[str, list[tuple[float, float]]] = {"actorgraph": [], "kglab": []}
        for pair in range(args.pairs):
            order = [("actorgraph", ours), ("kglab", theirs)]
            for side, command in order if pair % 2 == 0 else order[::-1]:
                run = timed(command, work)
                check(side, run.stdout, work)
                runs[side].append((run.cpu, run.wall))
            print(f"pair {pair + 1}/{args.pairs} done", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    header = ("measure (median)", "actorgraph build", "kglab route", "actorgraph / kglab")
    rows = []
    for index, measure in enumerate(("CPU s", "wall s")):
        ours_s = statistics.median(run[index] for run in runs["actorgraph"])
        theirs_s = statistics.median(run[index] for run in runs["kglab"])
        ratio = ours_s / theirs_s
        verdict = "meets" if ratio <= TARGET else "misses"
        rows.append(
            (
                measure,
                f"{ours_s:.3f}",
                f"{theirs_s:.3f}",
                f"{ratio:.2f} ({verdict} <= {TARGET})",
            )
        )
    print(f"main job on {graph}, {args.pairs} interleaved pairs of cold processes")
    print_table(header, rows)


def check(side: str, out: str, work: Path) -> None:
    """Make sure each side did its whole job (a benchmark of a failed run times nothing)."""
    if side == "actorgraph":
        written = sorted(p.name for p in (work / "site").iterdir())
        if not out.startswith("ok: ") or written != ["graph.html", "graph.jsonld", "graph.ttl"]:
            sys.exit(f"actorgraph build did not finish its job: {out!r}, wrote {written}")
        return
    result = json.loads(out.splitlines()[-1])
    if not result["conforms"] or not result["statements"] or not (work / "kglab.html").exists():
        sys.exit(f"the kglab route did not finish its job: {result}")


if __name__ == "__main__":
    main()
