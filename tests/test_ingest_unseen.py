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


def proposed(reader: Reader, text: str) -> dict[str, tuple[str, list[str]]]:
    return {p.label: (p.kind, p.aliases) for p in reader.read(text).proposed.values()}


def test_a_country_named_in_one_word_is_a_state(reader: Reader) -> None:
    text = "Chad attacked TTP in 2020. Burkina Faso backs the Taliban."
    assert proposed(reader, text)["Chad"][0] == "State"
    assert {("chad", "targets", "ttp"), ("burkina-faso", "supports", "taliban")} <= claims(
        reader, text
    )


def test_a_short_form_of_a_country_is_the_same_state(reader: Reader) -> None:
    found = proposed(reader, "The United Arab Emirates funds TTP. The UAE trains TTP.")
    assert found == {"United Arab Emirates": ("State", ["UAE"])}


def test_a_capital_as_a_party_stands_for_its_state(reader: Reader) -> None:
    text = "Ouagadougou supports TTP, and Islamabad rejects any role in the war."
    assert ("burkina-faso", "supports", "ttp") in claims(reader, text)


def test_a_capital_as_a_place_is_a_place(reader: Reader) -> None:
    found = proposed(reader, "The Taliban attacked TTP fighters in Bamako.")
    assert found.get("Bamako", ("Place",))[0] == "Place" and "Mali" not in found


def test_a_region_of_a_country_is_no_party(reader: Reader) -> None:
    text = "IS-K recruits among herders in northern Chad."
    assert "Chad" not in proposed(reader, text)
    assert not any("chad" in (s, o) for s, _, o in claims(reader, text))


def test_another_name_given_by_better_or_formerly_known_as(reader: Reader) -> None:
    text = (
        "Jund al-Haqq, better known as the Haqqis, attacked the Taliban. "
        "The Haqqis later attacked TTP. "
        "The Front for Renewal, formerly known as the Desert Falcons (DF), fought IS-K."
    )
    found = proposed(reader, text)
    assert found["Jund al-Haqq"][1] == ["Haqqis"]
    assert set(found["Front for Renewal"][1]) == {"Desert Falcons", "DF"}
    assert ("jund-al-haqq", "targets", "ttp") in claims(reader, text)


def test_a_one_word_short_form_in_parentheses(reader: Reader) -> None:
    text = "The Sentinel Legion Group (Sentinel) attacked IS-K. Sentinel later attacked TTP."
    found = proposed(reader, text)
    assert found["Sentinel Legion Group"][1] == ["Sentinel"]
    assert ("sentinel-legion-group", "targets", "ttp") in claims(reader, text)


def test_documents_and_waterways_are_no_parties(reader: Reader) -> None:
    text = (
        "TTP signed the Doha Accord in 2020. Pakistan criticised the Kiel Canal. "
        "Iran is aligned with the Wakhan strait."
    )
    found = proposed(reader, text)
    assert "Doha Accord" not in found
    assert found["Kiel Canal"][0] == "Place"
    assert claims(reader, text) == set()


def test_an_articles_header_block_is_no_prose(reader: Reader) -> None:
    text = (
        "Notes from the Frontier: TTP and Its Patrons\nBy Jane Roe\nFrontier Review\n3 May 2024\n\n"
        "The Taliban attacked TTP in 2023.\n"
    )
    assert not any("Roe" in label for label in proposed(reader, text))
    assert claims(reader, text) == {("taliban", "targets", "ttp")}


def test_coordinated_subjects_of_a_directed_verb_are_not_each_others_object(
    reader: Reader,
) -> None:
    found = claims(reader, "Iran and Pakistan have struck Baluch positions since 2019.")
    assert not {("iran", "targets", "pakistan"), ("pakistan", "targets", "iran")} & found
    enemies = claims(reader, "The Taliban and TTP attacked each other in 2022.")
    assert ("taliban", "targets", "ttp") in enemies


def test_a_relative_clauses_object_is_not_the_main_verbs(reader: Reader) -> None:
    text = "Pakistan funded TTP, which later drove the Taliban out of Kunar."
    found = claims(reader, text)
    assert ("pakistan", "supports", "ttp") in found
    assert ("pakistan", "supports", "taliban") not in found


def test_a_verb_after_and_takes_the_sentences_subject(reader: Reader) -> None:
    text = "TTP is an ally of the Taliban and has attacked both IS-K and Pakistan."
    found = claims(reader, text)
    assert {("ttp", "targets", "isk"), ("ttp", "targets", "pakistan")} <= found
    assert not any(s == "taliban" and r == "targets" for s, r, _ in found)


def test_an_accusation_is_the_accusers_claim_about_the_accused(reader: Reader) -> None:
    text = "Afghan officials accuse Pakistan of sheltering TTP leaders."
    found = reader.read(text).candidates
    tie = next(
        c for c in found if (c.subject, c.relation, c.object) == ("pakistan", "supports", "ttp")
    )
    assert tie.asserted_by != "a-reporter" and tie.stance == "Asserted"
    assert not any(c.relation == "supports" and c.subject != "pakistan" for c in found)


def test_an_accusation_the_accused_rejects_is_disputed_by_it(reader: Reader) -> None:
    text = "The Taliban accuse Iran of arming TTP; Tehran rejects the allegations."
    tie = next(c for c in reader.read(text).candidates if c.relation == "supports")
    assert (tie.subject, tie.object, tie.asserted_by) == ("iran", "ttp", "taliban")
    assert tie.stance == "Disputed" and tie.contested_by


def test_a_pronoun_accuser_is_the_clauses_subject(reader: Reader) -> None:
    text = (
        "TTP controls the valley, and it has attacked IS-K, which it accuses of helping Pakistan."
    )
    tie = next(c for c in reader.read(text).candidates if c.relation == "supports")
    assert (tie.subject, tie.object, tie.asserted_by) == ("isk", "pakistan", "ttp")


def test_both_parties_denying_dispute_the_claim(reader: Reader) -> None:
    text = "The Taliban and TTP now compete for recruits, although both deny any rivalry."
    tie = next(c for c in reader.read(text).candidates if c.relation == "competesWith")
    assert tie.stance == "Disputed"
    assert {c.rsplit("/", 1)[-1] for c in tie.contested_by} == {"taliban", "ttp"}


def test_coordinated_subjects_of_a_directed_verb_without_object(reader: Reader) -> None:
    found = claims(reader, "Both TTP and IS-K recruit among unemployed youths.")
    assert not {("ttp", "recruitsFrom", "isk"), ("isk", "recruitsFrom", "ttp")} & found
    assert ("isk", "hostileTo", "ttp") in claims(reader, "IS-K and TTP are sworn enemies.")


def test_the_insurgents_are_an_armed_group_not_a_state(reader: Reader) -> None:
    text = "The United States sanctioned Pakistan in 2019. The insurgents backed TTP."
    assert not any(s == "united-states" for s, _, _ in claims(reader, text))


def test_a_known_state_named_as_a_region_is_no_party(reader: Reader) -> None:
    found = claims(reader, "TTP recruits heavily in southern Pakistan.")
    assert not any(o == "pakistan" for _, r, o in found if r == "recruitsFrom")


def test_a_past_relation_in_an_aside_takes_no_date_of_the_main_clause(reader: Reader) -> None:
    tie = only(reader, "TTP, once a close ally of the Taliban, has been quiet since 2021.")
    assert (tie.valid_from, tie.valid_until, tie.attested_at) == (None, None, None)


def test_becoming_part_starts_a_period_and_leaving_ends_it(reader: Reader) -> None:
    text = "TTP became part of al-Qaeda in 2016 and was made a branch of its own in May 2020."
    tie = next(c for c in reader.read(text).candidates if c.object == "al-qaeda")
    assert (tie.valid_from, tie.valid_until, tie.attested_at) == ("2016", "2020-05", None)
    founded = next(
        c
        for c in reader.read("TTP is an affiliate of al-Qaeda that was founded in 2012.").candidates
        if c.object == "al-qaeda"
    )
    assert (founded.valid_from, founded.attested_at) == ("2012", None)


def test_a_participle_used_as_an_adjective_is_no_cue(reader: Reader) -> None:
    text = "TTP, a coalition of Pashtun armed groups, signed a pact with the Taliban."
    assert not any(r == "supports" for _, r, _ in claims(reader, text))


def test_a_relative_clause_is_no_list(reader: Reader) -> None:
    text = "Iran trained the Haqqani Network, which pushed IS-K out of Kunar."
    found = claims(reader, text)
    assert ("iran", "supports", "haqqani-network") in found
    assert ("iran", "supports", "isk") not in found


def test_a_party_denying_its_own_deed_asserts_the_denial(reader: Reader) -> None:
    tie = only(reader, "Islamabad denies funding TTP.")
    assert (tie.relation, tie.object, tie.stance) == ("supports", "ttp", "Denied")
    assert tie.asserted_by == tie.subject


def test_a_claim_a_party_denies_after_it_is_the_authors_disputed_by_it(reader: Reader) -> None:
    tie = only(reader, "Since 2020, Iran has reportedly armed TTP, a claim Tehran denies.")
    assert (tie.subject, tie.relation, tie.object) == ("iran", "supports", "ttp")
    assert tie.asserted_by == "a-reporter" and tie.stance == "Disputed" and tie.contested_by


def test_a_pronouns_clause_between_cue_and_actor(reader: Reader) -> None:
    text = "Pakistan has not joined the raids, and it has asked the Taliban to stop."
    assert ("pakistan", "targets", "taliban") not in claims(reader, text)


def test_a_new_name_of_unknown_kind_is_no_territory(reader: Reader) -> None:
    text = "The Sabr Brothers attacked IS-K. In 2023 IS-K captured the town from the Sabr Brothers."
    assert ("isk", "controlsTerritoryIn", "sabr-brothers") not in claims(reader, text)


def test_a_prepositions_object_is_the_name_right_after_it(reader: Reader) -> None:
    text = "TTP is a branch of a Deobandi movement and has attacked both IS-K and the Taliban."
    found = claims(reader, text)
    assert ("ttp", "targets", "isk") in found
    assert not any(r == "affiliateOf" for _, r, _ in found)


def test_they_and_each_other_are_the_last_two_parties(reader: Reader) -> None:
    text = "TTP and IS-K shared recruits until 2018, but they have fought each other since 2019."
    tie = next(c for c in reader.read(text).candidates if c.relation in ("targets", "hostileTo"))
    assert {tie.subject, tie.object} == {"ttp", "isk"} and tie.valid_from == "2019"


def test_a_mutual_relation_is_proposed_once_for_a_pair(reader: Reader) -> None:
    found = reader.read("TTP and IS-K cooperated closely in Kunar.").candidates
    assert len([c for c in found if c.relation == "cooperatesWith"]) == 1


def test_a_party_denying_any_deed(reader: Reader) -> None:
    tie = only(reader, "TTP denies any coordination with IS-K.")
    assert (tie.subject, tie.relation, tie.object) == ("ttp", "cooperatesWith", "isk")
    assert (tie.stance, tie.asserted_by) == ("Denied", "ttp")


def test_an_actor_in_an_aside_is_not_the_subject(reader: Reader) -> None:
    text = "In 2023 TTP fighters, reportedly with Iran's help, ambushed a Taliban convoy."
    found = claims(reader, text)
    assert ("ttp", "targets", "taliban") in found
    assert ("iran", "targets", "taliban") not in found


def test_irregular_forms_of_cue_verbs(reader: Reader) -> None:
    tie = only(reader, "Mullah Akhtar has led TTP since the split of March 2014.")
    assert (tie.relation, tie.object, tie.valid_from) == ("leads", "ttp", "2014-03")
    assert (
        claims(reader, "The strike led to a rift between TTP and IS-K.") & {("ttp", "leads", "isk")}
        == set()
    )


def test_a_singular_of_a_plural_name_before_a_noun_is_the_group(reader: Reader) -> None:
    text = (
        "Harakat al-Nur, better known as the Nurists, attacked TTP. "
        "Iran trains Nurist engineers, analysts suspect."
    )
    tie = next(c for c in reader.read(text).candidates if c.subject == "iran")
    assert (tie.relation, tie.object) == ("supports", "harakat-al-nur")


def test_a_suspicion_is_hedged(reader: Reader) -> None:
    tie = only(reader, "Some analysts suspect that Iran funds TTP.")
    assert (tie.stance, tie.asserted_by) == ("Hedged", "some-analysts")


def test_a_country_opening_the_next_sentence_is_a_state(reader: Reader) -> None:
    text = "Algeria closed its border with Libya. France now cooperates with TTP."
    assert ("france", "cooperatesWith", "ttp") in claims(reader, text)


def test_although_a_party_denies_it_is_disputed_by_it(reader: Reader) -> None:
    tie = only(reader, "Analysts suspect that Tehran funds TTP, although Iran denies it.")
    assert tie.stance == "Disputed" and tie.contested_by == (
        "https://w3id.org/actorgraph/actor/iran",
    )


def test_an_accusers_own_deed_before_the_accusation_is_the_authors(reader: Reader) -> None:
    text = "TTP holds the valley, and it has attacked civilians it accuses of helping IS-K."
    found = {(c.subject, c.relation, c.object): c.asserted_by for c in reader.read(text).candidates}
    assert found.get(("ttp", "targets", "civilians")) == "a-reporter"
    assert found.get(("civilians", "supports", "isk")) == "ttp"


def test_a_pronoun_after_a_colon_starts_a_clause_of_its_own(reader: Reader) -> None:
    text = (
        "The Taliban raided Kunar in 2021. "
        "The raids did not weaken the militants: they help both TTP and IS-K recruit."
    )
    assert not any(s == "taliban" and r == "supports" for s, r, _ in claims(reader, text))


def test_a_persons_surname_names_them_again(reader: Reader) -> None:
    text = "TTP, led by Qari Mehsud, attacked IS-K. Iran backs Mehsud's fighters."
    assert proposed(reader, text)["Qari Mehsud"][0] == "Person"
    assert ("iran", "supports", "qari-mehsud") in claims(reader, text)


def test_partner_and_backer_are_cues(reader: Reader) -> None:
    text = "Iran, once a close partner of TTP, has been quiet since 2021."
    tie = only(reader, text)
    assert (tie.subject, tie.relation, tie.object, tie.valid_from) == (
        "iran",
        "cooperatesWith",
        "ttp",
        None,
    )


def test_an_actor_in_an_appositive_aside_is_not_the_subject(reader: Reader) -> None:
    text = "Iran, formerly a backer of TTP, now cooperates with the Taliban."
    found = claims(reader, text)
    assert {("iran", "supports", "ttp"), ("iran", "cooperatesWith", "taliban")} <= found
    assert ("ttp", "cooperatesWith", "taliban") not in found


def test_a_party_said_to_act_is_no_speaker(reader: Reader) -> None:
    tie = only(reader, "Iran is widely reported to arm TTP, a charge Tehran denies.")
    assert (tie.subject, tie.relation, tie.object) == ("iran", "supports", "ttp")
    assert tie.asserted_by == "a-reporter" and tie.stance == "Disputed"


def test_a_cue_verbs_noun_after_an_article_is_no_cue() -> None:
    from actorgraph.ingest import _phrases

    pattern = _phrases(["charged"])
    assert pattern.search("they charge him") and not pattern.search("a charge that")


def test_a_by_phrase_cue_is_passive_and_its_aside_keeps_its_own_dates(reader: Reader) -> None:
    text = "TTP, commanded by Qari Mehsud, has fought IS-K since May 2021."
    found = {(c.subject, c.relation, c.object): c for c in reader.read(text).candidates}
    leads = found[("qari-mehsud", "leads", "ttp")]
    assert (leads.valid_from, leads.attested_at) == (None, None)
    assert found[("ttp", "targets", "isk")].valid_from == "2021-05"  # fighting: R1


def test_a_possessors_unit_is_part_of_the_possessor(reader: Reader) -> None:
    found = claims(reader, "Russia's Zeta Legion attacked TTP.")
    assert ("zeta-legion", "partOf", "russia") in found


def test_an_actor_opening_a_coordinated_clause_is_not_the_cues_object(reader: Reader) -> None:
    text = "Pakistan wants to protect its partners, and Iran wants a free hand in Herat."
    assert ("pakistan", "cooperatesWith", "iran") not in claims(reader, text)


def test_a_participle_clauses_object_is_not_the_cues(reader: Reader) -> None:
    text = "IS-K recruits heavily among herders, exploiting grievances against TTP."
    assert ("isk", "recruitsFrom", "ttp") not in claims(reader, text)


def test_another_name_with_an_arabic_article(reader: Reader) -> None:
    text = (
        "Jamaat Ansar al-Nusra, better known as al-Nusra, attacked TTP in 2020. "
        "Al-Nusra and IS-K have clashed repeatedly since 2021."
    )
    assert proposed(reader, text)["Jamaat Ansar al-Nusra"][1] == ["al-Nusra"]
    tie = next(c for c in reader.read(text).candidates if c.object == "isk")
    assert (tie.subject, tie.relation, tie.valid_from) == (
        "jamaat-ansar-al-nusra",
        "hostileTo",
        "2021",
    )


def test_a_party_accused_in_the_passive_is_no_accuser(reader: Reader) -> None:
    tie = only(reader, "Iran is accused of arming TTP; Tehran denies the charge.")
    assert (tie.subject, tie.relation, tie.object) == ("iran", "supports", "ttp")
    assert tie.asserted_by == "unnamed-source" and tie.stance == "Disputed"


def test_according_to_a_compound_name_is_its_head(reader: Reader) -> None:
    text = "The United States has struck TTP positions since 2017, according to U.S. Zeta Command."
    tie = only(reader, text)
    assert (tie.subject, tie.relation, tie.object) == ("united-states", "targets", "ttp")
    assert tie.asserted_by == "zeta-command"


def test_a_conflict_noun_after_the_pair_is_no_mutual_verb(reader: Reader) -> None:
    found = claims(reader, "Iran and Pakistan cut ties with TTP after the ambush.")
    assert not {r for s, r, o in found if o == "ttp" and r in ("targets", "hostileTo")}


def test_a_states_army_or_government_by_its_demonym(reader: Reader) -> None:
    text = "The Chadian army attacked TTP in 2021, and the Nigerien junta funds IS-K."
    found = proposed(reader, text)
    assert found["Chadian army"][0] == "GovernmentAgency"
    assert found["Nigerien junta"][0] == "Government"
    assert {("chadian-army", "targets", "ttp"), ("nigerien-junta", "supports", "isk")} <= claims(
        reader, text
    )


def test_an_object_relative_clause_names_the_object(reader: Reader) -> None:
    text = "IS-K fought the Zeta Brigade, a small militia that Iran reportedly armed."
    tie = next(c for c in reader.read(text).candidates if c.subject == "iran")
    assert (tie.relation, tie.object, tie.stance) == ("supports", "zeta-brigade", "Hedged")


@pytest.mark.parametrize(
    ("sentence", "party"),
    [
        ("The UN concluded that Pakistan backed the Haqqani Network.", "united-nations"),
        ("Independent monitors found that Pakistan backed the Haqqani Network.", "unnamed-source"),
        ("Investigators documented that Pakistan backed the Haqqani Network in 2019.", None),
    ],
)
def test_a_finding_another_party_reports_is_that_partys_claim(
    reader: Reader, sentence: str, party: str | None
) -> None:
    found = only(reader, sentence)
    assert (found.subject, found.relation, found.object) == (
        "pakistan",
        "supports",
        "haqqani-network",
    )
    assert found.asserted_by_iri != AUTHOR  # the source reports it; it does not assert it
    if party:
        assert found.asserted_by_iri.endswith("/" + party)


def test_a_short_form_two_states_share_names_neither(reader: Reader) -> None:
    """ "Congo" is the Republic of the Congo's short form and the common one of its neighbour,
    the Democratic Republic of the Congo: a text naming "Congo" alone is not read as either."""
    reading = reader.read("Rwanda backs the rebels in Congo. Rwanda backs the DRC's rivals.")
    named = {c.object for c in reading.candidates} | {m.actor for m in reading.mentions}
    named |= set(reading.proposed) | {p.label for p in reading.proposed.values()}
    wrong = ("republic-of-the-congo", "Republic of the Congo")
    assert not [n for n in named if n.rsplit("/", 1)[-1] in wrong]


@pytest.mark.parametrize(
    ("sentence", "body"),
    [
        ("Turkish forces attacked the TTP in 2020.", "turkish-forces"),
        ("Rwandan troops backed the TTP.", "rwandan-troops"),
        ("Pakistani soldiers attacked the TTP.", "pakistani-soldiers"),
    ],
)
def test_a_states_forces_named_by_its_demonym_are_a_party(
    reader: Reader, sentence: str, body: str
) -> None:
    found = only(reader, sentence)
    assert (found.subject, found.object) == (body, "ttp")


@pytest.mark.parametrize(
    "sentence",
    ["The Haqqani Network is a proxy of Pakistan.", "The Haqqani Network is a client of Pakistan."],
)
def test_a_proxy_or_client_of_a_patron_is_sponsored_by_it(reader: Reader, sentence: str) -> None:
    found = only(reader, sentence)
    assert (found.subject, found.relation, found.object) == (
        "pakistan",
        "sponsors",
        "haqqani-network",
    )
