"""Tests for :mod:`kg.vocab` against ``ontology/kg.ttl``: every term used is declared."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.lexicon import KG_NS, Lexicon
from kg.resources import ontology_dir
from kg.vocab import ACTOR_ROLES, ENTITY_CLASSES, KG, KG_TERMS, MODALITIES

ANNOTATIONS = ("subjectRole", "objectRole", "intransitiveSubjectRole", "ofRole", "shortcut")
TRIGGERS = (URIRef(KG_NS + "triggerVerb"), URIRef(KG_NS + "triggerNoun"))


@pytest.fixture(scope="module")
def onto() -> Graph:
    graph = Graph()
    graph.parse(ontology_dir() / "kg.ttl", format="turtle")
    return graph


def declared(onto: Graph, iri: URIRef) -> bool:
    return (iri, RDF.type, None) in onto


def kg_terms_declared_in_namespace() -> list[str]:
    return [name for name in KG.__annotations__ if not name.startswith("_")]


def test_kg_namespace_lists_terms() -> None:
    names = kg_terms_declared_in_namespace()
    assert len(names) > 50
    assert {"Mediation", "mediator", "inCoordinationWith", "QuantityClaim", "shortcut"} <= set(
        names
    )


@pytest.mark.parametrize("name", kg_terms_declared_in_namespace())
def test_every_kg_term_is_a_subject_in_kg_ttl(onto: Graph, name: str) -> None:
    iri = URIRef(KG_NS + name)
    assert getattr(KG, name) == iri
    assert (iri, None, None) in onto, f"kg:{name} is not described in kg.ttl"
    assert declared(onto, iri), f"kg:{name} has no rdf:type in kg.ttl"


def test_closed_namespace_rejects_unknown_terms() -> None:
    with pytest.raises(AttributeError, match="notATerm"):
        _ = KG.notATerm


def event_classes(onto: Graph) -> set[URIRef]:
    out: set[URIRef] = set()
    for prop in TRIGGERS:
        out |= {URIRef(str(s)) for s in onto.subjects(prop, None)}
    return out


def test_there_are_event_classes(onto: Graph) -> None:
    names = {str(c)[len(KG_NS) :] for c in event_classes(onto)}
    assert {"Mediation", "Agreement", "Opening", "Statement", "Departure"} <= names


def test_every_event_class_is_a_subclass_of_event(onto: Graph) -> None:
    event = URIRef(KG_NS + "Event")
    for cls in event_classes(onto):
        ancestors = set(onto.transitive_objects(cls, RDFS.subClassOf))
        assert event in ancestors, cls
        assert (cls, RDF.type, OWL.Class) in onto, cls


def test_every_class_under_event_is_in_the_kg_namespace_class(onto: Graph) -> None:
    event = URIRef(KG_NS + "Event")
    subclasses = set(onto.transitive_subjects(RDFS.subClassOf, event)) - {event}
    for cls in subclasses:
        name = str(cls)[len(KG_NS) :]
        assert getattr(KG, name) == cls


def annotated_terms(onto: Graph) -> set[URIRef]:
    out: set[URIRef] = set()
    for prop in ANNOTATIONS:
        out |= {URIRef(str(o)) for o in onto.objects(None, URIRef(KG_NS + prop))}
    for literal in onto.objects(None, URIRef(KG_NS + "prepRole")):
        _prep, role = str(literal).split()
        out.add(URIRef(KG_NS + role))
    return out


def test_every_role_and_shortcut_named_in_annotations_is_declared(onto: Graph) -> None:
    terms = annotated_terms(onto)
    assert URIRef(KG_NS + "mediated") in terms
    assert URIRef(KG_NS + "via") in terms
    for term in terms:
        assert str(term).startswith(KG_NS), term
        assert (term, RDF.type, OWL.ObjectProperty) in onto, term


def test_every_role_is_a_subproperty_of_role(onto: Graph) -> None:
    role = URIRef(KG_NS + "role")
    shortcuts = {URIRef(str(o)) for o in onto.objects(None, URIRef(KG_NS + "shortcut"))}
    for term in annotated_terms(onto) - shortcuts:
        assert role in set(onto.transitive_objects(term, RDFS.subPropertyOf)), term


def test_prep_role_literals_are_two_words(onto: Graph) -> None:
    literals = [str(lit) for lit in onto.objects(None, URIRef(KG_NS + "prepRole"))]
    assert literals
    for lit in literals:
        assert len(lit.split()) == 2, lit


def test_lexicon_frames_use_declared_roles(onto: Graph) -> None:
    for frame in Lexicon.load().frames.values():
        used = {frame.subject, frame.object, frame.intransitive_subject, *frame.prep_roles.values()}
        used |= {frame.of_role} if frame.of_role else set()
        used |= {frame.shortcut} if frame.shortcut else set()
        for name in used:
            assert declared(onto, KG_TERMS[name]), (frame.event_class, name)


def test_actor_roles_and_modalities_are_declared(onto: Graph) -> None:
    for name in ACTOR_ROLES:
        assert (KG_TERMS[name], RDF.type, OWL.ObjectProperty) in onto, name
    for value in MODALITIES.values():
        assert (value, RDF.type, KG.Modality) in onto, value
    assert set(MODALITIES) == {"asserted", "expected", "planned", "possible", "reported"}


def test_entity_classes_in_kg_namespace_are_declared(onto: Graph) -> None:
    for classes in ENTITY_CLASSES.values():
        for cls in classes:
            if str(cls).startswith(KG_NS):
                assert (cls, RDF.type, OWL.Class) in onto, cls


# ---------------------------------------------------------------- alignment to CAMEO and KAIROS
CAMEO = "https://w3id.org/kg-news/cameo/"
KAIROS = "https://kairos-sdf.s3.amazonaws.com/context/kairos/Primitives/Events/"


def close_matches(onto: Graph, cls: URIRef, base: str) -> list[str]:
    return sorted(str(o) for o in onto.objects(cls, SKOS.closeMatch) if str(o).startswith(base))


def test_every_event_class_with_a_kairos_type_has_a_kairos_close_match(onto: Graph) -> None:
    frames = Lexicon.load().frames
    checked = 0
    for name, frame in frames.items():
        if not frame.kairos:
            continue
        checked += 1
        assert close_matches(onto, URIRef(KG_NS + name), KAIROS) == [KAIROS + frame.kairos], name
    assert checked >= 25


def test_cameo_codes_are_well_formed_labelled_concepts(onto: Graph) -> None:
    codes = 0
    for cls in event_classes(onto):
        literal = onto.value(cls, URIRef(KG_NS + "cameoCode"))
        matches = close_matches(onto, cls, CAMEO)
        assert len(matches) == (0 if literal is None else 1), cls
        for iri in matches:
            code = iri[len(CAMEO) :]
            # CAMEO codes: a two-digit root (01-20), then up to two more digits
            assert re.fullmatch(r"(0[1-9]|1[0-9]|20)[0-9]{1,2}", code), code
            assert str(literal) == code
            concept = URIRef(iri)
            assert (concept, RDF.type, SKOS.Concept) in onto
            assert (concept, SKOS.notation, Literal(code)) in onto
            labels = list(onto.objects(concept, SKOS.prefLabel))
            assert len(labels) == 1 and getattr(labels[0], "language", None) == "en", iri
            codes += 1
    assert codes >= 15


def test_mediation_is_cameo_045(onto: Graph) -> None:
    assert close_matches(onto, KG.Mediation, CAMEO) == [CAMEO + "045"]
    label = onto.value(URIRef(CAMEO + "045"), SKOS.prefLabel)
    assert str(label) == "Mediate conflict"


def test_kairos_concepts_carry_their_type_as_notation(onto: Graph) -> None:
    for concept in {o for o in onto.objects(None, SKOS.closeMatch) if str(o).startswith(KAIROS)}:
        assert (concept, SKOS.notation, Literal(str(concept)[len(KAIROS) :])) in onto
        assert (concept, RDF.type, SKOS.Concept) in onto
