"""The read-only guard judges what the engine runs: generated query texts that the guard lets
through never make the engine call out, whatever comments, line breaks, escapes, quotes,
whitespace, case or nesting surround a SERVICE clause. A local listener is the witness."""

from __future__ import annotations

import asyncio
import contextlib
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import recording_listener
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actorgraph.bundled import graph_dir
from actorgraph.errors import QueryError
from actorgraph.safety import check_read_only
from actorgraph.workers import QueryPool

pytestmark = pytest.mark.adversarial

# Pieces that change how a lexer reads what follows them.
_PIECES = [
    " ", "\n", "\r", "\r\n", "\t", "\x0c", "\x0b", "\x85", "\u00a0", "\u2028", "\ufeff",
    "#", "# note", '"', "'", '"""', "'''", '\\"', "\\'", "\\\\", "\\u0022", "\\u0027",
    "\\u000A", "\\U00000022", "<", ">", "<x", "x>", "<http://x/#", "?", "$", ":", ".", ";",
    ",", "{", "}", "(", ")", "[", "]", "ex:", "ex:a", "a", "1", "1.", "1e", "%", "%2",
    "FILTER(", "BIND(", "AS ?x)", "OPTIONAL {", "FILTER EXISTS {", "SELECT * WHERE {",
    "GRAPH ?g {", "UNION", "?s ?p ?o", "?s ?p ?o .", "VALUES ?v { 1 }", "^^", "@en",
    "FILTER(1<", "BIND(?x<", "FILTER(1<'>'", "FILTER(1<#>'\n 2)", "BIND(1<'>' AS ?b)", "<'>",
    "<#>", "1<", ")<", "'>'", "#'", "FILTER regex(?x, 'a'", "(<http://x/#a>",
]  # fmt: skip
_KEYWORD = ["SERVICE", "service", "SeRvIcE", "SERVICE SILENT", "service silent"]


def _service(port: int, keyword: str) -> str:
    return f"{keyword} <http://127.0.0.1:{port}/sparql> {{ ?a ?b ?c }}"


@pytest.fixture(scope="module")
def witness() -> Iterator[tuple[int, list[bytes]]]:
    """A listener on loopback that records every connection (module-wide: hypothesis runs many
    examples per test)."""
    with recording_listener(backlog=50, poll=0.05) as recording:
        yield recording


def _engine_calls_out(query: str, seen: list[bytes]) -> bool:
    before = len(seen)
    with contextlib.suppress(SyntaxError, OSError, ValueError, RuntimeError):
        list(ox.Store().query(query))
    time.sleep(0.01)  # let the listener's thread record a connection made just now
    return len(seen) > before


def _verdict(query: str) -> bool:
    try:
        check_read_only(query)
    except QueryError:
        return False
    return True


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    before=st.lists(st.sampled_from(_PIECES), max_size=6),
    after=st.lists(st.sampled_from(_PIECES), max_size=6),
    keyword=st.sampled_from(_KEYWORD),
    glue=st.sampled_from(["", " ", "\n", "\r", "\t"]),
)
def test_nothing_the_guard_allows_reaches_the_network(
    witness: tuple[int, list[bytes]], before: list[str], after: list[str], keyword: str, glue: str
) -> None:
    port, seen = witness
    query = (
        "SELECT * WHERE { "
        + glue.join(before)
        + glue
        + _service(port, keyword)
        + glue
        + glue.join(after)
        + "\n}"
    )
    if _verdict(query):
        assert not _engine_calls_out(query, seen), repr(query)


_BREAKS = [" ", "\n", "\r", "\r\n", "\t", "\x0c", "\x0b", "\x85", "\u00a0", "\u2028", ""]


def test_every_opener_and_break_around_a_service_clause(witness: tuple[int, list[bytes]]) -> None:
    port, seen = witness
    service = _service(port, "SERVICE")
    leaks = []
    for opener in _PIECES:
        for glue in _BREAKS:
            for closer in ("", "#", '"', "'", ">"):
                query = f"SELECT * WHERE {{ {opener}{glue}{service}{glue}{closer}\n}}"
                if _verdict(query) and _engine_calls_out(query, seen):
                    leaks.append(query)
    assert leaks == []


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    position=st.integers(min_value=0, max_value=200),
    pieces=st.lists(st.sampled_from(_PIECES), min_size=1, max_size=3),
    keyword=st.sampled_from(_KEYWORD),
)
def test_insertions_into_a_refused_query_never_sneak_it_through(
    witness: tuple[int, list[bytes]], position: int, pieces: list[str], keyword: str
) -> None:
    port, seen = witness
    base = "SELECT * WHERE { ?s ?p ?o OPTIONAL { " + _service(port, keyword) + "\n}\n}"
    cut = position % (len(base) + 1)
    query = base[:cut] + "".join(pieces) + base[cut:]
    if _verdict(query):
        assert not _engine_calls_out(query, seen), repr(query)


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ # hidden\r {service}\n}}",
        "SELECT * WHERE {{ # hidden\x85{service}\n}}",
        "SELECT * WHERE {{ # hidden\u2028{service}\n}}",
        'SELECT * WHERE {{ BIND("\\u0022" AS ?x) {service} }}',
        "SELECT * WHERE {{ ?s ?p ?o .{service} }}",
        "SELECT * WHERE {{ ?s ?p 1.{service} }}",
        "SELECT * WHERE {{ ?s ex:a.{service} }}",
        "SELECT * WHERE {{ {{ {{ {{ {service} }} }} }} }}",
        "select * where {{ {lower} }}",
        # a less-than operator read as the start of an IRI would hide what follows
        "SELECT * WHERE {{ BIND(1<'>' AS ?b) {service} #'\n}}",
        "SELECT * WHERE {{ FILTER(?x<'>') {service} #'\n}}",
        "SELECT * WHERE {{ FILTER(1<#>'\n 2) {service} #'\n}}",
        "SELECT * WHERE {{ BIND(1<'>' AS ?b) ?s <http://x/#y> ?o {service}#'\n}}",
        "SELECT * WHERE {{ FILTER('a'@en<'>') {service} #'\n}}",
        "SELECT * WHERE {{ FILTER(\"1\"^^<http://x/#int><'>') {service} #'\n}}",
        "SELECT * WHERE {{ FILTER regex(?x, 'a') FILTER(STR(?x)<'>') {service} #'\n}}",
        "SELECT * WHERE {{ FILTER(<<( <x:a> <x:b> <x:c> )>><'>') {service} #'\n}}",
        # the same, wherever an operand ends or the grammar would have to be guessed
        "SELECT * WHERE {{ BIND(1 - <http://x/#integer>('1') AS ?n) {service} }}",
        "SELECT * WHERE {{ FILTER(?a-<http://x/'> ) {service} }} #'",
        "SELECT * WHERE {{ FILTER('a'@en-<http://x/'> ) {service} }} #'",
        "SELECT * WHERE {{ FILTER(true-1<'>' ) {service} }} #'",
        "SELECT * WHERE {{ FILTER(NOT EXISTS{{}} <'>' ) {service} }} #'",
        "SELECT (EXISTS{{}}<'>' AS ?x) WHERE {{ {service} }} #'",
        "PREFIX : <http://x/> SELECT * WHERE {{ FILTER(:x<'>' ) {service} }} #'",
        "PREFIX : <http://x/> SELECT * WHERE {{ FILTER :string(1<'>' ) {service} }} #'",
        "SELECT * WHERE {{ BIND(<<( ?s <http://x/#type> ?o )>> AS ?t) {service} }}",
        # an escape the grammar does not allow ends a long string where the engine reads it
        "SELECT * WHERE {{ VALUES ?z {{ '''x' }} {service} }} #\\q '''",
        'SELECT * WHERE {{ VALUES ?z {{ """x" }} {service} #\\q """ }}\n}}',
        # a comment opened inside "<…>" read as less-than swallows the ">"
        "PREFIX ex: <http://x/> SELECT * WHERE {{ FILTER(EXISTS{{}}<?x)SERVICE#>\nex: {{ }} }}",
        # an IRI may hold \u escapes
        "SELECT * WHERE {{ BIND(<http://x/#\\u0041> AS ?x) {service} }}",
        # a prefixed name may hold escapes; a comment inside "<…>" runs past ">" for the engine
        "PREFIX : <http://x/> SELECT * {{ BIND(:x<'>' AS ?z) BIND(:a\\' AS ?x) {service} }} #'",
        "SELECT * WHERE {{ BIND(1<1#\x85>'''\n AS ?z) {service} }} #'''",
        # an escape of no character (a surrogate, past U+10FFFF) ends a long string for the engine
        "SELECT * WHERE {{ VALUES ?v {{ '''X'#\\uD800\n}} {service} }} #'''",
        "SELECT * WHERE {{ VALUES ?v {{ '''X'#\\U00110000\n}} {service} }} #'''",
        # no local name starts with "-": ex:-1SERVICE is the number -1 and the keyword
        "PREFIX ex: <http://x/> SELECT * WHERE {{ ?r ex:-1SERVICE <http://x/> {{ ?s ?p ?o }} }}",
        # a blank node label ends at a colon: _:b:-1SERVICE is _:b, :, -1 and the keyword
        "PREFIX : <http://x/> SELECT * WHERE {{ _:b:-1SERVICE <http://x/> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ ?s ?p 1._:b:-1SERVICE <http://x/> {{ }} }}",
        # a comment ends at U+0085 for the check and at a line feed for the engine
        "SELECT * WHERE {{ #\x85'''\n{service}\n#'''\n}}",
        "SELECT * {{ {{ SELECT ?x {{ ?x ?p ?o }} ORDER BY DESC(?x<'>') }} {service} #'\n}}",
        "SELECT * WHERE {{ {{ SELECT (?x<'>' AS ?y) WHERE {{ ?x ?p ?o }} }} {service} #'\n}}",
        "SELECT * {{ {{ SELECT ?x {{ ?x ?p ?o }} GROUP BY (?x<'>') }} {service} #'\n}}",
    ],
)
def test_known_disguises_are_refused(witness: tuple[int, list[bytes]], template: str) -> None:
    port, _ = witness
    query = template.format(
        service=_service(port, "SERVICE"), lower=_service(port, "service")
    ).replace("ex:", "<http://x/>")
    with pytest.raises(QueryError):
        check_read_only(query)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT (bif:http_get('http://127.0.0.1:9/') AS ?x) WHERE {}",
        "SELECT (BIF:http_get('x') AS ?x) WHERE {}",
        "SELECT (<bif:http_get>('x') AS ?x) WHERE {}",
        "SELECT (< bif:http_get>('x') AS ?x) WHERE {}",
        "PREFIX web: <bif:> SELECT (web:http_get('x') AS ?x) WHERE {}",
        "PREFIX web: <\\u0062if:> SELECT (web:http_get('x') AS ?x) WHERE {}",
        "SELECT (sql:my_procedure(1) AS ?x) WHERE {}",
        'DEFINE get:soft "replace" SELECT * WHERE { ?s ?p ?o }',
        "define input:grab-all 'yes' SELECT * WHERE { ?s ?p ?o }",
    ],
)
def test_a_stores_own_extensions_are_refused(query: str) -> None:
    """Virtuoso runs bif:http_get (any GET or POST, its reply returned), SQL procedures and
    DEFINE pragmas from a query: the read-only check knows them as it knows SERVICE."""
    with pytest.raises(QueryError, match=r"extensions .* are refused: they reach the network"):
        check_read_only(query)
    check_read_only(query, allow=["extensions"])


def test_look_alikes_of_extensions_are_plain_terms() -> None:
    for query in (
        "SELECT * WHERE { ?s <http://example.org/bif:x> ?o }",
        "SELECT ?bif WHERE { ?bif ?p 'bif:http_get' } # bif:http_get",
        "SELECT * WHERE { ?s ag:undefinedTerm ?o }",
    ):
        check_read_only(query)


def test_the_check_is_linear_and_recursion_free() -> None:
    values = ", ".join(f'"v{i}"' for i in range(60_000))  # a ~600 KB FILTER(IN …)
    started = time.process_time()
    shape = check_read_only(f"SELECT ?x WHERE {{ ?x ?p ?o FILTER(?x IN ({values})) }}")
    assert shape.selected == frozenset({"x"})
    patterns = " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(500))
    nested = "(" * 100 + "1" + ")" * 100
    check_read_only(f"SELECT * WHERE {{ {patterns} FILTER({nested}) }}")
    assert time.process_time() - started < 5  # generous: rdflib's parser took minutes


@pytest.mark.parametrize(
    "update",
    [
        "INSERT { <x:a> <x:b> 1 } WHERE { FILTER(1<'>') } ; LOAD <http://127.0.0.1:9/d> #'\n",
        "INSERT { } WHERE { FILTER(EXISTS{} <'>' ) } ; LOAD <http://127.0.0.1:9/d> #'",
        "INSERT DATA { } #\x85'''\n; LOAD <http://127.0.0.1:9/d>\n#'''",
        "INSERT { } WHERE { VALUES ?z { '''x' } } ; LOAD <http://127.0.0.1:9/d> #\\q ''' } }\n",
        "INSERT DATA { <http://a/#\\u0041> <http://b> 1 } ; LOAD <http://127.0.0.1:9/d>",
    ],
)
def test_a_load_hidden_in_an_allowed_update_is_refused(update: str) -> None:
    with pytest.raises(QueryError, match="LOAD is refused"):
        check_read_only(update, allow=["update"])


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s ?p ?o FILTER(?o = <http://x/#y> || ?o < 3) }",
        "SELECT * WHERE { VALUES (?a ?b) { (<http://x/#a> <http://x/#b>) } }",
        "SELECT * WHERE { ?s (<http://x/#a>|<http://x/#b>)/<http://x/#c> ?o }",
        "SELECT * WHERE { ?s ?p (<http://x/#a> <http://x/#b>) }",
        "SELECT * WHERE { ?s ?p ?o FILTER(?o = 'a'@en-US) }",
        "SELECT * WHERE { ?s ?p ?o FILTER(STR(?o) < 'b' && <http://x/#f> != ?o) }",
        "SELECT (<http://x/#f> AS ?f) WHERE { ?s ?p ?o } ORDER BY DESC(?o)",
        "SELECT * { { SELECT ?s WHERE { ?s ?p ?o } VALUES (?s) { (<http://x/#a>) } } }",
        "SELECT * { { SELECT ?s WHERE { ?s ?p (<http://x/#a> <http://x/#b>) } } }",
    ],
)
def test_iris_in_expressions_lists_and_paths_stay_iris(query: str) -> None:
    list(ox.Store().query(query))  # the engine takes it
    assert check_read_only(query).form == "SELECT"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT * WHERE " + "{" * 200 + "}" * 200, "nests brackets more than 128 levels deep"),
        ("SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }", "128 levels deep"),
        (
            "SELECT * WHERE { BIND(" + "+".join(["1"] * 5000) + " AS ?x) }",
            "chains more than 1500 operators",
        ),
        ("SELECT * WHERE { BIND(" + "-".join(["1"] * 5000) + " AS ?x) }", "1500 operators"),
        ("SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 5000) + " }", "1500"),
        ("SELECT * WHERE { FILTER(" + " && ".join(["true"] * 5000) + ") }", "1500"),
        ("SELECT * WHERE { " + " ".join(f"BIND(1 AS ?v{i})" for i in range(3000)) + " }", "1500"),
        ("SELECT " + " ".join(f"(1 AS ?v{i})" for i in range(3000)) + " WHERE { }", "1500"),
        ("SELECT * WHERE { " + " ".join(["{ SELECT * WHERE { } }"] * 3000) + " }", "1500"),
        (
            "SELECT * WHERE { " + " ".join(f"VALUES ?v{i} {{ 1 }}" for i in range(3000)) + " }",
            "1500",
        ),
        ("DESCRIBE " + " ".join(["<http://x/>"] * 3000), "1500"),
        ("PREFIX : <http://x/> DESCRIBE " + " ".join([":a"] * 3000), "1500"),
        (
            "PREFIX : <http://x/> SELECT * { FILTER(:x<"
            + "(" * 5000
            + "'>'"
            + ")" * 5000
            + ") } #'",
            "128",
        ),
        ("SELECT * WHERE { ?s ?p " + "1, " * 10000 + "1 }", "more than 4000 patterns"),
        ("SELECT * WHERE { " + "FILTER(true) " * 10000 + "}", "4000 patterns"),
        ("SELECT * WHERE { " + "?s ?p ?o . " * 10000 + "}", "4000 patterns"),
        ("SELECT * WHERE { FILTER(EXISTS{}<" + "(" * 6000 + "1" + ")" * 6000 + ">1) }", "128"),
        ("SELECT * WHERE { ?s ?p (" + " 1" * 6000 + " ) }", "4000 patterns"),
        ("PREFIX ex: <http://x/> SELECT * { BIND(ex:" + "-1" * 9000 + " AS ?x) }", "1500"),
        ("PREFIX x: <http://x/> SELECT * { FILTER(" + "1-" * 9000 + "x:y > 0) }", "1500"),
        ("SELECT * WHERE { " + " ".join(f"BIND(1AS ?v{i})" for i in range(3000)) + " }", "1500"),
        ('SELECT * WHERE { ?s ?p "a"@en--ltr' + "-1" * 9000 + " }", "1500"),
        ("SELECT * WHERE { BIND(EXISTS{}<1" + "&&1" * 9000 + ">0 AS ?z) }", "1500"),
        ("SELECT * WHERE { #\x85'''\nBIND(1" + "+1" * 9000 + " AS ?q) } #'''", "1500"),
    ],
)
def test_queries_deep_enough_to_crash_the_engine_are_refused(query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        check_read_only(query)


def test_the_deepest_query_the_check_allows_runs_on_a_thread() -> None:
    """At the limits, nested and chained together, the engine still parses and runs the query
    on a thread's default stack (beyond them it overflows the stack and ends the process)."""
    binds = " ".join(f"BIND(1 AS ?v{i})" for i in range(700))
    chain = binds + " BIND(" + "+".join(["1"] * 700) + " AS ?x)"
    query = "SELECT * WHERE " + "{ ?s ?p ?o " * 126 + chain + "}" * 126
    check_read_only(query)
    code = f"import pyoxigraph as ox, threading\nq = {query!r}\n" + (
        "t = threading.Thread(target=lambda: list(ox.Store().query(q)))\n"
        "t.start()\nt.join()\nprint('ran')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, "ran\n")


def test_nesting_split_across_readings_is_measured_in_each() -> None:
    unit = "(" * 100 + "<x:" + ")" * 100 + "'>+'x'+#\x85" + ")" * 100 + "\n"
    with pytest.raises(QueryError, match="128 levels deep"):
        check_read_only("SELECT * WHERE { BIND(" + unit * 60 + "1" + ")" * 6000 + " AS ?v) }")


def _characters_lexed(query: str, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many characters the check's lexer reads to judge ``query`` (whatever it decides)."""
    from actorgraph import safety

    lexer, read = safety._tokens(), [0]

    class Counting:
        def match(self, text: str, position: int) -> re.Match[str] | None:
            token = lexer.match(text, position)
            read[0] += token.end() - position if token else 0
            return token

        def finditer(self, text: str) -> Iterator[re.Match[str]]:
            return lexer.finditer(text)

    monkeypatch.setattr(safety, "_tokens", Counting)
    with contextlib.suppress(QueryError):
        check_read_only(query)
    return read[0]


@pytest.mark.parametrize(
    "inside",
    [
        "," * 3000,  # read as code at every depth the readings reach it at
        "!" * 3000,  # and each "!" counted as a chained operator at each depth
        "()" * 1500,
    ],
)
def test_readings_piled_up_at_many_depths_are_read_once(
    inside: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each ``<x:(>`` doubles the depths the next position is read at (an IRI, or ``<`` and
    one more bracket): the check's work stays linear in the text however many there are."""
    query = "ASK { FILTER(1 " + "<x:(> " * 60 + "<" + inside + "> 1) }"
    assert _characters_lexed(query, monkeypatch) <= 4 * len(query)


def test_a_comment_in_every_iri_of_a_line_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    query = "ASK { FILTER(1 " + "<#>" * 2000 + " 1) }"
    assert _characters_lexed(query, monkeypatch) <= 4 * len(query)


def test_a_language_tag_that_is_none_is_left_to_the_engine() -> None:
    assert check_read_only('SELECT * WHERE { ?s ?p "a"@1 }').form == "SELECT"  # no crash here


def test_long_lists_of_iris_and_values_are_not_chains() -> None:
    iris = " ".join(f"<https://e.org/a-{i}?b=1&c=2+3>" for i in range(1000))
    check_read_only("SELECT * WHERE { VALUES ?s { " + iris + " } }")
    rows = " ".join(f"(<http://x/{i}> {i})" for i in range(5000))
    check_read_only("SELECT * WHERE { VALUES (?a ?b) { " + rows + " } }")
    tags = ", ".join(f'"v-{i}"@en-GB' for i in range(5000))
    check_read_only(f"SELECT * WHERE {{ ?s ?p ?o FILTER(?o IN ({tags})) }}")


@pytest.mark.parametrize(
    "update",
    [
        'DROPALL;INSERTDATA{<http://a> <http://b> "x"@ask}',
        "PREFIX : <http://x/> DROPGRAPH:a # \x85SELECT",
        "PREFIX : <http://x/> MOVE:a TO:b # \x85SELECT",
    ],
)
def test_updates_glued_to_their_next_word_are_updates(update: str) -> None:
    """The engine reads DROPALL as DROP ALL and DROPGRAPH:a as DROP GRAPH :a; a language tag
    is not the query's form."""
    with pytest.raises(QueryError, match=r"updates .* are refused"):
        check_read_only(update)
    assert check_read_only('SELECT * WHERE { ?s ?p "x"@ask }').form == "SELECT"


def test_the_shape_of_a_query() -> None:
    shape = check_read_only(
        "PREFIX ex: <http://x/> SELECT DISTINCT ?a (COUNT(?b) AS ?n) WHERE { ?a ex:p ?b }"
        " GROUP BY ?a"
    )
    assert (shape.form, shape.selected, shape.variables) == (
        "SELECT",
        frozenset({"a", "n"}),
        frozenset({"a", "b", "n"}),
    )
    assert check_read_only("ask { ?s ?p ?o }").form == "ASK"
    assert check_read_only("CONSTRUCT WHERE { ?s ?p ?o }").form == "CONSTRUCT"
    assert check_read_only("INSERT DATA { <x:a> <x:b> 1 }", allow=["update"]).form == "UPDATE"
    assert check_read_only("SELECT ?from_ ?service WHERE { ?from_ ?service 1 }").selected == {
        "from_",
        "service",
    }


# ---------------------------------------------------------------- no network where SPARQL runs


def test_a_sandboxed_process_cannot_call_out_even_when_service_is_allowed(
    witness: tuple[int, list[bytes]],
) -> None:
    port, seen = witness
    code = (
        "from actorgraph import ActorGraph\n"
        "from actorgraph.sandbox import deny_network\n"
        "kg = ActorGraph.load()\n"
        "assert deny_network()\n"
        "try:\n"
        f"    kg.sparql('SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?a ?b ?c }} }}',"
        " allow=['service'])\n"
        "except Exception as error:\n"
        "    print(type(error).__name__)\n"
    )
    before = len(seen)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "QueryError", result.stderr
    time.sleep(0.2)
    assert len(seen) == before


def test_query_workers_run_without_network() -> None:
    pool = QueryPool({"paths": [str(graph_dir())]}, workers=1, timeout=30)

    async def start_and_read() -> str:
        await pool.start()
        (worker,) = pool._all
        return Path(f"/proc/{worker.process.pid}/status").read_text()

    found: list[str] = []
    runner = threading.Thread(target=lambda: found.append(asyncio.run(start_and_read())))
    try:
        runner.start()  # a thread of its own: no other event loop may be running in it
        runner.join(120)
    finally:
        pool.close()
    (status,) = found
    assert "Seccomp:\t2" in status  # a filter is installed (mode 2: SECCOMP_MODE_FILTER)
