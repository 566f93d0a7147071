"""A plain, non-editable install finds its bundled graph and queries from any directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_install_works_from_another_directory(tmp_path: Path) -> None:
    wheels, target, elsewhere = tmp_path / "wheels", tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(ROOT)],
        check=True,
    )
    (wheel,) = wheels.glob("actorgraph-*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True)
    env = {**os.environ, "PYTHONPATH": str(target)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args], cwd=elsewhere, env=env, capture_output=True, text=True
        )

    where = run(
        "-c", "import actorgraph.bundled as b; print(b.graph_dir()); print(b.queries_dir())"
    )
    assert where.stdout.splitlines() == [
        str(target / "actorgraph" / "data" / "graph"),
        str(target / "actorgraph" / "data" / "queries"),
    ]
    cli = "from actorgraph.cli import main; main()"
    validate = run("-c", cli, "validate")
    assert (validate.returncode, validate.stdout.split(":")[0]) == (0, "ok"), validate.stderr
    listed = run("-c", cli, "query", "statements", "--stance", "Disputed", "--format", "json")
    assert listed.returncode == 2  # --stance belongs to `statements`, not `query`
    listed = run("-c", cli, "statements", "--stance", "Disputed", "--format", "json")
    assert len(json.loads(listed.stdout)) == 3
    built = run("-c", cli, "build", "-o", "out")
    assert built.returncode == 0, built.stderr
    built_files = sorted(p.name for p in (elsewhere / "out").iterdir())
    assert built_files == ["graph.html", "graph.jsonld", "graph.ttl"]
