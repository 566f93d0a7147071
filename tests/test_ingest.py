"""Ingestion and review: reading new texts, candidates, decisions, several sources side by side."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from servers import free_port

from actorgraph import ActorGraph, QueryError, ValidationError
from actorgraph.bundled import graph_dir
from actorgraph.ingest import Reader
from actorgraph.review import accept, ingest, link, reject, undo

ACT = "https://w3id.org/actorgraph/actor/"
AUTHOR = ACT + "a-reporter"

# Short texts of our own, not the USIP article's sentences.
WAR = (
    "A new front against IS-K\n\n"
    "The Taliban have launched a campaign against IS-K in Nangarhar since January 2022. "
    "According to the United Nations, al-Qaeda remains aligned with the Taliban. "
    "Jamaat Nusrat al-Islam (JNIM) has not attacked Pakistan. "
    "IS-K may recruit from TTP, officials said.\n"
)
DENIAL = (
    "Pakistan denied that it supports the Haqqani Network. "
    "The Taliban have launched a campaign against IS-K.\n"
)


@pytest.fixture(scope="module")
def reader() -> Reader:
    return Reader(ActorGraph.load(), source="test", author=AUTHOR)


def claims(reader: Reader, text: str) -> list[tuple[str, str, str, str, str]]:
    return [
        (c.subject, c.relation, c.object, c.stance, c.asserted_by)
        for c in reader.read(text).candidates
        if c.confidence >= 0.6
    ]


# ---------------------------------------------------------------- reading


def test_names_aliases_search_names_possessives_and_the_group(reader: Reader) -> None:
    text = "ISKP’s fighters clashed with Daesh. The group also courted the Hazara."
    found = {
        (text[m.start : m.end], m.actor.rsplit("/", 1)[1], m.by) for m in reader.mentions(text)
    }
    assert ("ISKP", "isk", "name") in found  # a search name, before a possessive
    assert ("Daesh", "isis", "name") in found
    assert ("The group", "isk", "coreference") in found  # the subject of the sentence before
    assert ("Hazara", "hazaras", "name") in found  # a hidden singular of a plural label


def test_relation_direction_stance_and_asserting_party(reader: Reader) -> None:
    assert claims(reader, WAR) == [
        ("taliban", "targets", "isk", "Asserted", "a-reporter"),
        ("al-qaeda", "alignedWith", "taliban", "Asserted", "united-nations"),  # according to
        ("jamaat-nusrat-al-islam", "targets", "pakistan", "Asserted", "a-reporter"),  # negated
        ("isk", "recruitsFrom", "ttp", "Hedged", "officials"),  # "may"; "officials said"
    ]
    assert claims(reader, "The Haqqani Network was supported by Pakistan.") == [
        ("pakistan", "supports", "haqqani-network", "Asserted", "a-reporter")  # passive voice
    ]
    denied = [c for c in reader.read(DENIAL).candidates if c.relation == "supports"]
    assert [(c.subject, c.object, c.stance, c.asserted_by) for c in denied] == [
        ("pakistan", "haqqani-network", "Denied", "pakistan")
    ]


def test_negation_periods_and_proposed_actors(reader: Reader) -> None:
    reading = reader.read(WAR, published="2022-03")
    by_pair = {(c.subject, c.object): c for c in reading.candidates}
    assert by_pair[("taliban", "isk")].valid_from == "2022-01"  # "since January 2022"
    jnim = by_pair[("jamaat-nusrat-al-islam", "pakistan")]
    assert (jnim.relation, jnim.polarity) == ("targets", "Negative")  # "has not attacked"
    (proposed,) = reading.proposed.values()
    assert (proposed.label, proposed.aliases, proposed.kind) == (
        "Jamaat Nusrat al-Islam", ["JNIM"], "ArmedGroup"
    )  # fmt: skip
    later = reader.read("The Talibann attacked IS-K.").proposed  # a misspelt known name
    assert [p.match for p in later.values()] == [ACT + "taliban"]


def coded(reader: Reader, text: str) -> set[tuple[str, str, str, str, str, str]]:
    """Each candidate as subject, relation, object, stance, polarity and asserting party."""
    return {
        (c.subject, c.relation, c.object, c.stance, c.polarity, c.asserted_by)
        for c in reader.read(text).candidates
    }


def test_no_evidence_never_and_neither_nor_are_negative_not_facts(reader: Reader) -> None:
    assert coded(reader, "There is no evidence that Iran armed the Haqqani Network.") == {
        ("iran", "supports", "haqqani-network", "Asserted", "Negative", "a-reporter")  # guide P1
    }
    assert coded(reader, "Nothing suggests that Pakistan supports IS-K.") == {
        ("pakistan", "supports", "isk", "Asserted", "Negative", "a-reporter")
    }
    assert coded(reader, "Neither Iran nor Pakistan backed the TTP.") == {
        ("iran", "supports", "ttp", "Asserted", "Negative", "a-reporter"),
        ("pakistan", "supports", "ttp", "Asserted", "Negative", "a-reporter"),
    }  # a list of two, not Iran supports Pakistan
    assert coded(reader, "The Taliban backed neither IS-K nor the TTP.") == {
        ("taliban", "supports", "isk", "Asserted", "Negative", "a-reporter"),
        ("taliban", "supports", "ttp", "Asserted", "Negative", "a-reporter"),
    }
    clause = coded(reader, "There is no proof of a deal, but Pakistan attacked the TTP.")
    assert clause == {("pakistan", "targets", "ttp", "Asserted", "Positive", "a-reporter")}


def test_a_party_that_found_no_evidence_denies_the_claim_and_is_no_party_to_it(
    reader: Reader,
) -> None:
    assert coded(reader, "The United Nations found no evidence that Iran armed the TTP.") == {
        ("iran", "supports", "ttp", "Denied", "Positive", "united-nations")  # guide S4
    }
    assert coded(reader, "According to analysts, there is no sign that Iran backed IS-K.") == {
        ("iran", "supports", "isk", "Denied", "Positive", "some-analysts")
    }


def test_a_longer_name_that_begins_with_a_known_one_is_a_new_actor(reader: Reader) -> None:
    text = (
        "Turkish drones struck ISIS-Mozambique. "
        "The Taliban are hostile to al-Qaeda in the Arabian Peninsula (AQAP). "
        "The Islamic State West Africa Province attacked Iran. "
        "Iran fought al-Qaeda in the Arabian Peninsula."
    )
    reading = reader.read(text)
    proposed = {p.label: p for p in reading.proposed.values()}
    for label in ("ISIS-Mozambique", "Islamic State West Africa Province"):
        assert (proposed[label].match, proposed[label].kind) == (ACT + "isis", "ArmedGroup")
    aqap = proposed["al-Qaeda in the Arabian Peninsula"]
    assert (aqap.match, aqap.aliases, aqap.count) == (ACT + "al-qaeda", ["AQAP"], 3)
    found = {(c.subject, c.relation, c.object) for c in reading.candidates}
    assert {
        ("taliban", "hostileTo", "al-qaeda-in-the-arabian-peninsula"),
        ("islamic-state-west-africa-province", "targets", "iran"),
    } <= found
    assert not {
        r for r in found if r[1] != "affiliateOf" and ("isis" in r or "al-qaeda" in r)
    }  # the known groups are no parties to their branches' claims
    branches = {(c.subject, c.object, c.valid_from, c.attested_at)
                for c in reading.candidates if c.relation == "affiliateOf"}  # fmt: skip
    assert branches == {  # once each, from the name itself: undated
        ("isis-mozambique", "isis", None, None),
        ("al-qaeda-in-the-arabian-peninsula", "al-qaeda", None, None),
        ("islamic-state-west-africa-province", "isis", None, None),
    }


def test_the_graphs_own_longer_names_and_joined_names_stay_known(reader: Reader) -> None:
    text = (
        "The Islamic State Khorasan Province attacked the Taliban. ISIS-K attacked Iran. "
        "IS-K in Nangarhar attacked the Taliban. U.S.-Taliban talks stalled."
    )
    reading = reader.read(text)
    assert not reading.proposed
    found = {(c.subject, c.relation, c.object) for c in reading.candidates}
    assert {("isk", "targets", "taliban"), ("isk", "targets", "iran")} <= found
    assert {"united-states", "taliban"} <= {m.actor.rsplit("/", 1)[1] for m in reading.mentions}


def test_also_called_and_known_as_give_another_name_not_a_claim(reader: Reader) -> None:
    text = (
        "Hassan Turki, also known as Abu Musa, leads the TTP. "
        "The Taliban, also called the Students, attacked IS-K. "
        "The Sinjar Liberation Front, a.k.a. SLF, is hostile to Iran."
    )
    reading = reader.read(text)
    assert sorted((p.label, p.aliases) for p in reading.proposed.values()) == [
        ("Hassan Turki", ["Abu Musa"]),
        ("Sinjar Liberation Front", ["SLF"]),
    ]
    assert {(c.subject, c.relation, c.object) for c in reading.candidates} == {
        ("hassan-turki", "leads", "ttp"),
        ("taliban", "targets", "isk"),  # no "criticizes" from "called"
        ("sinjar-liberation-front", "hostileTo", "iran"),
    }
    assert min(c.confidence for c in reading.candidates) >= 0.6


def test_an_acronym_given_in_parentheses_names_the_new_actor_from_then_on(
    reader: Reader,
) -> None:
    text = (
        "The Sinjar Resistance Units (YBS) operate near Mosul. Iran supports the YBS. "
        "Since 2019 the YBS’s fighters have been hostile to the TTP."
    )
    reading = reader.read(text)
    (units,) = reading.proposed.values()
    assert (units.label, units.aliases, units.count) == ("Sinjar Resistance Units", ["YBS"], 4)
    found = {(c.subject, c.relation, c.object) for c in reading.candidates}
    assert {
        ("iran", "supports", "sinjar-resistance-units"),
        ("sinjar-resistance-units", "hostileTo", "ttp"),
    } <= found
    named = reader.read("Jamaat Ansar al-Sunna wal-Jamaah (JASJ) is hostile to the TTP.")
    assert [(p.label, p.aliases) for p in named.proposed.values()] == [
        ("Jamaat Ansar al-Sunna wal-Jamaah", ["JASJ"])  # "wal-" inside a name
    ]


def periods(reader: Reader, text: str) -> dict[tuple[str, str, str], tuple[str | None, ...]]:
    return {
        (c.subject, c.relation, c.object): (c.valid_from, c.valid_until, c.attested_at)
        for c in reader.read(text).candidates
    }


@pytest.mark.parametrize(
    ("text", "claim", "period"),
    [
        ("Since June 2021, Iran has backed the TTP.", ("iran", "supports", "ttp"),
         ("2021-06", None, None)),  # opening a sentence
        ("Pakistan supported the Taliban until May 2018.", ("pakistan", "supports", "taliban"),
         (None, "2018-05", None)),
        ("Iran supported IS-K from 2015 until October 2019.", ("iran", "supports", "isk"),
         ("2015", "2019-10", None)),
        ("Since late 2020, the TTP has been hostile to Iran.", ("ttp", "hostileTo", "iran"),
         ("2020", None, None)),  # a part of a year: the year
        ("Until early 2019, Iran backed the Taliban.", ("iran", "supports", "taliban"),
         (None, "2019", None)),
        ("The TTP fought IS-K briefly in 2018.", ("ttp", "targets", "isk"),
         (None, None, "2018")),  # "fought": an act of war, targeting (R1)
        ("In March 2021, Pakistan attacked the TTP.", ("pakistan", "targets", "ttp"),
         (None, None, "2021-03")),
        ("Iran has backed the TTP since 2016, after Pakistan attacked IS-K.",
         ("pakistan", "targets", "isk"), (None, None, None)),  # another clause's date (T7)
        ("Iran has backed the TTP since 2016, after Pakistan attacked IS-K.",
         ("iran", "supports", "ttp"), ("2016", None, None)),
        ("The truce ended in mid-2019, when IS-K attacked the Taliban.",
         ("isk", "targets", "taliban"), (None, None, "2019")),  # the time "when" refers to
    ],
)  # fmt: skip
def test_periods_in_any_case_with_months_and_from_the_clause_of_the_cue(
    reader: Reader, text: str, claim: tuple[str, str, str], period: tuple[str | None, ...]
) -> None:
    assert periods(reader, text)[claim] == period


def test_fighting_alongside_is_cooperation(reader: Reader) -> None:
    found = pairs(reader, "Since 2020 the TTP has fought alongside the Taliban against IS-K.")
    assert ("ttp", "cooperatesWith", "taliban") in found
    assert ("ttp", "hostileTo", "taliban") not in found


def test_y_s_affiliate_is_an_affiliate_of_y_not_of_the_place_after_it(reader: Reader) -> None:
    for text in (
        "The TTP is al-Qaeda’s affiliate in Pakistan.",
        "The TTP, al-Qaeda’s main affiliate in Pakistan, grew.",
        "Al-Qaeda’s affiliate, the TTP, grew.",
    ):
        found = {(c.subject, c.relation, c.object, c.confidence >= 0.6)
                 for c in reader.read(text).candidates}  # fmt: skip
        assert ("ttp", "affiliateOf", "al-qaeda", True) in found, text
        assert not {r for r in found if r[:2] == ("al-qaeda", "affiliateOf")}, text
    assert ("isk", "operatesIn", "iran") in pairs(reader, "IS-K is the Iran branch of ISIS.")
    listed = pairs(reader, "Al-Qaeda merged with Iran and the Saharan branch of the TTP.")
    assert not {r for r in listed if r[1:] == ("affiliateOf", "ttp")}  # a part listed beside
    assert ("isk", "affiliateOf", "isis") in pairs(reader, "IS-K, the local branch of ISIS, grew.")


def test_a_new_actor_suggested_as_a_place_is_no_party(reader: Reader) -> None:
    text = (
        "The Kurram Valley supports the TTP. The Taliban are hostile to the Kurram Valley. "
        "The TTP operates in the Swat District."
    )
    reading = reader.read(text)
    assert {p.kind for p in reading.proposed.values()} == {"Place"}
    assert {(c.subject, c.relation, c.object) for c in reading.candidates} == {
        ("ttp", "operatesIn", "swat-district")
    }


def test_a_denial_after_a_report_disputes_it_and_a_later_speaker_keeps_to_its_clause(
    reader: Reader,
) -> None:
    text = "According to Iranian officials, the Taliban shelter the TTP; the Taliban denied this."
    (claim,) = reader.read(text).candidates
    assert (claim.subject, claim.relation, claim.object, claim.stance) == (
        "taliban", "supports", "ttp", "Disputed"
    )  # fmt: skip
    assert (claim.asserted_by, claim.contested_by) == ("iranian-government", (ACT + "taliban",))
    text = "Pakistan attacked the TTP; Iranian officials said the Taliban backed IS-K."
    assert coded(reader, text) == {
        ("pakistan", "targets", "ttp", "Asserted", "Positive", "a-reporter"),
        ("taliban", "supports", "isk", "Asserted", "Positive", "iranian-government"),
    }
    unknown = coded(reader, "Zarqawi claimed that IS-K attacked Iran.")  # a speaker not known
    assert unknown == {("isk", "targets", "iran", "Asserted", "Positive", "unnamed-source")}


def test_new_names_without_possessors_headlines_and_with_their_whole_acronymed_name(
    reader: Reader,
) -> None:
    text = (
        "Sahara Diary: The Juntas’ New Partners\n\n"
        "Russia’s Africa Corps attacked IS-K. "
        "The Central Asian Union Mission in Tajikistan (CAUMIT) opposes the TTP. "
        "The Islamic State in Mozambique (ISM), also called ISIS-Mozambique, grew. "
        "ISIS-Mozambique attacked Iran."
    )
    reading = reader.read(text)
    assert sorted((p.label, p.aliases, p.count) for p in reading.proposed.values()) == [
        ("Africa Corps", [], 1),  # not "Russia’s Africa Corps"
        ("Central Asian Union Mission in Tajikistan", ["CAUMIT"], 2),
        ("Islamic State in Mozambique", ["ISM", "ISIS-Mozambique"], 4),  # one actor
        ("Russia", [], 1),  # the possessor is a country: a state of its own
    ]  # nothing from the headline
    assert ("islamic-state-in-mozambique", "targets", "iran") in pairs(reader, text)
    titled = "The TTP Abroad\n\nThis note looks at how its allies include Iran."
    assert not pairs(reader, titled)  # "its" is not the headline's TTP


def test_relative_and_pronoun_clauses_keep_their_own_subjects(reader: Reader) -> None:
    found = pairs(reader, "Iran, whose army was close to the Taliban, has since attacked the TTP.")
    assert ("taliban", "targets", "ttp") not in found
    found = pairs(reader, "The TTP attacked Iran, which sends troops to the Taliban.")
    assert ("ttp", "targets", "iran") in found and ("ttp", "targets", "taliban") not in found
    found = pairs(reader, "The TTP attacked local militias until 2020, when the Taliban came.")
    assert ("ttp", "targets", "taliban") not in found
    found = pairs(reader, "Pakistan hosts the TTP, and it attacked the Taliban.")
    assert ("ttp", "targets", "taliban") not in found
    found = pairs(reader, "Iran has backed the TTP since 2014, after a Pakistan strike hit IS-K.")
    assert not {r for r in found if r[0] == "ttp"}
    found = pairs(reader, "Iran has backed the TTP, and in 2021 Pakistan attacked IS-K.")
    assert ("pakistan", "targets", "isk") in found
    assert not {r for r in found if r[0] == "ttp"}  # not past Pakistan, nor "TTP … in Pakistan"


def test_a_claimed_raid_is_a_deed_and_new_names_get_their_kind_from_their_words(
    reader: Reader,
) -> None:
    deed = coded(reader, "The TTP claimed the January 2021 raid on the Taliban.")
    assert deed == {("ttp", "targets", "taliban", "Asserted", "Positive", "a-reporter")}
    text = (
        "The Sahel Joint Command attacked IS-K. The Sahel Stabilization Mission supports Iran. "
        "IS-K fighters died at Wadi Kharab."
    )
    kinds = {p.label: p.kind for p in reader.read(text).proposed.values()}
    assert kinds == {
        "Sahel Joint Command": "GovernmentAgency",
        "Sahel Stabilization Mission": "IntergovernmentalOrganisation",
        "Wadi Kharab": "Place",
    }


def test_a_country_named_as_where_is_not_whom(reader: Reader) -> None:
    text = (
        "The TTP met IS-K in 2018. Until 2019, the two groups coordinated attacks in the "
        "tri-border area of Iran and Pakistan."
    )
    found = {r for r in pairs(reader, text) if r[1] == "cooperatesWith"}
    assert found == {("ttp", "cooperatesWith", "isk")}
    text = "The TTP grew. Its alliances have shifted since the coups in Iraq, Iran and Syria."
    assert not pairs(reader, text)


def test_a_groups_branch_is_the_branch_the_text_names(reader: Reader) -> None:
    text = (
        "Since 2022, the Islamic State’s branch, which ISIS renamed the Islamic State Sinai "
        "Province (ISSP) that year, has been hostile to the TTP. The TTP is ISIS’s affiliate."
    )
    found = {(c.subject, c.relation, c.object, c.valid_from) for c in reader.read(text).candidates}
    assert ("islamic-state-sinai-province", "hostileTo", "ttp", "2022") in found
    assert ("ttp", "affiliateOf", "isis", None) in found  # said of the TTP: ISIS itself
    assert not {r for r in found if r[0] == "isis"}
    text = "ISIS-Mozambique grew. Since 2021 the Islamic State’s branch attacked Iran."
    found = pairs(reader, text)  # its only branch the text names
    assert ("isis-mozambique", "targets", "iran") in found
    assert ("isis", "targets", "iran") not in found


def pairs(reader: Reader, text: str) -> set[tuple[str, str, str]]:
    return {(c.subject, c.relation, c.object) for c in reader.read(text).candidates}


def test_anti_adjectives_the_two_groups_and_object_pronouns(reader: Reader) -> None:
    text = "TTP is rising. Since 2019, its anti-Iran and anti-Taliban rhetoric grew."
    found = pairs(reader, text)
    assert {("ttp", "hostileTo", "iran"), ("ttp", "hostileTo", "taliban")} <= found
    assert ("iran", "hostileTo", "taliban") not in found  # two adjectives, not a claim
    found = pairs(reader, "Al-Qaeda met TTP in 2020. The enmity between the two groups grew.")
    assert ("al-qaeda", "hostileTo", "ttp") in found
    found = pairs(reader, "TTP is weak. Pakistan and Iran launched raids against it.")
    assert {("pakistan", "targets", "ttp"), ("iran", "targets", "ttp")} <= found
    # "X-rejectionist" states hostility too (guide R14), and the name in it blocks no other tie
    found = pairs(
        reader, "Al-Qaeda casts itself as an Iran-rejectionist force by framing Iran as craven."
    )
    assert {("al-qaeda", "hostileTo", "iran"), ("al-qaeda", "criticizes", "iran")} <= found


def test_a_compound_name_states_its_own_ties_once(reader: Reader) -> None:
    text = (
        "The Iranian government spoke. Senior Islamic State leaders left. "
        "The Iranian government spoke again."
    )
    reading = reader.read(text)
    found = [(c.subject, c.relation, c.object) for c in reading.candidates]
    assert found.count(("iranian-government", "governmentOf", "iran")) == 1  # a demonym
    assert ("senior-is-leaders", "leads", "isis") in found  # "leaders" of a named body
    hedged = reader.read("IS-K prisoners may flee.").candidates
    assert [(c.subject, c.relation, c.stance) for c in hedged] == [
        ("isk-prisoners", "memberOf", "Asserted")  # the name says so, whatever may happen
    ]
    far = "Pakistan attacked TTP in Kurram last year, and observers think the fighting may spread."
    assert {c.stance for c in reader.read(far).candidates if c.object == "ttp"} == {"Asserted"}
    clause = pairs(reader, "Afghans who worked with the U.S. government fled.")
    assert not {r for r in clause if r[1] in ("memberOf", "locatedIn")}  # a clause, not a name


def test_kinds_inflections_and_possessive_cues(reader: Reader) -> None:
    found = pairs(reader, "TTP emerged from Pakistan and Afghanistan.")  # no event to take part in
    assert not {r for r in found if r[1] == "participatedIn"}
    found = pairs(reader, "Pakistan was collaborating with TTP.")  # collaborate → collaborating
    assert ("pakistan", "cooperatesWith", "ttp") in found
    found = pairs(reader, "Iran backed the Taliban’s targeting of TTP.")
    assert ("iran", "targets", "ttp") not in found  # the Taliban’s targeting, not Iran’s
    assert ("taliban", "targets", "ttp") in found
    found = pairs(reader, "Joint Iran-Taliban cooperation against TTP was rare.")
    assert ("iran", "cooperatesWith", "taliban") in found
    assert not {r for r in found if r[2] == "ttp" and r[1] == "cooperatesWith"}


def test_a_series_of_verbs_shares_the_subject(reader: Reader) -> None:
    text = (
        "After raids on villages, TTP vowed to topple the Pakistani government, punish Iran "
        "and attack the Taliban."
    )
    found = pairs(reader, text)
    assert {
        ("ttp", "hostileTo", "pakistani-government"),
        ("ttp", "hostileTo", "iran"),
        ("ttp", "targets", "taliban"),
    } <= found
    assert not {
        r for r in found if r[0] in ("pakistani-government", "iran") and r[1] != "governmentOf"
    }  # no A, verb B


def test_asides_examples_and_people_referred_back_to(reader: Reader) -> None:
    found = pairs(reader, "Iran and the Taliban — notably the Haqqani Network — cooperate closely.")
    assert {
        ("iran", "cooperatesWith", "taliban"),
        ("iran", "cooperatesWith", "haqqani-network"),
    } <= found
    found = pairs(
        reader, "Police held four Tajik nationals. These individuals were in contact with TTP."
    )
    assert ("tajik-nationals", "inContactWith", "ttp") in found
    found = pairs(reader, "Pakistan works with Iran and, to some degree, with the Taliban.")
    assert ("pakistan", "cooperatesWith", "taliban") in found


def test_deeds_are_not_speech_and_agents_are_kept_apart(reader: Reader) -> None:
    deed = reader.read("TTP claimed an attack on a Taliban convoy.").candidates
    claimed = {(c.subject, c.relation, c.object, c.asserted_by) for c in deed}
    assert ("ttp", "targets", "taliban", "a-reporter") in claimed  # a deed, not TTP's words
    denied = reader.read("The Taliban denied the charge and said they do not support TTP.")
    assert [(c.subject, c.object, c.stance, c.asserted_by) for c in denied.candidates] == [
        ("taliban", "ttp", "Denied", "taliban")  # "they": the Taliban
    ]
    accused = pairs(reader, "Pakistan accused the Taliban of sheltering TTP.")
    assert ("taliban", "supports", "ttp") in accused
    assert ("pakistan", "supports", "ttp") not in accused  # the sheltering is the Taliban's


def test_quotes_are_whole_sentences_with_exact_offsets(reader: Reader) -> None:
    for c in reader.read(WAR).candidates:
        assert WAR[c.start : c.end] == c.quote
        assert c.quote.endswith(".")
        assert all(c.start <= a < b <= c.end for a, b in c.cues)


# ---------------------------------------------------------------- the folder


@pytest.fixture
def grown(tmp_path: Path) -> Path:
    text = tmp_path / "war.txt"
    text.write_text(WAR, encoding="utf-8")
    folder = tmp_path / "g"
    ingest(text, into=folder, source_id="war-2022", title="A new front", published="2022-03",
           author="A Reporter")  # fmt: skip
    return folder


def load(folder: Path) -> ActorGraph:
    return ActorGraph.load(graph_dir(), folder)


def candidate(folder: Path, subject: str, relation: str) -> str:
    rows = load(folder).query("candidates").dicts()
    return next(
        r["statement"].rsplit("/", 1)[1]
        for r in rows
        if r["subject"].endswith("/" + subject) and r["relation"].endswith("#" + relation)
    )


def test_ingest_stores_the_text_and_proposes_candidates_that_are_not_statements(
    grown: Path, tmp_path: Path
) -> None:
    stored = grown / "sources" / "war-2022.txt"
    assert stored.read_bytes() == (tmp_path / "war.txt").read_bytes()
    record = (grown / "sources" / "war-2022.ttl").read_text(encoding="utf-8")
    assert hashlib.sha256(stored.read_bytes()).hexdigest() in record
    kg = load(grown)
    assert kg.validate().ok
    rows = kg.query("candidates").dicts()
    statement_columns = list(kg.query("statements").variables)
    assert list(rows[0]) == [*statement_columns, "confidence"]
    assert rows == sorted(rows, key=lambda r: -r["confidence"])
    assert not [s for s in kg.statements() if s.evidence.source.endswith("/war-2022")]
    assert kg.sparql("ASK { act:taliban ag:targets act:isk }").column("result") == [True]  # USIP
    assert kg.sparql("ASK { act:united-nations ag:alignedWith ?x }").column("result") == [False]


def test_ingesting_again_keeps_the_recorded_author_date_and_url(
    grown: Path, tmp_path: Path
) -> None:
    kg = load(grown)
    accept(grown, candidate(grown, *kg_first(kg)))  # a claim the author asserts
    ingest(tmp_path / "war.txt", into=grown, source_id="war-2022", title="A new front")
    record = (grown / "sources" / "war-2022.ttl").read_text(encoding="utf-8")
    assert "A Reporter" in record and "2022-03" in record
    assert load(grown).validate().ok
    ingest(tmp_path / "war.txt", into=grown, source_id="war-2022", title="A new front",
           author="Another Reporter", published="2022-04")  # fmt: skip
    record = (grown / "sources" / "war-2022.ttl").read_text(encoding="utf-8")
    assert "Another Reporter" in record and "2022-04" in record  # given anew: replaced


def kg_first(kg: ActorGraph) -> tuple[str, str]:
    """The subject id and relation name of the first candidate the author asserts."""
    row = next(r for r in kg.query("candidates").dicts() if "a-reporter" in str(r["assertedBy"]))
    return str(row["subject"]).rsplit("/", 1)[1], str(row["relation"]).rsplit("#", 1)[1]


def test_no_query_but_candidates_lists_a_candidate(grown: Path) -> None:
    """Candidates share the statements' properties (rdf:subject, ag:assertedBy …): every
    catalogue query must tell them apart, or a reading nobody reviewed is shown as a claim."""
    kg = load(grown)
    (first, *_) = kg.query("candidates").dicts()
    subject, party = first["subject"], first["assertedBy"]
    assert "/candidate/" in str(first["statement"])
    params = {"actor": subject, "party": party, "date": "2022", "text": "a", "subject": subject}
    for query in kg.queries():
        if query.name == "candidates":
            continue
        given = {p.name: params[p.name] for p in query.parameters if p.name in params}
        if query.name == "paths":
            given = {"from": subject, "to": first["object"]}
        if any(p.required and p.name not in given for p in query.parameters):
            continue
        for actor in {subject, party}:
            call = {k: (actor if k in ("actor", "party") else v) for k, v in given.items()}
            cells = [str(v) for row in kg.query(query.name, call).dicts() for v in row.values()]
            assert not [c for c in cells if "/candidate/" in c], (query.name, call)


def test_accept_edit_reject_undo_and_reingest(grown: Path, tmp_path: Path) -> None:
    taliban = candidate(grown, "taliban", "targets")
    written = accept(grown, taliban, edits={"stance": "Hedged", "note": "checked"})
    kg = load(grown)
    (statement,) = [s for s in kg.statements() if s.id == written.id]
    assert (statement.stance.value, statement.note, statement.valid_from) == (
        "Hedged", "checked", "2022-01"
    )  # fmt: skip
    assert kg.validate().ok
    jnim = candidate(grown, "jamaat-nusrat-al-islam", "targets")
    accept(grown, jnim)  # a new actor comes with it, with its alias
    assert load(grown).actor("JNIM").label == "Jamaat Nusrat al-Islam"
    rejected = candidate(grown, "isk", "recruitsFrom")
    reject(grown, rejected)
    ingest(tmp_path / "war.txt", into=grown, source_id="war-2022", title="A new front")
    open_ids = {r["statement"].rsplit("/", 1)[1] for r in load(grown).query("candidates").dicts()}
    assert not {taliban, jnim, rejected} & open_ids  # decided candidates do not come back
    assert undo(grown, taliban)
    assert written.id not in {s.id for s in load(grown).statements()}
    assert not undo(grown, taliban)


def test_a_bad_edit_keeps_nothing(grown: Path) -> None:
    claims_file = grown / "claims" / "war-2022.ttl"
    taliban = candidate(grown, "taliban", "targets")
    with pytest.raises(QueryError, match="unknown relation type"):
        accept(grown, taliban, edits={"relation": "befriends"})
    with pytest.raises(QueryError, match="validFrom '20222': not a date"):
        accept(grown, taliban, edits={"validFrom": "20222"})
    with pytest.raises(ValidationError, match=r"contestedBy|stance"):
        accept(grown, taliban, edits={"stance": "Disputed"})  # a dispute needs a contester
    assert not claims_file.exists()
    with pytest.raises(QueryError, match="unknown candidate"):
        reject(grown, "000000000000")


def test_link_a_proposed_actor_to_a_known_one(grown: Path) -> None:
    link(grown, "jamaat-nusrat-al-islam", "al-Qaeda")
    written = accept(grown, candidate(grown, "jamaat-nusrat-al-islam", "targets"))
    (statement,) = [s for s in load(grown).statements() if s.id == written.id]
    assert statement.subject == "al-qaeda"


def test_corroboration_and_contradictions_across_sources(grown: Path, tmp_path: Path) -> None:
    accept(grown, candidate(grown, "taliban", "targets"))
    accept(grown, candidate(grown, "al-qaeda", "alignedWith"))
    denial = tmp_path / "denial.txt"
    denial.write_text(DENIAL, encoding="utf-8")
    ingest(denial, into=grown, source_id="denial", title="A denial")
    accept(grown, candidate(grown, "pakistan", "supports"))
    kg = load(grown)
    corroborated = {
        (r["subject"].rsplit("/")[-1], r["relation"].rsplit("#")[-1], r["sources"])
        for r in kg.query("corroboration").dicts()
    }
    assert ("taliban", "targets", 2) in corroborated and (
        "al-qaeda",
        "alignedWith",
        2,
    ) in corroborated
    assert kg.query("contradictions").dicts() == []  # nothing the USIP text asserts is denied
    # the view counts the sources behind each tie
    drawing_ties = kg.view(actor="Taliban").drawing.ties
    tie = next(
        t for t in drawing_ties if t.relation.endswith("#targets") and t.source == ACT + "taliban"
    )
    assert len(tie.sources) == 2
    # analysis can count sources rather than mentions: the USIP text repeats the tie, a second
    # source reports it once
    taliban, isk = "taliban", "isk"
    by_mentions = kg.to_networkx(signed=True)[taliban][isk]
    from actorgraph.network import signed_view

    by_sources = signed_view(kg.to_networkx(), weight="sources")[taliban][isk]
    assert by_mentions["sources"] == by_sources["sources"] == 2
    assert by_sources["weight"] == -2 < 0 and by_mentions["weight"] < by_sources["weight"]


def test_bad_ingest_arguments(tmp_path: Path) -> None:
    text = tmp_path / "t.txt"
    text.write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(QueryError, match="not UTF-8"):
        ingest(text, into=tmp_path / "g", source_id="t", title="t")
    text.write_text("IS-K attacked the Taliban.", encoding="utf-8")
    for bad, message in [
        ({"source_id": "Bad ID"}, "use lower-case"),
        ({"published": "May 2021"}, "expected a year"),
        ({"url": "file:///etc/passwd"}, "http"),
    ]:
        with pytest.raises(QueryError, match=message):
            ingest(text, into=tmp_path / "g", **{"source_id": "t", "title": "t", **bad})  # type: ignore[arg-type]


def test_cli_ingest_candidates_accept(run, tmp_path: Path) -> None:
    text = tmp_path / "war.txt"
    text.write_text(WAR, encoding="utf-8")
    folder = tmp_path / "g"
    result = run("ingest", str(text), "--source-id", "war-2022", "--title", "A new front",
                 "--into", str(folder))  # fmt: skip
    assert result.exit_code == 0 and "candidate statements" in result.stdout
    rows = json.loads(run("candidates", str(folder), "--format", "json").stdout)
    first = rows[0]["statement"].rsplit("/", 1)[1]
    bad = run("accept", str(folder), first, "--basis", "guess")
    assert bad.exit_code == 2 and "Invalid value for '--basis'" in bad.stderr
    bad = run("accept", str(folder), first, "--valid-from", "nonsense")
    assert bad.exit_code == 2 and "Invalid value for '--valid-from'" in bad.stderr
    result = run("accept", str(folder), first, "--stance", "Hedged", "--valid-from", "none",
                 "--attested-at", "2022", "--polarity", "negative")  # fmt: skip
    assert result.exit_code == 0 and result.stdout.startswith("accepted as stmt:war-2022-")
    statement = next(s for s in ActorGraph.load(folder).statements() if s.id.startswith("war-2022"))
    assert (statement.valid_from, statement.attested_at, statement.polarity.value) == (
        None, "2022", "Negative",
    )  # fmt: skip
    result = run("-g", str(graph_dir()), "-g", str(folder), "validate")
    assert result.exit_code == 0
    bad = run("reject", str(folder), "nope")
    assert bad.exit_code == 1 and bad.stderr.startswith("Error: unknown candidate 'nope' (open ")


def test_the_readme_walkthrough_runs_as_shown(run, tmp_path: Path, monkeypatch) -> None:
    """Every command of "Growing the graph from new articles" but `review` (a server) runs,
    and prints what the README shows: the candidate ids it uses are the ones ingest gives."""
    import shlex

    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Growing the graph from new articles")[1]
    block = section.split("```console\n")[1].split("```")[0].replace("\\\n", " ")
    (tmp_path / "sahel-note.txt").write_bytes(
        (root / "docs" / "examples" / "sahel-note.txt").read_bytes()
    )
    monkeypatch.chdir(tmp_path)
    steps = [step.split("\n", 1) for step in block.split("$ actorgraph ")[1:]]
    assert [s[0].split()[0] for s in steps[:7]] == [
        "ingest", "candidates", "candidates", "review", "accept", "reject", "undo"
    ]  # fmt: skip
    for command, *shown in steps:
        args = shlex.split(command, comments=True)
        if args[0] == "review":
            continue
        result = run(*args)
        assert result.exit_code == 0, (command, result.stderr)
        if shown and shown[0]:
            assert result.stdout == shown[0], command


# ---------------------------------------------------------------- the review page


def until(condition, seconds: float = 10) -> None:  # type: ignore[no-untyped-def]
    """Poll ``condition`` (the page's CSP forbids the evaluated strings of wait_for_function)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_review_page_accepts_with_the_keyboard_and_undoes(grown: Path, browser) -> None:
    port = free_port()
    command = [sys.executable, "-c", "from actorgraph.cli import main; main()", "review",
               str(grown), "--port", str(port)]  # fmt: skip
    server = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}/"
        for _ in range(100):
            try:
                with urllib.request.urlopen(base, timeout=2) as response:
                    response.read()
                break
            except OSError:
                time.sleep(0.1)
        page = browser.new_page()
        page.goto(base)
        page.locator(".card").first.wait_for()
        assert page.locator("mark").count() >= 3  # cue words highlighted
        first = page.locator(".card").first.get_attribute("data-id")
        page.keyboard.press("a")
        status = page.locator(".card .status").first
        until(lambda: status.inner_text() not in ("", "saving…"))
        assert page.locator(".card .status").first.inner_text().startswith("accepted as stmt:")
        assert any(s.id.startswith("war-2022-") for s in load(grown).statements())
        page.locator(".card").first.click()
        page.keyboard.press("u")
        until(lambda: status.inner_text() == "decision taken back")
        assert not any(s.id.startswith("war-2022-") for s in load(grown).statements())
        assert first
        card = page.locator(".card").first  # the guide's codings the reader cannot make
        card.locator("select[name=polarity]").select_option("Negative")
        card.locator("input[name=validFrom]").fill("none")
        card.locator("input[name=note]").fill("P1: the text denies it")
        card.locator("button[data-verdict=accept]").click()
        until(lambda: status.inner_text().startswith(("accepted", "Error", "error")))
        assert status.inner_text().startswith("accepted as stmt:"), status.inner_text()
        (written,) = [s for s in load(grown).statements() if s.id.startswith("war-2022-")]
        assert (written.polarity.value, written.valid_from) == ("Negative", None)
        page.close()
        # another site cannot decide for the reviewer
        request = urllib.request.Request(
            base + "decide", data=b'{"verdict": "reject", "candidate": "x"}',
            headers={"Content-Type": "application/json", "Origin": "https://evil.example"},
        )  # fmt: skip
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code == 403
        refused.value.close()
    finally:
        server.terminate()
        server.wait(10)
