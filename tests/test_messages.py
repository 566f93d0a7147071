"""The same mistake gets the same message from the API and the command line, naming what the
user typed (an option, a column), never an internal name."""

from __future__ import annotations

import contextlib
import json
import os
import pty
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from conftest import replace_once

import actorgraph
from actorgraph import ActorGraph, ActorGraphError, ExportFormat, QueryError

QUERY = "SELECT * WHERE { ?a ag:hostileTo ?e }"


@pytest.mark.parametrize(
    ("query", "hint"),
    [
        ("SELECT * WHERE { ?s ag:hostilTo ?o }", "ag:hostilTo: the ontology defines no such term "
         "(did you mean ag:hostileTo?)"),
        ("SELECT * WHERE { ?s a ag:Statment }", "did you mean ag:Statement?"),
        ("SELECT * WHERE { act:iskp ?p ?o }", "act:iskp is not an actor of this graph (did you "
         "mean act:isk?)"),  # an alias used as an id
        ("PREFIX a: <https://w3id.org/actorgraph/actor/>\nSELECT * WHERE { a:talibn ?p ?o }",
         "act:talibn is not an actor of this graph (did you mean act:taliban?)"),
        ("SELECT * WHERE { ?s skos:prefLable ?o }", "did you mean skos:prefLabel?"),
        ("SELECT * WHERE { ?s <https://w3id.org/actorgraph/ontology#hostleTo> ?o }",
         "did you mean ag:hostileTo?"),
    ],
)  # fmt: skip
def test_an_empty_answer_names_a_term_the_graph_cannot_hold(
    kg: ActorGraph, run, query: str, hint: str
) -> None:
    with pytest.warns(UserWarning, match=re.escape(hint)):
        assert len(kg.sparql(query)) == 0
    result = run("sparql", query)
    assert result.exit_code == 0 and "warning: no rows: " in result.stderr and hint in result.stderr


def test_a_query_of_known_terms_gets_no_hint(kg: ActorGraph) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        empty = 'SELECT * WHERE { act:isk ag:leads ?o . ?o rdfs:label "ag:nothing" } # ag:typo'
        assert len(kg.sparql(empty)) == 0  # strings and comments are not read as terms
        assert len(kg.sparql("SELECT * WHERE { ?s a ag:Statement ; ag:stance ag:Hedged }")) > 0


def test_sparql_text_naming_an_actor_warns_as_the_cli_does(kg: ActorGraph, run) -> None:
    with pytest.warns(UserWarning, match=r"a='IS-K' binds the text 'IS-K', not the actor") as w:
        rows = kg.sparql(QUERY, a="IS-K")
    assert len(rows) == 0 and "a=kg.actor('IS-K')" in str(w[0].message)
    assert w[0].filename == __file__  # points at the caller's line
    cli = run("sparql", QUERY, "-p", "a=IS-K").stderr
    assert "binds the text 'IS-K', not the actor it names" in cli
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(kg.sparql(QUERY, a=kg.actor("IS-K"))) > 0
        assert len(kg.sparql(QUERY, a="no such actor")) == 0
        # a text that names an actor, used as text: rows, and no warning
        copy = kg.sparql("SELECT ?x ?copy WHERE { BIND(STR(?x) AS ?copy) }", x="IS-K")
        assert copy.column("copy") == ["IS-K"]


def test_a_parameter_the_query_does_not_use_is_an_error_in_both(kg: ActorGraph, run) -> None:
    with pytest.raises(QueryError, match="parameter 'zz' is not a variable of the query"):
        kg.sparql(QUERY, zz="x")
    cli = run("sparql", QUERY, "-p", "zz=x")
    assert cli.exit_code == 1
    assert cli.stderr.endswith("Error: parameter 'zz' is not a variable of the query\n")


def test_sparql_without_a_query_says_to_give_one(run, tmp_path) -> None:
    missing = run("sparql")
    assert missing.exit_code == 2
    assert missing.stderr.splitlines()[-1] == "Error: give a query (as an argument or with --file)"
    query = tmp_path / "q.rq"
    query.write_text("ASK {}", encoding="utf-8")
    both = run("sparql", "ASK {}", "--file", str(query))
    assert both.exit_code == 2 and both.stderr.endswith("with --file, not both\n")


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("analyze", "--as-of", "2019-99"), "'--as-of'"),
        (("paths", "IS-K", "Taliban", "--as-of", "soon"), "'--as-of'"),
        (("export", "--format", "graphml", "-o", "x.graphml", "--as-of", "2019-13"), "'--as-of'"),
        (("view", "-o", "x.html", "--as-of", "May 2019"), "'--as-of'"),
        (("changes", "2019", "20x"), "'AFTER'"),
    ],
)
def test_a_bad_date_names_the_option_not_the_keyword(
    run, args: tuple[str, ...], named: str
) -> None:
    result = run(*args)
    assert result.exit_code == 2 and result.stdout == ""
    last = result.stderr.splitlines()[-1]
    assert last.startswith(f"Error: Invalid value for {named}: ") and "expected a year" in last
    assert "as_of" not in result.stderr and "parameter" not in result.stderr


def test_an_unknown_column_is_the_librarys_error_listing_the_columns(kg: ActorGraph) -> None:
    rows = kg.query("actors")
    with pytest.raises(QueryError, match=r"no column 'nope' in this result \(columns: actor, "):
        rows.column("nope")
    with pytest.raises(TypeError, match=r"rows\.column\('label'\)"):
        rows["label"]  # type: ignore[call-overload]


def test_candidates_json_gives_list_columns_as_lists(run, tmp_path) -> None:
    text = tmp_path / "note.txt"
    text.write_text("The Taliban have launched a campaign against IS-K in Nangarhar.\n", "utf-8")
    folder = tmp_path / "g"
    made = run("ingest", str(text), "--source-id", "n1", "--title", "A note", "--into", str(folder))
    assert made.exit_code == 0
    rows = json.loads(run("candidates", str(folder), "--format", "json").stdout)
    assert rows
    for row in rows:
        assert row["contestedBy"] == [] and row["against"] == []  # as the README promises


def test_export_streams_to_stdout(tmp_path) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(actorgraph.__file__).parents[1])}
    command = [sys.executable, "-m", "actorgraph", "export", "--format", "nt", "-o", "/dev/stdout"]
    done = subprocess.run(command, capture_output=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.decode("utf-8").splitlines()) == len(ActorGraph.load().store)
    assert done.stderr.decode("utf-8").strip() == "wrote /dev/stdout"  # the note, apart


@pytest.mark.parametrize(
    ("fmt", "name", "message"),
    [
        ("graphml", "out.gexf", ".gexf is the suffix of gexf files, not graphml; name it .graphml"),
        ("gexf", "out.graphml", ".graphml is the suffix of graphml files, not gexf"),
        ("ttl", "out.nt", ".nt is the suffix of nt files, not ttl"),
        ("jsonld", "out.csv", ".csv is the suffix of csv files, not jsonld"),
        ("csv", "edges.csv", "csv writes two files, nodes.csv and edges.csv, into a folder"),
    ],
)
def test_export_refuses_an_output_named_for_another_format(
    kg: ActorGraph, run, tmp_path, fmt: str, name: str, message: str
) -> None:
    target = tmp_path / name
    result = run("export", "--format", fmt, "-o", str(target))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith(f"Error: {target}: {message}")
    assert result.stderr.count("\n") == 1
    assert not target.exists() and list(tmp_path.iterdir()) == []
    with pytest.raises(QueryError, match=re.escape(message)):
        kg.export(target, ExportFormat(fmt))


@pytest.mark.parametrize(
    ("command", "name"),
    [
        (["export", "--format", "graphml"], "typo/deeper/net.graphml"),
        (["export", "--format", "csv"], "typo/net-csv"),
        (["view"], "typo/view.html"),
        (["view", "--format", "svg"], "typo/view.svg"),
    ],
)
def test_an_output_into_a_folder_that_does_not_exist_is_refused_not_created(
    kg: ActorGraph, run, tmp_path, command: list[str], name: str
) -> None:
    target = tmp_path / name
    result = run(*command, "-o", str(target))
    assert result.exit_code == 1 and result.stdout == ""
    message = f"{target}: the folder {target.parent} does not exist; create it first"
    assert result.stderr == f"Error: {message}\n"
    with pytest.raises(ActorGraphError, match=re.escape(message)):
        if command[0] == "export":
            kg.export(target, ExportFormat(command[2]))
        else:
            kg.view().save(target)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("fmt", "name"), [("cytoscape", "net.json"), ("graphml", "net.xml"),
                                           ("jsonld", "graph.json"), ("ttl", "graph")])  # fmt: skip
def test_export_accepts_suffixes_no_other_format_claims(run, tmp_path, fmt: str, name: str) -> None:
    assert run("export", "--format", fmt, "-o", str(tmp_path / name)).exit_code == 0
    assert (tmp_path / name).is_file()


def test_csv_cells_that_would_start_a_formula_open_as_text(run, tmp_path) -> None:
    graph = tmp_path / "g"
    graph.mkdir()
    (graph / "a.ttl").write_text(
        "@prefix ag: <https://w3id.org/actorgraph/ontology#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "<https://w3id.org/actorgraph/actor/x> a ag:ArmedGroup ;\n"
        '    skos:prefLabel "=HYPERLINK(\\"http://evil.example\\")"@en ;\n'
        '    skos:altLabel "-2+3"@en .\n',
        encoding="utf-8",
    )
    listed = run("-g", str(graph), "actors", "--format", "csv").stdout
    assert '"\'=HYPERLINK(""http://evil.example"")"' in listed
    assert ",'-2+3," in listed
    exported = tmp_path / "csv"
    assert run("-g", str(graph), "export", "--format", "csv", "-o", str(exported)).exit_code == 0
    nodes = (exported / "nodes.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in nodes and ",=HYPERLINK" not in nodes
    as_json = run("-g", str(graph), "actors", "--format", "json").stdout
    assert '"label": "=HYPERLINK(\\"http://evil.example\\")"' in as_json  # JSON keeps the text


def test_an_undeclared_prefix_is_named_not_listed_as_characters(run) -> None:
    kg = ActorGraph.load()  # the embedded engine's message (a remote store words its own)
    for text, line, prefix in [("SELECT ?s WHERE { ?s dc:title ?t }", 1, "dc"),
                               ("SELECT ?s WHERE {\n  ?s foaf:name ?t }", 2, "foaf")]:  # fmt: skip
        with pytest.raises(QueryError) as caught:
            kg.sparql(text)
        message = str(caught.value)
        assert f"line {line}" in message and f"the prefix '{prefix}:' is not declared" in message
        assert "u{" not in message and "declared for you: act, ag" in message
        result = run("sparql", text)
        assert result.exit_code == 1 and f"the prefix '{prefix}:'" in result.stderr


def test_one_mistake_does_not_flood_validate(run) -> None:
    from actorgraph.bundled import graph_dir

    claims = str(graph_dir() / "claims")
    result = run("-g", claims, "validate")
    lines = result.stderr.splitlines()
    assert result.exit_code == 1 and lines[0].startswith("note: the files loaded hold no actors")
    assert len(lines) == 33 and lines[-2].startswith("… and ") and "validate --all" in lines[-2]
    everything = run("-g", claims, "validate", "--all").stderr.splitlines()
    assert len(everything) > 100 and not any(line.startswith("… and ") for line in everything)


def test_an_output_file_rewritten_keeps_its_permissions_and_a_link_is_followed(
    kg: ActorGraph, tmp_path: Path
) -> None:
    private = tmp_path / "private.graphml"
    private.write_text("old", encoding="utf-8")
    private.chmod(0o600)
    kg.export(private, ExportFormat.GRAPHML)
    assert private.stat().st_mode & 0o777 == 0o600 and "<graphml" in private.read_text("utf-8")
    target = tmp_path / "elsewhere" / "net.graphml"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.graphml"
    link.symlink_to(target)
    kg.export(link, ExportFormat.GRAPHML)
    assert link.is_symlink() and "<graphml" in target.read_text(encoding="utf-8")
    assert [p.name for p in target.parent.iterdir()] == ["net.graphml"]  # no staging left


HOSTILE = "Islamic State Khorasan Province\x1b]0;PWNED\x07\x1b[8mHIDDEN\u202e"


def test_a_terminal_is_shown_a_labels_control_characters_escaped(
    graph_copy: Path, run, tmp_path: Path
) -> None:
    """A label must not set the terminal's title, conceal the rest of a row (the stance) or
    reorder it; a pipe or a file still gets the data as it is."""
    label = '"Islamic State Khorasan Province"@en'
    escaped = HOSTILE.encode("unicode_escape").decode().replace("\\x", "\\u00")
    replace_once(graph_copy / "actors.ttl", label, f'"{escaped}"@en')
    args = ["-g", str(graph_copy), "statements", "--subject", "IS-K", "-r", "affiliateOf"]
    table = run(*args, "--wide").stdout
    assert "\x1b" not in table and "\u202e" not in table
    assert "Province\\x1b]0;PWNED\\x07\\x1b[8mHIDDEN\\u202e" in table
    assert HOSTILE in run(*args, "--format", "csv").stdout  # piped: the data as it is
    main, tty = pty.openpty()
    with subprocess.Popen(
        [sys.executable, "-m", "actorgraph", *args, "--format", "csv"], stdout=tty, stderr=tty
    ) as process:
        os.close(tty)
        shown = b""
        with contextlib.suppress(OSError):
            while chunk := os.read(main, 65536):
                shown += chunk
    os.close(main)
    assert process.returncode == 0
    text = shown.decode()
    assert "\x1b" not in text and "PWNED\\x07" in text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            'SELECT * WHERE { ?s ?p ?o FILTER(CONTAIN(?o, "x")) }',
            "CONTAIN is not a SPARQL function (did you mean CONTAINS?)",
        ),
        ("SELECT (strlength(?o) AS ?n) WHERE { ?s ?p ?o }", "(did you mean STRLEN?)"),
    ],
)
def test_a_misspelled_function_is_named(query: str, message: str) -> None:
    with pytest.raises(QueryError, match=re.escape(message)):
        ActorGraph.load().sparql(query)


def test_a_syntax_error_lists_what_could_follow_without_the_characters_of_names() -> None:
    with pytest.raises(QueryError) as caught:
        ActorGraph.load().sparql('SELECT * WHERE { ?s ?p ?o FILTER(CONTAINS(?o, "x(")) ')
    assert "a character of a name" in str(caught.value) and "..=" not in str(caught.value)
    assert len(str(caught.value)) < 300
