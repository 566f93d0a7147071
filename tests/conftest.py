"""Shared fixtures: the bundled graph, a writable copy of it, and a CLI runner."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from actorgraph import ActorGraph
from actorgraph.bundled import graph_dir
from actorgraph.cli import cli

CLAIMS = Path("claims") / "usip-2021-isk-resurgence.ttl"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            if process.poll() is not None:
                pytest.fail(
                    f"server exited: {process.stderr.read().decode() if process.stderr else ''}"
                )
            time.sleep(0.2)
    process.kill()
    pytest.fail(f"no answer from {url}")


@contextlib.contextmanager
def running_oxigraph() -> Iterator[str]:
    """An empty in-memory Oxigraph server (PyPI ``oxigraph``) on loopback; yields its base URL."""
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(binary).exists():
        if os.environ.get("CI"):
            pytest.fail("the oxigraph server is missing: CI must install the test extras")
        pytest.skip("no oxigraph server binary")
    port = free_port()
    process = subprocess.Popen(
        [binary, "serve", "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/query?query=ASK%7B%7D", process)
        yield base
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="session")
def oxigraph_server() -> Iterator[str]:
    """An Oxigraph server holding the bundled graph."""
    with running_oxigraph() as base:
        ActorGraph.load().push(base + "/update")
        yield base


VIRTUOSO_INI = """\
[Database]
DatabaseFile       = virtuoso.db
ErrorLogFile       = virtuoso.log
LockFile           = virtuoso.lck
TransactionFile    = virtuoso.trx
xa_persistent_file = virtuoso.pxa
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile    = virtuoso-temp.db
TransactionFile = virtuoso-temp.trx

[Parameters]
ServerPort         = {sql_port}
DisableUnixSocket  = 1
DirsAllowed        = .
CheckpointInterval = 0
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000

[HTTPServer]
ServerPort    = {http_port}
ServerThreads = 10
Charset       = UTF-8

[SPARQL]
ResultSetMaxRows      = 100000
MaxQueryExecutionTime = 60
"""
VIRTUOSO_GRAPH = "https://w3id.org/actorgraph/graph"
VIRTUOSO_AUTH = ("dba", "dba")  # a fresh database's administrator


@contextlib.contextmanager
def running_virtuoso(folder: Path) -> Iterator[str]:
    """A fresh Virtuoso (Debian ``virtuoso-opensource``) with its database in ``folder``,
    on loopback; yields its HTTP base URL (``/sparql`` anonymous and read-only,
    ``/sparql-auth`` for updates with HTTP Digest as ``VIRTUOSO_AUTH``)."""
    binary = shutil.which("virtuoso-t")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("virtuoso-t is missing: .ci/run must install virtuoso-opensource")
        pytest.skip("no Virtuoso (Debian package virtuoso-opensource)")
    http_port = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(sql_port=free_port(), http_port=http_port))
    process = subprocess.Popen(
        [binary, "+foreground", "+configfile", str(ini)],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{http_port}"
    try:
        wait_for(base + "/sparql?query=ASK%7B%7D", process, seconds=120)
        yield base
    finally:
        process.terminate()
        process.wait(30)


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Virtuoso server holding the bundled graph in the named graph ``VIRTUOSO_GRAPH``,
    pushed through its authenticated endpoint."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as base:
        ActorGraph.load().push(
            base + "/sparql-auth", auth=VIRTUOSO_AUTH, default_graph=VIRTUOSO_GRAPH
        )
        yield base


BACKENDS = ["embedded", "oxigraph-server", "virtuoso"]
_OPTION = {
    "url": "--endpoint",
    "update_url": "--update-endpoint",
    "default_graph": "--default-graph",
}


def _endpoint(request: pytest.FixtureRequest, backend: str) -> dict[str, str]:
    """How to reach a remote backend: its query URL, and its update URL or default graph."""
    if backend == "virtuoso":
        base = request.getfixturevalue("virtuoso_server")
        return {"url": base + "/sparql", "default_graph": VIRTUOSO_GRAPH}
    base = request.getfixturevalue("oxigraph_server")
    return {"url": base + "/query", "update_url": base + "/update"}


@pytest.fixture(scope="session", params=BACKENDS)
def kg(request: pytest.FixtureRequest) -> ActorGraph:
    """The bundled graph, in the embedded store and in two remote SPARQL servers: tests that
    take this fixture run against every backend."""
    if request.param == "embedded":
        return ActorGraph.load()
    endpoint = _endpoint(request, request.param)
    return ActorGraph.connect(endpoint.pop("url"), **endpoint)


@pytest.fixture(scope="session", params=BACKENDS)
def backend_args(request: pytest.FixtureRequest) -> list[str]:
    """The CLI's global options that select each backend in turn (none: the bundled files)."""
    if request.param == "embedded":
        return []
    endpoint = _endpoint(request, request.param)
    return [arg for key, value in endpoint.items() for arg in (_OPTION[key], value)]


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The name of the backend the test's ``kg`` runs on (one of ``BACKENDS``)."""
    return request.node.callspec.params["kg"]


@pytest.fixture
def run_on(run: Callable[..., Result], backend_args: list[str]) -> Callable[..., Result]:
    """Like ``run``, against each backend in turn (``--endpoint …`` before the command)."""

    def invoke(*args: str, input: str | None = None) -> Result:
        return run(*backend_args, *args, input=input)

    return invoke


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
