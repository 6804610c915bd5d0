"""Entity mentions: named entities, titles and affiliations, and definite descriptions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.extract.common import ENTITY_LABELS, sentence_span, strip_span, word_list
from kg.model import Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

# Heads too generic to refer back to one named thing ("the group", "the side").
_GENERIC_HEADS = {
    "group", "side", "government", "country", "state", "city", "people", "area", "region",
    "party", "office", "administration", "territory", "forces", "war", "attack",
}  # fmt: skip


def entity_mentions(doc: Doc) -> list[Mention]:
    """Named entity mentions with titles ("President"), affiliations and gazetteer keys.

    The determiner and a trailing possessive are left out of the span: "the Gaza Strip's"
    gives the mention "Gaza Strip".
    """
    titles = word_list("titles")
    honorifics = word_list("honorifics")
    mentions: list[Mention] = []
    ent_of_token: dict[int, Span] = {t.i: e for e in doc.ents for t in e}
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        tokens = strip_span(doc, ent.start, ent.end)
        if tokens is None:
            continue
        start, end = tokens
        # Honorifics glued inside the entity ("Mr Biden") are not part of the name.
        while end - start > 1 and doc[start].lower_ in honorifics:
            start += 1
        span = doc[start:end]
        if not any(ch.isalpha() for ch in span.text):
            continue
        title_words: list[str] = []
        affiliation: tuple[int, int] | None = None
        if ent.label_ == "PERSON":
            i = start - 1
            while i >= 0 and i >= start - 8:
                tok = doc[i]
                other = ent_of_token.get(i)
                if (
                    other is not None
                    and other.label_ in {"ORG", "GPE", "NORP"}
                    and affiliation is None
                ):
                    if other.label_ == "ORG":
                        affiliation = (other.start_char, other.end_char)
                    i = other.start - 1
                    continue
                if tok.lower_ in honorifics or (tok.is_punct and tok.text in "[]"):
                    i -= 1
                    continue
                if tok.lower_ in titles and other is None:
                    title_words.insert(0, tok.text)
                    i -= 1
                    continue
                break
            title_words = _appositive_title(span, titles, ent_of_token, title_words)
        mentions.append(
            Mention(
                start=span.start_char,
                end=span.end_char,
                text=span.text,
                label=ent.label_,
                sentence=sentence_span(span.root),
                head_lemma=span.root.lemma_.casefold(),
                titles=(" ".join(title_words),) if title_words else (),
                affiliation=affiliation,
                kb_key=ent.kb_id_,
            )
        )
    return mentions


def _appositive_title(
    span: Span, titles: frozenset[str], ent_of_token: dict[int, Span], found: list[str]
) -> list[str]:
    """'Abu Ubaida, the spokesperson of ...': the title from an apposition."""
    if found:
        return found
    for child in span.root.children:
        if child.dep_ == "appos" and child.lower_ in titles and child.i not in ent_of_token:
            words = [t.text for t in child.lefts if t.lower_ in titles] + [child.text]
            return words
    return found


def nominal_mentions(doc: Doc, named: list[Mention]) -> list[Mention]:
    """Definite descriptions that refer back to one named thing: "the crossing" after
    "the Rafah crossing".  Only when exactly one earlier name in the article ends in that noun."""
    by_head: dict[str, list[Mention]] = {}
    out: list[Mention] = []
    named_starts = {m.start for m in named}
    taken = {(m.start, m.end) for m in named}
    pending = sorted(
        (m for m in named if len(m.text.split()) > 1 and m.label in {"FAC", "ORG", "LOC"}),
        key=lambda m: m.end,
    )
    next_named = 0
    noun = doc.vocab.strings["NOUN"]  # its symbol id
    for i, pos in enumerate(doc.to_array("POS").tolist()):
        if pos != noun:
            continue  # a Token object is made only for nouns
        token = doc[i]
        while next_named < len(pending) and pending[next_named].end <= token.idx:
            m = pending[next_named]
            by_head.setdefault(m.text.split()[-1].casefold(), []).append(m)
            next_named += 1
        if token.lower_ in _GENERIC_HEADS:
            continue
        dets = [c for c in token.lefts]
        if len(dets) != 1 or dets[0].lower_ != "the" or token.ent_type_:
            continue
        candidates = by_head.get(token.lower_, [])
        keys = {(c.kb_key or c.text.casefold()) for c in candidates}
        if len(keys) != 1 or token.idx in named_starts:
            continue
        antecedent = candidates[-1]
        key = (token.idx, token.idx + len(token.text))
        if key in taken:
            continue
        out.append(
            Mention(
                start=key[0],
                end=key[1],
                text=token.text,
                label=antecedent.label,
                sentence=sentence_span(token),
                head_lemma=token.lemma_.casefold(),
                nominal=True,
                antecedent=(antecedent.start, antecedent.end),
                kb_key=antecedent.kb_key,
            )
        )
    return out


__all__ = ["entity_mentions", "nominal_mentions"]
