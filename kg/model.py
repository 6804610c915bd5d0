"""Plain data passed between the stages: no spaCy and no rdflib types here.

Offsets are character offsets into :attr:`Document.text`, end exclusive, so
``doc.text[m.start:m.end] == m.text`` always holds.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date

_SURROGATE = re.compile("[\ud800-\udfff]")


def content_id(text: str) -> str:
    """Return the document id: the first 16 hex digits of the SHA-256 of the text.

    >>> content_id("hello")
    '2cf24dba5fb0a30e'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Document:
    """One article.

    ``text`` is the article text exactly as read (for HTML: the extracted article
    text).  ``ignored`` lists ``(start, end, reason)`` spans of metadata and web
    boilerplate that the extractors must not read; offsets stay those of ``text``.
    """

    text: str
    source: str
    title: str = ""
    published: date | None = None
    publisher: str = ""
    url: str = ""
    external_id: str = ""
    ignored: tuple[tuple[int, int, str], ...] = ()
    warnings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # A lone surrogate (a JSON "\ud800" escape) is no character: UTF-8 cannot encode it,
        # so neither the content hash nor the store could take the text.  It becomes U+FFFD,
        # one code point for one, so every offset stays.
        for name in ("text", "title", "publisher", "url", "external_id", "source"):
            value = getattr(self, name)
            if isinstance(value, str) and _SURROGATE.search(value):
                object.__setattr__(self, name, _SURROGATE.sub("\ufffd", value))

    @property
    def id(self) -> str:
        """Content hash of the text (see :func:`content_id`)."""
        return content_id(self.text)

    def masked_text(self) -> str:
        """The text with every ignored span replaced by spaces (newlines kept).

        >>> Document("ab Loading... cd", "x", ignored=((3, 13, "boilerplate"),)).masked_text()
        'ab            cd'
        """
        chars = list(self.text)
        for start, end, _reason in self.ignored:
            for i in range(start, end):
                if chars[i] not in "\n\r":
                    chars[i] = " "
        return "".join(chars)


@dataclass(frozen=True)
class Mention:
    """A span of text that names or describes something."""

    start: int
    end: int
    text: str
    label: str
    """spaCy-style type: PERSON, ORG, GPE, LOC, FAC, NORP, GROUP (an unnamed group such as
    "wounded Palestinians"), or EVENT_REF."""
    sentence: tuple[int, int]
    head_lemma: str = ""
    titles: tuple[str, ...] = ()
    """Titles and roles written next to the name ("President", "spokesperson")."""
    affiliation: tuple[int, int] | None = None
    """Offsets of the organisation named as the person's employer ("National Security Council")."""
    nominal: bool = False
    """True for a definite description ("the crossing") or pronoun resolved to a name."""
    antecedent: tuple[int, int] | None = None
    """For a nominal mention: the named mention it refers to."""
    kb_key: str = ""
    """Gazetteer key when the name was recognised by the gazetteer."""

    @property
    def key(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass(frozen=True)
class Role:
    """One argument of an event: a role name from the ontology and the filler's span."""

    name: str
    start: int
    end: int
    text: str
    event_ref: bool = False
    """True when the filler is another event of the same document (its trigger span)."""


@dataclass(frozen=True)
class TimeExpr:
    """A time expression and its normalised value (ISO date) when it could be resolved."""

    start: int
    end: int
    text: str
    value: str | None


@dataclass(frozen=True)
class Event:
    """An n-ary event found at a trigger word."""

    event_class: str
    trigger_start: int
    trigger_end: int
    trigger: str
    sentence: tuple[int, int]
    roles: tuple[Role, ...] = ()
    time: TimeExpr | None = None
    negated: bool = False
    modality: str = "asserted"
    quotes: tuple[str, ...] = ()
    content: str = ""
    confidence: float = 0.7
    according_to: tuple[int, int] | None = None


@dataclass(frozen=True)
class QuantityClaim:
    """A number the article states about something it counts."""

    start: int
    end: int
    text: str
    value: float
    approximate: bool
    qualifier: str
    """"exact", "approximate", "at least", "at most" or "up to"."""
    counted: str
    counted_span: tuple[int, int]
    predicate: str
    sentence: tuple[int, int]
    according_to: tuple[int, int] | None = None
    according_to_text: str = ""


@dataclass(frozen=True)
class Relation:
    """A typed, directed relation between two mentions of one sentence.

    ``head`` is the subject mention's span and ``tail`` the object's (``worksFor``: person ->
    organisation; ``killed``: killer -> victim; ``locatedIn``: part -> whole; ``partOf``:
    unit -> parent organisation).  ``role`` is the role or title the text gives the subject
    in that relation ("spokesperson", "armed wing"), when it gives one.  ``evidence`` is the
    text that states the relation, at ``evidence_span``; ``sentence`` is its sentence.
    """

    type: str
    """One of :data:`kg.extract.relations.RELATION_TYPES`."""
    head: tuple[int, int]
    tail: tuple[int, int]
    sentence: tuple[int, int]
    confidence: float
    evidence: str
    evidence_span: tuple[int, int] = (0, 0)
    role: str = ""


@dataclass
class Extraction:
    """Everything the extractors found in one document."""

    document: Document
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    claims: list[QuantityClaim] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)


@dataclass
class Entity:
    """A real-world thing: one per thing across all documents."""

    key: str
    label: str
    type: str
    """kg display type: Person, Organization, Country, Place, City, Region, Facility,
    ArmedGroup, Nationality, Group."""
    qid: str = ""
    link_confidence: float = 0.0
    """How sure kg is of the Wikidata link (0-1); 0 when not linked."""
    aliases: set[str] = field(default_factory=set)
    document_scoped: str = ""
    """For an unnamed group: the id of the one article it belongs to, or the story (``story:``
    and the first document id) when several articles of a resolved batch tell one story."""


@dataclass
class Resolution:
    """Mentions mapped to entities, per document."""

    entities: dict[str, Entity] = field(default_factory=dict)
    mention_entity: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)
    """document id -> (start, end) -> entity key."""
    link_confidence: dict[str, dict[tuple[int, int], float]] = field(default_factory=dict)
    """document id -> (start, end) -> how sure kg is of the Wikidata link this mention
    itself made (see :meth:`kg.gazetteer.Gazetteer.link`); a mention that joins a linked
    entity through coreference (a surname) has none here and takes the entity's."""

    def mention_confidence(self, doc_id: str, span: tuple[int, int]) -> float:
        """The link confidence of one mention: its own, else its entity's (0 if unlinked).

        >>> res = Resolution({"Q79": Entity("Q79", "Egypt", "Country", "Q79", 0.95)},
        ...                  {"d": {(0, 5): "Q79", (9, 14): "Q79"}}, {"d": {(9, 14): 0.7}})
        >>> res.mention_confidence("d", (0, 5)), res.mention_confidence("d", (9, 14))
        (0.95, 0.7)
        """
        entity = self.entities.get(self.mention_entity.get(doc_id, {}).get(span, ""))
        if entity is None or not entity.qid:
            return 0.0
        own = self.link_confidence.get(doc_id, {}).get(span)
        return own if own is not None else entity.link_confidence


__all__ = [
    "Document",
    "Entity",
    "Event",
    "Extraction",
    "Mention",
    "QuantityClaim",
    "Relation",
    "Resolution",
    "Role",
    "TimeExpr",
    "content_id",
]
