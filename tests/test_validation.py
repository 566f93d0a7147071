"""Bad graph files fail with the file and line, a non-zero exit, and no build output."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import CLAIMS, replace_once

from actorgraph import ActorGraph, GraphFileError, ValidationError
from actorgraph.namespaces import PREFIXES
from actorgraph.shacl import shacl_violations
from actorgraph.store import to_rdflib
from actorgraph.turtle import read_turtle

DATA = Path(__file__).parent / "data"

QUOTE = "IS-K sees the Taliban as an irreconcilable enemy"


def problems_of(graph: Path) -> list[str]:
    return [str(p) for p in ActorGraph.load(graph).validate().problems]


def test_tampered_quote_names_file_and_line(graph_copy: Path) -> None:
    claims = graph_copy / CLAIMS
    line = replace_once(claims, f'"{QUOTE}"', '"IS-K sees the Taliban as an ally."')
    evidence_line = line - 1  # the evidence's offsets, on the line above its quote
    assert problems_of(graph_copy) == [
        f"{claims}:{evidence_line}: isk-hostileTo-taliban: quote does not match "
        "usip-2021-isk-resurgence between start 2814 and end 2862; "
        "the quote does not occur in the source text"
    ]


def test_wrong_offset_names_file_line_and_the_right_offsets(graph_copy: Path) -> None:
    claims = graph_copy / CLAIMS
    line = replace_once(claims, "ag:start 2814 ; ag:end 2862", "ag:start 2815 ; ag:end 2863")
    assert problems_of(graph_copy) == [
        f"{claims}:{line}: isk-hostileTo-taliban: quote does not match usip-2021-isk-resurgence "
        "between start 2815 and end 2863; the quote occurs at start 2814, end 2862"
    ]


def test_malformed_turtle_names_file_and_line(graph_copy: Path) -> None:
    claims = graph_copy / CLAIMS
    line = replace_once(claims, "rdf:object    act:ttp ;", "rdf:object    act:ttp")
    with pytest.raises(GraphFileError) as caught:
        ActorGraph.load(graph_copy)
    assert str(caught.value).startswith(f"{claims}:{line + 1}: ")
    assert caught.value.line == line + 1


def test_iri_with_a_space_is_an_error(graph_copy: Path) -> None:
    actors = graph_copy / "actors.ttl"
    line = replace_once(
        actors, "act:iran  a ag:State ;", "<https://w3id.org/actorgraph/actor/ir an>  a ag:State ;"
    )
    with pytest.raises(GraphFileError, match=rf"^{actors}:{line}: .*IRI"):
        ActorGraph.load(graph_copy)


def test_ill_typed_literal_is_an_error(graph_copy: Path) -> None:
    claims = graph_copy / CLAIMS
    line = replace_once(
        claims,
        'ag:validFrom  "2020-05"^^xsd:gYearMonth ;',
        'ag:validFrom  "since May 2020"^^xsd:gYearMonth ;',
    )
    with pytest.raises(GraphFileError) as caught:
        ActorGraph.load(graph_copy)
    assert str(caught.value) == (
        f'{claims}:{line}: ill-typed literal "since May 2020" is not a valid gYearMonth'
    )


def test_ill_typed_offset_is_an_error(graph_copy: Path) -> None:
    claims = graph_copy / CLAIMS
    line = replace_once(claims, "ag:start 2814 ;", 'ag:start "2814x"^^xsd:integer ;')
    with pytest.raises(GraphFileError, match=rf'^{claims}:{line}: ill-typed literal "2814x"'):
        ActorGraph.load(graph_copy)


def test_source_text_hash_mismatch(graph_copy: Path) -> None:
    text = graph_copy / "sources" / "usip-2021-isk-resurgence.txt"
    text.write_bytes(text.read_bytes().replace(b"IS-K", b"ISK", 1))
    problems = problems_of(graph_copy)
    sources = graph_copy / "sources.ttl"
    assert len(problems) == 1
    assert problems[0].startswith(f"{sources}:19: source text {text} has sha256 ")


def test_statement_without_evidence_fails_the_shapes(graph_copy: Path) -> None:
    claims = graph_copy / CLAIMS
    text = claims.read_text(encoding="utf-8")
    start = text.index("stmt:isk-recruitsFrom-ttp  a ag:Statement ;")
    evidence = text.index("    prov:wasDerivedFrom", start)
    end = text.index(" .\n", evidence)
    line = text[:start].count("\n") + 1
    claims.write_text(text[:evidence].rstrip(" ;\n") + " .\n" + text[end + 3 :], encoding="utf-8")
    assert problems_of(graph_copy) == [
        f"{claims}:{line}: isk-recruitsFrom-ttp: a statement has exactly one ag:Evidence "
        "(prov:wasDerivedFrom): no claim without a quote"
    ]


def test_disputed_statement_must_name_its_contester(graph_copy: Path) -> None:
    claims = graph_copy / CLAIMS
    text = claims.read_text(encoding="utf-8")
    block = text.index("stmt:isk-cooperatesWith-haqqani-network-alleged  a ag:Statement")
    contester = text.index("    ag:contestedBy act:us-government ;\n", block)
    claims.write_text(text[:contester] + text[contester:].split("\n", 1)[1], encoding="utf-8")
    assert problems_of(graph_copy) == [
        f"{claims}:{text[:block].count(chr(10)) + 1}: isk-cooperatesWith-haqqani-network-alleged: "
        "a disputed statement names who contests it (ag:contestedBy)"
    ]


def extra_edge(graph: Path, subject: str, rest: str) -> Path:
    """A file of ``graph`` stating one relation triple on its line 5, no statement behind it."""
    extra = graph / "extra.ttl"
    extra.write_text(
        "@prefix ag: <https://w3id.org/actorgraph/ontology#> .\n"
        "@prefix act: <https://w3id.org/actorgraph/actor/> .\n"
        "\n"
        f"{subject}\n"
        f"    {rest} .\n",
        encoding="utf-8",
    )
    return extra


def unlicensed(extra: Path, edge: str) -> str:
    return (
        f"{extra}:5: direct edge {edge} has no asserted statement in the source's own voice; "
        "state it as an ag:Statement with its evidence (disputed and hedged claims are never "
        "direct edges)"
    )


def test_disputed_claim_written_as_direct_edge_is_refused(graph_copy: Path) -> None:
    extra = extra_edge(graph_copy, "act:isk", "ag:cooperatesWith act:haqqani-network")
    assert problems_of(graph_copy) == [unlicensed(extra, "isk cooperatesWith haqqani-network")]


@pytest.mark.parametrize("subject", ["_:someone", "[ a ag:ArmedGroup ]", "[]"])
def test_a_direct_edge_from_a_blank_node_is_refused_too(graph_copy: Path, subject: str) -> None:
    """Blank nodes get new labels in the store, so they are matched by their other terms."""
    extra = extra_edge(graph_copy, subject, "ag:hostileTo act:isk")
    every = problems_of(graph_copy)
    assert all(p.startswith(f"{extra}:") and "_:" not in p for p in every)  # no store labels
    assert [p for p in every if "direct edge" in p] == [
        unlicensed(extra, "[blank node] hostileTo isk")
    ]


def test_a_direct_edge_to_a_blank_node_is_refused_too(graph_copy: Path) -> None:
    extra = extra_edge(graph_copy, "act:isk", "ag:subGroupOf []")
    # its inverse twin in the store is not reported again
    assert problems_of(graph_copy) == [unlicensed(extra, "isk subGroupOf [blank node]")]


def test_unknown_relation_type_fails_the_shapes(graph_copy: Path) -> None:
    claims = graph_copy / CLAIMS
    line = replace_once(
        claims,
        "rdf:predicate ag:recruitsFrom ;\n    rdf:object    act:ttp ;",
        "rdf:predicate ag:poaches ;\n    rdf:object    act:ttp ;",
    )
    problem, unknown = problems_of(graph_copy)
    assert problem.startswith(
        f"{claims}:{line - 2}: isk-recruitsFrom-ttp: a statement has exactly one rdf:predicate"
    )
    assert unknown == (
        f"{claims}:{line}: unknown value ag:poaches: the ontology defines no such term"
    )


def test_build_refuses_an_invalid_graph_and_writes_nothing(
    graph_copy: Path, tmp_path: Path
) -> None:
    replace_once(graph_copy / CLAIMS, "ag:start 2814 ; ag:end 2862", "ag:start 2815 ; ag:end 2863")
    out = tmp_path / "out"
    with pytest.raises(ValidationError, match="quote does not match"):
        ActorGraph.load(graph_copy).build(out)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [graph_copy]


def test_cli_validate_reports_and_exits_non_zero(graph_copy: Path, run) -> None:
    claims = graph_copy / CLAIMS
    line = replace_once(claims, "ag:start 2814 ; ag:end 2862", "ag:start 2815 ; ag:end 2863")
    result = run("--graph", str(graph_copy), "validate")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[0].startswith(f"{claims}:{line}: isk-hostileTo-taliban:")
    assert result.stderr.splitlines()[-1] == "Error: 1 problem(s) found"


def test_cli_malformed_turtle_is_one_line(graph_copy: Path, run) -> None:
    claims = graph_copy / CLAIMS
    line = replace_once(claims, "rdf:object    act:ttp ;", "rdf:object    act:ttp")
    result = run("--graph", str(graph_copy), "build", "-o", str(graph_copy.parent / "out"))
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"Error: {claims}:{line + 1}: ")
    assert not (graph_copy.parent / "out").exists()


def test_missing_graph_path(run, tmp_path: Path) -> None:
    result = run("--graph", str(tmp_path / "nope.ttl"), "actors")
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: {tmp_path / 'nope.ttl'}: no such file or folder\n",
    )
    typo = run("-g", "@bundle", "actors")
    assert (typo.exit_code, typo.stderr) == (
        1,
        "Error: @bundle: no such file or folder (did you mean @bundled, the bundled graph?)\n",
    )


def test_malformed_shapes_file_names_file_and_line(graph_copy: Path) -> None:
    shapes = graph_copy / "shapes.ttl"
    line = replace_once(shapes, "sh:targetClass ag:Figure ;", "sh:targetClass ag:Figure")
    with pytest.raises(GraphFileError, match=rf"^{shapes}:{line + 1}: "):
        ActorGraph.load(graph_copy).validate()


def test_source_block_in_an_unusual_layout_is_still_checked(graph_copy: Path) -> None:
    sources = graph_copy / "sources.ttl"
    replace_once(
        sources,
        "\nsrc:usip-2021-isk-resurgence  a ag:Source ;",
        "\n  src:usip-2021-isk-resurgence  a ag:Source ;",
    )
    claims = graph_copy / CLAIMS
    line = replace_once(claims, "ag:start 2814 ; ag:end 2862", "ag:start 2815 ; ag:end 2863")
    (problem,) = problems_of(graph_copy)
    assert problem.startswith(f"{claims}:{line}: isk-hostileTo-taliban: quote does not match")


def test_evidence_missing_its_end_is_reported_at_the_statement(graph_copy: Path) -> None:
    claims = graph_copy / CLAIMS
    text = claims.read_text(encoding="utf-8")
    block = text.index("stmt:isk-recruitsFrom-ttp  a ag:Statement ;")
    end = text.index(" ; ag:end ", block)
    claims.write_text(text[:end] + text[text.index(" ;\n", end + 1) :], encoding="utf-8")
    assert problems_of(graph_copy) == [
        f"{claims}:{text[:block].count(chr(10)) + 1}: isk-recruitsFrom-ttp: "
        "evidence has exactly one xsd:integer ag:end >= 1"
    ]


def test_source_text_outside_the_graph_folder_is_refused(graph_copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.txt"
    outside.write_bytes((graph_copy / "sources" / "usip-2021-isk-resurgence.txt").read_bytes())
    sources = graph_copy / "sources.ttl"
    replace_once(sources, '"sources/usip-2021-isk-resurgence.txt"', '"../elsewhere.txt"')
    (problem,) = problems_of(graph_copy)
    assert problem == (
        f"{sources}:18: ag:textFile '../elsewhere.txt' must be a relative path inside {graph_copy}"
    )


@pytest.mark.parametrize(
    ("literal", "kind"),
    [
        ('"٣"^^xsd:integer', "integer"),
        ('"-5"^^xsd:nonNegativeInteger', "nonNegativeInteger"),
        ('"2021-02-29"^^xsd:date', "date"),
        ('"maybe"^^xsd:boolean', "boolean"),
    ],
)
def test_more_ill_typed_literals(graph_copy: Path, literal: str, kind: str) -> None:
    extra = graph_copy / "extra.ttl"
    extra.write_text(
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        f"<https://example.org/a> <https://example.org/p> {literal} .\n",
        encoding="utf-8",
    )
    with pytest.raises(GraphFileError, match=rf"^{extra}:2: ill-typed literal .* a valid {kind}$"):
        ActorGraph.load(graph_copy)


def test_byte_order_mark_is_accepted(graph_copy: Path) -> None:
    actors = graph_copy / "actors.ttl"
    actors.write_bytes(b"\xef\xbb\xbf" + actors.read_bytes())
    assert problems_of(graph_copy) == []


_PADDING = "# padding\n" * 120_000  # over 1 MiB: checked while the engine parses it


@pytest.mark.parametrize("padding", ["", _PADDING], ids=["small", "big"])
def test_a_file_that_is_not_utf8_is_reported_so_whatever_the_parser_says(
    graph_copy: Path, padding: str
) -> None:
    extra = graph_copy / "extra.ttl"
    lines = padding.count("\n")
    triple = b'<https://example.org/a> <https://example.org/p> "\xff" .\n'
    extra.write_bytes(padding.encode() + triple)
    with pytest.raises(GraphFileError) as caught:
        ActorGraph.load(graph_copy)
    assert str(caught.value) == f"{extra}:{lines + 1}: not valid UTF-8"


@pytest.mark.parametrize("padding", ["", _PADDING], ids=["small", "big"])
def test_a_big_or_small_file_keeps_its_digest_and_locates_syntax_errors(
    graph_copy: Path, padding: str
) -> None:
    extra = graph_copy / "extra.ttl"
    extra.write_text(padding + "<https://example.org/a> <https://example.org/p> .\n", "utf-8")
    with pytest.raises(GraphFileError, match=rf"^{extra}:{padding.count(chr(10)) + 1}: "):
        ActorGraph.load(graph_copy)
    extra.write_text(padding + "<https://example.org/a> <https://example.org/p> 1 .\n", "utf-8")
    loaded = {turtle.path: turtle.digest for turtle in ActorGraph.load(graph_copy).files}
    assert loaded[extra] == read_turtle(extra).digest


def test_validate_and_build_report_their_steps(tmp_path: Path) -> None:
    kg = ActorGraph.load()
    steps: list[str] = []
    assert kg.validate(progress=steps.append).ok
    assert steps == ["shapes", "sources", "quotes", "edges"]
    steps.clear()
    kg.build(tmp_path / "out", progress=steps.append)
    assert steps == ["shapes", "sources", "quotes", "edges", "writing"]


def test_the_engine_finds_what_pyshacl_finds_where_every_shape_is_broken(graph_copy: Path) -> None:
    """shacl-rust (the engine) and pySHACL (the reference) agree, violation for violation."""
    pyshacl = pytest.importorskip("pyshacl")
    import rdflib

    shutil.copy(DATA / "every-shape-broken.ttl", graph_copy / "broken.ttl")
    kg = ActorGraph.load(graph_copy)
    shapes = read_turtle(kg.shapes_path)
    found = {
        (v.focus, v.message, _term(v.value))
        for v in shacl_violations(kg.store.turtle(PREFIXES), shapes)
    }
    conforms, report, _ = pyshacl.validate(
        kg.store.to_rdflib(), shacl_graph=to_rdflib(shapes.triples), inference="none"
    )
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    expected = set()
    for result in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        value = report.value(result, sh.value)
        expected.add(
            (
                report.value(result, sh.focusNode).n3(),
                str(report.value(result, sh.resultMessage)),
                _term(value.n3()) if value is not None else None,
            )
        )
    assert not conforms
    assert len(expected) > 80
    assert found == expected


def _term(ntriples: str | None) -> ox.Term | None:
    """The term an N-Triples term (``<iri>``, ``"text"@en`` …) writes, so spellings compare."""
    if ntriples is None:
        return None
    (quad,) = ox.parse(f"<x:s> <x:p> {ntriples} .".encode(), format=ox.RdfFormat.N_TRIPLES)
    return quad.object


# A typo in a term or a prefix still parses: the statement, or its period, would drop out of
# every view while validation said ok.
STATEMENT = "stmt:isk-perpetrated-kabul-airport-bombing  a ag:Statement ;"
OBJECT = "    rdf:object    act:kabul-airport-bombing ;"


def test_misspelled_class_is_a_problem_with_a_suggestion(graph_copy: Path) -> None:
    claims = graph_copy / CLAIMS
    line = replace_once(claims, STATEMENT, STATEMENT.replace("ag:Statement", "ag:Statment"))
    assert (
        f"{claims}:{line}: unknown class ag:Statment: the ontology defines no such term "
        "(did you mean ag:Statement?)"
    ) in problems_of(graph_copy)


@pytest.mark.parametrize(
    "namespace",
    [
        "https://w3id.org/actorgraph/ontology/",
        "http://w3id.org/actorgraph/ontology#",
        "https://w3id.org/ActorGraph/ontology#",
    ],
)
def test_mistyped_ontology_prefix_is_one_problem(graph_copy: Path, namespace: str) -> None:
    claims = graph_copy / CLAIMS
    replace_once(
        claims,
        "@prefix ag:   <https://w3id.org/actorgraph/ontology#> .",
        f"@prefix ag:   <{namespace}> .",
    )
    first_use = claims.read_text(encoding="utf-8").splitlines().index(STATEMENT) + 1
    (problem,) = problems_of(graph_copy)
    assert problem.startswith(
        f"{claims}:{first_use}: <{namespace}Statement> is near, but not in, the namespace of "
        "the ontology <https://w3id.org/actorgraph/ontology#>: is a @prefix mistyped? "
        "(did you mean ag:Statement?) ("
    )


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("ag:polarty    ag:Negative", "ag:polarity"),
        ('ag:validfrom  "2020"^^xsd:gYear', "ag:validFrom"),
    ],
)
def test_misspelled_property_is_a_problem(graph_copy: Path, typo: str, meant: str) -> None:
    claims = graph_copy / CLAIMS
    line = replace_once(claims, OBJECT, f"{OBJECT}\n    {typo} ;") + 1
    assert problems_of(graph_copy) == [
        f"{claims}:{line}: unknown property {typo.split()[0]}: the ontology defines no such "
        f"term (did you mean {meant}?)"
    ]


@pytest.mark.parametrize(
    ("typo", "message"),
    [
        (
            'skos:prefLable "IS-K"@en',
            "unknown property skos:prefLable: the skos vocabulary defines no such term "
            "(did you mean skos:prefLabel?)",
        ),
        (
            "rdfs:seeAlso <act:zzz>",
            "<act:zzz> is an IRI of the scheme 'act', not the prefixed name act:zzz: write "
            "act:zzz without angle brackets, or the IRI in full",
        ),
        (
            '<skos:note> "x"',
            "<skos:note> is an IRI of the scheme 'skos', not the prefixed name skos:note: write "
            "skos:note without angle brackets, or the IRI in full",
        ),
    ],
)
def test_well_known_vocabularies_are_closed(graph_copy: Path, typo: str, message: str) -> None:
    actors = graph_copy / "actors.ttl"
    with actors.open("a", encoding="utf-8") as file:
        file.write(f"\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\nact:isk {typo} .\n")
    line = len(actors.read_text(encoding="utf-8").splitlines())
    assert problems_of(graph_copy) == [f"{actors}:{line}: {message}"]


def test_own_vocabularies_are_free(graph_copy: Path) -> None:
    with (graph_copy / "actors.ttl").open("a", encoding="utf-8") as file:
        file.write(
            "\n@prefix ex: <https://example.org/vocab#> .\n"
            "act:isk ex:anything ex:Whatever ; a ex:Thing .\n"
        )
    assert problems_of(graph_copy) == []


def test_vocabulary_terms_are_rdflibs() -> None:
    from rdflib import namespace

    from actorgraph.vocabulary import WELL_KNOWN, defined_terms

    for name in WELL_KNOWN.values():
        definition = getattr(namespace, name)
        ours = defined_terms(name)
        assert all(term in definition for term in ours), name
        assert all(str(term).removeprefix(str(definition)) in ours for term in dir(definition))


def test_vocabulary_terms_come_from_rdflib_without_its_sources_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib.util

    from actorgraph import vocabulary

    expected = {name: vocabulary.defined_terms(name) for name in vocabulary.WELL_KNOWN.values()}
    real = importlib.util.find_spec("rdflib")
    assert real is not None
    elsewhere = importlib.util.spec_from_loader("rdflib", loader=None, origin="/nowhere/x.py")
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: elsewhere)
    vocabulary.defined_terms.cache_clear()
    try:
        for name, terms in expected.items():
            assert vocabulary.defined_terms(name) == terms, name
    finally:
        monkeypatch.undo()
        vocabulary.defined_terms.cache_clear()


def test_unknown_datatype_is_refused_where_it_is_written(graph_copy: Path) -> None:
    actors = graph_copy / "actors.ttl"
    with actors.open("a", encoding="utf-8") as file:
        file.write('\nact:isk skos:note "2015"^^xsd:gyear .\n')
    line = len(actors.read_text(encoding="utf-8").splitlines())
    with pytest.raises(GraphFileError) as caught:
        ActorGraph.load(graph_copy)
    assert str(caught.value) == (
        f"{actors}:{line}: unknown datatype xsd:gyear: the xsd vocabulary defines no such term "
        "(did you mean xsd:gYear?)"
    )


SPARQL_SHAPE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ag: <https://w3id.org/actorgraph/ontology#> .
<http://example.org/S> a sh:NodeShape ; sh:targetClass ag:Statement ;
  sh:sparql [ a sh:SPARQLConstraint ; sh:message "x" ; sh:select "SELECT $this WHERE { %s }" ] .
"""


@pytest.mark.parametrize(
    ("body", "construct"),
    [
        ("$this a ?t . MINUS { $this <http://example.org/p> ?s }", "MINUS"),
        ("SERVICE <http://127.0.0.1:9/> { $this ?p ?o }", "SERVICE"),
    ],
)
def test_shapes_the_engine_cannot_use_are_a_one_line_error(
    run, graph_copy: Path, body: str, construct: str
) -> None:
    shapes = graph_copy / "shapes.ttl"
    shapes.write_text(SPARQL_SHAPE % body, encoding="utf-8")
    out = graph_copy.parent / "out"
    for command in (["validate"], ["build", "-o", str(out)]):
        result = run("--graph", str(graph_copy), *command)
        assert result.exit_code == 1
        assert result.stderr.startswith(f"Error: {shapes}: cannot use these shapes: ")
        assert f"{construct} is not supported" in result.stderr
        assert len(result.stderr.splitlines()) == 1
    assert not out.exists()


RUNAWAY = (
    "?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
    "FILTER(STR(?c) = CONCAT(STR(?f), STR(?i), STR(?l), 'zz'))"
)


def test_sparql_constraints_still_report_violations(graph_copy: Path) -> None:
    uncommented = "$this ?p ?o . FILTER NOT EXISTS { $this <http://example.org/note> ?c }"
    (graph_copy / "shapes.ttl").write_text(SPARQL_SHAPE % uncommented, encoding="utf-8")
    problems = problems_of(graph_copy)
    assert len(problems) == ActorGraph.load().validate().counts["statements"]  # one each
    assert all(problem.endswith(": x") for problem in problems)


def test_a_runaway_sparql_constraint_is_stopped_at_the_time_limit(
    graph_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from actorgraph import shacl

    shapes = graph_copy / "shapes.ttl"
    shapes.write_text(SPARQL_SHAPE % RUNAWAY, encoding="utf-8")
    monkeypatch.setattr(shacl, "TIME_LIMIT", 3.0)
    with pytest.raises(GraphFileError) as caught:
        ActorGraph.load(graph_copy).validate()
    assert str(caught.value) == (
        f"{shapes}: the SPARQL constraints of these shapes ran past the 3 s limit and were stopped"
    )


RECURSIVE = [
    "ex:R a sh:NodeShape ; sh:targetClass ag:Actor ; sh:node ex:R .",
    "ex:R a sh:NodeShape ; sh:targetClass ag:Actor ; "
    "sh:property [ sh:path ag:partOf ; sh:node ex:R ] .",
    "ex:R a sh:NodeShape ; sh:targetClass ag:Actor ; sh:or ( ex:S [ sh:not ex:R ] ) . "
    "ex:S a sh:NodeShape ; sh:nodeKind sh:IRI .",
]


def _with_shapes(graph: Path, *lines: str) -> Path:
    """The graph's shapes with ``lines`` added (``ex:`` is http://example.org/)."""
    shapes = graph / "shapes.ttl"
    with shapes.open("a", encoding="utf-8") as file:
        file.write("\n@prefix ex: <http://example.org/> .\n" + "\n".join(lines) + "\n")
    return shapes


@pytest.mark.parametrize("shape", RECURSIVE, ids=["node", "property", "or-not"])
def test_a_recursive_shape_is_a_one_line_error(run, graph_copy: Path, shape: str) -> None:
    """The engine would recurse without end and crash the process."""
    shapes = _with_shapes(graph_copy, shape)
    out = graph_copy.parent / "out"
    for command in (["validate"], ["build", "-o", str(out)]):
        result = run("--graph", str(graph_copy), *command)
        assert result.exit_code == 1
        assert result.stderr.startswith(
            f"Error: {shapes}: recursive shapes are not supported: <http://example.org/R> uses "
            "itself (through sh:"
        )
        assert len(result.stderr.splitlines()) == 1
    assert not out.exists()


def test_a_crash_of_the_shacl_engine_is_an_error_naming_the_shapes(tmp_path: Path) -> None:
    from actorgraph import shacl

    shapes = tmp_path / "shapes.ttl"
    recursive = b"<http://e/R> <http://www.w3.org/ns/shacl#node> <http://e/R> .\n" + (
        b"<http://e/R> <http://www.w3.org/ns/shacl#targetNode> <http://e/x> .\n"
    )
    with pytest.raises(GraphFileError) as caught:
        shacl._report_in_child(b"<http://e/x> a <http://e/C> .", recursive, shapes, False)
    assert str(caught.value) == (
        f"{shapes}: the SHACL engine crashed (signal 11, SIGSEGV) on these shapes"
    )


def _doubling_shapes(levels: int) -> list[str]:
    """Shapes each of which uses the next twice: 2**levels evaluations for each actor."""
    lines = ["ex:Top a sh:NodeShape ; sh:targetClass ag:Actor ; sh:node ex:S0 ."]
    for i in range(levels):
        lines.append(f"ex:S{i} a sh:NodeShape ; sh:and ( ex:S{i + 1} ex:T{i + 1} ) .")
        lines.append(f"ex:T{i + 1} a sh:NodeShape ; sh:node ex:S{i + 1} .")
    return [*lines, f"ex:S{levels} a sh:NodeShape ; sh:nodeKind sh:IRI ."]


def test_shapes_that_take_memory_without_end_are_stopped_at_the_limit(
    graph_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from actorgraph import shacl

    shapes = _with_shapes(graph_copy, *_doubling_shapes(14))  # 0.7 GB without a limit
    monkeypatch.setattr(shacl, "MEMORY_LIMIT", 200 << 20)
    with pytest.raises(GraphFileError) as caught:
        ActorGraph.load(graph_copy).validate()
    assert str(caught.value) == (
        f"{shapes}: the SHACL engine ran out of its 200 MB of memory on these shapes"
    )


def test_only_the_bundled_shapes_are_validated_in_this_process(
    graph_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from actorgraph import shacl

    children: list[Path] = []
    in_child = shacl._report_in_child

    def recorded(data: bytes, shapes: bytes, path: Path, sparql: bool) -> dict:
        children.append(path)
        return in_child(data, shapes, path, sparql)

    monkeypatch.setattr(shacl, "_report_in_child", recorded)
    assert ActorGraph.load(graph_copy).validate().ok  # a copy of the bundled shapes
    assert children == []
    shapes = _with_shapes(graph_copy, "ex:S a sh:NodeShape ; sh:targetClass ag:Actor .")
    assert ActorGraph.load(graph_copy).validate().ok
    assert children == [shapes]


def test_ctrl_c_stops_validation_inside_a_sparql_constraint(graph_copy: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    (graph_copy / "shapes.ttl").write_text(SPARQL_SHAPE % RUNAWAY, encoding="utf-8")
    command = [sys.executable, "-m", "actorgraph", "-g", str(graph_copy), "validate"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=os.environ)
    time.sleep(6)  # loaded, and in the SHACL engine
    process.send_signal(signal.SIGINT)
    try:
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 130  # as for Ctrl-C in every command
    assert stderr == "Error: interrupted; the SHACL validation was stopped\n"


def _append_actor(graph: Path, label: str) -> tuple[Path, int]:
    """Add an actor whose label is ``label`` (Turtle escapes and all) to the graph's actors."""
    actors = graph / "actors.ttl"
    with actors.open("a", encoding="utf-8") as file:
        file.write(f'\nact:c1 a ag:ArmedGroup ;\n    skos:prefLabel "{label}"@en .\n')
    return actors, len(actors.read_text(encoding="utf-8").splitlines())


def test_control_characters_in_text_are_a_problem(graph_copy: Path) -> None:
    actors, line = _append_actor(graph_copy, "ctl\\u0001\\u001B[31mred\\uFFFE end")
    assert problems_of(graph_copy) == [
        f"{actors}:{line}: c1: skos:prefLabel holds the control character U+0001, which XML "
        "exports (GraphML, GEXF, SVG) cannot carry: remove it"
    ]


@pytest.mark.parametrize("control", ["\\u202E", "\\u202A", "\\u2066", "\\u2069"])
def test_bidi_controls_in_labels_are_a_problem(graph_copy: Path, control: str) -> None:
    actors, line = _append_actor(graph_copy, f"Northern Front{control}")
    code = control.removeprefix("\\u").upper()
    assert problems_of(graph_copy) == [
        f"{actors}:{line}: c1: skos:prefLabel holds U+{code}, a bidirectional control that "
        "reorders the text shown around it: remove it"
    ]


@pytest.mark.parametrize(
    ("command", "format"),
    [
        (["export", "--format", "graphml", "-o"], "GraphML"),
        (["export", "--format", "gexf", "-o"], "GEXF"),
        (["view", "-o"], "SVG"),
    ],
)
def test_xml_outputs_refuse_text_xml_cannot_carry(
    run, graph_copy: Path, tmp_path: Path, command: list[str], format: str
) -> None:
    _append_actor(graph_copy, "ctl\\u0001 end")
    suffix = {"GraphML": ".graphml", "GEXF": ".gexf", "SVG": ".svg"}[format]
    out = tmp_path / f"out{suffix}"
    args = ["--graph", str(graph_copy), *command, str(out)]
    if format == "SVG":
        args += ["--actor", "c1"]
    result = run(*args)
    assert result.exit_code == 1, result.stdout
    assert "holds the control character U+0001, which " + format in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not out.exists()


def test_a_script_without_a_main_guard_validates_sparql_shapes(
    graph_copy: Path, tmp_path: Path
) -> None:
    import os
    import subprocess
    import sys

    uncommented = "$this ?p ?o . FILTER NOT EXISTS { $this <http://example.org/note> ?c }"
    (graph_copy / "shapes.ttl").write_text(SPARQL_SHAPE % uncommented, encoding="utf-8")
    script = tmp_path / "check.py"
    script.write_text(  # run again by a child that re-imported it, it would print twice
        "from actorgraph import ActorGraph\n"
        f"print(len(ActorGraph.load({str(graph_copy)!r}).validate().problems))\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=os.environ, timeout=120
    )
    statements = ActorGraph.load().validate().counts["statements"]
    assert (done.returncode, done.stdout) == (0, f"{statements}\n")


def test_a_mistyped_actor_in_a_hand_written_claim_gets_a_suggestion(graph_copy: Path) -> None:
    claims = graph_copy / CLAIMS
    text = claims.read_text(encoding="utf-8")
    start = text.index("stmt:isk-hostileTo-taliban  a ag:Statement ;")
    end = text.index("rdf:object    act:taliban ;", start)
    claims.write_text(text[:end] + "rdf:object    act:talibann ;" + text[end + 27 :], "utf-8")
    line = text[:start].count("\n") + 1
    problems = problems_of(graph_copy)
    assert any(
        p.startswith(f"{claims}:{line}:")
        and "found <https://w3id.org/actorgraph/actor/talibann>, "
        "which no loaded file gives a class; did you mean taliban?"
        in p
        for p in problems
    ), problems
