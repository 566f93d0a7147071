"""The named-query catalogue: exact results on the bundled graph, typed parameters, safety."""

from __future__ import annotations

import csv
import io
import json
import warnings
import xml.etree.ElementTree as ElementTree
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest

from actorgraph import ActorGraph, QueryError, UnknownActorError
from actorgraph.model import local_name
from actorgraph.output import OutputFormat, render
from actorgraph.queries import load_catalogue

ROOT = Path(__file__).resolve().parents[1]


def normalise(value: object) -> object:
    """IRIs of the graph as local names; lists (no fixed order) sorted and joined as the
    expected file writes them: labels with "|", IRIs with spaces."""
    if isinstance(value, list):
        iris = all(str(v).startswith(("https://", "^https://")) for v in value)
        value = " ".join(value) if iris else " | ".join(value)
    if isinstance(value, str) and " | " in value:
        return "|".join(sorted(value.split(" | ")))
    if isinstance(value, str) and value.startswith("https://w3id.org/actorgraph/"):
        return " ".join(sorted(local_name(v) for v in value.split()))
    return value


# Checked against the article; one row per line in the JSON file.
EXPECTED = json.loads((Path(__file__).parent / "data" / "expected-queries.json").read_text("utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_query_returns_exactly_the_expected_rows(kg: ActorGraph, name: str, backend: str) -> None:
    case = EXPECTED[name]

    def rows() -> list[list[object]]:
        found = kg.query(case.get("query", name), **case["params"]).dicts()
        return [[normalise(row[c]) for c in case["columns"]] for row in found]

    got = rows()
    if got != case["rows"] and backend == "virtuoso":
        # Virtuoso 7.2 now and then leaves out a row (docs/remote.md): asked again, it answers
        # in full; a query that is wrong every time still fails here
        warnings.warn(f"Virtuoso left out rows of {name!r} once", stacklevel=1)
        got = rows()
    assert got == case["rows"]


@pytest.mark.parametrize(
    "name",
    [
        "integrity-statement-without-evidence",
        "integrity-actor-without-label",
        "integrity-unknown-relation",
    ],
)
def test_integrity_queries_find_nothing_in_the_bundled_graph(kg: ActorGraph, name: str) -> None:
    assert kg.query(name).dicts() == []


def test_integrity_queries_find_planted_faults(graph_copy: Path) -> None:
    (graph_copy / "faults.ttl").write_text(
        "@prefix ag: <https://w3id.org/actorgraph/ontology#> .\n"
        "@prefix act: <https://w3id.org/actorgraph/actor/> .\n"
        "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
        "<https://w3id.org/actorgraph/statement/bad> a ag:Statement ;\n"
        "    rdf:subject act:isk ; rdf:predicate ag:poaches ; rdf:object act:nobody .\n"
        "act:isk ag:befriends act:ttp .\n",
        encoding="utf-8",
    )
    kg = ActorGraph.load(graph_copy)
    assert kg.query("integrity-statement-without-evidence").column("claim") == [
        "https://w3id.org/actorgraph/statement/bad"
    ]
    assert kg.query("integrity-actor-without-label").column("node") == [
        "https://w3id.org/actorgraph/actor/nobody"
    ]
    found = {
        (normalise(r["where"]), normalise(r["relation"]))
        for r in kg.query("integrity-unknown-relation").dicts()
    }
    assert found == {("isk", "befriends"), ("bad", "poaches")}


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("# title: T\n# colour: red\n", r"bad\.rq:2: expected a header line: .*'# parts:'"),
        ("# description: no title\n", r"bad\.rq:1: a named query starts with a '# title:'"),
        ("# title: T\n# list: against commas\n", r"bad\.rq: malformed '# list: against commas'"),
        ("# title: T\n# parts: apart\n", r"bad\.rq: malformed '# parts: apart'; expected 'to"),
    ],
)
def test_a_malformed_query_header_is_named(tmp_path: Path, header: str, message: str) -> None:
    (tmp_path / "bad.rq").write_text(header + "SELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(QueryError, match=message):
        load_catalogue(tmp_path)


@pytest.mark.parametrize(
    "where",
    [
        "?statement rdf:subject ?s . BIND(?s AS ?actor)",
        "{ SELECT ?actor ?statement WHERE { ?statement rdf:subject ?s . BIND(?s AS ?actor) } }",
        "{ SELECT (?s AS ?actor) ?statement WHERE { ?statement rdf:subject ?s } }",
    ],
)
def test_a_parameter_a_query_assigns_with_as_is_bound_as_a_substitution_would(
    tmp_path: Path, where: str, kg: ActorGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bound values written into the text (anchors on the embedded store, the binding on a
    server) must not make a query that assigns the parameter (BIND … AS ?actor) invalid."""
    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "assigned.rq").write_text(
        "# title: Statements whose subject is assigned to the parameter\n"
        "# param: actor  actor  required  The actor.\n"
        "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
        f"SELECT ?actor ?statement WHERE {{ {where} }}\n",
        encoding="utf-8",
    )
    direct = sorted(s.iri for s in kg.statements(subject="IS-K", parts=False))
    monkeypatch.setattr(kg, "queries_path", folder)
    monkeypatch.delitem(kg.__dict__, "_catalogue", raising=False)
    rows = kg.query("assigned", actor="IS-K", parts=False).column("statement")
    assert sorted(rows) == direct and len(rows) > 40


def test_organs_are_matched_in_one_run_where_the_header_says_together() -> None:
    kg = ActorGraph.load()
    taliban = [kg.actor(a).iri for a in ("Taliban", "Taliban security sector")]
    assert [a.iri for a in kg.parts("Taliban")] == taliban
    assert kg.named_query("paths").parts_together
    ((text, bindings),) = kg.query_runs("paths", **{"from": "IS-K", "to": "Taliban"})
    assert set(bindings) == {"from"}  # ?to is bound by the block, to both
    assert f"VALUES ?to {{ <{taliban[0]}> <{taliban[1]}> }}" in text
    rows = kg.query("paths", **{"from": "IS-K", "to": "Taliban"}).dicts()
    assert {r["to"] for r in rows} == set(taliban)
    assert [r["hops"] for r in rows] == sorted(r["hops"] for r in rows)  # ORDER BY, not organ
    (_, alone), *more = kg.query_runs("paths", {"from": "IS-K", "to": "Taliban"}, parts=False)
    assert not more and alone["to"].value == taliban[0]
    # without the header: a run per organ, the actor's rows first
    runs = kg.query_runs("enemies", actor="Taliban")
    assert [bindings["actor"].value for _, bindings in runs] == taliban
    # two parameters with organs: a run per pair, whatever the header says
    pairs = kg.query_runs("paths", **{"from": "United States", "to": "Taliban"})
    assert len(pairs) == 6


def test_every_quote_comes_with_who_asserts_it_and_whom_it_is_against() -> None:
    """A claim's party is part of the claim (S5): wherever a query gives a quote, it gives the
    party asserting it, and a terminal table that shows the quote shows the party and whom the
    claim is directed against (R6) too, so another party's claim never reads as the author's."""
    kg = ActorGraph.load()
    checked = 0
    for query in kg.queries():
        params = {p.name: _EXAMPLE.get(p.name, _EXAMPLE.get(p.type)) for p in query.parameters}
        required = {p.name for p in query.parameters if p.required}
        variables = kg.query(query.name, **{k: v for k, v in params.items() if k in required})
        for quote in (v for v in variables.variables if v == "quote" or v.endswith("Quote")):
            prefix = quote.removesuffix("quote").removesuffix("Quote")
            party = f"{prefix}AssertedBy" if prefix else "assertedBy"
            against = f"{prefix}Against" if prefix else "against"
            fixed = "party" in required  # asserted-by: the rows of one party
            assert party in variables.variables or fixed, (query.name, party)
            if query.shown and quote in query.shown:
                assert party in query.shown or fixed, (query.name, party)
                shown = against in query.shown or against not in variables.variables
                assert shown, (query.name, against)
            checked += 1
    assert checked >= 15


_EXAMPLE = {
    "actor": "IS-K",
    "date": "2021",
    "stance": "Asserted",
    "relation": "hostileTo",
    "from": "United States",
    "to": "al-Qaeda",
    "party": "Asfandyar Mir",
    "text": "taliban",
}


def test_the_catalogue_is_documented() -> None:
    kg = ActorGraph.load()
    queries = kg.queries()
    assert len(queries) >= 15
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for query in queries:
        assert query.title and len(query.description) > 40, query.name
        assert f"`{query.name}`" in readme, f"README does not list {query.name}"
        for parameter in query.parameters:
            assert parameter.description, (query.name, parameter.name)


def test_queries_command_lists_every_query_with_its_parameters(run) -> None:
    rows = json.loads(run("queries", "--format", "json").stdout)
    assert len(rows) == len(ActorGraph.load().queries())
    paths = next(r for r in rows if r["name"] == "paths")
    assert paths["parameters"] == "from (actor), to (actor)"
    assert paths["title"] == "Paths between two actors"


def test_symmetric_statements_appear_once_from_either_side(kg: ActorGraph) -> None:
    for actor, other in (("IS-K", "Taliban"), ("Taliban", "IS-K")):
        rows = kg.query("enemies", actor=actor).dicts()
        competes = [
            r
            for r in rows
            if normalise(r["relation"]) == "competesWith" and r["other"] == kg.actor(other).iri
        ]
        assert [(r["direction"], normalise(r["statement"])) for r in competes] == [
            ("mutual", "isk-competesWith-taliban")
        ]


def test_inverse_relations_read_the_same_way(graph_copy: Path) -> None:
    (graph_copy / "inverse.ttl").write_text(
        (graph_copy / "claims" / "usip-2021-isk-resurgence.ttl")
        .read_text(encoding="utf-8")
        .split("\nstmt:")[0]
        + "\nstmt:isis-hasAffiliate-isk a ag:Statement ;\n"
        "    rdf:subject act:isis ; rdf:predicate ag:hasAffiliate ; rdf:object act:isk ;\n"
        "    ag:stance ag:Asserted ; ag:assertedBy act:asfandyar-mir ;\n"
        "    prov:wasDerivedFrom [ a ag:Evidence ; ag:source src:usip-2021-isk-resurgence ;\n"
        "        ag:start 1197 ; ag:end 1311 ;\n"
        '        ag:quote "IS-K (also referred to as IS-KP and ISIS-K) is the Afghanistan '
        'affiliate of Islamic State in Iraq and Syria (ISIS)" ] .\n',
        encoding="utf-8",
    )
    kg = ActorGraph.load(graph_copy)
    assert kg.validate().ok
    rows = [
        (r["role"], normalise(r["other"]), normalise(r["statement"]))
        for r in kg.query("affiliations", actor="IS-K").dicts()
    ]
    assert ("parent", "isis", "isk-affiliateOf-isis") in rows
    assert ("parent", "isis", "isis-hasAffiliate-isk") in rows


def test_actor_parameters_accept_any_alias(kg: ActorGraph) -> None:
    by_id = kg.query("recruits-from", actor="isk").dicts()
    for alias in ("IS-K", "is-kp", "ISIS-K", "Islamic State of Khorasan Province"):
        assert kg.query("recruits-from", actor=alias).dicts() == by_id


def test_paths_give_the_evidence_for_each_hop(kg: ActorGraph) -> None:
    rows = kg.query("paths", **{"from": "United States", "to": "al-Qaeda"}).dicts()
    # the text states no tie between them ("concerned about the threat" is an inference)
    assert {row["hops"] for row in rows} == {2}
    via_isk = next(
        r
        for r in rows
        if r["via"] == kg.actor("IS-K").iri
        and normalise(r["secondStatement"]) == "isk-recruitsFrom-al-qaeda"
    )
    assert via_isk["firstQuote"].startswith(
        "leaving both the new Taliban government and the United"
    )
    assert via_isk["secondQuote"].startswith("To this end, IS-K recruited from")  # E1
    assert "the weakened al-Qaeda in Afghanistan and Pakistan" in via_isk["secondQuote"]


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("nope", {}, "unknown query 'nope'"),
        ("enemies", {}, "query 'enemies' needs parameter 'actor'"),
        ("enemies", {"actor": "IS-K", "who": "x"}, "query 'enemies' has no parameter 'who'"),
        ("valid-at", {"date": "yesterday"}, "parameter 'date': expected a year"),
        ("enemies", {"actor": "IS-K", "stance": "sure"}, "unknown stance 'sure'"),
    ],
)
def test_bad_query_calls(kg: ActorGraph, name: str, params: dict[str, str], message: str) -> None:
    with pytest.raises(QueryError, match=message):
        kg.query(name, **params)


@pytest.mark.parametrize(
    "args",
    [
        ["query", "nope"],
        ["query", "enemies"],
        ["query", "enemies", "-p", "actor=IS-K", "-p", "who=x"],
        ["query", "valid-at", "-p", "date=yesterday"],
    ],
)
def test_bad_query_calls_on_the_command_line(run, args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1


# ---------------------------------------------------------------- output formats


@pytest.mark.parametrize("fmt", [f for f in OutputFormat])
def test_every_output_format(kg: ActorGraph, fmt: OutputFormat) -> None:
    rows = kg.query("leaders", actor="Taliban security sector")
    text = render(rows, fmt)
    members = "senior members of the Haqqani Network"
    if fmt is OutputFormat.JSON:
        assert [r["other"] for r in json.loads(text)] == [kg.actor(members).iri]
    elif fmt is OutputFormat.JSONL:
        assert [json.loads(line)["other"] for line in text.splitlines()] == [kg.actor(members).iri]
    elif fmt is OutputFormat.CSV:
        assert next(csv.DictReader(io.StringIO(text)))["otherLabel"] == members
    elif fmt is OutputFormat.TABLE:
        assert "act:senior-haqqani-members" in text.splitlines()[2]
    elif fmt is OutputFormat.SPARQL_XML:
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        root = ElementTree.fromstring(text)
        assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == list(
            rows.variables
        )
        assert len(root.findall("r:results/r:result", ns)) == 1
    elif fmt is OutputFormat.SPARQL_CSV:
        assert text.splitlines()[0] == ",".join(rows.variables)
        assert len(text.splitlines()) == 2
    else:
        parsed = ox.parse_query_results(
            text.encode(), format=getattr(ox.QueryResultsFormat, fmt.name.removeprefix("SPARQL_"))
        )
        (solution,) = list(parsed)
        assert solution["other"] == ox.NamedNode(kg.actor(members).iri)
        assert solution["otherLabel"] == ox.Literal(members, language="en")


def test_ask_in_sparql_json(kg: ActorGraph) -> None:
    text = render(kg.sparql("ASK { act:isk ag:affiliateOf act:isis }"), OutputFormat.SPARQL_JSON)
    assert json.loads(text)["boolean"] is True


def test_cli_sparql_formats(run) -> None:
    result = run("query", "leaders", "-p", "actor=IS-K", "--format", "sparql-tsv")
    assert result.stdout.splitlines()[0].split("\t")[:3] == ["?actor", "?role", "?other"]


# ---------------------------------------------------------------- injection and the network


HOSTILE = [
    'IS-K" } ; DROP ALL ; #',
    "> SERVICE <http://127.0.0.1:{port}/> {",
    "IS-K\n} UNION { ?actor ?p ?o",
    "x" * 10_000,
    "\u202eK-SI\u202c",
    "') } SERVICE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } #",
]
LEAKS = ("Traceback", "pyparsing", "rdflib", "ParseException", "site-packages", "oxigraph")


@pytest.mark.parametrize("template", HOSTILE)
def test_hostile_parameter_values_bind_as_data(
    kg: ActorGraph, backend: str, run, listener: tuple[int, list[bytes]], template: str
) -> None:
    port, seen = listener
    value = template.replace("{port}", str(port))
    if backend == "virtuoso" and len(value) > 4000:
        # Virtuoso caps string values in results; its refusal comes back as one clear line.
        with pytest.raises(QueryError, match=r"query failed at the endpoint .*too long"):
            kg.query("find-actors", text=value)
    else:
        assert kg.query("find-actors", text=value).dicts() == []
    with pytest.raises(UnknownActorError):
        kg.query("enemies", actor=value)
    result = run("query", "find-actors", "-p", f"text={value}", "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])
    result = run("statements", "--subject", value)
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1
    assert not any(leak in result.stderr for leak in LEAKS)
    assert seen == []


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:{port}/> { ?s ?p ?o } }",
        "SELECT * FROM <http://127.0.0.1:{port}/g> WHERE { ?s ?p ?o }",
        "LOAD <http://127.0.0.1:{port}/data.ttl>",
        "SELECT * WHERE { ?s ?p ?o FILTER EXISTS {"
        " SERVICE <http://127.0.0.1:{port}/> { ?a ?b ?c } } }",
        "SELECT * WHERE { ?s ?p ?o } ; DROP ALL",
        "DROP ALL",
    ],
)
def test_refused_user_queries_reach_nothing_and_leak_nothing(
    run, listener: tuple[int, list[bytes]], query: str
) -> None:
    port, seen = listener
    result = run("sparql", query.replace("{port}", str(port)))
    assert result.exit_code == 1
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: ")
    assert not any(leak in line for leak in LEAKS)
    assert seen == []


def test_opting_in_to_service_really_calls_out(
    kg: ActorGraph, backend: str, listener: tuple[int, list[bytes]]
) -> None:
    port, seen = listener
    with pytest.raises(QueryError, match="query failed") as refusal:
        kg.sparql(
            f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
            allow=["service"],
        )
    if backend == "virtuoso":  # passed on, but an unprivileged Virtuoso user may not federate
        assert "SECURITY" in str(refusal.value) and seen == []
        return
    assert len(seen) == 1
    assert seen[0].startswith((b"POST /sparql", b"GET /sparql"))


def test_opting_in_to_updates_changes_only_this_graph() -> None:
    kg = ActorGraph.load()
    with pytest.raises(QueryError, match=r"updates .* are refused"):
        kg.sparql("INSERT DATA { act:isk ag:hostileTo act:nato }")
    kg.sparql("INSERT DATA { act:isk ag:hostileTo act:nato }", allow=["update"])
    assert kg.sparql("ASK { act:isk ag:hostileTo act:nato }").column("result") == [True]
    assert ActorGraph.load().sparql("ASK { act:isk ag:hostileTo act:nato }").column("result") == [
        False
    ]
    with pytest.raises(QueryError, match="cannot allow everything"):
        kg.sparql("ASK {}", allow=["everything"])


def test_edge_cases_of_paths_ties_profiles_and_parameters(kg: ActorGraph) -> None:
    # the same actor at both ends is not a path
    assert kg.query("paths", **{"from": "United States", "to": "U.S."}).dicts() == []
    # ties are read in both directions
    rows = kg.query("enemy-of-my-enemy", actor="Pakistan", parts=False).dicts()
    government = next(r for r in rows if normalise(r["other"]) == "pakistani-government")
    assert government["ties"] == ["^https://w3id.org/actorgraph/ontology#governmentOf"]
    # an enemy that attacks the actor counts: IS-K targets the Hazaras
    assert {
        normalise(r["commonEnemy"]) for r in kg.query("enemy-of-my-enemy", actor="Hazaras").dicts()
    } == {"isk"}
    # profiles work for unnamed parties too
    (press,) = kg.query("profile", actor="press reporting").dicts()
    assert (press["makes"], press["statements"]) == (3, 0)  # the support it reports (S6)
    # non-actor classes and dates with time zones are refused
    with pytest.raises(QueryError, match="unknown actor class 'UnnamedParty'"):
        kg.query("actors", kind="UnnamedParty")
    for bad in ("2021Z", "12021", "2021-08-26T00:00:00"):
        with pytest.raises(QueryError, match="expected a year"):
            kg.query("valid-at", date=bad)


def test_timeline_and_profile_show_as_fact_only_what_is_asserted_as_fact(graph_copy: Path) -> None:
    def statement(name: str, who: str, stance: str, extra: str = "") -> str:
        return (
            f"<https://w3id.org/actorgraph/statement/{name}> a ag:Statement ;\n"
            f"    rdf:subject act:{who} ; rdf:predicate ag:participatedIn ;\n"
            f"    rdf:object act:kabul-airport-bombing ;{extra}\n"
            f"    ag:stance ag:{stance} ; ag:assertedBy act:asfandyar-mir .\n"
        )

    (graph_copy / "extra.ttl").write_text(
        "@prefix ag: <https://w3id.org/actorgraph/ontology#> .\n"
        "@prefix act: <https://w3id.org/actorgraph/actor/> .\n"
        "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
        + statement("ttp-denied", "ttp", "Denied")
        + statement("haqqani-inferred", "haqqani-network", "Asserted", " ag:basis ag:Inferred ;")
        + statement("iran-negated", "iran", "Asserted", " ag:polarity ag:Negative ;")
        + statement("al-qaeda-stated", "al-qaeda", "Asserted"),
        encoding="utf-8",
    )
    kg = ActorGraph.load(graph_copy)
    bombing = next(
        r for r in kg.query("timeline").dicts() if normalise(r["event"]) == "kabul-airport-bombing"
    )
    # IS-K's perpetration is the reader's inference (guide B1), like the Haqqani one here
    assert bombing["actors"] == ["al-Qaeda"]
    for actor, events in [("TTP", []), ("Haqqani Network", []), ("Iran", []),
                          ("al-Qaeda", ["Kabul airport bombing"])]:  # fmt: skip
        (profile,) = kg.query("profile", actor=actor, parts=False).dicts()
        assert profile["events"] == events, actor
    (isk,) = kg.query("profile", actor="IS-K", parts=False).dicts()
    as_fact = kg.sparql(
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ag:StatedClaim ; ag:stance ag:Asserted ."
        " { ?s rdf:subject act:isk } UNION { ?s rdf:object act:isk } }"
    ).dicts()[0]["n"]
    assert isk["assertedStatements"] == as_fact < isk["statements"]
    uninferred = kg.sparql(
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ag:Statement ; ag:stance ag:Asserted ."
        " { ?s rdf:subject act:isk } UNION { ?s rdf:object act:isk } }"
    ).dicts()[0]["n"]
    assert as_fact < uninferred  # inferred claims and open questions about IS-K are left out


def test_empty_search_text_finds_every_actor(kg: ActorGraph) -> None:
    found = {(row["actor"], row["class"]) for row in kg.query("find-actors", text="").dicts()}
    every = {(row["actor"], row["kind"]) for row in kg.query("actors").dicts()}
    assert found == every and len(found) == 68


def test_every_table_and_list_column_a_query_declares_is_one_it_selects(kg: ActorGraph) -> None:
    by_type = {"actor": "IS-K", "date": "2021", "stance": "Asserted", "relation": "hostileTo"}
    needs = {"from": "United States", "to": "al-Qaeda", "party": "Asfandyar Mir"}
    declared = 0
    for query in kg.queries():
        if not (query.shown or query.lists):
            continue
        params = {
            p.name: needs.get(p.name, by_type.get(p.type)) for p in query.parameters if p.required
        }
        variables = set(kg.query(query.name, **params).variables)
        assert set(query.shown) | set(query.lists) <= variables, query.name
        declared += 1
    assert declared >= 15


def test_only_iris_the_graph_resolved_are_written_into_a_query_text() -> None:
    kg = ActorGraph.load()  # the embedded store (a remote one binds by protocol, as VALUES)
    (text, bindings), *_ = kg.query_runs("statements", subject="IS-K", stance="Hedged")
    assert "VALUES ?subject { <https://w3id.org/actorgraph/actor/isk> }" in text
    assert "VALUES ?stance { <https://w3id.org/actorgraph/ontology#Hedged> }" in text
    typed = 'x" } } DROP ALL ; SELECT * { ?s ?p "'
    for name, params in (
        ("find-actors", {"text": typed}),
        ("valid-at", {"date": "2019"}),
    ):
        for text, bindings in kg.query_runs(name, **params):
            assert text == kg.named_query(name).text  # bound by substitution only
            assert bindings
    assert kg.query("find-actors", text=typed).dicts() == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_anchors_written_into_the_text_change_no_row(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The embedded store also gets resolved IRIs as VALUES, sub-selects included (a planner
    hint); bound only by substitution, as servers bind them, every run gives the same rows. A
    query that matches an actor's organs in one run gives the rows of a run per organ."""
    kg = ActorGraph.load()
    case = EXPECTED[name]
    query = kg.named_query(case.get("query", name))
    anchored = [
        row
        for text, bindings in kg.query_runs(query.name, **case["params"])
        for row in kg.store.select(text, bindings).dicts()
    ]
    monkeypatch.setitem(kg._catalogue, query.name, replace(query, parts_together=False))
    plain = [
        row
        for _, bindings in kg.query_runs(query.name, **case["params"])
        for row in kg.store.select(query.text, bindings).dicts()
    ]
    if query.parts_together:
        anchored, plain = sorted(map(repr, anchored)), sorted(map(repr, plain))
    assert anchored == plain


def test_paths_between_two_hubs_match_the_evidence_from_either_end() -> None:
    kg = ActorGraph.load()
    there = kg.query("paths", **{"from": "IS-K", "to": "Taliban"}).dicts()
    back = kg.query("paths", **{"from": "Taliban", "to": "IS-K"}).dicts()
    assert len(there) == len(back) > 50
    assert {r["hops"] for r in there} == {1, 2}
    one_hop = {r["firstStatement"] for r in there if r["hops"] == 1}
    assert one_hop == {r["firstStatement"] for r in back if r["hops"] == 1}
    chains = {(r["firstStatement"], r["secondStatement"]) for r in there if r["hops"] == 2}
    assert chains == {(r["secondStatement"], r["firstStatement"]) for r in back if r["hops"] == 2}


def test_parameters_named_like_the_methods_own_arguments(kg: ActorGraph) -> None:
    """name, text, self, params bind as keywords; parts and allow through the mapping."""
    rows = kg.sparql(
        "SELECT ?name ?text ?self ?params WHERE {}", name="a", text="b", self="c", params="d"
    )
    assert rows.dicts() == [{"name": "a", "text": "b", "self": "c", "params": "d"}]
    assert kg.sparql("SELECT ?allow WHERE {}", {"allow": "x"}).column("allow") == ["x"]
    assert kg.query("find-actors", {"text": "taliban"}) == kg.query("find-actors", text="taliban")
    with pytest.raises(QueryError, match="has no parameter 'parts'"):
        kg.query("enemies", {"actor": "IS-K", "parts": "false"})
    with pytest.raises(QueryError, match="parameter 'actor' is given twice"):
        kg.query("enemies", {"actor": "IS-K"}, actor="TTP")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "find-actors", "-p", "name=x"], "has no parameter 'name'"),
        (["query", "enemies", "-p", "actor=IS-K", "-p", "parts=x"], "has no parameter 'parts'"),
    ],
)
def test_parameters_named_like_options_on_the_command_line(
    run, args: list[str], message: str
) -> None:
    result = run(*args)
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert message in result.output


def test_variables_named_like_options_bind_on_the_command_line(run) -> None:
    result = run(
        "sparql",
        "SELECT ?text ?name ?allow WHERE {}",
        "-p",
        "text=a",
        "-p",
        "name=b",
        "-p",
        "allow=c",
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["text,name,allow", "a,b,c"]
