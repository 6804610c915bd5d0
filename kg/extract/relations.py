"""Relations between entity mentions, read from the dependency parse and the entity types.

Every mention gets *descriptor* words: the words of its sentence that stand for the same thing
— its head word, appositions ("Dara Quill, a spokeswoman ..."), role nouns written before the
name ("FBI spokesman Ned Carver"), the attribute of a copula ("X is a lawyer") and relative
pronouns ("Booth, who ...").  The rules look at what hangs on those words:

* a role noun with an organisation ("a spokeswoman for the Harbour Authority", "FBI spokesman
  X", "the bank's engineer X", "X, president of Y", "X of Y", "X was comptroller at Y", "vice
  president of daytime programs for Y") -> ``worksFor``, or ``memberOf`` for membership roles
  ("a member of", "militant", "candidate") and for a group's armed wing; the role is kept
  ("spokesperson");
* an organisation that is part of another ("X, the armed wing of Y", "Y's armed wing, X",
  "the group's armed wing, X" with the group named before) -> ``partOf``;
* a person with a place ("X of Y", "a resident / native of Y", "X, who lives in Y", "born in
  Y", "Oslo surgeon X", "his Iowa hometown", "Y, the home state of X") -> ``livesIn``; a
  demonym -> ``nationality``;
* an organisation with a place ("the Oslo-based X", "X, based in Y", "X of Y", "Y's X", "the
  U.S. State Department", "X headquarters in Y") -> ``basedIn``;
* a place with a place ("Boston, Mass.", "GSA Depot, Watertown, Mass.", "Kassala in eastern
  Sudan", "A, B and C in southeast Texas", "X, a town in Y") -> ``locatedIn``;
* killing verbs and nouns with their agent and victim: active, passive, relative clauses
  ("Booth, who assassinated Lincoln"), gerunds ("convicted of killing X"), "Y's assassin X",
  "convicted of Y's murder" -> ``killed``;
* a dateline ("BANGKOK, Thailand (AP) --", "(Text) Sofia, February 15 (BTA) --"): the news
  agency -> ``reportsFrom`` each place.

The model's label of a name is checked against what the sentence says of it before the rules
run: a name with an age, "who", a personal role in apposition or a title ("Harrington, 58,
a professor", "Prince X"), or the victim of a killing, is a person; a name ending in an
organisation word ("the Ridge Brigades") or written before a job and a person ("Edison
spokesman Kevin Kelly") is an organisation; one ending in a facility word ("Andrews Air
Force Base") is a place.  "the group" and "its" stand for the organisation named last before
them in the sentence.

Afterwards a place relation is passed up the places its place is in ("of Salem, Ore." gives
Salem and Ore.), and an acronym written next to an organisation ("the Nordic Workers Union
(NWU)") shares its relations.  Where the parse missed them, a few patterns are
read from the words: "FBI spokesman X", "X, the spokesperson of ...", "A killed B".

Confidence is a rule's precision class, not a calibrated probability: 0.85-0.9 for explicit
verbs ("killed", "was born in", "-based"), 0.7-0.8 for appositions, titles and "A, B"
places, 0.5-0.65 for bare "X of Y", possessives, alleged killings, datelines and inferred
chains.  Word lists are module constants and ``kg/data/relations-*.txt``.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from kg.extract.common import text_of, word_list
from kg.model import Mention, Relation

if TYPE_CHECKING:
    from spacy.strings import StringStore
    from spacy.tokens import Doc, Span, Token


RELATION_TYPES = (
    "worksFor",
    "memberOf",
    "livesIn",
    "locatedIn",
    "basedIn",
    "killed",
    "nationality",
    "partOf",
    "reportsFrom",
)
PERSON = frozenset({"PERSON"})
ORG = frozenset({"ORG"})
PLACE = frozenset({"GPE", "LOC", "FAC"})
REGION = frozenset({"GPE", "LOC"})
"""Places something can be in, be based in or live in (a facility is not one)."""
KILLERS = PERSON | ORG | {"NORP", "GROUP"}
"""Who can kill: people, organisations and unnamed groups ("Rebels killed Mayor X")."""
NAMED = PERSON | ORG | PLACE | {"NORP", "GROUP"}

KILL_VERBS = frozenset({
    "kill", "murder", "assassinate", "shoot", "slay", "stab", "strangle", "execute",
    "behead", "gun", "poison", "lynch", "massacre", "slaughter", "butcher", "bludgeon",
    "smother", "electrocute", "decapitate",
})  # fmt: skip
KILL_NOUNS = frozenset({
    "killing", "murder", "assassination", "slaying", "shooting", "execution", "stabbing",
    "strangling", "strangulation", "poisoning", "lynching", "beheading", "homicide",
    "manslaughter", "massacre", "death",
})  # fmt: skip
KILLER_NOUNS = frozenset({"killer", "murderer", "assassin", "slayer", "executioner", "gunman"})
CULPRIT_NOUNS = KILLER_NOUNS | {"suspect", "accused", "defendant", "convict", "culprit",
                                "perpetrator", "man", "woman"}  # fmt: skip
"""Nouns for the doer of a killing named by a noun ("the suspect in X's assassination")."""
CONVICTION_VERBS = frozenset({
    "convict", "sentence", "jail", "imprison", "execute", "condemn", "confess", "admit",
    "plead", "commit", "find", "serve", "receive", "apologize", "act", "carry", "plan", "order",
})  # fmt: skip
"""Verbs whose subject (or, active with an object, whose object) did the killing their
prepositional phrase names ("convicted of murdering X", "acted alone in the Lindt slaying")."""
ALLEGATION_VERBS = frozenset({
    "charge", "arrest", "accuse", "indict", "try", "blame", "suspect", "hold", "prosecute",
    "question", "detain", "face", "implicate", "deny", "acquit", "testify", "capture",
})  # fmt: skip
"""The same, but the killing is only alleged ("charged with killing X"): lower confidence."""
CULPRIT_VERBS = CONVICTION_VERBS | ALLEGATION_VERBS
WEAPON_NOUNS = frozenset({
    "shot", "bullet", "bomb", "round", "blast", "gun", "rifle", "grenade", "shotgun", "pistol",
    "revolver", "weapon", "missile",
})  # fmt: skip
LEGAL_NOUNS = frozenset({
    "sentence", "conviction", "charge", "count", "trial", "indictment", "term", "penalty",
    "prison", "year", "life", "role", "part", "involvement", "guilt", "confession",
})  # fmt: skip
"""Nouns between a culprit and the killing ("serving a sentence for the murder of X")."""
HQ_NOUNS = frozenset({"headquarters", "office", "offices", "plant", "campus", "base", "factory"})
RESIDE_VERBS = frozenset({"live", "reside", "settle", "dwell", "grow", "raise", "bear", "stay"})
WORK_VERBS = frozenset({"work", "serve", "teach", "coach", "play", "spy", "research", "fly"})
"""Verbs that say a person works for the organisation in their prepositional phrase."""
LEAD_VERBS = frozenset({"head", "lead", "chair", "run", "direct", "manage", "represent",
                        "found", "command", "join", "edit", "own"})  # fmt: skip
"""Verbs whose object is the organisation the subject works for ("X heads Y")."""
REPORT_VERBS = frozenset({"write", "report", "cover", "broadcast", "film", "photograph"})
"""Verbs that say so only with "for" ("covers the courts for the Daily Star")."""
HIRE_VERBS = frozenset({"employ", "hire", "appoint", "elect", "recruit", "name"})
WORK_PREPS = frozenset({"for", "at", "with", "in", "of", "on"})
BASED_WORDS = frozenset({"base", "headquarter", "locate", "situate"})
COPULAS = frozenset({"be", "become", "remain"})
_VERB_LEMMAS = (
    KILL_VERBS | RESIDE_VERBS | WORK_VERBS | LEAD_VERBS | REPORT_VERBS | HIRE_VERBS
    | BASED_WORDS | COPULAS
)  # fmt: skip
"""The verbs :meth:`_Finder._verb` has a rule for; it passes over every other verb."""
REL_PRONOUNS = frozenset({"who", "whom", "which", "that"})
PERSONAL_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers"})
HOME_NOUNS = frozenset({"home", "hometown", "birthplace", "homeland", "native"})
LEADER_TITLES = frozenset({
    "president", "king", "queen", "emperor", "empress", "monarch", "ruler", "prime",
    "premier", "chancellor", "leader", "dictator", "sultan", "emir", "tsar", "czar", "pope",
})  # fmt: skip
"""Heads of a state: "president of the United States" is not where the person lives."""
UNIT_NOUNS = frozenset({"wing", "arm", "faction", "cell", "brigade", "militia"})
"""Parts of an armed group: a spokesperson of "the group's armed wing" is a member."""
PART_NOUNS = UNIT_NOUNS | {"branch", "subsidiary", "affiliate", "division", "offshoot"}
"""Nouns that make an organisation part of another ("X, the armed wing of Y", "Y's
subsidiary X") -> ``partOf``."""
AREA_NOUNS = frozenset({
    "part", "region", "area", "outskirts", "suburb", "suburbs", "state", "province", "county",
    "district", "city", "town", "village", "corner", "tip", "coast", "edge", "heart", "center",
    "centre", "north", "south", "east", "west", "northeast", "northwest", "southeast",
    "southwest",
})  # fmt: skip
"""Nouns between "in" and the place that contains ("in the southeastern part of Rwanda")."""
ORG_NOUNS = frozenset({
    "group", "organization", "organisation", "movement", "party", "militia", "company",
    "firm", "union", "agency", "network", "faction",
})  # fmt: skip
"""Nouns by which an article refers back to an organisation it has named ("the group's armed
wing"): within a sentence they stand for the organisation named last before them."""
ORG_HEADS = frozenset({
    "agency", "army", "association", "bank", "brigade", "brigades", "church", "co", "college",
    "commission", "committee", "company", "corp", "corporation", "council", "court",
    "department", "federation", "forces", "foundation", "front", "group", "guard", "inc",
    "institute", "league", "ministry", "movement", "network", "organization", "organisation",
    "party", "police", "service", "union", "university",
})  # fmt: skip
"""Last words of organisation names, which the model may tag as people or places."""
PERSON_TITLES = frozenset({
    "president", "prince", "princess", "premier", "sen.", "gen.", "gov.", "rep.", "sheikh",
    "emir", "pope", "archduke", "archbishop", "cardinal", "rev.",
})  # fmt: skip
"""Titles that, written first in a name, make it a person's ("Prince Norodom Ranariddh")."""
FACILITY_HEADS = frozenset({
    "airport", "base", "bridge", "channel", "dam", "depot", "harbor", "harbour", "mine",
    "observatory", "palace", "penitentiary", "plant", "port", "range", "reactor", "seashore",
    "shipyard", "square", "stadium", "station", "tower",
})  # fmt: skip
"""Last words of names of built places, which the model may tag as organisations."""
NOT_PERSONAL_ROLES = frozenset({
    "member", "partner", "owner", "publisher", "associate", "agent", "player", "producer",
    "representative", "delegate", "leader", "head", "chief", "employee", "founder", "state",
    "special", "foreign", "defence", "defense", "general", "chair", "speaker",
})  # fmt: skip
"""Role words that organisations and places are described by too ("a member of NATO")."""
SIGNATURES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "worksFor": (PERSON, ORG),
    "memberOf": (PERSON, ORG),
    "livesIn": (PERSON, REGION | ORG),
    "basedIn": (ORG, REGION | ORG),
    "locatedIn": (PLACE, REGION | ORG),
    "killed": (KILLERS, PERSON),
    "nationality": (PERSON, frozenset({"NORP"})),
    "partOf": (ORG, ORG),
    "reportsFrom": (ORG, PLACE | ORG),
}
"""Labels of head and tail for each relation type.  A place may carry an organisation label
where the model got it wrong ("the Oslo-based ..." with Oslo tagged ORG); the rules decide."""


def extract_relations(doc: Doc, mentions: list[Mention]) -> list[Relation]:
    """Relations between the mentions of each sentence of ``doc``.

    ``mentions`` are kg mentions (:func:`kg.extract.entities.entity_mentions`, possibly with
    nominal ones); their labels decide which relations may hold.  One relation per type, head
    and tail, with the highest confidence any rule gave it.
    """
    return _Finder(doc, mentions).run()


_TOKEN_RULE_LEMMAS = KILL_NOUNS | KILLER_NOUNS | HOME_NOUNS | HQ_NOUNS | PART_NOUNS
"""Lemmas (casefolded) that the token rules of :meth:`_Finder.run` look at besides verbs."""

_STRINGS: dict[int, str] = {}
_CASEFOLDED: dict[int, str] = {}
_CACHE_MAX = 100_000


def _string(strings: StringStore, key: int) -> str:
    """The string of a symbol or hash from a doc's array (the same in every vocab: symbols are
    fixed and the other keys are hashes of their strings), looked up once per process."""
    text = _STRINGS.get(key)
    if text is None:
        if len(_STRINGS) >= _CACHE_MAX:  # lemmas of a whole archive: keep memory bounded
            _STRINGS.clear()
            _CASEFOLDED.clear()
        text = _STRINGS[key] = strings[key]
    return text


def _casefolded(strings: StringStore, key: int) -> str:
    text = _CASEFOLDED.get(key)
    if text is None:
        text = _CASEFOLDED[key] = _string(strings, key).casefold()
    return text


# ---------------------------------------------------------------------- the finder
class _Finder:
    def __init__(self, doc: Doc, mentions: list[Mention]) -> None:
        self.doc = doc
        self.member_roles, self.residence, self.roles = _word_lists()
        self.honorifics = word_list("honorifics")
        self.describers = self.roles | self.residence | KILLER_NOUNS
        self.at: dict[int, Mention] = {}
        self.anchor: dict[tuple[int, int], Token] = {}
        self.spans: dict[tuple[int, int], Span] = {}
        for m in sorted(mentions, key=lambda m: (m.nominal, -(m.end - m.start), m.start)):
            if m.label not in NAMED or m.key in self.spans:
                continue
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or not len(span) or any(t.i in self.at for t in span):
                continue
            if m.label != "PERSON" and not m.kb_key and not m.nominal and self._personal(span):
                m = replace(m, label="PERSON")  # "Harrington, 58, a professor": a person
            elif (
                m.label in {"PERSON", "GPE", "NORP"}
                and not m.kb_key
                and len(span) > 1
                and (span[-1].lower_.rstrip(".") in ORG_HEADS)
            ):
                m = replace(m, label="ORG")  # "the Ridge Brigades", "the Forest Service"
            elif m.label == "PERSON" and not m.kb_key and self._employer(span):
                m = replace(m, label="ORG")  # "Edison spokesman Kevin Kelly": an employer
            elif m.label == "ORG" and len(span) > 1 and span[-1].lower_ in FACILITY_HEADS:
                m = replace(m, label="FAC")  # "Andrews Air Force Base": a place
            for tok in span:
                self.at[tok.i] = m
            self.anchor[m.key] = span.root
            self.spans[m.key] = span
        self.mentions = sorted(
            {id(m): m for m in self.at.values() if self.at.get(self.anchor[m.key].i) is m}.values(),
            key=lambda m: m.start,
        )
        self.by_key = {m.key: m for m in self.mentions}
        self.denotes: dict[int, list[Mention]] = {}
        for m in self.mentions:
            for i in self._descriptors(m):
                self.denotes.setdefault(i, []).append(m)
        self.found: dict[tuple[str, tuple[int, int], tuple[int, int]], Relation] = {}

    def _personal(self, span: Span) -> bool:
        """Whether the words around a name say it names a person, whatever its label: an
        age ("Harrington, 58,"), "who" ("Walesa, who ..."), or a personal role in apposition
        or after a copula ("Tal, a senior Defense Ministry official", "X is a professor")."""
        doc = self.doc
        end = span.end
        if len(span) > 1 and span[0].lower_ in PERSON_TITLES | self.honorifics:
            return True  # "Prince Norodom Ranariddh"
        if end + 2 < len(doc) and doc[end].text == "," and doc[end + 2].text in {",", "."}:
            age = doc[end + 1]
            if age.is_digit and 0 < int(age.text) < 120:
                return True
        if end + 1 < len(doc) and doc[end].text == "," and doc[end + 1].lower_ == "who":
            return True
        root = span.root
        head = root.head.lemma_.casefold()
        if root.dep_ in {"dobj", "nsubjpass"} and head in KILL_VERBS:
            return True  # the victim of a killing: "Brutus killed Caesar", "X was shot"
        if root.dep_ in {"poss", "compound"} and head in KILL_NOUNS | KILLER_NOUNS:
            return True  # "Kennedy's assassination", "King assassin James Earl Ray"
        of_what = root.head.head.lemma_.casefold() if root.head.lower_ == "of" else ""
        if root.dep_ == "pobj" and of_what in KILL_NOUNS | KILLER_NOUNS:
            return True  # "the assassination of Lincoln", "assassin of Lincoln"
        words = [c for c in root.children if c.dep_ == "appos"]
        if root.dep_ == "nsubj" and root.head.lemma_ in COPULAS:
            words += [c for c in root.head.children if c.dep_ == "attr"]
        personal = (self.roles - NOT_PERSONAL_ROLES) | KILLER_NOUNS | self.residence
        return any(w.pos_ == "NOUN" and w.lemma_.casefold() in personal for w in words)

    def _employer(self, span: Span) -> bool:
        """'Edison spokesman Kevin Kelly': a name written before a lower-case job word and a
        person's name stands for whom they work for, not for a person."""
        doc = self.doc
        i = span.end
        jobs = 0
        while i < len(doc) and jobs < 3 and doc[i].is_lower:
            if doc[i].lemma_.casefold() not in self.roles - LEADER_TITLES:
                return False
            jobs += 1
            i += 1
        return jobs > 0 and i < len(doc) and doc[i].ent_type_ == "PERSON"

    # ------------------------------------------------------------------ descriptors
    def _descriptors(self, m: Mention) -> set[int]:
        """Words outside the mention that stand for it: appositions, role nouns before the
        name, copular attributes, relative pronouns, "as" phrases."""
        anchor = self.anchor[m.key]
        inside = {t.i for t in self.spans[m.key]}
        out: set[int] = set()
        frontier = [anchor]
        if m.label in PERSON:
            role = self._role_after(self.spans[m.key].end)
            if role is not None:  # "X, the spokesperson of ..." hung elsewhere by the parse
                out.add(role.i)
                frontier.append(role)
        while frontier:
            tok = frontier.pop()
            cands: list[Token] = []
            for child in tok.children:
                if child.dep_ == "appos":
                    cands.append(child)
                elif child.dep_ == "relcl":
                    cands += [
                        g
                        for g in child.children
                        if g.lower_ in REL_PRONOUNS and g.dep_ in {"nsubj", "nsubjpass", "dobj"}
                    ]
                elif child.dep_ in {"compound", "nmod"} and child.i < tok.i:
                    cands.append(child)  # "FBI spokesman Ned Carver": the role noun
                elif child.dep_ == "acl" and child.lemma_ in {"name", "call", "identify"}:
                    cands += [g for g in child.children if g.dep_ in {"oprd", "attr", "dobj"}]
            if tok.dep_ == "appos":
                cands.append(tok.head)
                owner = tok.head
                if (
                    m.label in PERSON
                    and owner.i in self.at
                    and owner.dep_ == "pobj"
                    and owner.head.dep_ == "prep"
                    and owner.head.head.lemma_.casefold() in self.describers
                ):
                    cands.append(owner.head.head)  # "the mayor of Tulsa, Rhea Kent" misparsed
            copula = tok.head.lemma_ in COPULAS and not _negated(tok.head)  # not "X is not Y"
            if tok.dep_ in {"nsubj", "nsubjpass"} and copula:
                cands += [c for c in tok.head.children if c.dep_ in {"attr", "acomp"}]
            if tok.dep_ == "attr" and copula:
                cands += [c for c in tok.head.children if c.dep_ == "nsubj"]
            if tok.dep_ in {"nsubj", "nsubjpass"}:  # "X, who as a Tulsa policeman shot ..."
                for sib in tok.head.children:
                    if sib.dep_ == "prep" and sib.lower_ == "as":
                        cands += _pobjs(sib)
            for cand in cands:
                if cand.i in out or cand.i in inside or cand.i in self.at:
                    continue
                if not self._describes(cand):
                    continue
                out.add(cand.i)
                frontier.append(cand)
        return out

    def _describes(self, tok: Token) -> bool:
        """A word that can stand for a named thing: a common noun ("spokesman"), a relative
        pronoun, a capitalised role word ("Administrator"), "native"; not an unrecognised
        name."""
        if tok.pos_ == "NOUN":
            return True
        if tok.pos_ == "PRON":
            return tok.lower_ in REL_PRONOUNS
        known = tok.lower_.rstrip(".") in self.describers or tok.lemma_ in self.describers
        if tok.pos_ == "PROPN":  # tagged as a name: "Administrator", "assassin"
            return known or tok.text.islower()
        return tok.pos_ == "ADJ" and tok.lower_ in self.residence  # "a Tulsa native"

    def _role_after(self, end: int) -> Token | None:
        """The role noun of an apposition written right after a name: ", the spokesperson"."""
        doc = self.doc
        if end + 1 >= len(doc) or doc[end].text != ",":
            return None
        for i in range(end + 1, min(end + 6, len(doc))):
            tok = doc[i]
            if i in self.at or tok.is_punct:
                return None
            if tok.pos_ == "NOUN" and tok.lemma_.casefold() in self.describers:
                nxt = doc[i + 1] if i + 1 < len(doc) else None
                if nxt is not None and nxt.pos_ == "NOUN":
                    continue  # "a company official": the head comes later
                return tok
            if tok.pos_ not in {"DET", "ADJ", "NOUN", "NUM", "ADV", "PROPN"}:
                return None
        return None

    def refs(
        self, tok: Token, labels: frozenset[str], avoid: tuple[Mention, ...] = ()
    ) -> list[Mention]:
        """The mentions ``tok`` (or a word coordinated with it) stands for; "he" and "him"
        are the nearest person named before them in the sentence (but not ``avoid``)."""
        out: list[Mention] = []
        for t in [tok, *tok.conjuncts]:
            m = self.at.get(t.i)
            if m is not None:
                found = [m]
            elif t.lower_ in PERSONAL_PRONOUNS and t.pos_ == "PRON" and "PERSON" in labels:
                found = self._antecedent(t, avoid)
            elif "ORG" in labels and t.i not in self.denotes and _org_reference(t):
                found = self._antecedent(t, avoid, "ORG")
            else:
                found = self.denotes.get(t.i, [])
            out += [f for f in found if f.label in labels and f not in out and f not in avoid]
        return out

    def _antecedent(
        self, pronoun: Token, avoid: tuple[Mention, ...], label: str = "PERSON"
    ) -> list[Mention]:
        """The mention of ``label`` named last before ``pronoun`` in its sentence."""
        sent = pronoun.sent
        for m in reversed(self.mentions):
            if m.label != label or m in avoid or m.end > pronoun.idx:
                continue
            if self.anchor[m.key].sent == sent:
                return [m]
        return []

    def owners(self, tok: Token, labels: frozenset[str]) -> list[tuple[Mention, bool]]:
        """The mentions a phrase names: itself, or through its owner ("the Nordic Bank's
        research unit" -> Nordic Bank, "in Hordaland county" -> Hordaland).  The flag says
        whether an owner was used."""
        direct = self.refs(tok, labels)
        if direct:
            return [(m, False) for m in direct]
        out: list[tuple[Mention, bool]] = []
        if tok.pos_ in {"NOUN", "PROPN"} and tok.i not in self.at:
            named = self._named_after(tok)  # "the group's armed wing, al-Qassam Brigades"
            if named is not None and named.label in labels:
                out.append((named, False))
            for child in tok.children:
                if child.dep_ in {"poss", "compound", "nmod"}:
                    out += [(m, True) for m in self.refs(child, labels)]
                elif child.dep_ == "prep" and child.lower_ == "of":
                    out += [(m, True) for g in _pobjs(child) for m in self.refs(g, labels)]
        return out

    # ------------------------------------------------------------------ output
    def add(
        self,
        kind: str,
        head: Mention,
        tail: Mention,
        confidence: float,
        *tokens: Token,
        role: str = "",
    ) -> None:
        heads, tails = SIGNATURES[kind]
        if head.key == tail.key or head.label not in heads or tail.label not in tails:
            return
        if self.anchor[head.key].sent != self.anchor[tail.key].sent:
            return
        if _overlap(head.key, tail.key):
            return
        first, second = sorted((head.key, tail.key))
        if text_of(self.doc)[first[1] : second[0]].strip() in {"-", "–", "/"}:
            return  # "the Israel-Hamas war", "U.S.-Soviet talks": a pair, not a relation
        starts = [head.start, tail.start, *(t.idx for t in tokens)]
        ends = [head.end, tail.end, *(t.idx + len(t.text) for t in tokens)]
        span = (min(starts), max(ends))
        key = (kind, head.key, tail.key)
        reverse = self.found.get((kind, tail.key, head.key))
        if kind in {"locatedIn", "basedIn", "partOf"} and reverse is not None:
            if reverse.confidence >= confidence:
                return  # a place is not in what it contains
            del self.found[(kind, tail.key, head.key)]
        old = self.found.get(key)
        if (
            old is None
            or old.confidence < confidence
            or (old.confidence == confidence and role and not old.role)
        ):
            self.found[key] = Relation(
                kind,
                head.key,
                tail.key,
                head.sentence,
                round(confidence, 2),
                text_of(self.doc)[span[0] : span[1]],
                span,
                role or (old.role if old else ""),
            )

    def run(self) -> list[Relation]:
        for m in self.mentions:
            if m.label in PERSON:
                self._person(m)
            elif m.label in ORG:
                self._organisation(m)
            elif m.label in PLACE:
                self._place(m)
        # Read from the doc's arrays: a Token is made only for the words a rule looks at.
        doc, strings = self.doc, self.doc.vocab.strings
        for i, (pos_id, tag_id, lemma_id) in enumerate(
            doc.to_array(["POS", "TAG", "LEMMA"]).tolist()
        ):
            if i in self.at:
                continue
            pos, tag = _string(strings, pos_id), _string(strings, tag_id)
            lemma = _casefolded(strings, lemma_id)
            verbal = pos in {"VERB", "AUX"} or tag in {"VBN", "VBD", "VBG"}
            if not verbal and lemma not in _TOKEN_RULE_LEMMAS:
                continue
            tok = doc[i]
            if verbal:
                self._verb(tok)
            if pos == "NOUN" and lemma in KILL_NOUNS:
                self._kill_noun(tok)
            if pos == "NOUN" and lemma in KILLER_NOUNS:
                self._killer_noun(tok)
            if lemma in HOME_NOUNS:
                self._home(tok)
            if lemma in HQ_NOUNS:
                self._headquarters(tok)
            if pos == "NOUN" and lemma in PART_NOUNS:
                self._part(tok)
        for m in self.mentions:
            if m.label in PERSON:
                self._titled_name(m)
        self._datelines()
        self._aliases()
        self._chain()
        return sorted(self.found.values(), key=lambda r: (r.head, r.tail, r.type))

    # ------------------------------------------------------------------ persons
    def _descriptor_tokens(self, m: Mention) -> list[Token]:
        out = [self.anchor[m.key]]
        out += [self.doc[i] for i in sorted(self.denotes) if m in self.denotes[i]]
        return out

    def _person(self, p: Mention) -> None:
        anchor = self.anchor[p.key]
        descs = self._descriptor_tokens(p)
        # role words written in the name's own phrase ("FBI spokesman X", "Lind assassin X")
        name_roles = [
            d.lemma_.casefold() for d in descs if d.i != anchor.i and d.head.i == anchor.i
        ]
        for desc in descs:
            role = desc.lemma_.casefold() if desc.i != anchor.i else ""
            roles = [role] if role else name_roles
            for child in desc.children:
                if child.i in self.at and self.at[child.i] is p:
                    continue
                if child.dep_ in {"poss", "compound", "nmod", "amod", "npadvmod"}:
                    self._person_modifier(p, child, roles, desc)
                elif child.dep_ == "prep":
                    self._person_prep(p, child, role, desc)
            if role and desc.dep_ == "attr" and desc.head.lemma_ in COPULAS:
                for prep in desc.head.children:  # "X was comptroller at the university"
                    if prep.dep_ == "prep" and prep.i > desc.i:
                        self._person_prep(p, prep, role, desc)
            if desc.i == anchor.i:  # "Mayor Ana Ruiz's" written inside the mention
                for tok in self.spans[p.key]:
                    if tok.dep_ == "poss" and tok.head.i not in self.at:
                        self._person_modifier(p, tok, name_roles, desc)
        # "Ann Vik and Ole Dahl of the Nordic Bank": the last name's phrase is shared
        if not any(c.dep_ == "prep" for c in anchor.children):
            for other in anchor.conjuncts:
                if other.i > anchor.i and self.at.get(other.i, p).label in PERSON:
                    for prep in other.children:
                        if prep.dep_ == "prep" and prep.lower_ in {"of", "from", "at", "with"}:
                            self._person_prep(p, prep, "", anchor)

    def _person_modifier(self, p: Mention, mod: Token, roles: list[str], desc: Token) -> None:
        killer = any(r in KILLER_NOUNS for r in roles)
        if killer and mod.dep_ in {"poss", "compound", "nmod"}:
            for v in self.refs(mod, PERSON, (p,)):
                self.add("killed", p, v, 0.8, desc)
        for m, via_owner in self.owners(mod, ORG | REGION | {"NORP"}):
            if m.label == "NORP":
                if mod.dep_ in {"amod", "compound", "nmod"}:
                    self.add("nationality", p, m, 0.8, desc)
            elif m.label in ORG:
                if roles or mod.dep_ == "poss":
                    kind = self._work_type(roles, mod)
                    conf = 0.6 if via_owner else 0.75
                    self._work(kind, p, m, conf, desc, role=self._role_text(desc, p))
            elif m.label in REGION and mod.dep_ in {"poss", "compound", "nmod"}:
                self.add("livesIn", p, m, 0.55 if via_owner else 0.65, desc)

    def _person_prep(self, p: Mention, prep: Token, role: str, desc: Token) -> None:
        word = prep.lower_
        for pobj in _pobjs(prep):
            if word in WORK_PREPS and (role or word in {"of", "at", "with"}):
                found = self.owners(pobj, ORG)
                for m, via_owner in found:
                    conf = (0.7 if role else 0.55) - (0.1 if via_owner else 0.0)
                    kind = self._work_type([role], pobj)
                    self._work(kind, p, m, conf, desc, prep, role=self._role_text(desc, p))
                if not found and role in self.roles and pobj.i not in self.at:
                    # "vice president of daytime programs for ABC Entertainment"
                    for m, deeper in self._deeper_orgs(pobj):
                        kind = self._work_type([role], pobj)
                        self._work(
                            kind, p, m, 0.55, desc, prep, deeper, role=self._role_text(desc, p)
                        )
            residence = role in self.residence
            if (word in {"of", "from"} and role not in LEADER_TITLES) or (
                word in {"in", "at"} and residence
            ):
                for m in self.refs(pobj, REGION):
                    self.add("livesIn", p, m, 0.75 if residence else 0.55, desc, prep)
            if role in CULPRIT_NOUNS:
                if pobj.lemma_.casefold() in KILL_NOUNS:
                    for v in self._victims(pobj, (p,)):
                        self.add("killed", p, v, 0.7, desc, pobj)
                elif role in KILLER_NOUNS and word == "of":
                    for v in self.refs(pobj, PERSON, (p,)):
                        self.add("killed", p, v, 0.8, desc)

    def _deeper_orgs(self, noun: Token, depth: int = 2) -> list[tuple[Mention, Token]]:
        """Organisations named further down a chain of prepositional phrases ("of new
        products at American Express"), with the preposition that names each."""
        out: list[tuple[Mention, Token]] = []
        for prep in noun.children:
            if prep.dep_ != "prep" or prep.lower_ not in {"for", "at", "with", "of", "in"}:
                continue
            for g in _pobjs(prep):
                found = self.refs(g, ORG)
                out += [(m, prep) for m in found]
                if not found and depth > 1 and g.i not in self.at:
                    out += self._deeper_orgs(g, depth - 1)
        return out

    def _work(
        self, kind: str, p: Mention, org: Mention, conf: float, *tokens: Token, role: str = ""
    ) -> None:
        """The person works for the organisation and for the one it belongs to ("Bergen
        University's Law School")."""
        self.add(kind, p, org, conf, *tokens, role=role)
        for child in self.anchor[org.key].children:
            parent = self.at.get(child.i)
            if (
                child.dep_ in {"poss", "compound"}
                and parent is not None
                and parent is not org
                and parent.label in ORG
            ):
                self.add(kind, p, parent, conf - 0.1, *tokens, role=role)

    def _titled_name(self, p: Mention) -> None:
        """'FBI spokesman Ned Carver', 'Coast Guard Lt. Ida Berg', 'Oslo surgeon X', read
        from the words when the parse missed them: organisation or place, role words, name."""
        doc = self.doc
        i = self.spans[p.key].start - 1
        roles: list[Token] = []
        while i >= 0 and len(roles) < 5:
            tok = doc[i]
            if i in self.at:
                break
            if tok.lower_.rstrip(".") in self.roles or (tok.pos_ == "NOUN" and tok.is_lower):
                roles.append(tok)  # "Oslo plastic surgeon X": any common noun
            elif not (tok.text == "." or (roles and tok.pos_ == "ADJ")):
                break
            i -= 1
        if i >= 0 and doc[i].tag_ == "POS" and i - 1 in self.at:  # "the fleet's officer X"
            i -= 1
        other = self.at.get(i)
        if not roles or other is None or not any(r.pos_ in {"NOUN", "PROPN"} for r in roles):
            return
        words = {r.lower_.rstrip(".") for r in roles}
        if other.label in ORG:
            kind = self._work_type(sorted(words), roles[0])
            role = " ".join(r.text for r in reversed(roles) if r.lower_.rstrip(".") in self.roles)
            self._work(kind, p, other, 0.65, *roles, role=role)
        elif other.label in REGION and not words & LEADER_TITLES:
            self.add("livesIn", p, other, 0.55, *roles)
        elif other.label == "NORP":
            self.add("nationality", p, other, 0.7, *roles)

    def _headquarters(self, noun: Token) -> None:
        """'the bank's Oslo headquarters', 'the Geneva office of the Red Cross', 'NRC
        headquarters in Rockville'."""
        owners = [c for c in noun.children if c.dep_ == "poss"]
        owners += [
            g for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" for g in _pobjs(c)
        ]
        owners += [  # "NRC headquarters": an organisation written before the noun
            c
            for c in noun.children
            if c.dep_ in {"compound", "nmod"} and self.at.get(c.i, _NOBODY).label in ORG
        ]
        for owner in owners:
            for org in self.refs(owner, ORG):
                places = [c for c in noun.children if c.dep_ in {"compound", "nmod"}]
                preps = [c for c in noun.children if c.dep_ == "prep"]
                after = noun.right_edge.i + 1  # "headquarters in X" hung on another word
                if not preps and after < len(self.doc) and self.doc[after].dep_ == "prep":
                    preps.append(self.doc[after])
                places += [g for c in preps if c.lower_ in {"in", "at"} for g in _pobjs(c)]
                for t in places:
                    for m in self.refs(t, REGION):
                        self.add("basedIn", org, m, 0.7, noun)

    def _role_text(self, desc: Token, p: Mention) -> str:
        """The role a descriptor word names, with the role words before it ("assistant
        product manager", "deputy secretary"); "" when it is no role noun (the name itself,
        "a Republican")."""
        if desc.i in self.at or desc.lemma_.casefold() not in self.roles | self.member_roles:
            return ""
        return self._noun_phrase(desc)

    def _noun_phrase(self, noun: Token) -> str:
        """The noun with the adjectives and nouns written right before it ("armed wing")."""
        start = noun.i
        for child in reversed(list(noun.lefts)):
            if child.i != start - 1 or child.i in self.at:
                break
            if child.dep_ not in {"compound", "amod"} or child.pos_ not in {"NOUN", "ADJ"}:
                break
            start = child.i
        return self.doc[start : noun.i + 1].text

    def _part(self, noun: Token) -> None:
        """'X, the armed wing of Y', 'Y's armed wing, X', 'the group's armed wing, X' (the
        group named before): X is part of Y."""
        parents: list[Mention] = []
        for child in noun.children:
            if child.dep_ == "poss":
                parents += self.refs(child, ORG)
            elif child.dep_ == "prep" and child.lower_ == "of":
                parents += [m for g in _pobjs(child) for m in self.refs(g, ORG)]
        if not parents:
            return
        units = [m for m in self.denotes.get(noun.i, []) if m.label in ORG]
        after = self._named_after(noun)
        if after is not None and after.label in ORG and after not in units:
            units.append(after)
        role = self._noun_phrase(noun)
        for unit in units:
            for parent in parents:
                self.add("partOf", unit, parent, 0.75, noun, role=role)

    def _named_before(self, noun: Token) -> Mention | None:
        """The mention written right before the noun's phrase and a comma ("Salem, the
        home town of ..."), whatever the parse made of the apposition."""
        left = noun.left_edge.i - 1
        if left < 1 or self.doc[left].text != ",":
            return None
        m = self.at.get(left - 1)
        if m is None or self.spans[m.key].end != left:
            return None
        return m

    def _named_after(self, noun: Token) -> Mention | None:
        """The mention written right after the noun's phrase and a comma ("the group's armed
        wing, al-Qassam Brigades"), when the parse hung it elsewhere."""
        right = noun.right_edge.i + 1
        if right + 1 >= len(self.doc) or self.doc[right].text != ",":
            return None
        nxt = right + 1
        if self.doc[nxt].lower_ == "the" and nxt + 1 < len(self.doc):
            nxt += 1
        m = self.at.get(nxt)
        if m is None or self.spans[m.key].start != nxt:
            return None
        return m

    def _work_type(self, roles: list[str], via: Token) -> str:
        if any(r in self.member_roles for r in roles):
            return "memberOf"
        if via.lemma_.casefold() in UNIT_NOUNS:
            return "memberOf"
        return "worksFor"

    # ------------------------------------------------------------------ organisations
    def _organisation(self, o: Mention) -> None:
        for desc in self._descriptor_tokens(o):
            for child in desc.children:
                if child.i in self.at and self.at[child.i] is o:
                    continue
                if child.dep_ in {"poss", "compound", "nmod"}:
                    for m in self.refs(child, REGION):
                        self.add("basedIn", o, m, 0.6, desc)
                elif child.dep_ == "prep" and child.lower_ in {"of", "in", "at", "from"}:
                    for g in _pobjs(child):
                        for m, via_owner in self.owners(g, REGION):
                            self.add("basedIn", o, m, 0.5 if via_owner else 0.6, desc, child)
                elif child.dep_ in {"amod", "acl"} and child.lemma_.casefold() in BASED_WORDS:
                    self._based(o, child)
        b = self._comma_place(o)
        if b is not None:
            self.add("basedIn", o, b, 0.5, *self.spans[b.key])
        start = self.spans[o.key].start
        before = self.at.get(start - 1)  # "Oslo Aftenposten", "the U.S. State Department"
        if (
            before is not None
            and before.label in REGION
            and "\n" not in self.doc[start - 1].whitespace_
        ):
            self.add("basedIn", o, before, 0.55)

    def _based(self, thing: Mention, based: Token) -> None:
        """'the Oslo-based X', 'X, based in Y', 'X is located in Y'."""
        kind = {"ORG": "basedIn", "PERSON": "livesIn"}.get(thing.label, "locatedIn")
        for child in based.children:
            if child.dep_ in {"npadvmod", "compound", "nmod", "amod", "advmod"}:
                for m in self.refs(child, REGION | ORG):  # "Oslo-based": any label
                    self.add(kind, thing, m, 0.9, based)
            elif child.dep_ == "prep" and child.lower_ in {"in", "at"}:
                for g in _pobjs(child):
                    for m, _ in self.owners(g, REGION):
                        self.add(kind, thing, m, 0.9, based, child)
        left = based.i - 2  # "Oslo-based": the hyphen may split the parse
        if left >= 0 and self.doc[based.i - 1].text == "-" and left in self.at:
            m = self.at[left]
            if m.label in REGION | ORG:
                self.add(kind, thing, m, 0.9, based)

    # ------------------------------------------------------------------ places
    def _place(self, a: Mention) -> None:
        anchor = self.anchor[a.key]
        for desc in self._descriptor_tokens(a):
            for child in desc.children:
                if child.i in self.at and self.at[child.i] is a:
                    continue
                if child.dep_ == "poss":
                    for m in self.refs(child, REGION):
                        self.add("locatedIn", a, m, 0.6, desc)
                elif child.dep_ == "prep" and child.lower_ in {"in", "of"}:
                    if child.lower_ == "of" and desc.i == anchor.i:
                        continue  # "the Palace of Fine Arts": part of a name
                    if desc.i == anchor.i and self._destination(a):
                        continue  # "the crossing to Egypt in the southern Gaza Strip"
                    for g in _pobjs(child):
                        for m, via_owner in self.owners(g, REGION):
                            self.add("locatedIn", a, m, 0.55 if via_owner else 0.65, desc, child)
        whole = self._in_after(a)
        if whole is not None:  # "Kassala in eastern Sudan", "A, B and C in southeast Texas"
            for part in [a, *self._listed_before(a)]:
                self.add("locatedIn", part, whole, 0.6, *self.spans[whole.key])
        b = self._comma_place(a)
        if b is not None:
            self.add("locatedIn", a, b, 0.8, *self.spans[b.key])
            start = self.spans[a.key].start
            before = self.at.get(start - 2)  # "Port Arthur and Galveston, Texas"
            if (
                before is not None
                and before.label in PLACE
                and self.doc[start - 1].lower_ == "and"
                and self.spans[before.key].end == start - 1
                and not (start >= 3 and self.doc[self.spans[before.key].start - 1].text == ",")
            ):
                self.add("locatedIn", before, b, 0.6, *self.spans[b.key])

    def _in_after(self, a: Mention) -> Mention | None:
        """The place named in an "in" phrase written right after the mention, whatever the
        parse made of it: "in Y", "in the southern Y", "in the southeastern part of Y"."""
        doc = self.doc
        i = self.spans[a.key].end
        if i >= len(doc) or doc[i].lower_ != "in":
            return None
        if self._destination(a):
            return None  # "the crossing to Egypt in the southern Gaza Strip": the crossing is
        for j in range(i + 1, min(i + 7, len(doc))):
            m = self.at.get(j)
            if m is not None:
                return m if m.label in REGION and self.spans[m.key].start == j else None
            tok = doc[j]
            if tok.pos_ not in {"DET", "ADJ", "ADP", "NOUN"} or (
                tok.pos_ == "ADP" and tok.lower_ != "of"
            ):
                return None
            if tok.pos_ == "NOUN" and tok.lemma_.casefold() not in AREA_NOUNS:
                return None
        return None

    def _destination(self, a: Mention) -> bool:
        """Whether the place is written as where something goes ("the crossing to Egypt"):
        an "in" phrase after it then more likely says where that something is."""
        start = self.spans[a.key].start
        return start > 0 and self.doc[start - 1].lower_ in {"to", "into", "toward", "towards"}

    def _listed_before(self, a: Mention) -> list[Mention]:
        """The places of a list that ends with the mention ("Brazoria, Fort Bend and a")."""
        out: list[Mention] = []
        i = self.spans[a.key].start - 1
        while i >= 1 and self.doc[i].lower_ in {",", "and", "or"}:
            j = i - 1 if self.doc[i - 1].text != "," else i - 2  # "A, and B"
            m = self.at.get(j)
            if m is None or m.label not in PLACE or self.spans[m.key].end != j + 1:
                break
            out.append(m)
            i = self.spans[m.key].start - 1
        return out

    def _comma_place(self, a: Mention) -> Mention | None:
        """'Boston, Mass.': the place written after a comma right after the mention, when the
        two are not items of a list."""
        span = self.spans[a.key]
        doc = self.doc
        if span.end + 1 >= len(doc) or doc[span.end].text != ",":
            return None
        b = self.at.get(span.end + 1)
        if b is None or b.label not in REGION or self.spans[b.key].start != span.end + 1:
            return None
        end = self.spans[b.key].end
        after = doc[end] if end < len(doc) else None
        if after is not None and (after.lower_ in {"and", "or"} or after.tag_ == "POS"):
            return None  # "Paris, Lyon and Nice", "London, Argentina's embassy"
        if after is not None and after.text == "," and end + 1 < len(doc):
            nxt = doc[end + 1]
            if nxt.lower_ in {"and", "or"} and self.at.get(end + 2, _NOBODY).label in PLACE:
                return None  # "Paris, Lyon, and Nice", but not "Ocala, Fla., and filed"
            c = self.at.get(end + 1)
            if c is not None and c.label in PLACE:
                c_end = self.spans[c.key].end
                if c_end < len(doc) and doc[c_end].lower_ in {",", "and", "or"}:
                    return None  # "Paris, Lyon, Nice and ..."
        if span.start >= 2 and doc[span.start - 1].text == ",":
            prev = self.at.get(span.start - 2)
            if prev is not None and prev.label in PLACE and a.label in PLACE and self._listed(a):
                return None  # "Lyon" in "Paris, Lyon, Nice and Metz"
        return b

    def _listed(self, a: Mention) -> bool:
        """Whether the places written with commas around the mention are a list ("Paris,
        Lyon, Nice and Metz") rather than a place and the places it is in ("GSA Depot,
        Watertown, Mass.")."""
        doc = self.doc
        for step in (-1, 1):
            m: Mention | None = a
            while m is not None:
                span = self.spans[m.key]
                i = span.start - 1 if step < 0 else span.end
                if not 0 <= i < len(doc):
                    break
                if doc[i].lower_ in {"and", "or"}:
                    return True
                if doc[i].text != ",":
                    break
                j = i + step
                if 0 <= j < len(doc) and doc[j].lower_ in {"and", "or"}:
                    return True
                m = self.at.get(j) if 0 <= j < len(doc) else None
                if m is None or m.label not in PLACE:
                    break
        return False

    def _comma_pair(self, a: Mention, b: Mention) -> bool:
        span = self.spans[a.key]
        return span.end + 1 == self.spans[b.key].start and self.doc[span.end].text == ","

    # ------------------------------------------------------------------ verbs
    def _verb(self, verb: Token) -> None:
        lemma = verb.lemma_.casefold()
        if lemma not in _VERB_LEMMAS:
            return
        passive = _is_passive(verb)
        if lemma in KILL_VERBS:
            self._kill_verb(verb, passive)
        elif lemma in RESIDE_VERBS:
            if lemma == "bear" and not passive:
                return
            if lemma in {"grow", "raise"} and not (
                passive or any(c.lower_ == "up" for c in verb.children)
            ):
                return
            for s in self._subjects(verb):
                for pm in self.refs(s, PERSON):
                    for prep in _verb_preps(verb):
                        if prep.lower_ in {"in", "at", "near", "on", "outside"}:
                            for g in _pobjs(prep):
                                for m, _ in self.owners(g, REGION):
                                    self.add("livesIn", pm, m, 0.85, verb, prep)
        elif lemma in WORK_VERBS | LEAD_VERBS | REPORT_VERBS:
            if passive:
                return
            orgs: list[Token] = []
            if lemma in LEAD_VERBS:
                orgs += [c for c in verb.children if c.dep_ == "dobj"]
            preps = {"for"} if lemma in REPORT_VERBS else {"for", "at", "with", "in", "on"}
            if lemma in WORK_VERBS | REPORT_VERBS:
                orgs += [g for c in _verb_preps(verb) if c.lower_ in preps for g in _pobjs(c)]
            self._employment(self._subjects(verb), orgs, verb)
        elif lemma in HIRE_VERBS and passive:
            orgs = [g for c in verb.children if c.dep_ == "agent" for g in _pobjs(c)]
            self._employment(self._subjects(verb), orgs, verb)
        elif lemma in BASED_WORDS and passive:
            for s in self._subjects(verb):
                for m in self.refs(s, ORG | PLACE | PERSON):
                    self._based(m, verb)
        elif lemma in COPULAS:
            self._copula(verb)

    def _employment(self, people: list[Token], orgs: list[Token], verb: Token) -> None:
        for s in people:
            for pm in self.refs(s, PERSON):
                for o in orgs:
                    for om, via_owner in self.owners(o, ORG):
                        kind = self._work_type([], o)
                        self.add(kind, pm, om, 0.6 if via_owner else 0.75, verb)

    def _copula(self, verb: Token) -> None:
        """'X is in Y', 'X is from Y'."""
        for s in self._subjects(verb):
            for prep in verb.children:
                if prep.dep_ != "prep" or prep.lower_ not in {"in", "from"}:
                    continue
                for g in _pobjs(prep):
                    for tail, _ in self.owners(g, REGION):
                        for head in self.refs(s, PERSON | ORG | PLACE):
                            if prep.lower_ == "from" and head.label in PERSON:
                                self.add("livesIn", head, tail, 0.6, verb, prep)
                            elif prep.lower_ == "in" and head.label in ORG:
                                self.add("basedIn", head, tail, 0.6, verb, prep)
                            elif prep.lower_ == "in" and head.label in PLACE:
                                self.add("locatedIn", head, tail, 0.65, verb, prep)

    def _kill_verb(self, verb: Token, passive: bool) -> None:
        # "shot and mortally wounded X", "was shot and killed by Y": coordinated verbs share
        # their object and their agent
        group = [verb, *(c for c in verb.conjuncts if c.pos_ == "VERB")]
        if passive:
            victims = self._subjects(verb)
            killers = [g for v in group for c in v.children if c.dep_ == "agent" for g in _pobjs(c)]
        else:
            killers = self._subjects(verb)
            victims = [c for c in verb.children if c.dep_ == "dobj"]
            if not victims:
                victims = [c for v in group[1:] for c in v.children if c.dep_ == "dobj"]
        found = False
        conf = 0.85 * self._hedge(verb)
        if _negated(verb):
            return
        for k in killers:
            k_mentions = self.refs(k, KILLERS)
            if not k_mentions and k.lower_ in REL_PRONOUNS | {"it"}:
                k_mentions = self._weapon_user(k)  # "fired the shots that killed X"
            for km in k_mentions:
                for v in victims:
                    for vm in self.refs(v, PERSON, (km,)):
                        self.add("killed", km, vm, conf, verb)
                        found = True
        if not found and not passive and verb.tag_ in {"VBD", "VBZ", "VBG"}:
            self._kill_window(verb)

    def _kill_window(self, verb: Token) -> None:
        """A killing verb the parse did not connect: the person named just before it and the
        one named just after it ("... Booth assassinated Lincoln ...")."""
        doc = self.doc
        left = right = None
        for i in range(verb.i - 1, max(verb.i - 4, -1), -1):
            if doc[i].is_punct or doc[i].pos_ in {"VERB", "SCONJ", "CCONJ"}:
                break
            if i in self.at:
                left = self.at[i]
                break
        for i in range(verb.i + 1, min(verb.i + 5, len(doc))):
            if doc[i].is_punct or doc[i].pos_ in {"VERB", "ADP", "SCONJ", "CCONJ"}:
                break
            if i in self.at:
                right = self.at[i]
                break
        if left is not None and right is not None and right.label in PERSON:
            self.add("killed", left, right, 0.5, verb)  # add() keeps killers to KILLERS

    @staticmethod
    def _hedge(verb: Token) -> float:
        """Less confidence for a killing that is only alleged ("charged with killing X")."""
        if verb.dep_ == "pcomp" and verb.head.dep_ in {"prep", "agent"}:
            gov = verb.head.head
            if gov.pos_ == "ADJ" or (gov.pos_ in {"NOUN", "PROPN"} and gov.dep_ == "dobj"):
                gov = gov.head  # "guilty of killing", "accused X of killing"
            if gov.lemma_.casefold() in ALLEGATION_VERBS:
                return 0.6
        return 1.0

    def _weapon_user(self, pronoun: Token) -> list[Mention]:
        noun = pronoun.head.head if pronoun.head.dep_ == "relcl" else None
        if noun is None or noun.lemma_.casefold() not in WEAPON_NOUNS:
            return []
        if noun.dep_ == "dobj":
            return [m for s in self._subjects(noun.head) for m in self.refs(s, PERSON)]
        return []

    def _subjects(self, verb: Token) -> list[Token]:
        """Who does what the verb says: its subject, or for a verb without one, the subject
        it shares ("shot and killed", "tried to kill"), the noun a participle describes ("X,
        convicted of ..."), or the culprit of the verb a gerund depends on ("convicted of
        killing X", "admitted to shooting X")."""
        seen: set[int] = set()
        tok = verb
        while tok.i not in seen:
            seen.add(tok.i)
            subj = [c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}]
            if subj:
                return subj
            head = tok.head
            if head is tok:
                return []
            if tok.dep_ in {"acl", "relcl"} or (tok.dep_ == "amod" and tok.tag_ == "VBN"):
                return [head]
            if tok.dep_ == "pcomp" and head.dep_ in {"prep", "agent"}:
                gov = head.head
                if gov.pos_ == "ADJ" and gov.head is not gov:  # "guilty of killing"
                    gov = gov.head
                objects = [c for c in gov.children if c.dep_ == "dobj"]
                if gov.lemma_.casefold() in CULPRIT_VERBS and objects:
                    return objects  # "convicted X of killing Y"
                if gov.pos_ in {"VERB", "AUX"}:
                    tok = gov
                    continue
                if gov.pos_ in {"NOUN", "PROPN"}:  # "convicted X of killing Y" hung on X
                    culprit = gov.dep_ == "dobj" and gov.head.lemma_.casefold() in CULPRIT_VERBS
                    return [gov] if culprit or gov.dep_ in {"appos", "attr"} else []
                return []
            before = self.at.get(tok.i - 2) if tok.i >= 2 else None
            if (
                tok.dep_ in {"advcl", "acl"}
                and tok.tag_ == "VBN"
                and self.doc[tok.i - 1].text == ","
                and before is not None
            ):
                return [self.anchor[before.key]]  # "X, convicted of ...", hung on the verb
            if tok.dep_ in {"conj", "xcomp", "advcl", "ccomp"} and head.pos_ in {"VERB", "AUX"}:
                if tok.dep_ in {"advcl", "ccomp"} and tok.tag_ not in {"VBG", "VB", "VBN"}:
                    return []
                tok = head
                continue
            return []
        return []

    # ------------------------------------------------------------------ killing nouns
    def _victims(self, noun: Token, avoid: tuple[Mention, ...]) -> list[Mention]:
        out: list[Mention] = []
        for child in noun.children:
            if child.dep_ in {"poss", "compound", "nmod"}:
                out += self.refs(child, PERSON, avoid)
            elif child.dep_ == "prep" and child.lower_ == "of":
                out += [m for g in _pobjs(child) for m in self.refs(g, PERSON, avoid)]
        return out

    def _killer_noun(self, noun: Token) -> None:
        """ "Kennedy's assassin, Lee Harvey Oswald", "the killer of X, Y": the name written
        next to the noun, whatever the parse made of the apposition."""
        killers = [m for m in self.denotes.get(noun.i, []) if m.label in KILLERS]
        after = self._named_after(noun)
        if after is not None and after.label in PERSON and after not in killers:
            killers.append(after)
        for km in killers:
            for vm in self._victims(noun, (km,)):
                self.add("killed", km, vm, 0.75, noun)

    def _kill_noun(self, noun: Token) -> None:
        """'the murder of X by Y', 'Y was convicted of X's murder', 'Y is serving a sentence
        for the slaying of X', 'Y acted alone in the Lindt slaying'."""
        killers: list[tuple[Token, float]] = []
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ == "by":
                killers += [(g, 0.8) for g in _pobjs(child)]
        node = noun
        for _ in range(3):  # up through "a sentence for", "a charge of", "murder and rape"
            if node.dep_ == "conj":
                node = node.head
                continue
            if node.dep_ == "pobj" and node.head.dep_ == "prep":
                gov = node.head.head
                if gov.pos_ == "NOUN" and gov.lemma_.casefold() in LEGAL_NOUNS:
                    node = gov
                    continue
            if node.dep_ == "compound" and node.head.lemma_.casefold() in LEGAL_NOUNS:
                node = node.head
                continue
            break
        gov = node.head
        if node.dep_ == "pobj" and gov.dep_ in {"prep", "agent"}:
            gov = gov.head
            if gov.pos_ == "ADJ" and gov.head is not gov:  # "guilty of murder"
                gov = gov.head
            lemma = gov.lemma_.casefold()
            objects = [c for c in gov.children if c.dep_ == "dobj"]
            conf = 0.5 if lemma in ALLEGATION_VERBS else 0.7
            if gov.pos_ in {"VERB", "AUX"} and lemma in CULPRIT_VERBS and not _negated(gov):
                if objects and not _is_passive(gov):
                    killers += [(o, conf) for o in objects]  # "convicted X of the murder"
                else:
                    killers += [(s, conf) for s in self._subjects(gov)]
        elif node.dep_ in {"dobj", "attr"} and gov.lemma_.casefold() in CULPRIT_VERBS:
            conf = 0.5 if gov.lemma_.casefold() in ALLEGATION_VERBS else 0.7
            if not _negated(gov):
                killers += [(s, conf) for s in self._subjects(gov)]
        for k, conf in killers:
            for km in self.refs(k, KILLERS):
                for vm in self._victims(noun, (km,)):
                    self.add("killed", km, vm, conf, noun)

    # ------------------------------------------------------------------ homes
    def _home(self, word: Token) -> None:
        """'his Iowa hometown', 'Ann Vik's native Bergen', 'his hometown of Salem', 'Salem,
        Ann Vik's hometown', 'Oregon, the home state of his wife, Ann', 'his home in Salem'."""
        noun = word.head if word.dep_ in {"amod", "compound"} else word
        if word.dep_ == "compound" or noun.lemma_.casefold() in AREA_NOUNS:
            word = noun  # "home state", "native town": the phrase names the place
        owners = [c for c in noun.children if c.dep_ == "poss"]
        places: list[Token] = [noun] if word is not noun else []
        for child in noun.children:
            if child.dep_ in {"compound", "nmod", "appos"}:
                places.append(child)
            elif child.dep_ == "prep" and child.lower_ == "of":
                if owners:
                    places += _pobjs(child)
                else:  # "the home state of his wife, Elizabeth"
                    owners += _pobjs(child)
            elif child.dep_ == "prep" and child.lower_ in {"in", "at"} and word is noun:
                places += _pobjs(child)  # "his home in suburban Larchmont"
        before = self._named_before(noun)
        if before is not None:  # "Beaumont, Texas, Richardson's hometown"
            places.append(self.anchor[before.key])
        elif noun.dep_ == "appos":
            places.append(noun.head)
        elif noun.dep_ in {"attr", "oprd"}:  # "South Carolina being Jesse Jackson's home state"
            places += [c for c in noun.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
        for o in owners:
            for pm in self.refs(o, PERSON):
                for t in places:
                    for m, _ in self.owners(t, REGION):
                        self.add("livesIn", pm, m, 0.7, word)

    # ------------------------------------------------------------------ datelines
    def _datelines(self) -> None:
        """'BANGKOK, Thailand (AP) --', '(Text) Sofia, February 15 (BTA) --': a news agency
        in parentheses after the places (and date) that open a sentence reports from them."""
        doc = self.doc
        if "(" not in text_of(doc):
            return
        paren = doc.vocab.strings["("]
        for i in (doc.to_array("ORTH") == paren).nonzero()[0].tolist():
            tok = doc[i]
            if tok.i + 1 not in self.at:
                continue
            agency = self.at[tok.i + 1]
            close = self.spans[agency.key].end
            if agency.label not in ORG or close >= len(doc) or doc[close].text != ")":
                continue
            places: list[Mention] = []
            i = tok.i - 1
            while i >= 0:
                t, m = doc[i], self.at.get(i)
                if m is not None and m.label in PLACE | ORG:
                    if m not in places:
                        places.append(m)
                elif not (t.text in {",", "."} or t.like_num or t.ent_type_ == "DATE"):
                    break
                i -= 1
            opening = i < 0 or doc[i].is_sent_end or doc[i].text in {")", "--", "\n"}
            if not opening or not places or "\n" in doc[tok.i : close].text:
                continue
            for place in places:
                if place is not agency:
                    self.add("reportsFrom", agency, place, 0.5, tok, role="dateline")

    # ------------------------------------------------------------------ after the rules
    def _aliases(self) -> None:
        """'the Nordic Workers Union (NWU)', 'the Nordic Workers Union, NWU,': both names get
        the relations."""
        doc = self.doc
        pairs: list[tuple[Mention, Mention]] = []
        for a in self.mentions:
            if a.label not in ORG | REGION:
                continue
            end = self.spans[a.key].end
            if end + 2 < len(doc) and doc[end].text in {"(", ","}:
                b = self.at.get(end + 1)
                if b is None or b.label != a.label or self.spans[b.key].start != end + 1:
                    continue
                close = self.spans[b.key].end
                if doc[end].text == "(" and (close >= len(doc) or doc[close].text != ")"):
                    continue
                if doc[end].text == "," and not _acronym_of(b.text, a.text):
                    continue
                pairs.append((a, b))
        for a, b in pairs:
            ends = list(self.doc[self.spans[b.key].end : self.spans[b.key].end + 1])  # ")"
            for rel in list(self.found.values()):
                for old, new in ((a, b), (b, a)):
                    head = new if rel.head == old.key else self.by_key.get(rel.head)
                    tail = new if rel.tail == old.key else self.by_key.get(rel.tail)
                    if old.key in {rel.head, rel.tail} and head and tail:
                        conf = rel.confidence - 0.05
                        self.add(rel.type, head, tail, conf, *self.spans[new.key], *ends)

    def _chain(self) -> None:
        """A place relation holds for the places its place is in ("of Salem, Ore.")."""
        for _ in range(3):
            before = len(self.found)
            rels = list(self.found.values())
            up: dict[tuple[int, int], list[Relation]] = {}
            for rel in rels:
                if rel.type == "locatedIn":
                    up.setdefault(rel.head, []).append(rel)
            for rel in rels:
                if rel.type not in {"livesIn", "basedIn", "locatedIn"}:
                    continue
                for step in up.get(rel.tail, []):
                    if step.tail != rel.head:
                        conf = min(rel.confidence, step.confidence) - 0.1
                        head, tail = self.by_key[rel.head], self.by_key[step.tail]
                        self.add(rel.type, head, tail, conf, *self.spans[tail.key])
            if len(self.found) == before:
                break


@lru_cache(maxsize=1)
def _word_lists() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Membership roles, residence nouns, and role nouns (with kg's titles), read once."""
    return (
        word_list("relations-member-roles"),
        word_list("relations-residence"),
        word_list("relations-roles") | word_list("titles"),
    )


_NOBODY = Mention(0, 0, "", "", (0, 0))
"""Stands for "no mention here" in look-ups."""


def _org_reference(tok: Token) -> bool:
    """'the group', 'its': words that refer back to an organisation named before."""
    if tok.pos_ == "PRON":
        return tok.lower_ == "its"
    return (
        tok.pos_ == "NOUN"
        and tok.lemma_.casefold() in ORG_NOUNS
        and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)
    )


def _pobjs(prep: Token) -> list[Token]:
    return [c for c in prep.children if c.dep_ in {"pobj", "pcomp"}]


def _verb_preps(verb: Token) -> list[Token]:
    """Prepositions of the verb, also those hung on its date or object ("born May 2, 1950 in
    Bergen")."""
    out = [c for c in verb.children if c.dep_ == "prep"]
    for c in verb.children:
        if c.dep_ in {"npadvmod", "advmod", "oprd", "attr", "dobj", "prt"}:
            out += [g for g in c.children if g.dep_ == "prep"]
    return out


def _negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" or c.lower_ in {"never", "not", "n't"} for c in verb.children)


def _is_passive(verb: Token) -> bool:
    if any(c.dep_ in {"nsubjpass", "auxpass", "agent"} for c in verb.children):
        return True
    return verb.tag_ == "VBN" and verb.dep_ in {"acl", "amod", "relcl"}


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _acronym_of(short: str, long: str) -> bool:
    """'NWU' for 'Nordic Workers Union': every letter is a capital of the long name.

    >>> _acronym_of("NWU", "Nordic Workers Union"), _acronym_of("NY", "Paris")
    (True, False)
    """
    letters = [ch for ch in short if ch.isalpha()]
    if not letters or not all(ch.isupper() for ch in letters) or len(letters) > 8:
        return False
    capitals = {ch for ch in long if ch.isupper()}
    return len(letters) >= 2 and all(ch in capitals for ch in letters)


__all__ = ["RELATION_TYPES", "Relation", "extract_relations"]
