"""Growing a graph from unseen texts: safe writes, faithful reading, well-formed new actors."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from actorgraph import ActorGraph
from actorgraph.bundled import graph_dir
from actorgraph.ingest import Reader, transliterate
from actorgraph.sources import sentence_around

ACT = "https://w3id.org/actorgraph/actor/"
PROP = "https://w3id.org/actorgraph/proposed/"

# Texts of our own, written for these tests.
MILITIA = (
    "A new militia in the east\n\n"
    "A little-known militia, Jabhat al-Ḥaqq al-Khurāsānī, has emerged in the districts of "
    "Achin and Nazyan. Its leader, Mawlawī ʿAbd al-Raḥmān Zāhidī, fought for the Taliban.\n\n"
    "Jabhat al-Ḥaqq al-Khurāsānī is hostile to the Taliban. The militia\n"
    "cooperates with IS-K in Nangarhar, according to the United Nations.\n"
)
REPORTS = (
    "The United States has supported Pakistan with intelligence, according to press reports, "
    "though the U.S. government has not confirmed this. "
    "The United States supports Pakistan in its fight against the TTP, Pakistani officials claim. "
    "The TTP is hostile to IS-K, according to a senior security official quoted in the press. "
    "Press reports suggest that the TTP may cooperate with IS-K.\n"
)


@pytest.fixture(scope="module")
def reader() -> Reader:
    return Reader(ActorGraph.load(), source="test", author=ACT + "me")


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def load(folder: Path) -> ActorGraph:
    return ActorGraph.load(graph_dir(), folder)


def candidate(folder: Path, subject: str, relation: str, obj: str | None = None) -> str:
    rows = load(folder).query("candidates").dicts()
    return next(
        r["statement"].rsplit("/", 1)[1]
        for r in rows
        if r["subject"].endswith("/" + subject)
        and r["relation"].endswith("#" + relation)
        and (obj is None or r["object"].endswith("/" + obj))
    )


# ---------------------------------------------------------------- reading


def test_a_line_break_inside_a_sentence_is_white_space(reader: Reader) -> None:
    text = "A Taliban spokesman said that the Afghan Taliban do not\nsupport the TTP. Next one.\n"
    start = text.index("the Afghan")
    assert sentence_around(text, start, start + 10).startswith("A Taliban spokesman said")
    wrapped = [(c.subject, c.relation, c.asserted_by) for c in reader.read(text).candidates]
    flat_text = text.replace("\n", " ", 1)
    flat = [(c.subject, c.relation, c.asserted_by) for c in reader.read(flat_text).candidates]
    assert wrapped == flat and ("taliban", "supports", "taliban") in wrapped
    # a blank line still ends one: a heading is not the first sentence's start
    assert sentence_around("Title\n\nIS-K attacked.", 8, 12) == "IS-K attacked."


def test_names_with_non_ascii_capitals_are_found_with_clean_ids(reader: Reader) -> None:
    reading = reader.read(MILITIA)
    labels = {p.label: p for p in reading.proposed.values()}
    assert "Jabhat al-Ḥaqq al-Khurāsānī" in labels
    leader = labels["Mawlawī ʿAbd al-Raḥmān Zāhidī"]  # the whole name, past the ʿayn
    assert leader.iri == PROP + "mawlawi-abd-al-rahman-zahidi" and leader.kind == "Person"
    assert labels["Jabhat al-Ḥaqq al-Khurāsānī"].kind == "ArmedGroup"
    assert "Achin and Nazyan" not in labels  # two names, not one actor
    claims = {(c.subject, c.relation, c.object) for c in reading.candidates}
    assert ("jabhat-al-haqq-al-khurasani", "hostileTo", "taliban") in claims
    # "The militia\ncooperates": the militia, across the line break
    assert ("jabhat-al-haqq-al-khurasani", "cooperatesWith", "isk") in claims
    assert transliterate("Ḥaqq Öcalan Şırnak Žižek") == "Haqq Ocalan Sirnak Zizek"


def test_a_name_the_reader_cannot_class_is_left_unclassed(reader: Reader) -> None:
    (proposed,) = reader.read("Harbour Zeta attacked IS-K in 2022.").proposed.values()
    assert proposed.kind == "Actor"  # no guess: the reviewer sets it


def test_reported_speech_is_never_the_authors_own_claim(reader: Reader) -> None:
    found = {(c.subject, c.relation, c.object, c.start): c for c in reader.read(REPORTS).candidates}
    by_quote = {c.quote.split(",")[0][:30]: c for c in found.values()}
    us = next(c for c in found.values() if (c.subject, c.relation) == ("united-states", "supports"))
    assert (us.asserted_by, us.stance) == ("press-reporting", "Disputed")
    assert us.contested_by == (ACT + "us-government",)
    officials = next(c for k, c in by_quote.items() if k.startswith("The United States supports"))
    assert officials.asserted_by == "officials" and officials.confidence < 0.85
    hostile = next(c for c in found.values() if (c.relation, c.object) == ("hostileTo", "isk"))
    assert hostile.asserted_by == "officials"
    hedged = next(c for c in found.values() if c.relation == "cooperatesWith")
    assert (hedged.asserted_by, hedged.stance) == ("press-reporting", "Hedged")
    assert not [c for c in found.values() if c.asserted_by == "me"]


def test_reading_time_grows_in_proportion_to_the_text(reader: Reader) -> None:
    # a ratio of two sizes, not a time: 8x the text may not take 30x (quadratic: 64x)
    unit = MILITIA + REPORTS

    def seconds(copies: int) -> float:
        began = time.perf_counter()
        reader.read(unit * copies)
        return time.perf_counter() - began

    small, large = min(seconds(8) for _ in range(2)), seconds(64)
    assert large < 30 * small
