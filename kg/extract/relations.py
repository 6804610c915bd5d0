"""Relations between entity mentions, read from the dependency parse and the entity types.

Every mention gets a set of *descriptor* tokens: the words that stand for the same thing in
its sentence — its head word, appositions ("Dara Quill, a spokeswoman ..."), role nouns
written before the name ("FBI spokesman Doug Beldon"), the attribute of a copula ("X is a
lawyer"), and relative pronouns ("Booth, who ...").  The rules then look at what hangs on
those descriptors:

* a role noun with an organisation ("a spokeswoman for the Harbour Authority", "FBI
  spokesman X", "the USDA's engineer X", "X, president of Y") -> ``worksFor`` or, for
  membership roles and armed wings, ``memberOf``;
* a person with a place ("X of Y", "a resident / native of Y", "X, who lives in Y", "born in
  Y", "Tempe surgeon X", "Mayor of Y") -> ``livesIn``; a demonym (NORP) -> ``nationality``;
* an organisation with a place ("the Oslo-based X", "X, based in Y", "X of Y", "X in Y", "Y's
  X", "the U.S. State Department") -> ``basedIn``;
* a place with a place ("Boston, Mass.", "Dutchess County in New York", "X, a town in Y")
  -> ``locatedIn``;
* killing verbs and nouns with their agent and victim, active, passive, in relative clauses
  and in "convicted of Y's murder" -> ``killed``.

A relation found for a place is passed up the "A, B" chain it sits in ("of Toledo, Ohio" gives
both Toledo and Ohio).  Word lists are module constants; the role nouns are in
``kg/data/relations-*.txt``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.extract.common import word_list
from kg.model import Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

RELATION_TYPES = (
    "worksFor",
    "memberOf",
    "livesIn",
    "locatedIn",
    "basedIn",
    "killed",
    "nationality",
)
PERSON = {"PERSON"}
ORG = {"ORG"}
PLACE = {"GPE", "LOC", "FAC"}
REGION = {"GPE", "LOC"}
"""Places something can be in, based in or live in (a facility is not)."""

KILL_VERBS = {
    "kill", "murder", "assassinate", "shoot", "slay", "stab", "strangle", "execute",
    "behead", "gun", "poison", "lynch", "massacre", "slaughter", "butcher", "bludgeon",
    "smother", "electrocute", "decapitate",
}  # fmt: skip
KILL_NOUNS = {
    "killing", "murder", "assassination", "slaying", "shooting", "execution", "stabbing",
    "strangling", "strangulation", "poisoning", "lynching", "beheading", "death", "homicide",
    "manslaughter", "massacre",
}  # fmt: skip
KILLER_NOUNS = {"killer", "murderer", "assassin", "slayer", "executioner", "gunman", "shooter"}
# Verbs whose subject did what the noun in their prepositional object names
# ("convicted of Kennedy's murder", "charged in the slaying of X").
CULPRIT_VERBS = {
    "convict", "charge", "sentence", "arrest", "accuse", "indict", "try", "blame", "suspect",
    "jail", "imprison", "execute", "acquit", "confess", "admit", "plead", "commit", "hold",
    "find", "condemn", "prosecute", "question", "detain", "face", "serve", "implicate",
}  # fmt: skip
RESIDE_VERBS = {"live", "reside", "settle", "dwell", "grow", "raise", "bear", "stay", "retire"}
WORK_VERBS = {
    "work", "serve", "join", "head", "lead", "chair", "run", "direct", "manage", "represent",
    "found", "command", "teach", "coach", "edit", "own", "employ", "hire", "appoint", "elect",
}  # fmt: skip
WORK_PREPS = {"for", "at", "with", "in", "on", "of"}
BASED_WORDS = {"base", "headquarter", "locate", "situate"}
COPULAS = {"be", "become", "remain"}
REL_PRONOUNS = {"who", "whom", "which", "that"}
POSSESSORS = {"poss", "compound", "nmod"}
# Parts of an organisation: a person of "the group's armed wing" is a member of the group.
UNIT_NOUNS = {
    "wing", "arm", "branch", "unit", "division", "faction", "cell", "brigade", "brigades",
    "section", "chapter", "affiliate", "subsidiary", "office", "bureau", "department",
    "service", "agency", "ministry", "headquarters", "staff", "board", "committee", "council",
    "team", "panel", "delegation", "administration",
}  # fmt: skip


@dataclass(frozen=True)
class Relation:
    """A typed, directed relation between two mentions of one sentence.

    ``head`` and ``tail`` are the character spans of the mentions (``worksFor``: person ->
    organisation; ``killed``: killer -> victim); ``evidence`` is the text that states it.
    """

    type: str
    head: tuple[int, int]
    tail: tuple[int, int]
    sentence: tuple[int, int]
    confidence: float
    evidence: str


def extract_relations(doc: Doc, mentions: list[Mention]) -> list[Relation]:
    """Relations between the mentions of each sentence of ``doc``.

    ``mentions`` are kg mentions (:func:`kg.extract.entities.entity_mentions`, possibly with
    nominal ones); their labels decide which relations may hold.  One relation per type, head
    and tail, with the highest confidence any rule gave it.
    """
    finder = _Finder(doc, mentions)
    return finder.run()


# ---------------------------------------------------------------------- the finder
class _Finder:
    def __init__(self, doc: Doc, mentions: list[Mention]) -> None:
        self.doc = doc
        self.at: dict[int, Mention] = {}
        self.anchor: dict[tuple[int, int], Token] = {}
        self.spans: dict[tuple[int, int], Span] = {}
        for m in sorted(mentions, key=lambda m: (m.nominal, -(m.end - m.start), m.start)):
            if m.label not in PERSON | ORG | PLACE | {"NORP"}:
                continue
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or not len(span) or any(t.i in self.at for t in span):
                continue
            for tok in span:
                self.at[tok.i] = m
            self.anchor[m.key] = span.root
            self.spans[m.key] = span
        self.mentions = [m for m in mentions if m.key in self.anchor]
        self.denotes: dict[int, list[Mention]] = {}
        for m in self.mentions:
            for i in self._descriptors(m):
                self.denotes.setdefault(i, []).append(m)
        self.found: dict[tuple[str, tuple[int, int], tuple[int, int]], Relation] = {}
        self.member_roles = word_list("relations-member-roles")
        self.residence = word_list("relations-residence")

    # ------------------------------------------------------------------ descriptors
    def _descriptors(self, m: Mention) -> set[int]:
        """Tokens that stand for the mention: its head, appositions, preceding role nouns,
        copular attributes and relative pronouns."""
        anchor = self.anchor[m.key]
        inside = {t.i for t in self.spans[m.key]}
        out = set(inside)
        frontier = [anchor]
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
                elif child.dep_ in {"compound", "nmod"} and child.pos_ == "NOUN":
                    cands.append(child)  # "FBI spokesman Doug Beldon": the role noun
                elif child.dep_ == "acl" and child.lemma_ in {"name", "call", "identify"}:
                    cands += [g for g in child.children if g.dep_ in {"oprd", "attr", "dobj"}]
            if tok.dep_ == "appos":
                cands.append(tok.head)
            if tok.dep_ in {"nsubj", "nsubjpass"} and tok.head.lemma_ in COPULAS:
                cands += [c for c in tok.head.children if c.dep_ == "attr"]
            if tok.dep_ == "attr" and tok.head.lemma_ in COPULAS:
                cands += [c for c in tok.head.children if c.dep_ == "nsubj"]
            if tok.dep_ in {"nsubj", "nsubjpass"}:  # "X, who as an Austin policeman shot ..."
                for sib in tok.head.children:
                    if sib.dep_ == "prep" and sib.lower_ == "as":
                        cands += [g for g in sib.children if g.dep_ == "pobj"]
            for cand in cands:
                if cand.i in out or cand.i in self.at:
                    continue
                if cand.pos_ not in {"NOUN", "PROPN", "PRON"}:
                    continue
                out.add(cand.i)
                frontier.append(cand)
        return out

    def refs(self, tok: Token, labels: set[str]) -> list[Mention]:
        """The mentions ``tok`` (or a word coordinated with it) stands for."""
        out: list[Mention] = []
        for t in [tok, *tok.conjuncts]:
            m = self.at.get(t.i)
            if m is not None:
                found = [m]
            else:
                found = self.denotes.get(t.i, [])
            out += [f for f in found if f.label in labels and f not in out]
        return out

    def owners(self, tok: Token, labels: set[str]) -> list[tuple[Mention, bool]]:
        """The mentions a phrase names: itself, or through its owner ("the USDA's research
        service" -> USDA).  The flag says whether an owner was used."""
        direct = self.refs(tok, labels)
        if direct:
            return [(m, False) for m in direct]
        out: list[tuple[Mention, bool]] = []
        if tok.pos_ == "NOUN":
            for child in tok.children:
                if child.dep_ in {"poss", "compound", "nmod"}:
                    out += [(m, True) for m in self.refs(child, labels)]
                elif child.dep_ == "prep" and child.lower_ == "of":
                    for g in child.children:
                        if g.dep_ == "pobj":
                            out += [(m, True) for m in self.refs(g, labels)]
            if not out:  # "the group's armed wing, al-Qassam Brigades" hung elsewhere
                nxt = self._after_phrase(tok)
                if nxt is not None and nxt.text == "," and nxt.i + 1 < len(self.doc):
                    m = self.at.get(nxt.i + 1)
                    if m is not None and m.label in labels:
                        out.append((m, False))
        return out

    def _after_phrase(self, tok: Token) -> Token | None:
        right = tok.right_edge.i + 1
        return self.doc[right] if right < len(self.doc) else None

    # ------------------------------------------------------------------ output
    def add(
        self,
        kind: str,
        head: Mention,
        tail: Mention,
        confidence: float,
        *tokens: Token,
    ) -> None:
        if head.key == tail.key or head.sentence != tail.sentence:
            return
        if self.anchor[head.key].sent != self.anchor[tail.key].sent:
            return
        starts = [head.start, tail.start, *(t.idx for t in tokens)]
        ends = [head.end, tail.end, *(t.idx + len(t.text) for t in tokens)]
        evidence = self.doc.text[min(starts) : max(ends)]
        key = (kind, head.key, tail.key)
        old = self.found.get(key)
        if old is None or old.confidence < confidence:
            self.found[key] = Relation(
                kind, head.key, tail.key, head.sentence, round(confidence, 2), evidence
            )

    def run(self) -> list[Relation]:
        for m in self.mentions:
            if m.label in PERSON:
                self._person(m)
            elif m.label in ORG:
                self._organisation(m)
            elif m.label in PLACE:
                self._place(m)
        for tok in self.doc:
            if tok.pos_ in {"VERB", "AUX"} or tok.tag_ in {"VBN", "VBD", "VBG"}:
                self._verb(tok)
            elif tok.pos_ == "NOUN" and tok.lemma_.casefold() in KILL_NOUNS:
                self._kill_noun(tok)
        self._chain()
        return sorted(self.found.values(), key=lambda r: (r.head, r.tail, r.type))

    # ------------------------------------------------------------------ persons
    def _descriptor_tokens(self, m: Mention) -> Iterator[Token]:
        inside = {t.i for t in self.spans[m.key]}
        yield self.anchor[m.key]
        for i in sorted(self.denotes):
            if i not in inside and m in self.denotes[i]:
                yield self.doc[i]

    def _person(self, p: Mention) -> None:
        span = self.spans[p.key]
        for desc in self._descriptor_tokens(p):
            lemma = desc.lemma_.casefold()
            is_anchor = desc.i == self.anchor[p.key].i
            role = lemma if not is_anchor else ""
            # words written inside the name's phrase: "Tempe surgeon X", "the USDA's X"
            for child in desc.children:
                if child.i in self.at and self.at[child.i] is p:
                    continue
                if child.dep_ in {"poss", "compound", "nmod", "amod", "npadvmod"}:
                    self._person_modifier(p, child, role, desc)
                elif child.dep_ == "prep":
                    self._person_prep(p, child, role, desc)
            if is_anchor:  # titles inside the name ("President Lincoln" as one mention)
                for tok in span:
                    if tok.i != desc.i and tok.dep_ in {"poss"}:
                        self._person_modifier(p, tok, "", desc)
            if role in KILLER_NOUNS:
                for child in desc.children:
                    if child.dep_ == "poss":
                        for v in self.refs(child, PERSON):
                            self.add("killed", p, v, 0.8, desc)
                    elif child.dep_ == "prep" and child.lower_ == "of":
                        for g in _pobjs(child):
                            for v in self.refs(g, PERSON):
                                self.add("killed", p, v, 0.8, desc)

    def _person_modifier(self, p: Mention, mod: Token, role: str, desc: Token) -> None:
        for m, via_owner in self.owners(mod, ORG | REGION | {"NORP"}):
            if m.label == "NORP":
                if mod.dep_ in {"amod", "compound", "nmod"}:
                    self.add("nationality", p, m, 0.8, desc)
            elif m.label in ORG:
                if role or mod.dep_ == "poss":
                    self.add(self._work_type(role, m), p, m, 0.6 if via_owner else 0.75, desc)
            elif m.label in REGION and mod.dep_ in {"poss", "compound", "nmod"}:
                self.add("livesIn", p, m, 0.55 if via_owner else 0.65, desc)

    def _person_prep(self, p: Mention, prep: Token, role: str, desc: Token) -> None:
        word = prep.lower_
        for pobj in _pobjs(prep):
            if word in WORK_PREPS:
                for m, via_owner in self.owners(pobj, ORG):
                    if role or word in {"of", "at", "with"}:
                        conf = 0.7 if role else 0.55
                        kind = self._work_type(role, m, pobj)
                        self.add(kind, p, m, conf - (0.1 if via_owner else 0.0), desc, prep)
            if word in {"of", "from"} or (word in {"in", "at"} and role in self.residence):
                for m in self.refs(pobj, REGION):
                    conf = 0.75 if role in self.residence else 0.55
                    self.add("livesIn", p, m, conf, desc, prep)

    def _work_type(self, role: str, org: Mention, via: Token | None = None) -> str:
        if role in self.member_roles:
            return "memberOf"
        if via is not None and via.lemma_.casefold() in {"wing", "arm", "faction", "cell"}:
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
                        for m in self.refs(g, REGION):
                            self.add("basedIn", o, m, 0.6, desc, child)
                elif child.dep_ == "amod" and child.lemma_.casefold() in BASED_WORDS:
                    self._based(o, child)
                elif child.dep_ == "acl" and child.lemma_.casefold() in BASED_WORDS:
                    self._based(o, child)

    def _based(self, thing: Mention, based: Token) -> None:
        """'the Oslo-based X', 'X, based in Y': the place may be tagged as anything."""
        kind = "basedIn" if thing.label in ORG | PERSON else "locatedIn"
        if thing.label in PERSON:
            kind = "livesIn"
        for child in based.children:
            if child.dep_ in {"npadvmod", "compound", "nmod", "amod", "advmod"}:
                for m in self.refs(child, REGION | ORG):
                    self.add(kind, thing, m, 0.9, based)
            elif child.dep_ == "prep" and child.lower_ in {"in", "at", "near", "outside"}:
                for g in _pobjs(child):
                    for m in self.refs(g, REGION):
                        self.add(kind, thing, m, 0.9, based, child)
        left = based.i - 2  # "Oslo-based": the hyphen may split the parse
        if left >= 0 and self.doc[based.i - 1].text == "-" and left in self.at:
            m = self.at[left]
            if m.key != thing.key and m.label in REGION | ORG:
                self.add(kind, thing, m, 0.9, based)

    # ------------------------------------------------------------------ places
    def _place(self, a: Mention) -> None:
        for desc in self._descriptor_tokens(a):
            for child in desc.children:
                if child.i in self.at and self.at[child.i] is a:
                    continue
                if child.dep_ == "poss":
                    for m in self.refs(child, REGION):
                        self.add("locatedIn", a, m, 0.6, desc)
                elif child.dep_ == "prep" and child.lower_ in {"in", "of"}:
                    for g in _pobjs(child):
                        for m in self.refs(g, REGION):
                            if child.lower_ == "of" and desc.i == self.anchor[a.key].i:
                                continue  # "Paris of France" is rare; "X of Y" names a part
                            self.add("locatedIn", a, m, 0.65, desc, child)
        if a.label in PLACE:
            b = self._comma_place(a)
            if b is not None:
                self.add("locatedIn", a, b, 0.8, *self.spans[b.key])

    def _comma_place(self, a: Mention) -> Mention | None:
        """'Boston, Mass.': the place written after a comma right after the mention, when the
        two are not items of a list."""
        span = self.spans[a.key]
        if span.end + 1 >= len(self.doc) or self.doc[span.end].text != ",":
            return None
        b = self.at.get(span.end + 1)
        if b is None or b.label not in REGION:
            return None
        b_span = self.spans[b.key]
        if b_span.start != span.end + 1:
            return None
        after = self.doc[b_span.end] if b_span.end < len(self.doc) else None
        if after is not None and after.lower_ in {"and", "or"}:
            return None
        if after is not None and after.text == "," and b_span.end + 1 < len(self.doc):
            nxt = self.doc[b_span.end + 1]
            if nxt.lower_ in {"and", "or"}:
                return None
            c = self.at.get(b_span.end + 1)
            if c is not None and c.label in PLACE:
                # "Paris, Lyon, Nice and ...": a list; "Troy, Mich., and Dayton" is fine
                end = self.spans[c.key].end
                if end < len(self.doc) and self.doc[end].lower_ in {",", "and", "or"}:
                    return None
        before = self.doc[span.start - 1] if span.start > 0 else None
        if before is not None and before.text == "," and span.start >= 2:
            prev = self.at.get(span.start - 2)
            if prev is not None and prev.label in PLACE and self._comma_place_simple(prev, a):
                return None  # "Lyon" in "Paris, Lyon, Nice"
        return b

    def _comma_place_simple(self, a: Mention, b: Mention) -> bool:
        span = self.spans[a.key]
        return span.end + 1 == self.spans[b.key].start and self.doc[span.end].text == ","

    # ------------------------------------------------------------------ verbs
    def _verb(self, verb: Token) -> None:
        lemma = verb.lemma_.casefold()
        passive = _is_passive(verb)
        subjects = self._subjects(verb)
        if lemma in KILL_VERBS:
            if passive:
                victims = subjects
                killers = [g for c in verb.children if c.dep_ == "agent" for g in _pobjs(c)]
            else:
                killers = subjects
                victims = [c for c in verb.children if c.dep_ == "dobj"]
            for k in killers:
                for v in victims:
                    for km in self.refs(k, PERSON):
                        for vm in self.refs(v, PERSON):
                            self.add("killed", km, vm, 0.85, verb)
            return
        if lemma in RESIDE_VERBS:
            if lemma == "bear" and not passive:
                return
            for s in subjects:
                for pm in self.refs(s, PERSON):
                    for prep in verb.children:
                        if prep.dep_ == "prep" and prep.lower_ in {"in", "at", "near", "on"}:
                            for g in _pobjs(prep):
                                for m in self.refs(g, REGION):
                                    self.add("livesIn", pm, m, 0.85, verb, prep)
                        elif prep.dep_ == "advmod" and prep.lower_ == "up":  # "grew up in"
                            for p2 in prep.children:
                                if p2.dep_ == "prep":
                                    for g in _pobjs(p2):
                                        for m in self.refs(g, REGION):
                                            self.add("livesIn", pm, m, 0.8, verb, p2)
            return
        if lemma in WORK_VERBS:
            if lemma in {"employ", "hire", "appoint", "elect"}:
                if not passive:
                    return
                people = subjects
                orgs = [g for c in verb.children if c.dep_ == "agent" for g in _pobjs(c)]
            else:
                people = [] if passive else subjects
                orgs = [c for c in verb.children if c.dep_ == "dobj"]
                orgs += [
                    g
                    for c in verb.children
                    if c.dep_ == "prep" and c.lower_ in WORK_PREPS
                    for g in _pobjs(c)
                ]
            for s in people:
                for pm in self.refs(s, PERSON):
                    for o in orgs:
                        for om, via_owner in self.owners(o, ORG):
                            conf = 0.6 if via_owner else 0.75
                            self.add(self._work_type("", om, o), pm, om, conf, verb)
            return
        if lemma in BASED_WORDS and passive:
            for s in subjects:
                for m in self.refs(s, ORG | PLACE | PERSON):
                    self._based(m, verb)
            return
        if lemma in COPULAS:
            for s in subjects:
                for prep in verb.children:
                    if prep.dep_ != "prep" or prep.lower_ not in {"in", "from"}:
                        continue
                    for g in _pobjs(prep):
                        for tail in self.refs(g, REGION):
                            for head in self.refs(s, PERSON | ORG | PLACE):
                                if prep.lower_ == "from" and head.label in PERSON:
                                    self.add("livesIn", head, tail, 0.6, verb, prep)
                                elif prep.lower_ == "in" and head.label in ORG:
                                    self.add("basedIn", head, tail, 0.6, verb, prep)
                                elif prep.lower_ == "in" and head.label in PLACE:
                                    self.add("locatedIn", head, tail, 0.6, verb, prep)

    def _subjects(self, verb: Token) -> list[Token]:
        """The verb's subject, through coordination ("shot and killed"), relative clauses
        (handled by the relative pronoun's descriptor) and passive participles ("X, killed
        by Y")."""
        seen: set[int] = set()
        tok: Token | None = verb
        while tok is not None and tok.i not in seen:
            seen.add(tok.i)
            subj = [c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}]
            if subj:
                return subj
            if tok.dep_ == "acl" or (tok.dep_ == "amod" and tok.tag_ == "VBN"):
                return [tok.head]
            if tok.dep_ in {"conj", "xcomp"} and tok.head.pos_ in {"VERB", "AUX"}:
                tok = tok.head
                continue
            break
        return []

    # ------------------------------------------------------------------ killing nouns
    def _kill_noun(self, noun: Token) -> None:
        """'Sirhan was convicted of Kennedy's murder', 'the murder of X by Y'."""
        victims: list[Token] = []
        killers: list[Token] = []
        for child in noun.children:
            if child.dep_ in {"poss", "compound"}:
                victims.append(child)
            elif child.dep_ == "prep" and child.lower_ == "of":
                victims += _pobjs(child)
            elif child.dep_ == "prep" and child.lower_ == "by":
                killers += _pobjs(child)
        head = noun.head
        if noun.dep_ == "pobj" and head.dep_ == "prep":
            gov = head.head
            if gov.lemma_.casefold() in CULPRIT_VERBS or gov.pos_ == "ADJ":
                killers += self._subjects(gov) if gov.pos_ != "ADJ" else self._subjects(gov.head)
        elif noun.dep_ == "dobj" and head.lemma_.casefold() in CULPRIT_VERBS:
            killers += self._subjects(head)
        for k in killers:
            for v in victims:
                for km in self.refs(k, PERSON):
                    for vm in self.refs(v, PERSON):
                        self.add("killed", km, vm, 0.7, noun)

    # ------------------------------------------------------------------ chains
    def _chain(self) -> None:
        """'of Toledo, Ohio': a relation to Toledo holds for Ohio too."""
        up: dict[tuple[int, int], Mention] = {}
        by_key = {m.key: m for m in self.mentions}
        for rel in list(self.found.values()):
            if rel.type == "locatedIn" and rel.evidence.count(",") == 1:
                a, b = by_key[rel.head], by_key[rel.tail]
                if self._comma_place_simple(a, b):
                    up[a.key] = b
        for rel in list(self.found.values()):
            if rel.type in {"livesIn", "basedIn", "locatedIn"} and rel.tail in up:
                b = up[rel.tail]
                if b.key != rel.head:
                    self.add(
                        rel.type, by_key[rel.head], b, rel.confidence - 0.1, *self.spans[b.key]
                    )


def _pobjs(prep: Token) -> list[Token]:
    return [c for c in prep.children if c.dep_ in {"pobj", "pcomp"}]


def _is_passive(verb: Token) -> bool:
    if any(c.dep_ in {"nsubjpass", "auxpass", "agent"} for c in verb.children):
        return True
    return verb.tag_ == "VBN" and verb.dep_ in {"acl", "amod"}


def relation_types() -> Iterable[str]:
    """The relation types :func:`extract_relations` produces."""
    return RELATION_TYPES


__all__ = ["RELATION_TYPES", "Relation", "extract_relations"]
