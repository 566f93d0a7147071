"""A new user's path: `python -m actorgraph`, `init`, one validation round, `query NAME --help`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from actorgraph import ActorGraph


def test_python_dash_m_runs_the_command_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "actorgraph", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stdout.startswith("actorgraph, version ")


def test_init_writes_a_graph_that_validates_in_one_round(run, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    result = run("init", str(folder))
    assert result.exit_code == 0 and result.stdout.startswith(f"wrote {folder}")
    assert run("-g", str(folder), "validate").stdout == (
        "ok: 1 statements, 1 quotes checked against 1 source text(s)\n"
    )
    (claim,) = ActorGraph.load(folder).statements()
    assert (claim.subject, claim.relation, claim.object) == (
        "northern-front", "targets", "river-brigade"
    )  # fmt: skip
    again = run("init", str(folder))
    assert again.exit_code == 1 and "not empty" in again.stderr


def test_an_edited_text_names_the_computed_sha256(run, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    run("init", str(folder))
    text = folder / "sources" / "example.txt"
    text.write_text(text.read_text(encoding="utf-8") + "More.\n", encoding="utf-8")
    result = run("-g", str(folder), "validate")
    assert result.exit_code == 1
    assert "has sha256" in result.stdout + result.stderr


def test_query_help_shows_the_query_header(run) -> None:
    text = run("query", "enemies", "--help").stdout
    assert "The query 'enemies':" in text
    assert "actor (actor, required)" in text and "Enemies of an actor." in text
    assert "No named query 'nope'" in run("query", "nope", "--help").stdout
