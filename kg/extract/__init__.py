"""Extraction: from a parsed article to mentions, events, quantity claims and relations.

The extractors read spaCy ``Doc`` objects and return the plain dataclasses of
:mod:`kg.model`; nothing here knows about RDF.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from kg.extract.common import quote_spans, sentence_spans
from kg.extract.entities import entity_mentions, nominal_mentions
from kg.extract.events import EventExtractor, reporting_verb
from kg.extract.quantities import quantity_claims
from kg.extract.relations import extract_relations
from kg.extract.timex import normalise_date
from kg.lexicon import Lexicon
from kg.model import Document, Event, Extraction, Mention, QuantityClaim

if TYPE_CHECKING:
    from spacy.tokens import Doc


class Extractor:
    """Runs every extractor over one parsed document.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> _ = nlp.add_pipe("sentencizer")
    >>> from kg.model import Document
    >>> Extractor(Lexicon.load())(Document("Nothing to see.", "x"), nlp("Nothing to see.")).events
    []
    """

    def __init__(self, lexicon: Lexicon) -> None:
        self.events = EventExtractor(lexicon)

    def __call__(self, document: Document, doc: Doc) -> Extraction:
        named = entity_mentions(doc)
        nominal = nominal_mentions(doc, named)
        mentions = sorted([*named, *nominal], key=lambda m: (m.start, m.end))
        quotes = quote_spans(document.text)
        events, groups = self.events(doc, mentions, document.published, quotes)
        claims = [_credit_to_speaker(c, doc, events) for c in quantity_claims(doc, mentions)]
        known = {(m.start, m.end) for m in [*mentions, *groups]}
        for claim in claims:  # a credited source the article does not name ("health officials")
            if claim.according_to and claim.according_to not in known:
                known.add(claim.according_to)
                groups.append(
                    Mention(
                        start=claim.according_to[0],
                        end=claim.according_to[1],
                        text=claim.according_to_text,
                        label="GROUP",
                        sentence=claim.sentence,
                    )
                )
        sentences = sentence_spans(doc)
        every = sorted([*mentions, *groups], key=lambda m: (m.start, m.end))
        return Extraction(
            document=document,
            mentions=every,
            events=events,
            claims=claims,
            sentences=sentences,
            relations=extract_relations(doc, every),
        )


def _credit_to_speaker(claim: QuantityClaim, doc: Doc, events: list[Event]) -> QuantityClaim:
    """A number said in reported speech whose reporter is a pronoun ("..., he said"): credit
    the speaker the Statement event of that verb resolved the pronoun to."""
    if claim.according_to is not None:
        return claim
    span = doc.char_span(claim.start, claim.end, alignment_mode="expand")
    verb = reporting_verb(span.root) if span is not None else None
    if verb is None:
        return claim
    for event in events:
        if event.trigger_start == verb.idx and "speaker" in {r.name for r in event.roles}:
            speaker = next(r for r in event.roles if r.name == "speaker")
            return replace(
                claim, according_to=(speaker.start, speaker.end), according_to_text=speaker.text
            )
    return claim


__all__ = ["Extractor", "normalise_date"]
