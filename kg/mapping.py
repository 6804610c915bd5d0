"""Model objects to RDF: the only module that mints IRIs or knows predicates.

One named graph per document holds what that document says (its article, NIF text layer,
mentions, events, claims, titles and relations); the default graph holds the merged entities.
See DATA-MODEL in the README for the shape.

>>> iris = Iris("https://example.org/")
>>> str(iris.entity("Person|joe biden", "Joe Biden", "Person", ""))
'https://example.org/entity/person/joe-biden'
>>> str(iris.entity("Q79", "Egypt", "Country", "Q79"))
'https://example.org/entity/Q79'
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

from rdflib import Literal, URIRef
from rdflib import namespace as _rdf

from kg import vocab as _vocab
from kg.lexicon import Lexicon
from kg.model import Entity, Event, Extraction, Relation, Resolution
from kg.vocab import ACTOR_ROLES, ENTITY_CLASSES, MODALITIES, RELATION_PROPERTIES


class _Terms:
    """An rdflib namespace whose terms are made once: rdflib builds a new URIRef (and checks
    it) on every attribute access, and the mapper names the same few dozen predicates and
    classes for every mention, event and claim.

    >>> RDF.type is RDF.type, KG_TERMS["Opening"] is KG_TERMS["Opening"]
    (True, True)
    """

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace
        self._items: dict[str, URIRef] = {}

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):
            raise AttributeError(name)
        term: URIRef = getattr(self._namespace, name)
        setattr(self, name, term)  # found as a plain attribute from now on
        return term

    def __getitem__(self, name: str) -> URIRef:
        term = self._items.get(name)
        if term is None:
            term = self._items[name] = self._namespace[name]
        return term


OWL, RDF, RDFS, SKOS, XSD = (
    _Terms(n) for n in (_rdf.OWL, _rdf.RDF, _rdf.RDFS, _rdf.SKOS, _rdf.XSD)
)
ITSRDF, KG, KG_TERMS, NIF, PROV, SCHEMA, SEM, WD = (
    _Terms(n)
    for n in (
        _vocab.ITSRDF,
        _vocab.KG,
        _vocab.KG_TERMS,
        _vocab.NIF,
        _vocab.PROV,
        _vocab.SCHEMA,
        _vocab.SEM,
        _vocab.WD,
    )
)

# Roles that identify a real-world event (Mapper.same_event): what it happened to, else who did it.
UNDERGOER_ROLES = ("patient", "theme", "party")
IDENTITY_ACTOR_ROLES = ("agent", "mediator")

Triple = tuple[URIRef, URIRef, URIRef | Literal]
Quad = tuple[URIRef, URIRef, URIRef | Literal, URIRef | None]
SOFTWARE = "kg 0.1.0"


@functools.lru_cache(maxsize=1 << 16)
def _offset(n: int) -> Literal:
    """A NIF offset literal (rdflib's Literal constructor is slow; offsets recur)."""
    return Literal(n, datatype=XSD.nonNegativeInteger)


@functools.lru_cache(maxsize=1 << 16, typed=True)  # typed: True and 1 are one key otherwise
def _plain(value: str | bool) -> Literal:
    """A plain string or boolean literal, made once per value (mention types, qualifiers,
    the words of names recur in every article)."""
    return Literal(value)


@functools.lru_cache(maxsize=1 << 12)
def _decimal_literal(value: float) -> Literal:
    """A confidence or a count as an xsd:decimal literal (kg's confidences are a few values)."""
    return Literal(_decimal(value), datatype=XSD.decimal)


@functools.lru_cache(maxsize=1 << 16)
def slug(text: str) -> str:
    """A readable, IRI-safe slug: lower case, hyphens, any script kept and percent-encoded.

    When punctuation had to be dropped, a short hash of the name keeps distinct names
    distinct ("C" and "C++").

    >>> slug("Rafah Border Crossing"), slug("القاهرة")
    ('rafah-border-crossing', '%D8%A7%D9%84%D9%82%D8%A7%D9%87%D8%B1%D8%A9')
    >>> slug("C"), slug("C++")
    ('c', 'c-cedb1b')
    """
    name = " ".join(unicodedata.normalize("NFC", text).casefold().split())
    base = re.sub(r"[^\w]+", "-", name).strip("-") or "x"
    if name and not re.fullmatch(r"\w+(?:[ -]\w+)*", name):
        base += "-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:6]
    return quote(base, safe="-_")


class Iris:
    """Deterministic IRIs under a base: same input, same graph."""

    def __init__(self, base: str) -> None:
        if not re.match(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]*[/#]$", base):
            raise ValueError(f"--base-iri {base!r}: must be an absolute IRI ending in / or #")
        self.base = base

    def doc(self, doc_id: str) -> URIRef:
        return URIRef(f"{self.base}doc/{doc_id}")

    def graph(self, doc_id: str) -> URIRef:
        return URIRef(f"{self.base}graph/{doc_id}")

    def span(self, doc_id: str, start: int, end: int) -> URIRef:
        return URIRef(f"{self.base}doc/{doc_id}#char={start},{end}")

    def entity(self, key: str, label: str, etype: str, qid: str) -> URIRef:
        if qid:
            return URIRef(f"{self.base}entity/{qid}")
        if etype == "Group":
            doc_id = key.split("|")[1]
            return URIRef(f"{self.base}entity/group/{doc_id}/{slug(label)}")
        name = key.split("|", 1)[1] if "|" in key else label
        return URIRef(f"{self.base}entity/{slug(etype)}/{slug(name)}")

    def event(self, doc_id: str, start: int) -> URIRef:
        return URIRef(f"{self.base}event/{doc_id}/{start}")

    def real_event(self, event_class: str, day: str, participants: list[str]) -> URIRef:
        """The real-world event of a class, on a day, that happened to these entities: the
        same IRI whatever article or order it comes from.

        >>> iris = Iris("https://example.org/")
        >>> a = iris.real_event("Opening", "2023-11-01", ["b", "a"])
        >>> a == iris.real_event("Opening", "2023-11-01", ["a", "b", "a"])
        True
        >>> str(a).rsplit("/", 1)[0]
        'https://example.org/event/same/opening/2023-11-01'
        """
        key = "\n".join([event_class, day, *sorted(set(participants))])
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
        return URIRef(f"{self.base}event/same/{slug(event_class)}/{day}/{digest}")

    def claim(self, doc_id: str, start: int) -> URIRef:
        return URIRef(f"{self.base}claim/{doc_id}/{start}")

    def relation(self, doc_id: str, kind: str, head: int, tail: int) -> URIRef:
        """A relation statement: its type and where its two mentions start (two mentions
        of one article never start at the same character)."""
        return URIRef(f"{self.base}relation/{doc_id}/{kind}/{head}-{tail}")

    def publisher(self, name: str) -> URIRef:
        return URIRef(f"{self.base}publisher/{slug(name)}")

    def activity(self, doc_id: str) -> URIRef:
        return URIRef(f"{self.base}extraction/{doc_id}")

    def software(self) -> URIRef:
        return URIRef(f"{self.base}agent/{slug(SOFTWARE)}")


def _en(text: str) -> Literal:
    return Literal(" ".join(text.split()), lang="en")


class Mapper:
    """Turn extractions and their resolution into quads."""

    def __init__(self, lexicon: Lexicon, base: str) -> None:
        self.lexicon = lexicon
        self.iris = Iris(base)

    def entity_iri(self, entity: Entity) -> URIRef:
        return self.iris.entity(entity.key, entity.label, entity.type, entity.qid)

    def entity_triples(self, entity: Entity) -> Iterator[Triple]:
        """The merged description of an entity (default graph; groups go in their document)."""
        iri = self.entity_iri(entity)
        for cls in ENTITY_CLASSES.get(entity.type, (SCHEMA.Thing,)):
            yield iri, RDF.type, cls
        yield iri, RDFS.label, _en(entity.label)
        for alias in sorted(entity.aliases):
            if " ".join(alias.split()) != entity.label:
                yield iri, SKOS.altLabel, _en(alias)
        if entity.qid:
            yield iri, OWL.sameAs, WD[entity.qid]

    def document_quads(self, extraction: Extraction, resolution: Resolution) -> Iterator[Quad]:
        """Everything one article says, in that article's named graph, and the descriptions
        of its publisher and of kg (graph ``None``: the default graph)."""
        document = extraction.document
        doc_id = document.id
        g = self.iris.graph(doc_id)
        doc = self.iris.doc(doc_id)
        ctx = self.iris.span(doc_id, 0, len(document.text))
        table = resolution.mention_entity.get(doc_id, {})
        iris = self.iris

        def q(s: URIRef, p: URIRef, o: URIRef | Literal) -> Quad:
            return (s, p, o, g)

        # --- the article and the provenance of this graph
        yield q(doc, RDF.type, SCHEMA.NewsArticle)
        yield q(doc, KG.documentId, Literal(doc_id))
        yield q(doc, KG.sourceFile, Literal(document.source))
        if document.title:
            yield q(doc, SCHEMA.headline, _en(document.title))
        if document.published:
            yield q(
                doc,
                SCHEMA.datePublished,
                Literal(document.published.isoformat(), datatype=XSD.date),
            )
        if document.url:
            yield q(doc, SCHEMA.url, Literal(document.url, datatype=XSD.anyURI))
        if document.external_id:
            yield q(doc, SCHEMA.identifier, Literal(document.external_id))
        # The publisher and kg itself are described once, in the default graph, like the merged
        # entities; each article's graph only points to them.  A triple written into every
        # article's graph would match once per article in queries over the union of the graphs
        # (Oxigraph's union default graph is a bag), so "?org a schema:Organization" would list
        # a publisher as many times as it has articles.
        if document.publisher:
            pub = iris.publisher(document.publisher)
            yield q(doc, SCHEMA.publisher, pub)
            yield q(doc, KG.publisherName, _en(document.publisher))
            yield pub, RDF.type, SCHEMA.Organization, None
            yield pub, RDFS.label, _en(document.publisher), None
        activity = iris.activity(doc_id)
        yield q(g, PROV.wasDerivedFrom, doc)
        yield q(g, PROV.wasGeneratedBy, activity)
        yield q(activity, RDF.type, KG.Extraction)
        yield q(activity, PROV.used, doc)
        yield q(activity, PROV.wasAssociatedWith, iris.software())
        yield iris.software(), RDF.type, PROV.SoftwareAgent, None
        yield iris.software(), RDFS.label, Literal(SOFTWARE, lang="en"), None

        # --- text layer
        yield q(ctx, RDF.type, NIF.Context)
        yield q(ctx, NIF.isString, Literal(document.text))
        yield q(ctx, NIF.beginIndex, _offset(0))
        yield q(ctx, NIF.endIndex, _offset(len(document.text)))
        yield q(ctx, NIF.sourceUrl, doc)
        for start, end, reason in document.ignored:
            yield q(ctx, KG.ignoredSpan, Literal(f"{start},{end} {reason}"))

        def phrase(start: int, end: int, cls: URIRef = NIF.Phrase) -> Iterator[Quad]:
            node = iris.span(doc_id, start, end)
            yield q(node, RDF.type, cls)
            yield q(node, NIF.referenceContext, ctx)
            yield q(node, NIF.beginIndex, _offset(start))
            yield q(node, NIF.endIndex, _offset(end))
            yield q(node, NIF.anchorOf, _plain(document.text[start:end]))

        entity_of = {key: self.entity_iri(resolution.entities[k]) for key, k in table.items()}
        # entities that can identify a real-world event: not unnamed groups (they belong to
        # this article alone) and not whole peoples ("Palestinians")
        identifying = {
            entity_of[key]
            for key, k in table.items()
            if resolution.entities[k].type not in {"Group", "Nationality"}
        }
        for m in extraction.mentions:
            target = entity_of.get(m.key)
            if target is None:
                continue
            node = iris.span(doc_id, m.start, m.end)
            yield from phrase(m.start, m.end)
            yield q(node, ITSRDF.taIdentRef, target)
            confidence = resolution.mention_confidence(doc_id, m.key)
            if confidence:
                # how sure kg is that this mention names the Wikidata item (ITS 2.0)
                yield q(node, ITSRDF.taConfidence, _decimal_literal(confidence))
            yield q(node, KG.mentionType, _plain(m.label))
            if m.nominal:
                yield q(node, KG.nominal, _plain(True))
            for title in m.titles:
                yield q(target, SCHEMA.jobTitle, _en(title))
            if m.affiliation and m.affiliation in entity_of:
                yield q(target, SCHEMA.affiliation, entity_of[m.affiliation])
        for key in sorted(set(table.values())):
            entity = resolution.entities[key]
            if entity.type == "Group":
                for s, p, o in self.entity_triples(entity):
                    yield q(s, p, o)

        # --- events
        trigger_iri = {
            (e.trigger_start, e.trigger_end): iris.event(doc_id, e.trigger_start)
            for e in extraction.events
        }
        evidence_sentences: set[tuple[int, int]] = set()
        for event in extraction.events:
            yield from self._event_quads(
                event, doc_id, g, entity_of, trigger_iri, phrase, evidence_sentences, identifying
            )

        # --- quantity claims
        for claim in extraction.claims:
            node = iris.claim(doc_id, claim.start)
            yield q(node, RDF.type, KG.QuantityClaim)
            yield q(node, KG.value, _decimal_literal(claim.value))
            yield q(node, KG.approximate, _plain(claim.approximate))
            yield q(node, KG.qualifier, _plain(claim.qualifier))
            yield q(node, KG.counts, _en(claim.counted))
            if claim.predicate:
                yield q(node, KG.predicate, _en(claim.predicate))
            yield from phrase(claim.start, claim.end)
            yield q(node, KG.trigger, iris.span(doc_id, claim.start, claim.end))
            yield q(node, KG.evidence, iris.span(doc_id, *claim.sentence))
            evidence_sentences.add(claim.sentence)
            yield q(node, PROV.wasDerivedFrom, doc)
            counted = next(
                (
                    t
                    for (s, e), t in entity_of.items()
                    if claim.counted_span[0] <= s and e <= claim.counted_span[1]
                ),
                None,
            )
            if counted is not None:
                yield q(node, KG.countedEntity, counted)
            if claim.according_to:
                yield q(node, KG.creditedText, _en(claim.according_to_text))
                credited = entity_of.get(claim.according_to)
                if credited is not None:
                    yield q(node, SEM.accordingTo, credited)
        # --- relations between entities
        for relation in extraction.relations:
            yield from self._relation_quads(
                relation, doc_id, g, entity_of, phrase, evidence_sentences
            )
        for start, end in sorted(evidence_sentences):
            yield from phrase(start, end, NIF.Sentence)

    def _event_quads(
        self,
        event: Event,
        doc_id: str,
        g: URIRef,
        entity_of: dict[tuple[int, int], URIRef],
        trigger_iri: dict[tuple[int, int], URIRef],
        phrase: object,
        evidence: set[tuple[int, int]],
        identifying: set[URIRef] | None = None,
    ) -> Iterator[Quad]:
        iris = self.iris
        frame = self.lexicon.frames[event.event_class]
        node = trigger_iri[(event.trigger_start, event.trigger_end)]

        def q(s: URIRef, p: URIRef, o: URIRef | Literal) -> Quad:
            return (s, p, o, g)

        fillers: dict[str, list[URIRef]] = {}
        for role in event.roles:
            target = (
                trigger_iri.get((role.start, role.end))
                if role.event_ref
                else entity_of.get((role.start, role.end))
            )
            if target is None or target == node:
                continue
            fillers.setdefault(role.name, [])
            if target not in fillers[role.name]:
                fillers[role.name].append(target)
        if not fillers:
            return
        yield q(node, RDF.type, KG_TERMS[event.event_class])
        yield q(node, RDF.type, SEM.Event)
        label = self.lexicon.frames[event.event_class].event_class
        yield q(node, RDFS.label, _en(f"{label}: {event.trigger}"))
        for name, targets in fillers.items():
            for target in targets:
                yield q(node, KG_TERMS[name], target)
                if name in ACTOR_ROLES:
                    yield q(node, SEM.hasActor, target)
                if name == "place":
                    yield q(node, SEM.hasPlace, target)
        assert callable(phrase)
        yield from phrase(event.trigger_start, event.trigger_end)
        yield q(node, KG.trigger, iris.span(doc_id, event.trigger_start, event.trigger_end))
        yield q(node, KG.evidence, iris.span(doc_id, *event.sentence))
        evidence.add(event.sentence)
        yield q(node, KG.negated, _plain(event.negated))
        yield q(node, KG.modality, MODALITIES[event.modality])
        yield q(node, KG.confidence, _decimal_literal(event.confidence))
        yield q(node, PROV.wasDerivedFrom, iris.doc(doc_id))
        if event.time is not None:
            yield q(node, KG.timeExpression, _en(event.time.text))
            if event.time.value:
                dtype = XSD.date if len(event.time.value) == 10 else XSD.gYear
                yield q(node, SEM.hasTimeStamp, Literal(event.time.value, datatype=dtype))
        for quote_text in event.quotes:
            yield q(node, KG.quote, _en(quote_text))
        if event.content:
            yield q(node, KG.content, _en(event.content))
        if event.according_to and event.according_to in entity_of:
            yield q(node, SEM.accordingTo, entity_of[event.according_to])
        events = set(trigger_iri.values())
        participants = {
            role: [t for t in targets if t not in events] for role, targets in fillers.items()
        }
        same = self.same_event(event, participants, identifying or set())
        if same is not None:
            yield q(node, KG.sameEventAs, same)
            yield q(same, RDF.type, KG.RealWorldEvent)
            assert event.time is not None and event.time.value is not None
            yield q(same, RDFS.label, _en(f"{event.event_class} on {event.time.value}"))
            yield q(same, SEM.hasTimeStamp, Literal(event.time.value, datatype=XSD.date))
        # The shortcut: subject-role filler -> object-role filler (or the event itself).
        # Never for negated or unrealised events, and never without a named subject.
        if frame.shortcut and not event.negated and event.modality in {"asserted", "reported"}:
            subjects = fillers.get(frame.subject, [])
            objects = fillers.get(frame.object, []) or [node]
            for s in subjects:
                for o in objects:
                    if s != o:
                        yield q(s, KG_TERMS[frame.shortcut], o)

    def same_event(
        self, event: Event, participants: dict[str, list[URIRef]], identifying: set[URIRef]
    ) -> URIRef | None:
        """The real-world event this report is of, when the report identifies it; else None.

        Identity is the event class, the day and the entities the event happened to: the
        ``participants`` (role fillers that are not events) of its undergoer roles (patient,
        theme, party), or, when it has none, of its actor roles (agent, mediator).  The agent is left out when there is an undergoer
        because reports of one event name it differently or not at all ("Egypt opened the
        crossing", "the crossing opened").  No real-world event when the report is too thin
        or not a fact:
          - no resolved day (a whole xsd:date), or negated, or not asserted/reported;
          - a statement (two statements by one speaker on one day are not one event);
          - an identity filler that is not in ``identifying``: an unnamed group of this
            article or a whole people ("Palestinians"), which cannot tell one event from
            another; or no identity filler at all.
        Computed from this report and entity IRIs alone: no state across documents, so the
        same IRI comes out whatever the order articles are added in.
        """
        frame = self.lexicon.frames[event.event_class]
        if event.negated or event.modality not in {"asserted", "reported"}:
            return None
        if "Statement" in frame.ancestors:
            return None
        day = event.time.value if event.time is not None else None
        if not day or len(day) != 10:
            return None
        for roles in (UNDERGOER_ROLES, IDENTITY_ACTOR_ROLES):
            found = [t for r in roles for t in participants.get(r, [])]
            if found:
                if any(t not in identifying for t in found):
                    return None
                return self.iris.real_event(event.event_class, day, [str(t) for t in found])
        return None

    def _relation_quads(
        self,
        relation: Relation,
        doc_id: str,
        g: URIRef,
        entity_of: dict[tuple[int, int], URIRef],
        phrase: Callable[[int, int], Iterator[Quad]],
        evidence: set[tuple[int, int]],
    ) -> Iterator[Quad]:
        """The direct triple between the two entities, and the statement that reifies it
        with its mentions, role, confidence and evidence.  Nothing when a mention has no
        entity or both mentions are one entity."""
        subject, obj = entity_of.get(relation.head), entity_of.get(relation.tail)
        prop = RELATION_PROPERTIES.get(relation.type)
        if subject is None or obj is None or subject == obj or prop is None:
            return
        iris = self.iris

        def q(s: URIRef, p: URIRef, o: URIRef | Literal) -> Quad:
            return (s, p, o, g)

        yield q(subject, prop, obj)
        node = iris.relation(doc_id, relation.type, relation.head[0], relation.tail[0])
        yield q(node, RDF.type, KG.RelationStatement)
        yield q(node, RDF.type, RDF.Statement)
        yield q(node, RDF.subject, subject)
        yield q(node, RDF.predicate, prop)
        yield q(node, RDF.object, obj)
        yield q(node, KG.subjectMention, iris.span(doc_id, *relation.head))
        yield q(node, KG.objectMention, iris.span(doc_id, *relation.tail))
        if relation.role:
            yield q(node, KG.roleName, _en(relation.role))
        yield q(node, KG.confidence, _decimal_literal(relation.confidence))
        start, end = relation.evidence_span
        if start < end:
            yield from phrase(start, end)
            yield q(node, KG.trigger, iris.span(doc_id, start, end))
        yield q(node, KG.evidence, iris.span(doc_id, *relation.sentence))
        evidence.add(relation.sentence)
        yield q(node, PROV.wasDerivedFrom, iris.doc(doc_id))


def _decimal(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


__all__ = ["Iris", "Mapper", "slug"]
