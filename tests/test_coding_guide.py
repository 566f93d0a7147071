"""Each rule of docs/coding-guide.md, checked on the bundled graph (rule ids in the test names)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import direct_edges, relation_twins

from actorgraph import ActorGraph, Basis, Polarity, Stance, Statement, UnknownActorError
from actorgraph.bundled import graph_dir

ACT = "https://w3id.org/actorgraph/actor/"
AG = "https://w3id.org/actorgraph/ontology#"
GUIDE = (Path(__file__).resolve().parents[1] / "docs" / "coding-guide.md").read_text("utf-8")
SOURCE = (graph_dir() / "sources" / "usip-2021-isk-resurgence.txt").read_text("utf-8")
ARTICLE = SOURCE[: SOURCE.index("Related Publications")]
AUTHOR_VOICE = {"asfandyar-mir", "usip"}  # the source's creator and publisher


@pytest.fixture(scope="module")
def kg() -> ActorGraph:
    return ActorGraph.load()


@pytest.fixture(scope="module")
def statements(kg: ActorGraph) -> dict[str, Statement]:
    return {s.id: s for s in kg.statements()}


def short(iri: str) -> str:
    return iri.rsplit("/", 1)[1]


def ask(kg: ActorGraph, pattern: str) -> bool:
    return bool(kg.sparql(f"ASK {{ {pattern} }}").column("result")[0])


# ---------------------------------------------------------------- the guide itself


def test_every_rule_a_note_cites_is_in_the_guide(statements: dict[str, Statement]) -> None:
    cited = {
        rule
        for s in statements.values()
        for rule in re.findall(r"\b([BSPRTNWE]\d+)\b", s.note or "")
    }
    defined = set(re.findall(r"^\*\*([A-Z]\d+) —", GUIDE, flags=re.MULTILINE))
    assert cited and cited <= defined, cited - defined


def test_E2_every_note_cites_a_rule(statements: dict[str, Statement]) -> None:
    # a note is written only for a decision a reader could question, and cites its rules
    uncited = [
        i for i, s in statements.items() if s.note and not re.search(r"\b[BSPRTNWE]\d+\b", s.note)
    ]
    assert uncited == []


# ---------------------------------------------------------------- direct edges


def test_every_direct_edge_is_a_stated_positive_claim_in_the_sources_own_voice(
    kg: ActorGraph, statements: dict[str, Statement]
) -> None:
    twins = relation_twins(kg)
    licensed = set()
    for s in statements.values():
        if (
            s.stance is Stance.ASSERTED
            and s.basis is Basis.STATED
            and s.polarity is Polarity.POSITIVE
            and s.asserted_by in AUTHOR_VOICE
        ):
            edge = (ACT + s.subject, AG + s.relation, ACT + s.object)
            licensed.add(edge)
            licensed.update((edge[2], t, edge[0]) for p, t in twins if p == edge[1])
    direct = direct_edges(kg)
    assert direct == licensed


# ---------------------------------------------------------------- basis


def test_B1_inferred_claims_are_kept_marked_and_off_the_direct_edges(
    kg: ActorGraph, statements: dict[str, Statement]
) -> None:
    omar = statements["mullah-omar-leads-taliban"]
    assert (omar.basis, omar.valid_until) == (Basis.INFERRED, "2015")
    assert not ask(kg, "act:mullah-omar ag:leads act:taliban")
    assert kg.query("leaders", actor="Taliban", parts=False).dicts() == []
    inferred = {i for i, s in statements.items() if s.basis is Basis.INFERRED}
    assert {
        "isk-perpetrated-kabul-airport-bombing",
        "isk-hostileTo-shias",
        "joe-biden-leads-us-government",
        "us-government-hostileTo-al-qaeda",
    } <= inferred
    assert all(statements[i].note for i in inferred)


def test_B2_open_questions_assert_nothing(kg: ActorGraph, statements: dict[str, Statement]) -> None:
    question = statements["taliban-cooperatesWith-isk-question"]
    assert question.basis is Basis.OPEN_QUESTION and question.note
    assert question.evidence.quote.startswith("One recurring question is if")
    option = statements["us-government-cooperatesWith-taliban-option"]
    assert option.basis is Basis.OPEN_QUESTION and option.against == ("isk",)
    assert not ask(kg, "act:taliban ag:cooperatesWith act:isk")
    # "Much will depend on … if they can mount effective counterinsurgency operations": another
    # sentence's question, another statement (W1)
    depends = statements["taliban-targets-isk-counterinsurgency-question"]
    assert (depends.basis, depends.object) == (Basis.OPEN_QUESTION, "isk")
    rows = kg.query("cooperation", actor="Taliban", parts=False).dicts()
    assert "taliban-cooperatesWith-isk-question" not in {
        r["statement"].rsplit("/", 1)[1] for r in rows
    }


def test_B2_what_an_option_predicts_is_part_of_the_option(
    kg: ActorGraph, statements: dict[str, Statement]
) -> None:
    predicted = {  # the "do nothing" option: its expected campaign and its risks
        "taliban-targets-isk-expected": Polarity.POSITIVE,
        "united-states-supports-taliban-do-nothing": Polarity.NEGATIVE,  # "without … support"
        "isk-targets-taliban-gains": Polarity.POSITIVE,
        "isk-competesWith-al-qaeda": Polarity.POSITIVE,
        "taliban-cooperatesWith-al-qaeda-campaign": Polarity.POSITIVE,
        "taliban-criticizes-us-military": Polarity.POSITIVE,  # a reaction to the first option
    }
    for sid, polarity in predicted.items():
        found = statements[sid]
        assert (found.basis, found.stance, found.polarity) == (
            Basis.OPEN_QUESTION, Stance.HEDGED, polarity
        ), sid  # fmt: skip
    rows = kg.query("cooperation", actor="Taliban").dicts()
    assert "taliban-cooperatesWith-al-qaeda-campaign" not in {
        r["statement"].rsplit("/", 1)[1] for r in rows
    }
    # the same passage's own present is not part of the option
    assert statements["isk-targets-taliban"].basis is Basis.STATED  # "is gearing up"
    assert statements["al-qaeda-alignedWith-taliban-2"].basis is Basis.STATED  # "their … allies"


def test_B3_the_interviewers_premise_is_disputed_by_the_answer(
    statements: dict[str, Statement],
) -> None:
    premise = statements["united-states-cooperatesWith-taliban-question"]
    assert (premise.stance, premise.asserted_by, premise.contested_by) == (
        Stance.DISPUTED, "usip", ("asfandyar-mir",)
    )  # fmt: skip


# ---------------------------------------------------------------- stance and attribution

_HEDGES = re.compile(
    r"\b(may|might|could|can|likely|plausibl\w*|appears?|suggests?|possib\w*|at best)\b", re.I
)


def test_S2_every_hedge_has_its_cue_or_a_note(statements: dict[str, Statement]) -> None:
    for s in statements.values():
        if s.stance is Stance.HEDGED:
            text = f"{s.evidence.quote} {s.evidence.context}"
            assert _HEDGES.search(text) or re.search(r"\bS[25]\b", s.note or ""), s.id
    assert (
        statements["taliban-cooperatesWith-us-government"].stance is Stance.ASSERTED
    )  # "to an extent"
    assert statements["united-states-hostileTo-isk"].stance is Stance.HEDGED  # under "could"
    shared = statements["taliban-sharesInterestsWith-united-states"]  # "both … a vested interest"
    assert (shared.stance, shared.against) == (Stance.HEDGED, ("isk",))


def test_S3_disputed_claims_name_who_contests_them(statements: dict[str, Statement]) -> None:
    disputed = {i: s for i, s in statements.items() if s.stance is Stance.DISPUTED}
    assert disputed and all(s.contested_by for s in disputed.values())
    haqqani = disputed["isk-cooperatesWith-haqqani-network-alleged"]
    assert (haqqani.asserted_by, haqqani.contested_by) == (
        "former-afghan-government",
        ("us-government",),
    )


def test_S4_denial_is_a_partys_rejection_not_the_authors_negative(
    statements: dict[str, Statement],
) -> None:
    denied = [s for s in statements.values() if s.stance is Stance.DENIED]
    assert [(s.id, s.asserted_by) for s in denied] == [
        ("isk-alignedWith-taliban-doubted", "united-nations")
    ]
    assert "cast doubt" in denied[0].evidence.quote


@pytest.mark.parametrize(
    ("statement", "party"),
    [
        ("us-military-supports-taliban-press", "press-reporting"),
        ("us-military-supports-taliban-radio", "press-reporting"),  # the report continues
        ("isk-hostileTo-taliban-biden", "joe-biden"),
        ("isk-elements-cooperatesWith-taliban-elements-localized", "united-nations"),
        ("united-states-hostileTo-isk", "usip"),  # the lede, before the first question
        ("taliban-sharesInterestsWith-united-states", "usip"),
        ("haqqani-network-subGroupOf-taliban", "asfandyar-mir"),  # an apposition, the author's
        ("isk-recruitsFrom-taliban-defectors", "some-analysts"),
        ("us-government-sponsors-taliban", "isk"),  # IS-K's framing
        ("tajik-nationals-targets-us-military", "german-government"),  # the charge's allegation
        ("nangarhar-locatedIn-eastern-afghanistan", "usip"),  # a caption
        ("isk-hostileTo-taliban-intro", "usip"),  # the introduction
    ],
)
def test_S5_who_asserts(statements: dict[str, Statement], statement: str, party: str) -> None:
    assert statements[statement].asserted_by == party


def test_S6_what_a_reported_belief_presupposes_is_the_reporting_partys(
    statements: dict[str, Statement],
) -> None:
    for sid in ("isk-recruitsFrom-taliban-defectors", "isk-recruitsFrom-haqqani-network"):
        found = statements[sid]  # "Some analysts believe that IS-K’s cooptation of …"
        assert (found.asserted_by, found.stance, found.basis) == (
            "some-analysts", Stance.ASSERTED, Basis.STATED
        )  # fmt: skip


def test_S6_R6_a_presupposition_the_author_states_is_covered_by_the_authors_statement(
    kg: ActorGraph, statements: dict[str, Statement]
) -> None:
    # "Press reporting suggests that the U.S. military supported the Taliban’s targeting of IS-K":
    # the author states the Taliban's targeting in its own voice, so only the support is reported
    reported = {s.id: s for s in statements.values() if s.asserted_by == "press-reporting"}
    assert {s.relation for s in reported.values()} == {"supports", "cooperatesWith"}
    assert all(s.subject == "us-military" for s in reported.values())
    own = {
        s.id
        for s in kg.statements(subject="Taliban", relation="targets", object="IS-K", parts=False)
        if s.asserted_by == "asfandyar-mir" and s.basis is Basis.STATED
    }
    assert {"taliban-targets-isk-2016-2020", "taliban-targets-isk-helped"} <= own
    press = kg.query("profile", actor="press reporting").dicts()
    assert [r["makes"] for r in press] == [3]


def test_S7_the_reason_a_party_gives_is_its_claim(
    kg: ActorGraph, statements: dict[str, Statement]
) -> None:
    # "punish the Iranian government for being a “vanguard” of Shias"
    vanguard = statements["iranian-government-leads-shias"]
    assert (vanguard.relation, vanguard.asserted_by, vanguard.basis, vanguard.attested_at) == (
        "leads", "isk", Basis.STATED, "2015"
    )  # fmt: skip
    assert not ask(kg, "act:iranian-government ag:leads act:shias")  # not the source's own
    assert statements["isk-hostileTo-iranian-government"].asserted_by == "asfandyar-mir"


# ---------------------------------------------------------------- polarity


def test_P1_negative_content_is_asserted_and_never_an_edge(
    kg: ActorGraph, statements: dict[str, Statement]
) -> None:
    negated = {i: s for i, s in statements.items() if s.polarity is Polarity.NEGATIVE}
    assert set(negated) == {
        "taliban-base-cooperatesWith-us-government",
        "united-states-supports-taliban-do-nothing",
        "us-military-supports-taliban-act-alone",
        "us-military-cooperatesWith-taliban-press",  # "without coordinating with the Taliban"
        "us-military-cooperatesWith-taliban-option",  # the option that continues it (B2)
    }
    assert negated["taliban-base-cooperatesWith-us-government"].stance is Stance.ASSERTED
    assert not ask(kg, "act:taliban-base ag:cooperatesWith act:us-government")
    assert not ask(kg, "act:united-states ag:supports act:taliban")
    uncoordinated = negated["us-military-cooperatesWith-taliban-press"]
    assert (uncoordinated.stance, uncoordinated.asserted_by, uncoordinated.against) == (
        Stance.HEDGED, "press-reporting", ("isk",)
    )  # fmt: skip
    option = negated["us-military-cooperatesWith-taliban-option"]  # "remains one option" (B2)
    assert (option.basis, option.against) == (Basis.OPEN_QUESTION, ("isk",))
    assert option.evidence.quote == statements["us-military-supports-taliban-option"].evidence.quote


# ---------------------------------------------------------------- relations


def test_R1_enmity_and_attacks_are_told_apart(statements: dict[str, Statement]) -> None:
    assert statements["isk-hostileTo-hazaras"].relation == "hostileTo"  # an aim: "punishing"
    assert statements["isk-hostileTo-civilians"].relation == "hostileTo"  # "Advocating for"
    assert statements["isk-targets-civilians"].relation == "targets"  # "civilian targeting"
    assert statements["isk-targets-taliban"].relation == "targets"  # "gearing up for a campaign"
    focus = statements["isk-hostileTo-international-community"]  # "a strong local focus … against"
    assert focus.relation == "hostileTo"
    assert not [s for s in statements.values() if (s.relation, s.object) == (
        "targets", "international-community"
    )]  # fmt: skip


def test_R2_criticism_is_not_hostility(statements: dict[str, Statement]) -> None:
    assert statements["isk-criticizes-taliban"].evidence.quote.endswith(
        "framing the Taliban as craven"
    )
    assert statements["taliban-salafi-critics-criticizes-taliban"].relation == "criticizes"
    objection = statements["taliban-criticizes-us-military"]  # "may oppose it": an option's
    assert (objection.stance, objection.basis) == (Stance.HEDGED, Basis.OPEN_QUESTION)


def test_R3_a_charge_is_legal_action_not_an_attack(kg: ActorGraph) -> None:
    relations = {
        s.relation
        for s in kg.statements(subject="German government", object="four Tajik nationals")
    }
    assert relations == {"prosecutes"}


def test_R4_support_is_deliberate(kg: ActorGraph, statements: dict[str, Statement]) -> None:
    assert kg.statements(subject="Afghan military", relation="supports") == []
    air = statements["us-military-supports-taliban-until-2019"]
    assert (air.against, air.valid_until) == (("isk",), "2019")
    operations = statements["afghan-military-targets-isk-until-2019"]  # not help: its own acts
    assert (operations.basis, operations.valid_until, operations.attested_at) == (
        Basis.INFERRED, None, "2019"
    )  # fmt: skip


def test_R5_R6_us_taliban_ties_are_against_isk(kg: ActorGraph) -> None:
    ties = [
        s
        for s in kg.statements(subject="United States", object="Taliban")
        if s.relation
        in ("supports", "cooperatesWith", "tacitlyCooperatesWith", "sharesInterestsWith")
    ]
    assert len(ties) >= 6
    assert all(s.against == ("isk",) for s in ties), [s.id for s in ties if s.against != ("isk",)]
    uncoordinated = [s for s in ties if "radio" in s.evidence.quote]
    assert [s.relation for s in uncoordinated] == ["supports"]


def test_R7_leadership_names_who_leads_and_ends_when_past(kg: ActorGraph) -> None:
    rows = kg.query("leaders", actor="Taliban").dicts()
    assert [(r["actor"], r["other"]) for r in rows] == [
        (ACT + "taliban-security-sector", ACT + "senior-haqqani-members")
    ]


def test_R12_a_leader_named_indefinitely_is_a_member_not_the_leader(kg: ActorGraph) -> None:
    rows = kg.query("leaders", actor="IS-K").dicts()
    assert [(short(r["other"]), short(r["statement"])) for r in rows] == [
        ("shahab-al-muhajir", "shahab-al-muhajir-leads-isk")  # "current IS-K leader"
    ]
    (member,) = kg.statements(subject="an IS-K leader in Afghanistan", object="IS-K")
    assert (member.relation, member.asserted_by) == ("memberOf", "german-government")


def test_R11_mmp_and_baad_apply_between_armed_groups(kg: ActorGraph) -> None:
    rows = kg.query("categories").dicts()
    armed = {a.iri for a in kg.actors(kind="ArmedGroup")}
    assert rows and all(r["subject"] in armed and r["object"] in armed for r in rows)
    assert not ask(kg, "ag:tacitlyCooperatesWith ag:baadCategory ?c")
    assert not ask(kg, "ag:affiliateOf ag:baadCategory ?c")


def test_R13_partners_acting_together_each_act(
    kg: ActorGraph, statements: dict[str, Statement]
) -> None:
    # "The United States and the Taliban have worked together in the past to fight IS-K": the
    # answer ("at best, tacit") disputes the working together, not the fighting
    assert statements["united-states-cooperatesWith-taliban-question"].stance is Stance.DISPUTED
    for sid in ("united-states-targets-isk-question", "taliban-targets-isk-question"):
        found = statements[sid]
        assert (found.relation, found.stance, found.asserted_by, found.basis) == (
            "targets", Stance.ASSERTED, "usip", Basis.STATED
        ), sid  # fmt: skip
    assert ask(kg, "act:united-states ag:targets act:isk")
    # "works with the Taliban for joint targeting of IS-K": an option, like its cooperation
    for sid in ("us-government-targets-isk-option", "taliban-targets-isk-option"):
        assert statements[sid].basis is Basis.OPEN_QUESTION, sid
    # "“cooperation” against IS-K was, at best, tacit" names no act done together
    tacit = statements["united-states-tacitlyCooperatesWith-taliban"].evidence.context
    same_sentence = [s.relation for s in statements.values() if s.evidence.context == tacit]
    assert same_sentence == ["tacitlyCooperatesWith"]


def test_R14_opposition_in_a_name_is_hostility_beside_the_criticism(
    statements: dict[str, Statement],
) -> None:
    rejection = statements["isk-hostileTo-taliban-rejectionist"]
    criticism = statements["isk-criticizes-taliban"]  # "by framing the Taliban as craven"
    assert rejection.evidence.quote.endswith("a Taliban-rejectionist movement")
    assert (rejection.asserted_by, rejection.evidence.context) == (
        "asfandyar-mir", criticism.evidence.context
    )  # fmt: skip


def test_R15_a_tie_against_a_kind_of_actor_names_the_kind(
    kg: ActorGraph, statements: dict[str, Statement]
) -> None:
    refusal = statements["taliban-base-cooperatesWith-us-government"]
    assert refusal.against == ("jihadi-groups",) and refusal.polarity is Polarity.NEGATIVE
    assert refusal.evidence.quote.endswith("against any jihadi group")
    assert kg.actor("jihadi groups").kind == "ActorGroup"


def test_R16_an_actor_counted_among_a_group_of_actors_is_a_member(kg: ActorGraph) -> None:
    # "Afghans who worked with the U.S. government and others in the international community"
    members = kg.statements(relation="memberOf", object="international community", parts=False)
    assert [(s.subject, s.basis) for s in members] == [("us-government", Basis.STATED)]
    assert ask(kg, "act:us-government ag:memberOf act:international-community")


def test_R17_whom_an_insurgent_group_fights_is_inferred(
    kg: ActorGraph, statements: dict[str, Statement]
) -> None:
    insurgency = statements["ttp-targets-pakistani-government"]  # "Pakistani insurgent group"
    assert (insurgency.basis, insurgency.valid_from, insurgency.attested_at) == (
        Basis.INFERRED, None, None
    )  # fmt: skip
    assert not ask(kg, "act:ttp ag:targets act:pakistani-government")
    assert statements["ttp-operatesIn-pakistan"].basis is Basis.STATED


# ---------------------------------------------------------------- time


def test_T1_T3_every_date_the_quote_does_not_give_is_explained(
    statements: dict[str, Statement],
) -> None:
    for s in statements.values():
        for date in (s.valid_from, s.valid_until, s.attested_at):
            if date and date[:4] not in s.evidence.quote:
                assert s.note and re.search(r"\bT[1-6]\b", s.note), (s.id, date)


def test_T2_periods_end_where_the_text_says(
    kg: ActorGraph, statements: dict[str, Statement]
) -> None:
    assert statements["isk-controlsTerritoryIn-nangarhar"].valid_until == "2020"
    assert statements["isk-hostileTo-iran"].valid_until == "2017"
    now = {r["statement"].rsplit("/", 1)[1] for r in kg.query("valid-at", date="2021-09").dicts()}
    ended = {"isk-controlsTerritoryIn-nangarhar", "isk-hostileTo-pakistan", "isk-hostileTo-iran"}
    assert now and not now & ended


@pytest.mark.parametrize(
    "statement",
    [
        "isk-recruitsFrom-ttp",
        "isk-recruitsFrom-al-qaeda",
        "isk-recruitsFrom-taliban",
        "isk-recruitsFrom-salafis-eastern-afghanistan",  # "It also tapped into …"
    ],
)
def test_T3_to_this_end_dates_the_recruitment_it_introduces(
    statements: dict[str, Statement], statement: str
) -> None:
    found = statements[statement]
    assert (found.valid_from, found.valid_until, found.attested_at) == (None, None, "2015")


def test_T3_words_that_only_identify_a_group_are_not_dated_by_the_anchor(
    statements: dict[str, Statement],
) -> None:
    found = statements["al-qaeda-operatesIn-afghanistan"]  # "al-Qaeda in Afghanistan and Pakistan"
    assert (found.valid_from, found.valid_until, found.attested_at) == (None, None, None)


@pytest.mark.parametrize(
    "statement", ["isk-hostileTo-taliban-since-2017", "isk-hostileTo-afghan-religious-minorities"]
)
def test_T1_T4_at_least_since_is_a_lower_bound_not_a_start(
    kg: ActorGraph, statements: dict[str, Statement], statement: str
) -> None:
    found = statements[statement]  # "At least since 2017, … overtaken by a … anti-Taliban … agenda"
    assert (found.valid_from, found.valid_until, found.attested_at) == (None, None, "2017")
    began = {short(c["statement"]) for c in kg.changes("2016", "2018") if c["change"] == "began"}
    assert statement not in began


def test_T4_the_captions_date_is_an_attested_date(statements: dict[str, Statement]) -> None:
    caption = statements["isk-operatesIn-nangarhar-caption"]
    assert (caption.subject, caption.attested_at, caption.valid_from) == ("isk", "2019-02-15", None)


def test_T7_a_date_belongs_to_the_clause_it_modifies(
    kg: ActorGraph, statements: dict[str, Statement]
) -> None:
    help_ = statements["us-military-supports-taliban-until-2019"]
    helped = statements["taliban-targets-isk-helped"]  # "helped the Taliban target IS-K"
    assert (help_.valid_until, help_.attested_at) == ("2019", None)
    assert (helped.valid_until, helped.attested_at) == (None, "2019")
    ended = {short(c["statement"]) for c in kg.changes("2018", "2020") if c["change"] == "ended"}
    assert "us-military-supports-taliban-until-2019" in ended
    assert not {i for i in ended if statements[i].subject == "taliban"}
    operations = statements["afghan-military-targets-isk-until-2019"]  # beside the help (R4)
    assert (operations.valid_until, operations.attested_at) == (None, "2019")
    plots = statements["isk-targets-europe"]  # "Since 2018, the United Nations has reported …"
    assert (plots.valid_from, plots.valid_until, plots.attested_at) == (None, None, None)
    civilians = statements["isk-targets-civilians"]  # not the 2016–2020 pressure's period
    assert (civilians.valid_from, civilians.valid_until) == (None, None)


@pytest.mark.parametrize(
    "statement",
    [
        "taliban-governmentOf-afghanistan",  # "the new Taliban government"
        "shahab-al-muhajir-leads-isk",  # "current IS-K leader"
        "isk-hostileTo-international-community",  # "currently"
        "taliban-cooperatesWith-pakistan",  # "back in power"
        "isk-targets-taliban",  # "is gearing up"
        "international-community-operatesIn-afghanistan",  # "remaining"
        "al-qaeda-alignedWith-taliban",  # "remain aligned"
    ],
)
def test_T5_the_articles_present_is_its_month(
    statements: dict[str, Statement], statement: str
) -> None:
    found = statements[statement]
    assert (found.valid_from, found.valid_until, found.attested_at) == (None, None, "2021-09")


# ---------------------------------------------------------------- nodes


def test_N1_a_state_includes_its_organs(kg: ActorGraph) -> None:
    assert [a.id for a in kg.parts("United States")] == [
        "united-states",
        "us-government",
        "us-military",
    ]
    rows = kg.query("enemies", actor="United States").dicts()
    assert {r["actor"].rsplit("/", 1)[1] for r in rows} == {
        "united-states",
        "us-government",
        "us-military",
    }
    alone = kg.query("enemies", actor="United States", parts=False).dicts()
    assert {r["actor"] for r in alone} == {ACT + "united-states"}
    assert kg.parts("Haqqani Network") == [kg.actor("Haqqani Network")]  # a faction is no organ


def test_N1_a_leaders_strategy_for_the_group_is_the_groups_act(
    statements: dict[str, Statement],
) -> None:
    kabul = statements["isk-targets-kabul"]  # "current IS-K leader … targeting … Kabul"
    assert (kabul.subject, kabul.valid_from) == ("isk", "2020-05")
    assert kabul.note and "N1" in kabul.note


def test_N2_every_country_is_one_state(kg: ActorGraph) -> None:
    states = {a.id for a in kg.actors(kind="State")}
    assert {
        "afghanistan",
        "iraq",
        "syria",
        "pakistan",
        "iran",
        "germany",
        "united-states",
    } <= states
    assert kg.actor("al-Sadiq office").kind == "OrganisationalUnit"
    assert all(a.kind != "GovernmentAgency" for a in kg.parts("ISIS"))


def test_N3_communities_and_groups_of_individuals(kg: ActorGraph) -> None:
    assert {a.id for a in kg.actors(kind="Community")} == {
        "afghan-minority-groups", "afghan-religious-minorities", "civilians", "hazaras",
        "salafis-eastern-afghanistan", "shias",
    }  # fmt: skip
    assert kg.actor("international community").kind == "ActorGroup"
    assert kg.actor("Taliban defectors").kind == "PersonGroup"


def test_S6_N3_definitions_say_no_more_than_the_text(kg: ActorGraph) -> None:
    # reference data speaks in the graph's voice: it identifies a node and asserts nothing that
    # the text gives to a party (S6: the Haqqani origin of the defectors is some analysts')
    query = "SELECT ?d WHERE { act:taliban-defectors skos:definition ?d }"
    (definition,) = kg.sparql(query).column("d")
    assert "Haqqani" not in definition and "fighters" not in definition
    assert "some analysts" in definition


def test_N6_aliases_are_the_texts_own_names_and_search_names_find_actors(kg: ActorGraph) -> None:
    for actor in kg.actors():
        for alias in actor.aliases:
            assert alias in ARTICLE, (actor.id, alias)
    assert kg.actor("U.S. government").aliases == ()  # "U.S. policymakers" are people, not it (N1)
    with pytest.raises(UnknownActorError):
        kg.actor("U.S. policymakers")
    search = [
        ("ISKP", "isk"), ("ISIL-K", "isk"), ("Daesh-Khorasan", "isk"), ("ISIL", "isis"),
        ("Daesh", "isis"), ("Islamic Emirate", "taliban"), ("TTP", "ttp"), ("UN", "united-nations"),
    ]  # fmt: skip
    for name, actor in search:
        assert kg.actor(name).id == actor
        assert name not in kg.actor(name).aliases


# ---------------------------------------------------------------- weight and evidence


def test_W1_one_statement_per_sentence_pair_and_relation(statements: dict[str, Statement]) -> None:
    keys = Counter(
        (s.subject, s.relation, s.object, s.evidence.context) for s in statements.values()
    )
    assert [k for k, n in keys.items() if n > 1] == []


def test_W2_a_background_fact_the_publisher_and_the_author_mention_is_one_statement(
    kg: ActorGraph,
) -> None:
    (government,) = kg.statements(subject="Taliban", relation="governmentOf", parts=False)
    assert (government.object, government.asserted_by) == ("afghanistan", "usip")
    assert government.evidence.quote.endswith("the new Taliban government")
    (bombing,) = kg.statements(subject="IS-K", relation="perpetrated")  # the lede names both
    assert (bombing.asserted_by, bombing.basis, bombing.evidence.start) == (
        "usip", Basis.INFERRED, 0
    )  # fmt: skip
    (takeover,) = kg.statements(subject="Taliban", relation="participatedIn", parts=False)
    assert takeover.evidence.quote == "the Taliban’s takeover of Afghanistan"  # not "their"


@pytest.mark.parametrize(
    ("statement", "quote"),
    [
        ("isk-recruitsFrom-al-qaeda", "To this end, IS-K recruited from"),  # the whole sentence
        ("isk-recruitsFrom-taliban", "To this end, IS-K recruited from"),
        ("us-government-governmentOf-united-states", "the U.S. government"),
        ("former-afghan-government-governmentOf-afghanistan", "the former Afghan government"),
        ("taliban-governmentOf-afghanistan", "Afghanistan’s already precarious"),
        ("german-government-governmentOf-germany", "the German government"),
        ("shahab-al-muhajir-leads-isk", "current IS-K leader Shahab al-Muhajir"),  # not "since May"
        ("nangarhar-locatedIn-eastern-afghanistan", "Nangarhar Province in eastern Afghanistan"),
        ("isk-hostileTo-taliban", "IS-K sees the Taliban as an irreconcilable enemy"),
        ("isk-targets-taliban", "IS-K is gearing up for a campaign against the Taliban"),
        ("isk-recruitsFrom-taliban-defectors", "Some analysts believe that"),  # reported speech
        ("us-military-supports-taliban-press", "Press reporting suggests that"),
        # a date the sentence gives the relation is quoted with it
        ("isk-hostileTo-pakistan", "At least since 2017, its anti-Pakistan"),
        ("isk-hostileTo-iran", "At least since 2017, its anti-Pakistan and anti-Iran"),
        ("isk-recruitsFrom-ttp", "To this end, IS-K recruited from"),
        ("isk-recruitsFrom-isk-prisoners", "After the Taliban’s takeover of Afghanistan, most"),
    ],
)
def test_E1_the_quote_holds_the_subject_the_relation_and_the_object(
    statements: dict[str, Statement], statement: str, quote: str
) -> None:
    found = statements[statement]
    assert found.evidence.quote.startswith(quote)
    if quote[0].islower() or quote.startswith(("IS-K", "Nangarhar")):  # the whole span
        assert found.evidence.quote == quote


def test_E1_quotes_are_verbatim_and_have_their_sentence(statements: dict[str, Statement]) -> None:
    for s in statements.values():
        assert SOURCE[s.evidence.start : s.evidence.end] == s.evidence.quote
        assert s.evidence.context and s.evidence.quote in s.evidence.context


def names(kg: ActorGraph, actor: str) -> list[str]:
    """An actor's names as the sources write them (N6: its label and aliases), lower-cased."""
    found = kg.actor(actor)
    return [plain(name) for name in (found.label, *found.aliases)]


def plain(text: str) -> str:
    return text.replace("’", "'").lower()


# the verbs that open reported speech with its party (S5's list, and S4's "cast doubt")
_REPORTING = (
    r"(?:would argue|observed|notes|suggests|believes?|has (?:also )?(?:cast doubt|reported))"
)


def test_E2_a_party_the_quote_does_not_show_asserting_has_a_note(
    kg: ActorGraph, statements: dict[str, Statement]
) -> None:
    # A claim of a party other than the author or publisher whose quote does not open with that
    # party and its verb (E1: "Press reporting suggests that …") is given to the party by a rule
    # (the report goes on, S5; a group's framing, S5; a presupposition, S6; the reason it gives,
    # S7; a charge, R3): a decision a reader could question, which the note must cite.
    checked, uncited = set(), []
    for s in statements.values():
        if s.asserted_by in AUTHOR_VOICE:
            continue
        party = "|".join(re.escape(n) for n in names(kg, s.asserted_by))
        opening = rf"(?:according to )?(?:the |president )?(?:{party})(?:, [^,]*,)? {_REPORTING}\b"
        if re.match(opening, plain(s.evidence.quote)):
            continue
        checked.add(s.id)
        if not re.search(r"\b(?:S5|S6|S7|R3)\b", s.note or ""):
            uncited.append(s.id)
    assert {
        "us-military-supports-taliban-radio",  # the report goes on
        "us-government-sponsors-taliban",  # IS-K's framing
        "tajik-nationals-targets-nato",  # the charge's allegation
        "senior-is-leaders-leads-isis",  # a phrase inside what the German government notes
        "iranian-government-leads-shias",  # the reason IS-K gives for its aim
    } <= checked
    assert uncited == []


_ANAPHORA = re.compile(r"\b(?:it|its|they|their|them|the group|the two groups|these individuals)\b")


def test_E2_N4_a_party_named_only_by_a_pronoun_has_a_note_saying_who(
    kg: ActorGraph, statements: dict[str, Statement]
) -> None:
    # A quote that holds none of a party's names (N6: the names the sources use) but a pronoun or
    # "the group" names it by coreference (N4), or not at all (B1, E1): the note says who. Events
    # are named by a description, not a name, and are left out.
    checked, uncited = set(), []
    for s in statements.values():
        quote = plain(s.evidence.quote)
        if not _ANAPHORA.search(quote):
            continue
        for party in (s.subject, s.object):
            if kg.actor(party).kind == "Event" or any(n in quote for n in names(kg, party)):
                continue
            checked.add(s.id)
            if not re.search(r"\b(?:N4|B1)\b", s.note or ""):
                uncited.append(s.id)
    assert {
        "isk-participatedIn-isk-emergence",  # "It emerged"
        "isk-hostileTo-taliban-enmity",  # "The enmity between the two groups"
        "isk-elements-cooperatesWith-taliban-elements-localized",  # "elements of the two groups"
    } <= checked
    assert uncited == []
