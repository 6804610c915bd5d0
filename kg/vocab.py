"""Namespaces and the terms of kg's own ontology (``ontology/kg.ttl``).

``KG`` is a closed namespace: a misspelt term is an error, and a test checks that every
term listed here is declared in ``kg.ttl``.

>>> str(KG.Mediation)
'https://w3id.org/kg-news/ontology#Mediation'
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

DEFAULT_BASE = "https://w3id.org/kg-news/id/"

SCHEMA = Namespace("https://schema.org/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")
PROV = Namespace("http://www.w3.org/ns/prov#")
WD = Namespace("http://www.wikidata.org/entity/")


class KG(DefinedNamespace):
    """kg's ontology terms."""

    _NS = Namespace("https://w3id.org/kg-news/ontology#")
    _fail = True

    # classes
    Event: URIRef
    Mediation: URIRef
    Agreement: URIRef
    Opening: URIRef
    Closure: URIRef
    Movement: URIRef
    Evacuation: URIRef
    Departure: URIRef
    Entry: URIRef
    Crossing: URIRef
    Arrival: URIRef
    Permission: URIRef
    Statement: URIRef
    Killing: URIRef
    Death: URIRef
    Release: URIRef
    Attack: URIRef
    Meeting: URIRef
    Transport: URIRef
    Travel: URIRef
    Announcement: URIRef
    Threat: URIRef
    Request: URIRef
    Injury: URIRef
    Arrest: URIRef
    Charge: URIRef
    Conviction: URIRef
    Trial: URIRef
    Investigation: URIRef
    Protest: URIRef
    Damage: URIRef
    Destruction: URIRef
    Sale: URIRef
    Explosion: URIRef
    Facility: URIRef
    Region: URIRef
    ArmedGroup: URIRef
    Nationality: URIRef
    Group: URIRef
    QuantityClaim: URIRef
    Modality: URIRef
    Asserted: URIRef
    Expected: URIRef
    Planned: URIRef
    Possible: URIRef
    Reported: URIRef
    Extraction: URIRef
    RelationStatement: URIRef
    RealWorldEvent: URIRef
    # roles
    role: URIRef
    agent: URIRef
    patient: URIRef
    theme: URIRef
    mediator: URIRef
    party: URIRef
    inCoordinationWith: URIRef
    origin: URIRef
    destination: URIRef
    via: URIRef
    place: URIRef
    speaker: URIRef
    addressee: URIRef
    beneficiary: URIRef
    instrument: URIRef
    # event attributes
    trigger: URIRef
    evidence: URIRef
    quote: URIRef
    content: URIRef
    negated: URIRef
    modality: URIRef
    confidence: URIRef
    timeExpression: URIRef
    relationOf: URIRef
    shortcut: URIRef
    sameEventAs: URIRef
    # claims
    value: URIRef
    counts: URIRef
    countedEntity: URIRef
    predicate: URIRef
    approximate: URIRef
    qualifier: URIRef
    creditedText: URIRef
    # relations between entities
    subjectMention: URIRef
    objectMention: URIRef
    roleName: URIRef
    nationality: URIRef
    killed: URIRef
    reportsFrom: URIRef
    # mentions and documents
    mentionType: URIRef
    nominal: URIRef
    documentId: URIRef
    sourceFile: URIRef
    publisherName: URIRef
    ignoredSpan: URIRef


# Terms that come from the ontology's data (event classes, roles, shortcuts a user may add
# to kg.ttl): an open namespace, unlike KG.
KG_TERMS = Namespace(str(KG._NS))

ENTITY_CLASSES: dict[str, tuple[URIRef, ...]] = {
    "Person": (SCHEMA.Person,),
    "Organization": (SCHEMA.Organization,),
    "ArmedGroup": (KG.ArmedGroup, SCHEMA.Organization),
    "Country": (SCHEMA.Country, SCHEMA.Place),
    "City": (SCHEMA.City, SCHEMA.Place),
    "Region": (KG.Region, SCHEMA.Place),
    "Place": (SCHEMA.Place,),
    "Facility": (KG.Facility, SCHEMA.Place),
    "Nationality": (KG.Nationality,),
    "Group": (KG.Group,),
}

MODALITIES = {
    "asserted": KG.Asserted,
    "expected": KG.Expected,
    "planned": KG.Planned,
    "possible": KG.Possible,
    "reported": KG.Reported,
}

RELATION_PROPERTIES: dict[str, URIRef] = {
    "worksFor": SCHEMA.worksFor,
    "memberOf": SCHEMA.memberOf,
    "livesIn": SCHEMA.homeLocation,
    "locatedIn": SCHEMA.containedInPlace,
    "basedIn": SCHEMA.location,
    "partOf": SCHEMA.parentOrganization,
    "nationality": KG.nationality,
    "killed": KG.killed,
    "reportsFrom": KG.reportsFrom,
}
"""kg relation type (:data:`kg.extract.relations.RELATION_TYPES`) -> the property of the
direct triple between the two entities: schema.org where it has one, else kg's own."""

# Roles whose filler takes part as an actor (also written as sem:hasActor).
ACTOR_ROLES = {"agent", "mediator", "party", "speaker", "inCoordinationWith", "beneficiary"}

__all__ = [
    "ACTOR_ROLES",
    "DEFAULT_BASE",
    "ENTITY_CLASSES",
    "ITSRDF",
    "KG",
    "KG_TERMS",
    "MODALITIES",
    "NIF",
    "PROV",
    "RELATION_PROPERTIES",
    "SCHEMA",
    "SEM",
    "WD",
]
