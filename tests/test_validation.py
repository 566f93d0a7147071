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
    (problem,) = problems_of(graph_copy)
    assert problem.startswith(
        f"{claims}:{line - 2}: isk-recruitsFrom-ttp: a statement has exactly one rdf:predicate"
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
