"""What the endpoint answers, without a server: the engine's own writer gives the rows the
Rows path gave (same bytes for XML, CSV and TSV; the same terms for JSON), cut to the row cap
the same way, and the answer cache keeps apart what differs."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from actorgraph import ActorGraph
from actorgraph.rendering import ENGINE_TYPES, render_answer
from actorgraph.server.cache import AnswerCache, answer_key
from actorgraph.workers import Answer, _answer, _CappedStore

CAP = 5
ACT = "https://w3id.org/actorgraph/actor/"


@pytest.fixture(scope="module")
def worker_graph() -> ActorGraph:
    """The bundled graph as a worker holds it: answers read to CAP + 1 rows at most."""
    kg = ActorGraph.load()
    kg.store = _CappedStore(kg.store, CAP + 1)
    return kg


def _requests() -> list[tuple[str, dict[str, object]]]:
    named = []
    for query in ActorGraph.load().queries():
        required = [p for p in query.parameters if p.required]
        if all(p.type == "actor" for p in required):
            params = {p.name: "IS-K" for p in required}
            named.append(("query", {"name": query.name, "params": params}))
    return [
        *named,
        ("query", {"name": "statements", "params": {"subject": "United States"}}),  # 3 runs
        ("query", {"name": "enemies", "params": {"actor": "Afghan Taliban"}}),
        ("sparql", {"text": "SELECT * WHERE { ?s ?p ?o }"}),
        ("sparql", {"text": "ASK { act:isk ag:affiliateOf act:isis }"}),
        ("sparql", {"text": "ASK { act:isk ag:affiliateOf act:taliban }"}),
        ("sparql", {"text": "SELECT * WHERE {}"}),
        ("sparql", {"text": "SELECT ?e ?q WHERE { ?e a ag:Evidence ; ag:quote ?q } ORDER BY ?q"}),
        (
            "sparql",
            {
                "text": 'SELECT ?x ?y WHERE { VALUES (?x ?y) { (1 UNDEF) (UNDEF "a\\tb\\nc"@en) '
                '(2.5 "é \\"q\\"") (<https://e.org/a> true) ("2020"^^xsd:gYear 0.50) } }'
            },
        ),
    ]


def _rows_path(kg: ActorGraph, kind: str, payload: dict, media_type: str) -> tuple:
    """The answer as the endpoint wrote it before: every row read into Rows, then
    render_answer."""
    if kind == "sparql":
        rows = kg.sparql(payload["text"])
    else:
        rows = kg.query(payload["name"], **payload["params"])
    return render_answer(rows, media_type, CAP)


def _terms(body: bytes, media_type: str) -> object:
    parsed = ox.parse_query_results(body, format=ENGINE_TYPES[media_type])
    if isinstance(parsed, ox.QueryBoolean):
        return bool(parsed)
    return [v.value for v in parsed.variables], [tuple(solution) for solution in parsed]


@pytest.mark.parametrize("media_type", list(ENGINE_TYPES))
def test_the_engine_writer_gives_the_rows_the_rows_path_gave(
    worker_graph: ActorGraph, media_type: str
) -> None:
    compared = 0
    for kind, payload in _requests():
        body, answered_type, truncated = _answer(
            worker_graph, kind, payload, media_type, max_rows=CAP
        )
        before, _, was_truncated = _rows_path(worker_graph, kind, payload, media_type)
        assert (answered_type, truncated) == (media_type, was_truncated), payload
        if media_type == "application/sparql-results+json":
            assert _terms(body, media_type) == _terms(before, media_type), payload
            json.loads(body)  # well-formed on its own
        else:  # written by pyoxigraph on both paths: the same bytes
            assert body == before, payload
        compared += 1
    assert compared > 15


def test_rows_as_json_objects_are_those_of_the_api(worker_graph: ActorGraph) -> None:
    """``application/json`` (``format=objects``): kg.query's rows, list columns as lists,
    cut to the row cap like the rest."""
    for kind, payload in _requests():
        body, _, truncated = _answer(worker_graph, kind, payload, "application/json", max_rows=CAP)
        before, _, was_truncated = _rows_path(worker_graph, kind, payload, "application/json")
        assert (body, truncated) == (before, was_truncated), payload
    statements = {"name": "statements", "params": {"subject": "United States"}}
    first = json.loads(
        _answer(worker_graph, "query", statements, "application/json", max_rows=1)[0]
    )
    assert isinstance(first[0]["contestedBy"], list)


def test_the_row_cap_is_signalled_and_keeps_the_first_rows(worker_graph: ActorGraph) -> None:
    everything = worker_graph.sparql("SELECT * WHERE { ?s ?p ?o }")
    body, _, truncated = _answer(
        worker_graph,
        "sparql",
        {"text": "SELECT * WHERE { ?s ?p ?o }"},
        "text/tab-separated-values",
        max_rows=CAP,
    )
    lines = body.decode().splitlines()
    assert truncated and len(lines) == 1 + CAP
    _, rows = _terms(body, "text/tab-separated-values")
    assert rows == list(everything.terms[:CAP])
    # exactly at the cap: nothing cut, nothing signalled
    text = "SELECT ?n WHERE { VALUES ?n { 1 2 3 4 5 } }"
    body, _, truncated = _answer(worker_graph, "sparql", {"text": text}, "text/csv", max_rows=CAP)
    assert (body.decode().split(), truncated) == (["n", "1", "2", "3", "4", "5"], False)


def test_answers_are_the_engine_s_own_words(worker_graph: ActorGraph) -> None:
    """The bytes pyoxigraph writes for the whole result, as Oxigraph's server does: literals
    keep their lexical form (rdflib's writer turned "1000"^^xsd:double into "1000.0")."""
    from actorgraph.namespaces import PREFIXES

    text = "SELECT ?x ?y WHERE { VALUES (?x ?y) { (1e3 UNDEF) (1.5 42) } }"
    for media_type, format in ENGINE_TYPES.items():
        body, _, _ = _answer(worker_graph, "sparql", {"text": text}, media_type, max_rows=CAP)
        engine = worker_graph.store.results(text, {}, PREFIXES)
        assert body == engine.serialize(format=format)
    body, _, _ = _answer(
        worker_graph, "sparql", {"text": text}, "text/tab-separated-values", max_rows=CAP
    )
    assert body.decode().splitlines()[1:] == [
        '"1000"^^<http://www.w3.org/2001/XMLSchema#double>\t',
        "1.5\t42",
    ]


def test_the_graph_s_own_lookups_are_not_cut_to_the_row_cap() -> None:
    kg = ActorGraph.load()
    kg.store = _CappedStore(kg.store, 2)  # far fewer rows than the graph has actors
    request = {"name": "enemies", "params": {"actor": "Afghan Taliban"}}
    body, _, truncated = _answer(kg, "query", request, "text/csv", max_rows=1)
    assert truncated and body.decode().splitlines()[1].startswith(ACT + "taliban,")


def test_errors_read_as_before(worker_graph: ActorGraph) -> None:
    from actorgraph.errors import ActorGraphError

    for kind, payload in [
        ("sparql", {"text": "SELECT * WHERE { ?s ?p"}),
        ("sparql", {"text": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}),
        ("query", {"name": "enemies", "params": {"actor": "Talibn"}}),
        ("query", {"name": "enemies", "params": {}}),
        ("sparql", {"text": "CONSTRUCT WHERE { ?s ?p ?o }"}),
    ]:
        with pytest.raises(ActorGraphError) as new:
            _answer(worker_graph, kind, payload, "text/csv", max_rows=CAP)
        with pytest.raises(ActorGraphError) as old:
            _rows_path(worker_graph, kind, payload, "text/csv")
        assert str(new.value) == str(old.value)


# ---------------------------------------------------------------- the answer cache


def test_cache_keys_keep_apart_what_a_worker_would_answer_differently() -> None:
    query = {"name": "enemies", "params": {"actor": "IS-K", "stance": "Hedged"}}
    same_order = {"name": "enemies", "params": {"stance": "Hedged", "actor": "IS-K"}}
    assert answer_key("query", query, "text/csv") == answer_key("query", same_order, "text/csv")
    others = [
        answer_key("query", query, "text/tab-separated-values"),
        answer_key("query", {"name": "enemies", "params": {"actor": "IS-K"}}, "text/csv"),
        answer_key("query", {"name": "enemies", "params": {"actor": "ISK"}}, "text/csv"),
        answer_key("query", {"name": "cooperation", "params": {"actor": "IS-K"}}, "text/csv"),
        answer_key("sparql", {"text": "ASK {}"}, "text/csv"),
        answer_key("sparql", {"text": "ASK { }"}, "text/csv"),
    ]
    assert len({answer_key("query", query, "text/csv"), *others}) == 1 + len(others)


def test_cache_drops_the_least_recently_used_beyond_its_budget() -> None:
    cache = AnswerCache(800)

    def answer(size: int) -> Answer:
        return Answer(b"x" * size, "text/csv", truncated=False)

    keys = [answer_key("sparql", {"text": f"ASK {{ ?s ?p {n} }}"}, "text/csv") for n in range(9)]
    for key in keys[:8]:
        cache.put(key, answer(100))
    assert (len(cache), cache.size) == (8, 800)
    assert cache.get(keys[0]) is not None  # now the most recently used
    cache.put(keys[8], answer(100))
    assert cache.get(keys[1]) is None and cache.get(keys[0]) is not None
    assert cache.size <= 800
    kept = cache.put(answer_key("sparql", {"text": "big"}, "text/csv"), answer(101))
    assert kept.answer.body and len(cache) == 8  # over an eighth of the budget: not kept
    assert len(AnswerCache(0)) == 0 and AnswerCache(0).put(keys[0], answer(0)).etag
    nothing = AnswerCache(0)
    nothing.put(keys[0], answer(0))
    assert nothing.get(keys[0]) is None


def test_a_truncated_answer_stays_truncated_in_the_cache() -> None:
    cache = AnswerCache(10_000)
    key = answer_key("sparql", {"text": "SELECT * WHERE { ?s ?p ?o }"}, "text/csv")
    cache.put(key, Answer(b"s,p,o\r\n", "text/csv", truncated=True))
    kept = cache.get(key)
    assert kept is not None and kept.answer.truncated
