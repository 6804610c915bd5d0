"""Quantity claims: "81 seriously sick or wounded Palestinians" is a claim that 81 of them ...

Each claim records the value, whether it is approximate ("some 400", "at least 300"), what
is counted, what is said of the counted things, and whom the article credits ("Egypt said",
"according to officials").
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from kg.extract.common import PRONOUNS, phrase_tokens, sentence_span, strip_span, text_of
from kg.model import Mention, QuantityClaim

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80})
_WORDS.update({"ninety": 90, "hundred": 100, "dozen": 12})
_VAGUE = {"several", "few", "many", "dozens", "hundreds", "thousands", "scores", "millions"}
_MULTIPLIERS = {"hundred": 100, "dozen": 12}
_SCALE = {
    "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}  # fmt: skip
_QUALIFIERS = (
    ("at least", "at least"), ("more than", "at least"), ("over", "at least"),
    ("as many as", "up to"), ("up to", "up to"), ("at most", "at most"),
    ("fewer than", "at most"), ("less than", "at most"), ("nearly", "approximate"),
    ("about", "approximate"), ("around", "approximate"), ("approximately", "approximate"),
    ("some", "approximate"), ("roughly", "approximate"), ("almost", "approximate"),
    ("close to", "approximate"), ("an estimated", "approximate"), ("estimated", "approximate"),
)  # fmt: skip
ATTRIBUTION_VERBS = {"say", "tell", "report", "announce", "state", "claim", "estimate", "confirm"}


def parse_number(text: str) -> float | None:
    """Numeric value of a cardinal expression, or None for "dozens", "hundreds".

    >>> parse_number("8,800"), parse_number("2.4 million"), parse_number("Ten"), parse_number("dozens")
    (8800.0, 2400000.0, 10.0, None)
    """
    words = text.casefold().replace(",", "").replace("-", " ").split()
    if any(w in _VAGUE for w in words) and not any(ch.isdigit() for ch in text):
        return None  # "several hundred", "a few thousand"
    # Words add up within a group ("thirty five", "seven hundred and fifty"), a scale word
    # closes the group ("two hundred thousand"); the first figure written in digits starts
    # the value, and words after it only scale it ("2.4 million").
    total = 0.0
    group: float | None = None
    seen = digits = False
    for word in words:
        if re.fullmatch(r"\d+(?:\.\d+)?", word):
            if digits or (seen and group is not None):
                break  # a second figure: "300 and 400" is two numbers
            group, seen, digits = float(word), True, True
        elif word in _MULTIPLIERS and not digits:  # "two hundred", "two dozen"
            group = (group or 1.0) * _MULTIPLIERS[word]
            seen = True
        elif word in _WORDS and not digits:
            group = (group or 0.0) + _WORDS[word]
            seen = True
        elif word in _SCALE and seen:
            total += (group if group is not None else 1.0) * _SCALE[word]
            group = None
    if not seen:
        return None
    value = total + (group or 0.0)
    return value if math.isfinite(value) and value < 1e15 else None


def _qualifier(ent: Span) -> str:
    doc = ent.doc
    before = doc[max(ent.start - 3, 0) : ent.start].text.casefold()
    inside = ent.text.casefold()
    after = doc[ent.end : ent.end + 2].text.casefold()
    for phrase, kind in _QUALIFIERS:
        if inside.startswith(phrase + " ") or before.endswith(phrase):
            return kind
    if after.startswith("or so"):
        return "approximate"
    return "exact"


def quantity_claims(doc: Doc, mentions: list[Mention]) -> list[QuantityClaim]:
    """Claims for every numeric CARDINAL entity that counts something."""
    claims: list[QuantityClaim] = []
    for ent in doc.ents:
        if ent.label_ != "CARDINAL":
            continue
        number = next((t for t in reversed(ent) if t.like_num), None)
        value = parse_number(ent.text)
        if number is None or value is None:
            continue
        run = _counted_run(doc, ent.end)
        if run is None:
            continue
        c_start, c_end = doc[run[0]].idx, doc[run[1] - 1].idx + len(doc[run[1] - 1])
        qualifier = _qualifier(ent)
        credit = _credit(number, mentions)
        claims.append(
            QuantityClaim(
                start=ent.start_char,
                end=ent.end_char,
                text=ent.text,
                value=value,
                approximate=qualifier != "exact",
                qualifier=qualifier,
                counted=text_of(doc)[c_start:c_end],
                counted_span=(c_start, c_end),
                predicate=_predicate(doc, run),
                sentence=sentence_span(number),
                according_to=credit[0] if credit else None,
                according_to_text=credit[1] if credit else "",
            )
        )
    return claims


_RUN_POS = {"ADJ", "ADV", "NOUN", "PROPN", "CCONJ"}


def _counted_run(doc: Doc, i: int) -> tuple[int, int] | None:
    """Tokens after the number that say what is counted: "seriously sick or wounded
    Palestinians", "foreign or dual nationals and aid workers", "sick and wounded"."""
    sent_end = doc[i - 1].sent.end
    if doc[i : i + 2].text.casefold() == "or so":
        i += 2
    if i < sent_end and doc[i].lower_ == "of":  # "90 of the most seriously sick ..."
        i += 1
        while i < sent_end and doc[i].pos_ == "DET":
            i += 1
    start = i
    last_good = -1
    seen_noun = False
    while i < sent_end:
        tok = doc[i]
        after_cc = i > start and doc[i - 1].pos_ == "CCONJ"
        ok = tok.pos_ in _RUN_POS or (tok.tag_ in {"VBN", "VBD"} and (not seen_noun or after_cc))
        ok = ok or (tok.text == "-" and i > start)
        if not ok or tok.like_num or tok.ent_type_ in {"DATE", "TIME", "CARDINAL"}:
            break
        if tok.pos_ == "CCONJ":
            nxt = doc[i + 1] if i + 1 < sent_end else None
            if nxt is None or nxt.like_num or nxt.pos_ not in _RUN_POS | {"VERB"}:
                break
        if seen_noun and tok.pos_ not in {"NOUN", "PROPN", "CCONJ"} and doc[i - 1].pos_ != "CCONJ":
            break
        if tok.pos_ in {"NOUN", "PROPN"}:
            seen_noun = True
        if tok.pos_ != "CCONJ" and tok.pos_ != "ADV":
            last_good = i
        i += 1
    if last_good < start:
        return None
    stripped = strip_span(doc, start, last_good + 1)
    if stripped is None or doc[stripped[0] : stripped[1]].text.casefold() in PRONOUNS:
        return None
    return stripped


def _predicate(doc: Doc, run: tuple[int, int]) -> str:
    """What the sentence says of the counted things: "would be allowed into Egypt"."""
    head = doc[run[1] - 1]
    verb = next((t for t in head.ancestors if t.pos_ in {"VERB", "AUX"}), None)
    if verb is None or verb.sent != head.sent:
        return ""
    first = min([verb.i, *(c.i for c in verb.children if c.dep_ in {"aux", "auxpass", "neg"})])
    begin = first if first >= run[1] else run[1]
    end = verb.right_edge.i + 1 if verb.right_edge.i >= begin else begin
    return doc[begin:end].text.strip(" \n,.;:")[:300]


def _according_to(token: Token) -> Token | None:
    """The object of an "according to" phrase hanging on ``token``."""
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "according":
            for to in child.children:
                for pobj in to.children:
                    if pobj.dep_ == "pobj":
                        return pobj
    return None


def _credit(number: Token, mentions: list[Mention]) -> tuple[tuple[int, int], str] | None:
    """Whom the sentence credits: an "according to" on the way up, the subject of a
    governing "say", or an "according to" on the sentence's root."""
    token = number
    for _ in range(10):
        source = _according_to(token)
        if source is not None:
            return _np(source, mentions)
        if token.lemma_.casefold() in ATTRIBUTION_VERBS and token.pos_ == "VERB":
            subj = next((c for c in token.children if c.dep_ == "nsubj"), None)
            if subj is not None and subj.lower_ not in PRONOUNS:
                return _np(subj, mentions)
        if token.head is token:
            break
        token = token.head
    source = _according_to(number.sent.root)
    return _np(source, mentions) if source is not None else None


def _np(token: Token, mentions: list[Mention]) -> tuple[tuple[int, int], str] | None:
    for m in mentions:
        if m.start <= token.idx < m.end:
            return (m.start, m.end), m.text
    tokens = phrase_tokens(token)
    if tokens is None:
        return None
    span = token.doc[tokens[0] : tokens[1]]
    return (span.start_char, span.end_char), span.text


__all__ = ["parse_number", "quantity_claims"]
