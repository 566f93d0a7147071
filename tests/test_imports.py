"""Cold commands import only what they use (``python -X importtime``): the heavy libraries
stay out of the commands that do not need them, so their start-up stays small."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = {"rdflib", "pyshacl", "pyparsing", "networkx", "scipy", "pyvis", "IPython", "pandas"}
# what the view's layout and page need, beyond the quick commands
VIEW = {"numpy", "igraph", "jinja2"}


def imported(*args: str) -> set[str]:
    """The top-level packages a cold ``actorgraph ARGS`` process imports."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "actorgraph", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and not line.endswith("| package"):
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    assert "actorgraph" in names and "pyoxigraph" in names  # the report was read
    return names


@pytest.mark.parametrize(
    "args",
    [("actors",), ("query", "enemies", "-p", "actor=IS-K"), ("statements", "-s", "IS-K")],
)
def test_quick_commands_import_no_heavy_library(args: tuple[str, ...]) -> None:
    assert imported(*args) & (HEAVY | VIEW) == set()


def test_build_imports_no_rdflib_pyshacl_or_networkx(tmp_path: Path) -> None:
    names = imported("build", "-o", str(tmp_path / "site"))
    assert names & HEAVY == set()
    assert {"shacl_rust", "jinja2"} <= names
