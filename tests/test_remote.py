"""The remote backend: the CLI and API over a SPARQL 1.1 server, and pushing a graph into one."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox
import pytest
from conftest import recording_listener, replace_once, running_oxigraph
from servers import VIRTUOSO_AUTH, VIRTUOSO_GRAPH, free_port

from actorgraph import ActorGraph, QueryError
from actorgraph.remote import RemoteStore, bind_values


@pytest.fixture
def empty_server() -> Iterator[str]:
    """A second, empty Oxigraph server."""
    with running_oxigraph() as base:
        yield base


def test_push_then_use_the_same_commands(run, empty_server: str) -> None:
    remote = ["--endpoint", empty_server + "/query", "--update-endpoint", empty_server + "/update"]
    pushed = run(*remote, "push")
    assert pushed.exit_code == 0 and pushed.stdout.startswith("pushed ")
    assert (
        run(*remote, "validate").stdout
        == "ok: 167 statements, 172 quotes checked against 1 source text(s)\n"
    )
    local = json.loads(run("statements", "--subject", "IS-K", "--format", "json").stdout)
    over = json.loads(run(*remote, "statements", "--subject", "IS-K", "--format", "json").stdout)
    assert over == local


def test_push_into_virtuoso_with_digest_auth(run, virtuoso_server: str) -> None:
    graph = "https://example.org/team-graph"
    user, password = VIRTUOSO_AUTH
    pushed = run(
        "--endpoint", virtuoso_server + "/sparql-auth", "--user", user, "--password", password,
        "--default-graph", graph, "push",
    )  # fmt: skip
    assert pushed.exit_code == 0, pushed.stderr
    remote = ["--endpoint", virtuoso_server + "/sparql", "--default-graph", graph]
    local = json.loads(run("statements", "--subject", "IS-K", "--format", "json").stdout)
    over = json.loads(run(*remote, "statements", "--subject", "IS-K", "--format", "json").stdout)
    assert over == local
    assert run(*remote, "validate").stdout.startswith("ok: 167 statements, 172 quotes")


def test_a_wrong_password_is_one_clear_line(run, virtuoso_server: str) -> None:
    result = run(
        "--endpoint", virtuoso_server + "/sparql-auth", "--user", "dba", "--password", "nope",
        "--default-graph", "https://example.org/never", "push",
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: the endpoint {virtuoso_server}/sparql-auth refused user 'dba': 401 Unauthorized"
    ]


def test_endpoint_and_graph_together_are_refused(run, oxigraph_server: str) -> None:
    result = run("--graph", "graph", "--endpoint", oxigraph_server + "/query", "actors")
    assert result.exit_code == 2 and "not both" in result.stderr


def test_a_read_only_remote_graph_refuses_to_change(oxigraph_server: str) -> None:
    kg = ActorGraph.connect(oxigraph_server + "/query")
    with pytest.raises(Exception, match="read-only"):
        kg.sparql("INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }", allow=["update"])


def test_unreachable_endpoint_is_one_clear_error() -> None:
    kg = ActorGraph.connect(f"http://127.0.0.1:{free_port()}/query")
    with pytest.raises(
        QueryError, match=r"^query failed at the endpoint http://127\.0\.0\.1:\d+/query"
    ):
        kg.actors()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "SELECT * WHERE { ?s ?p ?o }",
            "SELECT * WHERE { VALUES ?s { <http://e/a> } ?s ?p ?o }",
        ),
        ("ASK { ?s ?p ?o }", "ASK { VALUES ?s { <http://e/a> } ?s ?p ?o }"),
        (
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
            "CONSTRUCT { ?s ?p ?o } WHERE { VALUES ?s { <http://e/a> } ?s ?p ?o }",
        ),
        (
            '# { WHERE {\nSELECT * WHERE { ?s ?p "}{ WHERE" . ?s <http://e/where> ?o }',
            '# { WHERE {\nSELECT * WHERE { VALUES ?s { <http://e/a> } ?s ?p "}{ WHERE" . '
            "?s <http://e/where> ?o }",
        ),
    ],
)
def test_values_go_into_the_where_group(query: str, expected: str) -> None:
    assert bind_values(query, {"s": ox.NamedNode("http://e/a")}) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (  # a sub-select that selects ?s is narrowed too, the other not
            "SELECT * { { SELECT ?s WHERE { ?s ?p ?o } } { SELECT ?o WHERE { ?s ?p ?o } } }",
            "SELECT * { VALUES ?s { <e:a> } { SELECT ?s WHERE { VALUES ?s { <e:a> } ?s ?p ?o } }"
            " { SELECT ?o WHERE { ?s ?p ?o } } }",
        ),
        (  # LIMIT, OFFSET, *, and AS keep what a binding outside means
            "SELECT * { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 1 } { SELECT ?s WHERE { ?s ?p ?o }"
            " offset 1 } { SELECT * WHERE { ?s ?p ?o } }"
            " { SELECT (?o AS ?s) WHERE { ?x ?p ?o } } }",
            "SELECT * { VALUES ?s { <e:a> } { SELECT ?s WHERE { ?s ?p ?o } LIMIT 1 } { SELECT ?s"
            " WHERE { ?s ?p ?o } offset 1 } { SELECT * WHERE { ?s ?p ?o } } { SELECT (?o AS ?s)"
            " WHERE { ?x ?p ?o } } }",
        ),
        (  # inside a sub-select that does not select ?s, ?s is another variable
            "SELECT * { { SELECT ?o WHERE { { SELECT ?s ?o WHERE { ?s ?p ?o } } } } }",
            "SELECT * { VALUES ?s { <e:a> } { SELECT ?o WHERE { { SELECT ?s ?o WHERE"
            " { ?s ?p ?o } } } } }",
        ),
        (  # a sub-select inside one with a LIMIT is not narrowed either: the slice is of all
            "SELECT * { { SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } } } LIMIT 1 } }",
            "SELECT * { VALUES ?s { <e:a> } { SELECT ?s WHERE { { SELECT ?s WHERE"
            " { ?s ?p ?o } } } LIMIT 1 } }",
        ),
        (  # nested, both selecting ?s; text in strings, IRIs and comments is not read
            'SELECT * { { SELECT ?s { { SELECT ?s ?o { ?s <e:{> "{ SELECT ?s {" } } # {\n} } }',
            "SELECT * { VALUES ?s { <e:a> } { SELECT ?s { VALUES ?s { <e:a> } { SELECT ?s ?o {"
            ' VALUES ?s { <e:a> } ?s <e:{> "{ SELECT ?s {" } } # {\n} } }',
        ),
    ],
)
def test_values_go_into_sub_selects_that_select_the_variable(query: str, expected: str) -> None:
    assert bind_values(query, {"s": ox.NamedNode("e:a")}, sub_selects=True) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (  # the innermost sub-select only: the groups around take ?s from it
            "SELECT * { { SELECT ?s { { SELECT ?s ?o { ?s ?p ?o } } } } ?s ?q ?r }",
            "SELECT * { { SELECT ?s { { SELECT ?s ?o { VALUES ?s { <e:a> } ?s ?p ?o } } } }"
            " ?s ?q ?r }",
        ),
        (  # a union's branches: each where none inside selects ?s
            "SELECT * { { SELECT ?s { ?s ?p 1 } } UNION { SELECT ?s { { SELECT ?s { ?s ?p 2 } }"
            " } } }",
            "SELECT * { { SELECT ?s { VALUES ?s { <e:a> } ?s ?p 1 } } UNION { SELECT ?s {"
            " { SELECT ?s { VALUES ?s { <e:a> } ?s ?p 2 } } } } }",
        ),
        (  # no sub-select selects ?s: the WHERE group
            "SELECT * { { SELECT ?o { ?s ?p ?o } } ?s ?p ?o }",
            "SELECT * { VALUES ?s { <e:a> } { SELECT ?o { ?s ?p ?o } } ?s ?p ?o }",
        ),
    ],
)
def test_hints_go_only_where_no_sub_select_inside_selects_the_variable(
    query: str, expected: str
) -> None:
    assert bind_values(query, {"s": ox.NamedNode("e:a")}, sub_selects=True, hints=["s"]) == (
        expected
    )


def test_a_variable_bound_to_several_terms_matches_any_and_is_never_a_mere_hint() -> None:
    terms = (ox.NamedNode("e:a"), ox.Literal('b" }'))
    query = "SELECT * { { SELECT ?s ?t { ?s ?p ?t } } }"
    assert bind_values(
        query, {"t": terms, "s": ox.NamedNode("e:c")}, sub_selects=True, hints=["s"]
    ) == (
        'SELECT * { VALUES ?t { <e:a> "b\\" }" } { SELECT ?s ?t { VALUES ?t { <e:a> "b\\" }" }'
        " VALUES ?s { <e:c> } ?s ?p ?t } } }"
    )


def test_bound_text_is_escaped_by_the_serialiser() -> None:
    value = 'x" } ; DROP ALL ; #\n>'
    bound = bind_values("SELECT * WHERE { ?s ?p ?t }", {"t": ox.Literal(value)})
    assert bound == 'SELECT * WHERE { VALUES ?t { "x\\" } ; DROP ALL ; #\\n>" } ?s ?p ?t }'


class _DigestOnly(http.server.BaseHTTPRequestHandler):
    """Answers only Digest-authenticated requests; records each request's Authorization."""

    seen: ClassVar[list[str]] = []

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        authorization = self.headers.get("Authorization", "")
        self.seen.append(authorization.split(" ")[0])
        if self.path == "/broken":
            body = b"Engine error \x1b[31mred\x1b[0m\nsecond line\n"
            self.send_response(500)
        elif self.path == "/partial":  # Virtuoso's "anytime" answer: the rows found in time
            row = b'{"s": {"type": "uri", "value": "http://e/a"}}'
            body = b'{"head": {"vars": ["s"]}, "results": {"bindings": [' + row + b"]}}"
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("X-SQL-State", "S1TAT")
            self.send_header(
                "X-SQL-Message",
                "RC...: Returning incomplete results, query interrupted by result timeout.",
            )
        elif authorization.startswith("Digest"):
            body = b'{"head": {"vars": ["s"]}, "results": {"bindings": []}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
        else:
            body = b""
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Digest realm="team", nonce="n1", qop="auth"')
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def digest_server() -> Iterator[str]:
    _DigestOnly.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _DigestOnly)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_password_goes_only_as_digest_to_a_digest_server(digest_server: str) -> None:
    url = digest_server + "/sparql-auth"
    RemoteStore(url, auth=("dba", "secret")).select("SELECT * WHERE { ?s ?p ?o }", {})
    assert "Basic" not in _DigestOnly.seen and _DigestOnly.seen[-1] == "Digest"
    _DigestOnly.seen.clear()
    with pytest.raises(QueryError, match=r"refused no user \(give --user\): 401 Unauthorized$"):
        RemoteStore(url).select("SELECT * WHERE { ?s ?p ?o }", {})
    assert _DigestOnly.seen == [""]  # no credentials left behind by the first store


def test_a_server_error_is_one_printable_line(digest_server: str) -> None:
    with pytest.raises(QueryError) as error:
        RemoteStore(digest_server + "/broken").select("ASK { ?s ?p ?o }", {})
    message = str(error.value)
    assert message.endswith("status code 500: Engine error [31mred [0m")
    assert message.isprintable()


def test_a_partial_answer_is_refused_not_passed_on_as_whole(digest_server: str) -> None:
    with pytest.raises(QueryError, match=r"returned a partial answer \(S1TAT: RC\.\.\.: Returning"):
        RemoteStore(digest_server + "/partial").select("SELECT * WHERE { ?s ?p ?o }", {})


def test_labels_sort_alike_on_every_store_whatever_their_language_tags(
    graph_copy: Path, virtuoso_server: str, empty_server: str
) -> None:
    replace_once(graph_copy / "actors.ttl", '"Pakistan"@en', '"Pakistan"')
    replace_once(graph_copy / "actors.ttl", '"Afghan military"@en', '"Afghan military"@en-GB')
    local = ActorGraph.load(graph_copy)
    labels = [row["label"] for row in local.query("actors").dicts()]
    assert labels == sorted(labels, key=str.lower)
    named_graph = "https://example.org/mixed-tags"
    local.push(virtuoso_server + "/sparql-auth", auth=VIRTUOSO_AUTH, default_graph=named_graph)
    virtuoso = ActorGraph.connect(virtuoso_server + "/sparql", default_graph=named_graph)
    local.push(empty_server + "/update")
    oxigraph = ActorGraph.connect(empty_server + "/query")
    for remote in (virtuoso, oxigraph):
        assert [row["label"] for row in remote.query("actors").dicts()] == labels


def test_a_default_graph_is_the_whole_dataset_other_graphs_of_the_store_stay_out(
    virtuoso_server: str,
) -> None:
    """Virtuoso keeps many graphs in one store: an endpoint configured for one serves only it,
    GRAPH patterns included."""
    url = virtuoso_server + "/sparql-auth"
    admin = RemoteStore(url, update_url=url, auth=VIRTUOSO_AUTH)
    admin.update('INSERT DATA { GRAPH <urn:private:notes> { <urn:x:s> <urn:x:name> "Jane Roe" } }')
    every_graph = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    whole_store = RemoteStore(virtuoso_server + "/sparql").select(every_graph, {}).column("g")
    assert "urn:private:notes" in whole_store  # no graph named: the store is the dataset
    one = ActorGraph.connect(virtuoso_server + "/sparql", default_graph=VIRTUOSO_GRAPH)
    assert one.sparql(every_graph).column("g") == [VIRTUOSO_GRAPH]
    assert one.sparql("SELECT ?o WHERE { GRAPH ?g { ?s <urn:x:name> ?o } }").dicts() == []
    assert len(one.sparql("SELECT * WHERE { ?s ?p ?o } LIMIT 1")) == 1


def test_virtuoso_functions_that_reach_the_network_are_refused_before_they_run(
    virtuoso_server: str, run
) -> None:
    with recording_listener() as (port, seen):
        query = f"SELECT (bif:http_get('http://127.0.0.1:{port}/') AS ?page) WHERE {{}}"
        kg = ActorGraph.connect(virtuoso_server + "/sparql", default_graph=VIRTUOSO_GRAPH)
        with pytest.raises(QueryError, match=r"extensions .* are refused"):
            kg.sparql(query)
        result = run("--endpoint", virtuoso_server + "/sparql", "sparql", query)
        assert result.exit_code == 1 and 'allow "extensions"' in result.stderr
        time.sleep(0.5)
    assert seen == []
