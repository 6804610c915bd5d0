"""Measure kg's relation extraction against CoNLL04 (Roth & Yih 2004, SpERT JSON).

A CoNLL04 file is a JSON list of sentences ``{tokens, entities: [{type, start, end}],
relations: [{type, head, tail}]}``; entity offsets are token indices (end exclusive) and a
relation's ``head``/``tail`` index the sentence's entity list.

Each sentence is one document: its tokens joined by single spaces.  kg parses it
(:func:`kg.nlp.load_pipeline`), finds the entity mentions
(:func:`kg.extract.entities.entity_mentions`), or, with ``gold_entities``, takes the gold
entities as mentions, and runs :func:`kg.extract.relations.extract_relations`.

Scoring is strict micro precision/recall/F1 (:func:`kg.evaluate.score`): a relation is right
when its type and the token spans of both its head and its tail equal a gold relation's.
Entity *types* are ignored.  A predicted span counts in gold tokens: a mention that starts or
ends inside a gold token ("Ruiz" in the token "Ruiz.") covers that whole token.

Span conventions.  kg's mentions leave out titles and honorifics ("Lincoln" in "President
Lincoln") and keep a town and its state apart ("Concord" and "Mass.", with Concord located in
Mass.).  CoNLL04 writes "President Lincoln" and "Mrs. Vik" as the name, and the birthplace in
"born in Concord , Mass." as one place.  With kg's entities, :func:`conll04_relations` writes
kg's relations with CoNLL04's spans before scoring; the result also carries ``f1_kg_spans``,
the F1 with kg's spans as they are, and ``overlap_f1``, a diagnostic where overlapping spans
count.  With the gold entities nothing is rewritten.

The one mapping from kg's relation types to CoNLL04 labels is :data:`CONLL04_RELATION`;
kg relations it does not list (``nationality``, ``partOf``) are not scored.  Gold entities of
type Other (MISC) are never related by kg's rules.

>>> tokens_text(["Boston", ",", "Mass."])
('Boston , Mass.', [(0, 6), (7, 8), (9, 14)])
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import InputError
from kg.evaluate import Span, score

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from kg.extract.relations import Relation
    from kg.model import Mention

CONLL04_RELATION = {
    "worksFor": "Work_For",
    "memberOf": "Work_For",
    "livesIn": "Live_In",
    "locatedIn": "Located_In",
    "basedIn": "OrgBased_In",
    "killed": "Kill",
    "reportsFrom": "OrgBased_In",
}
"""kg relation type -> CoNLL04 relation label.  CoNLL04's Work_For covers membership too
("a member of the party", "deputy leader of the union"), so ``memberOf`` counts as Work_For;
its OrgBased_In covers the news agency of a dateline ("BANGKOK, Thailand (AP)"), which kg
calls ``reportsFrom``."""

GOLD_ENTITY_LABEL = {"Peop": "PERSON", "Org": "ORG", "Loc": "GPE", "Other": "MISC"}
"""CoNLL04 entity type -> kg (OntoNotes) label, for scoring with the gold entities."""


@dataclass
class Conll04Sentence:
    """One CoNLL04 sentence: tokens, entities (start, end, type) and relations."""

    id: str
    tokens: list[str]
    entities: list[tuple[int, int, str]] = field(default_factory=list)
    relations: list[tuple[str, int, int]] = field(default_factory=list)
    """(label, head entity index, tail entity index)."""


def read_conll04(path: Path, limit: int | None = None) -> list[Conll04Sentence]:
    """Sentences of a CoNLL04 file in SpERT JSON (``limit``: only the first N)."""
    if not path.is_file():
        raise InputError(str(path), "no such CoNLL04 JSON file")
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"not JSON ({exc})") from None
    if not isinstance(records, list):
        raise InputError(str(path), "expected a JSON list of sentences (SpERT format)")
    out: list[Conll04Sentence] = []
    for i, record in enumerate(records):
        if limit is not None and len(out) >= limit:
            break
        try:
            tokens = [str(t) for t in record["tokens"]]
            entities = [
                (int(e["start"]), int(e["end"]), str(e["type"])) for e in record["entities"]
            ]
            relations = [
                (str(r["type"]), int(r["head"]), int(r["tail"])) for r in record["relations"]
            ]
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{path}#{i}", f"not a CoNLL04 sentence ({exc!r})") from None
        sid = str(record.get("orig_id", i))
        out.append(Conll04Sentence(f"{path.name}#{i}:{sid}", tokens, entities, relations))
    return out


def tokens_text(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """The tokens joined by single spaces, and each token's character span."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for token in tokens:
        spans.append((pos, pos + len(token)))
        pos += len(token) + 1
    return " ".join(tokens), spans


def relation_span(
    sentence_id: str, head: tuple[int, int], tail: tuple[int, int], label: str
) -> Span:
    """A relation as one :data:`kg.evaluate.Span` for :func:`kg.evaluate.score`: the head's
    token range goes into the id so that equal spans mean equal head, tail and label."""
    return (f"{sentence_id}|{head[0]}:{head[1]}", tail[0], tail[1], label)


def gold_relations(sentence: Conll04Sentence) -> set[Span]:
    out: set[Span] = set()
    for label, head, tail in sentence.relations:
        h, t = sentence.entities[head], sentence.entities[tail]
        out.add(relation_span(sentence.id, (h[0], h[1]), (t[0], t[1]), label))
    return out


def token_range(spans: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """Gold tokens covered by the character span [start, end).

    >>> token_range([(0, 6), (7, 8), (9, 14)], 9, 13)
    (2, 3)
    """
    first = bisect.bisect_right([s for s, _ in spans], start) - 1
    last = bisect.bisect_left([e for _, e in spans], end)
    if first < 0 or last >= len(spans) or start >= spans[first][1] or end <= spans[last][0]:
        return None
    return (first, last + 1) if first <= last else None


def gold_mentions(doc: Doc, sentence: Conll04Sentence) -> list[Mention]:
    """The sentence's gold entities as kg mentions (labels by :data:`GOLD_ENTITY_LABEL`)."""
    from kg.extract.common import sentence_span
    from kg.model import Mention

    _text, spans = tokens_text(sentence.tokens)
    out: list[Mention] = []
    for start, end, kind in sentence.entities:
        s, e = spans[start][0], spans[end - 1][1]
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None or not len(span):
            continue
        out.append(
            Mention(
                start=s,
                end=e,
                text=doc.text[s:e],
                label=GOLD_ENTITY_LABEL.get(kind, "MISC"),
                sentence=sentence_span(span.root),
                head_lemma=span.root.lemma_.casefold(),
            )
        )
    return out


def predicted_relations(
    sentence: Conll04Sentence,
    doc: Doc,
    *,
    gold_entities: bool = False,
    conventions: bool = True,
) -> tuple[set[Span], list[Relation]]:
    """kg's relations in one parsed sentence, as scored spans (and as found).

    With kg's entities and ``conventions``, the spans are written as CoNLL04 writes them
    (:func:`conll04_relations`); without, as kg found them.
    """
    from kg.extract.entities import entity_mentions
    from kg.extract.relations import extract_relations

    mentions = gold_mentions(doc, sentence) if gold_entities else entity_mentions(doc)
    relations = extract_relations(doc, mentions)
    _text, spans = tokens_text(sentence.tokens)
    written = (
        conll04_relations(doc, mentions, relations)
        if conventions and not gold_entities
        else [(r.type, r.head, r.tail) for r in relations]
    )
    out: set[Span] = set()
    for kind, h, t in written:
        label = CONLL04_RELATION.get(kind)
        head = token_range(spans, *h)
        tail = token_range(spans, *t)
        if label and head and tail:
            out.add(relation_span(sentence.id, head, tail, label))
    return out, relations


CONLL04_NAME_TITLES = frozenset({
    "president", "king", "queen", "prince", "princess", "emperor", "empress", "archduke",
    "pope", "rev.", "gen.",
})  # fmt: skip
"""Titles CoNLL04 writes as part of a person's name ("President Lincoln", "Prince Norodom
Sihanouk", "Rev. Martin Luther King"), besides the honorifics of ``kg/data/honorifics.txt``
("Mrs. Vik", "Dr. Lee DeForest").  Other titles it leaves out ("Gov.", "Sen.", "Judge", "Foreign
Minister"), as kg does."""


BIRTH_WORDS = (frozenset({"born", "died"}), frozenset({"in", "near"}))
"""'born in', 'died near': CoNLL04 writes the place after them, "Concord , Mass.", as one."""


def conll04_names(doc: Doc, mentions: list[Mention]) -> dict[tuple[int, int], tuple[int, int]]:
    """Each mention's span with the honorifics and :data:`CONLL04_NAME_TITLES` written right
    before a person's name."""
    from kg.extract.common import word_list

    titles = word_list("honorifics") | CONLL04_NAME_TITLES
    written: dict[tuple[int, int], tuple[int, int]] = {}
    for m in mentions:
        start = m.start
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if m.label == "PERSON" and span is not None:
            i = span.start - 1
            while i >= 0 and doc[i].text[:1].isupper() and doc[i].lower_ in titles:
                start = doc[i].idx
                i -= 1
        written[m.key] = (start, m.end)
    return written


def conll04_relations(
    doc: Doc, mentions: list[Mention], relations: list[Relation]
) -> list[tuple[str, tuple[int, int], tuple[int, int]]]:
    """kg's relations with their mentions' spans as CoNLL04 writes them (``(type, head,
    tail)``, character spans).

    * A person's name includes the honorifics and :data:`CONLL04_NAME_TITLES` written right
      before it ("President Lincoln", "Mrs. Vik"); kg's person mentions leave them out (they
      are the mention's ``titles``).
    * A birthplace written "Town , State" after "born in" (:data:`BIRTH_WORDS`) is one place:
      kg's town (which kg says is in the state) stands for the whole; kg's relations to the
      state, and between the two, fall inside that one place and are not scored.
    """
    written = conll04_names(doc, mentions)
    inside: set[tuple[int, int]] = set()
    for rel in relations:
        if rel.type != "locatedIn" or doc.text[rel.head[1] : rel.tail[0]].strip() != ",":
            continue
        town = doc.char_span(*rel.head, alignment_mode="expand")
        if town is None or town.start < 2:
            continue
        verb, prep = doc[town.start - 2], doc[town.start - 1]
        if verb.lower_ in BIRTH_WORDS[0] and prep.lower_ in BIRTH_WORDS[1]:
            written[rel.head] = (rel.head[0], rel.tail[1])
            inside.add(rel.tail)
    return [
        (r.type, written.get(r.head, r.head), written.get(r.tail, r.tail))
        for r in relations
        if r.head not in inside and r.tail not in inside
    ]


def evaluate_relations(
    path: Path,
    limit: int | None = None,
    *,
    gold_entities: bool = False,
    model: str | None = None,
) -> dict[str, Any]:
    """Strict micro P/R/F1 of kg's relations on a CoNLL04 file, overall and per label.

    With ``gold_entities`` the extractor gets the gold entity spans instead of kg's named
    entities, which separates relation errors from entity errors.  Each sentence is parsed
    as kg parses an article (capitalised lines re-cased first).
    """
    from kg.nlp import DEFAULT_MODEL, load_pipeline, truecase_headlines

    sentences = read_conll04(path, limit)
    nlp = load_pipeline(model or DEFAULT_MODEL)
    gold: set[Span] = set()
    predicted: set[Span] = set()
    as_found: set[Span] = set()
    texts = (truecase_headlines(tokens_text(s.tokens)[0]) for s in sentences)
    for sentence, doc in zip(sentences, nlp.pipe(texts, batch_size=64), strict=True):
        gold |= gold_relations(sentence)
        predicted |= predicted_relations(sentence, doc, gold_entities=gold_entities)[0]
        if not gold_entities:
            as_found |= predicted_relations(sentence, doc, conventions=False)[0]
    result = score(gold, predicted)
    result["sentences"] = len(sentences)
    result["entities"] = "gold" if gold_entities else "kg"
    result["matching"] = "strict spans, entity types ignored"
    if not gold_entities:
        result["matching"] += ", kg's spans written as CoNLL04 writes them"
        result["f1_kg_spans"] = score(gold, as_found)["f1"]
    result["overlap_f1"] = overlap_f1(gold, predicted)
    return result


def overlap_f1(gold: set[Span], predicted: set[Span]) -> float:
    """Diagnostic, not the score: F1 when a relation counts as right if its label is right and
    its head and tail *overlap* a gold relation's ("Ruiz" for "Mayor Ana Ruiz").  The gap
    to the strict F1 is what entity span conventions cost.

    >>> g = {relation_span("s", (0, 2), (5, 6), "Kill")}
    >>> overlap_f1(g, {relation_span("s", (1, 2), (5, 6), "Kill")})
    1.0
    """
    decoded_gold = [_decode(s) for s in gold]
    decoded_pred = [_decode(s) for s in predicted]

    def matches(a: _Decoded, b: _Decoded) -> bool:
        return a[0] == b[0] and a[3] == b[3] and _overlaps(a[1], b[1]) and _overlaps(a[2], b[2])

    hit_p = sum(1 for p in decoded_pred if any(matches(p, g) for g in decoded_gold))
    hit_g = sum(1 for g in decoded_gold if any(matches(p, g) for p in decoded_pred))
    precision = hit_p / len(decoded_pred) if decoded_pred else 0.0
    recall = hit_g / len(decoded_gold) if decoded_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return round(f1, 4)


_Decoded = tuple[str, tuple[int, int], tuple[int, int], str]


def _decode(span: Span) -> _Decoded:
    sentence_id, head = span[0].rsplit("|", 1)
    start, end = head.split(":")
    return sentence_id, (int(start), int(end)), (span[1], span[2]), span[3]


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


__all__ = [
    "BIRTH_WORDS",
    "CONLL04_NAME_TITLES",
    "CONLL04_RELATION",
    "GOLD_ENTITY_LABEL",
    "Conll04Sentence",
    "conll04_names",
    "conll04_relations",
    "evaluate_relations",
    "gold_relations",
    "overlap_f1",
    "predicted_relations",
    "read_conll04",
    "relation_span",
    "token_range",
    "tokens_text",
]
