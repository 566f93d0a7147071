"""Ingestion: store a new article and propose candidate statements for a person to review.

The machine does the reading a machine can do, with rules and no model: it finds the actors the
graph knows (by every label, alias and search name, with possessives and plurals, and "the
group"/"it" back to a recent mention), names that look like actors it does not know (with a
suggested class and a likely match), and, in each sentence, pairs of actors that a relation's cue
words link (``ag:cue`` in the ontology). For each it proposes the relation, the direction, the
stance (hedge, denial and dispute cues), the asserting party (reported speech, else the author),
the period ("since May 2020", "until 2019", "in 2015"), the sentence as the quote with its
offsets, and a confidence. Candidates are ``ag:Candidate`` nodes, never statements: they are not
direct edges and no query of statements sees them until a person accepts them
(:mod:`actorgraph.review`).

>>> from actorgraph import ActorGraph
>>> reader = Reader(ActorGraph.load())
>>> found = reader.read("IS-K attacked the Taliban in Kabul. The group may recruit from TTP.")
>>> for c in found.candidates:
...     print(c.subject, c.relation, c.object, c.stance, c.confidence)
isk targets taliban Asserted 0.85
taliban operatesIn kabul Asserted 0.55
isk recruitsFrom ttp Hedged 0.65
"""

from __future__ import annotations

import bisect
import difflib
import functools
import hashlib
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .countries import capitals, country_names, demonyms
from .model import local_name
from .namespaces import AG, PREFIXES, PROP
from .sources import _sentence_ends

if TYPE_CHECKING:
    from .graph import ActorGraph

__all__ = [
    "Candidate", "Mention", "ProposedActor", "Reader", "Reading", "candidate_digest",
    "candidate_id", "transliterate",
]  # fmt: skip

PROPOSED = str(PROP)
_CUES = "SELECT ?term ?cue WHERE { ?term ag:cue ?cue }"
_UNNAMED_PARTIES = "SELECT ?p WHERE { ?p a ag:UnnamedParty }"
_NEGATION = re.compile(
    r"\b(not|n[’']t|never|no longer|without|neither|nor|no(?!\s+(?:doubt|fewer|less|more)\b))\b",
    re.I,
)
# the claim after these words is said not to be shown: "there is no evidence that X supports Y"
_EVIDENCE = r"(?:evidence|proof|sign|signs|indication|indications)"
_NO_EVIDENCE = re.compile(
    rf"\bno\s+(?:(?:clear|credible|firm|hard|public|such)\s+)?{_EVIDENCE}\s+(?:that|of)\b"
    r"|\bnothing\s+(?:suggests|indicates|shows|proves)\b(?:\s+that\b)?",
    re.I,
)
# a party's verdict on a claim (coding guide S4): "UN monitors found no evidence that X …"
_FOUND_NONE = re.compile(
    r"\b(?:(?:has|have|had)\s+)?(?:found|find|finds|saw|see|sees|seen|uncovered)\s+no\s+"
    rf"(?:(?:clear|credible|firm|hard|public|such)\s+)?{_EVIDENCE}\s+(?:that|of)\b",
    re.I,
)
VERDICT = "found no evidence"  # the speech verb of such a verdict
_NEW_CLAUSE = re.compile(r"[;:]|\s[—–]\s|\b(?:but|however|while|whereas)\b")
_SPEECH_VERBS = (
    r"said|says|argued|argues|would argue|believe|believes|noted|notes|claimed|claims|"
    r"reported|reports|has reported|suggests|suggested|observed|stated|told|alleged|alleges|"
    r"asserted|asserts|warned|warns|insisted|insists|denied|denies|say|suggest|allege|argue|"
    r"insist|contend|contends|maintain|maintains|suspect|suspects|suspected|"
    r"found|finds|concluded|concludes|documented|documents|determined|assessed|assesses"
)
_ACCORDING = re.compile(r"\baccording to\b", re.I)
# where "according to X" ends: "according to press reports, though Y has not confirmed this"
# "…, but Y didn't support this", "though Y has not confirmed this": Y contests the claim
_DISPUTE = re.compile(
    r"\b(?:but|though|although|while|whereas)\s+(?P<who>.+?)\s+(?:(?:didn|doesn|don|hasn|haven|"
    r"hadn)[’']t|(?:did|does|do|has|have|had)\s+not)\s+(?:yet\s+)?(?:support|confirm|endorse|"
    r"accept|corroborate|verif)\w*"
)
_REJECTED = re.compile(  # "…; the Taliban reject this", "…, a charge Islamabad rejects"
    r"(?:[;—–]|\b(?:but|although|though|while|whereas))\s+(?P<who>[^;—–]+?)\s+"
    r"(?:reject|den(?:y|ies|ied)|dispute|contest)\w*\s+"
    r"(?:this|that|it|the (?:claims?|allegations?|reports?|charges?|accusations?)|any such|such)\b"
    r"|,\s+(?:a|an)\s+(?:charge|claim|allegation|accusation|assertion)\s+(?:that\s+)?"
    r"(?P<whom>[^,;.]+?)\s+(?:has\s+|have\s+)?(?:reject|den(?:y|ies|ied)|dispute|contest)\w*\b"
)
# the two parties of a claim both contest it
_BOTH_DENY = re.compile(
    r"\b(?:although|though|but|while)\s+(?:both(?:\s+sides)?|the\s+two(?:\s+\w+)?|they)\s+"
    r"(?:publicly\s+|still\s+)?(?:den(?:y|ies|ied)|reject|rejected|dispute|disputed)\b"
)
# "A accuses B of V-ing C": A's claim that B V C
_ACCUSES = re.compile(
    r"\baccus(?:e|es|ed|ing)\b(?=(?:\s+[^;:.]{1,80}?)?\s+of\s+(?:\w+\s+)?\w+ing\b)"
)
# a participle used as an adjective: "Arab armed groups", "the trained recruits"
_ADJECTIVAL = re.compile(
    r"(?:\b(?:a|an|the|of|and|or|other|well|heavily|lightly)|\b[A-Z][\w-]*|,)\s+$"
)
_NOUN_AFTER = re.compile(
    r"\s+(?!(?:the|a|an|its|their|his|her|with|by|in|from|to|and|or|for|on|at|into|some|"
    r"several|many|both|each|them|him|it|us|up|out|neither|nor|not|never|no|also|only|all|"
    r"any|this|that|these|those|again|since|until|as|against)\b|[a-z][\w-]*ly\b)[a-z][\w-]*\b"
)
_COORDINATED = re.compile(r";|,\s+(?:and|but|while|whereas)\b")  # another main clause
_CLAUSE_BREAK = re.compile(r";|\s[—–]\s|,\s+(?:and|but|while|whereas)\b")
_CLAUSE_END = re.compile(r"[,;:—–(]|\b(?:though|although|but|while|whereas)\b")
_SAID_AFTER_QUOTE = re.compile(
    r"[,.!?][”\"’]\s*(?P<verb>said|says|added|told|stated|claimed|warned|insisted)\s+"
)
_TRAILING_SPEECH = re.compile(
    r",\s+(?P<who>[^,;]{2,80}?)\s+(?P<verb>claim|claims|claimed|said|say|says|allege|alleges|"
    r"alleged|believe|believes|insist|insists|argue|argues|report|reports|reported|contend|"
    r"contends|maintain|maintains)\s*[.!?]?[”’\"')]*\s*$"
)
_UNNAMED = {
    "press reporting": ("press-reporting", "press reporting"),
    "press reports": ("press-reporting", "press reporting"),
    "media reports": ("press-reporting", "press reporting"),
    "reports": ("press-reporting", "press reporting"),
    "analysts": ("some-analysts", "some analysts"),
    "some analysts": ("some-analysts", "some analysts"),
    "experts": ("some-analysts", "some analysts"),
    "officials": ("officials", "officials"),
    "an official": ("officials", "officials"),
    "a senior official": ("officials", "officials"),
    "official": ("officials", "officials"),
    "press": ("press-reporting", "press reporting"),
    "media": ("press-reporting", "press reporting"),
    "sources": ("unnamed-source", "an unnamed source"),
    "diplomats": ("officials", "officials"),
    "a source": ("unnamed-source", "an unnamed source"),
}
_COREFERENCE = re.compile(
    r"\b(?:[Tt]he (?:group|organi[sz]ation|movement|militia|militants|insurgents|network)|"
    r"(?:^|(?<=[.;:]\s))(?:It|Its)|(?:(?<=that\s)|(?<=said\s)|(?<=says\s)|(?<=say\s))(?:it|they)|(?P<its>its)|"
    r"(?:against|with|from|on|at) (?P<object>it)|"
    r"(?P<people>[Tt]h(?:ese|ose|e) (?:individuals|men|women|suspects|people|fighters|members)))\b"
)
_PEOPLE = ("Person", "PersonGroup")
_DETERMINERS = re.compile(r"\s*(?:(?:the|its|their|his|her|a|an|of|from|with|to|both)\s+)*")
_SERIES = re.compile(  # "…, punish B", "… — both by dislodging B", "… and punishing B"
    r"(?=.*(?:[,;—–]|\band\b|\bor\b))\s*(?:[,;—–]\s*)?(?:and\s+|or\s+)?(?:both\s+)?(?:by\s+)?[“\"]?"
)
_PREPOSITION = re.compile(r"\b(?:in|from|at|near|inside|across|of|with)\s+(?:the\s+)?$")
_ASIDE = re.compile(r"\s*[—–]\s[^—–]{1,120}?\s[—–]")
# "the two groups", "both sides": the last two armed groups named
_PAIR = re.compile(
    r"\b(?:[Tt]he two|[Bb]oth(?: the)?) (?:groups|sides|movements|organi[sz]ations)\b"
)
_THEY_EACH_OTHER = re.compile(
    r"\b[Tt]hey\b(?=\s+(?:(?:have|had|has|now|also|since|then|later|often|\w+ly)\s+)*\w+\s+"
    r"(?:each\s+other|one\s+another)\b)"
)
_ANTI = re.compile(r"(?i:anti)-$")
_REJECTIONIST = re.compile(r"-(?i:rejectionist)\b")  # "a Taliban-rejectionist movement" (R14)
_PREFIX = re.compile(r"(?:^|(?<![\w-]))(?i:anti|pro)-$")
_LOCATED = ("Place", "Event", "PersonGroup", "Community")
_BODIES = ("ArmedGroup", "Organisation", "Government", "GovernmentAgency",
           "IntergovernmentalOrganisation", "OrganisationalUnit")  # fmt: skip
_CLAUSE = re.compile(r"\b(?:who|which|that|with|against|by|for)\b", re.I)
_WHERE = ("operatesIn", "controlsTerritoryIn", "basedIn", "locatedIn")
_GOVERNS = re.compile(  # a cue that reaches the next actor: "operations against", "war with"
    r"^[^,;:—]*\b(?:against|with|to|on|at|of|from|for|by)\s+(?:the\s+)?$", re.I
)
# relations a possessive turns round: "al-Qaeda’s affiliate" is an affiliate of al-Qaeda
_MEMBERSHIP = ("affiliateOf", "subGroupOf", "partOf", "memberOf", "splinterOf")
_LISTED_PART = re.compile(r"\s*,?\s*(?:and|or)\s+(?:the|a|an|its)\s+(?:[\w-]+\s+){0,2}$")
_POSSESSED = re.compile(r"[’']s\s+(?:[\w-]+\s+){0,2}?")
_COPULA = re.compile(
    r"\s*,\s*|\s+(?:is|was|are|were|has been|have been|had been|became|becomes|remains|"
    r"remained)\s+(?:now\s+|still\s+|also\s+)?"
)
_BRANCH = re.compile(r"\s+(?:affiliate|branch|province|wing|chapter|franchise|offshoot|arm)\b")
# the main clause resumed after a relative one: "N, whose army …, has since joined"
_RESUMED = r",\s+(?:has|have|had|is|was|are|were|will|would)\s+(?:\w+ly\s+|since\s+|now\s+)?\w+"
# a clause of its own between a cue and an actor: "fought X until 2022, when B replaced it"
_SUBCLAUSE = (
    r",\s+(?:which|who|whose|where|when|after|before|while|whereas|although|though|because)\b"
)
# a verb whose subject is left out: the sentence's subject ("X is a branch of A and has attacked")
_ELIDED_SUBJECT = re.compile(
    r"\s+and\s+(?:(?:has|have|had|is|was|are|were|will|would|also|then|later|now|since|"
    r"repeatedly|often)\s+)*"
)
# a second verb of the same subject: "… of al-Qaeda and has attacked", "…, and is"
_NEXT_VERB = re.compile(r"(?:\band|[,;])\s+(?:has|have|had|is|are|was|were|also|then|later)\b")
_DENIED_DEED = re.compile(r"\s+(?:(?:any|all|ever|having)\s+)?")  # "denies any coordination"
# an aside that names an actor in passing: ", reportedly with X's help," ", backed by X,"
_ASIDE_OPENING = re.compile(
    r",\s+(?:\w+ly\s+)?(?:with|by|and|alongside|\w+ed\s+by|once|formerly|long|"
    r"a|an|the|its|whose|who|which)\b[^,;]*"
)
_ASIDE_CLOSING = re.compile(
    r"(?:[’']s\s+\w+)?\s*,\s+(?:(?:has|have|had|now|also|then|later|still|\w+ly)\s+)*"
)
# a group named in the plural ("the Houthis"), whose singular qualifies a noun ("Houthi targets")
_PLURAL_NAME = re.compile(r"[A-Z][a-z]{3,}[^s\W]s")
_NOUN_NEXT = r"\s+[a-z][\w-]*"
_OWN_SUBJECT = re.compile(r"[;:]\s*(?:it|they|he|she|we)\s")  # a clause with its own subject
_PASSIVE_BEFORE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?$")
_PARTICIPLE_CLAUSE = re.compile(
    r",\s+(?:\w+ly\s+)?(?!(?:including|according|notably|especially|during)\b)[a-z]\w+ing\b"
)
_RELATIVE = re.compile(r",\s+(?:which|who|whose)\b")
_PRONOUN_CLAUSE = r"(?:[,;]\s*(?:and|but)\s+|[;:]\s*)(?:it|they|he|she)\s"
# a place named after the cue: "… in the tri-border area of Mali, B"
_WHERE_PHRASE = re.compile(
    r"\b(?:in|at|near|inside|across)\s+(?:the\s+)?"
    r"(?:(?:[a-z][\w-]*\s+){1,3}of\s+(?:[A-Z][\w’'-]*(?:,\s+|\s+and\s+))*"
    r"|(?:[A-Z][\w’'-]*(?:,\s+|\s+and\s+))*)$"
)
_WEAK_CUES = ("against",)  # a preposition: any other cue in reach says more
_AGAINST = re.compile(r"\bagainst\b", re.I)
_CRITIC = re.compile(r"\b(?:critics|opponents|detractors)\b", re.I)
_LEADER = re.compile(r"\b(?:leader|leaders|chief|head|emir|commander-in-chief)\b", re.I)
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)


def _date(name: str) -> str:
    """A date in the text: "March 2022", "2019", "mid-2022" (a part of a year is the year)."""
    return (
        rf"(?:(?P<{name}part>(?i:mid|late|early))[- ]|(?P<{name}month>{_MONTHS})\.? )?"
        rf"(?P<{name}year>(?:19|20)\d\d)\b"
    )


# the words between "claimed" and the act claimed: "claimed the January 2020 raid"
_DEED = re.compile(
    r"\s*(?:(?:the|its|their|his|her|a|an|of|from|with|to)\s+)*"
    rf"(?:(?!(?:that|it|they|he|she|to)\b)(?:{_MONTHS}|[a-z0-9][\w-]*)\s+){{0,3}}"
)
# a relation that starts with a deed in its clause: "became part of X in 2019", "was founded in"
_STARTS = re.compile(r"\b(?:became|become|becomes|joined|joins|founded|formed|established)\b")
# a later clause that ends it: "… and was made a province of its own in March 2022"
_ENDS = re.compile(
    r"^\W*(?:and|but|until)\s+(?:(?:was|were|has|have|had)\s+)?(?:\w+ly\s+)?(?:made\s+[^,;]{1,30}"
    rf"\bof\s+its\s+own|left|quit|broke\s+(?:away|with)|split\s+from|separated)\b[^,;]*?"
    rf"\b(?i:in)\s+{_date('end')}"
)
# a relation in an aside: "X, once a fierce rival of Y, has been dormant since 2020", "X,
# commanded by Y, has fought Z since 2023"
_DATED_ASIDE = re.compile(r",\s*(?:once|formerly|long|led\s+by|\w+ed\s+by)\b")
# "since 2020", "since the coup of May 2021", "since the truce in April 2022"
_SINCE = re.compile(rf"\b(?i:since) (?:(?i:the) )?(?:[a-z][\w-]* (?:of|in) )?{_date('')}")
_UNTIL = re.compile(rf"\b(?i:until|till|through|up to) (?:(?i:the) )?{_date('')}")
_SPAN = re.compile(
    rf"\b(?i:from) {_date('a')} (?i:to|until|through|till) (?:(?i:the) )?{_date('b')}"
)
_BETWEEN = re.compile(rf"\b(?i:between) {_date('a')} (?i:and) {_date('b')}")
_IN_YEAR = re.compile(rf"\b(?i:in) (?:(?i:the) )?{_date('')}")
# where a clause ends, for the clause a date belongs to (coding guide T7)
_CLAUSES = re.compile(
    r"\s*(?:[;:]|,\s+(?=(?:but|and|when|after|before|while|whereas|although|though|which|who|"
    r"whose|then|yet)\b)|\s(?=(?:but|whereas|although|though)\s))"
)
_OPENING_DATE = re.compile(r"(?i:since|until|till|from|in|between|briefly in|by)\b[^,;]{1,40},")
_SUBORDINATE = re.compile(r"\W*(?:when|after|before|but)\b")
_LAST_YEAR = re.compile(r"\b[Ll]ast year\b")


def _capitals() -> str:
    """A character class of every capital letter (any script), for names: "Ḥaqq", "Öcalan"."""
    ranges: list[list[int]] = []
    for code in range(0x10000):
        if chr(code).isupper() or chr(code).istitle():
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )


_UPPER = f"[{_capitals()}]"
# a person's name, whose last word names them again: "Khalifa Haftar" … "Haftar"
_SURNAME = re.compile(rf"(?:{_UPPER}[\w’'-]+ ){{1,2}}(?P<last>{_UPPER}[a-z\u00e0-\u00ff’'-]{{3,}})")
# what makes a directed relation after two actors mutual: "fought each other", "are enemies"
# a conflict verb with no object: "A and B have clashed repeatedly since 2018" is mutual
_INTRANSITIVE = re.compile(
    r"\s*(?:[,.;]|$)|\s+(?:\w+ly|since|in|until|for|over|during|again|throughout)\b"
)
_AUXILIARIES = re.compile(r"\s+(?:(?:have|has|had|been|also|often|\w+ly)\s+)*")
# an object-relative clause after B: "B, a Dogon militia that A …", "B, whom A …"
_OBJECT_RELATIVE = re.compile(
    r",?\s+(?:(?:a|an|the)\s+[^,;:]{0,40}?\s+)?(?:that|which|whom)\s+(?:the\s+)?"
)
_CLAUSE_ENDS = re.compile(r"\s*(?:[,.;:]|$)|\s+(?:in|since|until|during|from)\b")
_RECIPROCAL = re.compile(r"\s+(?:each\s+other|one\s+another)\b")
_NOMINAL = re.compile(
    r"\b(?:are|were|have\s+been|had\s+been|remain|remained|became|become|as)\s+"
    r"[“\"‘]?(?:[\w-]+\s+){0,2}[\w-]+$"
)
# a name's word: a capital (after an ʿayn or hamza: "ʿAbd"), then letters, combining marks
_WORD = (
    rf"(?:[ʿʾ]?{_UPPER}[\w\u0300-\u036f’'ʿʾ-]+"
    rf"|(?:al|wal|el|ul)-[ʿʾ]?{_UPPER}[\w\u0300-\u036f’'ʿʾ-]+)"
)
_SPACE = r"(?:[ \t]+|[ \t]*\r?\n[ \t]*)"  # a line break inside a name, never a blank line
_NAME = re.compile(
    rf"(?<![\w\u0300-\u036fʿʾ]){_WORD}"
    rf"(?:{_SPACE}(?:(?:of|the|for|de|e|al|bin|ibn|wal){_SPACE}){{0,2}}{_WORD})+"
    rf"|\((?P<acronym>{_UPPER}[{_capitals()}0-9-]{{1,9}})\)"
)
# what may follow a known name and make a longer one: "ISIS-Somalia", "Islamic State Sahel
# Province", "al-Qaeda in the Islamic Maghreb (AQIM)" (an "in" only with a name's mark after it)
_LONGER = re.compile(
    rf"-(?P<hyphen>{_UPPER}[\w\u0300-\u036f’'ʿʾ]+)(?![\w-])"
    rf"|{_SPACE}(?P<in>in{_SPACE}(?:the{_SPACE})?)?"
    rf"(?P<words>{_WORD}(?:{_SPACE}(?:(?:of|the|for|de|al){_SPACE})?{_WORD})*)"
    r"(?P<mark>\s*\((?=[A-Z0-9-]{2,10}\))|\s*,?\s+(?:also\s+)?(?:called|known\s+as|a\.k\.a\.|aka)\b)?"
)
# a longer name that names a branch of the group it begins with
_BRANCH_NAME = re.compile(r"^[^\s-]+-[A-Z]|\sin\s|\b(?:Province|Branch|Wilayat|Wilayah)$")
# "the Islamic State’s branch", "its Somali province": a branch, not the group itself
_BRANCH_OF = re.compile(
    r"[’']s\s+(?:[\w-]+\s+){0,2}?(?:branch|affiliate|province|Province|wing|offshoot|franchise)\b"
)
_PREDICATE = re.compile(
    r"\b(?:is|was|are|were|be|been|became|becomes|remains|remained|as)\s+(?:the\s+|an?\s+)?$"
)
_APPOSITION = re.compile(r",\s+(?:the\s+)?$")
_NAME_HEAD = re.compile(r"\b(?:Province|Branch|Wilayat|Wilayah|Command)$")
_TITLES = re.compile(
    r"^(?:President|Prime|Minister|General|Colonel|Captain|Major|Lieutenant|Commander|Chief|"
    r"Leader|Spokesman|Spokeswoman|Sheikh|Mullah|Emir|Amir|Mr|Ms|Dr|King|Queen|Prince|Foreign|"
    r"Defen[cs]e|Interior|In|On|At|But|And|Or|The)\b"
)
_CLASS_HINTS = [
    (r"\b(?:Ministry|Department|Agency|Army|Forces|Police|Military|Intelligence|Command)\b",
     "GovernmentAgency"),
    (r"\bGovernment\b", "Government"),
    (r"\b(?:Province|City|District|Valley|Region|Airport)\b", "Place"),
    (r"\b(?:United Nations|NATO|Union|Council|Mission)\b", "IntergovernmentalOrganisation"),
    (r"\b(?:Office|Wing|Brigade|Battalion)\b", "OrganisationalUnit"),
    (r"\b(?:State|Front|Jama[’']?at|Jamaat|Lashkar|Jaish|Harakat|Tehreek|Tehrik|Movement|"
     r"Network|Group|Taliban|Qaeda|Brigades|Army of)\b", "ArmedGroup"),
    (r"\b(?:Jabhat|Tanzim|Hizb|Katibat?|Liwa|Ansar|Militia|Brigade)\b", "ArmedGroup"),
    (r"\b(?:Party|Association|Foundation|Committee|Society|Institute|Company)\b", "Organisation"),
    (r"^(?:President|General|Mullah|Sheikh|Commander|Minister|Mr|Ms|Dr|Mawlawi|Maulvi|Mawlana|"
     r"Maulana|Qari|Hafiz|Mufti|Haji|Hajji|Abu|Abd|Emir|Amir|Imam)\b", "Person"),
]  # fmt: skip
_PLACE_BEFORE = re.compile(
    r"\b(?:in|into|near|at|from|to|across|districts? of|provinces? of|villages? of|city of|"
    r"region of)\s+(?:the\s+)?$"
)
_PERSON_AFTER = re.compile(  # "X, a commander of", "X, the group's spokesman"
    r",\s+(?:a|an|the|its|their)\s+(?:[\w’'-]+\s+){0,3}?(?:leader|commander|spokes(?:wo)?man|"
    r"founder|member|chief|head|emir|cleric|minister|official|fighter|deputy|general)\b"
)
_GROUP_AFTER = re.compile(  # "X, a small militia", "X, an armed faction"
    r",\s+(?:a|an|the)\s+(?:[\w’'-]+\s+){0,3}?(?P<kind>militia|armed group|insurgent group|"
    r"militant group|faction|organi[sz]ation)\b"
)
_PERSON_BEFORE = re.compile(
    r"\b(?:Mr|Ms|Dr|spokesman|spokeswoman|commander|founder|(?:led|headed|commanded)\s+by),?\s+$"
)
_LETTERS = str.maketrans(
    {
        "ı": "i",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
    }
)
_LEADING = re.compile(
    r"(?:(?:The|A|An|In|On|At|For|From|By|Since|Until|Whether|If|When|While|Its|His|Her|Their|"
    r"This|That|These|Those|According|Some|Many|Both|Each|Every|Most|Several|Last|Next)\s+)+"
)
# a gloss or another name right after a new name: "X — “the Front of Truth in”", "X, or Y"
# "X, also called Y", "X (also known as Y)", "X, a.k.a. Y": another name of the same actor
_ALSO = (
    r"(?:(?:also|better|formerly|now|widely|commonly|previously)\s+)?(?:called|known\s+as|"
    r"referred\s+to\s+as|named)|a\.k\.a\.?|aka|formerly|or"
)
# a one-word name after such words: "X, also called ISSP,"
_ALIAS_WORD = re.compile(
    rf"(?:[,(—–]\s*(?:{_ALSO.replace('|or', '')})|\s+(?:also|better)\s+(?:called|known\s+as))\s+"
    r"(?:the\s+)?[“\"‘]?"
    rf"(?P<alias>(?:(?:al|el|ul|an|ad|ash|as)-)?{_UPPER}[\w\u0300-\u036f’'ʿʾ-]*\w)(?![\w-])"
    rf"(?![ \t]+{_UPPER})"
)
_NAMED_AS = re.compile(rf"\s*[,(—–]\s*(?:{_ALSO.replace('|or', '')})\s+(?:the\s+)?[“\"‘]?")
_NAMING = re.compile(r"(?:\balso|\bis|\bare|\bwas|\bwere|\bbe|\bbeen|[,(])\s*$")
_GLOSS = re.compile(rf"\s*(?:[—–(]\s*[“\"‘]|[—–,(]\s*(?:{_ALSO})\s+)(?:the\s+)?[“\"‘]?")
# a possessor before a name: "Russia’s Africa Corps", "the Juntas’ New Partners"
_OWNER = re.compile(r"(?:(?:The|the)\s+)?[^\s]+(?:[’']s|s[’'])\s+(?=\S)")
# a text's first line when it is a headline: no closing punctuation, a blank line after
# (and the lines under it: byline, publisher, date)
_HEADLINE = re.compile(r"\s*(?:[^\n]{1,200}(?<![.!?:;”\"’])[ \t]*\r?\n){1,6}[ \t]*\r?\n")
# a name with "in" or "and" inside it, right before its acronym in parentheses
_BEFORE_ACRONYM = re.compile(
    rf"(?<![\w\u0300-\u036fʿʾ])({_WORD}(?:{_SPACE}(?:(?:of|the|for|de|al|in|and){_SPACE}){{0,2}}"
    rf"{_WORD})*{_SPACE}(?:in|and){_SPACE}(?:(?:of|the|for){_SPACE})?{_WORD}(?:{_SPACE}"
    rf"(?:(?:of|the|for|de|al|in|and){_SPACE}){{0,2}}{_WORD})*)[ \t]*$"
)
# names that are no party: a document ("the Riyadh Agreement"), an operation
_DOCUMENT = re.compile(
    r"\b(?:Agreement|Agreements|Accord|Accords|Treaty|Protocol|Declaration|Convention|Charter|"
    r"Resolution|Ceasefire|Truce)$|^Operation\s"
)
# a waterway or a region: a place, whatever the words around it suggest
_WATER = re.compile(
    r"\b(?:Canal|Strait|Straits|Sea|Ocean|River|Lake|Bay|Gulf|Desert|Mountains|Peninsula|"
    r"Basin|Corridor)$|^(?:Gulf|Bay|Sea|Strait|Lake)\s+of\b"
)
_PLACE_NOUN = re.compile(r"\s+(?:strait|canal|region|river|sea|coast|border|basin|area)\b")
# a state named as a region of it: "in central Mali", "northern Niger"
_REGION_OF = re.compile(
    r"\b(?:central|northern|southern|eastern|western|north-?(?:east|west)ern|"
    r"south-?(?:east|west)ern|(?:north|south|east|west)(?:-?(?:east|west))?\s+of)\s+$",
    re.I,
)
# a capital as a place: "in Bamako", "controls Sanaa", "the road to Kyiv"
_CITY_BEFORE = re.compile(
    r"\b(?:in|into|near|at|from|to|across|outside|around|of|control(?:s|led)?|captured?|seized?|"
    r"took|entered|besieged?|held|holds?)\s+(?:the\s+)?$",
)
# a one-word short form in parentheses after a name: "the Wagner Group (Wagner)"
_SHORT_FORM = re.compile(rf"\s\((?P<short>{_UPPER}[\w\u0300-\u036f’'-]+)\)")
_WEEKDAYS_AND_MONTHS = re.compile(rf"^(?:{_MONTHS}|Monday|Tuesday|Wednesday|Thursday|Friday)\b")
_MONTH_NUMBER = {
    name: i
    for i, names in enumerate(
        [("January", "Jan"), ("February", "Feb"), ("March", "Mar"), ("April", "Apr"), ("May",),
         ("June", "Jun"), ("July", "Jul"), ("August", "Aug"), ("September", "Sep", "Sept"),
         ("October", "Oct"), ("November", "Nov"), ("December", "Dec")],
        start=1,
    )
    for name in names
}  # fmt: skip


@dataclass(frozen=True)
class Mention:
    """An actor named (or referred back to) in the text."""

    start: int
    end: int
    actor: str  # an IRI: a known actor, or a proposed one
    by: str = "name"  # "name" or "coreference"


@dataclass
class ProposedActor:
    """A name that looks like an actor the graph does not know."""

    iri: str
    label: str
    kind: str
    match: str | None = None  # a known actor it may be
    similarity: float = 0.0
    count: int = 0
    aliases: list[str] = field(default_factory=list)  # other names it goes by in the text


@dataclass
class Candidate:
    """A proposed statement, for a person to accept, edit or reject."""

    id: str
    subject: str
    relation: str
    object: str
    stance: str
    asserted_by: str
    quote: str
    start: int
    end: int
    confidence: float
    polarity: str = "Positive"
    contested_by: tuple[str, ...] = ()
    valid_from: str | None = None
    valid_until: str | None = None
    attested_at: str | None = None
    cues: tuple[tuple[int, int], ...] = ()  # offsets of the words it rests on
    subject_iri: str = ""
    object_iri: str = ""
    asserted_by_iri: str = ""


@dataclass
class Reading:
    """What the reader found in one text."""

    mentions: list[Mention] = field(default_factory=list)
    proposed: dict[str, ProposedActor] = field(default_factory=dict)
    candidates: list[Candidate] = field(default_factory=list)
    #: each candidate's id as it was read before ids came from the words (from the actors'
    #: IRIs), so that decisions recorded under those ids still count
    former_ids: dict[str, str] = field(default_factory=dict)


def candidate_id(
    source: str,
    quote: tuple[int, int],
    subject: tuple[int, int],
    relation: str,
    obj: tuple[int, int],
) -> str:
    """A stable id read from the words: the same relation between the same names in the same
    passage of the same text always gets the same one, whichever actors the names resolve to
    (a proposed actor may have been accepted or linked since), so a decision about it survives
    re-ingestion.

    >>> candidate_id("src:a", (0, 40), (0, 4), "ag:hostileTo", (20, 27))
    'd6136baf2523'
    """
    return candidate_digest(source, *quote, *subject, relation, *obj)


def _former_id(source: str, start: int, end: int, subject: str, relation: str, obj: str) -> str:
    """The id the same reading had when ids were read from the actors' IRIs."""
    return candidate_digest(source, start, end, subject, relation, obj)


def candidate_digest(*parts: object) -> str:
    """A candidate's id: the first 12 hex digits of a hash of what makes it that claim.

    >>> len(candidate_digest("src", 12, "hostileTo"))
    12
    """
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:12]


class Reader:
    """Reads texts against one graph's actors and ontology (built once, used for many texts)."""

    def __init__(self, kg: ActorGraph, *, source: str = "", author: str | None = None) -> None:
        self.kg = kg
        self.source = source
        self.author = author  # the IRI of the text's author: the default asserting party
        self._names = self._name_pattern()
        self._signs = {iri: t.sign for iri, t in kg.relation_types().items()}
        self._symmetric = {iri: t.symmetric for iri, t in kg.relation_types().items()}
        self._kinds = {actor.iri: actor.kind for actor in kg.actors()}
        self._states = {a.iri: a.label for a in kg.actors(kind="State")}
        self._state_of: dict[str, str] = {}  # a country's common name: the known state
        for name, country in country_names().items():
            iri = self._resolve(name)
            if iri and self._kinds.get(iri) == "State":
                self._state_of.setdefault(country, iri)
        self._unnamed_parties = {
            str(row["p"]) for row in kg.store.select(_UNNAMED_PARTIES, {}, PREFIXES).dicts()
        }
        self._said: set[tuple[str, str]] = set()
        self._suggested: dict[str, str] = {}  # the classes of this reading's new actors
        self._branches: dict[str, str] = {}  # a new actor named as a known group's branch
        self._former_ids: dict[str, str] = {}  # of this reading's candidates (Reading.former_ids)
        self._closest_cache: dict[
            str, tuple[str | None, float]
        ] = {}  # label: known actor  # (name, inner name) ties already proposed
        cues: dict[str, list[str]] = {}
        for row in kg.store.select(_CUES, {}, PREFIXES).dicts():
            cues.setdefault(str(row["term"]), []).append(str(row["cue"]).lower())
        self._relations = {
            iri: _phrases(words)
            for iri, words in cues.items()
            if iri in kg.relation_types() and not iri.endswith(("#hasAffiliate", "#hasSubGroup"))
        }
        self._stance = {name: _phrases(cues.get(AG[name], [])) for name in ("Hedged", "Denied")}
        self._dispute = _phrases(cues.get(AG["Disputed"], []))

    # ------------------------------------------------------------------ names

    def _name_pattern(self) -> re.Pattern[str]:
        names: dict[str, str] = {}
        for actor in self.kg.actors():
            for name in (actor.label, *actor.aliases, *self.kg.search_names(actor)):
                if len(name) >= 2:
                    names.setdefault(name, actor.iri)
        self._by_name = names
        self._lower = {name.lower(): iri for name, iri in names.items()}
        alternatives = []
        for name in sorted(names, key=len, reverse=True):
            if name.lower().startswith("the ") and name[4:].lower() in self._lower:
                continue  # "the Taliban" is "Taliban", which leaves room for "Taliban’s base"
            body = re.escape(name).replace(r"\ ", r"\s+")
            body = re.sub(r"[’']", "[’']", body)  # either apostrophe
            exact = any(c.isupper() for c in name[1:]) or len(name) <= 3
            if exact and name[0].islower():  # "al-Qaeda" opening a sentence: "Al-Qaeda"
                body = f"[{name[0].upper()}{name[0]}]" + body[1:]
            alternatives.append(body if exact else f"(?i:{body})")
            if _PLURAL_NAME.fullmatch(name):  # "Houthi targets": the Houthis' targets
                alternatives.append(rf"{re.escape(name[:-1])}(?={_NOUN_NEXT})")
        return re.compile(
            # also after a hyphen: "anti-Taliban", "U.S.-Taliban" (kept by mentions() when so)
            r"(?:(?<![\w-])|(?<=-))(?:"
            + "|".join(alternatives)
            + r")(?:s|es)?(?=[’']s\b|[’']|-[A-Z]|-(?i:rejectionist)\b|(?![\w-]))"
        )

    def mentions(
        self,
        text: str,
        new: Iterable[Mention] = (),
        kinds: Mapping[str, str] | None = None,
        named: Iterable[Mention] | None = None,
    ) -> list[Mention]:
        """Known actors named in ``text``, and "the group"/"it" back to the last one; ``new``
        are the names of new actors (of the ``kinds`` suggested), referred back to as well;
        ``named``, the known names when they were found already (:meth:`_known`)."""
        found = list(self._known(text)[0] if named is None else named)
        found = sorted([*found, *new], key=lambda m: m.start)
        every = {**self._kinds, **(kinds or {})}
        armed = {iri for iri, kind in every.items() if kind == "ArmedGroup"}
        ends = [0, *_sentence_ends(text)]
        named = list(found)
        by_end = sorted(named, key=lambda m: m.end)
        named_ends = [m.end for m in by_end]
        referred: list[Mention] = []  # "the group", "it": found in order, each may be referred to
        referred_ends: list[int] = []

        def refer(mention: Mention) -> None:
            found.append(mention)
            at = bisect.bisect_right(referred_ends, mention.end)
            referred.insert(at, mention)
            referred_ends.insert(at, mention.end)

        for match in _COREFERENCE.finditer(text):
            at, stop = match.span("object") if match.group("object") else match.span()
            low = at - 399
            window = [
                *by_end[bisect.bisect_left(named_ends, low) : bisect.bisect_right(named_ends, at)],
                *referred[
                    bisect.bisect_left(referred_ends, low) : bisect.bisect_right(referred_ends, at)
                ],
            ]
            earlier = sorted(window, key=lambda m: m.start)
            opening = ends[bisect.bisect_right(ends, at) - 1]
            if match.group("its") and any(m.start >= opening for m in earlier):
                continue  # mid-sentence "its" after a name: too often that name's, or another's
            if match.group("object"):  # "campaigns against it": not this sentence's subject
                earlier = [m for m in earlier if m.start < opening] or earlier
            if any(
                w in match.group().lower()
                for w in ("group", "network", "militia", "militants", "insurgents")
            ):
                earlier = [m for m in earlier if m.actor in armed]
            if match.group("people"):  # "these individuals": the people named last
                people = [m for m in earlier if self._kinds.get(m.actor) in _PEOPLE]
                if people:
                    refer(Mention(at, stop, people[-1].actor, "coreference"))
                continue
            if not earlier:
                continue
            # the subject of the latest sentence that names one: its first such actor
            latest = ends[bisect.bisect_right(ends, earlier[-1].start) - 1]
            first = next(m for m in earlier if m.start >= latest)
            refer(Mention(at, stop, first.actor, "coreference"))
        parties = {iri for iri, kind in every.items() if kind not in _LOCATED}
        pairs: list[tuple[re.Match[str], Callable[[str], bool]]] = [
            (match, armed.__contains__) for match in _PAIR.finditer(text)
        ]
        pairs += [  # "they have fought each other": the last two parties named
            (match, parties.__contains__) for match in _THEY_EACH_OTHER.finditer(text)
        ]
        for match, fits in pairs:
            recent: list[str] = []
            for k in range(bisect.bisect_right(named_ends, match.start()) - 1, -1, -1):
                m = by_end[k]
                if fits(m.actor) and m.actor not in recent:
                    recent.append(m.actor)
                if len(recent) >= 2:
                    break
            if len(recent) >= 2:
                for actor in reversed(recent[:2]):
                    found.append(Mention(match.start(), match.end(), actor, "coreference"))
        return sorted(found, key=lambda m: m.start)

    def _known(self, text: str) -> tuple[list[Mention], list[tuple[int, int, str]]]:
        """Known names in ``text``, and the longer names that begin with one ("ISIS-Somalia",
        "Islamic State Sahel Province"): where each starts and ends, and the known actor."""
        found: list[Mention] = []
        longer: list[tuple[int, int, str]] = []
        for match in self._names.finditer(text):
            if longer and match.start() < longer[-1][1]:
                continue  # inside a longer name
            iri = self._resolve(match.group())
            hyphen = text[match.start() - 1 : match.start()] == "-"
            joined = hyphen and found and found[-1].end == match.start() - 1  # "U.S.-Taliban"
            if (
                hyphen
                and not joined
                and not _PREFIX.search(text[max(0, match.start() - 6) : match.start()])
            ):
                continue  # "post-Taliban", "IS-K": part of a word, not a name
            if not iri:
                continue
            end = self._longer(text, match.end(), iri)
            if end:
                longer.append((match.start(), end, iri))
            else:
                found.append(Mention(match.start(), match.end(), iri))
        if longer:  # a longer name named again, without what marked it the first time
            labels = {" ".join(text[a:b].split()): iri for a, b, iri in longer}
            again = re.compile(
                r"(?<![\w-])(?:"
                + "|".join(
                    re.escape(label).replace(r"\ ", r"\s+")
                    for label in sorted(labels, key=len, reverse=True)
                )
                + r")(?![\w-])"
            )
            spans = {(a, b) for a, b, _ in longer}
            for match in again.finditer(text):
                if match.span() not in spans:
                    label = " ".join(match.group().split())
                    longer.append((match.start(), match.end(), labels[label]))
            longer.sort()
            starts = [a for a, _, _ in longer]

            def inside(m: Mention) -> bool:
                i = bisect.bisect_right(starts, m.start) - 1
                return i >= 0 and m.start < longer[i][1]

            found = [m for m in found if not inside(m)]
        return found, longer

    def _longer(self, text: str, end: int, iri: str) -> int | None:
        """Where a longer name that begins with a known one (ending at ``end``) ends, if the
        words after it make one: "ISIS-Somalia" (unless the second part is known too:
        "U.S.-Taliban"), "Islamic State Sahel Province", "Islamic State in the Greater Sahara
        (ISGS)". A place's name is not lengthened ("Kabul Province" is Kabul)."""
        if self._kinds.get(iri) in ("Place", "Person") or text[end - 1 : end] == ".":
            return None
        more = _LONGER.match(text, end)
        if more is None:
            return None
        if more.group("hyphen"):
            second = more.group("hyphen")
            known = self._resolve(second) or self._names.fullmatch(second)
            return None if known else more.end("hyphen")
        words = more.group("words")
        if _TITLES.match(words) or _WEEKDAYS_AND_MONTHS.match(words):
            return None  # "U.S. President Biden", "IS-K In June": another name, or none
        if self._names.match(text, more.start("words")):
            return None  # "U.S. Taliban …": two known names side by side
        if more.group("in") and not (more.group("mark") or _NAME_HEAD.search(words)):
            return None  # "IS-K in Nangarhar": a known group in a place
        return more.end("words")

    def _resolve(self, text: str) -> str | None:
        name = " ".join(text.split())
        for candidate in (
            name,
            name + "s" if name[-1:].islower() else None,  # "Houthi targets": the Houthis'
            name[:-1] if name.endswith("s") else None,
            name[:-2] if name.endswith("es") else None,
        ):
            if candidate and candidate in self._by_name:
                return self._by_name[candidate]
            if candidate and candidate.lower() in self._lower:
                return self._lower[candidate.lower()]
            straight = candidate.replace("’", "'") if candidate else None
            if straight and straight in self._by_name:
                return self._by_name[straight]
            if straight and straight.lower() in self._lower:
                return self._lower[straight.lower()]
        return None

    def propose(
        self, text: str, known: Iterable[Mention], longer: Iterable[tuple[int, int, str]] = ()
    ) -> tuple[list[Mention], dict[str, ProposedActor]]:
        """Names that look like actors the graph does not know, with a class and a likely match;
        ``longer`` are names that begin with a known one ("ISIS-Somalia", from :meth:`_known`):
        new actors too, with the known one as their likely match."""
        taken = sorted((m.start, m.end) for m in known)
        starts = [a for a, _ in taken]
        reach = list(itertools.accumulate((b for _, b in taken), max))  # furthest end so far

        def overlaps(start: int, end: int) -> bool:
            i = bisect.bisect_left(starts, end)  # the spans starting before this one ends
            return i > 0 and reach[i - 1] > start

        # each name: where it starts and ends, its label, whether an acronym in parentheses,
        # where the match ended, and the known actor a longer name begins with
        names: list[tuple[int, int, str, bool, int, str | None]] = [
            (start, end, text[start:end], False, end, head) for start, end, head in longer
        ]
        headline = _HEADLINE.match(text)
        for match in _NAME.finditer(text, headline.end() if headline else 0):
            label = match.group("acronym") or match.group()
            start = match.start("acronym") if match.group("acronym") else match.start()
            lead = None if match.group("acronym") else _LEADING.match(label)
            owner = None if match.group("acronym") else _OWNER.match(label)
            if owner and not lead and not overlaps(start, start + owner.end()):
                lead = owner  # "Russia’s Africa Corps": the possessed name (Russia unknown)
            if lead:  # "The Pakistani military", "In April": the words after
                label, start = label[lead.end() :], start + lead.end()
                if not re.search(r"\s", label) and self._closest(label)[0] is None:
                    continue  # a lone word: a name only when it is close to a known one
            label = re.sub(r"[’']s$|(?<=s)[’']$", "", label)  # "the African Union’s mission"
            lone = not re.search(r"\s", label) and not match.group("acronym")
            if lone and self._closest(label)[0] is None:
                continue  # "the Taliban’s Ministry": a name only when it is close to a known one
            end = start + len(label)
            if overlaps(start, end) or _WEEKDAYS_AND_MONTHS.match(label):
                continue
            opening = start == 0 or text[start - 2 : start] in (". ", "\n")
            if opening and " " not in label:
                continue  # a single capitalised word opening a sentence is usually not a name
            names.append((start, end, label, bool(match.group("acronym")), match.end(), None))
            if match.group("acronym"):  # "African Union Mission in Somalia (AMISOM)": whole
                whole = _BEFORE_ACRONYM.search(text, max(0, match.start() - 120), match.start())
                if whole:
                    first, last = whole.span(1)
                    lead = _LEADING.match(text, first, last)
                    first = lead.end() if lead else first
                    if not overlaps(first, last) and text[first] == label[0]:
                        names.append((first, last, text[first:last], False, last, None))
        for match in _ALIAS_WORD.finditer(text):
            start, end = match.span("alias")
            if not overlaps(start, end):
                names.append((start, end, match.group("alias"), False, end, None))
        countries, cities = self._countries(text, headline.end() if headline else 0, overlaps)
        names.extend((a, b, text[a:b], False, b, None) for a, b in [*countries, *cities])
        bodies: dict[tuple[int, int], str] = {}  # "the Malian army": a state's body, its class
        for match in _state_body_pattern().finditer(text, headline.end() if headline else 0):
            start, end = match.span("name")
            if not overlaps(start, end):
                body = " ".join(match.group("body").lower().split())
                bodies[(start, end)] = (
                    "Government" if body in ("government", "junta") else ("GovernmentAgency")
                )
                names.append((start, end, f"{match.group('demonym')} {body}", False, end, None))
        mentions = []
        for match in _SHORT_FORM.finditer(text, headline.end() if headline else 0):
            start, end = match.span("short")
            short, name_end = match.group("short"), match.start()
            if overlaps(start, end) or not re.search(
                rf"\b{re.escape(short)}\b", text[max(0, name_end - 80) : name_end]
            ):
                continue  # "X (Wagner)": a word of the name X just before it
            named_before = [m for m in known if m.end == name_end]
            if named_before:  # a known actor's short form
                mentions.append(Mention(start, end, named_before[0].actor))
            elif any(name[1] == name_end for name in names):
                names.append((start, end, short, True, match.end(), None))
        names.sort(key=lambda name: (name[0], -name[1]))
        proposed: dict[str, ProposedActor] = {}
        previous: tuple[int, str] | None = None  # where the last proposed name ended, its IRI
        last_end = -1
        by_label: dict[str, str] = {}  # each name: the new actor it names
        self._branches = {}
        named = sorted((m.end, m.actor) for m in known if m.by == "name")
        named_ends = [end for end, _ in named]
        for start, end, label, acronym, match_end, head in names:
            if start < last_end:
                continue  # inside a longer name: "Greater Sahara" of "… in the Greater Sahara"
            last_end = end
            label = " ".join(label.split())  # a name across a line break: one line
            if _DOCUMENT.search(label):
                continue  # "the Riyadh Agreement", "Operation Barkhane": no party
            country = countries.get((start, end))
            if country and country in self._state_of:  # "UAE", "Riyadh": a known state
                mentions.append(Mention(start, end, self._state_of[country]))
                previous = (end, self._state_of[country])
                continue
            at = bisect.bisect_right(named_ends, start) - 1
            if (
                at >= 0
                and (previous is None or named[at][0] > previous[0])
                and _NAMED_AS.fullmatch(text[named[at][0] : start])
            ):  # "the Taliban, also called …": another name of a known actor, no new one
                mentions.append(Mention(start, end, named[at][1]))
                continue
            iri = by_label.get(country or label, PROPOSED + _slug(country or label))
            glossed = previous and _GLOSS.fullmatch(text[previous[0] : start])
            if previous and ((acronym and previous[0] == start - 2) or glossed):
                iri = previous[1]  # "Jamaat Nusrat al-Islam (JNIM)", "X — “the Front of …”"
            previous = (match_end if acronym else end, iri)
            by_label.setdefault(country or label, iri)
            entry = proposed.get(iri)
            if entry is None and country:  # "UAE": the United Arab Emirates, a state
                entry = proposed[iri] = ProposedActor(iri, country, "State")
            if entry is not None and label not in (entry.label, *entry.aliases, *capitals()):
                entry.aliases.append(label)
            if entry is None:
                before = text[max(0, start - 40) : start]
                after = text[match_end : match_end + 40]
                kind = _suggest_class(label, before, after)
                kind = bodies.get((start, end), kind)
                if (start, end) in cities or _WATER.search(label) or _PLACE_NOUN.match(after):
                    kind = "Place"  # "Bab el-Mandeb strait", "Suez Canal", "controls Sanaa"
                if head is not None and kind in ("Actor", "Place"):
                    kind = self._kinds.get(head, kind)  # "Islamic State Sahel Province": a group
                entry = proposed[iri] = ProposedActor(iri, label, kind)
                entry.match, entry.similarity = self._closest(label)
                if head is not None:
                    entry.match = head
                    branch = _BRANCH_NAME.search(label) and self._kinds.get(head) == "ArmedGroup"
                    if branch:  # "ISIS-Somalia": a branch of ISIS, proposed as its affiliate
                        self._branches[iri] = head
            entry.count += 1
            mentions.append(Mention(start, end, iri))
        return self._named_again(text, overlaps, mentions, proposed), proposed

    def _countries(
        self, text: str, begin: int, overlaps: Callable[[int, int], bool]
    ) -> tuple[dict[tuple[int, int], str], set[tuple[int, int]]]:
        """Countries the graph does not know by that name ("UAE", "Mali") and capitals standing
        for their state ("Riyadh denies"), each span with the country's common name; and the
        capitals named as places ("in Bamako", "controls Sanaa"). A country named as a region
        ("central Mali") or inside a longer name ("Riyadh Agreement") is neither."""
        states: dict[tuple[int, int], str] = {}
        cities: set[tuple[int, int]] = set()
        for match in _country_pattern().finditer(text, begin):
            start, end = match.span()
            word = " ".join(match.group().split())
            before = text[max(0, start - 40) : start]
            last = re.search(r"([\w’'-]+)[ \t]+$", before)  # not past a sentence's end
            inside = (
                last and last.group(1)[0].isupper() and not _LEADING.fullmatch(last.group(1) + " ")
            )
            if overlaps(start, end) or inside or _REGION_OF.search(before):
                continue
            country = country_names().get(word)
            if country is None and _CITY_BEFORE.search(before):
                cities.add((start, end))
            else:
                states[(start, end)] = country or capitals()[word]
        return states, cities

    def _named_again(
        self,
        text: str,
        overlaps: Callable[[int, int], bool],
        mentions: list[Mention],
        proposed: dict[str, ProposedActor],
    ) -> list[Mention]:
        """``mentions`` and the later mentions of a new actor by a one-word name the text gave
        it ("the Macina Liberation Front (MLF) … hostile to the MLF")."""
        first: dict[str, tuple[int, str]] = {}  # a one-word name: where given, whose
        for m in mentions:
            word = text[m.start : m.end]
            if re.fullmatch(r"[\w’'-]+", word) and word not in first:
                first[word] = (m.end, m.actor)
            entry = proposed.get(m.actor)
            surname = entry and _SURNAME.fullmatch(" ".join(word.split()))
            if entry and surname and entry.kind in ("Person", "Actor"):
                last = surname.group("last")  # "Khalifa Haftar … Haftar's forces": the person
                if last not in first and last not in capitals() and last not in country_names():
                    first[last] = (m.end, m.actor)
        if not first:
            return mentions
        pattern = re.compile(
            r"(?<![\w-])(?:"
            + "|".join(
                [
                    *map(_either_case_article, sorted(first, key=len, reverse=True)),
                    *(
                        rf"{re.escape(w[:-1])}(?={_NOUN_NEXT})"
                        for w in first
                        if _PLURAL_NAME.fullmatch(w)
                    ),
                ]
            )
            + rf")(?=[’']s\b|(?![\w-]))(?![ \t]+{_UPPER})"  # not in a longer name
        )
        seen = {(m.start, m.end) for m in mentions}
        spans = sorted(seen)
        starts = [a for a, _ in spans]

        def inside(a: int, b: int) -> bool:  # "Zeta" in a later "Harbour Zeta": that name's
            i = bisect.bisect_right(starts, a) - 1
            return i >= 0 and spans[i][1] >= b

        for match in pattern.finditer(text):
            word = match.group()
            given, iri = (
                first.get(word)
                or first.get(word[0].swapcase() + word[1:])  # "Al-Shabaab" opening a sentence
                or first[word + "s"]
            )
            if match.start() >= given and not inside(*match.span()) and not overlaps(*match.span()):
                mentions.append(Mention(match.start(), match.end(), iri))
                if iri in proposed:
                    proposed[iri].count += 1
        return sorted(mentions, key=lambda m: m.start)

    def _closest(self, label: str) -> tuple[str | None, float]:
        if label not in self._closest_cache:
            self._closest_cache[label] = self._compare(label)
        return self._closest_cache[label]

    def _compare(self, label: str) -> tuple[str | None, float]:
        best, score = None, 0.0
        for name, iri in self._by_name.items():
            ratio = difflib.SequenceMatcher(None, label.lower(), name.lower()).ratio()
            if ratio > score:
                best, score = iri, ratio
        return (best, round(score, 2)) if score >= 0.75 else (None, round(score, 2))

    # ------------------------------------------------------------------ claims

    def read(
        self,
        text: str,
        *,
        published: str | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> Reading:
        """Mentions, proposed actors and candidate statements in ``text``; ``progress`` is
        called now and then with the characters read so far and the text's length. The time
        taken grows in proportion to the text."""
        self._said = set()
        self._former_ids = {}
        named, longer = self._known(text)
        headline = _HEADLINE.match(text)
        if headline:  # a title states no claim and is no antecedent of "its" or "the group"
            named = [m for m in named if m.start >= headline.end()]
            longer = [span for span in longer if span[0] >= headline.end()]
        new, proposed = self.propose(text, self.mentions(text, named=named), longer)
        kinds = {iri: actor.kind for iri, actor in proposed.items()}
        # a new actor's suggested class rules out ties as a known one's does ("Actor": none)
        self._suggested = {iri: kind for iri, kind in kinds.items() if kind != "Actor"}
        named = self._branch_references(text, named, new)
        names = set(new)
        known = [m for m in self.mentions(text, new, kinds, named=named) if m not in names]
        mentions = [  # "in central Mali": a region of the state, no party
            m
            for m in sorted(known + new, key=lambda m: m.start)
            if (self._kinds.get(m.actor) or kinds.get(m.actor)) != "State"
            or not _REGION_OF.search(text, max(0, m.start - 30), m.start)
        ]
        reading = Reading(mentions, proposed)
        begin = 0
        starts = [m.start for m in mentions]
        ends = _bounded([*_sentence_ends(text), len(text)], text)
        for done, end in enumerate(ends, 1):
            sentence = (begin, end)
            begin = end
            first, last = bisect.bisect_left(starts, sentence[0]), bisect.bisect_left(starts, end)
            inside = [m for m in mentions[first:last] if m.end <= end]
            reading.candidates.extend(self._sentence(text, sentence, inside, published))
            if progress is not None and (done % 200 == 0 or done == len(ends)):
                progress(end, len(text))
        seen: set[tuple[str, str, str, int]] = set()
        unique = []
        for c in reading.candidates:
            pair = (c.subject_iri, c.object_iri)
            if self._symmetric.get(AG[c.relation], False):  # "A cooperates with B" is B's too
                pair = (min(pair), max(pair))
            key = (*pair, c.relation, c.start)
            if key not in seen and c.id not in reading.former_ids:
                seen.add(key)
                unique.append(c)
                reading.former_ids[c.id] = self._former_ids[c.id]
        reading.candidates = unique
        return reading

    def _branch_references(
        self, text: str, named: list[Mention], new: list[Mention]
    ) -> list[Mention]:
        """``named``, with "the Islamic State’s branch" read as the branch of the Islamic State
        the text names: the one named later in the sentence, else its only one."""
        heads: dict[str, set[str]] = {}
        for branch, head in self._branches.items():
            heads.setdefault(head, set()).add(branch)
        if not heads:
            return named
        ends = [*_sentence_ends(text), len(text)]
        names_end = {m.end for m in [*named, *new]}
        found = []
        for m in named:
            branches = heads.get(m.actor, set())
            phrase = _BRANCH_OF.match(text, m.end) if branches else None
            apposition = _APPOSITION.search(text, max(0, m.start - 12), m.start)
            if (
                phrase is None
                or _PREDICATE.search(text, max(0, m.start - 30), m.start)
                or (apposition and apposition.start() in names_end)
            ):  # "JNIM is al-Qaeda’s affiliate", "JNIM, al-Qaeda’s affiliate": said of another
                found.append(m)
                continue
            stop = ends[min(bisect.bisect_left(ends, m.end), len(ends) - 1)]
            later = [n.actor for n in new if m.end <= n.start < stop and n.actor in branches]
            only = next(iter(branches)) if len(branches) == 1 else None
            choice = later[0] if later else only
            found.append(Mention(m.start, phrase.end(), choice, "coreference") if choice else m)
        return found

    def _sentence(
        self, text: str, bounds: tuple[int, int], mentions: list[Mention], published: str | None
    ) -> list[Candidate]:
        start, end = bounds
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if not mentions or end <= start:
            return []
        sentence = text[start:end]
        speaker = self._speaker(text, start, end, mentions)
        self._contesting: list[str] = []  # who the sentence names as contesting its claims
        dispute = _DISPUTE.search(sentence) or _REJECTED.search(sentence)
        if dispute:  # who contests the claim is no party to it
            group = "whom" if dispute.groupdict().get("whom") else "who"
            low, high = start + dispute.start(group), start + dispute.end(group)
            self._contesting = [m.actor for m in mentions if low <= m.start < high]
            mentions = [m for m in mentions if not low <= m.start < high]
        found: list[Candidate] = []

        def propose(a: Mention, b: Mention, relation: str, cue: tuple[int, int], *, passive: bool,
                    weak: bool = False) -> None:  # fmt: skip
            subject, obj = (b, a) if passive else (a, b)
            if not self._fits(subject.actor, relation, obj.actor):
                return
            between = [  # another actor in between; "A, also known as A2, …" is A
                m
                for m in mentions
                if a.end <= m.start < b.start and m.actor not in (a.actor, b.actor)
            ]
            candidate = self._candidate(
                text, (start, end), sentence, subject, obj, relation, cue, speaker, published,
                between=between,
            )  # fmt: skip
            if weak:
                candidate.confidence = round(max(0.05, candidate.confidence - 0.3), 2)
            found.append(candidate)

        for m in mentions:  # "the Pakistani government", "IS-K prisoners", "eastern Afghanistan"
            branched = self._branches.get(m.actor)
            known = self._names.match(text, m.start) if branched and m.by == "name" else None
            if branched and known and (m.actor, branched) not in self._said:
                self._said.add((m.actor, branched))  # proposed once, where first named in full
                part = Mention(m.start, known.end(), branched)
                tie = self._candidate(
                    text, (start, end), sentence, m, part, AG["affiliateOf"],
                    (part.start, part.end), speaker, published, between=[], own=True,
                )  # fmt: skip
                tie.valid_from = tie.valid_until = tie.attested_at = None  # the name's, undated
                found.append(tie)
            for relation, inner in self._nested(text, m):
                found.append(self._candidate(
                    text, (start, end), sentence, m, inner, relation, (inner.start, inner.end),
                    speaker, published, between=[], own=True,
                ))  # fmt: skip
        anti = {m for m in mentions if _ANTI.search(text[max(0, m.start - 5) : m.start])}
        anti |= {m for m in mentions if _REJECTIONIST.match(text, m.end)}
        for b in anti:  # "its anti-Pakistan agenda", "anti-Taliban militias", "X-rejectionist"
            head = next((m for m in mentions if m.start >= b.end and m not in anti), None)
            holder: Mention | None = head
            if head is None or not re.fullmatch(
                r"(?:\s+[a-z][\w-]*){0,3}\s+", text[b.end : head.start]
            ):
                holder = next(
                    (m for m in reversed(mentions) if m.end <= b.start and m not in anti), None
                )
            if holder is not None and self._fits(holder.actor, AG["hostileTo"], b.actor):
                suffix = _REJECTIONIST.match(text, b.end)
                prefix = suffix.span() if suffix else (b.start - 5, b.start)
                found.append(self._candidate(
                    text, (start, end), sentence, holder, b, AG["hostileTo"], prefix, speaker,
                    published, between=[],
                ))  # fmt: skip

        def opens_clause(m: Mention) -> bool:
            """Whether ``m`` opens a clause: a comma, a dash or a conjunction just before it."""
            return bool(re.search(r"(?:[,;—–]|\b(?:and|but|while|after|before|when|because))"
                                  r"\s*(?:(?:the|an?)\s+)?$",
                                  text[max(start, m.start - 12) : m.start]))  # fmt: skip

        mentions = [m for m in mentions if m not in anti]  # a name in "anti-X" is no party here
        for i, a in enumerate(mentions):
            if (
                speaker
                and a.actor == speaker[0]
                and a.start < speaker[1]
                and speaker[2] != "accuses"
            ):
                continue  # the speaker, not a party to the claim
            for j in range(i + 1, min(i + 3, len(mentions))):  # the next two actors
                b = mentions[j]
                if a.actor == b.actor or b.start - a.end > 160:
                    continue
                if speaker and a.actor == speaker[0] and a.start < speaker[1] < b.start:
                    continue  # the accuser and what it accuses another of
                if j > i + 1 and re.match(r"[’']s\b", text[mentions[j - 1].end :]):
                    continue  # "supported the Taliban’s targeting of IS-K": the Taliban’s cue
                middle = mentions[j - 1]
                if (
                    j > i + 1
                    and self._kinds.get(middle.actor) not in ("Place", "State")
                    and not _PREPOSITION.search(text[max(start, middle.start - 14) : middle.start])
                ):
                    continue  # past another actor only when it hangs on a ("A in Kabul hit B");
                    # "accused the Taliban of sheltering TTP": the Taliban shelter, not Pakistan
                if j > i + 1 and _COORDINATED.search(text, a.end, mentions[j - 1].start):
                    continue  # "A …, and in 2021 Pakistan attacked B": another clause's verb
                if j > i + 1 and opens_clause(mentions[j - 1]):
                    continue  # "attacks against civilians, the group intended to topple X": the
                    # actor in between starts the clause the cue belongs to
                # past an actor in between, only words after it can tie a to b
                cue = self._relation_cue(text, mentions[j - 1].end if j > i + 1 else a.end, b.start)
                gap = text[a.end : b.start]
                clause = re.search(r"[,;—–]", gap) and not _LIST_GAP.fullmatch(gap)
                if cue is None and j == i + 1 and not clause:
                    # "A and B are sworn enemies", "A sees B as an enemy", "… between A and B"
                    # past an aside between dashes: "A and B — specifically its X — were …"
                    side = b.end
                    aside = _ASIDE.match(text, b.end, end)
                    if aside:
                        side = aside.end()
                    after = next((m.start for m in mentions if m.start >= side), end)
                    cue = self._relation_cue(text, side, min(after, side + 60), "start")
                    if (
                        cue
                        and after < b.end + 60
                        and (
                            _DETERMINERS.fullmatch(text[cue[2] : after])
                            or (
                                self._signs.get(cue[0], 0) < 0
                                and _GOVERNS.search(text[cue[1] : after])
                            )
                        )
                    ):
                        cue = None  # "joint U.S.-Taliban operations against IS-K": IS-K's cue;
                        # "A and B support C": the cue takes C, A and B are a list
                    if (
                        cue
                        and not self._symmetric.get(cue[0], False)
                        and not _RECIPROCAL.match(text, cue[2])
                        and not _NOMINAL.search(text, b.end, cue[2])
                        and not _POSSESSED.fullmatch(text, b.end, cue[1])
                        and not (
                            self._signs.get(cue[0], 0) < 0
                            and _AUXILIARIES.fullmatch(text, b.end, cue[1])
                            and _INTRANSITIVE.match(text, cue[2])
                        )
                    ):
                        cue = None  # "A and B struck Houthi targets", "A and B recruit among
                        # herders": each does, not to each other ("are sworn enemies" is mutual)
                    if cue is None and re.search(
                        r"\bbetween\s+(?:the\s+)?$", text[max(start, a.start - 12) : a.start]
                    ):
                        cue = self._relation_cue(text, max(start, a.start - 60), a.start, "end")
                    if cue is not None and local_name(cue[0]) in _MEMBERSHIP:
                        relation, cue_start, cue_end, _ = cue
                        if _POSSESSED.fullmatch(text[b.end : cue_start]):  # "X is Y’s affiliate"
                            if _COPULA.fullmatch(gap):
                                propose(a, b, relation, (cue_start, cue_end), passive=False)
                            continue
                    if cue is not None:
                        relation, cue_start, cue_end, _ = cue
                        propose(a, b, relation, (cue_start, cue_end), passive=False, weak=True)
                        if self._signs.get(relation, 0) > 0:  # "A and B — notably C — cooperate"
                            for later in self._list_after(text, mentions, j):
                                propose(a, later, relation, (cue_start, cue_end), passive=False,
                                        weak=True)  # fmt: skip
                        continue
                if cue is None:
                    structural = self._structural(text, a, b)
                    if structural and j == i + 1:
                        # "Russia’s Africa Corps": the corps is part of Russia
                        owned = local_name(structural[0]) == "partOf"
                        propose(a, b, structural[0], structural[1], passive=owned, weak=True)
                    continue
                relation, cue_start, cue_end, passive = cue
                if re.search(r"\b(?:of|with|against|from|to|in)$", text[cue_start:cue_end]) and (
                    _NEXT_VERB.search(text, cue_end, b.start)
                ):
                    continue  # "a branch of al-Qaeda and has attacked B": the cue's object is
                    # the name right after it, not B
                lead = text[mentions[j - 1].end if j > i + 1 else a.end : cue_start]
                if local_name(relation) in _MEMBERSHIP and _LISTED_PART.fullmatch(lead):
                    continue  # "a merger of A and the Saharan branch of B": a part, not A
                if local_name(relation) in _MEMBERSHIP and _POSSESSED.fullmatch(lead):
                    # "Y’s affiliate, X": X is the affiliate; "Y’s affiliate in Z": not Z
                    if not re.fullmatch(r"\s*,?\s*(?:the\s+)?", text[cue_end : b.start]):
                        continue
                    passive = True
                if re.search(_RESUMED, text[a.end : cue_start]) and not self._heads_clause(
                    text, start, mentions, a
                ):
                    continue  # "N, whose army was a partner of A, has since joined B": N's verb
                if (
                    j == i + 1
                    and i > 0
                    and self._in_aside(text, start, mentions[i - 1], a, cue_start)
                ):
                    # "A fighters, reportedly with X's help, ambushed B": A ambushed B
                    if self._fits(mentions[i - 1].actor, relation, b.actor):
                        propose(mentions[i - 1], b, relation, (cue_start, cue_end), passive=passive)
                    continue
                if _ELIDED_SUBJECT.fullmatch(lead) and a is not mentions[0]:
                    continue  # "X is a branch of A and has attacked B": X attacked, not A
                if re.search(_PRONOUN_CLAUSE, text[a.end : cue_start]):
                    continue  # "A …, and it claimed the raid on B": the pronoun's act
                if _PARTICIPLE_CLAUSE.search(text, cue_end, b.start):
                    continue  # "recruits among herders, exploiting grievances against B": the
                    # participle's object, not the cue's
                if _COORDINATED.search(text, cue_end, b.start):
                    continue  # "A protects its partners, and B wants …": B opens another clause
                if re.search(_PRONOUN_CLAUSE, text[cue_end : b.start]):
                    continue  # "A has not joined the strikes, and it has asked B": B is no target
                if re.search(_SUBCLAUSE, text[cue_end : b.start]):
                    continue  # "attacked Kenya, which sends troops to B": B is not attacked
                appositive = (  # "A, also known as A2, leads B": A2 is A, the verb A's
                    i > 0
                    and mentions[i - 1].actor == a.actor
                    and _GLOSS.fullmatch(text[mentions[i - 1].end : a.start]) is not None
                )
                by_phrase = text[cue_start:cue_end].lower().endswith(" by")  # "X, led by Y"
                if _SERIES.fullmatch(lead) and not appositive and not by_phrase:
                    continue  # "topple A, punish B": a verb of a series, not A's (see below)
                if self._signs.get(relation, 0) > 0 and _AGAINST.search(text[cue_end : b.start]):
                    continue  # "cooperation against IS-K": what they work against, no partner
                if local_name(relation) not in _WHERE and _WHERE_PHRASE.search(
                    text, cue_end, b.start
                ):
                    continue  # "coordinated attacks in the border area of B": where, not whom
                propose(a, b, relation, (cue_start, cue_end), passive=passive)
                # a list on either side shares the cue: "recruited from A, B and C"
                speaking = speaker[0] if speaker else None
                for later in self._list_after(text, mentions, j):
                    if later.actor != speaking:
                        propose(a, later, relation, (cue_start, cue_end), passive=passive)
                for earlier in self._list_before(text, mentions, i):
                    if earlier.actor != speaking:
                        propose(earlier, b, relation, (cue_start, cue_end), passive=passive)
        for b, a in itertools.pairwise(mentions):  # "B, a militia that A reportedly armed"
            cue = self._relation_cue(text, a.end, min(end, a.end + 40), "start")
            if (
                cue
                and not cue[3]
                and a.actor != b.actor
                and _OBJECT_RELATIVE.fullmatch(text, b.end, a.start)
                and _AUXILIARIES.fullmatch(text, a.end, cue[1]) is not None
                and _CLAUSE_ENDS.match(text, cue[2])
            ):
                propose(a, b, cue[0], (cue[1], cue[2]), passive=False)
        self._shared_subject(text, start, mentions, speaker, found, propose)
        return found

    @staticmethod
    def _in_aside(text: str, start: int, before: Mention, a: Mention, cue: int) -> bool:
        """Whether ``a`` is named in an aside between commas after ``before``, which the cue
        right after the aside belongs to: "CSP fighters, reportedly with JNIM's help, ambushed"."""
        opening = text.rfind(",", start, a.start)
        return (
            opening >= before.end
            and _ASIDE_OPENING.fullmatch(text, opening, a.start) is not None
            and _ASIDE_CLOSING.fullmatch(text, a.end, cue) is not None
        )

    def _heads_clause(self, text: str, start: int, mentions: list[Mention], a: Mention) -> bool:
        """Whether ``a`` is the actor a relative clause around it is about: "the Islamic State’s
        branch, which … renamed ISSP that year, has been hostile to B" (ISSP, the branch)."""
        opener = _last(re.compile(r",\s+(?:which|who|whose)\b"), text, start, a.start)
        if opener is None:
            return False
        head = [m for m in mentions if m.end <= opener.start() and m.start >= start]
        return bool(head) and head[-1].actor == a.actor

    def _shared_subject(
        self,
        text: str,
        start: int,
        mentions: list[Mention],
        speaker: tuple[str, int, str] | None,
        found: list[Candidate],
        propose: Callable[..., None],
    ) -> None:
        """Verbs in a series share the sentence's subject: "the group intended to topple X,
        punish Y and purify Z" — X, Y and Z each right after a cue, with no claim about them
        yet, are tied to the subject."""

        def cue_before(m: Mention) -> tuple[str, int, int, bool] | None:
            cue = self._relation_cue(text, max(start, m.start - 30), m.start, "end")
            near = cue and _DETERMINERS.fullmatch(text[cue[2] : m.start])
            return cue if near else None

        subject = next(
            (
                m
                for m in mentions
                if self._kinds.get(m.actor) not in ("Place", "Event")
                and not (speaker and m.actor == speaker[0] and speaker[2] != "accuses")
                and cue_before(m) is None
            ),
            None,
        )
        if subject is None:
            return
        explained = {(c.object_iri, c.start) for c in found}
        for b in mentions:
            if b.start <= subject.end or (b.actor, start) in explained:
                continue
            if _RELATIVE.search(text, subject.end, b.start) or _OWN_SUBJECT.search(
                text, subject.end, b.start
            ):
                continue  # "A trained X, which pushed B out", "…: they help B": not A's verb
            cue = cue_before(b)
            if cue is not None and not cue[3]:
                relation, cue_start, cue_end, _ = cue
                if local_name(relation) in _MEMBERSHIP and _LISTED_PART.search(
                    text, max(start, cue_start - 40), cue_start
                ):
                    continue  # "… and the Saharan branch of B": a part of B, not the subject
                propose(subject, b, relation, (cue_start, cue_end), passive=False, weak=True)

    def _listed(self, text: str, left: Mention, right: Mention) -> bool:
        """Whether two actors stand in one list ("A, B and C"), with no conflict or cooperation
        cue between ("… punish Iran and attack the Taliban" is two claims, not a list)."""
        gap = text[left.end : right.start]
        if not _LIST_GAP.fullmatch(gap) or re.search(r"\b(?:which|who|whose|where)\b", gap):
            return False  # "X, which pushed the Y": a clause, not a list
        cue = self._relation_cue(text, left.end, right.start)  # "parts of", "its sub-group" pass
        return cue is None or self._signs.get(cue[0], 0) == 0

    def _list_after(self, text: str, mentions: list[Mention], j: int) -> list[Mention]:
        """The actors listed after ``mentions[j]`` ("A, B and C")."""
        listed = []
        while j + 1 < len(mentions) and self._listed(text, mentions[j], mentions[j + 1]):
            j += 1
            listed.append(mentions[j])
        return listed

    def _list_before(self, text: str, mentions: list[Mention], i: int) -> list[Mention]:
        """The actors listed before ``mentions[i]`` ("A, B and C have all …")."""
        listed = []
        while i > 0 and self._listed(text, mentions[i - 1], mentions[i]):
            i -= 1
            listed.append(mentions[i])
        return listed

    def _fits(self, subject: str, relation: str, obj: str) -> bool:
        """Whether the two actors' kinds can stand in the relation: a place is where things
        are, an event is what is taken part in; an actor of unknown kind fits anything."""
        if subject == obj:
            return False
        name = local_name(relation)
        kind = self._kinds.get
        subject_kind = kind(subject) or self._suggested.get(subject)
        object_kind = kind(obj) or self._suggested.get(obj)
        if subject_kind == "Place" and name != "locatedIn":
            return False
        if object_kind is None:  # a new name of no known kind is no place ("from the CSP")
            return name not in _WHERE or not obj.startswith(PROPOSED)
        if name in _WHERE:
            return object_kind in ("Place", "State")
        if name in ("participatedIn", "perpetrated"):
            return object_kind == "Event"
        if name == "governmentOf":
            return object_kind == "State"
        return object_kind != "Place" or name in ("targets", "recruitsFrom")

    def _nested(self, text: str, outer: Mention) -> list[tuple[str, Mention]]:
        """Ties a compound name states by itself: a government's state ("the Pakistani
        government"), a group's members or leaders ("IS-K prisoners", "senior Islamic State
        leaders"), where a place, event or community is ("Salafis in eastern Afghanistan")."""
        if outer.by != "name":
            return []
        kinds = self._kinds
        outer_kind = kinds.get(outer.actor)
        words = text[outer.start : outer.end]
        inner: list[Mention] = []
        # names inside the whole: those ending before its end, those starting after its start
        shorter = self._names.finditer(words[:-1])
        for match in [*shorter, *self._names.finditer(words, 1)]:
            iri = self._resolve(match.group())
            at = Mention(outer.start + match.start(), outer.start + match.end(), iri or "")
            if iri and iri != outer.actor and all(m.actor != iri for m in inner):
                inner.append(at)
        inner = [  # the longest names only: "the Kabul airport", not also "Kabul"
            m
            for m in inner
            if not any(o is not m and o.start <= m.start and m.end <= o.end for o in inner)
        ]
        if outer_kind == "Government" and not inner:
            for word in re.finditer(r"[A-Z][a-z]+", words):  # a demonym: Pakistani, German
                for state, label in self._states.items():
                    shared = _shared_prefix(word.group(), label)
                    if shared >= 4 and shared * 2 >= len(label):
                        inner.append(
                            Mention(outer.start + word.start(), outer.start + word.end(), state)
                        )
        ties = []
        for m in inner:
            kind = kinds.get(m.actor)
            if _CLAUSE.search(text[outer.start : m.start]):
                # "Afghans who worked with the U.S. government": the clause's cue, if any
                cue = self._relation_cue(text, outer.start, m.start, "end")
                near = cue and _DETERMINERS.fullmatch(text[cue[2] : m.start]) and not cue[3]
                if cue and near and (outer.actor, m.actor) not in self._said:
                    self._said.add((outer.actor, m.actor))
                    ties.append((cue[0], m))
                continue
            relation = None
            if outer_kind == "Government" and kind == "State":
                relation = "governmentOf"
            elif kind in ("Place", "State") and outer_kind in _LOCATED:
                relation = "locatedIn"
            elif kind in ("Place", "State") and outer_kind in ("ArmedGroup", "Organisation"):
                relation = "operatesIn"
            elif kind in _BODIES and outer_kind in ("Person", "PersonGroup"):
                relation = "leads" if _LEADER.search(words) else "memberOf"
                relation = "criticizes" if _CRITIC.search(words) else relation
            if relation and (outer.actor, m.actor) not in self._said:
                self._said.add((outer.actor, m.actor))  # proposed once, where first named
                ties.append((AG[relation], m))
        return ties

    def _structural(self, text: str, a: Mention, b: Mention) -> tuple[str, tuple[int, int]] | None:
        """Ties the words between two actors imply without a cue: "X’s Y" (a part or member),
        "X in Y" for a place Y (activity or location)."""
        gap = text[a.end : b.start]
        kind = self._kinds
        if re.fullmatch(r"[’']s\s+(?:the\s+)?", gap) or re.fullmatch(r"[’']s\s+\w+\s+", gap):
            return AG["partOf"], (a.end, b.start)
        place = kind.get(b.actor) in ("Place", "State") and not re.search(r"[,;:]", gap)
        if (  # "X is the Afghanistan affiliate of Y": active there
            kind.get(b.actor) in ("Place", "State")
            and re.search(r"\b(?:is|was|are|were|as)\s+(?:the|its|an?)\s+$", gap)
            and _BRANCH.match(text, b.end)
        ):
            return AG["operatesIn"], (b.start, b.end)
        where = re.search(r"\bin\s+(?:the\s+)?(?:[\w-]+\s+)?(?:of\s+)?$", gap)
        if place and where and len(gap) <= 60:
            located = kind.get(a.actor) in ("Place", "Event")
            return AG["locatedIn" if located else "operatesIn"], (a.end + where.start(), b.start)
        return None

    def _relation_cue(
        self, text: str, start: int, end: int, near: str = ""
    ) -> tuple[str, int, int, bool] | None:
        """The cue between ``start`` and ``end``: the longest, nearest the middle; or, for a
        window beside a pair (``near`` "start" or "end"), the one closest to the pair."""
        span = text[start:end].lower()
        best = None
        for relation, pattern in self._relations.items():
            for match in pattern.finditer(span):
                if match.group() == "called" and _NAMING.search(span, 0, match.start()):
                    continue  # "X, also called Y": a name, not criticism
                if _ACCUSES.match(text, start + match.start()):
                    continue  # "accuses B of arming C": the arming is the claim
                if (
                    match.group().endswith("ed")
                    and _ADJECTIVAL.search(
                        text[max(0, start + match.start() - 30) : start + match.start()]
                    )
                    and _NOUN_AFTER.match(text, start + match.end())
                ):
                    continue  # "Tuareg and Arab armed groups": an adjective, no deed
                strong = match.group() not in _WEAK_CUES  # "raids against": raids
                key: tuple[float, ...] = (
                    strong,
                    len(match.group()),
                    -abs(match.start() - len(span) / 2),
                )
                if near:
                    key = (-match.start() if near == "start" else match.end(), len(match.group()))
                if best is None or key > best[0]:
                    best = (key, relation, match.start(), match.end())
        if best is None:
            return None
        _, relation, cue_start, cue_end = best
        after = span[cue_end : cue_end + 6]
        word = span[cue_start:cue_end]
        passive = bool(re.match(r"\s+by\b", after)) or word.endswith(" by")  # "commanded by"
        # "IS-K leader X", "its chief, X": X leads (not "X, the leader of Y")
        passive |= word.startswith(("leader", "chief")) and not re.match(r"\s+of\b", after)
        # "A is a proxy of B", "a client of B": the word names the object's role, B sponsors A
        passive |= word.startswith(("prox", "client")) and (
            word.endswith((" of", " for")) or bool(re.match(r"\s+(?:of|for)\b", after))
        )
        return relation, start + cue_start, start + cue_end, passive

    def _speaker(
        self, text: str, start: int, end: int, mentions: list[Mention]
    ) -> tuple[str, int, str] | None:
        """Who a sentence reports ("according to X", "X said …", "…, X claim."): an IRI, where
        the reported part starts, and the speech verb. Reported speech whose speaker cannot be
        named is an unnamed party ("an official", "a source"), never the author."""
        sentence = text[start:end]
        according = _ACCORDING.search(sentence)
        if according:
            clause = _CLAUSE_END.split(sentence[according.end() :], maxsplit=1)[0]
            stop = start + according.end() + len(clause)
            after = [m for m in mentions if start + according.end() <= m.start and m.end <= stop]
            named = self._unnamed(clause)
            if named and (not after or named[1] < after[0].start - start - according.end()):
                return named[0], start + according.end(), "according to"
            if after:
                head = after[0]
                if len(after) > 1 and not text[head.end : after[1].start].strip():
                    head = after[1]  # "according to U.S. Africa Command": the command
                return head.actor, head.end, "according to"
            return self._party("unnamed-source"), start + according.end(), "according to"
        quoted = _SAID_AFTER_QUOTE.search(sentence)
        if quoted:  # “…,” said X
            at = start + quoted.end()
            who = [m for m in mentions if at <= m.start < at + 40]
            found = self._unnamed(sentence[quoted.end() : quoted.end() + 40])
            party = who[0].actor if who else found[0] if found else self._party("unnamed-source")
            return party, start, quoted.group("verb")
        trailing = _TRAILING_SPEECH.search(sentence)
        if trailing:
            at = start + trailing.start("who")
            who = [m for m in mentions if at <= m.start and m.end <= start + trailing.end("who")]
            found = self._unnamed(trailing.group("who"))
            party = found[0] if found else who[0].actor if who else self._party("unnamed-source")
            return party, start, trailing.group("verb")
        verdict = _FOUND_NONE.search(sentence)
        if verdict:  # "UN monitors found no evidence that …": the monitors deny what follows
            at = start + verdict.start()
            before = [
                m
                for m in mentions
                if m.end <= at and at - m.end < 25 and self._kinds.get(m.actor) != "Place"
            ]
            named = self._unnamed(sentence[max(0, verdict.start() - 40) : verdict.start()])
            party = (
                before[-1].actor if before else named[0] if named else self._party("unnamed-source")
            )
            return party, start + verdict.end(), VERDICT
        accuses = _ACCUSES.search(sentence)
        if accuses:  # "Some officials accuse B of recruiting C", "civilians it accuses of …"
            at = start + accuses.start()
            lead = sentence[: accuses.start()]
            before = [
                m
                for m in mentions
                if m.end <= at and at - m.end < 25 and self._kinds.get(m.actor) != "Place"
            ]
            unnamed = self._unnamed(lead[-40:])
            if _PASSIVE_BEFORE.search(lead):  # "Eritrea is accused of …": by an unnamed party
                before, unnamed = [], unnamed or (self._party("unnamed-source"), 0)
            first = next((m.actor for m in mentions if m.end <= at), None)
            pronoun = re.search(r"\b(?:it|they)\s+$", lead)
            party = (
                first
                if pronoun and first
                else before[-1].actor
                if before
                else unnamed[0]
                if unnamed
                else self._party("unnamed-source")
            )
            return party, start + accuses.start(), "accuses"
        negations = [m.span() for m in _NO_EVIDENCE.finditer(sentence)]
        contest = _DISPUTE.search(sentence) or _REJECTED.search(sentence)
        for verb in re.finditer(rf"\b(?:{_SPEECH_VERBS})\b", sentence):
            if any(a <= verb.start() < b for a, b in negations):
                continue  # "nothing suggests that": the author's negation (see _candidate)
            if contest and contest.start() <= verb.start() < contest.end():
                continue  # "…, a claim Tehran denies": who contests it, not who says it
            if _PASSIVE_BEFORE.search(sentence, 0, verb.start()):
                continue  # "X is widely reported to arm Y": X is said to, X says nothing
            at = start + verb.start()
            act = self._relation_cue(text, start + verb.end(), min(end, start + verb.end() + 40))
            deed = _DEED if verb.group().startswith("claim") else _DETERMINERS
            denial = verb.group().startswith("den")
            if act and deed.fullmatch(text[start + verb.end() : act[1]]) and not denial:
                continue  # "IS-K claimed an attack", "claimed the January 2020 raid": a deed
            if act and denial and _DENIED_DEED.fullmatch(text, start + verb.end(), act[1]):
                denier = [m for m in mentions if m.end <= at and at - m.end < 25]
                if denier:  # "Tehran denies arming the group": its own denial of its deed
                    return denier[-1].actor, start, verb.group()
            lead = " ".join(sentence[: verb.start()].split()).lower()
            for words, (slug, _) in _UNNAMED.items():
                if lead.endswith(words):
                    said = self._unnamed(lead[-len(words) - 20 :])  # "Iranian officials"
                    return said[0] if said else self._party(slug), at, verb.group()
            before = [
                m
                for m in mentions
                if m.end <= at and at - m.end < 25 and self._kinds.get(m.actor) != "Place"
            ]
            if before:
                return before[-1].actor, at, verb.group()
            unnamed = self._unnamed(lead[-40:])  # "Officials in Kabul alleged"
            if unnamed:
                return unnamed[0], at, verb.group()
            if re.match(r"\s+that\b", sentence[verb.end() :]):  # "X claimed that …", X unknown
                return self._party("unnamed-source"), at, verb.group()
        return None

    def _unnamed(self, phrase: str) -> tuple[str, int] | None:
        """The unnamed party a phrase names ("press reports", "a senior official"), and where."""
        low = phrase.lower()
        best: tuple[str, int] | None = None
        for words, (slug, _) in _UNNAMED.items():
            hit = re.search(rf"\b{re.escape(words)}\b", low)
            if hit and (best is None or hit.start() < best[1]):
                best = (self._party(slug), hit.start())
                demonym = re.search(r"(\w+)\s+$", low[: hit.start()])
                government = demonym and self._resolve(f"{demonym.group(1)} government")
                if slug == "officials" and government:  # "Pakistani officials"
                    best = (government, demonym.start() if demonym else hit.start())
        return best

    def _party(self, slug: str) -> str:
        iri = f"https://w3id.org/actorgraph/actor/{slug}"
        return iri if iri in self._kinds or iri in self._unnamed_parties else PROPOSED + slug

    def _candidate(
        self,
        text: str,
        bounds: tuple[int, int],
        sentence: str,
        subject: Mention,
        obj: Mention,
        relation: str,
        cue: tuple[int, int],
        speaker: tuple[str, int, str] | None,
        published: str | None,
        between: list[Mention],
        own: bool = False,  # a name's own tie ("IS-K prisoners"): no hedge of the sentence's
    ) -> Candidate:
        start, end = bounds
        claim_end = max(subject.end, obj.end, cue[1])
        if speaker and speaker[1] > claim_end and _CLAUSE_BREAK.search(text, claim_end, speaker[1]):
            speaker = None  # "A attacked B; C said …": C speaks after the author's claim
        if speaker and speaker[2] == "accuses" and claim_end <= speaker[1]:
            speaker = None  # "A attacked civilians it accuses of …": the attack is the author's
        cues = [cue]
        stance, contested = "Asserted", tuple[str, ...]()
        # the words around the claim, not the whole sentence: "X, which may Y, attacked Z"
        low = max(start, min(subject.start, obj.start, cue[0]) - 40)
        high = min(end, max(subject.end, obj.end, cue[1]) + 15)
        no_evidence = None if own else _last(_NO_EVIDENCE, text, start, min(subject.start, cue[0]))
        if no_evidence and _NEW_CLAUSE.search(text, no_evidence.end(), cue[0]):
            no_evidence = None  # "no evidence of X; but Y attacked Z": another clause
        for name in ("Hedged", "Denied"):
            # case kept: "May 2020" is no hedge
            hit = None if own else self._stance[name].search(text, low, high)
            if hit and no_evidence and no_evidence.start() <= hit.start() < no_evidence.end():
                hit = None  # "nothing suggests that": no hedge, a negation
            if hit:
                stance = name
                cues.append((hit.start(), hit.end()))
        dispute = None if own else _DISPUTE.search(sentence) or _REJECTED.search(sentence)
        if dispute:
            group = "whom" if dispute.groupdict().get("whom") else "who"
            words = sentence[dispute.start(group) : dispute.end(group)]
            who = self._contesting or [m.actor for m in self.mentions(words)]
            unnamed = self._unnamed(words)  # "officials denied it": an unnamed party
            if who or unnamed:
                stance, contested = "Disputed", (who[0] if who else unnamed[0] if unnamed else "",)
        if speaker and speaker[2] in ("denied", "denies"):
            stance = "Denied"
        elif speaker and speaker[2].startswith("suspect") and stance == "Asserted":
            stance = "Hedged"  # "analysts suspect that …": a suspicion, not a fact
            cues.append((speaker[1], speaker[1] + len(speaker[2])))
        if not own and _BOTH_DENY.search(sentence):  # "…, although both deny any rift"
            stance, contested = "Disputed", (subject.actor, obj.actor)
        negated = not own and bool(
            _NEGATION.search(text[max(start, cue[0] - 30) : cue[0]])
            or re.search(r"\b(?:neither|nor)\b", text[cue[1] : max(cue[1], obj.start)])
        )
        if speaker and speaker[2] == VERDICT and min(subject.start, cue[0]) >= speaker[1]:
            stance, negated = "Denied", False  # the party's verdict on the claim (guide S4)
        elif no_evidence and speaker:
            stance, negated = "Denied", False  # "according to X, there is no evidence that"
            cues.append(no_evidence.span())
        elif no_evidence:
            negated = True  # the author's own negative statement (guide P1), not a denial
            cues.append(no_evidence.span())
        asserted_by = speaker[0] if speaker else (self.author or "")
        confidence = 0.55
        confidence += 0.2 if cue[0] - subject.end < 40 or obj.start - cue[1] < 40 else 0
        confidence += 0.1 if subject.by == obj.by == "name" else -0.1
        confidence -= 0.15 * len(between)
        confidence -= 0.1 if PROPOSED in subject.actor or PROPOSED in obj.actor else 0
        if speaker and asserted_by.startswith(PROPOSED):
            confidence -= 0.2  # reported speech from a party the reader could not name
        dates = _period(sentence, published, cue[0] - start)
        former = _former_id(self.source, start, end, subject.actor, relation, obj.actor)
        candidate = Candidate(
            id=candidate_id(
                self.source, bounds, (subject.start, subject.end), relation, (obj.start, obj.end)
            ),
            subject=local_name(subject.actor),
            relation=local_name(relation),
            object=local_name(obj.actor),
            stance=stance,
            asserted_by=local_name(asserted_by) if asserted_by else "",
            quote=text[start:end],
            start=start,
            end=end,
            confidence=round(max(0.05, min(0.95, confidence)), 2),
            polarity="Negative" if negated else "Positive",
            contested_by=contested,
            cues=tuple(cues),
            subject_iri=subject.actor,
            object_iri=obj.actor,
            asserted_by_iri=asserted_by,
            **dates,
        )
        self._former_ids[candidate.id] = former
        return candidate


_LIST_GAP = re.compile(
    r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or|nor|as well as)\s+"
    # "Pakistan and, to an extent, with the U.S.": an aside, the preposition again
    r"|\s+(?:and|or),\s+[^,]{1,30},\s+(?:with|to|from|against|of|in|by)\s+"
    # an example or a part named in passing: "the Taliban — specifically the Haqqani Network"
    r"|\s*[—–(,]\s*(?:specifically|particularly|especially|notably|including|like)\s+)"
    r"(?:the\s+)?(?:[a-z][\w-]*\s+){0,3}"
)


@functools.cache
def _country_pattern() -> re.Pattern[str]:
    """Every country's names and every capital, as written (not inside a longer name)."""
    by_first: dict[str, list[str]] = {}  # grouped by first letter: far fewer tries per place
    for name in sorted({*country_names(), *capitals()}, key=len, reverse=True):
        by_first.setdefault(name[0], []).append(re.escape(name[1:]).replace(r"\ ", r"\s+"))
    body = "|".join(f"{re.escape(c)}(?:{'|'.join(rest)})" for c, rest in by_first.items())
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])(?![ \t]+{_UPPER})")


def _either_case_article(word: str) -> str:
    """``word`` as a pattern, an Arabic article at its start in either case: "al-Shabaab" is
    "Al-Shabaab" opening a sentence."""
    if re.match(r"(?i:al|el|ul|an|ad|ash|as)-", word):
        return f"[{word[0].upper()}{word[0].lower()}]{re.escape(word[1:])}"
    return re.escape(word)


@functools.cache
def _state_body_pattern() -> re.Pattern[str]:
    """A state's army, government or ministry named by its demonym: "the Malian army", "Somali
    army units", "Turkish forces", "Rwandan troops", "the Russian defence ministry"."""
    names = "|".join(map(re.escape, sorted(demonyms(), key=len, reverse=True)))
    return re.compile(
        rf"(?<![\w-])(?P<name>(?P<demonym>{names})\s+(?P<body>army|armed\s+forces|military|"
        r"forces|troops|soldiers|"
        r"government|junta|navy|air\s+force|police|coast\s+guard|security\s+forces|"
        r"defen[cs]e\s+ministry|intelligence\s+(?:agency|service)))\b"
    )


def _last(pattern: re.Pattern[str], text: str, start: int, end: int) -> re.Match[str] | None:
    """The last match of ``pattern`` in ``text[start:end]``."""
    found = None
    for match in pattern.finditer(text, start, end):
        found = match
    return found


def _phrases(words: Iterable[str]) -> re.Pattern[str]:
    ordered = sorted({w.lower() for w in words if w}, key=len, reverse=True)
    if not ordered:
        return re.compile(r"(?!x)x")
    body = "|".join(r"\s+".join(_inflected(w) for w in phrase.split()) for phrase in ordered)
    return re.compile(rf"(?<![\w-])(?:{body})")


# the words of a cue phrase that are never inflected: "campaign against", "fighters of"
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "by",
        "for",
        "from",
        "with",
        "against",
        "alongside",
        "into",
        "out",
        "over",
        "up",
        "about",
        "as",
        "any",
        "each",
        "other",
        "one",
        "another",
        "but",
        "however",
        "may",
        "might",
        "could",
        "can",
        "not",
        "no",
    ]
)


def _base(word: str) -> str:
    """A cue word with its inflection taken off: supplied → supply, arming → arm, advised →
    advis(e), backs → back; a word with none (or a noun such as "cooperation") as it is.

    >>> [_base(w) for w in ("supplied", "arming", "advised", "backs", "planned", "kills")]
    ['supply', 'arm', 'advis', 'back', 'plan', 'kill']
    """
    for suffix, repl in (("ied", "y"), ("ies", "y"), ("ing", ""), ("ed", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)] + repl
            if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "lsfz":
                stem = stem[:-1]  # planned, plotted: plan, plot
            return stem
    if re.search(r"(?:[sxz]|[cs]h)es$", word) and len(word) > 4:
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    if word.endswith("e") and len(word) > 3 and not word.endswith("ee"):
        return word[:-1]
    return word


# the irregular forms of cue verbs: "has led Mali" (not "led to"), "fought", "struck"
_IRREGULAR = {
    "lead": r"led(?!\s+to\b)",
    "fight": "fought",
    "strike": "struck",
    "hold": "held",
    "seek": "sought",
    "take": "took|taken",
    "break": "broke|broken",
    "draw": "drew|drawn",
    "meet": "met",
    "send": "sent",
    "give": "gave|given",
    "shoot": "shot",
}


def _inflected(word: str) -> str:
    """A cue word and every inflection of its verb or noun: back → backs, backed, backing;
    supplied → supply, supplies, supplying; advised → advise, advises, advising; coordinated →
    coordinates, coordination; a function word ("against") or a prefix ("anti-") as it is.

    >>> bool(re.fullmatch(_inflected("supplied"), "supplies"))
    True
    >>> bool(re.fullmatch(_inflected("aided"), "aide"))  # another word, a person
    False
    """
    if not word[-1].isalpha() or word in _FUNCTION_WORDS:
        return re.escape(word)
    base = _base(word)
    if re.search(r"[^aeiou]y$", base):  # supply, ally, enemy
        body = re.escape(base[:-1]) + r"(?:y|ies|ied|ying)"
    else:
        stem, last = re.escape(base), re.escape(base[-1])
        e = "" if re.search(r"[aeiou]{2}[^aeiou]$|e$", base) else "e?"  # aid is no aide
        noun = "".join(rf"(?<!\b{a} {stem}e)" for a in ("the", "an", "a"))
        endings = [rf"{e}(?:s|d|ed|ing)", rf"{last}(?:ed|ing)", "es"]
        if e:  # charged → charge, but "a charge" is a noun
            endings.append(f"e{noun}")
        if base.endswith("at"):  # coordinate → coordination
            endings.append("(?:e|ion|ions)")
        # the bare verb, not a noun after an article ("in the lead up to" is no leading)
        # (looked behind only once the stem matched: a lookbehind first costs at every place)
        bare = "".join(rf"(?<!\b{a} {stem})" for a in ("the", "an", "a")) if base != word else ""
        body = rf"{stem}(?:{'|'.join(endings)}|{bare})"
    irregular = _IRREGULAR.get(base) or _IRREGULAR.get(base + "e")
    if irregular:
        body = f"{body}|{irregular}"
    return rf"(?:{re.escape(word)}|{body})(?!\w)"


def _period(sentence: str, published: str | None, at: int | None = None) -> dict[str, str | None]:
    """The period or date ``sentence`` gives the relation whose cue is at ``at``: the dates of
    the cue's clause (coding guide T7); else, for "…, when X", the time the clause before
    ends on; else the sentence's opening "Since March 2022," or "Until 2019,".

    >>> _period("Since mid-2022, X has backed Y, after Z attacked Y in 2021.", None, 20)
    {'valid_from': '2022', 'valid_until': None, 'attested_at': None}
    """
    if at is None:
        return _dates(sentence, published)
    bounds = _clause_bounds(sentence)
    i = max(0, bisect.bisect_right(bounds, at) - 1)
    clause = sentence[bounds[i] : bounds[min(i + 1, len(bounds) - 1)]]
    comma, aside_end = sentence.rfind(",", 0, at), sentence.find(",", at)
    if comma >= 0 and aside_end > 0 and _DATED_ASIDE.match(sentence, comma, aside_end):
        # only the aside's own dates: the main clause's are another predicate's
        return _dates(sentence[comma:aside_end], published)
    own = _dates(clause, published)
    year = own["attested_at"]
    if year and _STARTS.search(clause):  # "became part of X in 2019": from 2019
        own = {"valid_from": year, "valid_until": None, "attested_at": None}
        rest = sentence[bounds[i] + clause.find(year[:4]) + 4 :]
        ends = _ENDS.search(rest)
        if ends:  # "… and was made a province of its own in March 2022": until then
            own["valid_until"] = _when(ends, "end")
    if any(own.values()):
        return own
    if i > 0 and re.match(r"\W*when\b", clause):  # "collapsed in early 2020, when X fought Y"
        before = re.search(rf"{_date('')}\W*$", sentence[bounds[i - 1] : bounds[i]])
        if before:
            return {"valid_from": None, "valid_until": None, "attested_at": _when(before, "")}
    opening = _OPENING_DATE.match(sentence)
    if opening and i > 0 and not _SUBORDINATE.match(clause):
        return _dates(opening.group(), published)
    return own


def _when(match: re.Match[str], name: str) -> str:
    year, month = match[name + "year"], _MONTH_NUMBER.get(match[name + "month"] or "")
    return f"{year}-{month:02d}" if month and not match[name + "part"] else year


#: The longest stretch read as one sentence: a longer one (a list, a table, a text without
#: full stops) is read in pieces ending at a clause break, since reading a sentence costs the
#: square of its length. Prose sentences are far shorter.
MAX_SENTENCE = 1_500


def _bounded(ends: list[int], text: str) -> list[int]:
    """The sentence ``ends`` of ``text``, with a piece end put into every sentence longer than
    :data:`MAX_SENTENCE`, at the last ";" or "," (else space) before that length.

    >>> text = "A, " * 1000 + "end."
    >>> pieces = _bounded([len(text)], text)
    >>> max(b - a for a, b in zip([0, *pieces], pieces)) <= MAX_SENTENCE, pieces[-1] == len(text)
    (True, True)
    """
    bounded, begin = [], 0
    for end in ends:
        while end - begin > MAX_SENTENCE:
            limit = begin + MAX_SENTENCE
            cut = max(text.rfind(";", begin, limit), text.rfind(",", begin, limit))
            if cut <= begin:
                cut = text.rfind(" ", begin, limit)
            cut = cut + 1 if cut > begin else limit
            bounded.append(cut)
            begin = cut
        bounded.append(end)
        begin = end
    return bounded


@functools.lru_cache(maxsize=64)
def _clause_bounds(sentence: str) -> list[int]:
    """Where the clauses of ``sentence`` begin (and it ends): found once per sentence, however
    many candidates it holds (a long text without full stops would otherwise cost the square
    of its length)."""
    return [0, *(m.end() for m in _CLAUSES.finditer(sentence)), len(sentence)]


def _dates(words: str, published: str | None) -> dict[str, str | None]:
    """The period or date ``words`` give (a new dict each call; the reading is cached)."""
    return dict(_read_dates(words, published))


@functools.lru_cache(maxsize=256)
def _read_dates(words: str, published: str | None) -> dict[str, str | None]:
    span = _SPAN.search(words) or _BETWEEN.search(words)
    if span:
        return {
            "valid_from": _when(span, "a"),
            "valid_until": _when(span, "b"),
            "attested_at": None,
        }
    since = _SINCE.search(words)
    until = _UNTIL.search(words)
    if since or until:
        return {
            "valid_from": _when(since, "") if since else None,
            "valid_until": _when(until, "") if until else None,
            "attested_at": None,
        }
    inside = _IN_YEAR.search(words)
    if inside:
        return {"valid_from": None, "valid_until": None, "attested_at": _when(inside, "")}
    if published and _LAST_YEAR.search(words):
        return {"valid_from": None, "valid_until": None, "attested_at": str(int(published[:4]) - 1)}
    return {"valid_from": None, "valid_until": None, "attested_at": None}


def _shared_prefix(a: str, b: str) -> int:
    """How many leading letters two words share: Pakistani and Pakistan, 8."""
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _suggest_class(label: str, before: str = "", after: str = "") -> str:
    """A class for a new name, from its words and the words just before and after it;
    ``Actor`` (no class guessed) when nothing says which.

    >>> _suggest_class("Şahin Çelik", "", ", a commander of the group")
    'Person'
    >>> _suggest_class("Ödül Yılmaz")
    'Actor'
    """
    plain = transliterate(label)
    for pattern, kind in _CLASS_HINTS:
        if re.search(pattern, plain):
            return kind
    if _PLACE_BEFORE.search(before):
        return "Place"
    if _LEADER.search(before[-40:]) or _PERSON_BEFORE.search(before) or _PERSON_AFTER.match(after):
        return "Person"
    group = _GROUP_AFTER.match(after)
    if group:
        return "Organisation" if group.group("kind").startswith("organi") else "ArmedGroup"
    if label.isupper():
        return "ArmedGroup"
    return "Actor"


def transliterate(text: str) -> str:
    """``text`` in plain Latin letters: diacritics stripped, ʿayn and hamza dropped.

    >>> transliterate("Mawlawī ʿAbd al-Raḥmān Zāhidī")
    'Mawlawi Abd al-Rahman Zahidi'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[ʿʾʻʼ‘’']", "", plain).translate(_LETTERS)


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", transliterate(label).lower()).strip("-") or "actor"


def mention_counts(reading: Reading) -> Mapping[str, int]:
    """How often each actor is mentioned (for reports)."""
    counts: dict[str, int] = {}
    for m in reading.mentions:
        counts[m.actor] = counts.get(m.actor, 0) + 1
    return counts
