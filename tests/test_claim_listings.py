"""Every listing of statements shows what a claim is: an open question, an inference or a
negated claim is never a plain asserted tie, in a table or in the data."""

from __future__ import annotations

import json
import re

import pytest

from actorgraph import ActorGraph
from actorgraph.model import Basis, Polarity

AG = "https://w3id.org/actorgraph/ontology#"
LISTINGS = {
    "statements": {},
    "actor-statements": {"actor": "Taliban"},
    "asserted-by": {"party": "Asfandyar Mir"},
    "contested-claims": {},
}


@pytest.mark.parametrize("name", [*LISTINGS, "candidates"])
def test_statement_listings_select_basis_and_polarity(kg: ActorGraph, name: str) -> None:
    variables = kg.query(name, **LISTINGS.get(name, {})).variables
    assert {"stance", "basis", "polarity"} <= set(variables)


@pytest.mark.parametrize("name", list(LISTINGS))
def test_basis_and_polarity_are_those_of_the_statement(kg: ActorGraph, name: str) -> None:
    truth = {s.iri: (s.basis, s.polarity) for s in kg.statements()}
    rows = kg.query(name, **LISTINGS[name]).dicts()
    assert rows
    for row in rows:
        basis, polarity = truth[str(row["statement"])]
        assert (row["basis"], row["polarity"]) == (basis.iri, polarity.iri)


def not_plain(kg: ActorGraph, **filters: str) -> dict[str, str]:
    """Statement ids of the claims that are not plain, with the marks a table shows them by
    (an open question that is also negated: "question · negated")."""
    words = {Basis.INFERRED: "inferred", Basis.OPEN_QUESTION: "question"}
    found = {}
    for s in kg.statements(**filters):
        marks = [words[s.basis]] if s.basis is not Basis.STATED else []
        if s.polarity is Polarity.NEGATIVE:
            marks.append("negated")
        if marks:
            found[s.id] = " · ".join(marks)
    return found


def stance_cells(stdout: str) -> dict[str, str]:
    lines = stdout.splitlines()
    header = re.split(r"\s{2,}", lines[0])
    cells = [dict(zip(header, re.split(r"\s{2,}", line), strict=False)) for line in lines[2:]]
    return {c["statement"].removeprefix("stmt:"): c["stance"] for c in cells if "statement" in c}


def test_a_table_marks_open_questions_inferences_and_negations(run, monkeypatch) -> None:
    monkeypatch.setattr("actorgraph.cli._terminal_width", lambda: 200)
    kg = ActorGraph.load()
    marked = not_plain(kg)
    assert {"inferred", "question", "negated", "question · negated"} <= set(marked.values())
    # the columns a user picks, without basis or polarity: the stance cell still says it
    out = run("statements", "-c", "statement,subjectLabel,objectLabel,stance").stdout
    cells = stance_cells(out)
    for statement, word in marked.items():
        assert cells[statement].startswith(f"{word} · ag:"), statement
    plain = set(cells) - set(marked)
    assert plain and all(cells[s].startswith("ag:") for s in plain)


def test_the_taliban_are_not_shown_cooperating_with_isk_as_asserted(run, monkeypatch) -> None:
    monkeypatch.setattr("actorgraph.cli._terminal_width", lambda: 150)
    kg = ActorGraph.load()
    questions = [
        s.id
        for s in kg.statements(subject="Taliban", relation="cooperatesWith")
        if s.basis is Basis.OPEN_QUESTION
    ]
    assert questions  # the text's "One recurring question is if the Taliban have used IS-K …"
    out = run("statements", "--subject", "Taliban", "--relation", "cooperatesWith").stdout
    header = re.split(r"\s{2,}", out.splitlines()[0])
    assert "stance" in header  # the default table keeps it on a 150-column terminal
    rows = [re.split(r"\s{2,}", line) for line in out.splitlines()[2:-1]]
    stances = [row[header.index("stance")] for row in rows]
    assert sum(s.startswith("question · ") for s in stances) == len(questions)


def test_named_listings_show_the_mark_and_keep_the_data_plain(run, monkeypatch) -> None:
    monkeypatch.setattr("actorgraph.cli._terminal_width", lambda: 200)
    kg = ActorGraph.load()
    marked = not_plain(kg)
    out = run("query", "actor-statements", "-p", "actor=Taliban", "-c", "statement,stance").stdout
    cells = stance_cells(out)
    assert any(s in marked for s in cells)
    for statement, stance in cells.items():
        assert stance.startswith(f"{marked.get(statement)} · ") == (statement in marked)
    # JSON, CSV and --wide keep the stance as it is, with basis and polarity beside it
    rows = json.loads(
        run("query", "actor-statements", "-p", "actor=Taliban", "--format", "json").stdout
    )
    assert all(str(r["stance"]).startswith(AG) for r in rows)
    assert {r["basis"] for r in rows} >= {AG + "Stated", AG + "OpenQuestion"}


def test_an_80_column_table_keeps_the_stance_and_names_hidden_columns_whole(
    run, monkeypatch
) -> None:
    monkeypatch.setattr("actorgraph.cli._terminal_width", lambda: 80)
    lines = run("statements", "--subject", "Taliban", "--relation", "cooperatesWith").stdout
    header = re.split(r"\s{2,}", lines.splitlines()[0])
    assert header == ["subjectLabel", "relation", "objectLabel", "stance", "quote"]
    assert any("  question · ag" in line for line in lines.splitlines()[2:])  # the open question
    footer = lines.splitlines()[-1]
    assert footer.endswith(", …) --wide shows all") and len(footer) <= 80
    named = footer.split("columns: ", 1)[1].removesuffix(", …) --wide shows all").split(", ")
    assert all(name in STATEMENT_COLUMNS for name in named)  # whole names, none cut


STATEMENT_COLUMNS = {
    "statement", "subject", "subjectLabel", "relation", "object", "objectLabel", "stance",
    "assertedBy", "quote", "source", "start", "end", "validFrom", "validUntil", "attestedAt",
    "contestedBy", "against", "basis", "polarity", "note",
}  # fmt: skip


def test_candidates_mark_a_negated_candidate(run, monkeypatch, tmp_path) -> None:
    text = tmp_path / "note.txt"
    text.write_text("Jamaat Nusrat al-Islam (JNIM) has not attacked Pakistan.\n", "utf-8")
    folder = tmp_path / "g"
    assert run("ingest", str(text), "--source-id", "n", "--title", "N", "--into", str(folder))
    monkeypatch.setattr("actorgraph.cli._terminal_width", lambda: 120)
    out = run("candidates", str(folder), "-c", "subjectLabel,relation,objectLabel,stance").stdout
    (row,) = [line for line in out.splitlines() if "Pakistan" in line]
    assert re.split(r"\s{2,}", row)[1:] == ["ag:targets", "Pakistan", "negated · ag:Asserted"]


def test_contested_claims_lists_every_claim_not_stated_as_plain_fact(kg: ActorGraph) -> None:
    # "One recurring question is if the Taliban have used IS-K as a cover" is asserted with no
    # hedge, and so is an inference the text never states: neither is settled
    unsettled = {
        s.iri
        for s in kg.statements()
        if s.stance.iri != AG + "Asserted" or s.basis is not Basis.STATED
    }
    listed = kg.query("contested-claims").column("statement")
    assert sorted(listed) == sorted(unsettled)
    ids = {str(i).rsplit("/", 1)[1] for i in listed}
    assert {"taliban-cooperatesWith-isk-question", "isk-perpetrated-kabul-airport-bombing"} <= ids


# Every named query that lists statements, with parameters that reach statements directed
# against a third actor where the query can show one.
STATEMENT_QUERIES = {
    **LISTINGS,
    "cooperation": {"actor": "Taliban"},
    "enemies": {"actor": "IS-K"},
    "recruits-from": {"actor": "IS-K"},
    "affiliations": {"actor": "IS-K"},
    "leaders": {"actor": "IS-K"},
    "valid-at": {"date": "2019"},
    "paths": {"from": "United States", "to": "al-Qaeda"},
    "contradictions": {},
    "candidates": {},
}
AGAINST = {
    "statement": "against",
    "firstStatement": "firstAgainst",
    "secondStatement": "secondAgainst",
    "otherStatement": "otherAgainst",
}


def test_every_statement_listing_is_checked_here() -> None:
    def selected(text: str) -> set[str]:  # the variables a query returns, aggregates left out
        clause = re.split(r"\bWHERE\b", text.split("\nSELECT", 1)[1])[0]
        return set(re.findall(r"\?(\w+)", re.sub(r"\((?:[^()]|\([^()]*\))*\)", "", clause)))

    listing = {q.name for q in ActorGraph.load().queries() if AGAINST.keys() & selected(q.text)}
    assert listing == set(STATEMENT_QUERIES)


PARTY = {
    "statement": "assertedBy",
    "firstStatement": "firstAssertedBy",
    "secondStatement": "secondAssertedBy",
    "otherStatement": "otherAssertedBy",
}


@pytest.mark.parametrize("name", sorted(STATEMENT_QUERIES))
def test_a_listed_statement_names_the_party_that_asserts_it(kg: ActorGraph, name: str) -> None:
    # S5: a claim the source reports another party making is that party's claim; a listing
    # that leaves the party out shows propaganda or an allegation as the author's fact
    bundled = ActorGraph.load()
    truth = {s.iri: bundled.actor(s.asserted_by).iri for s in bundled.statements()}
    query = bundled.named_query(name)
    rows = kg.query(name, **STATEMENT_QUERIES[name]).dicts()
    checked = 0
    for row in rows:
        for statement, party in PARTY.items():
            if row.get(statement) is None:
                continue
            if party not in row:  # asserted-by: the party is the parameter, in "party"
                assert any(p.name == "party" for p in query.parameters), (name, party)
                party = "party"
            assert row[party] == truth[str(row[statement])], (name, row[statement])
            checked += 1
    assert checked or not rows, name


@pytest.mark.parametrize("name", sorted(STATEMENT_QUERIES))
def test_a_listed_statement_shows_whom_it_is_directed_against(kg: ActorGraph, name: str) -> None:
    # R6: "Cooperation or support directed against a third actor names it in ag:against, or
    # the edge reads as an alliance in general … Shown wherever a statement is shown."
    bundled = ActorGraph.load()
    truth = {s.iri: sorted(bundled.actor(a).iri for a in s.against) for s in bundled.statements()}
    rows = kg.query(name, **STATEMENT_QUERIES[name]).dicts()
    shown = []
    for row in rows:
        for statement, against in AGAINST.items():
            if row.get(statement) is not None:
                assert sorted(row[against]) == truth[str(row[statement])], (name, row[statement])
                shown += row[against]
    if name in {"statements", "cooperation", "paths", "valid-at", "contested-claims"}:
        assert shown  # these parameters reach a tie against IS-K


PREFIXES = {"statement": "", "firstStatement": "first", "secondStatement": "second"}
PREFIXES["otherStatement"] = "other"


@pytest.mark.parametrize("name", sorted(STATEMENT_QUERIES))
def test_a_listed_statement_shows_its_period(kg: ActorGraph, name: str) -> None:
    # "IS-K hostile to Pakistan" ended in 2017: a row without its period reads as current
    bundled = ActorGraph.load()
    truth = {s.iri: (s.valid_from, s.valid_until, s.attested_at) for s in bundled.statements()}
    rows = kg.query(name, **STATEMENT_QUERIES[name]).dicts()
    dated = 0
    for row in rows:
        for statement, prefix in PREFIXES.items():
            if row.get(statement) is not None:
                columns = [
                    f"{prefix}{c[0].upper()}{c[1:]}" if prefix else c
                    for c in ("validFrom", "validUntil", "attestedAt")
                ]
                shown = tuple(None if row[c] is None else str(row[c]) for c in columns)
                assert shown == truth[str(row[statement])], (name, row[statement])
                dated += shown != (None, None, None)
    if name in {"enemies", "cooperation", "paths", "valid-at", "recruits-from", "statements"}:
        assert dated  # these parameters reach dated statements


def test_paths_rows_show_each_statements_period(run) -> None:
    out = run("paths", "IS-K", "Pakistan", "--format", "json").stdout
    hostile = next(r for r in json.loads(out) if r["statement"].endswith("/isk-hostileTo-pakistan"))
    assert (hostile["validFrom"], hostile["validUntil"], hostile["attestedAt"]) == (
        "2015",
        "2017",
        None,
    )


def test_changes_show_whom_a_tie_is_directed_against(run) -> None:
    # "Until 2019, U.S. air support … helped the Taliban target IS-K": it ended, against IS-K
    isk = ActorGraph.load().actor("IS-K").iri
    ended = ActorGraph.load().changes(2018, 2020)
    air = next(
        c for c in ended if str(c["statement"]).endswith("/us-military-supports-taliban-until-2019")
    )
    assert air["against"] == [isk]
    rows = json.loads(run("changes", "2018", "2020", "--format", "json").stdout)
    assert {r["statement"]: r["against"] for r in rows}[air["statement"]] == [isk]
    assert all(r["against"] == [] for r in rows if r["statement"] != air["statement"])
