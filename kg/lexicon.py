"""The event trigger lexicon, read from the annotations on the event classes of ``kg.ttl``.

The result is plain Python (no rdflib objects) so the extractors stay independent of RDF.

>>> lex = Lexicon.load()
>>> lex.verb_classes["mediate"], lex.frames["Opening"].intransitive_subject
(['Mediation'], 'patient')
>>> lex.frames["Arrival"].prep_roles["via"], lex.frames["Arrival"].shortcut
('via', 'arrivedIn')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.resources import ontology_dir

KG_NS = "https://w3id.org/kg-news/ontology#"


@dataclass(frozen=True)
class Frame:
    """How one event class maps syntax to roles (annotations resolved through subclassing)."""

    event_class: str
    subject: str
    object: str
    intransitive_subject: str
    of_role: str
    prep_roles: dict[str, str]
    shortcut: str
    ancestors: tuple[str, ...]
    kairos: str = ""
    """The KAIROS/ACE event type the class is aligned to (inherited when not stated)."""


@dataclass(frozen=True)
class Lexicon:
    """Trigger lemmas to event classes, and each class's frame."""

    verb_classes: dict[str, list[str]] = field(default_factory=dict)
    noun_classes: dict[str, list[str]] = field(default_factory=dict)
    frames: dict[str, Frame] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None = None) -> Lexicon:
        """Read the lexicon from ``kg.ttl`` (the shipped ontology when ``path`` is None)."""
        return _load(str(path or ontology_dir() / "kg.ttl"))


def _local(iri: object) -> str:
    text = str(iri)
    return text[len(KG_NS) :] if text.startswith(KG_NS) else text


@lru_cache(maxsize=4)
def _load(path: str) -> Lexicon:
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDFS

    graph = Graph()
    graph.parse(path, format="turtle")

    def kg(name: str) -> URIRef:
        return URIRef(KG_NS + name)

    event = kg("Event")
    classes = [URIRef(str(s)) for s in graph.subjects(RDFS.subClassOf * "+", event)]  # type: ignore[operator]
    classes.append(event)

    def chain(cls_iri: URIRef) -> list[URIRef]:
        out = [cls_iri]
        while True:
            parents = [
                p for p in graph.objects(out[-1], RDFS.subClassOf) if str(p).startswith(KG_NS)
            ]
            if not parents:
                return out
            out.append(parents[0])  # type: ignore[arg-type]

    def first(lineage: list[URIRef], prop: str) -> str:
        for c in lineage:
            value = graph.value(c, kg(prop))
            if value is not None:
                return _local(value)
        return ""

    verbs: dict[str, list[str]] = {}
    nouns: dict[str, list[str]] = {}
    frames: dict[str, Frame] = {}
    for cls_iri in sorted(set(classes), key=str):
        name = _local(cls_iri)
        lineage = chain(cls_iri)
        preps: dict[str, str] = {}
        for c in reversed(lineage):
            for literal in graph.objects(c, kg("prepRole")):
                prep, role = str(literal).split()
                preps[prep.replace("_", " ")] = role
        frames[name] = Frame(
            event_class=name,
            subject=first(lineage, "subjectRole") or "agent",
            object=first(lineage, "objectRole") or "patient",
            intransitive_subject=first(lineage, "intransitiveSubjectRole")
            or first(lineage, "subjectRole")
            or "agent",
            of_role=first(lineage, "ofRole"),
            prep_roles=preps,
            shortcut=first(lineage, "shortcut"),
            ancestors=tuple(_local(c) for c in lineage),
            kairos=first(lineage, "kairosType"),
        )
        for lemma in sorted(str(v) for v in graph.objects(cls_iri, kg("triggerVerb"))):
            verbs.setdefault(lemma, []).append(name)
        for lemma in sorted(str(v) for v in graph.objects(cls_iri, kg("triggerNoun"))):
            nouns.setdefault(lemma, []).append(name)
    return Lexicon(verb_classes=verbs, noun_classes=nouns, frames=frames)


__all__ = ["KG_NS", "Frame", "Lexicon"]
