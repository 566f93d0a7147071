"""Shared fixtures: the bundled graph, a writable copy of it, and a CLI runner."""

from __future__ import annotations

import shutil
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from actorgraph import ActorGraph
from actorgraph.bundled import graph_dir
from actorgraph.cli import cli

CLAIMS = Path("claims") / "usip-2021-isk-resurgence.ttl"


@pytest.fixture(scope="session")
def kg() -> ActorGraph:
    return ActorGraph.load()


@pytest.fixture
def graph_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled graph folder."""
    target = tmp_path / "graph"
    shutil.copytree(graph_dir(), target)
    return target


@pytest.fixture
def run() -> Callable[..., Result]:
    """Run the CLI in-process; returns click's Result (exit_code, stdout, stderr)."""

    def invoke(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A local TCP listener that records the first bytes of every connection it sees."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.2)
    seen: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            seen.append(conn.recv(1024))
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], seen
    stop.set()
    thread.join()
    server.close()


def replace_once(path: Path, old: str, new: str) -> int:
    """Replace the only occurrence of ``old`` in ``path``; return its 1-based line number."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return line
