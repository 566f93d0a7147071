"""Shared fixtures: the bundled graph, a writable copy of it, and a CLI runner."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import servers
from click.testing import CliRunner, Result
from servers import VIRTUOSO_AUTH, VIRTUOSO_GRAPH, oxigraph_binary, virtuoso_binary

from actorgraph import ActorGraph
from actorgraph.bundled import graph_dir
from actorgraph.cli import cli

CLAIMS = Path("claims") / "usip-2021-isk-resurgence.ttl"


@pytest.fixture(scope="session", autouse=True)
def _session_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Servers and other session or module fixtures index into a cache of the test run's own:
    no user's index is used, and none is written into the user's cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ACTORGRAPH_CACHE", str(tmp_path_factory.mktemp("session-cache")))
        yield


@pytest.fixture(autouse=True)
def _private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test has an empty index cache of its own: no test's index is seen by another."""
    monkeypatch.setenv("ACTORGRAPH_CACHE", str(tmp_path_factory.mktemp("cache")))


def _binary(find: Callable[[], str | None], what: str, hint: str) -> str:
    """A server binary, or skip the test (fail it under CI, where it must be installed)."""
    binary = find()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail(f"{what} is missing: {hint}")
        pytest.skip(f"no {what} ({hint})")
    return binary


def running_oxigraph() -> contextlib.AbstractContextManager[str]:
    """An empty Oxigraph server on loopback; the with-block gets its base URL."""
    binary = _binary(oxigraph_binary, "oxigraph server", "install the test extras")
    return servers.running_oxigraph(binary)


@pytest.fixture(scope="session")
def oxigraph_server() -> Iterator[str]:
    """An Oxigraph server holding the bundled graph."""
    with running_oxigraph() as base:
        ActorGraph.load().push(base + "/update")
        yield base


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh Virtuoso holding the bundled graph in the named graph ``VIRTUOSO_GRAPH``,
    pushed through its authenticated endpoint."""
    binary = _binary(virtuoso_binary, "virtuoso-t", "apt-get install virtuoso-opensource-7-bin")
    with servers.running_virtuoso(binary, tmp_path_factory.mktemp("virtuoso")) as base:
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


@contextlib.contextmanager
def recording_listener(backlog: int = 5, poll: float = 0.2) -> Iterator[tuple[int, list[bytes]]]:
    """A TCP listener on loopback that records the first bytes of every connection it sees
    (``b""`` for one that sends nothing in a second): its port and the list it fills."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(backlog)
    server.settimeout(poll)
    seen: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            conn.settimeout(1)
            try:
                seen.append(conn.recv(1024))
            except OSError:
                seen.append(b"")
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], seen
    finally:
        stop.set()
        thread.join()
        server.close()


@pytest.fixture
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A local TCP listener that records the first bytes of every connection it sees."""
    with recording_listener() as recording:
        yield recording


def relation_twins(kg: ActorGraph) -> set[tuple[str, str]]:
    """(relation, twin) for every symmetric relation (its own twin) and inverse pair."""
    return {
        (r["p"], r["twin"])
        for r in kg.sparql(
            """SELECT ?p ?twin WHERE {
                 { ?p a owl:SymmetricProperty , ag:Relation . BIND(?p AS ?twin) }
                 UNION { ?p a ag:Relation ; owl:inverseOf ?twin } }"""
        ).dicts()
    }


def direct_edges(kg: ActorGraph) -> set[tuple[str, str, str]]:
    """Every direct relation triple (subject, relation, object) in the graph."""
    return {
        (r["s"], r["p"], r["o"])
        for r in kg.sparql("SELECT ?s ?p ?o WHERE { ?s ?p ?o . ?p a ag:Relation }").dicts()
    }


def replace_once(path: Path, old: str, new: str) -> int:
    """Replace the only occurrence of ``old`` in ``path``; return its 1-based line number."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return line


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests by what they need, for a fast loop: ``pytest -m "not browser and not remote
    and not install"``."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        params = getattr(getattr(item, "callspec", None), "params", {})
        if fixtures & {"browser", "open_page"}:
            item.add_marker(pytest.mark.browser)
        backends = {params.get("kg"), params.get("backend_args")}
        remote_fixtures = {"oxigraph_server", "virtuoso_server", "server"}
        if backends & {"oxigraph-server", "virtuoso"} or fixtures & remote_fixtures:
            item.add_marker(pytest.mark.remote)
        if item.nodeid.startswith("tests/test_install.py"):
            item.add_marker(pytest.mark.install)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian chromium for the whole session (one Playwright per process: a second
    would find the first one's event loop running)."""
    from browser import CHROMIUM, launch

    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = launch(playwright)
        yield instance
        instance.close()
