"""The Python API: actor lookup, statements, named queries and safe SPARQL."""

from __future__ import annotations

import gc
import re
import sys
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest

from actorgraph import ActorGraph, ExportFormat, QueryError, Stance, UnknownActorError
from actorgraph.bundled import graph_dir

ACT = "https://w3id.org/actorgraph/actor/"


@pytest.mark.parametrize(
    "name",
    [
        "isis-k",
        "IS-K",
        "is-kp",
        "ISIS-K",
        "  Islamic  State Khorasan Province ",
        "isk",
        ACT + "isk",
    ],
)
def test_alias_lookup_ignores_case_and_spacing(kg: ActorGraph, name: str) -> None:
    assert kg.actor(name).id == "isk"


def test_unknown_actor_suggests_close_matches(kg: ActorGraph) -> None:
    with pytest.raises(UnknownActorError) as caught:
        kg.actor("Talibn")
    assert str(caught.value) == "unknown actor 'Talibn'; did you mean 'Afghan Taliban'?"
    assert isinstance(caught.value, LookupError)


def test_unknown_actor_without_close_match(kg: ActorGraph) -> None:
    with pytest.raises(UnknownActorError, match=r"^unknown actor 'zzzz'$"):
        kg.actor("zzzz")


def test_unnamed_parties_resolve_but_are_not_actors(kg: ActorGraph) -> None:
    assert kg.actor("press reporting").kind == "UnnamedParty"
    assert "press-reporting" not in {a.id for a in kg.actors()}
    assert len(kg.actors()) == 68


def test_actors_by_class(kg: ActorGraph) -> None:
    assert [a.id for a in kg.actors(kind="state")] == [
        "afghanistan",
        "germany",
        "iran",
        "iraq",
        "pakistan",
        "syria",
        "united-states",
    ]  # every country is one State node (coding guide, N2)
    with pytest.raises(QueryError, match="unknown actor class 'militia'"):
        kg.actors(kind="militia")


def test_statements_filters_combine(kg: ActorGraph) -> None:
    found = kg.statements(subject="Taliban", relation="hostile to", object="IS-K")
    assert sorted((s.id, s.asserted_by, s.stance) for s in found) == [
        ("taliban-hostileTo-isk", "asfandyar-mir", Stance.ASSERTED),
        ("taliban-hostileTo-isk-2", "asfandyar-mir", Stance.ASSERTED),
        ("taliban-hostileTo-isk-biden", "joe-biden", Stance.ASSERTED),
        ("taliban-hostileTo-isk-enmity", "asfandyar-mir", Stance.ASSERTED),
        ("taliban-hostileTo-isk-intro", "usip", Stance.ASSERTED),
        ("taliban-hostileTo-isk-vested-interest", "usip", Stance.HEDGED),
    ]


def test_statement_evidence_is_exact_text(kg: ActorGraph) -> None:
    (claim,) = kg.statements(subject="IS-K", relation="affiliateOf")
    text = (graph_dir() / "sources" / "usip-2021-isk-resurgence.txt").read_text(encoding="utf-8")
    assert text[claim.evidence.start : claim.evidence.end] == claim.evidence.quote
    assert claim.evidence.quote.startswith("IS-K (also referred to as IS-KP and ISIS-K)")


def test_unknown_relation_and_stance(kg: ActorGraph) -> None:
    with pytest.raises(
        QueryError, match=r"unknown relation type 'hostile'; did you mean hostileTo\?"
    ):
        kg.statements(relation="hostile")
    with pytest.raises(QueryError, match="unknown stance 'sure'"):
        kg.statements(stance="sure")


def test_named_query_errors(kg: ActorGraph) -> None:
    with pytest.raises(
        QueryError, match=r"^unknown query 'statement'; did you mean statements, actor-statements\?"
    ):
        kg.query("statement")
    with pytest.raises(QueryError, match=r"^query 'statements' has no parameter 'actor'"):
        kg.query("statements", actor="IS-K")


def test_sparql_binds_values_as_terms(kg: ActorGraph) -> None:
    rows = kg.sparql(
        "SELECT ?actor ?label WHERE { ?actor skos:altLabel ?alias ; skos:prefLabel ?label }",
    )
    assert len(rows) > 15
    rows = kg.sparql(
        "SELECT * WHERE { ?actor skos:altLabel ?alias ; skos:prefLabel ?label }",
        alias=ox.Literal("IS-KP", language="en"),
    )
    assert rows.column("actor") == [ACT + "isk"]


@pytest.mark.parametrize(
    "value",
    [
        'IS-K" } ; DROP ALL ; #',
        "> SERVICE <http://127.0.0.1:9/> {",
        "IS-K\nUNION { ?s ?p ?o }",
        "x" * 10_000,
        "\u202eK-SI\u202c",
    ],
)
def test_hostile_values_bind_as_plain_literals(kg: ActorGraph, value: str) -> None:
    rows = kg.sparql("SELECT * WHERE { ?actor skos:altLabel ?alias }", alias=value)
    assert rows.dicts() == []
    with pytest.raises(UnknownActorError):
        kg.statements(subject=value)


def test_unselected_parameter_is_a_clear_error(kg: ActorGraph) -> None:
    with pytest.raises(QueryError, match=r"parameter 'a' must be a selected variable"):
        kg.sparql("SELECT ?o WHERE { ?a ag:hostileTo ?o }", a=kg.actor("IS-K"))
    with pytest.raises(QueryError, match=r"parameter 'b' is not a variable of the query"):
        kg.sparql("SELECT * WHERE { ?a ag:hostileTo ?o }", b="x")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } }",
            "SERVICE is refused",
        ),
        (
            "SELECT * FROM <http://127.0.0.1:{port}/g> WHERE { ?s ?p ?o }",
            "FROM and FROM NAMED are refused",
        ),
        (
            "SELECT * FROM NAMED <http://127.0.0.1:{port}/g> WHERE { ?s ?p ?o }",
            "FROM and FROM NAMED are refused",
        ),
        ("LOAD <http://127.0.0.1:{port}/data.ttl>", "updates"),
        ("DROP ALL", "updates"),
        ("INSERT DATA { <http://127.0.0.1:{port}/a> <http://e/p> 1 }", "updates"),
    ],
)
def test_user_sparql_is_read_only_and_offline(
    kg: ActorGraph, listener: tuple[int, list[bytes]], query: str, message: str
) -> None:
    port, seen = listener
    with pytest.raises(QueryError, match=message):
        kg.sparql(query.replace("{port}", str(port)))
    assert seen == []
    assert kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").column("n") == [len(kg.store)]


def test_syntax_error_is_one_line(kg: ActorGraph, backend: str) -> None:
    with pytest.raises(QueryError) as caught:
        kg.sparql("SELECT * WHERE { ?s ?p }")
    (message,) = str(caught.value).splitlines()
    if backend == "embedded":
        assert message.startswith("SPARQL syntax error at line 1, column 25: expected")
    else:  # the remote store's own words
        assert message.startswith("query failed at the endpoint")


def test_ask_and_construct_results(kg: ActorGraph) -> None:
    assert kg.sparql("ASK { act:isk ag:affiliateOf act:isis }").column("result") == [True]
    rows = kg.sparql("CONSTRUCT { ?s ag:affiliateOf ?o } WHERE { ?s ag:affiliateOf ?o }")
    assert rows.dicts() == [
        {
            "subject": ACT + "isk",
            "predicate": "https://w3id.org/actorgraph/ontology#affiliateOf",
            "object": ACT + "isis",
        }
    ]


def test_actor_iris_outside_the_bundled_namespace(tmp_path) -> None:
    data = tmp_path / "people.ttl"
    data.write_text(
        "@prefix ag: <https://w3id.org/actorgraph/ontology#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix ex: <https://example.org/> .\n"
        'ex:bob a ag:Person ; skos:prefLabel "Bob" .\n'
        'ex:eve a ag:Person ; skos:prefLabel "Eve" .\n',
        encoding="utf-8",
    )
    kg = ActorGraph.load(data)
    bob = kg.actor("bob")
    assert bob.iri == "https://example.org/bob"
    rows = kg.sparql("SELECT * WHERE { ?who skos:prefLabel ?label }", who=bob)
    assert rows.column("label") == ["Bob"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"z": "x"}, "parameter 'z' is not a variable of the query"),
        ({"a": "\udcff"}, "parameter 'a': not valid as RDF text"),
    ],
)
def test_bad_sparql_parameters(kg: ActorGraph, params: dict[str, str], message: str) -> None:
    with pytest.raises(QueryError, match="^" + re.escape(message)):
        kg.sparql("SELECT * WHERE { ?a skos:altLabel ?b } # ?z", **params)


@pytest.mark.parametrize("value", ["2020-13", "2020-13-45", "2020\n", "٢٠٢٠", "May 2020"])
def test_bad_date_parameter(value: str) -> None:
    from actorgraph.queries import make_literal

    with pytest.raises(QueryError, match="parameter 'when': expected a year"):
        make_literal("date", "when", value)


def test_empty_query(kg: ActorGraph) -> None:
    with pytest.raises(QueryError, match=r"^the query is empty$"):
        kg.sparql("  \n")


def test_a_query_failing_midway_leaves_nothing_another_thread_must_drop(
    listener: tuple[int, list[bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """pyoxigraph result iterators may only be dropped on their own thread; an error kept in a
    reference cycle (as any caller holding it does) must not carry one to another thread."""
    port, _ = listener
    kg = ActorGraph.load()
    unraisable: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: unraisable.append(str(u.exc_value)))

    def fail() -> None:
        try:
            query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"
            kg.sparql(query, allow=["service"])
        except QueryError as error:
            kept = error  # this frame -> error -> traceback -> this frame: a cycle
            assert kept.__traceback__ is not None

    gc.disable()
    try:
        fail()
        collector = threading.Thread(target=gc.collect)
        collector.start()
        collector.join()
    finally:
        gc.enable()
    assert unraisable == []


def test_a_parameter_given_several_values_matches_any(kg: ActorGraph) -> None:
    one = kg.query("statements", stance="Disputed").column("statement")
    other = kg.query("statements", stance="Denied").column("statement")
    assert kg.query("statements", stance=["Disputed", "Denied"]).column("statement") == one + other
    assert len(kg.query("statements", stance=[])) == len(kg.query("statements"))  # empty: all
    assert [s.stance.value for s in kg.statements(stance=("Denied",))] == ["Denied"]


def test_filters_take_one_value_or_several_under_the_command_line_names(
    kg: ActorGraph, tmp_path: Path
) -> None:
    one = kg.to_networkx(stance="Disputed")
    assert one.number_of_edges() == kg.to_networkx(stance=["Disputed"]).number_of_edges() == 3
    hostile = kg.to_networkx(relation="hostileTo").number_of_edges()
    both = kg.to_networkx(relation=["hostileTo", "targets"]).number_of_edges()
    assert 0 < hostile < both
    assert kg.analyze(stance="Asserted").signed.number_of_edges() > 0
    assert kg.paths("United States", "al-Qaeda", stance="Asserted")
    page = kg.view(relation="hostileTo", stance="Asserted", source="usip-2021-isk-resurgence")
    assert page.html.startswith("<!doctype html>")
    with pytest.warns(DeprecationWarning, match="stances= is now stance="):
        former = kg.to_networkx(stances=["Disputed"])
    assert former.number_of_edges() == 3
    with pytest.raises(TypeError, match="give relation= only"):
        kg.export(tmp_path / "x.graphml", ExportFormat.GRAPHML, relation="a", relations=["b"])


def test_a_repl_user_gets_short_reprs_and_plain_names(tmp_path: Path) -> None:
    kg = ActorGraph.load("@bundled")  # as -g @bundled names it
    shown = repr(kg.query("statements"))
    assert shown.startswith(f"<Rows: {len(kg.query('statements'))} rows × 20 columns (statement,")
    assert len(shown) < 3000 and shown.endswith(".dicts(), .column(name), rows[i], .to_pandas()")
    assert repr(kg.sparql("ASK { ?s ?p ?o }")) == "<Rows: ASK True>"
    assert repr(kg.view(actor="TTP")).startswith("<View: ")
    assert kg.export(tmp_path / "g.graphml", "GraphML") == [tmp_path / "g.graphml"]
    with pytest.raises(QueryError, match="unknown export format 'graphm'; one of graphml, gexf"):
        kg.export(tmp_path / "g.graphml", "graphm")
    assert len(ActorGraph.load(["@bundled"]).statements()) == len(kg.statements())
