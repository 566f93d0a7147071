"""The CLI: every command, every output format, one-line errors, documented in the README."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from actorgraph.cli import cli

ROOT = Path(__file__).resolve().parents[1]
ACT = "https://w3id.org/actorgraph/actor/"
STATEMENT_COLUMNS = [
    "statement", "subject", "subjectLabel", "relation", "object", "objectLabel", "stance",
    "assertedBy", "quote", "source", "start", "end", "validFrom", "validUntil", "attestedAt",
    "contestedBy", "against", "basis", "polarity", "note",
]  # fmt: skip


def test_validate_ok(run_on) -> None:
    result = run_on("validate")
    assert (result.exit_code, result.stdout) == (
        0,
        "ok: 167 statements, 172 quotes checked against 1 source text(s)\n",
    )


def test_statements_json_lists_every_claim_with_quote_stance_and_asserter(run_on) -> None:
    result = run_on("query", "statements", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert len(rows) == 167
    assert all(list(row) == STATEMENT_COLUMNS for row in rows)
    assert all(row["quote"] and row["stance"] and row["assertedBy"] for row in rows)
    disputed = [r for r in rows if r["stance"].endswith("#Disputed")]
    assert {(r["subject"], r["object"], r["assertedBy"], *r["contestedBy"]) for r in disputed} == {
        (
            ACT + "isk",
            ACT + "haqqani-network",
            ACT + "former-afghan-government",
            ACT + "us-government",
        ),
        (ACT + "isk", ACT + "taliban", ACT + "former-afghan-government", ACT + "us-government"),
        (ACT + "united-states", ACT + "taliban", ACT + "usip", ACT + "asfandyar-mir"),
    }
    # list columns are JSON lists (empty: []); unbound values are null, never ""
    assert all(isinstance(r["contestedBy"], list) and isinstance(r["against"], list) for r in rows)
    assert not any(v == "" for r in rows for v in r.values())
    assert any(r["validFrom"] is None for r in rows)


def test_statements_command_equals_named_query(run_on) -> None:
    via_command = run_on("statements", "-s", "IS-K", "-r", "recruitsFrom", "--format", "json")
    via_query = run_on(
        "query",
        "statements",
        "-p",
        "subject=isis-k",
        "-p",
        "relation=recruits from",
        "--format",
        "json",
    )
    assert via_command.stdout == via_query.stdout
    objects = [row["object"].removeprefix(ACT) for row in json.loads(via_command.stdout)]
    assert len(objects) == 15 and "ttp" in objects


def test_csv_output(run_on) -> None:
    result = run_on(
        "statements", "--subject", "IS-K", "--relation", "affiliateOf", "--format", "csv"
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == STATEMENT_COLUMNS
    assert [(r["object"], r["stance"], r["start"]) for r in rows] == [
        (ACT + "isis", "https://w3id.org/actorgraph/ontology#Asserted", "1197")
    ]


def test_table_output_shortens_iris(run_on) -> None:
    lines = run_on("actors", "--kind", "armed group").stdout.splitlines()
    assert re.split(r"\s{2,}", lines[0]) == ["actor", "label", "aliases", "kind"]
    rows = {re.split(r"\s{2,}", line)[0]: re.split(r"\s{2,}", line) for line in lines[2:]}
    assert list(rows) == [
        "act:taliban", "act:al-qaeda", "act:haqqani-network", "act:isis", "act:isk", "act:ttp"
    ]  # fmt: skip
    _, label, aliases, kind = rows["act:isk"]
    assert (label, kind) == ("Islamic State Khorasan Province", "ag:ArmedGroup")
    # only names the text uses; ISKP, Daesh … find the actor but are not its aliases
    assert set(aliases.split(" | ")) == {
        "IS-K", "IS-KP", "ISIS-K", "Islamic State of Khorasan Province"
    }  # fmt: skip
    assert rows["act:ttp"][1:] == ["Tehreek-e-Taliban Pakistan", "ag:ArmedGroup"]  # "TTP" hidden


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_every_format_for_actors(run_on, fmt: str) -> None:
    result = run_on("actors", "--format", fmt)
    assert result.exit_code == 0
    if fmt == "json":
        rows = json.loads(result.stdout)
        assert len(rows) == 68 and set(rows[0]) == {"actor", "label", "aliases", "kind"}
    elif fmt == "csv":
        assert result.stdout.splitlines()[0] == "actor,label,aliases,kind"
        assert len(result.stdout.splitlines()) == 69
    else:
        assert result.stdout.split()[:4] == ["actor", "label", "aliases", "kind"]
        assert len(result.stdout.splitlines()) == 70


def test_sparql_with_typed_parameter(run_on) -> None:
    result = run_on(
        "sparql",
        "SELECT * WHERE { ?a ag:affiliateOf ?parent }",
        "-p",
        "a:actor=ISIS-K",
        "--format",
        "json",
    )
    assert json.loads(result.stdout) == [{"a": ACT + "isk", "parent": ACT + "isis"}]


def test_table_shortens_iri_lists_and_keeps_them_whole_in_csv(run) -> None:
    table = run("statements", "--stance", "Disputed").stdout
    assert "https://" not in table
    assert "act:us-government" in table  # contestedBy, a list of IRIs in one text
    rows = list(csv.DictReader(io.StringIO(run("statements", "--stance", "Disputed",
                                               "--format", "csv").stdout)))  # fmt: skip
    assert {r["contestedBy"] for r in rows} >= {ACT + "us-government"}


def test_jsonl_is_one_object_per_line_equal_to_json(run) -> None:
    as_json = json.loads(run("query", "enemies", "-p", "actor=Taliban", "--format", "json").stdout)
    lines = run("query", "enemies", "-p", "actor=Taliban", "--format", "jsonl").stdout
    assert lines.endswith("\n") and [json.loads(line) for line in lines.splitlines()] == as_json
    empty = run("sparql", "SELECT * WHERE { ?s ag:noSuchThing ?o }", "--format", "jsonl")
    assert (empty.exit_code, empty.stdout) == (0, "")


def test_filters_are_repeatable_and_short_flags_mean_one_thing(run) -> None:
    rows = json.loads(
        run("statements", "--stance", "Disputed", "--stance", "Denied", "--format", "json").stdout
    )
    assert sorted(r["stance"].rsplit("#")[1] for r in rows) == ["Denied"] + ["Disputed"] * 3
    both = json.loads(run("statements", "-s", "IS-K", "-r", "targets", "-r", "hostileTo",
                          "--format", "json").stdout)  # fmt: skip
    assert {r["relation"].rsplit("#")[1] for r in both} == {"targets", "hostileTo"}
    assert run("statements", "-o", "IS-K").exit_code == 2  # -o is --output, never --object


def test_sparql_from_stdin(run_on) -> None:
    result = run_on(
        "sparql", "-f", "-", "--format", "csv", input="ASK { act:isk ag:hostileTo act:taliban }"
    )
    assert result.stdout == "result\ntrue\n"


def test_global_options_work_after_the_command_too(run, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    assert run("init", str(folder)).exit_code == 0
    before = run("-g", str(folder), "validate")
    after = run("validate", "--graph", str(folder))
    assert (after.exit_code, after.stdout) == (0, before.stdout)
    assert after.stdout.startswith("ok: 1 statements")
    assert run("statements", "--subject", "IS-K").exit_code == 0  # the bundled graph's
    mixed = run("statements", "--format", "csv", f"--graph={folder}", "--subject", "IS-K")
    assert mixed.exit_code == 1 and "IS-K" in mixed.stderr  # only the folder's actors
    missing = run("validate", "-g", str(tmp_path / "nowhere"))
    assert missing.exit_code == 1 and "nowhere" in missing.stderr


def test_an_untyped_actor_name_warns_and_points_to_the_typed_form(run) -> None:
    query = "SELECT * WHERE { ?a ag:hostileTo ?e }"
    plain = run("sparql", query, "-p", "a=IS-K", "--format", "json")
    assert json.loads(plain.stdout) == []  # the text "IS-K" is no subject
    assert plain.stderr == (
        "warning: --param a=IS-K binds the text 'IS-K', not the actor it names; "
        "for the actor use --param a:actor=IS-K\n"
    )
    typed = run("sparql", query, "-p", "a:actor=IS-K", "--format", "json")
    assert json.loads(typed.stdout) and typed.stderr == ""
    assert run("sparql", query, "-p", "a=no such actor").stderr == ""


@pytest.mark.parametrize("fmt", ["sparql-json", "sparql-xml", "sparql-csv", "sparql-tsv"])
def test_triple_term_in_sparql_results_is_a_one_line_error(run, fmt: str) -> None:
    query = "SELECT ?t WHERE { BIND(<<( act:isk ag:hostileTo act:taliban )>> AS ?t) }"
    result = run("sparql", query, "--format", fmt)
    assert result.exit_code != 0
    assert result.stdout == ""
    assert "triple term" in result.output and result.output.count("\n") == 1


def test_queries_lists_named_queries(run) -> None:
    rows = json.loads(run("queries", "--format", "json").stdout)
    assert [r["name"] for r in rows][:3] == ["actor-statements", "actors", "affiliations"]
    statements = next(r for r in rows if r["name"] == "statements")
    assert statements["parameters"].startswith("subject (actor, optional)")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["statements", "--subject", "Talibn"], "Error: unknown actor 'Talibn'; did you mean"),
        (["query", "nope"], "Error: unknown query 'nope'"),
        (
            ["query", "statements", "-p", "actor=IS-K"],
            "Error: query 'statements' has no parameter 'actor'",
        ),
        (
            ["query", "statements", "-p", "subject"],
            "Error: Invalid value for --param: expected NAME=VALUE",
        ),
        (
            ["sparql", "DROP ALL"],
            "Error: updates (INSERT, DELETE, CLEAR, DROP …) are refused: queries are read-only",
        ),
        (
            ["sparql", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"],
            "Error: SERVICE is refused",
        ),
        (
            ["sparql", "ASK {}", "-p", "a:thing=1"],
            "Error: Invalid value for --param: unknown type 'thing'",
        ),
        (
            ["sparql", "ASK { ?a ?b ?c }", "-p", "a=1", "-p", "a=2"],
            "Error: Invalid value for --param: 'a' is given twice",
        ),
        (
            ["sparql", "ASK { ?a ?b ?c }", "-p", ":actor=IS-K"],
            "Error: parameter '' is not a valid SPARQL variable name",
        ),
        (["sparql", ""], "Error: the query is empty"),
        (
            ["build", "-o", "/proc/actorgraph-build"],
            "Error: /proc/actorgraph-build: cannot write build output",
        ),
    ],
)
def test_errors_are_one_line_with_non_zero_exit(run_on, args: list[str], message: str) -> None:
    result = run_on(*args)
    assert result.exit_code in (1, 2)
    assert result.stdout == ""
    lines = [line for line in result.stderr.splitlines() if not line.startswith(("Usage:", "Try "))]
    assert len([line for line in lines if line]) == 1
    assert lines[-1].startswith(message)


def test_syntax_errors_name_the_place_or_the_store(run, run_on, backend_args) -> None:
    (line,) = run("sparql", "SELECT ?x WHERE { ?x ?y }").stderr.splitlines()
    assert line.startswith("Error: SPARQL syntax error at line 1, column 26: expected")
    result = run_on("sparql", "SELECT ?x WHERE { ?x ?y }")
    (line,) = result.stderr.splitlines()
    assert result.exit_code == 1
    if backend_args:  # the remote store's own words
        assert line.startswith("Error: query failed at the endpoint")


def test_build_writes_turtle_and_jsonld(run, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = run("build", "-o", str(out))
    assert result.stdout.splitlines() == [
        "ok: 167 statements, 172 quotes checked against 1 source text(s)",
        f"wrote {out / 'graph.ttl'}",
        f"wrote {out / 'graph.jsonld'}",
        f"wrote {out / 'graph.html'}",
    ]
    assert sorted(p.name for p in out.iterdir()) == ["graph.html", "graph.jsonld", "graph.ttl"]
    assert list(tmp_path.iterdir()) == [out]  # no staging folder left behind
    import rdflib

    turtle = rdflib.Graph().parse(out / "graph.ttl")
    jsonld = rdflib.Graph().parse(out / "graph.jsonld", format="json-ld")
    assert len(turtle) == len(jsonld) > 2000
    context = json.loads((out / "graph.jsonld").read_text(encoding="utf-8"))["@context"]
    assert isinstance(context, dict)  # inline: reading it needs no network


def test_every_command_has_an_example_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        assert "Example:" in (command.help or ""), name
        row = re.search(rf"^\| `{name}` \| .* \| `actorgraph (\S+ )*{name}\b[^`]*`", readme, re.M)
        assert row, f"README's command table lacks `{name}` with an example"


def test_sparql_file_that_is_not_utf8(run, tmp_path: Path) -> None:
    query = tmp_path / "q.rq"
    query.write_bytes(b"SELECT * WHERE { ?s ?p \xff }")
    result = run("sparql", "-f", str(query))
    assert result.exit_code == 2
    assert (
        result.stderr.splitlines()[-1]
        == f"Error: Invalid value for --file: {query}: not valid UTF-8"
    )


def test_the_readme_option_table_is_true_for_every_command() -> None:
    import click

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("| option | meaning | commands |")[1].split("\n\n")[0]
    uses: dict[str, set[str]] = {}
    repeats: dict[str, set[str]] = {}  # the commands where the option takes several values
    for name, command in cli.commands.items():  # type: ignore[attr-defined]
        for param in command.params:
            if isinstance(param, click.Option):
                for flag in [*param.opts, *param.secondary_opts]:
                    uses.setdefault(flag, set()).add(name)
                    if param.multiple:
                        repeats.setdefault(flag, set()).add(name)
    rows = [line.split(" | ") for line in table.strip().splitlines()[1:]]
    assert rows
    for flags, meaning, commands in rows:
        listed = {c.strip(" |") for c in commands.split(",")}
        for flag in re.findall(r"-[-\w]+", flags):
            if listed == {"all"}:
                (option,) = [p for p in cli.params if flag in [*p.opts, *p.secondary_opts]]
                assert option.multiple == ("repeatable" in meaning), flag  # a global option
                continue
            assert uses.get(flag) == listed, flag
            several = repeats.get(flag, set())
            if "repeatable where it filters" in meaning:
                assert several and several != listed, flag
            elif "repeat" in meaning:
                assert several == listed, flag
            else:
                assert not several, flag


def test_tables_fit_the_terminal_and_keep_the_quote(run, monkeypatch) -> None:
    monkeypatch.setattr("actorgraph.cli._terminal_width", lambda: 80)
    lines = run("statements", "--subject", "IS-K").stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    header = re.split(r"\s{2,}", lines[0])
    assert header[0] == "subjectLabel" and header[-1] == "quote"  # the query's table columns
    assert any(line.endswith("…") for line in lines[2:])  # long cells cut with an ellipsis
    assert lines[-1].startswith("(+") and "assertedBy" in lines[-1] and "--wide" in lines[-1]
    monkeypatch.setattr("actorgraph.cli._terminal_width", lambda: 160)
    roomy = run("statements", "--subject", "IS-K").stdout.splitlines()
    assert re.split(r"\s{2,}", roomy[0])[4:6] == ["assertedBy", "against"]  # the party first
    monkeypatch.setattr("actorgraph.cli._terminal_width", lambda: 80)
    wide = run("statements", "--subject", "IS-K", "--wide").stdout.splitlines()
    assert re.split(r"\s{2,}", wide[0])[:3] == ["statement", "subject", "subjectLabel"]
    assert max(len(line) for line in wide) > 200 and not any("…" in line for line in wide)
    # a pipe gets every column, uncut (what scripts and grep need)
    monkeypatch.setattr("actorgraph.cli._terminal_width", lambda: None)
    assert run("statements", "--subject", "IS-K").stdout == "\n".join(wide) + "\n"


def test_columns_and_limit_shape_every_format(run) -> None:
    chosen = ["relation", "objectLabel"]
    table = run("statements", "-s", "IS-K", "--columns", "relation,objectLabel", "--limit", "2")
    assert table.stdout.splitlines()[0].split() == chosen and len(table.stdout.splitlines()) == 4
    as_json = run("query", "enemies", "-p", "actor=Iran", "-c", "otherLabel", "-c", "stance")
    assert as_json.exit_code == 0
    rows = json.loads(
        run(
            "query", "enemies", "-p", "actor=Iran", "-c", "otherLabel,stance", "--format", "json"
        ).stdout
    )
    assert rows and all(list(r) == ["otherLabel", "stance"] for r in rows)
    csv_text = run("actors", "--columns", "label", "--limit", "1", "--format", "csv").stdout
    assert csv_text == "label\nAfghan military\n"
    bad = run("actors", "--columns", "label,colour")
    assert bad.exit_code == 1
    assert bad.stderr.strip().startswith("Error: --columns: no column 'colour' in this result")
    assert "\n" not in bad.stderr.strip()


def test_former_names_still_work_and_say_the_new_one(run) -> None:
    paths = run("path", "United States", "al-Qaeda", "--format", "csv")
    assert paths.exit_code == 0 and "'path' is now called 'paths'" in paths.stderr
    assert paths.stdout == run("paths", "United States", "al-Qaeda", "--format", "csv").stdout
    changes = run("diff", "2019", "2021")
    assert changes.exit_code == 0 and "'diff' is now called 'changes'" in changes.stderr
    kinds = run("actors", "--type", "Person", "--format", "csv")
    assert "--type is now --kind" in kinds.stderr
    assert kinds.stdout == run("actors", "--kind", "Person", "--format", "csv").stdout
    assert "path " not in run("--help").stdout and "diff " not in run("--help").stdout


def test_list_columns_are_json_lists(run) -> None:
    (isk,) = [
        r
        for r in json.loads(run("actors", "--format", "json").stdout)
        if r["actor"].endswith("/isk")
    ]
    assert sorted(isk["aliases"]) == [
        "IS-K", "IS-KP", "ISIS-K", "Islamic State of Khorasan Province"
    ]  # fmt: skip
    lines = run("actors", "--format", "jsonl").stdout.splitlines()
    assert all(isinstance(json.loads(line)["aliases"], list) for line in lines)
    # CSV keeps the text
    sheet = csv.DictReader(io.StringIO(run("actors", "--format", "csv").stdout))
    (isk_row,) = [r for r in sheet if r["actor"].endswith("/isk")]
    assert sorted(isk_row["aliases"].split(" | ")) == sorted(isk["aliases"])


def test_a_reader_that_stops_early_ends_the_command_quietly() -> None:
    import subprocess
    import sys

    for command in (["analyze"], ["statements", "--format", "json"]):
        process = subprocess.Popen(
            [sys.executable, "-m", "actorgraph", *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.readline()
        process.stdout.close()  # like `| head -1`
        with process.stderr:
            error = process.stderr.read()
        assert (first != b"", process.wait(timeout=60), error) == (True, 0, b""), command


def test_a_filter_given_several_times_matches_any_of_its_values(run) -> None:
    def values(name: str, *args: str) -> set[str]:
        result = run(*args, "-c", name, "--format", "json")
        assert result.exit_code == 0, result.stderr
        return {row[name].removeprefix(ACT) for row in json.loads(result.stdout)}

    both = values("subject", "statements", "-s", "IS-K", "--subject", "Taliban", "--no-parts")
    assert both == {"isk", "taliban"}  # the API's subject=["IS-K", "Taliban"]: both
    assert values(
        "object", "statements", "--object", "IS-K", "--object", "Taliban", "--no-parts"
    ) == {"isk", "taliban"}
    assert values(
        "assertedBy", "statements", "--asserted-by", "Joe Biden", "--asserted-by", "IS-K"
    ) == {"joe-biden", "isk"}
    kinds = values("kind", "actors", "--kind", "State", "--kind", "Government")
    assert kinds == {"https://w3id.org/actorgraph/ontology#State",
                     "https://w3id.org/actorgraph/ontology#Government"}  # fmt: skip


@pytest.mark.parametrize(
    ("option", "args"),
    [
        ("--actor", ("view", "--actor", "IS-K", "--actor", "Joe Biden", "--depth", "0")),
        ("--as-of", ("analyze", "--as-of", "2019", "--as-of", "2021")),
        ("--as-of", ("paths", "IS-K", "Iran", "--as-of", "2019", "--as-of=2021")),
        ("--format", ("statements", "--format", "csv", "--format", "json")),
        ("--relation", ("accept", ".", "x", "-r", "targets", "--relation", "hostileTo")),
        ("--endpoint", ("--endpoint", "http://a/sparql", "actors", "--endpoint", "http://b/q")),
    ],
)
def test_an_option_that_takes_one_value_is_refused_twice(
    run, option: str, args: tuple[str, ...]
) -> None:
    result = run(*args)
    assert result.exit_code == 2 and not result.stdout
    assert result.stderr.splitlines()[-1] == f"Error: {option} is given twice: it takes one value"


def test_a_writer_refuses_a_destination_whose_folder_is_missing(run, tmp_path: Path) -> None:
    note = ROOT / "docs" / "examples" / "sahel-note.txt"
    for args, target in [
        (("build", "-o"), "tyop/deep/site"),
        (("ingest", str(note), "--source-id", "n9", "--title", "t", "--into"), "tyop/deep/g"),
        (("export", "--format", "csv", "-o"), "tyop/deep/csv"),
        (("view", "-o"), "tyop/deep/v.html"),
    ]:
        destination = tmp_path / target
        result = run(*args, str(destination))
        assert result.exit_code == 1 and not result.stdout, args
        assert result.stderr == (
            f"Error: {destination}: the folder {destination.parent} does not exist; "
            "create it first\n"
        )
        assert not (tmp_path / "tyop").exists()
    made = run("build", "-o", str(tmp_path / "site"))  # the last folder may be new
    assert made.exit_code == 0 and (tmp_path / "site" / "graph.ttl").is_file()


def test_an_error_in_a_query_file_names_the_file(run, tmp_path: Path) -> None:
    broken = tmp_path / "q.rq"
    broken.write_text("SELECT ?a WHERE {\n  ?a ag:hostileTo ?b .\n", encoding="utf-8")
    for limit in ([], ["--timeout", "20"]):
        result = run("sparql", "-f", str(broken), *limit)
        assert result.exit_code == 1 and not result.stdout
        assert result.stderr.startswith(f"Error: {broken}:3:1: SPARQL syntax error: expected ")
    service = tmp_path / "s.rq"
    service.write_text("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    refused = run("sparql", "-f", str(service))
    assert refused.stderr.startswith(f"Error: {service}: SERVICE is refused")
    fine = tmp_path / "a.rq"
    fine.write_text("SELECT * WHERE { ?a ag:hostileTo ?b }")
    for limit in ([], ["--timeout", "20"]):
        wrong = run("sparql", "-f", str(fine), "-p", "a:actor=Talibn", *limit)
        assert wrong.stderr.startswith("Error: unknown actor 'Talibn'")  # not the file's fault


def test_an_empty_path_says_when_an_end_is_only_in_claims_paths_leave_out(run) -> None:
    result = run("paths", "IS-K", "Mullah Omar")
    assert result.exit_code == 0 and "Mullah Omar" not in result.stdout
    assert "every statement naming Mullah Omar (1) is an inference" in result.stderr
    assert "actorgraph statements --subject mullah-omar" in result.stderr
    assert run("paths", "IS-K", "Taliban").stderr == ""
