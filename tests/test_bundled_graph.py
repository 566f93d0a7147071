"""What the bundled IS-K graph says, checked exactly against the article."""

from __future__ import annotations

import pytest
from conftest import direct_edges, relation_twins

from actorgraph import ActorGraph, Stance
from actorgraph.truthy import TRUTHY_STATEMENTS

ACT = "https://w3id.org/actorgraph/actor/"
AG = "https://w3id.org/actorgraph/ontology#"


def test_bundled_graph_is_valid(kg: ActorGraph) -> None:
    report = kg.validate()
    assert report.problems == ()
    # every asserting party is the author, the publisher, or named in the quote's sentence or, as
    # for IS-K's "vanguard" (its sentence says "the group"), in the statement's note (N4, S7)
    assert report.warnings == ()
    assert report.counts == {"statements": 167, "quotes": 172, "sources": 1}


@pytest.mark.parametrize(
    ("name", "actor_id", "kind"),
    [
        ("IS-K", "isk", "ArmedGroup"),
        ("Taliban", "taliban", "ArmedGroup"),
        ("Haqqani Network", "haqqani-network", "ArmedGroup"),
        ("al-Qaeda", "al-qaeda", "ArmedGroup"),
        ("TTP", "ttp", "ArmedGroup"),
        ("al-Sadiq office", "al-sadiq-office", "OrganisationalUnit"),
        ("ISKP", "isk", "ArmedGroup"),
        ("Daesh", "isis", "ArmedGroup"),
        ("ISIL-K", "isk", "ArmedGroup"),
        ("Islamic Emirate", "taliban", "ArmedGroup"),
        ("Afghanistan", "afghanistan", "State"),
        ("Taliban defectors", "taliban-defectors", "PersonGroup"),
        ("international community", "international-community", "ActorGroup"),
        ("United States", "united-states", "State"),
        ("Pakistan", "pakistan", "State"),
        ("Iran", "iran", "State"),
        ("ISIS", "isis", "ArmedGroup"),
        ("former Afghan government", "former-afghan-government", "Government"),
        ("UN", "united-nations", "IntergovernmentalOrganisation"),
        ("Germany", "germany", "State"),
        ("NATO", "nato", "IntergovernmentalOrganisation"),
        ("Hazaras", "hazaras", "Community"),
        ("Salafis of eastern Afghanistan", "salafis-eastern-afghanistan", "Community"),
        ("Shahab al-Muhajir", "shahab-al-muhajir", "Person"),
        ("President Joe Biden", "joe-biden", "Person"),
        ("Nangarhar", "nangarhar", "Place"),
        ("Kunar", "kunar", "Place"),
        ("Kabul airport bombing", "kabul-airport-bombing", "Event"),
        ("four Tajik nationals", "tajik-nationals", "PersonGroup"),
    ],
)
def test_actors_the_article_names(kg: ActorGraph, name: str, actor_id: str, kind: str) -> None:
    actor = kg.actor(name)
    assert (actor.id, actor.kind) == (actor_id, kind)


def test_isk_aliases_are_those_the_text_uses(kg: ActorGraph) -> None:
    assert kg.actor("isk").aliases == (
        "IS-K",
        "IS-KP",
        "ISIS-K",
        "Islamic State of Khorasan Province",
    )


def test_whom_isk_recruits_from(kg: ActorGraph) -> None:
    by_stance: dict[str, set[str]] = {}
    for s in kg.statements(subject="IS-K", relation="recruitsFrom"):
        by_stance.setdefault(s.stance.value, set()).add(s.object)
    assert by_stance == {
        "Asserted": {
            "ttp",
            "al-qaeda",
            "taliban",
            "salafis-eastern-afghanistan",
            "south-asia",
            "middle-east",
            "europe",
            "haqqani-network",  # asserted by "some analysts", not the author
            "taliban-defectors",
        },
        "Hedged": {
            "anti-taliban-islamists",
            "taliban-disillusioned-islamists",
            "taliban-salafi-critics",
            "hardline-taliban-commanders",
            "young-jihadis",
            "isk-prisoners",
        },
    }


def test_direct_recruits_from_edges_are_the_authors_assertions(kg: ActorGraph) -> None:
    rows = kg.sparql("SELECT * WHERE { ?isk ag:recruitsFrom ?o } ORDER BY ?o", isk=kg.actor("IS-K"))
    assert [o.removeprefix(ACT) for o in rows.column("o")] == [
        "al-qaeda",
        "europe",
        "middle-east",
        "salafis-eastern-afghanistan",
        "south-asia",
        "taliban",
        "ttp",
    ]


def test_haqqani_collaboration_is_disputed_and_attributed(kg: ActorGraph) -> None:
    (claim,) = kg.statements(subject="IS-K", relation="cooperatesWith", object="Haqqani Network")
    assert claim.stance is Stance.DISPUTED
    assert claim.asserted_by == "former-afghan-government"
    assert claim.contested_by == ("us-government",)
    assert claim.evidence.quote.startswith(
        "The former Afghan government, for instance, would argue"
    )
    assert claim.evidence.quote.endswith("but the U.S. government didn’t support this assessment.")


def test_un_view_is_hedged_collaboration_and_denied_alignment(kg: ActorGraph) -> None:
    claims = {
        (s.subject, s.relation, s.object, s.stance.value) for s in kg.statements(asserted_by="UN")
    }
    assert claims == {
        # "suggests the possibility of localized collaboration between elements of the two groups"
        ("isk-elements", "cooperatesWith", "taliban-elements", "Hedged"),
        ("isk-elements", "memberOf", "isk", "Asserted"),
        ("taliban-elements", "memberOf", "taliban", "Asserted"),
        ("isk", "alignedWith", "taliban", "Denied"),  # "cast doubt on any major … alignment"
        ("isk", "targets", "europe", "Asserted"),  # plots in Europe traceable to IS-K
    }


def test_biden_calls_them_sworn_enemies(kg: ActorGraph) -> None:
    pairs = {
        (s.subject, s.object) for s in kg.statements(asserted_by="Biden", relation="hostileTo")
    }
    assert pairs == {("isk", "taliban"), ("taliban", "isk")}


def test_every_asserting_party_the_article_cites(kg: ActorGraph) -> None:
    parties = {s.asserted_by for s in kg.statements()}
    assert parties == {
        "asfandyar-mir",
        "former-afghan-government",
        "german-government",
        "isk",
        "joe-biden",
        "press-reporting",
        "some-analysts",
        "united-nations",
        "usip",
    }


def test_direct_edges_are_exactly_the_sources_own_assertions(kg: ActorGraph) -> None:
    twins = relation_twins(kg)
    licensed = set()
    for r in kg.sparql(TRUTHY_STATEMENTS).dicts():
        licensed.add((r["s"], r["p"], r["o"]))
        licensed.update((r["o"], twin, r["s"]) for p, twin in twins if p == r["p"])
    direct = direct_edges(kg)
    assert direct == licensed
    assert len(direct) == 96


def test_disputed_collaboration_is_not_a_direct_edge(kg: ActorGraph) -> None:
    ask = kg.sparql("ASK { act:isk ag:cooperatesWith act:haqqani-network }")
    assert ask.column("result") == [False]
    ask = kg.sparql("ASK { act:isk ag:cooperatesWith act:taliban }")
    assert ask.column("result") == [False]


def test_third_party_assertions_stay_on_statements(kg: ActorGraph) -> None:
    # IS-K's framing of the Taliban as a U.S. client is IS-K's claim, not the author's.
    (claim,) = kg.statements(relation="sponsors")
    assert (claim.subject, claim.object, claim.asserted_by) == ("us-government", "taliban", "isk")
    assert kg.sparql("ASK { act:us-government ag:sponsors act:taliban }").column("result") == [
        False
    ]


def test_symmetric_and_inverse_direct_edges_are_materialised(kg: ActorGraph) -> None:
    ask = "ASK { act:taliban ag:alignedWith act:al-qaeda . act:isis ag:hasAffiliate act:isk }"
    assert kg.sparql(ask).column("result") == [True]


@pytest.mark.parametrize(
    ("statement", "valid_from", "valid_until"),
    [
        ("isk-hostileTo-taliban-since-2017", None, None),  # "At least since": attested (T4)
        ("taliban-targets-isk-2016-2020", "2016", "2020"),
        ("us-military-supports-taliban-until-2019", None, "2019"),
        ("isk-targets-kabul", "2020-05", None),
        ("former-afghan-government-governmentOf-afghanistan", None, "2021-08"),
        ("isk-controlsTerritoryIn-nangarhar", "2015", "2020"),  # weakened, then given up
        ("isk-hostileTo-pakistani-government", "2015", "2017"),  # "overtaken"
        ("mullah-omar-leads-taliban", None, "2015"),  # past leadership ends
        ("taliban-controlsTerritoryIn-afghanistan-3", "2021-08", None),
        ("taliban-governmentOf-afghanistan", None, None),  # "new": attested, not started
    ],
)
def test_periods_the_text_gives(
    kg: ActorGraph, statement: str, valid_from: str | None, valid_until: str | None
) -> None:
    (found,) = [s for s in kg.statements() if s.id == statement]
    assert (found.valid_from, found.valid_until) == (valid_from, valid_until)


def test_events_with_dates(kg: ActorGraph) -> None:
    rows = kg.sparql(
        "SELECT ?e ?date WHERE { ?e a ag:Event ; ag:date ?date } ORDER BY ?date ?e"
    ).dicts()
    assert [(r["e"].removeprefix(ACT), r["date"]) for r in rows] == [
        ("isk-emergence", "2015"),
        ("german-charges-tajik-nationals", "2020"),
        ("isk-prisoner-releases", "2021-08"),
        ("taliban-takeover", "2021-08"),
        ("kabul-airport-bombing", "2021-08-26"),
    ]


def test_figures_with_evidence(kg: ActorGraph) -> None:
    rows = kg.sparql(
        """SELECT ?about ?measure ?comparator ?value ?quote WHERE {
             ?f a ag:Figure ; ag:about ?about ; ag:measure ?measure ; ag:value ?value ;
                ag:comparator ?comparator ; prov:wasDerivedFrom/ag:quote ?quote .
           } ORDER BY ?about ?value"""
    ).dicts()
    assert [(r["about"].removeprefix(ACT), r["comparator"], r["value"]) for r in rows] == [
        ("german-charges-tajik-nationals", "exactly", 4),
        ("isk", "exactly", 21),
        ("isk", "exactly", 77),
        ("kabul-airport-bombing", "exactly", 13),
        ("kabul-airport-bombing", "more than", 170),
    ]


def test_relation_types_carry_sign_and_quad_class(kg: ActorGraph) -> None:
    rows = kg.sparql(
        """SELECT ?r ?sign ?quad WHERE {
             VALUES ?r { ag:hostileTo ag:recruitsFrom ag:tacitlyCooperatesWith ag:targets }
             ?r ag:sign ?sign . OPTIONAL { ?r ag:quadClass ?quad }
           } ORDER BY ?r"""
    ).dicts()
    assert [(r["r"].removeprefix(AG), r["sign"], r["quad"]) for r in rows] == [
        ("hostileTo", -1, AG + "VerbalConflict"),
        ("recruitsFrom", 0, None),
        ("tacitlyCooperatesWith", 1, AG + "MaterialCooperation"),
        ("targets", -1, AG + "MaterialConflict"),
    ]


def test_every_relation_type_maps_to_a_definition_and_sign(kg: ActorGraph) -> None:
    rows = kg.sparql(
        """SELECT ?r WHERE { ?r a ag:Relation .
             FILTER NOT EXISTS { ?r skos:definition ?d ; rdfs:label ?l ; ag:sign ?s } }"""
    )
    assert rows.dicts() == []
    count = kg.sparql("SELECT (COUNT(?r) AS ?n) WHERE { ?r a ag:Relation }").column("n")
    assert count == [32]
