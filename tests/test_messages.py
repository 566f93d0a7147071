"""The same mistake gets the same message from the API and the command line, naming what the
user typed (an option, a column), never an internal name."""

from __future__ import annotations

import warnings

import pytest

from actorgraph import ActorGraph, QueryError

QUERY = "SELECT * WHERE { ?a ag:hostileTo ?e }"


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


def test_a_parameter_the_query_does_not_use_is_an_error_in_both(kg: ActorGraph, run) -> None:
    with pytest.raises(QueryError, match="parameter 'zz' is not a variable of the query"):
        kg.sparql(QUERY, zz="x")
    cli = run("sparql", QUERY, "-p", "zz=x")
    assert cli.exit_code == 1
    assert cli.stderr.endswith("Error: parameter 'zz' is not a variable of the query\n")
