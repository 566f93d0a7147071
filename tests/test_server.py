"""`actorgraph serve` against real clients: SPARQLWrapper, rdflib's SPARQLStore, plain HTTP."""

from __future__ import annotations

import concurrent.futures
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from itertools import combinations

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from servers import running_actorgraph
from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper

from actorgraph import ActorGraph

ACT = "https://w3id.org/actorgraph/actor/"
PREFIXES = (
    "PREFIX ag: <https://w3id.org/actorgraph/ontology#> "
    "PREFIX act: <https://w3id.org/actorgraph/actor/> "
)
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
TIMEOUT = 2.0


@pytest.fixture(scope="module")
def bundled() -> ActorGraph:
    """The graph the server serves, read in this process: what its answers must equal."""
    return ActorGraph.load()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    options = ["--timeout", str(TIMEOUT), "--max-rows", "50", "--max-body", "20000"]
    with running_actorgraph(*options, "--workers", "2") as base:
        yield base


def request(
    url: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """GET (or POST ``body``) ``url``; the status, headers and body, errors included."""
    message = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with urllib.request.urlopen(message, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    return request(url, headers=headers)


def post(
    url: str, body: bytes, content_type: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    return request(url, body, {"Content-Type": content_type, **(headers or {})})


def query_url(base: str, query: str) -> str:
    return base + "/sparql?" + urllib.parse.urlencode({"query": query})


# ---------------------------------------------------------------- real clients


def test_sparqlwrapper_select_json_matches_the_api(server: str, bundled: ActorGraph) -> None:
    client = SPARQLWrapper(server + "/sparql")
    client.setQuery(PREFIXES + "SELECT ?o WHERE { act:isk ag:recruitsFrom ?o } ORDER BY ?o")
    client.setReturnFormat(JSON)
    bindings = client.query().convert()["results"]["bindings"]
    expected = bundled.sparql("SELECT ?o WHERE { act:isk ag:recruitsFrom ?o } ORDER BY ?o").column(
        "o"
    )
    assert [b["o"]["value"] for b in bindings] == expected


def test_sparqlwrapper_xml_ask_and_construct(server: str) -> None:
    client = SPARQLWrapper(server + "/sparql")
    client.setQuery(PREFIXES + "ASK { act:isk ag:affiliateOf act:isis }")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True
    client.setQuery(
        PREFIXES + "SELECT ?l WHERE { act:ttp <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }"
    )
    client.setReturnFormat(XML)
    document = client.query().convert()
    assert "Tehreek-e-Taliban Pakistan" in document.toxml()
    client.setQuery(
        PREFIXES + "CONSTRUCT { act:isk ag:affiliateOf ?o } WHERE { act:isk ag:affiliateOf ?o }"
    )
    client.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=client.query().convert(), format="turtle")
    assert set(graph) == {
        (
            rdflib.URIRef(ACT + "isk"),
            rdflib.URIRef("https://w3id.org/actorgraph/ontology#affiliateOf"),
            rdflib.URIRef(ACT + "isis"),
        )
    }


def test_sparqlwrapper_post(server: str) -> None:
    client = SPARQLWrapper(server + "/sparql")
    client.setMethod("POST")
    client.setQuery(PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?s ag:stance ag:Disputed }")
    client.setReturnFormat(JSON)
    assert client.query().convert()["results"]["bindings"][0]["n"]["value"] == "3"


def test_rdflib_sparqlstore(server: str) -> None:
    graph = rdflib.Graph(store=SPARQLStore(server + "/sparql"))
    rows = list(
        graph.query(
            PREFIXES
            + "SELECT ?who WHERE { ?st ag:stance ag:Disputed ; ag:assertedBy ?who } ORDER BY ?who"
        )
    )
    assert [str(r.who) for r in rows] == [ACT + "former-afghan-government"] * 2 + [ACT + "usip"]


def test_direct_post_and_content_negotiation(server: str) -> None:
    query = (
        b"SELECT ?l WHERE { <https://w3id.org/actorgraph/actor/ttp> "
        b"<http://www.w3.org/2004/02/skos/core#prefLabel> ?l }"
    )
    status, headers, body = post(
        server + "/sparql",
        query,
        "application/sparql-query",
        {"Accept": "text/tab-separated-values"},
    )
    assert (status, headers["content-type"].split(";")[0]) == (200, "text/tab-separated-values")
    assert body.decode().splitlines() == ["?l", '"Tehreek-e-Taliban Pakistan"@en']
    status, headers, body = get(query_url(server, query.decode()), {"Accept": "text/csv"})
    assert body.decode().splitlines() == ["l", "Tehreek-e-Taliban Pakistan"]
    status, _, body = get(query_url(server, query.decode()), {"Accept": "image/png"})
    assert (status, body.decode()) == (
        406,
        "no acceptable result format for this query: format= takes json, xml, csv, tsv or "
        "objects (Accept: application/sparql-results+json, application/sparql-results+xml, "
        "text/csv, text/tab-separated-values or application/json)\n",
    )  # the formats it answers in, named
    status, _, body = get(server + "/queries/statements?subject=IS-K&format=xlsx")
    assert status == 406 and "format= takes json, xml, csv, tsv or objects" in body.decode()


def test_service_description(server: str) -> None:
    status, headers, body = get(server + "/sparql")
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=body, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, sd.endpoint, rdflib.URIRef(server + "/sparql")) in graph


def test_named_queries_as_urls(server: str, bundled: ActorGraph) -> None:
    status, _, body = get(
        server
        + "/queries/enemies?"
        + urllib.parse.urlencode({"actor": "IS-K", "format": "objects"})
    )
    assert status == 200
    assert (
        json.loads(body) == bundled.query("enemies", actor="IS-K").dicts()[:50]
    )  # the row cap is 50
    status, headers, _ = get(server + "/queries/enemies?actor=IS-K")
    assert "x-actorgraph-truncated" not in {h.lower() for h in headers}  # 42 rows: under the cap
    status, _, body = get(server + "/queries/enemies?actor=Talibn")
    assert status == 400 and body.decode().startswith("unknown actor 'Talibn'")
    status, _, body = get(server + "/queries")
    assert {q["name"] for q in json.loads(body)} >= {"enemies", "paths", "statements"}


def test_view_and_actor_pages(server: str) -> None:
    status, headers, body = get(server + "/")
    assert status == 200 and "default-src 'none'" in headers["content-security-policy"]
    assert b'id="actorgraph-data"' in body
    status, _, body = get(server + "/actors/ttp")
    page = body.decode()
    assert status == 200 and "<h1>Tehreek-e-Taliban Pakistan</h1>" in page
    assert "Pakistani insurgent group the Tehreek-e-Taliban Pakistan" in page
    assert get(server + "/actors/nobody")[0] == 404
    # a statement's basis, note and the sentence around its quote
    page = get(server + "/actors/mullah-omar")[2].decode()
    assert "<em>inferred</em>" in page and "Note: B1:" in page
    assert "In context: To this end, IS-K recruited from the infighting-riven" in page
    page = get(server + "/actors/taliban-base")[2].decode()  # "against any jihadi group" (R15)
    assert (
        "<em>negated</em> · asserted by <bdi>Asfandyar Mir</bdi> · against <bdi>jihadi groups</bdi>"
        in page
    )


# ---------------------------------------------------------------- hardening


LEAKS = ("Traceback", 'File "', "site-packages", "pyparsing", "/actorgraph/")


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
        "SELECT * FROM <http://127.0.0.1:{port}/g> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <http://127.0.0.1:{port}/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "LOAD <http://127.0.0.1:{port}/data.ttl>",
        "INSERT DATA { <http://127.0.0.1:{port}/a> <http://e/p> 1 }",
        "SELECT * WHERE { ?s ?p",
    ],
)
def test_refused_queries_get_400_and_reach_nothing(server: str, listener, query: str) -> None:
    port, seen = listener
    text = query.replace("{port}", str(port))
    for status, _, body in (
        get(query_url(server, text)),
        post(server + "/sparql", text.encode(), "application/sparql-query"),
        post(
            server + "/sparql",
            urllib.parse.urlencode({"query": text}).encode(),
            "application/x-www-form-urlencoded",
        ),
    ):
        assert status == 400
        assert not any(leak in body.decode() for leak in LEAKS)
    assert seen == []


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/queries/enemies?actor=IS-K&actor=TTP", "parameter 'actor' is given twice"),
        ("/queries/enemies?actor=IS-K&parts=false", "query 'enemies' has no parameter 'parts'"),
        ("/queries/enemies?actor=IS-K&name=x", "query 'enemies' has no parameter 'name'"),
        ("/queries/enemies?actor=IS-K&self=x", "query 'enemies' has no parameter 'self'"),
        ("/sparql?query=ASK%7B%7D&query=SELECT%20*%7B%7D", "parameter 'query' is given twice"),
    ],
)
def test_odd_parameters_get_a_400_naming_them(server: str, path: str, message: str) -> None:
    status, _, body = get(server + path)
    assert status == 400 and body.decode().startswith(message), body


def test_updates_are_refused(server: str) -> None:
    update = "INSERT DATA { <http://e/a> <http://e/p> 1 }"
    assert post(server + "/sparql", update.encode(), "application/sparql-update")[0] == 400
    assert (
        post(
            server + "/sparql",
            urllib.parse.urlencode({"update": update}).encode(),
            "application/x-www-form-urlencoded",
        )[0]
        == 400
    )


def test_oversized_body_is_413(server: str) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 30_000
    assert post(server + "/sparql", query.encode(), "application/sparql-query")[0] == 413


def test_row_cap(server: str) -> None:
    status, headers, body = get(query_url(server, "SELECT * WHERE { ?s ?p ?o }"))
    assert status == 200 and headers["x-actorgraph-truncated"] == "true"
    assert len(json.loads(body)["results"]["bindings"]) == 50


def test_no_cors_by_default(server: str) -> None:
    _, headers, _ = get(query_url(server, "ASK {}"), {"Origin": "https://evil.example"})
    assert not any(h.lower().startswith("access-control-") for h in headers)


def test_a_runaway_query_is_stopped_while_others_are_answered(server: str) -> None:
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        started = time.monotonic()
        slow = pool.submit(get, query_url(server, SLOW))
        time.sleep(0.3)
        quick = [pool.submit(get, query_url(server, "ASK { ?s ?p ?o }")) for _ in range(3)]
        quick_statuses = [f.result()[0] for f in quick]
        quick_done = time.monotonic() - started
        status, _, body = slow.result()
        slow_done = time.monotonic() - started
    assert quick_statuses == [200, 200, 200]
    assert quick_done < TIMEOUT  # answered while the slow query was still running
    assert status == 503 and b"ran past the 2 s limit" in body
    assert TIMEOUT <= slow_done < TIMEOUT + 5
    # the stopped worker is replaced: the server keeps answering
    time.sleep(1)
    assert get(query_url(server, "ASK { ?s ?p ?o }"))[0] == 200


def test_concurrent_requests(server: str, bundled: ActorGraph) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: get(query_url(server, query)), range(24)))
    assert {r[0] for r in results} == {200}
    counts = {json.loads(r[2])["results"]["bindings"][0]["n"]["value"] for r in results}
    assert counts == {str(len(bundled.store))}


def test_serve_binds_loopback_by_default(run) -> None:
    help_text = run("serve", "--help").output
    assert "--host TEXT" in help_text and "[default: 127.0.0.1]" in help_text


def test_checking_a_long_query_does_not_hold_up_other_requests(server: str) -> None:
    values = ", ".join(f'"v{i}"' for i in range(2_000))  # just under the 20 kB body limit
    query = f"SELECT ?x WHERE {{ ?x ?p ?o FILTER(?x IN ({values})) }}"
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        long = pool.submit(post, server + "/sparql", query.encode(), "application/sparql-query")
        time.sleep(0.05)
        started = time.monotonic()
        assert get(server + "/")[0] == 200
        page_time = time.monotonic() - started
        assert long.result()[0] == 200
    assert page_time < TIMEOUT


# ---------------------------------------------------------------- answers kept and revalidated


def _bindings(body: bytes) -> list[str]:
    """The rows of a SPARQL JSON answer, each as its variables' values, in a stable order."""
    rows = json.loads(body)["results"]["bindings"]
    return sorted(
        json.dumps({k: v["value"] for k, v in row.items()}, sort_keys=True) for row in rows
    )


def test_kept_answers_never_go_to_another_request(server: str, bundled: ActorGraph) -> None:
    """Interleaved requests that differ in query, parameter, format or Accept header, each asked
    twice: every answer is its own request's (as computed here), the second the same bytes."""
    asked: list[tuple[str, dict[str, str], list[str] | None]] = []
    for name in ("enemies", "cooperation", "affiliations"):
        for actor in ("IS-K", "Afghan Taliban", "TTP", "al-Qaeda", "Haqqani Network"):
            rows = bundled.query(name, actor=actor)
            expected = sorted(
                json.dumps(
                    {k: t.value for k, t in zip(rows.variables, terms, strict=True) if t},
                    sort_keys=True,
                )
                for terms in rows.terms[:50]
            )
            query = urllib.parse.urlencode({"actor": actor, "format": "json"})
            asked.append((f"{server}/queries/{name}?{query}", {}, expected))
    for accept in ("text/csv", "text/tab-separated-values", "application/sparql-results+xml"):
        asked.append((query_url(server, "ASK { act:isk ?p ?o }"), {"Accept": accept}, None))
    first: dict[tuple[str, str], tuple[bytes, str]] = {}
    for round in range(2):
        for url, headers, expected in asked:
            status, received, body = get(url, headers)
            assert status == 200
            if expected is not None:
                assert _bindings(body) == expected, url
            key = (url, headers.get("Accept", ""))
            if round == 0:
                first[key] = (body, received["etag"])
            else:
                assert (body, received["etag"]) == first[key], url
    for (body, tag), (other_body, other_tag) in combinations(first.values(), 2):
        assert body == other_body or tag != other_tag
    ask = query_url(server, "ASK { act:isk ?p ?o }")
    assert first[(ask, "text/csv")][0].decode().split() == ["true"]
    assert b"<boolean>true</boolean>" in first[(ask, "application/sparql-results+xml")][0]


def test_a_kept_answer_is_revalidated_and_stays_truncated(server: str) -> None:
    url = query_url(server, "SELECT * WHERE { ?s ?p ?o }")
    for _ in range(2):  # computed, then kept: both cut to the cap and saying so
        status, headers, body = get(url)
        assert (status, headers["x-actorgraph-truncated"]) == (200, "true")
        assert len(json.loads(body)["results"]["bindings"]) == 50
        assert headers["cache-control"] == "no-cache" and headers["vary"] == "Accept"
    status, again, body = get(url, {"If-None-Match": headers["etag"]})
    assert (status, body, again["etag"]) == (304, b"", headers["etag"])
    assert get(url, {"If-None-Match": '"something-else"'})[0] == 200
    assert get(url, {"If-None-Match": headers["etag"], "Accept": "text/csv"})[0] == 200
    named = server + "/queries/enemies?actor=IS-K&format=csv"
    _, headers, _ = get(named)
    assert get(named, {"If-None-Match": f'W/{headers["etag"]}, "x"'})[0] == 304
