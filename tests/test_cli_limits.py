"""`sparql` and `query` stop at `--timeout` and on Ctrl-C, even inside a runaway query."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
COMMAND = [sys.executable, "-c", "from actorgraph.cli import main; main()"]


def test_timeout_answers_a_quick_query(run) -> None:
    result = run("query", "actors", "-p", "kind=Person", "--timeout", "60", "--format", "json")
    assert result.exit_code == 0
    assert {r["label"] for r in json.loads(result.stdout)} >= {"Joe Biden", "Mullah Omar"}
    result = run("sparql", "SELECT ?a ?l WHERE { ?a skos:prefLabel ?l }", "-p", "a:actor=TTP",
                 "--timeout", "60", "--format", "csv")  # fmt: skip
    assert (
        result.stdout == "a,l\nhttps://w3id.org/actorgraph/actor/ttp,Tehreek-e-Taliban Pakistan\n"
    )


@pytest.mark.adversarial
def test_timeout_stops_a_runaway_query(run) -> None:
    started = time.monotonic()
    result = run("sparql", SLOW, "--timeout", "2")
    assert time.monotonic() - started < 20
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: the query ran past the 2 s limit and was stopped"
    refused = run("sparql", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
                  "--timeout", "5")  # fmt: skip
    assert refused.exit_code == 1 and "SERVICE is refused" in refused.stderr


@pytest.mark.adversarial
@pytest.mark.parametrize("limit", [[], ["--timeout", "600"]])
def test_ctrl_c_stops_a_runaway_query(limit: list[str]) -> None:
    process = subprocess.Popen(
        [*COMMAND, "sparql", SLOW, *limit], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    time.sleep(4)  # loaded and inside the query
    assert process.poll() is None
    process.send_signal(signal.SIGINT)
    try:
        out, err = process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail("Ctrl-C did not stop the query")
    assert process.returncode == 130  # as for Ctrl-C in every command
    assert out == b""
    (line,) = err.decode().splitlines()
    assert line.startswith("Error: ") and "stopped" in line


def doubling(levels: int) -> str:
    """A short query whose one row holds a string of 2**levels kB (and every one before it)."""
    binds = " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(levels))
    return f'SELECT (STRLEN(?s{levels}) AS ?n) WHERE {{ BIND("{"x" * 1024}" AS ?s0) {binds} }}'


def test_a_query_past_the_memory_limit_fails_alone() -> None:
    from actorgraph.errors import ActorGraphError
    from actorgraph.limits import run_limited

    source = {"paths": []}
    payload = {"text": doubling(20), "params": {}}  # 3 GB without a limit
    with pytest.raises(ActorGraphError) as caught:
        run_limited(source, "sparql", payload, "csv", timeout=60, max_memory=300 << 20)
    assert str(caught.value) == (
        "the query's process ended without an answer (it crashed or ran out of its 300 MB of "
        "memory)"
    )
    payload = {"text": doubling(10), "params": {}}  # 1 MB: well within it
    assert run_limited(source, "sparql", payload, "csv", timeout=60, max_memory=300 << 20) == (
        "n\n1048576\n"
    )


def test_a_memory_limit_that_is_no_size_is_a_usage_error(run) -> None:
    result = run("serve", "--max-memory", "lots")
    assert result.exit_code == 2
    assert "Invalid value for --max-memory: expected a size such as 4G or 512M, not 'lots'" in (
        result.stderr
    )
