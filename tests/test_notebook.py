"""Notebook friendliness: the graph's repr and length, rows that index like a list and become
DataFrames, rich HTML display (always escaped), and dates given as text, numbers or dates."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest

from actorgraph import Actor, ActorGraph, Evidence, QueryError, Rows, Stance, Statement
from actorgraph.results import HTML_ROWS

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
BAD_DATE = "expected a year (2019), month (2020-05) or day (2021-08-26)"


@pytest.fixture(scope="module")
def bundled() -> ActorGraph:
    """The bundled graph, embedded: what is tested here is pure Python, not the backends."""
    return ActorGraph.load()


@pytest.fixture(scope="module")
def statements(bundled: ActorGraph) -> Rows:
    return bundled.query("statements")


# ---------------------------------------------------------------- the graph: repr and len


def test_repr_says_what_the_graph_holds(bundled: ActorGraph) -> None:
    assert repr(bundled) == "<ActorGraph: 167 statements, 68 actors, 1 source>"


def test_len_is_the_number_of_statements(bundled: ActorGraph) -> None:
    assert len(bundled) == len(bundled.statements()) == 167


def test_an_empty_graph_counts_zero_and_is_still_true(tmp_path: Path) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_text("@prefix ex: <https://example.org/> .\n", encoding="utf-8")
    kg = ActorGraph.load(empty)
    assert repr(kg) == "<ActorGraph: 0 statements, 0 actors, 0 sources>"
    assert len(kg) == 0
    assert kg  # a graph, not a container: truth does not query


def test_repr_of_an_unreachable_endpoint_does_not_raise() -> None:
    kg = ActorGraph.connect("http://127.0.0.1:9/sparql", timeout=5)
    text = repr(kg)
    assert text.startswith("<ActorGraph: cannot count what it holds: ")
    assert "\n" not in text


# ---------------------------------------------------------------- rows: indexing and len


def test_rows_index_like_a_list_of_dicts(statements: Rows) -> None:
    dicts = statements.dicts()
    assert len(statements) == len(dicts) == 167
    assert statements[0] == dicts[0]
    assert statements[0]["statement"] == (
        "https://w3id.org/actorgraph/statement/afghan-military-targets-isk-until-2019"
    )
    assert statements[-1] == dicts[-1] == statements[166]
    assert statements[-167] == dicts[0]
    assert statements[1:4] == dicts[1:4]
    assert statements[::-1] == dicts[::-1]
    assert statements[200:] == []


@pytest.mark.parametrize("index", [167, -168])
def test_rows_index_out_of_range(statements: Rows, index: int) -> None:
    with pytest.raises(IndexError):
        statements[index]


def test_rows_index_small_result() -> None:
    rows = Rows.from_values(["n", "who"], [(1, "a"), (2, None)])
    assert rows[1] == {"n": 2, "who": None}
    assert rows[-2:] == [{"n": 1, "who": "a"}, {"n": 2, "who": None}]


# ---------------------------------------------------------------- rows: pandas


def test_to_pandas_keeps_every_row_and_the_variable_order(statements: Rows) -> None:
    frame = statements.to_pandas()
    assert frame.shape == (167, 20)
    assert list(frame.columns) == list(statements.variables)
    assert list(frame.columns)[:3] == ["statement", "subject", "subjectLabel"]
    assert frame.loc[0, "quote"] == statements[0]["quote"]
    assert frame["start"].tolist() == statements.column("start")
    assert frame["statement"].tolist() == statements.column("statement")


def test_to_pandas_columns_follow_the_variables_not_the_alphabet() -> None:
    frame = Rows.from_values(["z", "a"], [(1, "x"), (2, None)]).to_pandas()
    assert list(frame.columns) == ["z", "a"]
    assert frame["z"].tolist() == [1, 2]
    assert frame.loc[0, "a"] == "x"
    assert frame["a"].isna().tolist() == [False, True]


def test_to_pandas_of_no_rows_keeps_the_columns() -> None:
    frame = Rows(["a", "b"], []).to_pandas()
    assert frame.shape == (0, 2)
    assert list(frame.columns) == ["a", "b"]


def test_to_pandas_without_pandas_says_how_to_install_it(
    statements: Rows, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # makes `import pandas` fail
    with pytest.raises(ImportError) as caught:
        statements.to_pandas()
    assert str(caught.value) == "to_pandas needs pandas: pip install 'actorgraph[pandas]'"


# ---------------------------------------------------------------- rich display


def test_rows_html_is_an_escaped_table() -> None:
    rows = Rows.from_values(["who", "n"], [(SCRIPT, 1), ("a & b", None)])
    assert rows._repr_html_() == (
        "<table><thead><tr><th>who</th><th>n</th></tr></thead><tbody>"
        f"<tr><td>{ESCAPED}</td><td>1</td></tr>"
        "<tr><td>a &amp; b</td><td></td></tr>"
        "</tbody></table>"
    )


def test_rows_html_escapes_iris_and_quotes() -> None:
    rows = Rows(["x"], [(ox.Literal('say "hi" <b>'),), (ox.NamedNode("https://e.org/a?b=1&c=2"),)])
    html = rows._repr_html_()
    assert "<td>say &quot;hi&quot; &lt;b&gt;</td>" in html
    assert "<td>https://e.org/a?b=1&amp;c=2</td>" in html


def test_rows_html_shows_the_first_50_rows(statements: Rows) -> None:
    html = statements._repr_html_()
    assert HTML_ROWS == 50
    assert html.count("<tr>") == 1 + 50  # the header and 50 rows
    assert html.endswith("</table>\n<p>… 117 more rows</p>")
    assert statements.dicts()[49]["statement"] in html
    assert str(statements.dicts()[50]["statement"]) not in html


def test_rows_html_one_more_row_and_none() -> None:
    one_more = Rows.from_values(["n"], [(i,) for i in range(51)])._repr_html_()
    assert one_more.endswith("</table>\n<p>… 1 more row</p>")
    assert Rows(["n"], [])._repr_html_() == (
        "<table><thead><tr><th>n</th></tr></thead><tbody></tbody></table>\n<p>no rows</p>"
    )


def _statement(**changes: object) -> Statement:
    fields: dict[str, object] = {
        "id": "a-hostileTo-b",
        "subject": "a",
        "subject_label": SCRIPT,
        "relation": "hostileTo",
        "object": "b",
        "object_label": "B & C",
        "stance": Stance.HEDGED,
        "asserted_by": "c",
        "evidence": Evidence("https://w3id.org/actorgraph/source/s", 'he said "<b>no</b>"', 0, 19),
    }
    fields.update(changes)
    return Statement(**fields)  # type: ignore[arg-type]


def test_statement_html_is_escaped() -> None:
    assert _statement()._repr_html_() == (
        f"<div><strong>{ESCAPED}</strong> – hostileTo – <strong>B &amp; C</strong>"
        "<br>Hedged; asserted by c"
        "<blockquote>he said &quot;&lt;b&gt;no&lt;/b&gt;&quot;</blockquote>"
        "source: https://w3id.org/actorgraph/source/s</div>"
    )


def test_statement_html_shows_the_bundled_quote(bundled: ActorGraph) -> None:
    (haqqani,) = bundled.statements(
        subject="IS-K", relation="cooperatesWith", object="Haqqani Network"
    )
    html = haqqani._repr_html_()
    assert html.startswith(
        "<div><strong>Islamic State Khorasan Province</strong> – cooperatesWith – "
        "<strong>Haqqani Network</strong><br>Disputed; asserted by former-afghan-government"
    )
    assert "<blockquote>" in html
    assert html.endswith(
        "source: https://w3id.org/actorgraph/source/usip-2021-isk-resurgence</div>"
    )


def test_statement_html_names_basis_and_negation() -> None:
    from actorgraph import Basis, Polarity

    html = _statement(basis=Basis.INFERRED, polarity=Polarity.NEGATIVE)._repr_html_()
    assert "<br>Hedged; asserted by c; inferred; negated<blockquote>" in html


def test_actor_html_is_escaped(bundled: ActorGraph) -> None:
    actor = Actor("x", SCRIPT, ("A & B", "<i>"), "ArmedGroup")
    assert actor._repr_html_() == (
        f"<div><strong>{ESCAPED}</strong> <code>x</code><br>kind: ArmedGroup"
        "<br>aliases: A &amp; B, &lt;i&gt;</div>"
    )
    assert bundled.actor("TTP")._repr_html_() == (
        "<div><strong>Tehreek-e-Taliban Pakistan</strong> <code>ttp</code>"
        "<br>kind: ArmedGroup<br>aliases: none</div>"
    )
    assert bundled.actor("IS-K")._repr_html_() == (
        "<div><strong>Islamic State Khorasan Province</strong> <code>isk</code><br>kind: "
        "ArmedGroup<br>aliases: IS-K, IS-KP, ISIS-K, Islamic State of Khorasan Province</div>"
    )


# ---------------------------------------------------------------- dates: int, str or date


def test_changes_takes_years_as_numbers_text_or_dates(bundled: ActorGraph) -> None:
    by_text = bundled.changes("2019", "2021")
    assert len(by_text) == 10
    assert bundled.changes(2019, 2021) == by_text
    assert bundled.changes(2019, "2021") == by_text
    by_day = bundled.changes("2019-01-01", "2021-01-01")
    assert bundled.changes(date(2019, 1, 1), date(2021, 1, 1)) == by_day
    assert bundled.changes(datetime(2019, 1, 1, 12), datetime(2021, 1, 1)) == by_day
    assert bundled.changes("2019-05", 2021) == bundled.changes("2019-05", "2021")


@pytest.mark.parametrize(
    ("before", "after", "name"),
    [
        ("2019", "21", "after"),
        ("May 2019", 2021, "before"),
        ("2019-13", 2021, "before"),
        (True, 2021, "before"),
        (2019.0, 2021, "before"),
        (None, 2021, "before"),
        (2019, [2021], "after"),
    ],
)
def test_changes_refuses_a_bad_date(
    bundled: ActorGraph, before: object, after: object, name: str
) -> None:
    with pytest.raises(QueryError) as caught:
        bundled.changes(before, after)  # type: ignore[arg-type]
    assert str(caught.value) == f"parameter {name!r}: {BAD_DATE}"


def test_as_of_takes_numbers_text_or_dates(bundled: ActorGraph, tmp_path: Path) -> None:
    def edges(as_of: object) -> list[tuple[str, str, str]]:
        return sorted(bundled.to_networkx(as_of=as_of).edges(keys=True))  # type: ignore[arg-type]

    assert edges(2019) == edges("2019")
    assert edges(date(2019, 5, 1)) == edges("2019-05-01")
    assert len(edges(2019)) == 130
    assert bundled.analyze(as_of=2019).triads == bundled.analyze(as_of="2019").triads
    us_to_al_qaeda = bundled.paths("United States", "al-Qaeda", as_of="2019")
    assert bundled.paths("United States", "al-Qaeda", as_of=2019) == us_to_al_qaeda
    by_number, by_text = bundled.view(as_of=2019).drawing, bundled.view(as_of="2019").drawing
    assert by_number.as_of == by_text.as_of == "2019"
    assert by_number.statements == by_text.statements
    from actorgraph import ExportFormat

    (by_date,) = bundled.export(
        tmp_path / "a.graphml", ExportFormat.GRAPHML, as_of=date(2019, 5, 1)
    )
    (by_day,) = bundled.export(tmp_path / "b.graphml", ExportFormat.GRAPHML, as_of="2019-05-01")
    assert by_date.read_bytes() == by_day.read_bytes()


def test_as_of_refuses_a_bad_date(bundled: ActorGraph) -> None:
    with pytest.raises(QueryError) as caught:
        bundled.to_networkx(as_of="May 2019")
    assert str(caught.value) == f"parameter 'as_of': {BAD_DATE}"
    with pytest.raises(QueryError, match="parameter 'as_of'"):
        bundled.view(as_of=20190501)


def test_date_parameters_of_named_queries_take_dates(bundled: ActorGraph) -> None:
    by_text = bundled.query("valid-at", date="2021-09-01").dicts()
    assert bundled.query("valid-at", date=date(2021, 9, 1)).dicts() == by_text
    assert bundled.query("valid-at", date=2021).dicts() == (
        bundled.query("valid-at", date="2021").dicts()
    )


def test_sparql_binds_a_date_as_xsd_date(bundled: ActorGraph) -> None:
    rows = bundled.sparql(
        "SELECT ?when ?type WHERE { BIND(DATATYPE(?when) AS ?type) }",
        when=datetime(2021, 9, 1, 12, 30),
    )
    assert rows.dicts() == [{"when": "2021-09-01", "type": "http://www.w3.org/2001/XMLSchema#date"}]


def test_the_graph_and_a_validation_report_display_in_a_notebook(
    bundled: ActorGraph, graph_copy: Path
) -> None:
    html = bundled._repr_html_()
    assert html.startswith("<p><strong>ActorGraph: 167 statements, 68 actors, 1 source")
    assert "<td>Asserted</td>" in html and "<td>Disputed</td>" in html
    assert bundled._repr_html_().count("<tr>") == 1 + len({s.stance for s in bundled.statements()})
    report = bundled.validate()
    assert report._repr_html_() == (
        "<p><strong>ok</strong>: 167 statements, 172 quotes, 1 sources checked</p>"
    )
    (graph_copy / "claims" / "bad.ttl").write_text(
        "@prefix ag: <https://w3id.org/actorgraph/ontology#> .\n"
        "<https://w3id.org/actorgraph/statement/x> a ag:Statement .\n",
        encoding="utf-8",
    )
    broken = ActorGraph.load(graph_copy).validate()
    html = broken._repr_html_()
    assert html.startswith(f"<p><strong>{len(broken.problems)} problem(s)</strong>")
    assert "<code>" in html and "bad.ttl:2" in html
    assert "<script" not in html
