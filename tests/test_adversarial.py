"""Generated hostile inputs: Turtle files and parameter values. Whatever they hold, the tool
answers with data or one clear line naming the file or parameter — never a traceback, a hang or
a value spliced into query text."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actorgraph import ActorGraph, ActorGraphError, GraphFileError, QueryError

pytestmark = pytest.mark.adversarial

_ACTORS = """@prefix ag: <https://w3id.org/actorgraph/ontology#> .
@prefix act: <https://w3id.org/actorgraph/actor/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
act:a a ag:ArmedGroup ; skos:prefLabel "A"@en .
act:b a ag:ArmedGroup ; skos:prefLabel "B"@en .
"""
_CLAIM = """@prefix ag: <https://w3id.org/actorgraph/ontology#> .
@prefix act: <https://w3id.org/actorgraph/actor/> .
@prefix stmt: <https://w3id.org/actorgraph/statement/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
stmt:s a ag:Statement ;
    rdf:subject act:a ; rdf:predicate ag:targets ; rdf:object act:b ;
    ag:stance ag:Asserted ; ag:assertedBy act:a ;
    ag:validFrom "2015"^^xsd:gYear .
"""
# pieces that break lexers, parsers, terminals and HTML
_NOISE = [
    "\n", "\r", "\x00", "\x1b[31m", "\u202e", "\u2028", '"', "'''", '"""', "\\", "\\u0022",
    "<", ">", "<relative>", "<file:///etc/passwd>", "@base <http://x/> .", "@prefix : <x:> .",
    "^^xsd:date", "^^xsd:integer", '"9999999999999999999999"', '"2015-13"', ";", ".", ",",
    "[", "]", "(", ")", "_:b", "a", "ag:", "act:", "#", " ", "😀", "\ufeff",
]  # fmt: skip


def _check_one_line(message: str) -> None:
    assert message and "\n" not in message and "\r" not in message and "\x1b" not in message
    assert "Traceback" not in message


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    position=st.integers(min_value=0, max_value=len(_CLAIM)),
    noise=st.lists(st.sampled_from(_NOISE), min_size=1, max_size=4),
    cut=st.integers(min_value=0, max_value=3),
)
def test_any_turtle_file_loads_or_fails_in_one_line(
    position: int, noise: list[str], cut: int
) -> None:
    text = _CLAIM[:position] + "".join(noise) + _CLAIM[position + cut :]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "actors.ttl").write_text(_ACTORS, encoding="utf-8")
        claims = root / "claims.ttl"
        claims.write_bytes(text.encode("utf-8", "surrogatepass"))
        try:
            kg = ActorGraph.load(root)
        except GraphFileError as error:
            _check_one_line(str(error))
            assert str(error).startswith(str(claims)) or str(error).startswith(str(root))
            return
        report = kg.validate()  # a loaded graph validates to a report, never an exception
        for problem in report.problems:
            _check_one_line(str(problem))


_VALUES = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=40
) | st.sampled_from(
    ['"', "' } ; DROP ALL", "?x", "<x>", "\\", "\x00", "IS-K", "isis-k", "\u202e", " "]
)


@pytest.fixture(scope="module")
def kg() -> ActorGraph:
    return ActorGraph.load()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=_VALUES)
def test_a_bound_string_round_trips_byte_for_byte(kg: ActorGraph, value: str) -> None:
    try:
        rows = kg.sparql("SELECT ?x ?copy WHERE { BIND(STR(?x) AS ?copy) }", x=value)
    except QueryError as error:
        _check_one_line(str(error))  # text RDF cannot hold (a NUL) is refused by name
        assert "parameter 'x'" in str(error)
        return
    assert rows.column("copy") == [value]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=_VALUES, name=st.sampled_from(["statements", "enemies", "valid-at", "find-actors"]))
def test_named_query_parameters_answer_or_refuse_in_one_line(
    kg: ActorGraph, value: str, name: str
) -> None:
    parameter = {"statements": "subject", "enemies": "actor", "valid-at": "date",
                 "find-actors": "text"}[name]  # fmt: skip
    try:
        rows = kg.query(name, **{parameter: value})
    except ActorGraphError as error:
        _check_one_line(str(error))
        return
    assert isinstance(rows.dicts(), list)
