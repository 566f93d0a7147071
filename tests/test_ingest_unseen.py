"""The reader on sentences unlike the bundled article's: other word forms, one-word names, clause
structure, accusations and denials, non-parties. Each sentence is our own."""

from __future__ import annotations

import pytest

from actorgraph import ActorGraph
from actorgraph.ingest import Candidate, Reader

ACT = "https://w3id.org/actorgraph/actor/"
AUTHOR = ACT + "a-reporter"


@pytest.fixture(scope="module")
def reader() -> Reader:
    return Reader(ActorGraph.load(), source="unseen", author=AUTHOR)


def claims(reader: Reader, text: str) -> set[tuple[str, str, str]]:
    return {(c.subject, c.relation, c.object) for c in reader.read(text).candidates}


def only(reader: Reader, text: str) -> Candidate:
    found = reader.read(text).candidates
    assert len(found) == 1, [(c.subject, c.relation, c.object) for c in found]
    return found[0]


@pytest.mark.parametrize(
    ("sentence", "relation"),
    [
        ("Pakistan backs the Haqqani Network.", "supports"),
        ("Pakistan is backing the Haqqani Network.", "supports"),
        ("Pakistan supplies the Haqqani Network with rockets.", "supports"),
        ("Pakistan supplied the Haqqani Network with rockets.", "supports"),
        ("Pakistan funds the Haqqani Network.", "supports"),
        ("Pakistan is arming the Haqqani Network.", "supports"),
        ("Pakistan advises the Haqqani Network.", "supports"),
        ("Pakistan trains the Haqqani Network.", "supports"),
        ("The Taliban are killing IS-K fighters.", "targets"),
        ("The Taliban kill IS-K fighters.", "targets"),
    ],
)
def test_every_inflection_of_a_cue_is_a_cue(reader: Reader, sentence: str, relation: str) -> None:
    assert any(r == relation for _, r, _ in claims(reader, sentence)), sentence


def test_a_noun_of_a_cue_verb_is_a_cue(reader: Reader) -> None:
    found = claims(reader, "There was close coordination between the Taliban and TTP.")
    assert ("taliban", "cooperatesWith", "ttp") in found


def test_an_inflection_never_makes_another_word() -> None:
    from actorgraph.ingest import _phrases

    pattern = _phrases(["aided", "trained"])
    assert pattern.search("aids and aiding") and pattern.search("trains")
    assert not pattern.search("an aide") and not pattern.search("a trainee")
