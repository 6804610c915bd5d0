"""Events from the trigger lexicon, matched on the dependency parse.

A trigger is a verb or noun whose lemma the lexicon (``ontology/kg.ttl``) lists for an event
class.  Its arguments come from the parse: subjects and objects (active and passive), the
arguments a controlling verb passes down ("expected to be allowed to leave"), prepositional
phrases mapped to roles by the class's frame ("between" -> party, "via" -> via), and
coordinated fillers ("Egypt, Israel and Hamas").  Negation and modality are recorded.

Attribution: an event the article credits to a source gets ``according_to`` that source's
span: the object of an "according to" phrase on the event's clause or any clause above it
("..., according to officials in Gaza"), else the speaker of the reporting verb whose
complement clause holds the event ("Officials said Israeli jets struck ...", "..., a source
briefed on the deal told Reuters", "..., he said").  The speaker is the one the Statement event
of that verb found (so pronouns resolve as they do for speakers); an unnamed source becomes a
document-scoped group, like other unnamed participants.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from kg.extract.common import PRONOUNS, char_range, conjuncts, phrase_tokens, sentence_span, text_of
from kg.extract.timex import normalise_date
from kg.lexicon import Frame, Lexicon
from kg.model import Event, Mention, Role, TimeExpr

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

PLACE_ROLES = {"origin", "destination", "via", "place"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
COORDINATION_NOUNS = {"coordination", "cooperation", "consultation", "partnership", "conjunction"}
# Heads that stand for the state or group that owns them ("Egypt's government").
METONYM_HEADS = {"government", "authorities", "administration", "leadership", "army", "military"}
SPEECH_LEMMAS = {"say", "tell", "report", "add", "announce", "state", "claim", "warn", "call"}
# Verbs whose complement clause is what the subject reports: the clause's events are credited
# to the subject ("officials said ...", "a source told Reuters ...").
REPORTING_LEMMAS = SPEECH_LEMMAS - {"warn", "call"} | {"confirm", "estimate", "insist", "allege"}
MODAL_AUX = {
    "will": "expected", "would": "expected", "shall": "expected",
    "may": "possible", "might": "possible", "could": "possible", "can": "possible",
    "should": "planned", "must": "planned",
}  # fmt: skip
MODAL_VERBS = {
    "expect": "expected", "hope": "expected", "anticipate": "expected",
    "plan": "planned", "intend": "planned", "aim": "planned", "prepare": "planned",
    "agree": "planned", "able": "possible", "want": "planned", "seek": "planned",
}  # fmt: skip
TIME_PREPS = {"on", "in", "at", "during"}
NOMINAL_LIGHT_DEPS = {"acl", "relcl"}


@dataclass
class _Context:
    doc: Doc
    published: date | None
    mention_at: dict[int, Mention]
    triggers: dict[int, str]
    quotes: list[tuple[int, int]]
    groups: dict[tuple[int, int], Mention] = field(default_factory=dict)
    mention_by_span: dict[tuple[int, int], Mention] = field(default_factory=dict)
    last_person: list[Mention] = field(default_factory=list)
    last_speaker: list[Mention] = field(default_factory=list)
    reported_by: dict[int, int] = field(default_factory=dict)
    """Trigger token -> the reporting verb whose complement clause holds it."""


class EventExtractor:
    """Find events in a parsed document.

    >>> from kg.lexicon import Lexicon
    >>> EventExtractor(Lexicon.load()).lexicon.verb_classes["open"]
    ['Opening']
    """

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

    def __call__(
        self,
        doc: Doc,
        mentions: list[Mention],
        published: date | None,
        quotes: list[tuple[int, int]],
    ) -> tuple[list[Event], list[Mention]]:
        """Return the events and the unnamed participant mentions ("wounded Palestinians")."""
        mention_at: dict[int, Mention] = {}
        for m in sorted(mentions, key=lambda m: (m.nominal, m.start)):
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            for tok in span:
                mention_at.setdefault(tok.i, m)
        triggers = self._triggers(doc, mention_at)
        ctx = _Context(doc, published, mention_at, triggers, quotes)
        ctx.mention_by_span = {(m.start, m.end): m for m in mentions}
        events: list[Event] = []
        by_trigger: dict[int, Event] = {}
        # In token order, the tokens that matter: triggers and the words of people's names.
        people = (i for i, m in mention_at.items() if m.label == "PERSON")
        for i in sorted({*triggers, *people}):
            token = doc[i]
            person = mention_at.get(token.i)
            if (
                person is not None
                and person.label == "PERSON"
                and token.idx == person.start
                and not _inside(token.idx, quotes)
            ):
                ctx.last_person.append(person)
            if token.i not in triggers:
                continue
            event = self._event(token, triggers[token.i], ctx)
            if event is not None:
                by_trigger[token.i] = event
                if event.event_class == "Statement":
                    ctx.last_speaker += [
                        m
                        for r in event.roles
                        if r.name == "speaker"
                        for m in mentions
                        if (m.start, m.end) == (r.start, r.end) and m.label == "PERSON"
                    ]
        for i, event in list(by_trigger.items()):
            if event.according_to is None and i in ctx.reported_by:
                source = self._reporter(doc[ctx.reported_by[i]], by_trigger, ctx)
                if source is not None:
                    by_trigger[i] = replace(event, according_to=source)
        events = [e for e in _link_mediations(list(by_trigger.values())) if e.roles]
        return events, sorted(ctx.groups.values(), key=lambda m: m.start)

    def _reporter(
        self, verb: Token, by_trigger: dict[int, Event], ctx: _Context
    ) -> tuple[int, int] | None:
        """Who reports through ``verb``: the speaker of its Statement event, else its named
        subject (a pronoun is left alone: only the Statement knows whom it refers to)."""
        statement = by_trigger.get(verb.i)
        if statement is not None:
            speakers = [(r.start, r.end) for r in statement.roles if r.name == "speaker"]
            if speakers:
                return speakers[0]
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is None or subj.lower_ in PRONOUNS or subj.pos_ == "PRON":
            return None
        found = self._fill("speaker", subj, ctx)
        return (found[0].start, found[0].end) if found else None

    def triggers(self, doc: Doc, mentions: list[Mention]) -> dict[int, str]:
        """Token index -> event class of every trigger word, before arguments are looked for
        (an event is emitted only when it has a participant; this is every candidate)."""
        mention_at: dict[int, Mention] = {}
        for m in mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            for tok in span or ():
                mention_at.setdefault(tok.i, m)
        return self._triggers(doc, mention_at)

    def _triggers(self, doc: Doc, mention_at: dict[int, Mention]) -> dict[int, str]:
        """Token index -> event class, for the verbs and nouns outside mentions (read from
        the document's arrays: a Token object is made only for those)."""
        found: dict[int, str] = {}
        wanted = (doc.vocab.strings["VERB"], doc.vocab.strings["NOUN"])  # their symbol ids
        for i, pos in enumerate(doc.to_array("POS").tolist()):
            if (
                pos in wanted
                and i not in mention_at
                and (cls := self._trigger_class(doc[i], mention_at))
            ):
                found[i] = cls
        return found

    def _trigger_class(self, token: Token, mention_at: dict[int, Mention]) -> str:
        lemma = token.lemma_.casefold()
        if token.i in mention_at:
            return ""
        if token.pos_ == "VERB":
            classes = self.lexicon.verb_classes.get(lemma)
            if classes and lemma == "call" and not _is_speech_call(token):
                return ""
            return classes[0] if classes else ""
        if token.pos_ == "NOUN":
            classes = self.lexicon.noun_classes.get(lemma)
            return classes[0] if classes else ""
        return ""

    # ------------------------------------------------------------------ one event
    def _event(self, trigger: Token, event_class: str, ctx: _Context) -> Event | None:
        frame = self.lexicon.frames[event_class]
        roles: list[Role] = []
        according: tuple[int, int] | None = None
        verbal = trigger.pos_ == "VERB"
        passive = verbal and _is_passive(trigger)
        object_role = "addressee" if trigger.lemma_ == "tell" else frame.object
        if verbal:
            has_object = any(c.dep_ in {"dobj", "attr", "oprd"} for c in trigger.children)
            subj = _subject(trigger)
            if subj is not None:
                if passive:
                    name = object_role
                else:
                    name = frame.subject if has_object else frame.intransitive_subject
                roles += self._fill(name, subj, ctx)
            for child in trigger.children:
                if child.dep_ == "dobj" and not passive:
                    roles += self._fill(object_role, child, ctx)
                elif child.dep_ == "dative":
                    for pobj in [*_pobjs(child), child]:
                        if pobj.pos_ in {"PROPN", "NOUN"}:
                            roles += self._fill("addressee", pobj, ctx)
        else:
            for child in trigger.children:
                if child.dep_ in {"compound", "poss", "nmod"}:
                    m = ctx.mention_at.get(child.i)
                    if m is not None and m.label in {"PERSON", "ORG", "GPE", "NORP"}:
                        roles += self._fill(frame.subject, child, ctx)
        if (
            not verbal
            and trigger.dep_ == "pobj"
            and trigger.head.lower_ in {"through", "via", "by"}
        ):
            # "an agreement achieved through mediation by Qatar": the mediation is of the agreement
            gov = trigger.head.head
            target = gov if gov.i in ctx.triggers else None
            if target is None and gov.dep_ in NOMINAL_LIGHT_DEPS and gov.head.i in ctx.triggers:
                target = gov.head
            if target is None and gov.pos_ in {"VERB", "AUX"}:
                # "An agreement ... was reached through mediation by Kenya"
                subj = _subject(gov)
                if subj is not None and subj.i in ctx.triggers:
                    target = subj
            if target is not None and target.i != trigger.i:
                roles.append(
                    Role(frame.object, target.idx, target.idx + len(target.text), target.text, True)
                )
        prep_heads = [trigger]
        if not verbal:
            prep_heads += [
                c
                for c in trigger.children
                if c.dep_ in NOMINAL_LIGHT_DEPS and c.i not in ctx.triggers
            ]
        preps: list[tuple[Token, Token]] = []  # (head, preposition)
        for head in prep_heads:
            for child in head.children:
                if child.dep_ in {"prep", "agent"} and not _belongs_to_nominal(child, trigger, ctx):
                    preps += [(head, c) for c in [child, *child.conjuncts] if c.pos_ == "ADP"]
        if not verbal and trigger.i + 1 < len(trigger.doc):
            after = trigger.doc[
                trigger.i + 1
            ]  # "mediation by Qatar", whatever the parser attached it to
            if (
                after.lower_ == "by"
                and after.head.i != trigger.i
                and after.dep_ in {"agent", "prep"}
            ):
                preps += [(trigger, c) for c in [after, *after.conjuncts] if c.pos_ == "ADP"]
        for head, child in preps:
            if child.dep_ == "agent" and head is not trigger:
                continue
            prep = _prep_text(child)
            for pobj in _pobjs(child):
                if prep == "according to":
                    according = _filler_span(pobj, ctx)
                    continue
                coord = _coordination_filler(prep, pobj)
                if coord is not None:
                    for c in coord:
                        roles += self._fill("inCoordinationWith", c, ctx)
                    continue
                if prep == "by" and (not verbal or child.dep_ == "agent"):
                    roles += self._fill(frame.subject, pobj, ctx)
                elif prep == "of" and not verbal and frame.of_role:
                    roles += self._fill(frame.of_role, pobj, ctx)
                elif prep in frame.prep_roles:
                    roles += self._fill(frame.prep_roles[prep], pobj, ctx)
        if "Movement" in frame.ancestors and not any(r.name == "origin" for r in roles):
            roles += self._origin_inside(roles, ctx)
        roles = _dedupe(roles)
        if not roles and not (event_class == "Agreement" and not verbal):
            return None  # a roleless agreement may still receive its mediator below
        if event_class == "Statement" and not any(r.name == "speaker" for r in roles):
            return None
        if according is None:
            according = _according_to_in_clause(trigger, ctx)
        if according is None:
            reporter = reporting_verb(trigger)
            if reporter is not None:
                ctx.reported_by[trigger.i] = reporter.i
        sent = trigger.sent
        quotes: tuple[str, ...] = ()
        content = ""
        if event_class == "Statement":
            quotes = tuple(
                text_of(ctx.doc)[s:e]
                for s, e in ctx.quotes
                if s < sent.end_char and sent.start_char < e and not s <= trigger.idx < e
            )
            content = _content(trigger)
        negated = _negated(trigger)
        modality = _modality(trigger, ctx.quotes)
        return Event(
            event_class=event_class,
            trigger_start=trigger.idx,
            trigger_end=trigger.idx + len(trigger.text),
            trigger=trigger.text,
            sentence=sentence_span(trigger),
            roles=tuple(roles),
            time=self._time(trigger, ctx, future=modality in {"expected", "planned"}),
            negated=negated,
            modality=modality,
            quotes=quotes,
            content=content,
            confidence=0.8 if verbal else 0.6,
            according_to=according,
        )

    def _fill(self, role: str, token: Token, ctx: _Context) -> list[Role]:
        out: list[Role] = []
        for tok in conjuncts(token):
            if tok.ent_type_ in {"DATE", "TIME"}:
                continue  # "attacked the convoy on Friday": a time, not a participant
            span = _filler_span(tok, ctx)
            if span is None:
                continue
            start, end = span
            event_ref = tok.i in ctx.triggers and tok.i not in ctx.mention_at
            m = ctx.mention_at.get(tok.i) or ctx.mention_by_span.get((start, end))
            if role in PLACE_ROLES and (m is None or m.label not in PLACE_LABELS):
                continue
            if m is None and not event_ref and (start, end) not in ctx.groups:
                ctx.groups[(start, end)] = Mention(
                    start=start,
                    end=end,
                    text=text_of(ctx.doc)[start:end],
                    label="GROUP",
                    sentence=sentence_span(tok),
                    head_lemma=tok.lemma_.casefold(),
                )
            out.append(Role(role, start, end, text_of(ctx.doc)[start:end], event_ref=event_ref))
        return out

    def _origin_inside(self, roles: list[Role], ctx: _Context) -> list[Role]:
        """'foreigners from Gaza arrived': an origin written inside the mover's phrase."""
        out: list[Role] = []
        for role in roles:
            if role.name not in {"theme", "agent"}:
                continue
            span = ctx.doc.char_span(role.start, role.end, alignment_mode="expand")
            if span is None:
                continue
            for tok in span.root.subtree:
                if tok.dep_ == "prep" and _prep_text(tok) in {"from", "out of"}:
                    for pobj in _pobjs(tok):
                        out += self._fill("origin", pobj, ctx)
        return out

    def _time(self, trigger: Token, ctx: _Context, *, future: bool = False) -> TimeExpr | None:
        head: Token | None = trigger
        for _ in range(4):
            if head is None:
                break
            for child in head.children:
                cands: list[Token] = []
                if child.dep_ in {"npadvmod", "tmod", "nmod"} and child.ent_type_ in {
                    "DATE",
                    "TIME",
                }:
                    cands.append(child)
                elif child.dep_ == "prep" and child.lower_ in TIME_PREPS:
                    cands += [p for p in _pobjs(child) if p.ent_type_ in {"DATE", "TIME"}]
                for tok in cands:
                    ent = next((e for e in ctx.doc.ents if e.start <= tok.i < e.end), None)
                    if ent is None:
                        continue
                    value = normalise_date(ent.text, ctx.published, future=future)
                    return TimeExpr(ent.start_char, ent.end_char, ent.text, value)
            head = head.head if _time_passes_up(head) else None
        return None


# ---------------------------------------------------------------------- parse helpers
SIMULTANEOUS_MARKS = {"as", "when", "while"}


def _time_passes_up(token: Token) -> bool:
    """Whether a clause shares the time of the clause above it: an open complement, a
    conjunct, a participle ("the convoy attacked on Friday"), or a clause of simultaneity
    ("... left Gaza on Wednesday as the crossing opened").  Not "after"/"before" clauses."""
    if token.head is token:
        return False
    if token.dep_ in {"xcomp", "conj", "acl"}:
        return True
    return token.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in SIMULTANEOUS_MARKS for c in token.children
    )


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


def _belongs_to_nominal(prep: Token, trigger: Token, ctx: _Context) -> bool:
    """A "by" phrase right after another nominal trigger is that trigger's ("through mediation
    by Qatar"), even when the parser hung it on the verb."""
    before = prep.doc[prep.i - 1] if prep.i > 0 else None
    return (
        prep.lower_ == "by"
        and before is not None
        and before.i != trigger.i
        and before.i in ctx.triggers
        and before.pos_ == "NOUN"
    )


def _is_speech_call(token: Token) -> bool:
    deps = {c.dep_ for c in token.children}
    return bool(deps & {"oprd", "ccomp", "dobj", "xcomp"}) or any(
        c.dep_ == "prep" and c.lower_ == "for" for c in token.children
    )


def _is_passive(token: Token) -> bool:
    deps = {c.dep_ for c in token.children}
    if deps & {"nsubjpass", "auxpass"}:
        return True
    return token.dep_ == "acl" and token.tag_ == "VBN"


def _subject(verb: Token, depth: int = 0) -> Token | None:
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubjpass", "csubj"}:
            return child
    if depth > 4 or verb.head is verb:
        return None
    if verb.dep_ == "acl" and verb.head.pos_ in {"NOUN", "PROPN", "NUM"}:
        return verb.head
    if verb.dep_ == "xcomp":
        objects = [c for c in verb.head.children if c.dep_ == "dobj"]
        if objects:
            return objects[0]
        return _subject(verb.head, depth + 1)
    if verb.dep_ in {"conj", "advcl"} and verb.head.pos_ in {"VERB", "AUX"}:
        if verb.dep_ == "advcl" and not any(
            c.dep_ == "aux" and c.lower_ == "to" for c in verb.children
        ):
            return None
        return _subject(verb.head, depth + 1)
    return None


def _pobjs(prep: Token) -> list[Token]:
    found = [c for c in prep.children if c.dep_ in {"pobj", "pcomp"}]
    for c in prep.children:
        if c.dep_ == "prep":  # "out of", "according to": the object hangs on the second word
            found += [g for g in c.children if g.dep_ in {"pobj", "pcomp"}]
    return found


def _prep_text(prep: Token) -> str:
    word = prep.lower_
    inner = [c.lower_ for c in prep.children if c.dep_ == "prep"]
    if word in {"out", "according", "ahead", "because"} and inner:
        return f"{word} {inner[0]}"
    if word == "of" and prep.i > 0 and prep.doc[prep.i - 1].lower_ == "out":
        return "out of"
    return word


def _coordination_filler(prep: str, pobj: Token) -> list[Token] | None:
    if prep not in {"in", "with"} or pobj.lemma_.casefold() not in COORDINATION_NOUNS:
        return None
    out: list[Token] = []
    for c in pobj.children:
        if c.dep_ == "prep" and c.lower_ == "with":
            out += _pobjs(c)
    return out


def _filler_span(token: Token, ctx: _Context) -> tuple[int, int] | None:
    m = ctx.mention_at.get(token.i)
    if m is not None:
        return m.start, m.end
    if token.lower_ in PRONOUNS or token.pos_ == "PRON":
        return _resolve_pronoun(token, ctx)
    if token.lemma_.casefold() in METONYM_HEADS:
        for child in token.children:
            owner = ctx.mention_at.get(child.i)
            if (
                child.dep_ in {"poss", "compound"}
                and owner is not None
                and owner.label in {"GPE", "ORG"}
            ):
                return owner.start, owner.end
    if token.i in ctx.triggers:
        return token.idx, token.idx + len(token.text)
    if token.pos_ not in {"NOUN", "PROPN", "NUM", "ADJ"}:
        return None
    tokens = phrase_tokens(token)
    if tokens is None:
        return None
    return char_range(ctx.doc, tokens)


def _resolve_pronoun(token: Token, ctx: _Context) -> tuple[int, int] | None:
    lower = token.lower_
    if lower in {"which", "that", "who"} and token.head.dep_ == "relcl":
        return _filler_span(token.head.head, ctx)
    if lower in {"he", "she", "him", "her"}:
        speaking = token.dep_ == "nsubj" and token.head.lemma_.casefold() in SPEECH_LEMMAS
        candidates = ctx.last_speaker if speaking and ctx.last_speaker else ctx.last_person
        if candidates and token.idx - candidates[-1].end < 1500:
            return candidates[-1].start, candidates[-1].end
    return None


def _negated(trigger: Token) -> bool:
    head: Token | None = trigger
    for _ in range(4):
        if head is None:
            return False
        for child in head.children:
            if child.dep_ == "neg" or (
                child.lower_ in {"never", "not", "n't"} and child.dep_ in {"advmod", "neg"}
            ):
                return True
            if child.dep_ in {"nsubj", "nsubjpass", "dobj"} and any(
                g.dep_ == "det" and g.lower_ == "no" for g in child.children
            ):
                return True
        head = head.head if head.dep_ in {"xcomp"} else None
    return False


def _modality(trigger: Token, quotes: list[tuple[int, int]]) -> str:
    head: Token | None = trigger
    for _ in range(5):
        if head is None:
            break
        for child in head.children:
            if child.dep_ == "aux" and child.lower_ in MODAL_AUX:
                return MODAL_AUX[child.lower_]
            if child.dep_ == "acomp" and child.lower_ == "able":
                return "possible"
        if head is not trigger and head.lemma_.casefold() in MODAL_VERBS:
            return MODAL_VERBS[head.lemma_.casefold()]
        if head.dep_ == "xcomp" and head.head.lower_ == "able":
            return "possible"
        head = head.head if head.dep_ in {"xcomp", "acomp"} and head.head is not head else None
    if _inside(trigger.idx, quotes):
        return "reported"
    head = trigger
    for _ in range(4):
        if head.dep_ == "ccomp" and head.head.lemma_.casefold() in SPEECH_LEMMAS:
            return "reported"
        if head.head is head:
            break
        head = head.head
    return "asserted"


def _according_to_in_clause(trigger: Token, ctx: _Context) -> tuple[int, int] | None:
    """The object of an "according to" on the trigger, a clause above it or the sentence's
    root.  An unnamed source ("officials in Gaza") becomes a group of the article."""
    heads = [trigger, *list(trigger.ancestors)[:6], trigger.sent.root]
    for head in heads:
        for child in head.children:
            if child.dep_ == "prep" and _prep_text(child) == "according to":
                for pobj in _pobjs(child):
                    span = _filler_span(pobj, ctx)
                    if span is not None and pobj.i not in ctx.mention_at:
                        _group(pobj, span, ctx)
                    return span
    return None


def _group(token: Token, span: tuple[int, int], ctx: _Context) -> None:
    """Record an unnamed participant or source ("officials in Gaza") as a group mention."""
    if span in ctx.mention_by_span or span in ctx.groups or token.i in ctx.triggers:
        return
    ctx.groups[span] = Mention(
        start=span[0],
        end=span[1],
        text=text_of(ctx.doc)[span[0] : span[1]],
        label="GROUP",
        sentence=sentence_span(token),
        head_lemma=token.lemma_.casefold(),
    )


def reporting_verb(trigger: Token) -> Token | None:
    """The reporting verb whose complement holds the trigger: the head of the first ccomp on
    the way up ("officials said [Israeli jets struck ...]"), or a reporting verb in parataxis
    on the clause ("Ghana closed the border, officials said", as the parser sometimes hangs
    it).  Only within the sentence, and never the trigger itself."""
    token = trigger
    for _ in range(8):
        if token is not trigger or token.lemma_.casefold() not in REPORTING_LEMMAS:
            for child in token.children:
                if (
                    child.dep_ == "parataxis"
                    and child.lemma_.casefold() in REPORTING_LEMMAS
                    and any(c.dep_ == "nsubj" for c in child.children)
                ):
                    return child
        if token.head is token:
            return None
        if token.dep_ == "ccomp" and token.head.lemma_.casefold() in REPORTING_LEMMAS:
            return token.head
        token = token.head
    return None


def _content(trigger: Token) -> str:
    for child in trigger.children:
        if child.dep_ == "ccomp":
            words = list(child.subtree)
            return trigger.doc[words[0].i : words[-1].i + 1].text.strip(' ,“”"')
    return ""


def _dedupe(roles: list[Role]) -> list[Role]:
    seen: set[tuple[str, int, int]] = set()
    out = []
    for r in roles:
        key = (r.name, r.start, r.end)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def _link_mediations(events: list[Event]) -> list[Event]:
    """A mediation of an agreement makes the mediator a role of the agreement too, and the
    agreement's parties and coordinators parties of the mediation."""
    by_trigger = {(e.trigger_start, e.trigger_end): e for e in events}
    updated = dict(by_trigger)
    for event in events:
        if event.event_class != "Mediation":
            continue
        for role in event.roles:
            target = by_trigger.get((role.start, role.end)) if role.event_ref else None
            if target is None or target.event_class != "Agreement":
                continue
            agreement = updated[(target.trigger_start, target.trigger_end)]
            shared = [r for r in event.roles if r.name in {"mediator", "inCoordinationWith"}]
            back = [r for r in agreement.roles if r.name in {"party", "inCoordinationWith"}]
            updated[(target.trigger_start, target.trigger_end)] = replace(
                agreement, roles=tuple(_dedupe([*agreement.roles, *shared]))
            )
            mediation = updated[(event.trigger_start, event.trigger_end)]
            updated[(event.trigger_start, event.trigger_end)] = replace(
                mediation, roles=tuple(_dedupe([*mediation.roles, *back]))
            )
    return sorted(updated.values(), key=lambda e: e.trigger_start)


def iter_roles(event: Event, name: str) -> Iterator[Role]:
    """The fillers of one role of an event."""
    return (r for r in event.roles if r.name == name)


__all__ = ["EventExtractor", "Frame", "iter_roles", "reporting_verb"]
