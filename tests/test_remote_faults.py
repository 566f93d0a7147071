"""Remote mode under faults and attack (redirects, slow and huge answers, bad URLs), idempotent
`push`, GEXF timelines, and what an allowed update leaves behind.

Faulty servers are small `http.server`s in a thread, each bounded in time so that a client
without limits fails its test instead of hanging the run.
"""

from __future__ import annotations

import contextlib
import http.server
import re
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import replace_once
from servers import VIRTUOSO_AUTH

from actorgraph import ActorGraph, ActorGraphError, QueryError
from actorgraph.export import ExportFormat
from actorgraph.remote import RemoteStore

EMPTY = b'{"head": {"vars": ["s"]}, "results": {"bindings": []}}'
ONE_ROW = (
    b'{"head": {"vars": ["s"]}, "results": {"bindings": '
    b'[{"s": {"type": "uri", "value": "http://e/found"}}]}}'
)
SELECT = "SELECT ?s WHERE { ?s ?p ?o }"
FAULT_SECONDS = 8.0  # a faulty server gives up after this; the client's limits act well before

Behaviour = Callable[[http.server.BaseHTTPRequestHandler, bytes], None]


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # one request per connection; a body may end at close

    def log_message(self, *args: object) -> None:
        pass

    def _serve(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
        server: _Server = self.server  # type: ignore[assignment]
        server.seen.append((self.command, self.path, dict(self.headers), body))
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
            server.behaviour(self, body)

    do_GET = do_POST = _serve


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, behaviour: Behaviour) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.behaviour = behaviour
        self.seen: list[tuple[str, str, dict[str, str], bytes]] = []
        self.base = f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def serve() -> Iterator[Callable[[Behaviour], _Server]]:
    """Start fake SPARQL servers (each with its own behaviour) for one test."""
    started: list[tuple[_Server, threading.Thread]] = []

    def start(behaviour: Behaviour) -> _Server:
        server = _Server(behaviour)
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        started.append((server, thread))
        return server

    yield start
    for server, thread in started:
        server.shutdown()
        server.server_close()
        thread.join()


def answer(body: bytes = EMPTY) -> Behaviour:
    def behave(handler: http.server.BaseHTTPRequestHandler, _: bytes) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/sparql-results+json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return behave


def redirect(code: int, location: str) -> Behaviour:
    def behave(handler: http.server.BaseHTTPRequestHandler, _: bytes) -> None:
        handler.send_response(code)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return behave


def drip(*, headers_too: bool = False) -> Behaviour:
    """One byte every 0.2 s (of the status line, or of a body that never completes)."""

    def behave(handler: http.server.BaseHTTPRequestHandler, _: bytes) -> None:
        if headers_too:
            stream = b"HTTP/1.0 200 OK\r\nContent-Type: application/sparql-results+json\r\n" * 9
        else:
            handler.send_response(200)
            handler.send_header("Content-Type", "application/sparql-results+json")
            handler.send_header("Content-Length", "100000")
            handler.end_headers()
            handler.wfile.flush()
            stream = b" " * 100_000
        end = time.monotonic() + FAULT_SECONDS
        for byte in stream:
            if time.monotonic() > end:
                return
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(0.2)

    return behave


def flood(*, declared: int | None = None) -> Behaviour:
    """An answer of zeros that goes on (up to 64 MB), with or without a Content-Length."""

    def behave(handler: http.server.BaseHTTPRequestHandler, _: bytes) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/sparql-results+json")
        if declared is not None:
            handler.send_header("Content-Length", str(declared))
        handler.end_headers()
        block = b"0" * 65_536
        end = time.monotonic() + FAULT_SECONDS
        for _ in range(1024):
            if time.monotonic() > end:
                return
            handler.wfile.write(block)

    return behave


def one_line(error: BaseException) -> str:
    (line,) = str(error).splitlines()
    assert line.isprintable()
    return line


# ---------------------------------------------------------------- redirects


@pytest.mark.adversarial
@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_a_redirect_to_another_host_never_carries_the_credentials(serve, code: int) -> None:
    other = serve(answer())
    endpoint = serve(redirect(code, other.base + "/sparql"))
    store = RemoteStore(endpoint.base + "/sparql", auth=("team", "secret"))
    with pytest.raises(QueryError) as refused:
        store.select(SELECT, {})
    assert "another host: refused" in one_line(refused.value)
    assert any("Authorization" in headers for _, _, headers, _ in endpoint.seen)
    assert all("Authorization" not in headers for _, _, headers, _ in other.seen)


@pytest.mark.adversarial
@pytest.mark.parametrize("code", [301, 302, 303])
def test_a_redirect_that_drops_the_query_is_an_error(serve, code: int) -> None:
    other = serve(answer(ONE_ROW))  # would answer the query-less GET with a row
    endpoint = serve(redirect(code, other.base + "/sparql"))
    with pytest.raises(QueryError) as refused:
        RemoteStore(endpoint.base + "/sparql").select(SELECT, {})
    assert "which would drop the query" in one_line(refused.value)
    assert other.seen == []


@pytest.mark.adversarial
@pytest.mark.parametrize("code", [307, 308])
def test_a_redirect_that_keeps_the_query_is_followed(serve, code: int) -> None:
    other = serve(answer(ONE_ROW))
    endpoint = serve(redirect(code, other.base + "/sparql"))
    rows = RemoteStore(endpoint.base + "/sparql").select(SELECT, {})
    assert rows.column("s") == ["http://e/found"]
    ((method, _, _, body),) = other.seen
    assert method == "POST" and b"query=SELECT" in body

    def to_own_path(handler: http.server.BaseHTTPRequestHandler, body: bytes) -> None:
        if handler.path == "/sparql":
            redirect(code, "/real")(handler, body)
        else:
            answer(ONE_ROW)(handler, body)

    home = serve(to_own_path)  # with credentials: same scheme, host and port only
    rows = RemoteStore(home.base + "/sparql", auth=("team", "secret")).select(SELECT, {})
    assert rows.column("s") == ["http://e/found"]
    method, path, headers, body = home.seen[-1]
    assert (method, path) == ("POST", "/real") and "Authorization" in headers
    assert b"query=SELECT" in body


@pytest.mark.adversarial
@pytest.mark.parametrize("target", ["ftp://127.0.0.1/x", "file:///etc/passwd"])
def test_a_redirect_out_of_http_is_refused(serve, target: str) -> None:
    endpoint = serve(redirect(307, target))
    with pytest.raises(QueryError) as refused:
        RemoteStore(endpoint.base + "/sparql").select(SELECT, {})
    line = one_line(refused.value)
    assert re.search("only http and https redirects are followed|is not allowed", line), line


# ---------------------------------------------------------------- URLs


@pytest.mark.adversarial
@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/hostname",
        "ftp://127.0.0.1/sparql",
        "/etc/passwd",
        "data:,x",
        "http:///no-host",
        "http://127.0.0.1:99999/sparql",
        "http://127.0.0.1/\nsecond line",
    ],
)
def test_only_http_endpoints_are_used(run, url: str) -> None:
    with pytest.raises(ActorGraphError) as refused:
        ActorGraph.connect(url)
    assert one_line(refused.value).endswith("is not an http:// or https:// URL")
    with pytest.raises(ActorGraphError, match="not an http"):
        ActorGraph.connect("http://127.0.0.1/query", update_url=url)
    for args in (["--endpoint", url, "actors"], ["--update-endpoint", url, "push"]):
        result = run(*args)
        assert result.exit_code == 1
        (line,) = result.stderr.splitlines()
        assert line.startswith("Error: the endpoint ") and "not an http" in line


# ---------------------------------------------------------------- time and size


@pytest.mark.adversarial
@pytest.mark.parametrize("headers_too", [False, True])
def test_a_dripping_server_is_cut_off_at_the_deadline(serve, headers_too: bool) -> None:
    server = serve(drip(headers_too=headers_too))
    started = time.monotonic()
    with pytest.raises(QueryError) as late:
        RemoteStore(server.base + "/sparql", timeout=1).select(SELECT, {})
    assert time.monotonic() - started < 3
    assert "no complete answer within 1 s" in one_line(late.value)


@pytest.mark.adversarial
@pytest.mark.parametrize("declared", [None, 10**12])
def test_a_huge_answer_is_refused(serve, declared: int | None) -> None:
    server = serve(flood(declared=declared))
    started = time.monotonic()
    with pytest.raises(QueryError) as big:
        RemoteStore(server.base + "/sparql", max_response=1_000_000).select(SELECT, {})
    assert time.monotonic() - started < 3
    assert "exceeds the limit of 1,000,000 bytes" in one_line(big.value)


@pytest.mark.adversarial
def test_the_limits_are_global_options(run, serve) -> None:
    slow = serve(drip())
    result = run("--endpoint", slow.base + "/sparql", "--remote-timeout", "0.5", "actors")
    (line,) = result.stderr.splitlines()
    assert result.exit_code == 1 and "no complete answer within 0.5 s" in line
    big = serve(flood())
    result = run("--endpoint", big.base + "/sparql", "--max-response", "1000", "actors")
    (line,) = result.stderr.splitlines()
    assert result.exit_code == 1 and "exceeds the limit of 1,000 bytes" in line
    kg = ActorGraph.connect(big.base + "/sparql", max_response=1000, timeout=5)
    with pytest.raises(QueryError, match="exceeds the limit"):
        kg.actors()


# ---------------------------------------------------------------- push


def _count(kg: ActorGraph, pattern: str) -> int:
    return int(kg.sparql(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}").column("n")[0])


@pytest.mark.adversarial
def test_pushing_twice_adds_nothing_on_oxigraph(oxigraph_server: str) -> None:
    graph = f"https://example.org/twice/{uuid.uuid4()}"
    for _ in range(2):  # as two runs of `actorgraph push`: each load names blank nodes anew
        local = ActorGraph.load()
        local.push(oxigraph_server + "/update", default_graph=graph)
    remote = ActorGraph.connect(oxigraph_server + "/query", default_graph=graph)
    assert len(remote.store) == len(local.store)
    evidence = "?e a ag:Evidence"
    assert _count(remote, evidence) == _count(local, evidence) > 100
    assert remote.validate().ok


@pytest.mark.adversarial
def test_pushing_twice_adds_nothing_and_replace_clears_on_virtuoso(
    virtuoso_server: str, tmp_path: Path
) -> None:
    graph = f"https://example.org/twice/{uuid.uuid4()}"
    update = virtuoso_server + "/sparql-auth"
    for _ in range(2):
        local = ActorGraph.load()
        local.push(update, auth=VIRTUOSO_AUTH, default_graph=graph)
    remote = ActorGraph.connect(virtuoso_server + "/sparql", default_graph=graph)
    assert len(remote.store) == len(local.store)
    assert _count(remote, "?e a ag:Evidence") == _count(local, "?e a ag:Evidence")
    small = ActorGraph.load(_tiny_graph(tmp_path))
    sent = small.push(update, auth=VIRTUOSO_AUTH, default_graph=graph, replace=True)
    assert len(remote.store) == sent == len(small.store)
    assert [a.id for a in remote.actors()] == ["lone-group"]


def _tiny_graph(folder: Path) -> Path:
    path = folder / "tiny.ttl"
    path.write_text(
        "@prefix act: <https://w3id.org/actorgraph/actor/> .\n"
        "@prefix ag: <https://w3id.org/actorgraph/ontology#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        'act:lone-group a ag:ArmedGroup ; skos:prefLabel "Lone group"@en .\n',
        encoding="utf-8",
    )
    return path


def test_push_honours_the_global_graph_and_can_replace(
    run, oxigraph_server: str, graph_copy: Path, tmp_path: Path
) -> None:
    replace_once(graph_copy / "actors.ttl", '"Pakistan"@en', '"Pakistan (edited copy)"@en')
    graph = f"https://example.org/copy/{uuid.uuid4()}"
    target = ["--update-endpoint", oxigraph_server + "/update", "--default-graph", graph]
    pushed = run("--graph", str(graph_copy), *target, "push")
    assert pushed.exit_code == 0 and pushed.stdout.startswith("pushed "), pushed.stderr
    remote = ActorGraph.connect(oxigraph_server + "/query", default_graph=graph)
    assert remote.actor("pakistan").label == "Pakistan (edited copy)"
    size = len(remote.store)
    endpoint = ["--endpoint", oxigraph_server + "/query"]  # --graph is what push sends
    again = run("--graph", str(graph_copy), *endpoint, *target, "push")
    assert again.exit_code == 0 and len(remote.store) == size
    both = run("--graph", str(graph_copy), *target, "push", "--from", str(graph_copy))
    assert both.exit_code == 2 and "-g/--graph only" in both.stderr
    replaced = run("--graph", str(_tiny_graph(tmp_path)), *target, "push", "--replace")
    assert replaced.exit_code == 0 and "cleared first" in replaced.stdout
    remote = ActorGraph.connect(oxigraph_server + "/query", default_graph=graph)
    assert [a.id for a in remote.actors()] == ["lone-group"]
    assert len(remote.store) == len(ActorGraph.load(_tiny_graph(tmp_path)).store)
    assert _count(ActorGraph.connect(oxigraph_server + "/query"), "?e a ag:Evidence") > 100


# ---------------------------------------------------------------- GEXF timeline


def test_gexf_timeline_is_the_claims_periods(tmp_path: Path) -> None:
    kg = ActorGraph.load()
    (path,) = kg.export(tmp_path / "isk.gexf", ExportFormat.GEXF)
    ns = {"g": "http://www.gexf.net/1.2draft"}
    root = ET.parse(path).getroot()
    graph = root.find("g:graph", ns)
    assert graph is not None and graph.get("timeformat") == "date"
    titles = {a.get("title") for a in root.iterfind(".//g:attributes[@class='edge']/*", ns)}
    assert {"quote_start", "quote_end", "valid_from", "valid_until"} <= titles
    assert not {"start", "end"} & titles
    edges = {e.get("id"): e for e in root.iterfind(".//g:edge", ns)}
    statements = {s.id: s for s in kg.statements()}
    dated = 0
    for key, edge in edges.items():
        s = statements[key]
        for bound in ("start", "end"):
            value = edge.get(bound)
            assert value is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), (key, value)
        if s.valid_from or s.valid_until or s.attested_at:
            dated += 1
            assert edge.get("start") or edge.get("end"), key
        else:
            assert edge.get("start") is None and edge.get("end") is None, key
    assert dated > 10
    until_2019 = edges["us-military-supports-taliban-until-2019"]
    assert (until_2019.get("start"), until_2019.get("end")) == (None, "2019-12-31")
    attested_2019 = edges["afghan-military-targets-isk-until-2019"]  # beside the help (T7)
    assert (attested_2019.get("start"), attested_2019.get("end")) == ("2019-01-01", "2019-12-31")
    attested = next(
        k
        for k, s in statements.items()
        if s.attested_at == "2021-09" and not (s.valid_from or s.valid_until) and k in edges
    )
    assert (edges[attested].get("start"), edges[attested].get("end")) == (
        "2021-09-01",
        "2021-09-30",
    )


# ---------------------------------------------------------------- updates

NEW_CLAIM = """INSERT DATA {
  act:new-front a ag:ArmedGroup ; skos:prefLabel "New Front"@en ; skos:altLabel "NF"@en .
  stmt:new-front-cooperatesWith-isk a ag:Statement ;
    rdf:subject act:new-front ; rdf:predicate ag:cooperatesWith ; rdf:object act:isk ;
    ag:stance ag:Asserted ; ag:assertedBy act:usip ;
    prov:wasDerivedFrom [ a ag:Evidence ; ag:source src:usip-2021-isk-resurgence ;
                          ag:start 0 ; ag:end 4 ; ag:quote "Last" ] .
}"""


CLAIM = "stmt:new-front-cooperatesWith-isk"


def test_an_update_refreshes_lookups_and_derived_edges() -> None:
    kg = ActorGraph.load()
    before = {a.id for a in kg.actors()}
    assert "new-front" not in before
    kg.sparql(NEW_CLAIM, allow=["update"])
    assert kg.actor("NF").label == "New Front"
    assert {a.id for a in kg.actors()} == before | {"new-front"}
    ask = (
        "ASK { act:new-front ag:cooperatesWith act:isk . act:isk ag:cooperatesWith act:new-front }"
    )
    assert kg.sparql(ask).column("result") == [True]  # the direct edge and its symmetric twin
    assert kg.sparql(f"ASK {{ {CLAIM} a ag:StatedClaim }}").column("result") == [True]
    # a bare edge written by an update stays; the derived ones follow their statement
    kg.sparql("INSERT DATA { act:new-front ag:hostileTo act:nato }", allow=["update"])
    kg.sparql(f"DELETE WHERE {{ {CLAIM} ag:stance ?s }}", allow=["update"])
    either = "{ act:new-front ag:cooperatesWith ?x } UNION { ?x ag:cooperatesWith act:new-front }"
    assert kg.sparql(f"ASK {{ {either} }}").column("result") == [False]
    assert kg.sparql("ASK { act:new-front ag:hostileTo act:nato }").column("result") == [True]
    kg.sparql(f"INSERT DATA {{ {CLAIM} ag:basis ag:Inferred }}", allow=["update"])
    kg.sparql(f"INSERT DATA {{ {CLAIM} ag:stance ag:Asserted }}", allow=["update"])
    assert kg.sparql(ask).column("result") == [False]  # inferred: no direct edge
    assert kg.sparql(f"ASK {{ {CLAIM} a ag:StatedClaim }}").column("result") == [False]
    kg.sparql("DELETE WHERE { act:new-front skos:prefLabel ?l }", allow=["update"])
    assert "new-front" not in {a.id for a in kg.actors()}


def test_an_update_that_changes_nothing_derived_keeps_the_graph_valid() -> None:
    kg = ActorGraph.load()
    triples = set(kg.store.triples())
    noop = "INSERT DATA { act:isk rdfs:comment 'x' } ; DELETE DATA { act:isk rdfs:comment 'x' }"
    kg.sparql(noop, allow=["update"])
    assert set(kg.store.triples()) == triples
    assert kg.validate().ok
